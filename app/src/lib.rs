//! Zero Distance (零距离): the shared Leptos app, rendered on the server and hydrated in the
//! browser. Organised by capability; server-only code sits behind the `ssr` feature.

#![recursion_limit = "256"]

pub mod accounts;
#[cfg(feature = "ssr")]
pub mod charts;
pub mod codec;
pub mod csv;
pub mod error;
mod hydration;
pub mod i18n;
pub mod knowledge;
mod layout;
pub mod live;
pub mod lunch;
pub mod map;
pub mod notifications;
pub mod numbers;
pub mod open311;
pub mod points;
#[cfg(feature = "ssr")]
pub mod qr;
pub mod requests;
mod ui;
#[cfg(feature = "ssr")]
pub mod uploads;

#[cfg(feature = "ssr")]
pub mod state;

use accounts::views::{provide_auth, SignInPage};
use i18n::{t, Key, Locale};
use layout::{Layout, NotFoundPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, LazyRoute, SsrMode,
};
use map::views::MapPage;

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = initial_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#b91c1c" />
                <meta name="description" content=locale.text(Key::AppDescription) />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Draws maps from data attributes, loading Leaflet only when one is shown.
                <script src="/map.js" defer></script>
                // The station console's camera scanner, loading its decoder only when opened.
                <script src="/scan.js" defer></script>
                // Offline check-in: registers the service worker and sends kept scans.
                <script src="/checkin.js" defer></script>
                <link rel="manifest" href="/manifest.webmanifest" />
                // Named by its content's hash in builds with `hash-files`.
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <hydration::DeferredHydrationScripts options />
                <MetaTags />
            </head>
            <body class="bg-slate-50 text-slate-900">
                <App />
            </body>
        </html>
    }
}

/// The language to render in: the request's cookie on the server, and in the browser the
/// `<html lang>` the server wrote, so that hydration sees the same text.
fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        state::request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|tag| Locale::from_tag(&tag))
            .unwrap_or_default()
    }
}

/// Every page but the map list and sign-in is in its capability's WASM chunk (each
/// capability's `pages.rs`): its route fetches the chunk, then shows the page. (A chunk of
/// their own for the staff's pages made the loader and the chunk count grow more than it
/// saved residents: see the closing note of issue 10.)
macro_rules! lazy_routes {
    ($($route:ident => $capability:ident::$page:ident),* $(,)?) => {$(
        #[derive(Debug)]
        struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            // Hydration must not start before the page's code is here: the router awaits
            // this first, as it does for `#[lazy_route]`.
            async fn preload() {
                #[cfg(feature = "hydrate")]
                if $capability::pages::__preload_render().await.is_err() {
                    hydration::on_chunk_missing().await;
                }
            }

            async fn view(_: Self) -> AnyView {
                let page = $capability::pages::Page::$page;
                #[cfg(feature = "hydrate")]
                let page = $capability::pages::render(page).await;
                #[cfg(not(feature = "hydrate"))]
                let page = $capability::pages::render(page);
                #[cfg(feature = "ssr")]
                hydration::name_fetched_chunks();
                page.unwrap_or_else(|_| view! { <hydration::PageDidNotLoad /> }.into_any())
            }
        }
    )*};
}

/// The map list is in the main module, yet its route is lazy too: while the page hydrates,
/// it lets the browser breathe between the shell and the list, which would otherwise hydrate
/// in one long task (see [`hydration::yield_while_hydrating`]).
#[derive(Debug)]
struct MapListRoute;

impl LazyRoute for MapListRoute {
    fn data() -> Self {
        MapListRoute
    }

    async fn preload() {
        #[cfg(feature = "hydrate")]
        hydration::yield_while_hydrating().await;
    }

    async fn view(_: Self) -> AnyView {
        view! { <MapPage /> }.into_any()
    }
}

