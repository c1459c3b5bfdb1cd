//! The map tab: a list in sync with a map, filters in the URL, and a page per place.
//!
//! Every filter lives in the URL's query, so the server renders the same list a phone
//! without JavaScript sees, links can be shared, and Back works. The filters are an island
//! (`finder.rs`): once hydrated, the search box searches as one types, "near me" asks the
//! browser for a position, and the last filters are remembered. The map itself is drawn by
//! `public/map.js` from the `data-` attributes of the map element, loading Leaflet only when
//! a map is on screen.

use super::finder::{href_with, query_pairs, PlaceFinder, RESULTS_ID};
use super::geo::format_distance;
use super::hours::{format_date, format_interval, weekday, Hours};
use super::kinds::PlaceKind;
use super::{
    get_place_detail, search_places, PlaceDetail, PlaceList, PlaceSummary, MAX_RESULTS, PAGE_SIZE,
};
use crate::accounts::views::use_auth;
use crate::i18n::{t, use_locale, Key, Locale};
use crate::ui::{encode_query_value, use_id_param, Loaded};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

/// `/`: the list of places, searched and filtered by the URL's query. A page of server HTML
/// and one island, the filters ([`PlaceFinder`]), when opened directly; a search there
/// replaces the element [`RESULTS_ID`] with the server's.
#[component]
pub fn MapPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("map");
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let places = Resource::new(
        move || {
            (
                param("kind"),
                param("q"),
                param("open") == "1",
                param("near"),
                param("circle") == "1",
                param("shown").parse().unwrap_or_default(),
            )
        },
        |(kind, q, open, near, circle, shown)| search_places(kind, q, open, near, circle, shown),
    );
    let map_view = move || param("view") == "map";

    view! {
        <section class="space-y-3">
            <h1 class="sr-only">{t(Key::MapTitle)}</h1>
            <PlaceFinder locale=use_locale() query=query_pairs(&query.read_untracked()) />
            <div id=RESULTS_ID class="space-y-3 aria-busy:opacity-60">
                <Loaded resource=places show={move |list| view! { <Results list map_view=map_view() /> }} />
            </div>
        </section>
    }
}

