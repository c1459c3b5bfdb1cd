//! The volunteer points pages. They are one WASM chunk, fetched the first time one of them
//! is shown: `pages_chunk!` marks the split, `cargo leptos --split` makes the chunk, and
//! `crate::App` routes to the pages.

use super::partner::{OfferPage, VerifyPage};
use super::views::{
    ActivitiesPage, AdjustPage, CheckInPage, LeaderboardPage, MyPointsPage, NewActivityPage,
    OrganiserCodePage, ServiceRecordPage,
};
use crate::hydration::pages_chunk;
use leptos::prelude::*;

/// Which page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Activities,
    CheckIn,
    MyPoints,
    ServiceRecord,
    Leaderboard,
    NewActivity,
    OrganiserCode,
    Adjust,
    Verify,
    Offer,
}

pages_chunk! {
    points_pages,
    pub fn render(page: Page) -> AnyView {
        match page {
            Page::Activities => view! { <ActivitiesPage /> }.into_any(),
            Page::CheckIn => view! { <CheckInPage /> }.into_any(),
            Page::MyPoints => view! { <MyPointsPage /> }.into_any(),
            Page::ServiceRecord => view! { <ServiceRecordPage /> }.into_any(),
            Page::Leaderboard => view! { <LeaderboardPage /> }.into_any(),
            Page::NewActivity => view! { <NewActivityPage /> }.into_any(),
            Page::OrganiserCode => view! { <OrganiserCodePage /> }.into_any(),
            Page::Adjust => view! { <AdjustPage /> }.into_any(),
            Page::Verify => view! { <VerifyPage /> }.into_any(),
            Page::Offer => view! { <OfferPage /> }.into_any(),
        }
    }
}
