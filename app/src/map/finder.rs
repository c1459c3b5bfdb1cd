//! The map list's filters: the search box, the kinds, "open now", "near me", the 15-minute
//! circle and the list/map switch, all kept in the URL's query.
//!
//! They are one island, [`PlaceFinder`]. The map list is server HTML and this island: the
//! list itself never changes in the browser, so it needs no code. A search brings the
//! server's list for the new query into the page; any other filter is a link that loads its
//! page.

use super::geo::LatLon;
use super::kinds::{PlaceKind, ALL_KINDS};
use crate::i18n::{t, Key, Locale};
use crate::ui::{encode_query_value, Debounce};
#[cfg(feature = "hydrate")]
use leptos::callback::UnsyncCallback;
use leptos::html;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// The query parameters of the list, in a fixed order.
const PARAMS: [&str; 7] = ["kind", "q", "open", "near", "circle", "view", "shown"];

/// The element of the map list that a search replaces with the server's.
pub const RESULTS_ID: &str = "place-results";

/// The query's parameters, for the island's props.
pub fn query_pairs(query: &ParamsMap) -> Vec<(String, String)> {
    PARAMS
        .iter()
        .filter_map(|name| Some(((*name).to_owned(), query.get(name)?)))
        .collect()
}

/// `query` with `changes` applied (`None` removes a parameter).
fn changed(query: &ParamsMap, changes: &[(&str, Option<String>)]) -> ParamsMap {
    let mut next = ParamsMap::new();
    for name in PARAMS {
        let value = match changes.iter().find(|(n, _)| *n == name) {
            Some((_, change)) => change.clone(),
            None => query.get(name),
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            next.insert(name, value);
        }
    }
    next
}

/// The map list's address for `query`.
fn href(query: &ParamsMap) -> String {
    let pairs: Vec<String> = PARAMS
        .iter()
        .filter_map(|name| {
            let value = query.get(name)?;
            Some(format!("{name}={}", encode_query_value(&value)))
        })
        .collect();
    if pairs.is_empty() {
        "/".into()
    } else {
        format!("/?{}", pairs.join("&"))
    }
}

/// `/?…` with `changes` applied to `query`.
pub fn href_with(query: &ParamsMap, changes: &[(&str, Option<String>)]) -> String {
    href(&changed(query, changes))
}

fn selected_kinds(query: &ParamsMap) -> Vec<PlaceKind> {
    query
        .get("kind")
        .unwrap_or_default()
        .split(',')
        .filter_map(PlaceKind::parse)
        .collect()
}