#[component]
fn Results(list: PlaceList, map_view: bool) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let shown = list.places.len();
    let count = locale.places_found(shown, list.matched);
    let circle = list.circle.map(|c| locale.within_circle(c.radius_m));
    let map =
        map_view.then(|| view! { <PlaceMap circle=list.circle tile_url=list.tile_url.clone() /> });
    // "More" is a plain link to the longer list, so it works before (or without) the WASM.
    let more = (shown < list.matched.min(MAX_RESULTS)).then(|| {
        let href = href_with(&query.read_untracked(), &[("shown", Some((shown + PAGE_SIZE).to_string()))]);
        view! {
            <A href=href attr:class="btn-secondary block text-center" attr:data-testid="more-places" scroll=false>
                {t(Key::MorePlaces)}
            </A>
        }
    });
    let items = if list.places.is_empty() {
        view! {
            <div class="card space-y-2 text-center" data-testid="empty">
                <p class="font-semibold">{t(Key::NoPlacesFound)}</p>
                <p class="muted">{t(Key::NoPlacesHint)}</p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <ul class="space-y-2" data-testid="place-list">
                {list.places.into_iter().map(|place| view! { <PlaceItem place /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <p class="muted text-sm" role="status" data-testid="result-count">
            {count}{circle.map(|c| format!(" · {c}"))}
        </p>
        <div class=if map_view { "grid gap-3 md:grid-cols-2" } else { "" }>
            {map}
            <div class="space-y-2">{items}{more}</div>
        </div>
    }
}

#[component]
fn PlaceItem(place: PlaceSummary) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    // Plain links, not `<A>`, and read once: an item is shown for one query only (another
    // query renders other items), and the router follows plain links too. Each `<A>` and
    // each reactive `href` is work for the phone while the page hydrates (Lighthouse's total
    // blocking time on the map list: the README's figures).
    let centre_here = href_with(
        &query.read_untracked(),
        &[
            ("near", Some(place.at.to_param())),
            ("circle", Some("1".into())),
        ],
    );
    view! {
        <li class="card space-y-1" data-place-id=place.id>
            <div class="flex items-start justify-between gap-2">
                <a href=format!("/places/{}", place.id) class="font-semibold text-slate-900 hover:text-red-800 focus-ring">
                    {place.name}
                </a>
                {place.distance_m.map(|d| view! {
                    <span class="shrink-0 text-sm tabular-nums text-slate-700" data-testid="distance">
                        {format_distance(d, locale == Locale::Zh)}
                    </span>
                })}
            </div>
            <div class="flex flex-wrap gap-1">
                {place.kinds.iter().map(|k| view! { <span class=k.badge_class()>{t(k.label())}</span> }).collect_view()}
                <OpenBadge open=place.open_now />
                {place.is_demo.then(|| view! { <span class="badge badge-demo">{t(Key::DemoData)}</span> })}
            </div>
            <p class="text-sm text-slate-700">{place.address}</p>
            {(!place.services.is_empty()).then(|| view! {
                <p class="text-sm text-slate-600">{place.services.iter().take(4).cloned().collect::<Vec<_>>().join(" · ")}</p>
            })}
            <a href=centre_here class="link text-sm">{t(Key::CentreHere)}</a>
        </li>
    }
}

#[component]
fn OpenBadge(open: Option<bool>) -> impl IntoView {
    match open {
        Some(true) => view! { <span class="badge badge-open">{t(Key::OpenNow)}</span> }.into_any(),
        Some(false) => {
            view! { <span class="badge badge-closed">{t(Key::ClosedNow)}</span> }.into_any()
        }
        None => view! { <span class="badge badge-closed">{t(Key::NoHours)}</span> }.into_any(),
    }
}

/// The map: `public/map.js` draws every place matching the list's filters, fetched from the
/// cacheable GeoJSON feed when the map is on screen (the page itself carries no markers).
#[component]
fn PlaceMap(circle: Option<super::Circle>, tile_url: String) -> impl IntoView {
    let query = use_query_map();
    let feed = {
        let query = query.read_untracked();
        let pairs: Vec<String> = [("kind", "kind"), ("q", "q"), ("near", "near")]
            .into_iter()
            .filter_map(|(from, to)| {
                let value = query.get(from).filter(|v| !v.is_empty())?;
                Some(format!("{to}={}", encode_query_value(&value)))
            })
            .chain((query.get("open").as_deref() == Some("1")).then(|| "open_now=true".into()))
            .chain((query.get("circle").as_deref() == Some("1")).then(|| "circle=true".into()))
            .collect();
        format!("/api/places.geojson?{}", pairs.join("&"))
    };
    let circle = circle.map(|c| format!("{},{},{}", c.centre.lat, c.centre.lon, c.radius_m));
    view! {
        <div class="space-y-1">
            <div class="zd-map h-[60vh] min-h-72 rounded-xl ring-1 ring-slate-300 md:sticky md:top-16"
                data-zd-map="" data-geojson=feed data-circle=circle data-tiles=tile_url
                role="region" aria-label=t(Key::MapView)></div>
            <p class="hint">{t(Key::MapUnavailable)}</p>
        </div>
    }
}

const WEEKDAYS: [Key; 7] = [
    Key::WeekdayMon,
    Key::WeekdayTue,
    Key::WeekdayWed,
    Key::WeekdayThu,
    Key::WeekdayFri,
    Key::WeekdaySat,
    Key::WeekdaySun,
];

/// `/places/:id`: everything about one place, complete without JavaScript: a page with no
/// island, which fetches no WASM.
#[component]
pub fn PlaceDetailPage() -> impl IntoView {
    let id = use_id_param();
    let place = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_place_detail(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Loaded resource=place show={|place| view! { <PlaceDetailView place /> }} />
    }
}

#[component]
fn PlaceDetailView(place: PlaceDetail) -> impl IntoView {
    let auth = use_auth();
    let locale = use_locale();
    let centre = href_with(
        &ParamsMap::new(),
        &[
            ("near", Some(place.at.to_param())),
            ("circle", Some("1".into())),
        ],
    );
    let geo_uri = format!(
        "geo:{},{}?q={},{}",
        place.at.lat, place.at.lon, place.at.lat, place.at.lon
    );
    let amap = format!(
        "https://uri.amap.com/marker?position={},{}&name={}&coordinate=wgs84&callnative=1",
        place.at.lon,
        place.at.lat,
        encode_query_value(&place.name)
    );
    let id = place.id;
    let is_admin = Signal::derive(move || {
        auth.user
            .get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.is_admin())
    });
    view! {
        <article class="space-y-3">
            <A href="/" attr:class="link text-sm">{"← "}{t(Key::BackToList)}</A>
            <header class="card space-y-2">
                <h1 class="page-title">{place.name.clone()}</h1>
                <div class="flex flex-wrap gap-1">
                    {place.kinds.iter().map(|k| view! { <span class=k.badge_class()>{t(k.label())}</span> }).collect_view()}
                    <OpenBadge open=place.open_now />
                    {place.is_demo.then(|| view! { <span class="badge badge-demo">{t(Key::DemoData)}</span> })}
                    {place.hidden.then(|| view! { <span class="badge badge-hidden">{t(Key::Hidden)}</span> })}
                </div>
                {(!place.description.is_empty()).then(|| view! { <p class="text-slate-800">{place.description.clone()}</p> })}
                {move || is_admin.get().then(|| view! {
                    <A href=format!("/admin/places/{id}") attr:class="link text-sm">{t(Key::EditPlace)}</A>
                })}
            </header>
            <section class="card space-y-2" aria-labelledby="address-heading">
                <h2 id="address-heading" class="section-title">{t(Key::Address)}</h2>
                <p>{place.address.clone()}</p>
                <div class="flex flex-wrap gap-2">
                    {place.phone.clone().map(|phone| {
                        let tel = format!("tel:{}", phone.replace([' ', '-', '(', ')'], ""));
                        view! { <a class="btn-primary" href=tel>{t(Key::Call)}" "{phone}</a> }
                    })}
                    <a class="btn-secondary" href=geo_uri>{t(Key::OpenInMaps)}</a>
                    <a class="btn-secondary" href=amap rel="noopener" target="_blank">{t(Key::OpenInAmap)}</a>
                    <A href=centre attr:class="btn-secondary">{t(Key::FifteenMinuteCircle)}</A>
                </div>
            </section>
            <HoursTable hours=place.hours.clone() today=place.today locale />
            {place.kinds.contains(&PlaceKind::LunchPoint).then(|| view! {
                <crate::lunch::views::TodayMenu place_id=id />
            })}
            <crate::points::views::VenueActivities place_id=id />
            <crate::knowledge::guides::views::GuidesAt place_id=id />
            {(!place.services.is_empty()).then(|| view! {
                <section class="card space-y-2" aria-labelledby="services-heading">
                    <h2 id="services-heading" class="section-title">{t(Key::Services)}</h2>
                    <ul class="flex flex-wrap gap-2">
                        {place.services.iter().map(|s| view! { <li class="chip">{s.clone()}</li> }).collect_view()}
                    </ul>
                </section>
            })}
            {(!place.offers.is_empty()).then(|| view! {
                <section class="card space-y-2" aria-labelledby="offers-heading">
                    <h2 id="offers-heading" class="section-title">{t(Key::Offers)}</h2>
                    <ul class="list-disc pl-5">
                        {place.offers.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}
                    </ul>
                </section>
            })}
            <RelatedList heading=Key::Members places=place.members.clone() />
            <RelatedList heading=Key::MemberOf places=place.member_of.clone() />
        </article>
    }
}

#[component]
fn RelatedList(heading: Key, places: Vec<super::RelatedPlace>) -> impl IntoView {
    (!places.is_empty()).then(|| {
        view! {
            <section class="card space-y-2">
                <h2 class="section-title">{t(heading)}</h2>
                <ul class="space-y-1">
                    {places.into_iter().map(|p| view! {
                        <li>
                            <A href=format!("/places/{}", p.id) attr:class="link">{p.name}</A>
                            " "
                            {p.kinds.first().map(|k| view! { <span class=k.badge_class()>{t(k.label())}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn HoursTable(hours: Hours, today: i32, locale: Locale) -> impl IntoView {
    let closed = locale.text(Key::Closed);
    // The coming seven days, starting today, so exceptions show where they apply.
    let rows: Vec<_> = (today..today + 7)
        .map(|day| {
            let intervals = hours.intervals_on(day);
            let text = if intervals.is_empty() {
                closed.to_owned()
            } else {
                intervals
                    .iter()
                    .map(|i| format_interval(*i))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let special = hours.exceptions.iter().any(|e| e.day == day);
            (day, text, special)
        })
        .collect();
    (!hours.is_empty()).then(|| {
        view! {
            <section class="card space-y-2" aria-labelledby="hours-heading">
                <h2 id="hours-heading" class="section-title">{t(Key::OpeningHours)}</h2>
                <table class="w-full text-left">
                    <tbody>
                        {rows.into_iter().map(|(day, text, special)| {
                            let is_today = day == today;
                            view! {
                                <tr class=if is_today { "font-semibold text-red-900" } else { "" }>
                                    <th scope="row" class="py-1 pr-4 font-normal">
                                        {t(WEEKDAYS[weekday(day) as usize - 1])}" "
                                        <span class="muted text-sm">{format_date(day)[5..].to_owned()}</span>
                                        {is_today.then(|| view! { " · "{t(Key::Today)} })}
                                    </th>
                                    <td class="py-1 tabular-nums">
                                        {text}
                                        {special.then(|| view! { <span class="badge badge-demo ml-2">{t(Key::SpecialDays)}</span> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
    })
}
