//! Menu management for the people who run a lunch point (station staff, the merchant, the
//! subdistrict admin): a day's set meals with photo, tags, allergens, price, portions and
//! windows; copying a day or a week; and the subsidy rule the admin sets.
//!
//! The form is parsed here into a [`MealDraft`] (pure, unit-tested); SQL is in
//! `menus/store.rs`, the page in `menus/views.rs`.

#[cfg(feature = "ssr")]
pub mod store;
pub mod views;

use super::price::SubsidyRule;
use super::texts::LunchText;
use super::window::parse_clock;
use super::{invalid, invalid_because, LunchField, LunchProblem};
use crate::error::{AppError, Problem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The tags a meal may carry, with their labels.
pub const TAGS: [(&str, LunchText); 4] = [
    ("spicy", LunchText::TagSpicy),
    ("vegetarian", LunchText::TagVegetarian),
    ("halal", LunchText::TagHalal),
    ("low_fat", LunchText::TagLowFat),
];

/// The allergens a meal may name, with their labels.
pub const ALLERGENS: [(&str, LunchText); 9] = [
    ("gluten", LunchText::AllergenGluten),
    ("peanut", LunchText::AllergenPeanut),
    ("nuts", LunchText::AllergenNuts),
    ("milk", LunchText::AllergenMilk),
    ("egg", LunchText::AllergenEgg),
    ("fish", LunchText::AllergenFish),
    ("shellfish", LunchText::AllergenShellfish),
    ("soy", LunchText::AllergenSoy),
    ("sesame", LunchText::AllergenSesame),
];

/// Ordering opens at midnight this many days before the meal's day.
pub const ORDERS_OPEN_DAYS_AHEAD: i32 = 6;
/// The highest list price a meal may have, in fen (¥1,000).
pub const MAX_PRICE_FEN: i32 = 100_000;

/// A meal as its form describes it, checked: names, tags and allergens from the lists,
/// prices in fen with the discount within the price, and windows in order (cutoff ≤
/// pickup start < pickup end), as minutes after midnight in Shanghai.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MealDraft {
    pub name_zh: String,
    pub name_en: String,
    pub description: String,
    pub tags: Vec<String>,
    pub allergens: Vec<String>,
    pub list_fen: i32,
    pub discount_fen: i32,
    pub portions: i32,
    pub per_person_limit: i32,
    pub cutoff: i64,
    pub pickup_from: i64,
    pub pickup_until: i64,
}

/// A meal as the editor shows it, with how many portions are already ordered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditableMeal {
    pub id: i64,
    pub draft: MealDraft,
    pub subsidy_fen: i32,
    pub ordered: i32,
    pub photo_id: Option<i64>,
}

/// One lunch point's menu of one day, for its editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MenuDay {
    pub place_id: i64,
    pub name: String,
    pub delivery: bool,
    pub day: i32,
    pub today: i32,
    pub subsidy: SubsidyRule,
    pub meals: Vec<EditableMeal>,
}

/// Yuan as typed ("25", "25.5", "¥25.50") in fen.
pub fn parse_yuan(text: &str) -> Option<i32> {
    let text = text.trim().trim_start_matches(['¥', '￥']).trim();
    let (whole, cents) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || whole.len() > 6 || cents.len() > 2 {
        return None;
    }
    if !whole
        .bytes()
        .chain(cents.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i32 = whole.parse().ok()?;
    let cents: i32 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i32>().ok()? * 10,
        _ => cents.parse().ok()?,
    };
    Some(whole * 100 + cents)
}

/// A whole number in `min..=max` for `field`.
pub fn parse_count(field: LunchField, text: &str, min: i32, max: i32) -> Result<i32, AppError> {
    match text.trim() {
        "" => Err(invalid(field, Problem::Required)),
        t => t
            .parse::<i32>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| invalid_because(field, LunchProblem::NumberRange { min, max })),
    }
}

fn parse_name(
    field: LunchField,
    text: &str,
    required: bool,
    max: usize,
) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() && required {
        return Err(invalid(field, Problem::Required));
    }
    if text.chars().count() > max {
        return Err(invalid(field, Problem::TooLong { max }));
    }
    if text.chars().any(char::is_control) {
        return Err(invalid(field, Problem::InvalidCharacters));
    }
    Ok(text.to_owned())
}

