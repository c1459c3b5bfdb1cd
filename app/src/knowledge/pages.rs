//! The case library, 你问我答 and the guides. They are one WASM chunk, fetched the first time
//! one of them is shown: `pages_chunk!` marks the split, `cargo leptos --split` makes the chunk,
//! and `crate::App` routes to the pages.

use super::guides::views::{GuideEditPage, GuidePage, GuidesPage};
use super::views::{CasePage, CasesPage, PublishCasePage, QuestionsPage};
use crate::hydration::pages_chunk;
use leptos::prelude::*;

/// Which page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Cases,
    Case,
    Questions,
    Guides,
    Guide,
    PublishCase,
    GuideEdit,
}

pages_chunk! {
    knowledge_pages,
    pub fn render(page: Page) -> AnyView {
        match page {
            Page::Cases => view! { <CasesPage /> }.into_any(),
            Page::Case => view! { <CasePage /> }.into_any(),
            Page::Questions => view! { <QuestionsPage /> }.into_any(),
            Page::Guides => view! { <GuidesPage /> }.into_any(),
            Page::Guide => view! { <GuidePage /> }.into_any(),
            Page::PublishCase => view! { <PublishCasePage /> }.into_any(),
            Page::GuideEdit => view! { <GuideEditPage /> }.into_any(),
        }
    }
}
