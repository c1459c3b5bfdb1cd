//! The app shell: header with the language switch, the page, the bottom tab bar; the home
//! page and the 404 page.

use crate::i18n::{t, use_locale, Key};
use crate::lunch::texts::LunchText;
use crate::notifications::{NotificationText, UnreadBadge};
use crate::requests::texts::RequestText;
use crate::ui::{encode_query_value, set_status};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// The header, the page and the tab bar.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a href="#main" class="skip-link">{t(Key::AppName)}</a>
        <header class="sticky top-0 z-10 bg-red-700 text-white shadow">
            <div class="mx-auto flex max-w-3xl items-center justify-between px-4 py-3">
                <A href="/" attr:class="text-lg font-bold tracking-wide focus-ring">{t(Key::AppName)}</A>
                <LanguageSwitch />
            </div>
        </header>
        <main id="main" class="mx-auto max-w-3xl px-4 pb-24 pt-4">{children()}</main>
        <TabBar />
    }
}

/// A plain link to `/lang/…`, so that it works before hydration and without JavaScript: the
/// server sets the cookie and sends the reader back to the same page, rendered anew.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let href = move || {
        let next = format!("{}{}", location.pathname.get(), location.search.get());
        format!(
            "/lang/{}?next={}",
            locale.other().tag(),
            encode_query_value(&next)
        )
    };
    view! {
        <a href=href rel="external" class="rounded border border-white/70 px-3 py-1 text-sm focus-ring"
            lang=locale.other().tag() aria-label=t(Key::SwitchLanguageLabel)>
            {t(Key::SwitchLanguage)}
        </a>
    }
}

/// One tab per capability that exists, plus "me".
#[component]
fn TabBar() -> impl IntoView {
    view! {
        <nav class="fixed inset-x-0 bottom-0 z-10 border-t border-slate-200 bg-white" aria-label=t(Key::MainNavigation)>
            <ul class="mx-auto flex max-w-3xl justify-around">
                <Tab href="/" label=t(Key::TabMap) icon="M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2Zm0 0v14m6-12v14" />
                <Tab href="/lunch" label=t(LunchText::TabLunch) icon="M4 12h16a8 8 0 0 1-16 0ZM9 4v4M12 3v5M15 4v4" />
                <Tab href="/volunteer" label=t(crate::points::texts::PointsText::TabPoints) icon="M12 21s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 11c0 5.5-7 10-7 10Z" />
                <Tab href="/requests" label=t(RequestText::TabRequests) icon="M4 5h16v11H9l-5 4V5ZM8 9h8M8 12h5" />
                <Tab href="/messages" label=t(NotificationText::TabMessages) icon="M6 10a6 6 0 0 1 12 0v4l2 3H4l2-3v-4ZM10 20a2 2 0 0 0 4 0">
                    <UnreadBadge />
                </Tab>
                <Tab href="/me" label=t(Key::TabMe) icon="M8 8a4 4 0 1 0 8 0a4 4 0 1 0-8 0M4 21c1.5-4 4.5-6 8-6s6.5 2 8 6" />
            </ul>
        </nav>
    }
}

/// A tab: an outline icon (one SVG path) over its label, and anything shown beside it.
#[component]
fn Tab(
    href: &'static str,
    label: &'static str,
    icon: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <li class="relative">
            <A href=href exact={href == "/"} attr:class="tab">
                <svg aria-hidden="true" viewBox="0 0 24 24" class="h-6 w-6" fill="none" stroke="currentColor"
                    stroke-width="2" stroke-linejoin="round" stroke-linecap="round">
                    <path d=icon />
                </svg>
                <span>{label}</span>
            </A>
            {children.map(|c| c())}
        </li>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <section class="card space-y-3 text-center">
            <h1 class="page-title">{t(Key::NotFoundTitle)}</h1>
            <p class="muted">{t(Key::NotFoundBody)}</p>
            <A href="/" attr:class="link">{t(Key::BackHome)}</A>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::encode_query_value;

    #[test]
    fn next_paths_are_encoded_for_a_query_string() {
        assert_eq!(
            encode_query_value("/admin/users?q=138&x=1"),
            "/admin/users%3Fq%3D138%26x%3D1"
        );
        assert_eq!(encode_query_value("/地图"), "/%E5%9C%B0%E5%9B%BE");
    }
}
