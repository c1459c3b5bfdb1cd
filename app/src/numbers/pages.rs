//! The numbers pages, and the admin's Open311 keys. They are one WASM chunk, fetched the
//! first time one of them is shown: `pages_chunk!` marks the split, `cargo leptos --split` makes
//! the chunk, and `crate::App` routes to the pages.

use super::views::{NumbersPage, OverviewPage};
use crate::hydration::pages_chunk;
use crate::open311::keys::KeysPage;
use leptos::prelude::*;

/// Which page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Numbers,
    Overview,
    Open311Keys,
}

pages_chunk! {
    numbers_pages,
    pub fn render(page: Page) -> AnyView {
        match page {
            Page::Numbers => view! { <NumbersPage /> }.into_any(),
            Page::Overview => view! { <OverviewPage /> }.into_any(),
            Page::Open311Keys => view! { <KeysPage /> }.into_any(),
        }
    }
}
