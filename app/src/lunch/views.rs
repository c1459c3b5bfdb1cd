//! The worker's side of lunch: the day's menus (`/lunch`) and "我的订单" (`/lunch/orders`).
//! Both are pages of server HTML and one island, the part that changes: the menus with their
//! order forms (bundle `lunch`), the orders with their cancel and rating forms
//! (`lunch-orders`).

use super::price::{yuan, PriceSplit};
use super::texts::LunchText as T;
use super::window::{clock, Phase, Windows};
use super::*;
use crate::accounts::views::RequireUser;
use crate::i18n::{t, use_locale, Locale};
use crate::live::{use_live, Topic};
use crate::ui::{reloaded, send_form, Loaded};
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// A fresh key for one order attempt: the same key is sent again by a double tap or a
/// retry, so the server makes one order of it.
pub fn new_attempt_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        let part = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
        format!("{:08x}-{:08x}-{:08x}", part(), part(), part())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        #[cfg(feature = "ssr")]
        {
            crate::error::new_request_id() + "-" + &crate::error::new_request_id()
        }
        #[cfg(not(feature = "ssr"))]
        {
            String::new()
        }
    }
}

/// "12:30" in Shanghai of a Unix time.
fn shanghai_clock(unix: i64) -> String {
    clock((unix + 8 * 3600).rem_euclid(86_400) / 60)
}

/// A day as the reader says it: 今天, 明天, or 周一 11/30.
pub fn day_label(day: i32, today: i32, locale: Locale) -> String {
    match day - today {
        0 => locale.text(T::Today).into(),
        1 => locale.text(T::Tomorrow).into(),
        _ => {
            let date = crate::map::hours::format_date(day);
            // 1970-01-01 was a Thursday.
            let weekday = (day + 3).rem_euclid(7) as usize;
            let names = match locale {
                Locale::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
                Locale::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            };
            format!(
                "{} {}/{}",
                names[weekday],
                &date[5..7].trim_start_matches('0'),
                &date[8..10]
            )
        }
    }
}

/// Links to this week's days, today first; `path?day=…` shows a day.
#[component]
pub fn DayChips(today: i32, chosen: i32, #[prop(into)] path: String) -> impl IntoView {
    let locale = use_locale();
    let days = (today..today + 7)
        .map(|day| {
            let class = if day == chosen {
                "chip-toggle chip-toggle-on"
            } else {
                "chip-toggle"
            };
            let href = if day == today {
                path.clone()
            } else {
                let join = if path.contains('?') { '&' } else { '?' };
                format!("{path}{join}day={}", crate::map::hours::format_date(day))
            };
            view! {
                <li><a href=href class=class aria-current=(day == chosen).then_some("page")>
                    {day_label(day, today, locale)}
                </a></li>
            }
        })
        .collect_view();
    view! { <nav aria-label=t(T::ChooseDay)><ul class="flex flex-wrap gap-2">{days}</ul></nav> }
}

/// 原价 / 商户让利 / 政府补贴 / 实付, wherever a price appears.
#[component]
pub fn PriceSplitLine(split: PriceSplit) -> impl IntoView {
    let part = |label: T, sign: &str, fen: i32| format!("{} {sign}¥{}", t(label), yuan(fen));
    view! {
        <p class="text-sm text-slate-700" data-testid="price-split">
            <span>{part(T::ListPrice, "", split.list_fen)}</span>
            {(split.discount_fen > 0).then(|| view! {
                <span>" · "{part(T::MerchantDiscount, "−", split.discount_fen)}</span>
            })}
            {(split.subsidy_fen > 0).then(|| view! {
                <span>" · "{part(T::Subsidy, "−", split.subsidy_fen)}</span>
            })}
            " · "<strong class="text-base text-red-700">{part(T::YouPay, "", split.pay_fen)}</strong>
        </p>
    }
}