fn parse_time(field: LunchField, text: &str) -> Result<i64, AppError> {
    parse_clock(text).ok_or_else(|| invalid_because(field, LunchProblem::ClockFormat))
}

/// Only known values, each once, in the list's order.
fn parse_choices(
    field: LunchField,
    chosen: &[&str],
    known: &[(&str, LunchText)],
) -> Result<Vec<String>, AppError> {
    crate::error::known_choices(chosen, known)
        .ok_or_else(|| invalid_because(field, LunchProblem::UnknownChoice))
}

impl MealDraft {
    /// Reads a meal form: `text` gives a field's value, `all` every value of a checkbox
    /// group.
    pub fn parse<'a>(
        text: impl Fn(&str) -> &'a str,
        all: impl Fn(&str) -> Vec<&'a str>,
    ) -> Result<MealDraft, AppError> {
        let name_zh = parse_name(LunchField::MealName, text("name_zh"), true, 40)?;
        let name_en = parse_name(LunchField::MealNameEn, text("name_en"), false, 80)?;
        let description = parse_name(LunchField::Description, text("description"), false, 300)?;
        let tags = parse_choices(LunchField::Tags, &all("tags"), &TAGS)?;
        let allergens = parse_choices(LunchField::Allergens, &all("allergens"), &ALLERGENS)?;
        let list_fen = match text("list_price").trim() {
            "" => return Err(invalid(LunchField::ListPrice, Problem::Required)),
            t => parse_yuan(t)
                .filter(|fen| (1..=MAX_PRICE_FEN).contains(fen))
                .ok_or_else(|| invalid_because(LunchField::ListPrice, LunchProblem::PriceFormat))?,
        };
        let discount_fen = match text("discount").trim() {
            "" => 0,
            t => parse_yuan(t)
                .ok_or_else(|| invalid_because(LunchField::Discount, LunchProblem::PriceFormat))?,
        };
        if discount_fen > list_fen {
            return Err(invalid_because(
                LunchField::Discount,
                LunchProblem::DiscountOverPrice,
            ));
        }
        let portions = parse_count(LunchField::Portions, text("portions"), 0, 10_000)?;
        let per_person_limit =
            parse_count(LunchField::PerPersonLimit, text("per_person_limit"), 1, 10)?;
        let cutoff = parse_time(LunchField::Cutoff, text("cutoff"))?;
        let pickup_from = parse_time(LunchField::PickupFrom, text("pickup_from"))?;
        let pickup_until = parse_time(LunchField::PickupUntil, text("pickup_until"))?;
        if pickup_from < cutoff {
            return Err(invalid_because(
                LunchField::PickupFrom,
                LunchProblem::PickupBeforeCutoff,
            ));
        }
        if pickup_until <= pickup_from {
            return Err(invalid_because(
                LunchField::PickupUntil,
                LunchProblem::PickupEndsBeforeStart,
            ));
        }
        Ok(MealDraft {
            name_zh,
            name_en,
            description,
            tags,
            allergens,
            list_fen,
            discount_fen,
            portions,
            per_person_limit,
            cutoff,
            pickup_from,
            pickup_until,
        })
    }

    /// A new meal's form: the usual windows of a pickup point or of a delivery.
    pub fn blank(delivery: bool) -> MealDraft {
        MealDraft {
            name_zh: String::new(),
            name_en: String::new(),
            description: String::new(),
            tags: Vec::new(),
            allergens: Vec::new(),
            list_fen: 0,
            discount_fen: 0,
            portions: 50,
            per_person_limit: 2,
            cutoff: if delivery { 10 * 60 } else { 10 * 60 + 30 },
            pickup_from: 11 * 60 + 30,
            pickup_until: if delivery { 12 * 60 + 30 } else { 13 * 60 + 30 },
        }
    }
}

/// The Monday of the week that holds `day` (day 0, 1970-01-01, was a Thursday).
pub fn monday_of(day: i32) -> i32 {
    day - (day + 3).rem_euclid(7)
}

/// What copying asks for: the source days and how far to move them.
pub fn copy_plan(from: i32, to: i32, whole_week: bool) -> (std::ops::RangeInclusive<i32>, i32) {
    if whole_week {
        let (from, to) = (monday_of(from), monday_of(to));
        (from..=from + 6, to - from)
    } else {
        (from..=from, to - from)
    }
}

#[cfg(feature = "ssr")]
fn parse_place(text: &str) -> Result<i64, AppError> {
    text.trim().parse::<i64>().map_err(|_| AppError::NotFound)
}

