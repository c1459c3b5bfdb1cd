//! The HTML document and the route table: which page each address shows. Rendered on the
//! server only; in the browser each page's islands hydrate on their own (`crate::hydration`).

use crate::accounts::admin::AdminUsersPage;
use crate::accounts::views::{provide_auth, ChangePasswordPage, MePage, SignInPage, SignUpPage};
use crate::i18n::{t, Key, Locale};
use crate::knowledge::guides::views::{GuideEditPage, GuidePage, GuidesPage};
use crate::knowledge::views::{CasePage, CasesPage, PublishCasePage, QuestionsPage};
use crate::layout::{Layout, NotFoundPage};
use crate::lunch::menus::views::{MenusPage, SubsidyPage};
use crate::lunch::settlement::SettlementPage;
use crate::lunch::station::StationPage;
use crate::lunch::survey::views::{SurveyPage, SurveyResultsPage, SurveysAdminPage};
use crate::lunch::views::{LunchPage, MyOrdersPage};
use crate::map::admin::{AdminPlacesPage, PlaceEditPage};
use crate::map::views::{MapPage, PlaceDetailPage};
use crate::notifications::MessagesPage;
use crate::numbers::views::{NumbersPage, OverviewPage};
use crate::open311::keys::KeysPage;
use crate::points::partner::{OfferPage, VerifyPage};
use crate::points::views::{
    ActivitiesPage, AdjustPage, CheckInPage, LeaderboardPage, MyPointsPage, NewActivityPage,
    OrganiserCodePage, ServiceRecordPage,
};
use crate::requests::admin::CalendarPage;
use crate::requests::inbox::InboxPage;
use crate::requests::views::{MyRequestsPage, RaiseRequestPage, RequestPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app.
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
                <crate::hydration::DeferredHydrationScripts options />
                <MetaTags />
            </head>
            <body class="bg-slate-50 text-slate-900">
                <App />
            </body>
        </html>
    }
}

/// The language to render in: the request's cookie.
fn initial_locale() -> Locale {
    crate::state::request_locale()
}

/// The app's pages, by their routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(initial_locale());
    provide_auth();

    view! {
        <Title text=t(Key::AppName) />
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=MapPage ssr=SsrMode::Async />
                    <Route path=path!("/places/:id") view=PlaceDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/places") view=AdminPlacesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/places/new") view=PlaceEditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/places/:id") view=PlaceEditPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/sign-up") view=SignUpPage />
                    <Route path=path!("/me") view=MePage ssr=SsrMode::Async />
                    <Route path=path!("/me/password") view=ChangePasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/requests") view=MyRequestsPage ssr=SsrMode::Async />
                    <Route path=path!("/requests/new") view=RaiseRequestPage ssr=SsrMode::Async />
                    <Route path=path!("/requests/:number") view=RequestPage ssr=SsrMode::Async />
                    <Route path=path!("/inbox") view=InboxPage ssr=SsrMode::Async />
                    <Route path=path!("/messages") view=MessagesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/calendar") view=CalendarPage ssr=SsrMode::Async />
                    <Route path=path!("/lunch") view=LunchPage ssr=SsrMode::Async />
                    <Route path=path!("/lunch/orders") view=MyOrdersPage ssr=SsrMode::Async />
                    <Route path=path!("/lunch/station") view=StationPage ssr=SsrMode::Async />
                    <Route path=path!("/lunch/settlement") view=SettlementPage ssr=SsrMode::Async />
                    <Route path=path!("/lunch/menus") view=MenusPage ssr=SsrMode::Async />
                    <Route path=path!("/volunteer") view=ActivitiesPage ssr=SsrMode::Async />
                    <Route path=path!("/volunteer/new") view=NewActivityPage ssr=SsrMode::Async />
                    <Route path=path!("/volunteer/:id/code") view=OrganiserCodePage ssr=SsrMode::Async />
                    <Route path=path!("/v/checkin") view=CheckInPage ssr=SsrMode::Async />
                    <Route path=path!("/points") view=MyPointsPage ssr=SsrMode::Async />
                    <Route path=path!("/points/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/points/offer") view=OfferPage ssr=SsrMode::Async />
                    <Route path=path!("/cases") view=CasesPage ssr=SsrMode::Async />
                    <Route path=path!("/qa") view=QuestionsPage ssr=SsrMode::Async />
                    <Route path=path!("/guides") view=GuidesPage ssr=SsrMode::Async />
                    <Route path=path!("/guides/new") view=GuideEditPage ssr=SsrMode::Async />
                    <Route path=path!("/guides/:id") view=GuidePage ssr=SsrMode::Async />
                    <Route path=path!("/guides/:id/edit") view=GuideEditPage ssr=SsrMode::Async />
                    <Route path=path!("/cases/publish") view=PublishCasePage ssr=SsrMode::Async />
                    <Route path=path!("/cases/:id") view=CasePage ssr=SsrMode::Async />
                    <Route path=path!("/points/record") view=ServiceRecordPage ssr=SsrMode::Async />
                    <Route path=path!("/points/leaderboard") view=LeaderboardPage ssr=SsrMode::Async />
                    <Route path=path!("/points/adjust") view=AdjustPage ssr=SsrMode::Async />
                    <Route path=path!("/lunch/subsidy") view=SubsidyPage ssr=SsrMode::Async />
                    <Route path=path!("/lunch/survey") view=SurveyPage ssr=SsrMode::Async />
                    <Route path=path!("/lunch/surveys") view=SurveysAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/lunch/surveys/:id") view=SurveyResultsPage ssr=SsrMode::Async />
                    <Route path=path!("/numbers") view=NumbersPage ssr=SsrMode::Async />
                    <Route path=path!("/numbers/overview") view=OverviewPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/open311") view=KeysPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