fn windows_line(windows: Windows) -> String {
    format!(
        "{} {} · {} {}–{}",
        shanghai_clock(windows.cutoff),
        t(T::Cutoff),
        t(T::Pickup),
        shanghai_clock(windows.pickup_from),
        shanghai_clock(windows.pickup_until)
    )
}

/// The order actions of the menus, one per meal, owned by the menus rather than by the meal's
/// card: a live update re-renders the cards (an order's own change of portions does), and
/// the answer to an order must still be shown when the card that sent it is gone. An order
/// placed, the server's redirect takes the worker to their orders, where the code is.
#[derive(Clone)]
struct OrderActions {
    owner: Owner,
    actions: StoredValue<std::collections::HashMap<i64, ServerAction<PlaceOrder>>>,
}

impl OrderActions {
    fn provide() {
        let owner = Owner::current().expect("the menu page has an owner");
        provide_context(OrderActions {
            owner,
            actions: StoredValue::new(Default::default()),
        });
    }

    /// The action ordering `meal`, made on first use.
    fn for_meal(&self, meal: i64) -> ServerAction<PlaceOrder> {
        if let Some(action) = self.actions.with_value(|a| a.get(&meal).copied()) {
            return action;
        }
        let action = self.owner.with(ServerAction::<PlaceOrder>::new);
        self.actions.update_value(|a| {
            a.insert(meal, action);
        });
        action
    }
}

/// `/lunch`: the menus of a day, nearest lunch point first.
#[component]
pub fn LunchPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("lunch");
    let query = use_query_map();
    let day = move || query.with(|q| q.get("day").unwrap_or_default());
    let menus = Resource::new(day, lunch_menus);
    let locale = use_locale();
    view! {
        <section class="space-y-3">
            <div class="flex items-center justify-between gap-2">
                <h1 class="page-title">{t(T::Lunch)}</h1>
                <a href="/lunch/orders" class="btn-secondary text-sm">{t(T::MyOrders)}</a>
            </div>
            <p class="muted text-sm">{t(T::Slogan)}</p>
            <super::survey::views::SurveyInvite />
            <Loaded resource=menus show={move |menus: DayMenus| view! { <Menus locale menus /> }} />
        </section>
    }
}

/// The live topics of the menus shown: every menu change (for a point with no menu yet that
/// day, too), and each point shown.
fn menu_topics(menus: &DayMenus) -> Vec<String> {
    std::iter::once(Topic::LunchMenus.to_string())
        .chain(
            menus
                .points
                .iter()
                .map(|p| Topic::LunchPoint(p.place_id).to_string()),
        )
        .collect()
}

/// The day's menus, loaded again when they change (their live topics: so portions left stay
/// true) and once the reader has named their company.
#[cfg_attr(feature = "islands-lunch", island)]
#[cfg_attr(not(feature = "islands-lunch"), component)]
fn Menus(locale: Locale, menus: DayMenus) -> impl IntoView {
    provide_context(locale);
    OrderActions::provide();
    let company = ServerAction::<SetMyCompany>::new();
    let day = if menus.day == menus.today {
        String::new()
    } else {
        crate::map::hours::format_date(menus.day)
    };
    let topics = RwSignal::new(menu_topics(&menus));
    let version = use_live(topics.into());
    let menus = reloaded(
        menus,
        move || version.get() as usize + company.version().get(),
        move || lunch_menus(day.clone()),
    );
    Effect::new(move |_| {
        let wanted = menus.with(menu_topics);
        if topics.with_untracked(|t| *t != wanted) {
            topics.set(wanted);
        }
    });
    move || view! { <MenuList menus=menus.get() company /> }
}

