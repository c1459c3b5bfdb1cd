//! The pages of problems raised to the building manager. They are one WASM chunk, fetched
//! the first time one of them is shown: `pages_chunk!` marks the split, `cargo leptos --split`
//! makes the chunk, and `crate::App` routes to the pages.

use super::admin::CalendarPage;
use super::inbox::InboxPage;
use super::views::{MyRequestsPage, RaiseRequestPage, RequestPage};
use crate::hydration::pages_chunk;
use leptos::prelude::*;

/// Which page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Mine,
    Raise,
    Request,
    Inbox,
    Calendar,
}

pages_chunk! {
    request_pages,
    pub fn render(page: Page) -> AnyView {
        match page {
            Page::Mine => view! { <MyRequestsPage /> }.into_any(),
            Page::Raise => view! { <RaiseRequestPage /> }.into_any(),
            Page::Request => view! { <RequestPage /> }.into_any(),
            Page::Inbox => view! { <InboxPage /> }.into_any(),
            Page::Calendar => view! { <CalendarPage /> }.into_any(),
        }
    }
}
