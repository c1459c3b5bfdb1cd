//! The lunch pages. They are one WASM chunk, fetched the first time one of them is shown:
//! `pages_chunk!` marks the split, `cargo leptos --split` makes the chunk, and `crate::App`
//! routes to the pages.

use super::menus::views::{MenusPage, SubsidyPage};
use super::settlement::SettlementPage;
use super::station::StationPage;
use super::survey::views::{SurveyPage, SurveyResultsPage, SurveysAdminPage};
use super::views::{LunchPage, MyOrdersPage};
use crate::hydration::pages_chunk;
use leptos::prelude::*;

/// Which page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Menu,
    MyOrders,
    Survey,
    Station,
    Settlement,
    Menus,
    Subsidy,
    Surveys,
    SurveyResults,
}

pages_chunk! {
    lunch_pages,
    pub fn render(page: Page) -> AnyView {
        match page {
            Page::Menu => view! { <LunchPage /> }.into_any(),
            Page::MyOrders => view! { <MyOrdersPage /> }.into_any(),
            Page::Survey => view! { <SurveyPage /> }.into_any(),
            Page::Station => view! { <StationPage /> }.into_any(),
            Page::Settlement => view! { <SettlementPage /> }.into_any(),
            Page::Menus => view! { <MenusPage /> }.into_any(),
            Page::Subsidy => view! { <SubsidyPage /> }.into_any(),
            Page::Surveys => view! { <SurveysAdminPage /> }.into_any(),
            Page::SurveyResults => view! { <SurveyResultsPage /> }.into_any(),
        }
    }
}
