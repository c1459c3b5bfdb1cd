//! The station and merchant console (`/lunch/station`, tablet first): the day's orders
//! arriving live, what to prepare, and hand-over by pickup code.

use super::price::yuan;
use super::texts::LunchText as T;
use super::views::{day_label, DayChips};
use super::*;
use crate::accounts::views::RequireUser;
use crate::error::AppError;
use crate::i18n::{t, use_locale, Locale};
use crate::live::{use_live, Topic};
use crate::ui::{reloaded, send_form, Loaded};
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// `/lunch/station?place=…`: the console of one lunch point the reader operates (theirs,
/// when they operate only one). A page of server HTML and one island, the console.
#[component]
pub fn StationPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("lunch-station");
    let locale = use_locale();
    let query = use_query_map();
    let chosen = move || query.with(|q| q.get("place").and_then(|p| p.parse::<i64>().ok()));
    let day = move || query.with(|q| q.get("day").unwrap_or_default());
    let points = Resource::new(|| (), |_| my_lunch_points());
    let sheet = Resource::new(
        move || (chosen(), day()),
        |(place, day)| load_station_day(place, day),
    );
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::StationConsole)}</h1>
                <Loaded resource=sheet show={move |day: Option<StationDay>| match day {
                    Some(day) => view! { <Station locale day /> }.into_any(),
                    None => view! { <PointChoice points path="/lunch/station" /> }.into_any(),
                }} />
            </section>
        } />
    }
}

/// The console: the hand-over form, drawn once, and the day's orders below it, loaded again
/// as they change (the point's live topic) and after each hand-over; so live updates never
/// clear a code being typed or close the camera.
#[cfg_attr(feature = "islands-lunch-station", island)]
#[cfg_attr(not(feature = "islands-lunch-station"), component)]
fn Station(locale: Locale, day: StationDay) -> impl IntoView {
    provide_context(locale);
    let place = day.place_id;
    let shown = if day.day == day.today {
        String::new()
    } else {
        crate::map::hours::format_date(day.day)
    };
    let hand = ServerAction::<HandOver>::new();
    let version = use_live(Signal::stored(vec![Topic::LunchPoint(place).to_string()]));
    let sheet = reloaded(
        day,
        move || version.get() as usize + hand.version().get(),
        move || {
            let shown = shown.clone();
            async move {
                load_station_day(Some(place), shown)
                    .await?
                    .ok_or(AppError::NotFound)
            }
        },
    );
    view! {
        <HandOverForm place hand locale />
        {move || view! { <Console day=sheet.get() locale /> }}
    }
}

