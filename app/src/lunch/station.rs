//! The station and merchant console (`/lunch/station`, tablet first): the day's orders
//! arriving live, what to prepare, and hand-over by pickup code.

use super::price::yuan;
use super::texts::LunchText as T;
use super::views::{day_label, DayChips};
use super::*;
use crate::accounts::views::RequireUser;
use crate::error::AppError;
use crate::i18n::{t, use_locale, Locale};
use crate::live::use_live;
use crate::ui::Loaded;
use leptos::form::ActionForm;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/lunch/station?place=…`: the console of one lunch point the reader operates (theirs,
/// when they operate only one).
#[component]
pub fn StationPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let chosen = move || query.with(|q| q.get("place").and_then(|p| p.parse::<i64>().ok()));
    let day = move || query.with(|q| q.get("day").unwrap_or_default());
    let topics = RwSignal::new(Vec::<String>::new());
    let version = use_live(topics.into());
    let hand = ServerAction::<HandOver>::new();
    let points = Resource::new(|| (), |_| my_lunch_points());
    let sheet = Resource::new(
        move || (chosen(), day(), version.get(), hand.version().get()),
        |(place, day, _, _)| load_station_day(place, day),
    );
    Effect::new(move |_| {
        if let Some(Ok(Some(day))) = sheet.get() {
            let wanted = vec![format!("lunch:{}", day.place_id)];
            if topics.with_untracked(|t| *t != wanted) {
                topics.set(wanted);
            }
        }
    });
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::StationConsole)}</h1>
                <Loaded resource=sheet show={move |day: Option<StationDay>| match day {
                    Some(day) => view! { <Console day hand locale /> }.into_any(),
                    None => view! { <PointChoice points /> }.into_any(),
                }} />
            </section>
        } />
    }
}

/// The reader operates several lunch points (or none): which one?
#[component]
fn PointChoice(points: Resource<Result<Vec<(i64, String)>, AppError>>) -> impl IntoView {
    view! {
        <Loaded resource=points show={|points: Vec<(i64, String)>| {
            if points.is_empty() {
                view! { <div class="card"><p class="muted">{t(T::NoPointsToOperate)}</p></div> }.into_any()
            } else {
                view! {
                    <ul class="space-y-2">
                        {points.into_iter().map(|(id, name)| view! {
                            <li><A href=format!("/lunch/station?place={id}") attr:class="card block link">{name}</A></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }} />
    }
}

#[component]
fn Console(day: StationDay, hand: ServerAction<HandOver>, locale: Locale) -> impl IntoView {
    let error = crate::ui::action_error(hand);
    let handed = move || hand.value().get().and_then(Result::ok);
    let place = day.place_id;
    view! {
        <ActionForm action=hand attr:class="card space-y-2">
            <input type="hidden" name="place" value=place.to_string() />
            <label class="block">
                <span class="label">{t(T::FieldPickupCode)}</span>
                <input name="code" class="input text-3xl tracking-widest" inputmode="numeric"
                    autocomplete="off" maxlength="40" required data-testid="code-input" />
            </label>
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
        </ActionForm>
        <DayChips today=day.today chosen=day.day path=format!("/lunch/station?place={place}") />
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
