//! The app shell: header with the language switch, the page, the bottom tab bar; the home
//! page and the 404 page.

use crate::accounts::views::use_auth;
use crate::i18n::{t, use_locale, Key};
use crate::ui::set_status;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

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

fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One tab per capability that exists, plus "me".
#[component]
fn TabBar() -> impl IntoView {
    view! {
        <nav class="fixed inset-x-0 bottom-0 z-10 border-t border-slate-200 bg-white" aria-label=t(Key::MainNavigation)>
            <ul class="mx-auto flex max-w-3xl justify-around">
                <li>
                    <A href="/me" attr:class="tab">
                        <span aria-hidden="true" class="text-xl">"👤"</span>
                        <span>{t(Key::TabMe)}</span>
                    </A>
                </li>
            </ul>
        </nav>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <section class="space-y-4">
            <div class="card space-y-2">
                <h1 class="page-title">{t(Key::HomeWelcome)}</h1>
                <p class="muted">{t(Key::AppTagline)}</p>
                <p>{t(Key::HomeIntro)}</p>
            </div>
            <Transition fallback=|| view! { <p class="muted">{t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => view! {
                            <div class="card flex items-center justify-between gap-2">
                                <p>{t(Key::HomeSignedInAs)}<strong>{user.display_name}</strong></p>
                                <A href="/me" attr:class="btn-secondary">{t(Key::GoToMe)}</A>
                            </div>
                        }.into_any(),
                        _ => view! {
                            <div class="grid grid-cols-2 gap-3">
                                <A href="/sign-in" attr:class="btn-primary text-center">{t(Key::SignIn)}</A>
                                <A href="/sign-up" attr:class="btn-secondary text-center">{t(Key::SignUp)}</A>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
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