/// A day's menu of a lunch point the reader operates: `place`, or, without it, the one
/// point they operate (`None` when they operate several or none).
#[server(endpoint = "lunch/menu_day", output = crate::codec::Json)]
pub async fn load_menu_day(place: Option<i64>, day: String) -> Result<Option<MenuDay>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let Some(place) = super::store::operated_point(&caller, place).await? else {
        return Ok(None);
    };
    let day = super::parse_day(&day, caller.state.clock.shanghai_now().day)?;
    store::menu_day(&caller, place, day).await.map(Some)
}

/// Creates a meal (no `meal` field) or changes one, with an optional photo.
#[server(endpoint = "lunch/save_meal", input = leptos::server_fn::codec::MultipartFormData, output = crate::codec::Json)]
pub async fn save_meal(data: leptos::server_fn::codec::MultipartData) -> Result<i64, AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require_user().await?;
    let form =
        crate::uploads::read_form(data, crate::error::Field::Lunch(LunchField::Photo)).await?;
    let place = parse_place(form.text("place"))?;
    if !crate::accounts::roles::allows(&caller.grants, Permission::OperateLunchPoint(place)) {
        return Err(AppError::Forbidden);
    }
    let today = caller.state.clock.shanghai_now().day;
    let day = super::parse_day(form.text("day"), today)?;
    if day < today {
        return Err(invalid_because(LunchField::Day, LunchProblem::DayInPast));
    }
    let draft = MealDraft::parse(|name| form.text(name), |name| form.all(name))?;
    let meal = match form.text("meal").trim() {
        "" => None,
        t => Some(
            t.parse::<i64>()
                .map_err(|_| invalid_because(LunchField::Meal, LunchProblem::UnknownMeal))?,
        ),
    };
    if form.files.len() > 1 {
        return Err(invalid(LunchField::Photo, Problem::TooManyFiles { max: 1 }));
    }
    let photo =
        crate::uploads::process_photos(form.files, crate::error::Field::Lunch(LunchField::Photo))
            .await?
            .pop();
    store::save_meal(&caller, place, day, meal, &draft, photo).await
}

/// Takes a meal off the menu, if nobody has ordered it.
#[server(endpoint = "lunch/delete_meal", output = crate::codec::Json)]
pub async fn delete_meal(place: i64, meal: i64) -> Result<(), AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::OperateLunchPoint(place)).await?;
    store::delete_meal(&caller, place, meal).await
}

/// Copies the day (or its whole week, Monday to Sunday) to `to` (or that day's week),
/// skipping meals already there by name. Returns how many meals were added.
#[server(endpoint = "lunch/copy_menu", output = crate::codec::Json)]
pub async fn copy_menu(
    place: i64,
    from: String,
    to: String,
    #[server(default)] week: String,
) -> Result<i64, AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::OperateLunchPoint(place)).await?;
    let today = caller.state.clock.shanghai_now().day;
    let from = super::parse_day(&from, today)?;
    let to = match to.trim() {
        "" => return Err(invalid(LunchField::CopyTo, Problem::Required)),
        t => crate::map::hours::parse_date(t)
            .ok_or_else(|| invalid_because(LunchField::CopyTo, LunchProblem::DayFormat))?,
    };
    let (days, shift) = copy_plan(from, to, !week.is_empty());
    if shift == 0 {
        return Err(invalid_because(LunchField::CopyTo, LunchProblem::SameDay));
    }
    if days.start() + shift < today {
        return Err(invalid_because(LunchField::CopyTo, LunchProblem::DayInPast));
    }
    store::copy_menu(&caller, place, days, shift).await
}

#[server(endpoint = "lunch/subsidy_rule", output = crate::codec::Json)]
pub async fn load_subsidy_rule() -> Result<SubsidyRule, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::subsidy_rule(&caller.state.pool).await
}

