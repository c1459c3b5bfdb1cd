//! `/lunch/menus?place=…&day=…`: the menu editor of a lunch point (tablet or desk), and
//! `/lunch/subsidy`: the admin's subsidy rule.

use super::*;
use crate::accounts::views::RequireUser;
use crate::error::Field;
use crate::i18n::{t, use_locale, Locale, Text};
use crate::lunch::price::yuan;
use crate::lunch::station::PointChoice;
use crate::lunch::texts::LunchText as T;
use crate::lunch::views::{day_label, DayChips};
use crate::lunch::window::clock;
use crate::ui::{field_message, reloaded, send_form, submitted_form_data, Loaded};
use leptos::server_fn::ServerFn;
use leptos::web_sys::FormData;
use leptos_router::hooks::use_query_map;

/// `/lunch/menus?place=…`: the chosen day's meals, each editable, a new meal, and copying.
/// A page of server HTML and one island, the editor.
#[component]
pub fn MenusPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("lunch-station");
    let locale = use_locale();
    let query = use_query_map();
    let place = move || query.with(|q| q.get("place").and_then(|p| p.parse::<i64>().ok()));
    let day = move || query.with(|q| q.get("day").unwrap_or_default());
    let points = Resource::new(|| (), |_| crate::lunch::my_lunch_points());
    let menu = Resource::new(
        move || (place(), day()),
        |(place, day)| load_menu_day(place, day),
    );
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::MenuEditor)}</h1>
                <Loaded resource=menu show={move |menu: Option<MenuDay>| match menu {
                    Some(menu) => view! { <MenuEditor locale menu /> }.into_any(),
                    None => view! { <PointChoice points path="/lunch/menus" /> }.into_any(),
                }} />
            </section>
        } />
    }
}

/// The day's menu, loaded again after each save, removal or copy. In the station's bundle:
/// the station's staff keep the menus.
#[cfg_attr(feature = "islands-lunch-station", island)]
#[cfg_attr(not(feature = "islands-lunch-station"), component)]
fn MenuEditor(locale: Locale, menu: MenuDay) -> impl IntoView {
    provide_context(locale);
    let place = menu.place_id;
    let shown = crate::map::hours::format_date(menu.day);
    let save = Action::new_local(|data: &FormData| save_meal(data.clone().into()));
    let remove = ServerAction::<DeleteMeal>::new();
    let copy = ServerAction::<CopyMenu>::new();
    let menu = reloaded(
        menu,
        move || save.version().get() + remove.version().get() + copy.version().get(),
        move || {
            let shown = shown.clone();
            async move {
                load_menu_day(Some(place), shown)
                    .await?
                    .ok_or(AppError::NotFound)
            }
        },
    );
    move || view! { <Editor menu=menu.get() save remove copy /> }
}

type SaveAction = Action<FormData, Result<i64, AppError>>;

