//! Zero Distance (零距离): the shared Leptos app, rendered on the server and hydrated in the
//! browser. Organised by capability; server-only code sits behind the `ssr` feature.

#![recursion_limit = "256"]

pub mod accounts;
#[cfg(feature = "ssr")]
pub mod charts;
pub mod codec;
pub mod csv;
pub mod error;
pub mod hydration;
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
    path, ChooseView, SsrMode,
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

/// A page of the route table: the map list or sign-in, in the main module, or a page of a
/// capability's WASM chunk (each capability's `pages.rs`), fetched when one of its pages is
/// first shown. (A chunk of their own for the staff's pages made the loader and the chunk
/// count grow more than it saved residents: see the closing note of issue 10.)
///
/// One type for every route rather than one `LazyRoute` each: the router's code is generic
/// over a route's view, and a type per route put a copy of that code in the main module for
/// each of the 47 routes.
#[derive(Clone, Copy, Debug)]
enum Page {
    MapList,
    SignIn,
    Map(map::pages::Page),
    Accounts(accounts::pages::Page),
    Requests(requests::pages::Page),
    Lunch(lunch::pages::Page),
    Points(points::pages::Page),
    Knowledge(knowledge::pages::Page),
    Numbers(numbers::pages::Page),
}

impl ChooseView for Page {
    async fn choose(self) -> AnyView {
        // A capability's `render`: awaited in the browser, where it fetches the chunk.
        macro_rules! render {
            ($capability:ident, $page:expr) => {{
                #[cfg(feature = "split")]
                let shown = $capability::pages::render($page).await;
                #[cfg(not(feature = "split"))]
                let shown = $capability::pages::render($page);
                shown
            }};
        }
        let shown = match self {
            Page::MapList => return view! { <MapPage /> }.into_any(),
            Page::SignIn => return view! { <SignInPage /> }.into_any(),
            Page::Map(page) => render!(map, page),
            Page::Accounts(page) => render!(accounts, page),
            Page::Requests(page) => render!(requests, page),
            Page::Lunch(page) => render!(lunch, page),
            Page::Points(page) => render!(points, page),
            Page::Knowledge(page) => render!(knowledge, page),
            Page::Numbers(page) => render!(numbers, page),
        };
        #[cfg(feature = "ssr")]
        hydration::name_fetched_chunks();
        shown.unwrap_or_else(|_| view! { <hydration::PageDidNotLoad /> }.into_any())
    }