#[component]
fn MenuList(menus: DayMenus, company: ServerAction<SetMyCompany>) -> impl IntoView {
    let signed_in = menus.signed_in;
    let buildings = menus.buildings.clone();
    let subsidy = match (&menus.company, menus.subsidised) {
        (Some(name), true) => view! {
            <p class="banner-ok" data-testid="subsidy">{t(T::SubsidyYes)}" ("{name.clone()}")"</p>
        }
        .into_any(),
        (Some(name), false) => view! {
            <p class="banner-info" data-testid="subsidy">{name.clone()}" · "{t(T::CompanyWaiting)}</p>
        }
        .into_any(),
        (None, _) => view! {
            <Show when=move || signed_in fallback=|| view! {
                <p class="banner-info">{t(T::SignInToOrder)}" "
                    <a href="/sign-in" class="link">{t(T::SignIn)}</a></p>
            }>
                <CompanyForm action=company buildings=buildings.clone() />
            </Show>
        }
        .into_any(),
    };
    let points = menus.points.clone();
    let buildings = menus.buildings.clone();
    view! {
        <DayChips today=menus.today chosen=menus.day path="/lunch" />
        {subsidy}
        {if points.is_empty() {
            view! { <div class="card text-center"><p class="muted">{t(T::NoMenus)}</p></div> }.into_any()
        } else {
            points.into_iter().map(|point| {
                let buildings = buildings.clone();
                view! { <PointCard point buildings signed_in /> }
            }).collect_view().into_any()
        }}
    }
}