lazy_routes! {
    PlaceDetailRoute => map::PlaceDetail,
    AdminPlacesRoute => map::AdminPlaces,
    PlaceEditRoute => map::PlaceEdit,
    SignUpRoute => accounts::SignUp,
    MeRoute => accounts::Me,
    ChangePasswordRoute => accounts::ChangePassword,
    AdminUsersRoute => accounts::AdminUsers,
    MessagesRoute => accounts::Messages,
    MyRequestsRoute => requests::Mine,
    RaiseRequestRoute => requests::Raise,
    RequestRoute => requests::Request,
    InboxRoute => requests::Inbox,
    CalendarRoute => requests::Calendar,
    LunchRoute => lunch::Menu,
    MyOrdersRoute => lunch::MyOrders,
    StationRoute => lunch::Station,
    SettlementRoute => lunch::Settlement,
    MenusRoute => lunch::Menus,
    SubsidyRoute => lunch::Subsidy,
    SurveyRoute => lunch::Survey,
    SurveysAdminRoute => lunch::Surveys,
    SurveyResultsRoute => lunch::SurveyResults,
    ActivitiesRoute => points::Activities,
    NewActivityRoute => points::NewActivity,
    OrganiserCodeRoute => points::OrganiserCode,
    CheckInRoute => points::CheckIn,
    MyPointsRoute => points::MyPoints,
    VerifyRoute => points::Verify,
    OfferRoute => points::Offer,
    ServiceRecordRoute => points::ServiceRecord,
    LeaderboardRoute => points::Leaderboard,
    AdjustRoute => points::Adjust,
    CasesRoute => knowledge::Cases,
    QuestionsRoute => knowledge::Questions,
    GuidesRoute => knowledge::Guides,
    GuideEditRoute => knowledge::GuideEdit,
    GuideRoute => knowledge::Guide,
    PublishCaseRoute => knowledge::PublishCase,
    CaseRoute => knowledge::Case,
    NumbersRoute => numbers::Numbers,
    OverviewRoute => numbers::Overview,
    KeysRoute => numbers::Open311Keys,
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(initial_locale());
    provide_auth();
    // The frontend marks `<body data-hydrated>` once the page, lazy route included, has
    // hydrated (frontend/src/lib.rs).

    view! {
        <Title text=t(Key::AppName) />
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view={Lazy::<MapListRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/places/:id") view={Lazy::<PlaceDetailRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/places") view={Lazy::<AdminPlacesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/places/new") view={Lazy::<PlaceEditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/places/:id") view={Lazy::<PlaceEditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/sign-up") view={Lazy::<SignUpRoute>::new()} />
                    <Route path=path!("/me") view={Lazy::<MeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/me/password") view={Lazy::<ChangePasswordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view={Lazy::<AdminUsersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/requests") view={Lazy::<MyRequestsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/requests/new") view={Lazy::<RaiseRequestRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/requests/:number") view={Lazy::<RequestRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/inbox") view={Lazy::<InboxRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/messages") view={Lazy::<MessagesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/calendar") view={Lazy::<CalendarRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lunch") view={Lazy::<LunchRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lunch/orders") view={Lazy::<MyOrdersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lunch/station") view={Lazy::<StationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lunch/settlement") view={Lazy::<SettlementRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lunch/menus") view={Lazy::<MenusRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/volunteer") view={Lazy::<ActivitiesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/volunteer/new") view={Lazy::<NewActivityRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/volunteer/:id/code") view={Lazy::<OrganiserCodeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/v/checkin") view={Lazy::<CheckInRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/points") view={Lazy::<MyPointsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/points/verify") view={Lazy::<VerifyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/points/offer") view={Lazy::<OfferRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cases") view={Lazy::<CasesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/qa") view={Lazy::<QuestionsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/guides") view={Lazy::<GuidesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/guides/new") view={Lazy::<GuideEditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/guides/:id") view={Lazy::<GuideRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/guides/:id/edit") view={Lazy::<GuideEditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cases/publish") view={Lazy::<PublishCaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cases/:id") view={Lazy::<CaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/points/record") view={Lazy::<ServiceRecordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/points/leaderboard") view={Lazy::<LeaderboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/points/adjust") view={Lazy::<AdjustRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lunch/subsidy") view={Lazy::<SubsidyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lunch/survey") view={Lazy::<SurveyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lunch/surveys") view={Lazy::<SurveysAdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lunch/surveys/:id") view={Lazy::<SurveyResultsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/numbers") view={Lazy::<NumbersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/numbers/overview") view={Lazy::<OverviewRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/open311") view={Lazy::<KeysRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