#[component]
fn Editor(
    menu: MenuDay,
    save: SaveAction,
    remove: ServerAction<DeleteMeal>,
    copy: ServerAction<CopyMenu>,
) -> impl IntoView {
    let locale = use_locale();
    let place = menu.place_id;
    let editable = menu.day >= menu.today;
    let day_text = crate::map::hours::format_date(menu.day);
    let remove_error = crate::ui::action_error(remove);
    let copied = move || copy.value().get().and_then(Result::ok);
    let copy_error = crate::ui::action_error(copy);
    let subsidy = menu.subsidy;
    let meals = menu.meals.clone();
    view! {
        <p class="muted">{menu.name.clone()}" · "{t(T::SubsidyNow)}{format!(" ¥{}", yuan(subsidy.per_meal_fen))}</p>
        <DayChips today=menu.today chosen=menu.day path=format!("/lunch/menus?place={place}") />
        <h2 class="section-title">{day_label(menu.day, menu.today, locale)}</h2>
        {move || remove_error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        {if meals.is_empty() {
            view! { <p class="card muted">{t(T::NoMenus)}</p> }.into_any()
        } else {
            view! {
                <ul class="space-y-2" data-testid="menu-meals">
                    {meals.into_iter().map(|meal| {
                        let id = meal.id;
                        let summary = format!(
                            "{} · ¥{} · {}/{}",
                            meal.draft.name_zh, yuan(meal.draft.list_fen), meal.ordered, meal.draft.portions
                        );
                        view! {
                            <li class="card">
                                <details>
                                    <summary class="cursor-pointer font-medium">{summary}</summary>
                                    {meal.photo_id.map(|photo| view! {
                                        <img src=format!("/photos/{photo}/thumb") alt=meal.draft.name_zh.clone()
                                            class="mt-2 h-32 rounded object-cover" />
                                    })}
                                    {editable.then(|| view! {
                                        <MealForm place day=day_text.clone() meal=Some(meal.clone()) draft=meal.draft.clone() save />
                                        <form method="post" action=DeleteMeal::url() class="mt-2"
                                            on:submit=send_form(remove, move |_| DeleteMeal { place, meal: id })>
                                            <input type="hidden" name="place" value=place.to_string() />
                                            <input type="hidden" name="meal" value=id.to_string() />
                                            <button type="submit" class="btn-secondary">{t(T::RemoveMeal)}</button>
                                        </form>
                                    })}
                                </details>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {editable.then(|| view! {
            <section class="card space-y-2">
                <h2 class="section-title">{t(T::NewMeal)}</h2>
                <MealForm place day=day_text.clone() meal=None draft=MealDraft::blank(menu.delivery) save />
            </section>
        })}
        <section class="card space-y-2">
            <h2 class="section-title">{t(T::CopyMenu)}</h2>
            <form method="post" action=CopyMenu::url() class="flex flex-wrap items-end gap-2"
                on:submit=send_form(copy, move |field| CopyMenu {
                    place,
                    from: field("from"),
                    to: field("to"),
                    week: field("week"),
                })>
                <input type="hidden" name="place" value=place.to_string() />
                <input type="hidden" name="from" value=day_text.clone() />
                <label class="block">
                    <span class="label">{t(T::FieldCopyTo)}</span>
                    <input type="date" name="to" class="input" required
                        value=crate::map::hours::format_date(menu.day + 7) />
                </label>
                <label class="flex items-center gap-1 py-2">
                    <input type="checkbox" name="week" value="on" />
                    <span>{t(T::CopyWholeWeek)}</span>
                </label>
                <button type="submit" class="btn-primary">{t(T::Copy)}</button>
            </form>
            {move || copy_error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
            {move || copied().map(|n| view! {
                <p class="banner-ok" role="status">{match locale {
                    crate::i18n::Locale::Zh => format!("已复制 {n} 个套餐。"),
                    crate::i18n::Locale::En => format!("{n} meals copied."),
                }}</p>
            })}
        </section>
    }
}

/// A meal's form: a new one (`meal` is `None`) or a change to one.
#[component]
fn MealForm(
    place: i64,
    day: String,
    meal: Option<EditableMeal>,
    draft: MealDraft,
    save: SaveAction,
) -> impl IntoView {
    let locale = use_locale();
    let key = meal.as_ref().map_or("new".to_owned(), |m| m.id.to_string());
    let meal_id = meal.as_ref().map(|m| m.id);
    // Only this form's last result: several forms share the page's action.
    let submitted_here = RwSignal::new(false);
    let error = Signal::derive(move || {
        submitted_here
            .get()
            .then(|| save.value().get().and_then(Result::err))
            .flatten()
    });
    let saved = move || submitted_here.get() && matches!(save.value().get(), Some(Ok(_)));
    let input_key = key.clone();
    let input = move |field: LunchField, name: &'static str, value: String, kind: &'static str| {
        let id = format!("meal-{input_key}-{name}");
        let message = field_message(error, Field::Lunch(field));
        view! {
            <div class="space-y-1">
                <label for=id.clone() class="label">{t(field.label())}</label>
                <input id=id.clone() name=name type=kind class="input" value=value
                    inputmode=(kind == "text" && matches!(field, LunchField::ListPrice | LunchField::Discount)).then_some("decimal")
                    aria-invalid=move || message().is_some().then_some("true")
                    aria-describedby=format!("{id}-error") />
                <p id=format!("{id}-error") class="field-error" role="alert">{message}</p>
            </div>
        }
    };
    let checks = |name: &'static str, list: &'static [(&'static str, T)], chosen: &[String]| {
        list.iter()
            .map(|(code, label)| {
                let on = chosen.iter().any(|c| c == code);
                view! {
                    <label class="chip-toggle flex items-center gap-1">
                        <input type="checkbox" name=name value=*code checked=on />
                        {label.text(locale)}
                    </label>
                }
            })
            .collect_view()
    };
    let tag_error = field_message(error, Field::Lunch(LunchField::Tags));
    let photo_error = field_message(error, Field::Lunch(LunchField::Photo));
    let other_error = Signal::derive(move || {
        error.get().filter(|e| {
            !matches!(e.field(), Some(Field::Lunch(_)))
                || matches!(
                    e.field(),
                    Some(Field::Lunch(LunchField::Meal | LunchField::Day))
                )
        })
    });
    let list_price = if draft.list_fen > 0 {
        yuan(draft.list_fen)
    } else {
        String::new()
    };
    view! {
        <form class="mt-2 grid grid-cols-2 gap-2" method="post" action="/api/lunch/save_meal"
            enctype="multipart/form-data" data-testid=format!("meal-form-{key}")
            on:submit=move |ev| {
                if let Some(data) = submitted_form_data(&ev) {
                    submitted_here.set(true);
                    save.dispatch_local(data);
                }
            }>
            <input type="hidden" name="place" value=place.to_string() />
            <input type="hidden" name="day" value=day />
            <input type="hidden" name="meal" value=meal_id.map(|id| id.to_string()).unwrap_or_default() />
            <div class="col-span-2">{input(LunchField::MealName, "name_zh", draft.name_zh.clone(), "text")}</div>
            <div class="col-span-2">{input(LunchField::MealNameEn, "name_en", draft.name_en.clone(), "text")}</div>
            <div class="col-span-2">{input(LunchField::Description, "description", draft.description.clone(), "text")}</div>
            {input(LunchField::ListPrice, "list_price", list_price, "text")}
            {input(LunchField::Discount, "discount", yuan(draft.discount_fen), "text")}
            {input(LunchField::Portions, "portions", draft.portions.to_string(), "number")}
            {input(LunchField::PerPersonLimit, "per_person_limit", draft.per_person_limit.to_string(), "number")}
            {input(LunchField::Cutoff, "cutoff", clock(draft.cutoff), "time")}
            {input(LunchField::PickupFrom, "pickup_from", clock(draft.pickup_from), "time")}
            {input(LunchField::PickupUntil, "pickup_until", clock(draft.pickup_until), "time")}
            <fieldset class="col-span-2">
                <legend class="label">{t(T::FieldTags)}</legend>
                <div class="flex flex-wrap gap-1">{checks("tags", &TAGS, &draft.tags)}</div>
                <p class="field-error" role="alert">{tag_error}</p>
            </fieldset>
            <fieldset class="col-span-2">
                <legend class="label">{t(T::FieldAllergens)}</legend>
                <div class="flex flex-wrap gap-1">{checks("allergens", &ALLERGENS, &draft.allergens)}</div>
            </fieldset>
            <div class="col-span-2 space-y-1">
                <label class="label" for=format!("meal-{key}-photo")>{t(T::FieldPhoto)}</label>
                <input id=format!("meal-{key}-photo") name="photos" type="file"
                    accept="image/jpeg,image/png,image/webp" class="block w-full text-sm" />
                <p class="field-error" role="alert">{photo_error}</p>
            </div>
            <div class="col-span-2 space-y-2">
                {move || other_error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
                {move || saved().then(|| view! { <p class="banner-ok" role="status">{t(T::Saved)}</p> })}
                <button type="submit" class="btn-primary w-full" disabled=move || save.pending().get()>
                    {if meal_id.is_some() { t(T::SaveMeal) } else { t(T::AddMeal) }}
                </button>
            </div>
        </form>
    }
}

/// `/lunch/subsidy`: the subdistrict admin sets the subsidy per meal and the daily cap. A page
/// of server HTML and one island, the form.
#[component]
pub fn SubsidyPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("lunch-admin");
    let locale = use_locale();
    let rule = Resource::new(|| (), |_| load_subsidy_rule());
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::SubsidyRule)}</h1>
                <p class="muted">{t(T::SubsidyRuleHint)}</p>
                <Loaded resource=rule show={move |rule: SubsidyRule| view! { <SubsidyForm locale rule /> }} />
            </section>
        } />
    }
}

#[cfg_attr(feature = "islands-lunch-admin", island)]
#[cfg_attr(not(feature = "islands-lunch-admin"), component)]
fn SubsidyForm(locale: Locale, rule: SubsidyRule) -> impl IntoView {
    provide_context(locale);
    let set = ServerAction::<SetSubsidyRule>::new();
    let error = crate::ui::action_error(set);
    let changed = move || set.value().get().and_then(Result::ok);
    let per_meal = field_message(error, Field::Lunch(LunchField::SubsidyPerMeal));
    let per_day = field_message(error, Field::Lunch(LunchField::SubsidyMealsPerDay));
    view! {
        <form method="post" action=SetSubsidyRule::url() class="card space-y-2"
            on:submit=send_form(set, |field| SetSubsidyRule {
                per_meal: field("per_meal"),
                meals_per_day: field("meals_per_day"),
            })>
            <label class="block">
                <span class="label">{t(T::FieldSubsidyPerMeal)}</span>
                <input name="per_meal" class="input" inputmode="decimal" value=yuan(rule.per_meal_fen)
                    aria-invalid=move || per_meal().is_some().then_some("true") />
                <span class="field-error" role="alert">{per_meal}</span>
            </label>
            <label class="block">
                <span class="label">{t(T::FieldSubsidyMealsPerDay)}</span>
                <input name="meals_per_day" type="number" min="0" max="5" class="input"
                    value=rule.meals_per_day.to_string()
                    aria-invalid=move || per_day().is_some().then_some("true") />
                <span class="field-error" role="alert">{per_day}</span>
            </label>
            <button type="submit" class="btn-primary w-full">{t(T::SaveMeal)}</button>
        </form>
        {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        {move || changed().map(|n| view! {
            <p class="banner-ok" role="status">{match locale {
                Locale::Zh => format!("已保存，{n} 个尚无订单的套餐已按新补贴计价。"),
                Locale::En => format!("Saved; {n} meals without orders now carry the new subsidy."),
            }}</p>
        })}
    }
}