/// The admin sets the subsidy; meals from today on that nobody has ordered yet take the new
/// amount (ordered meals keep the price they were ordered at).
#[server(endpoint = "lunch/set_subsidy_rule", output = crate::codec::Json)]
pub async fn set_subsidy_rule(per_meal: String, meals_per_day: String) -> Result<i64, AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::ManageRoles).await?;
    let per_meal_fen = parse_yuan(&per_meal)
        .filter(|fen| (0..=10_000).contains(fen))
        .ok_or_else(|| invalid_because(LunchField::SubsidyPerMeal, LunchProblem::PriceFormat))?;
    let meals_per_day = parse_count(LunchField::SubsidyMealsPerDay, &meals_per_day, 0, 5)?;
    store::set_subsidy_rule(
        &caller,
        SubsidyRule {
            per_meal_fen,
            meals_per_day,
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Field;

    fn form(fields: &[(&'static str, &'static str)]) -> Result<MealDraft, AppError> {
        let fields = fields.to_vec();
        let defaults = [
            ("name_zh", "红烧肉套餐"),
            ("list_price", "30"),
            ("discount", "4"),
            ("portions", "50"),
            ("per_person_limit", "2"),
            ("cutoff", "10:30"),
            ("pickup_from", "11:30"),
            ("pickup_until", "13:30"),
        ];
        let value = |name: &str| -> &'static str {
            fields
                .iter()
                .chain(defaults.iter())
                .find(|(n, _)| *n == name)
                .map_or("", |(_, v)| *v)
        };
        let all = |name: &str| -> Vec<&'static str> {
            fields
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .collect()
        };
        MealDraft::parse(value, all)
    }

    fn field_of(result: Result<MealDraft, AppError>) -> Option<Field> {
        result.err().and_then(|e| e.field())
    }

    #[test]
    fn yuan_parse_to_fen() {
        assert_eq!(parse_yuan("25"), Some(2500));
        assert_eq!(parse_yuan("25.5"), Some(2550));
        assert_eq!(parse_yuan(" ¥25.05 "), Some(2505));
        assert_eq!(parse_yuan("0"), Some(0));
        for bad in ["", "-1", "25.505", "2,5", "abc", ".5", "1e3", "9999999"] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_good_form_parses_with_tags_in_list_order() {
        let draft = form(&[("tags", "low_fat"), ("tags", "spicy"), ("allergens", "soy")]).unwrap();
        assert_eq!(draft.list_fen, 3000);
        assert_eq!(draft.discount_fen, 400);
        assert_eq!(draft.tags, ["spicy", "low_fat"]);
        assert_eq!(draft.allergens, ["soy"]);
        assert_eq!((draft.cutoff, draft.pickup_from), (630, 690));
    }

    #[test]
    fn each_bad_field_is_named() {
        let lunch = |f| Some(Field::Lunch(f));
        assert_eq!(
            field_of(form(&[("name_zh", " ")])),
            lunch(LunchField::MealName)
        );
        assert_eq!(
            field_of(form(&[("list_price", "0")])),
            lunch(LunchField::ListPrice)
        );
        assert_eq!(
            field_of(form(&[("list_price", "1001")])),
            lunch(LunchField::ListPrice)
        );
        assert_eq!(
            field_of(form(&[("discount", "31")])),
            lunch(LunchField::Discount)
        );
        assert_eq!(
            field_of(form(&[("portions", "-1")])),
            lunch(LunchField::Portions)
        );
        assert_eq!(
            field_of(form(&[("per_person_limit", "0")])),
            lunch(LunchField::PerPersonLimit)
        );
        assert_eq!(
            field_of(form(&[("cutoff", "25:00")])),
            lunch(LunchField::Cutoff)
        );
        assert_eq!(
            field_of(form(&[("pickup_from", "10:00")])),
            lunch(LunchField::PickupFrom)
        );
        assert_eq!(
            field_of(form(&[("pickup_until", "11:30")])),
            lunch(LunchField::PickupUntil)
        );
        assert_eq!(
            field_of(form(&[("tags", "sweet")])),
            lunch(LunchField::Tags)
        );
        assert_eq!(
            field_of(form(&[("allergens", "gold")])),
            lunch(LunchField::Allergens)
        );
    }

    #[test]
    fn the_discount_may_equal_the_price_and_the_cutoff_may_be_the_pickup_start() {
        assert!(form(&[("discount", "30"), ("cutoff", "11:30")]).is_ok());
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-11-27 (20_784) is a Friday; its Monday is 2026-11-23.
        assert_eq!(monday_of(20_784), 20_780);
        assert_eq!(monday_of(20_780), 20_780);
        assert_eq!(monday_of(20_786), 20_780);
        assert_eq!(copy_plan(20_784, 20_791, true), (20_780..=20_786, 7));
        assert_eq!(copy_plan(20_784, 20_785, false), (20_784..=20_784, 1));
    }
}
