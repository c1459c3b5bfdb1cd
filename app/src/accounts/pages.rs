//! The account pages beyond sign-in: sign-up, my account, my messages, the users. They are
//! one WASM chunk, fetched the first time one of them is shown: `pages_chunk!` marks the split,
//! `cargo leptos --split` makes the chunk, and `crate::App` routes to the pages.

use super::admin::AdminUsersPage;
use super::views::{ChangePasswordPage, MePage, SignUpPage};
use crate::hydration::pages_chunk;
use crate::notifications::MessagesPage;
use leptos::prelude::*;

/// Which page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    SignUp,
    Me,
    ChangePassword,
    Messages,
    AdminUsers,
}

pages_chunk! {
    account_pages,
    pub fn render(page: Page) -> AnyView {
        match page {
            Page::SignUp => view! { <SignUpPage /> }.into_any(),
            Page::Me => view! { <MePage /> }.into_any(),
            Page::ChangePassword => view! { <ChangePasswordPage /> }.into_any(),
            Page::Messages => view! { <MessagesPage /> }.into_any(),
            Page::AdminUsers => view! { <AdminUsersPage /> }.into_any(),
        }
    }
}