#[component]
fn CompanyForm(action: ServerAction<SetMyCompany>, buildings: Vec<(i64, String)>) -> impl IntoView {
    let locale = use_locale();
    let error = crate::ui::action_error(action);
    view! {
        <form method="post" action=SetMyCompany::url() class="card space-y-2"
            on:submit=send_form(action, |field| SetMyCompany { building: field("building"), company: field("company") })>
            <h2 class="section-title">{t(T::YourCompany)}</h2>
            <p class="muted text-sm">{t(T::YourCompanyHint)}</p>
            <label class="block">
                <span class="label">{t(T::FieldBuilding)}</span>
                <select name="building" class="input" required>
                    <option value="">{t(T::ChooseBuilding)}</option>
                    {buildings.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </label>
            <label class="block">
                <span class="label">{t(T::FieldCompany)}</span>
                <input name="company" class="input" maxlength="60" required autocomplete="organization" />
            </label>
            {move || error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
            <button type="submit" class="btn-primary">{t(T::SaveCompany)}</button>
        </form>
    }
}

#[component]
fn PointCard(point: PointMenu, buildings: Vec<(i64, String)>, signed_in: bool) -> impl IntoView {
    let locale = use_locale();
    let delivery = point.fulfilment == Fulfilment::Delivery;
    let distance = point.distance_m.map(|m| match locale {
        Locale::Zh => format!("距您所在楼宇约 {m} 米"),
        Locale::En => format!("About {m} m from your building"),
    });
    let meals = point
        .meals
        .into_iter()
        .map(|meal| {
            let buildings = if delivery {
                buildings.clone()
            } else {
                Vec::new()
            };
            view! { <MealCard meal buildings signed_in /> }
        })
        .collect_view();
    view! {
        <section class="card space-y-3" aria-labelledby=format!("point-{}", point.place_id)>
            <header>
                <h2 id=format!("point-{}", point.place_id) class="section-title">
                    <a href=format!("/places/{}", point.place_id) class="link">{point.name}</a>
                </h2>
                <p class="muted text-sm">
                    {point.merchant}" · "
                    {if delivery { t(T::Delivery) } else { t(T::PickupAtStation) }}
                    {distance.map(|d| format!(" · {d}"))}
                </p>
            </header>
            <ul class="space-y-3">{meals}</ul>
        </section>
    }
}

#[component]
fn MealCard(meal: Meal, buildings: Vec<(i64, String)>, signed_in: bool) -> impl IntoView {
    let locale = use_locale();
    let action = expect_context::<OrderActions>().for_meal(meal.id);
    let attempt = RwSignal::new(new_attempt_key());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            // A new attempt for the next order.
            attempt.set(new_attempt_key());
        }
    });
    let error = crate::ui::action_error(action);
    let sold_out = meal.portions_left == 0;
    let can_order = meal.phase == Phase::Ordering && !sold_out;
    let most = (meal.per_person_limit - meal.mine)
        .min(meal.portions_left)
        .max(0);
    let left = match (sold_out, locale) {
        (true, _) => t(T::SoldOut).to_owned(),
        (false, Locale::Zh) => format!("剩 {} / {} 份", meal.portions_left, meal.portions),
        (false, Locale::En) => format!("{} of {} left", meal.portions_left, meal.portions),
    };
    let tags = meal
        .tags
        .iter()
        .map(|tag| view! { <span class="chip text-xs">{t(T::tag(tag))}</span> })
        .collect_view();
    let allergens = (!meal.allergens.is_empty()).then(|| {
        let names: Vec<&str> = meal.allergens.iter().map(|a| t(T::allergen(a))).collect();
        view! { <p class="text-xs text-amber-800">{t(T::Contains)}{names.join("、")}</p> }
    });
    let rating = (meal.rating_count > 0).then(|| {
        view! {
            <span class="text-sm text-amber-700">
                {format!("★{:.1}", meal.rating_average.unwrap_or_default())}
                <span class="muted">{format!(" ({})", meal.rating_count)}</span>
            </span>
        }
    });
    let phase_note = match meal.phase {
        Phase::NotOpenYet => Some(t(T::NotOpenYet)),
        Phase::Closed | Phase::Over => Some(t(T::OrdersClosed)),
        Phase::Ordering => None,
    };
    let mine = (meal.mine > 0).then(|| {
        view! {
            <p class="text-sm text-green-800">
                {match locale { Locale::Zh => format!("您已订 {} 份 · ", meal.mine), Locale::En => format!("You ordered {} · ", meal.mine) }}
                <a href="/lunch/orders" class="link">{t(T::MyOrders)}</a>
            </p>
        }
    });
    let meal_id = meal.id;
    let delivery = !buildings.is_empty();
    let buildings = StoredValue::new(buildings);
    view! {
        <li class="rounded-lg border border-slate-200 p-3 space-y-1" data-testid="meal">
            {meal.photo_id.map(|id| view! {
                <img src=format!("/photos/{id}/thumb") alt=meal.name.clone() loading="lazy"
                    width="320" height="180" class="h-36 w-full rounded object-cover" />
            })}
            <div class="flex items-start justify-between gap-2">
                <h3 class="font-semibold">{meal.name.clone()}</h3>
                <span class=if sold_out { "badge badge-closed" } else { "badge badge-open" } data-testid="portions-left" aria-live="polite">{left}</span>
            </div>
            <div class="flex flex-wrap items-center gap-1">{tags}{rating}</div>
            {(!meal.description.is_empty()).then(|| view! { <p class="text-sm text-slate-700">{meal.description.clone()}</p> })}
            {allergens}
            <PriceSplitLine split=meal.split />
            <p class="muted text-xs">{windows_line(meal.windows)}</p>
            {mine}
            {phase_note.map(|note| view! { <p class="text-sm text-slate-600">{note}</p> })}
            <Show when={move || can_order && most > 0 && signed_in}>
                <form method="post" action=PlaceOrder::url() class="flex flex-wrap items-end gap-2"
                    on:submit=send_form(action, move |field| PlaceOrder {
                        meal: meal_id.to_string(),
                        quantity: field("quantity"),
                        attempt: attempt.get_untracked(),
                        delivery_building: field("delivery_building"),
                    })>
                    <input type="hidden" name="meal" value=meal_id.to_string() />
                    <input type="hidden" name="attempt" prop:value=move || attempt.get() />
                    <label class="block">
                        <span class="label">{t(T::FieldQuantity)}</span>
                        <select name="quantity" class="input w-20">
                            {(1..=most).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                        </select>
                    </label>
                    {delivery.then(|| view! {
                        <label class="block grow">
                            <span class="label">{t(T::FieldDeliveryBuilding)}</span>
                            <select name="delivery_building" class="input" required>
                                <option value="">{t(T::ChooseBuilding)}</option>
                                {buildings.get_value().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                            </select>
                        </label>
                    })}
                    <button type="submit" class="btn-primary" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { t(T::Ordering) } else { t(T::Order) }}
                    </button>
                </form>
            </Show>
            {move || error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        </li>
    }
}

/// `/lunch/orders`: today's codes on top, the history below.
#[component]
pub fn MyOrdersPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("lunch-orders");
    let orders = Resource::new(|| (), |_| my_orders());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |user| view! {
            <section class="space-y-3">
                <div class="flex items-center justify-between gap-2">
                    <h1 class="page-title">{t(T::MyOrders)}</h1>
                    <a href="/lunch" class="btn-secondary text-sm">{t(T::OrderLunch)}</a>
                </div>
                <Loaded resource=orders show={move |orders: Vec<Order>| view! {
                    <MyOrders locale user_id=user.id orders />
                }} />
            </section>
        } />
    }
}

