//! The map's pages beyond the list: a place, and the admin's places. They are one WASM
//! chunk, fetched the first time one of them is shown: `pages_chunk!` marks the split, `cargo
//! leptos --split` makes the chunk, and `crate::App` routes to the pages.

use super::admin::{AdminPlacesPage, PlaceEditPage};
use super::views::PlaceDetailPage;
use crate::hydration::pages_chunk;
use leptos::prelude::*;

/// Which page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    PlaceDetail,
    AdminPlaces,
    PlaceEdit,
}

pages_chunk! {
    map_pages,
    pub fn render(page: Page) -> AnyView {
        match page {
            Page::PlaceDetail => view! { <PlaceDetailPage /> }.into_any(),
            Page::AdminPlaces => view! { <AdminPlacesPage /> }.into_any(),
            Page::PlaceEdit => view! { <PlaceEditPage /> }.into_any(),
        }
    }
}