/// The reader operates several lunch points (or none): which one? Links to `path?place=…`.
#[component]
pub fn PointChoice(
    points: Resource<Result<Vec<(i64, String)>, AppError>>,
    path: &'static str,
) -> impl IntoView {
    view! {
        <Loaded resource=points show={move |points: Vec<(i64, String)>| {
            if points.is_empty() {
                view! { <div class="card"><p class="muted">{t(T::NoPointsToOperate)}</p></div> }.into_any()
            } else {
                view! {
                    <ul class="space-y-2">
                        {points.into_iter().map(|(id, name)| view! {
                            <li><a href=format!("{path}?place={id}") class="card block link">{name}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }} />
    }
}

/// Hand-over by pickup code, typed or scanned from the worker's QR code (`public/scan.js`
/// opens the camera and submits the form with what it read).
#[component]
fn HandOverForm(place: i64, hand: ServerAction<HandOver>, locale: Locale) -> impl IntoView {
    let error = crate::ui::action_error(hand);
    let handed = move || hand.value().get().and_then(Result::ok);
    let code = NodeRef::<leptos::html::Input>::new();
    // Handed over: the field is ready for the next worker's code.
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(input)) = (hand.value().get(), code.get()) {
            input.set_value("");
        }
    });
    view! {
        <form method="post" action=HandOver::url() class="card space-y-2"
            on:submit=send_form(hand, move |field| HandOver { place, code: field("code"), payment: field("payment") })>
            <input type="hidden" name="place" value=place.to_string() />
            <label class="block" for="pickup-code">
                <span class="label">{t(T::FieldPickupCode)}</span>
            </label>
            <div class="flex gap-2">
                <input id="pickup-code" node_ref=code name="code" class="input grow text-3xl tracking-widest" inputmode="numeric"
                    autocomplete="off" maxlength="40" required data-testid="code-input" />
                <button type="button" class="btn-secondary shrink-0" data-zd-scan="pickup-code"
                    aria-controls="scan-panel" aria-expanded="false"
                    data-zd-scan-denied=t(T::CameraDenied) data-zd-scan-unsupported=t(T::CameraUnavailable)>
                    {t(T::ScanQr)}
                </button>
            </div>
            <crate::ui::ScanPanel hint=t(T::ScanHint) camera=t(T::CameraView) close=t(T::CloseCamera) />
            <label class="block">
                <span class="label">{t(T::FieldPayment)}</span>
                <select name="payment" class="input">
                    {PaymentMethod::ALL.into_iter().map(|m| view! {
                        <option value=m.as_str()>{t(m.label())}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn-primary w-full" disabled=move || hand.pending().get()>{t(T::HandOver)}</button>
            {move || error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
            {move || handed().map(|o| view! {
                <p class="banner-ok" role="status" data-testid="handed-over">
                    {t(T::HandedOver)}{format!("{} · {} × {} · {} ¥{}", o.customer, o.meal, o.quantity, t(T::YouPay), yuan(o.split.pay_fen))}
                </p>
            })}
        </form>
    }
}

#[component]
fn Console(day: StationDay, locale: Locale) -> impl IntoView {
    let place = day.place_id;
    view! {
        <DayChips today=day.today chosen=day.day path=format!("/lunch/station?place={place}") />
        <p class="flex flex-wrap gap-3 text-sm">
            <a class="link" href=format!("/lunch/station.csv?place={place}&day={}", crate::map::hours::format_date(day.day)) download>{t(T::DownloadCsv)}</a>
            <a href=format!("/lunch/menus?place={place}&day={}", crate::map::hours::format_date(day.day)) class="link">{t(T::MenuEditor)}</a>
        </p>
        <DayOrders day locale />
    }
}

#[component]
fn DayOrders(day: StationDay, locale: Locale) -> impl IntoView {
    let (no_shows, orders): (Vec<Order>, Vec<Order>) =
        day.orders.into_iter().partition(Order::no_show);
    let waiting = orders
        .iter()
        .filter(|o| o.status == OrderStatus::Ordered)
        .count();
    view! {
        <section class="card space-y-2">
            <h2 class="section-title">{day.name.clone()}" · "{day_label(day.day, day.today, locale)}</h2>
            {if day.meals.is_empty() {
                view! { <p class="muted">{t(T::NoMenus)}</p> }.into_any()
            } else {
                view! {
                    <table class="w-full text-sm">
                        <thead><tr>
                            <th class="text-left">{t(T::FieldMeal)}</th>
                            <th class="text-right">{t(T::ToPrepare)}</th>
                            <th class="text-right">{t(T::StatusPickedUp)}</th>
                        </tr></thead>
                        <tbody>
                            {day.meals.into_iter().map(|(meal, ordered, picked)| view! {
                                <tr><td>{meal}</td><td class="text-right" data-testid="to-prepare">{ordered}</td><td class="text-right">{picked}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card space-y-2" aria-live="polite">
            <h2 class="section-title">{t(T::Orders)}{format!(" ({waiting} {})", t(T::Waiting))}</h2>
            {if orders.is_empty() {
                view! { <p class="muted">{t(T::NoOrdersYetToday)}</p> }.into_any()
            } else {
                view! { <OrderTable orders /> }.into_any()
            }}
        </section>
        {(!no_shows.is_empty()).then(|| view! {
            <section class="card space-y-2">
                <h2 class="section-title">{t(T::NoShows)}</h2>
                <OrderTable orders=no_shows />
            </section>
        })}
    }
}

#[component]
fn OrderTable(orders: Vec<Order>) -> impl IntoView {
    view! {
        <table class="w-full text-sm" data-testid="station-orders">
            <thead><tr>
                <th class="text-left">{t(T::FieldPickupCode)}</th>
                <th class="text-left">{t(T::Customer)}</th>
                <th class="text-left">{t(T::FieldMeal)}</th>
                <th class="text-right">{t(T::YouPay)}</th>
                <th class="text-left">{t(T::Status)}</th>
            </tr></thead>
            <tbody>
                {orders.into_iter().map(|o| {
                    let status = match o.status {
                        OrderStatus::Ordered => t(T::StatusOrdered),
                        OrderStatus::Cancelled => t(T::StatusCancelled),
                        OrderStatus::PickedUp => t(T::StatusPickedUp),
                    };
                    view! {
                        <tr>
                            <td class="font-mono">{o.pickup_code}</td>
                            <td>{o.customer}{o.delivery_building.map(|b| format!(" → {b}"))}</td>
                            <td>{o.meal}" × "{o.quantity}</td>
                            <td class="text-right">"¥"{yuan(o.split.pay_fen)}</td>
                            <td>{status}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `GET /lunch/station.csv?place=…&day=…`: the day's orders of a lunch point, for its staff.
#[cfg(feature = "ssr")]
pub async fn csv(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    headers: http::HeaderMap,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use crate::accounts::roles::{allows, Permission};
    let get = |name: &str| query.get(name).cloned().unwrap_or_default();
    let (place, day) = (get("place"), get("day"));
    crate::csv::download(&state, &headers, |caller, locale| async move {
        let place = place
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::NotFound)?;
        if !allows(&caller.grants, Permission::OperateLunchPoint(place)) {
            return Err(AppError::Forbidden);
        }
        let day = parse_day(&day, caller.state.clock.shanghai_now().day)?;
        let sheet = store::station_day(&caller, place, day, locale).await?;
        let header = [
            locale.text(T::FieldPickupCode),
            locale.text(T::Customer),
            locale.text(T::FieldMeal),
            locale.text(T::FieldQuantity),
            locale.text(T::ListPrice),
            locale.text(T::MerchantDiscount),
            locale.text(T::Subsidy),
            locale.text(T::YouPay),
            locale.text(T::Status),
            locale.text(T::FieldPayment),
            locale.text(T::FieldDeliveryBuilding),
        ];
        let rows = sheet.orders.iter().map(|o| {
            let status = match o.status {
                _ if o.no_show() => T::NoShow,
                OrderStatus::Ordered => T::StatusOrdered,
                OrderStatus::Cancelled => T::StatusCancelled,
                OrderStatus::PickedUp => T::StatusPickedUp,
            };
            vec![
                o.pickup_code.clone(),
                o.customer.clone(),
                o.meal.clone(),
                o.quantity.to_string(),
                yuan(o.split.list_fen),
                yuan(o.split.discount_fen),
                yuan(o.split.subsidy_fen),
                yuan(o.split.pay_fen),
                locale.text(status).to_owned(),
                o.payment
                    .map(|m| locale.text(m.label()).to_owned())
                    .unwrap_or_default(),
                o.delivery_building.clone().unwrap_or_default(),
            ]
        });
        Ok((
            format!(
                "lunch-orders-{place}-{}.csv",
                crate::map::hours::format_date(day)
            ),
            crate::csv::document(&header, rows),
        ))
    })
    .await
}