/// The orders, loaded again after a cancel or a rating, and when an order moves on (picked
/// up at the station: the reader's own topic).
#[cfg_attr(feature = "islands-lunch-orders", island)]
#[cfg_attr(not(feature = "islands-lunch-orders"), component)]
fn MyOrders(locale: Locale, user_id: i64, orders: Vec<Order>) -> impl IntoView {
    provide_context(locale);
    let version = use_live(Signal::stored(vec![Topic::User(user_id).to_string()]));
    let cancel = ServerAction::<CancelOrder>::new();
    let rate = ServerAction::<RateOrder>::new();
    let orders = reloaded(
        orders,
        move || version.get() as usize + cancel.version().get() + rate.version().get(),
        my_orders,
    );
    move || view! { <OrderList orders=orders.get() cancel rate /> }
}

#[component]
fn OrderList(
    orders: Vec<Order>,
    cancel: ServerAction<CancelOrder>,
    rate: ServerAction<RateOrder>,
) -> impl IntoView {
    let locale = use_locale();
    let cancel_error = crate::ui::action_error(cancel);
    if orders.is_empty() {
        return view! {
            <div class="card text-center space-y-2">
                <p class="muted">{t(T::NoOrdersYet)}</p>
                <a href="/lunch" class="btn-primary">{t(T::OrderLunch)}</a>
            </div>
        }
        .into_any();
    }
    let (current, past): (Vec<Order>, Vec<Order>) = orders
        .into_iter()
        .partition(|o| o.status == OrderStatus::Ordered && o.phase != Phase::Over);
    view! {
        {move || cancel_error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        {current.into_iter().map(|order| view! { <CodeCard order cancel /> }).collect_view()}
        {(!past.is_empty()).then(|| view! {
            <h2 class="section-title">{t(T::History)}</h2>
            <ul class="space-y-2">
                {past.into_iter().map(|order| view! { <PastOrder order rate /> }).collect_view()}
            </ul>
        })}
    }
    .into_any()
}

/// An order still to be picked up: the code, big, and its QR code for the station's camera.
#[component]
fn CodeCard(order: Order, cancel: ServerAction<CancelOrder>) -> impl IntoView {
    let locale = use_locale();
    let qr = format!("/lunch/orders/{}/qr.svg", order.id);
    let may_cancel = order.phase == Phase::Ordering;
    let order_id = order.id;
    view! {
        <article class="card space-y-2 text-center" data-testid="pickup-card">
            <p class="muted text-sm">{order.lunch_point.clone()}" · "{crate::map::hours::format_date(order.day)}</p>
            <h2 class="font-semibold">{order.meal.clone()}" × "{order.quantity}</h2>
            <p class="muted text-sm">{t(T::PickupCode)}</p>
            <p class="text-5xl font-bold tracking-widest text-red-700" data-testid="pickup-code">{order.pickup_code.clone()}</p>
            <img src=qr alt=t(T::QrAlt) width="160" height="160" class="mx-auto" />
            <PriceSplitLine split=order.split />
            {(order.split.subsidy_fen > 0).then(|| view! {
                <p class="text-sm text-green-800" data-testid="saved">
                    {match locale {
                        Locale::Zh => format!("政府补贴为您省了 ¥{}", yuan(order.split.subsidy_fen)),
                        Locale::En => format!("The subsidy saved you ¥{}", yuan(order.split.subsidy_fen)),
                    }}
                </p>
            })}
            <p class="muted text-xs">{windows_line(order.windows)}</p>
            {order.delivery_building.clone().map(|b| view! { <p class="text-sm">{t(T::DeliverTo)}{b}</p> })}
            {may_cancel.then(|| view! {
                <form method="post" action=CancelOrder::url()
                    on:submit=send_form(cancel, move |_| CancelOrder { order: order_id })>
                    <input type="hidden" name="order" value=order_id.to_string() />
                    <button type="submit" class="btn-secondary text-sm">{t(T::CancelOrder)}</button>
                </form>
            })}
        </article>
    }
}

#[component]
fn PastOrder(order: Order, rate: ServerAction<RateOrder>) -> impl IntoView {
    let status = if order.no_show() {
        t(T::NoShow)
    } else {
        match order.status {
            OrderStatus::Ordered => t(T::StatusOrdered),
            OrderStatus::Cancelled => t(T::StatusCancelled),
            OrderStatus::PickedUp => t(T::StatusPickedUp),
        }
    };
    let can_rate = order.status == OrderStatus::PickedUp && order.rating.is_none();
    let order_id = order.id;
    view! {
        <li class="card space-y-1">
            <div class="flex justify-between gap-2">
                <span class="font-medium">{order.meal.clone()}" × "{order.quantity}</span>
                <span class="badge">{status}</span>
            </div>
            <p class="muted text-xs">{crate::map::hours::format_date(order.day)}" · "{order.lunch_point.clone()}" · "{t(T::YouPay)}" ¥"{yuan(order.split.pay_fen)}</p>
            {order.rating.map(|r| view! { <p class="text-sm text-amber-700">{"★".repeat(r as usize)}</p> })}
            {can_rate.then(|| view! {
                <form method="post" action=RateOrder::url() class="flex flex-wrap items-end gap-2"
                    on:submit=send_form(rate, move |field| RateOrder {
                        order: order_id,
                        rating: field("rating"),
                        comment: field("comment"),
                    })>
                    <input type="hidden" name="order" value=order_id.to_string() />
                    <label class="block">
                        <span class="label">{t(T::FieldRating)}</span>
                        <select name="rating" class="input w-20">
                            {(1..=5).rev().map(|n| view! { <option value=n.to_string()>{"★".repeat(n)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="block grow">
                        <span class="label">{t(T::FieldComment)}</span>
                        <input name="comment" class="input" maxlength="300" />
                    </label>
                    <button type="submit" class="btn-secondary">{t(T::Rate)}</button>
                </form>
            })}
        </li>
    }
}

/// Today's menu of one lunch point, for its page on the map.
#[component]
pub fn TodayMenu(place_id: i64) -> impl IntoView {
    let menu = Resource::new(
        || (),
        move |_| async move {
            lunch_menus(String::new())
                .await
                .map(|menus| menus.points.into_iter().find(|p| p.place_id == place_id))
        },
    );
    view! {
        <section class="card space-y-2" aria-labelledby="menu-heading">
            <h2 id="menu-heading" class="section-title">{t(T::TodaysMenu)}</h2>
            <Loaded resource=menu show={|point: Option<PointMenu>| match point {
                None => view! { <p class="muted">{t(T::NoMenuToday)}</p> }.into_any(),
                Some(point) => view! {
                    <ul class="space-y-2">
                        {point.meals.into_iter().map(|meal| view! {
                            <li>
                                <span class="font-medium">{meal.name}</span>
                                <PriceSplitLine split=meal.split />
                            </li>
                        }).collect_view()}
                    </ul>
                    <a href="/lunch" class="btn-primary">{t(T::OrderLunch)}</a>
                }.into_any(),
            }} />
        </section>
    }
}