fn toggled_kinds(query: &ParamsMap, kind: PlaceKind) -> String {
    let mut kinds = selected_kinds(query);
    if let Some(i) = kinds.iter().position(|k| *k == kind) {
        kinds.remove(i);
    } else {
        kinds.push(kind);
    }
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The filters in force and how to change them: the query the page was rendered for, a
/// search shown in place ([`crate::hydration::ServerPart`]) and anything else loaded as a
/// new page. Only the browser changes them: on the server there is nothing to call (and a
/// callback kept there would be dropped on another thread than its own).
#[derive(Clone, Copy)]
struct Filters {
    query: Signal<ParamsMap>,
    /// Shows the list for a query: in place of the current entry of the history (typing,
    /// remembered filters) or as a new one.
    #[cfg(feature = "hydrate")]
    show: UnsyncCallback<(ParamsMap, Shown)>,
    /// A message for the reader (a position that could not be had, a search that failed).
    message: RwSignal<Option<Key>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    InPlace,
    AsNewPage,
}

impl Filters {
    fn of_page(pairs: Vec<(String, String)>) -> Filters {
        let mut rendered = ParamsMap::new();
        for (name, value) in pairs {
            rendered.insert(name, value);
        }
        let query = RwSignal::new(rendered);
        let message = RwSignal::new(None);
        Filters {
            query: query.into(),
            #[cfg(feature = "hydrate")]
            show: show_on_the_page(query, message),
            message,
        }
    }

    fn change(self, changes: &[(&str, Option<String>)], shown: Shown) {
        #[cfg(feature = "hydrate")]
        self.show
            .run((changed(&self.query.read_untracked(), changes), shown));
        #[cfg(not(feature = "hydrate"))]
        let _ = (changes, shown);
    }
}

/// How a page of islands shows another query: a search's list brought into the page in place
/// of its own, anything else loaded as a new page.
#[cfg(feature = "hydrate")]
fn show_on_the_page(
    query: RwSignal<ParamsMap>,
    message: RwSignal<Option<Key>>,
) -> UnsyncCallback<(ParamsMap, Shown)> {
    use crate::hydration::ServerPart;
    // Only the last search's answer is shown, whatever order the answers come in.
    let searches = StoredValue::new(0u64);
    UnsyncCallback::new(move |(next, shown): (ParamsMap, Shown)| {
        let to = href(&next);
        if shown == Shown::AsNewPage {
            let _ = window().location().assign(&to);
            return;
        }
        searches.update_value(|n| *n += 1);
        let this_search = searches.get_value();
        ServerPart::mark_busy(RESULTS_ID, true);
        leptos::task::spawn_local(async move {
            let part = ServerPart::fetch(&to, RESULTS_ID).await;
            if searches.get_value() != this_search {
                return;
            }
            ServerPart::mark_busy(RESULTS_ID, false);
            match part {
                Ok(part) => {
                    part.show(&to);
                    message.set(None);
                    query.set(next);
                }
                Err(_) => message.set(Some(Key::ErrorRequestFailed)),
            }
        });
    })
}

/// The filters of the map list. An island sees no context from the page around it, so it is
/// given the reader's language and the query the page was rendered for.
#[cfg_attr(feature = "islands-map", island)]
#[cfg_attr(not(feature = "islands-map"), component)]
pub fn PlaceFinder(locale: Locale, query: Vec<(String, String)>) -> impl IntoView {
    provide_context(locale);
    let filters = Filters::of_page(query);
    let query = filters.query;
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let map_view = move || param("view") == "map";
    let link = move |changes: Vec<(&'static str, Option<String>)>| {
        Signal::derive(move || href_with(&query.read(), &changes))
    };
    remember_filters(filters);

    view! {
        <div class="space-y-3">
            <div class="flex gap-2">
                <SearchBox filters />
                <NearMeButton filters />
            </div>
            <nav class="flex flex-wrap gap-2" aria-label=t(Key::Filters)>
                {ALL_KINDS.into_iter().map(|kind| view! {
                    <ToggleLink
                        href=Signal::derive(move || href_with(&query.read(), &[("kind", Some(toggled_kinds(&query.read(), kind)))]))
                        on=Signal::derive(move || selected_kinds(&query.read()).contains(&kind))
                        label=t(kind.label()) />
                }).collect_view()}
                <ToggleLink
                    href=Signal::derive(move || href_with(&query.read(), &[("open", (param("open") != "1").then(|| "1".into()))]))
                    on=Signal::derive(move || param("open") == "1")
                    label=t(Key::OpenNow) />
                {move || (!param("near").is_empty()).then(|| view! {
                    <ToggleLink
                        href=Signal::derive(move || href_with(&query.read(), &[("circle", (param("circle") != "1").then(|| "1".into()))]))
                        on=Signal::derive(move || param("circle") == "1")
                        label=t(Key::FifteenMinuteCircle) />
                })}
            </nav>
            {move || filters.message.get().map(|key| view! { <p class="banner-error" role="alert">{t(key)}</p> })}
            <div class="flex items-center justify-between gap-2">
                <nav class="flex rounded-lg ring-1 ring-slate-300" aria-label=t(Key::ViewSwitch)>
                    <ToggleLink href=link(vec![("view", None)]) on=Signal::derive(move || !map_view())
                        label=t(Key::ListView) class="view-tab" />
                    <ToggleLink href=link(vec![("view", Some("map".into()))]) on=Signal::derive(map_view)
                        label=t(Key::MapView) class="view-tab" />
                </nav>
                <a href="/" class="link text-sm" on:click=|_| forget_filters()>{t(Key::ClearFilters)}</a>
            </div>
        </div>
    }
}

/// A filter or view switch: a plain link, so that it works without JavaScript (the router
/// follows plain links too), whose state shows in its style and, for screen readers, in its
/// name.
#[component]
fn ToggleLink(
    href: Signal<String>,
    on: Signal<bool>,
    label: &'static str,
    #[prop(default = "chip-toggle")] class: &'static str,
) -> impl IntoView {
    // `try_get`: a link shown only beside another filter (the 15-minute circle) is removed
    // by the same change that disposes its signals, and may be read once more before it goes.
    let on = move || on.try_get().unwrap_or(false);
    view! {
        <a href=move || href.try_get().unwrap_or_default() class=move || if on() { format!("{class} {class}-on") } else { class.to_owned() }>
            {label}
            {move || on().then(|| view! { <span class="sr-only">{t(Key::Selected)}</span> })}
        </a>
    }
}

/// The search box: a plain GET form, whose text is searched for as it is typed (debounced).
#[component]
fn SearchBox(filters: Filters) -> impl IntoView {
    let query = filters.query;
    let keep = move |name: &'static str| move || view! { <input type="hidden" name=name value=query.read().get(name).unwrap_or_default() /> };
    let input = NodeRef::<html::Input>::new();
    let debounce = Debounce::new();
    let typed = move |text: String, shown: Shown| {
        filters.change(&[("q", Some(text)), ("shown", None)], shown)
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        debounce.call(350, move || typed(text, Shown::InPlace));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        debounce.call(0, || ());
        if let Some(input) = input.get_untracked() {
            typed(input.value(), Shown::InPlace);
        }
    };
    view! {
        <form method="GET" action="/" role="search" class="flex min-w-0 flex-1 gap-2" on:submit=on_submit>
            <label for="place-search" class="sr-only">{t(Key::SearchPlaces)}</label>
            <input id="place-search" name="q" type="search" class="input min-w-0 flex-1" enterkeyhint="search"
                placeholder=t(Key::SearchPlaces) prop:value=move || query.read().get("q").unwrap_or_default()
                maxlength=super::MAX_SEARCH_CHARS.to_string() on:input=on_input node_ref=input />
            {keep("kind")}{keep("open")}{keep("near")}{keep("circle")}{keep("view")}
            <button type="submit" class="btn-secondary">{t(Key::Search)}</button>
        </form>
    }
}

/// Asks the browser where we are, then lists what is near, inside the 15-minute circle.
#[component]
fn NearMeButton(filters: Filters) -> impl IntoView {
    let locating = RwSignal::new(false);
    let on_click = move |_| {
        filters.message.set(None);
        locating.set(true);
        locate(
            move |at| {
                locating.set(false);
                filters.change(
                    &[("near", Some(at.to_param())), ("circle", Some("1".into()))],
                    Shown::AsNewPage,
                );
            },
            move |denied| {
                locating.set(false);
                filters.message.set(Some(if denied {
                    Key::LocationDenied
                } else {
                    Key::LocationUnavailable
                }));
            },
        );
    };
    view! {
        <button type="button" class="chip-toggle shrink-0" on:click=on_click aria-busy=move || locating.get().to_string()>
            {move || if locating.get() { t(Key::Locating) } else { t(Key::NearMe) }}
        </button>
    }
}

/// Calls `found` with the browser's position, or `failed(denied)`.
fn locate(found: impl FnOnce(LatLon) + 'static, failed: impl FnOnce(bool) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{closure::Closure, JsCast, JsValue};
        let number = |value: &JsValue, path: [&str; 2]| {
            let inner = js_sys::Reflect::get(value, &path[0].into()).ok()?;
            js_sys::Reflect::get(&inner, &path[1].into()).ok()?.as_f64()
        };
        let Ok(geolocation) = window().navigator().geolocation() else {
            failed(false);
            return;
        };
        let failed = std::rc::Rc::new(std::cell::RefCell::new(Some(failed)));
        let fail = failed.clone();
        let on_position = Closure::once_into_js(move |position: JsValue| {
            match (
                number(&position, ["coords", "latitude"]),
                number(&position, ["coords", "longitude"]),
            ) {
                (Some(lat), Some(lon)) => found(LatLon { lat, lon }),
                _ => {
                    if let Some(f) = fail.borrow_mut().take() {
                        f(false)
                    }
                }
            }
        });
        let on_error = Closure::once_into_js(move |error: JsValue| {
            // GeolocationPositionError.code 1 is PERMISSION_DENIED.
            let denied = js_sys::Reflect::get(&error, &"code".into())
                .ok()
                .and_then(|c| c.as_f64())
                == Some(1.0);
            if let Some(f) = failed.borrow_mut().take() {
                f(denied)
            }
        });
        let _ = geolocation.get_current_position_with_error_callback(
            on_position.unchecked_ref(),
            Some(on_error.unchecked_ref()),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = found;
        failed(false);
    }
}

const STORAGE_KEY: &str = "zd.map.query";

/// Keeps the last filters in local storage and brings them back when the map list opens
/// bare. Not when the bare list was reached from the list itself (a filter turned off, the
/// map tab tapped, filters cleared): on a page of islands each of those loads the page anew.
fn remember_filters(filters: Filters) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        let query = filters.query;
        let bare = href(&query.get_untracked()) == "/";
        if bare && !came_from_the_list() {
            if let Ok(saved) = LocalStorage::get::<String>(STORAGE_KEY) {
                if let Some(saved) = saved.strip_prefix("/?").map(parse_query) {
                    filters.show.run((saved, Shown::InPlace));
                }
            }
        }
        Effect::new(move |_| {
            let href = href(&query.read());
            if href != "/" {
                let _ = LocalStorage::set(STORAGE_KEY, href);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (filters, STORAGE_KEY);
}

/// The list's parameters in a query string (`kind=…&q=…`).
#[cfg(feature = "hydrate")]
fn parse_query(search: &str) -> ParamsMap {
    let mut query = ParamsMap::new();
    if let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) {
        for name in PARAMS {
            if let Some(value) = params.get(name) {
                query.insert(name, value);
            }
        }
    }
    query
}

/// Whether the page before this one was the map list, on this site.
#[cfg(feature = "hydrate")]
fn came_from_the_list() -> bool {
    let referrer = document().referrer();
    let here = window().location().origin().unwrap_or_default();
    web_sys::Url::new(&referrer)
        .map(|url| url.origin() == here && url.pathname() == "/")
        .unwrap_or(false)
}

fn forget_filters() {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        LocalStorage::delete(STORAGE_KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&'static str, &str)]) -> ParamsMap {
        let mut map = ParamsMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.to_string());
        }
        map
    }

    #[test]
    fn links_change_one_parameter_and_keep_the_rest() {
        let q = query(&[("kind", "lunch_point"), ("q", "服务站")]);
        assert_eq!(
            href_with(&q, &[("open", Some("1".into()))]),
            "/?kind=lunch_point&q=%E6%9C%8D%E5%8A%A1%E7%AB%99&open=1"
        );
        assert_eq!(href_with(&q, &[("kind", None), ("q", None)]), "/");
        assert_eq!(toggled_kinds(&q, PlaceKind::LunchPoint), "");
        assert_eq!(
            toggled_kinds(&q, PlaceKind::Building),
            "lunch_point,building"
        );
    }

    #[test]
    fn the_island_is_given_the_lists_parameters_only() {
        let q = query(&[("q", "服务站"), ("utm", "x"), ("kind", "building")]);
        assert_eq!(
            query_pairs(&q),
            vec![
                ("kind".to_owned(), "building".to_owned()),
                ("q".to_owned(), "服务站".to_owned())
            ]
        );
        assert_eq!(
            href_with(&q, &[]),
            "/?kind=building&q=%E6%9C%8D%E5%8A%A1%E7%AB%99"
        );
    }
}