    /// Hydration must not start before the page's code is here: the router awaits this
    /// first, as it does for `#[lazy_route]`. The main module's pages need no chunk, but while
    /// the page hydrates they still let the browser breathe between the shell and the page,
    /// which would otherwise hydrate in one long task ([`hydration::yield_while_hydrating`]).
    async fn preload(&self) {
        #[cfg(feature = "split")]
        {
            let fetched = match self {
                Page::MapList | Page::SignIn => {
                    hydration::yield_while_hydrating().await;
                    return;
                }
                Page::Map(_) => map::pages::__preload_render().await,
                Page::Accounts(_) => accounts::pages::__preload_render().await,
                Page::Requests(_) => requests::pages::__preload_render().await,
                Page::Lunch(_) => lunch::pages::__preload_render().await,
                Page::Points(_) => points::pages::__preload_render().await,
                Page::Knowledge(_) => knowledge::pages::__preload_render().await,
                Page::Numbers(_) => numbers::pages::__preload_render().await,
            };
            if fetched.is_err() {
                hydration::on_chunk_missing().await;
            }
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(initial_locale());
    provide_context(hydration::InApp);
    provide_auth();
    // The frontend marks `<body data-hydrated>` once the page, lazy route included, has
    // hydrated (frontend/src/lib.rs).

    view! {
        <Title text=t(Key::AppName) />
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=Page::MapList ssr=SsrMode::Async />
                    <Route path=path!("/places/:id") view=Page::Map(map::pages::Page::PlaceDetail) ssr=SsrMode::Async />
                    <Route path=path!("/admin/places") view=Page::Map(map::pages::Page::AdminPlaces) ssr=SsrMode::Async />
                    <Route path=path!("/admin/places/new") view=Page::Map(map::pages::Page::PlaceEdit) ssr=SsrMode::Async />
                    <Route path=path!("/admin/places/:id") view=Page::Map(map::pages::Page::PlaceEdit) ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=Page::SignIn />
                    <Route path=path!("/sign-up") view=Page::Accounts(accounts::pages::Page::SignUp) />
                    <Route path=path!("/me") view=Page::Accounts(accounts::pages::Page::Me) ssr=SsrMode::Async />
                    <Route path=path!("/me/password") view=Page::Accounts(accounts::pages::Page::ChangePassword) ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=Page::Accounts(accounts::pages::Page::AdminUsers) ssr=SsrMode::Async />
                    <Route path=path!("/requests") view=Page::Requests(requests::pages::Page::Mine) ssr=SsrMode::Async />
                    <Route path=path!("/requests/new") view=Page::Requests(requests::pages::Page::Raise) ssr=SsrMode::Async />
                    <Route path=path!("/requests/:number") view=Page::Requests(requests::pages::Page::Request) ssr=SsrMode::Async />
                    <Route path=path!("/inbox") view=Page::Requests(requests::pages::Page::Inbox) ssr=SsrMode::Async />
                    <Route path=path!("/messages") view=Page::Accounts(accounts::pages::Page::Messages) ssr=SsrMode::Async />
                    <Route path=path!("/admin/calendar") view=Page::Requests(requests::pages::Page::Calendar) ssr=SsrMode::Async />
                    <Route path=path!("/lunch") view=Page::Lunch(lunch::pages::Page::Menu) ssr=SsrMode::Async />
                    <Route path=path!("/lunch/orders") view=Page::Lunch(lunch::pages::Page::MyOrders) ssr=SsrMode::Async />
                    <Route path=path!("/lunch/station") view=Page::Lunch(lunch::pages::Page::Station) ssr=SsrMode::Async />
                    <Route path=path!("/lunch/settlement") view=Page::Lunch(lunch::pages::Page::Settlement) ssr=SsrMode::Async />
                    <Route path=path!("/lunch/menus") view=Page::Lunch(lunch::pages::Page::Menus) ssr=SsrMode::Async />
                    <Route path=path!("/volunteer") view=Page::Points(points::pages::Page::Activities) ssr=SsrMode::Async />
                    <Route path=path!("/volunteer/new") view=Page::Points(points::pages::Page::NewActivity) ssr=SsrMode::Async />
                    <Route path=path!("/volunteer/:id/code") view=Page::Points(points::pages::Page::OrganiserCode) ssr=SsrMode::Async />
                    <Route path=path!("/v/checkin") view=Page::Points(points::pages::Page::CheckIn) ssr=SsrMode::Async />
                    <Route path=path!("/points") view=Page::Points(points::pages::Page::MyPoints) ssr=SsrMode::Async />
                    <Route path=path!("/points/verify") view=Page::Points(points::pages::Page::Verify) ssr=SsrMode::Async />
                    <Route path=path!("/points/offer") view=Page::Points(points::pages::Page::Offer) ssr=SsrMode::Async />
                    <Route path=path!("/cases") view=Page::Knowledge(knowledge::pages::Page::Cases) ssr=SsrMode::Async />
                    <Route path=path!("/qa") view=Page::Knowledge(knowledge::pages::Page::Questions) ssr=SsrMode::Async />
                    <Route path=path!("/guides") view=Page::Knowledge(knowledge::pages::Page::Guides) ssr=SsrMode::Async />
                    <Route path=path!("/guides/new") view=Page::Knowledge(knowledge::pages::Page::GuideEdit) ssr=SsrMode::Async />
                    <Route path=path!("/guides/:id") view=Page::Knowledge(knowledge::pages::Page::Guide) ssr=SsrMode::Async />
                    <Route path=path!("/guides/:id/edit") view=Page::Knowledge(knowledge::pages::Page::GuideEdit) ssr=SsrMode::Async />
                    <Route path=path!("/cases/publish") view=Page::Knowledge(knowledge::pages::Page::PublishCase) ssr=SsrMode::Async />
                    <Route path=path!("/cases/:id") view=Page::Knowledge(knowledge::pages::Page::Case) ssr=SsrMode::Async />
                    <Route path=path!("/points/record") view=Page::Points(points::pages::Page::ServiceRecord) ssr=SsrMode::Async />
                    <Route path=path!("/points/leaderboard") view=Page::Points(points::pages::Page::Leaderboard) ssr=SsrMode::Async />
                    <Route path=path!("/points/adjust") view=Page::Points(points::pages::Page::Adjust) ssr=SsrMode::Async />
                    <Route path=path!("/lunch/subsidy") view=Page::Lunch(lunch::pages::Page::Subsidy) ssr=SsrMode::Async />
                    <Route path=path!("/lunch/survey") view=Page::Lunch(lunch::pages::Page::Survey) ssr=SsrMode::Async />
                    <Route path=path!("/lunch/surveys") view=Page::Lunch(lunch::pages::Page::Surveys) ssr=SsrMode::Async />
                    <Route path=path!("/lunch/surveys/:id") view=Page::Lunch(lunch::pages::Page::SurveyResults) ssr=SsrMode::Async />
                    <Route path=path!("/numbers") view=Page::Numbers(numbers::pages::Page::Numbers) ssr=SsrMode::Async />
                    <Route path=path!("/numbers/overview") view=Page::Numbers(numbers::pages::Page::Overview) ssr=SsrMode::Async />
                    <Route path=path!("/admin/open311") view=Page::Numbers(numbers::pages::Page::Open311Keys) ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
