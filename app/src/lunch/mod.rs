//! Lunch for office workers (白领午餐): the day's set meals at the lunch points, ordered
//! before the cutoff with limited portions, picked up with a code at the station, the price
//! shared between the subdistrict, the merchant and the worker.
//!
//! Pure rules: `price` (the split and the daily subsidy), `window` (ordering, cutoff and
//! pickup times), `pickup` (codes). SQL in `store`, views in `views` and `station`.

pub mod menus;
pub mod pickup;
pub mod price;
pub mod settlement;
pub mod station;
pub mod survey;
pub mod texts;
pub mod views;
pub mod window;

#[cfg(feature = "ssr")]
pub mod qr;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::{AppError, Problem};
use leptos::prelude::*;
use price::{MealPrice, PriceSplit};
use serde::{Deserialize, Serialize};
use texts::LunchText;
use window::{Phase, Windows};

/// The fields of this capability's forms, for error messages next to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LunchField {
    Meal,
    Quantity,
    Attempt,
    Day,
    DeliveryBuilding,
    Order,
    PickupCode,
    Payment,
    Rating,
    Comment,
    Building,
    Company,
    Month,
    MealName,
    MealNameEn,
    Description,
    Tags,
    Allergens,
    ListPrice,
    Discount,
    Portions,
    PerPersonLimit,
    Cutoff,
    PickupFrom,
    PickupUntil,
    Photo,
    CopyTo,
    SubsidyPerMeal,
    SubsidyMealsPerDay,
    SurveyTitle,
    SurveyIntro,
    Question,
    Options,
    Answer,
}

impl LunchField {
    pub fn label(self) -> LunchText {
        match self {
            LunchField::Meal => LunchText::FieldMeal,
            LunchField::Quantity => LunchText::FieldQuantity,
            LunchField::Attempt => LunchText::FieldAttempt,
            LunchField::Day => LunchText::FieldDay,
            LunchField::DeliveryBuilding => LunchText::FieldDeliveryBuilding,
            LunchField::Order => LunchText::FieldOrder,
            LunchField::PickupCode => LunchText::FieldPickupCode,
            LunchField::Payment => LunchText::FieldPayment,
            LunchField::Rating => LunchText::FieldRating,
            LunchField::Comment => LunchText::FieldComment,
            LunchField::Building => LunchText::FieldBuilding,
            LunchField::Company => LunchText::FieldCompany,
            LunchField::Month => LunchText::FieldMonth,
            LunchField::MealName => LunchText::FieldMealName,
            LunchField::MealNameEn => LunchText::FieldMealNameEn,
            LunchField::Description => LunchText::FieldDescription,
            LunchField::Tags => LunchText::FieldTags,
            LunchField::Allergens => LunchText::FieldAllergens,
            LunchField::ListPrice => LunchText::FieldListPrice,
            LunchField::Discount => LunchText::FieldDiscount,
            LunchField::Portions => LunchText::FieldPortions,
            LunchField::PerPersonLimit => LunchText::FieldPerPersonLimit,
            LunchField::Cutoff => LunchText::FieldCutoff,
            LunchField::PickupFrom => LunchText::FieldPickupFrom,
            LunchField::PickupUntil => LunchText::FieldPickupUntil,
            LunchField::Photo => LunchText::FieldPhoto,
            LunchField::CopyTo => LunchText::FieldCopyTo,
            LunchField::SubsidyPerMeal => LunchText::FieldSubsidyPerMeal,
            LunchField::SubsidyMealsPerDay => LunchText::FieldSubsidyMealsPerDay,
            LunchField::SurveyTitle => LunchText::FieldSurveyTitle,
            LunchField::SurveyIntro => LunchText::FieldSurveyIntro,
            LunchField::Question => LunchText::FieldQuestion,
            LunchField::Options => LunchText::FieldOptions,
            LunchField::Answer => LunchText::FieldAnswer,
        }
    }
}

/// What is wrong with a lunch field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LunchProblem {
    UnknownMeal,
    QuantityRange {
        max: i32,
    },
    AttemptFormat,
    DayFormat,
    UnknownBuilding,
    UnknownOrder,
    CodeFormat,
    /// No order of today at this lunch point has this code.
    CodeNotHere,
    UnknownPayment,
    RatingRange,
    MonthFormat,
    NumberRange {
        min: i32,
        max: i32,
    },
    PriceFormat,
    DiscountOverPrice,
    ClockFormat,
    PickupBeforeCutoff,
    PickupEndsBeforeStart,
    DayInPast,
    SameDay,
    UnknownChoice,
    /// Fewer portions than workers have already ordered.
    PortionsBelowOrdered {
        ordered: i32,
    },
    TooFewOptions,
    /// A question of the survey was left unanswered.
    AnswerRequired {
        question: i32,
    },
}

impl LunchProblem {
    pub fn message(self, locale: crate::i18n::Locale) -> String {
        match self {
            LunchProblem::QuantityRange { max } => match locale {
                crate::i18n::Locale::Zh => format!("请选择 1 到 {max} 份。"),
                crate::i18n::Locale::En => format!("Choose 1 to {max} portions."),
            },
            LunchProblem::NumberRange { min, max } => match locale {
                crate::i18n::Locale::Zh => format!("请填写 {min} 到 {max} 之间的整数。"),
                crate::i18n::Locale::En => format!("Enter a whole number from {min} to {max}."),
            },
            LunchProblem::PortionsBelowOrdered { ordered } => match locale {
                crate::i18n::Locale::Zh => {
                    format!("已有 {ordered} 份被订，份数不能少于 {ordered}。")
                }
                crate::i18n::Locale::En => {
                    format!("{ordered} are ordered already; portions cannot go below {ordered}.")
                }
            },
            LunchProblem::AnswerRequired { question } => match locale {
                crate::i18n::Locale::Zh => format!("第 {question} 题还没有回答。"),
                crate::i18n::Locale::En => format!("Question {question} is not answered yet."),
            },
            LunchProblem::UnknownMeal => locale.text(LunchText::ProblemUnknownMeal).into(),
            LunchProblem::AttemptFormat => locale.text(LunchText::ProblemAttemptFormat).into(),
            LunchProblem::DayFormat => locale.text(LunchText::ProblemDayFormat).into(),
            LunchProblem::UnknownBuilding => locale.text(LunchText::ProblemUnknownBuilding).into(),
            LunchProblem::UnknownOrder => locale.text(LunchText::ProblemUnknownOrder).into(),
            LunchProblem::CodeFormat => locale.text(LunchText::ProblemCodeFormat).into(),
            LunchProblem::CodeNotHere => locale.text(LunchText::ProblemCodeNotHere).into(),
            LunchProblem::UnknownPayment => locale.text(LunchText::ProblemUnknownPayment).into(),
            LunchProblem::RatingRange => locale.text(LunchText::ProblemRatingRange).into(),
            LunchProblem::MonthFormat => locale.text(LunchText::ProblemMonthFormat).into(),
            LunchProblem::PriceFormat => locale.text(LunchText::ProblemPriceFormat).into(),
            LunchProblem::DiscountOverPrice => {
                locale.text(LunchText::ProblemDiscountOverPrice).into()
            }
            LunchProblem::ClockFormat => locale.text(LunchText::ProblemClockFormat).into(),
            LunchProblem::PickupBeforeCutoff => {
                locale.text(LunchText::ProblemPickupBeforeCutoff).into()
            }
            LunchProblem::PickupEndsBeforeStart => {
                locale.text(LunchText::ProblemPickupEndsBeforeStart).into()
            }
            LunchProblem::DayInPast => locale.text(LunchText::ProblemDayInPast).into(),
            LunchProblem::SameDay => locale.text(LunchText::ProblemSameDay).into(),
            LunchProblem::UnknownChoice => locale.text(LunchText::ProblemUnknownChoice).into(),
            LunchProblem::TooFewOptions => locale.text(LunchText::ProblemTooFewOptions).into(),
        }
    }
}

/// Why an order cannot be placed or changed now (409).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LunchRefused {
    SoldOut,
    /// Fewer portions left than asked for.
    NotEnoughLeft {
        left: i32,
    },
    NotOpenYet,
    PastCutoff,
    /// The worker's daily limit for this meal would be passed.
    OverPersonalLimit {
        left: i32,
    },
    AlreadyCancelled,
    AlreadyPickedUp,
    /// The pickup window is over.
    PickupOver,
    NotPickedUp,
    PriceFixed,
    /// A meal with orders cannot be taken off the menu.
    HasOrders,
    SurveyAnswered,
    SurveyClosed,
}

impl LunchRefused {
    pub fn message(self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::Locale::{En, Zh};
        match (self, locale) {
            (LunchRefused::NotEnoughLeft { left }, Zh) => format!("只剩 {left} 份了，请少点几份。"),
            (LunchRefused::NotEnoughLeft { left }, En) => {
                format!("Only {left} left; order fewer.")
            }
            (LunchRefused::OverPersonalLimit { left }, Zh) => {
                format!("每人每天限购，您今天还能订 {left} 份。")
            }
            (LunchRefused::OverPersonalLimit { left }, En) => {
                format!("There is a daily limit; you can order {left} more today.")
            }
            (refused, locale) => locale
                .text(match refused {
                    LunchRefused::SoldOut => LunchText::SoldOutMessage,
                    LunchRefused::NotOpenYet => LunchText::NotOpenYetMessage,
                    LunchRefused::PastCutoff => LunchText::PastCutoffMessage,
                    LunchRefused::AlreadyCancelled => LunchText::AlreadyCancelledMessage,
                    LunchRefused::AlreadyPickedUp => LunchText::AlreadyPickedUpMessage,
                    LunchRefused::PickupOver => LunchText::PickupOverMessage,
                    LunchRefused::NotPickedUp => LunchText::NotPickedUpMessage,
                    LunchRefused::PriceFixed => LunchText::PriceFixedMessage,
                    LunchRefused::HasOrders => LunchText::HasOrdersMessage,
                    LunchRefused::SurveyAnswered => LunchText::SurveyAnsweredMessage,
                    LunchRefused::SurveyClosed => LunchText::SurveyClosedMessage,
                    LunchRefused::NotEnoughLeft { .. } | LunchRefused::OverPersonalLimit { .. } => {
                        LunchText::SoldOutMessage
                    }
                })
                .into(),
        }
    }
}

/// A field error of this capability.
pub fn invalid(field: LunchField, problem: Problem) -> AppError {
    AppError::invalid(crate::error::Field::Lunch(field), problem)
}

/// A field error with a problem of this capability.
pub fn invalid_because(field: LunchField, problem: LunchProblem) -> AppError {
    invalid(field, Problem::Lunch(problem))
}

pub fn refused(reason: LunchRefused) -> AppError {
    AppError::Conflict(crate::error::Conflict::Lunch(reason))
}

/// How a meal reaches the worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fulfilment {
    /// Picked up at the lunch point with the code.
    Pickup,
    /// Delivered to the worker's building in the pickup window (盒马).
    Delivery,
}

/// A set meal on a day's menu, as the reader sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meal {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub tags: Vec<String>,
    pub allergens: Vec<String>,
    pub price: MealPrice,
    /// What one more of this meal costs the reader now (with their subsidy, if any left
    /// today); signed out, the subsidised price.
    pub split: PriceSplit,
    pub portions: i32,
    pub portions_left: i32,
    pub per_person_limit: i32,
    /// How many the reader has ordered (not cancelled).
    pub mine: i32,
    pub windows: Windows,
    pub phase: Phase,
    pub rating_average: Option<f32>,
    pub rating_count: i64,
    /// `/photos/{id}`, when the meal has a photo.
    pub photo_id: Option<i64>,
}

/// A lunch point's menu of one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointMenu {
    pub place_id: i64,
    pub name: String,
    pub address: String,
    pub merchant: String,
    pub fulfilment: Fulfilment,
    /// Metres from the reader's building, when known.
    pub distance_m: Option<i32>,
    pub meals: Vec<Meal>,
}

/// A day's menus, nearest lunch point first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayMenus {
    pub day: i32,
    pub today: i32,
    pub points: Vec<PointMenu>,
    /// Whether the reader gets the subsidy (signed in, from a confirmed company here).
    pub subsidised: bool,
    pub company: Option<String>,
    pub buildings: Vec<(i64, String)>,
    /// Whether the menus were read signed in, so the order buttons show. Part of the menus,
    /// not read from the separate current-user resource: rendered on the server, the page
    /// could otherwise come out before that one had resolved, with no buttons.
    pub signed_in: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    Ordered,
    Cancelled,
    PickedUp,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Ordered => "ordered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::PickedUp => "picked_up",
        }
    }

    pub fn parse(text: &str) -> Option<OrderStatus> {
        [
            OrderStatus::Ordered,
            OrderStatus::Cancelled,
            OrderStatus::PickedUp,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// How an order was paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentMethod {
    Cash,
    Wechat,
    Alipay,
    Card,
    Prepaid,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::Wechat,
        PaymentMethod::Alipay,
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Prepaid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Wechat => "wechat",
            PaymentMethod::Alipay => "alipay",
            PaymentMethod::Card => "card",
            PaymentMethod::Prepaid => "prepaid",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == text)
    }

    pub fn label(self) -> LunchText {
        match self {
            PaymentMethod::Cash => LunchText::PayCash,
            PaymentMethod::Wechat => LunchText::PayWechat,
            PaymentMethod::Alipay => LunchText::PayAlipay,
            PaymentMethod::Card => LunchText::PayCard,
            PaymentMethod::Prepaid => LunchText::PayPrepaid,
        }
    }
}

/// An order, as its worker and the station see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: i64,
    pub meal_id: i64,
    pub meal: String,
    pub lunch_point_id: i64,
    pub lunch_point: String,
    pub day: i32,
    pub quantity: i32,
    pub split: PriceSplit,
    pub subsidised_meals: i32,
    pub pickup_code: String,
    pub status: OrderStatus,
    pub windows: Windows,
    pub phase: Phase,
    pub delivery_building: Option<String>,
    pub payment: Option<PaymentMethod>,
    pub customer: String,
    pub rating: Option<i16>,
}

impl Order {
    /// Ordered and not picked up when the pickup window closed.
    pub fn no_show(&self) -> bool {
        self.status == OrderStatus::Ordered && self.phase == Phase::Over
    }
}

/// A day at one lunch point, for its console: what to prepare and every order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StationDay {
    pub place_id: i64,
    pub name: String,
    pub day: i32,
    pub today: i32,
    /// (meal, portions ordered and not cancelled, picked up).
    pub meals: Vec<(String, i64, i64)>,
    pub orders: Vec<Order>,
}

/// A day as "YYYY-MM-DD"; empty means today in Shanghai.
pub fn parse_day(text: &str, today: i32) -> Result<i32, AppError> {
    match text.trim() {
        "" => Ok(today),
        t => crate::map::hours::parse_date(t)
            .ok_or_else(|| invalid_because(LunchField::Day, LunchProblem::DayFormat)),
    }
}

/// The quantity field: 1 to `max`.
pub fn parse_quantity(text: &str, max: i32) -> Result<i32, AppError> {
    match text.trim() {
        "" => Err(invalid(LunchField::Quantity, Problem::Required)),
        t => t
            .parse::<i32>()
            .ok()
            .filter(|q| (1..=max).contains(q))
            .ok_or_else(|| {
                invalid_because(LunchField::Quantity, LunchProblem::QuantityRange { max })
            }),
    }
}

/// The browser's key of one order attempt.
pub fn parse_attempt(text: &str) -> Result<String, AppError> {
    let key = text.trim();
    if (8..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        Ok(key.to_owned())
    } else {
        Err(invalid_because(
            LunchField::Attempt,
            LunchProblem::AttemptFormat,
        ))
    }
}

/// The most portions of one meal a single order may ask for; the meal's own per-person
/// limit is usually lower.
pub const MAX_QUANTITY: i32 = 10;

#[server(endpoint = "lunch_menus", output = crate::codec::Json)]
pub async fn lunch_menus(day: String) -> Result<DayMenus, AppError> {
    let state = crate::state::app_state()?;
    let today = state.clock.shanghai_now().day;
    let day = parse_day(&day, today)?;
    let user = crate::accounts::auth::session_user_id(&state.pool).await?;
    store::day_menus(&state, user, day, crate::state::request_locale()).await
}

#[server(endpoint = "place_order", output = crate::codec::Json)]
pub async fn place_order(
    meal: String,
    quantity: String,
    attempt: String,
    #[server(default)] delivery_building: String,
) -> Result<Order, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let meal_id = meal
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| invalid_because(LunchField::Meal, LunchProblem::UnknownMeal))?;
    let quantity = parse_quantity(&quantity, MAX_QUANTITY)?;
    let attempt = parse_attempt(&attempt)?;
    let delivery_building = match delivery_building.trim() {
        "" => None,
        t => Some(t.parse::<i64>().map_err(|_| {
            invalid_because(LunchField::DeliveryBuilding, LunchProblem::UnknownBuilding)
        })?),
    };
    let order = store::place_order(&caller, meal_id, quantity, &attempt, delivery_building).await?;
    // The code is on the orders page: the app and the menus' island follow the redirect, and
    // so does a browser that posted the plain form.
    leptos_axum::redirect("/lunch/orders");
    Ok(order)
}

#[server(endpoint = "cancel_lunch_order", output = crate::codec::Json)]
pub async fn cancel_order(order: i64) -> Result<Order, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::cancel_order(&caller, order).await
}

#[server(endpoint = "my_lunch_orders", output = crate::codec::Json)]
pub async fn my_orders() -> Result<Vec<Order>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::my_orders(&caller).await
}

#[server(endpoint = "rate_lunch_order", output = crate::codec::Json)]
pub async fn rate_order(order: i64, rating: String, comment: String) -> Result<(), AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let rating = rating
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|r| (1..=5).contains(r))
        .ok_or_else(|| invalid_because(LunchField::Rating, LunchProblem::RatingRange))?;
    let comment = comment.trim();
    if comment.chars().count() > 300 {
        return Err(invalid(LunchField::Comment, Problem::TooLong { max: 300 }));
    }
    store::rate_order(&caller, order, rating, comment).await
}

#[server(endpoint = "set_my_company", output = crate::codec::Json)]
pub async fn set_my_company(building: String, company: String) -> Result<(), AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let building = building
        .trim()
        .parse::<i64>()
        .map_err(|_| invalid_because(LunchField::Building, LunchProblem::UnknownBuilding))?;
    let company = company.trim();
    match company.chars().count() {
        0 => return Err(invalid(LunchField::Company, Problem::Required)),
        1 => return Err(invalid(LunchField::Company, Problem::TooShort { min: 2 })),
        n if n > 60 => return Err(invalid(LunchField::Company, Problem::TooLong { max: 60 })),
        _ => {}
    }
    store::set_company(&caller, building, company).await
}

/// A day at a lunch point the reader operates: `place`, or, without it, the one point
/// they operate (`None` when they operate several or none).
#[server(endpoint = "station_day", output = crate::codec::Json)]
pub async fn load_station_day(
    place: Option<i64>,
    day: String,
) -> Result<Option<StationDay>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let Some(place) = store::operated_point(&caller, place).await? else {
        return Ok(None);
    };
    let day = parse_day(&day, caller.state.clock.shanghai_now().day)?;
    store::station_day(&caller, place, day, crate::state::request_locale())
        .await
        .map(Some)
}

#[server(endpoint = "hand_over", output = crate::codec::Json)]
pub async fn hand_over(place: i64, code: String, payment: String) -> Result<Order, AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::OperateLunchPoint(place)).await?;
    // Typed digits, or the QR code of the worker's order (`zd:lunch:{point}:{code}`).
    let code = match code.trim().strip_prefix("zd:lunch:") {
        Some(scanned) => match scanned.split_once(':') {
            Some((point, code)) if point.parse() == Ok(place) => pickup::parse_code(code),
            Some(_) => {
                return Err(invalid_because(
                    LunchField::PickupCode,
                    LunchProblem::CodeNotHere,
                ))
            }
            None => None,
        },
        None => pickup::parse_code(&code),
    }
    .ok_or_else(|| invalid_because(LunchField::PickupCode, LunchProblem::CodeFormat))?;
    let payment = PaymentMethod::parse(payment.trim())
        .ok_or_else(|| invalid_because(LunchField::Payment, LunchProblem::UnknownPayment))?;
    store::hand_over(&caller, place, &code, payment).await
}

/// The lunch points the reader operates (station staff, merchants), for the console.
#[server(endpoint = "my_lunch_points", output = crate::codec::Json)]
pub async fn my_lunch_points() -> Result<Vec<(i64, String)>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::operated_points(&caller).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Field;
    use crate::i18n::Locale;

    #[test]
    fn quantities_outside_the_limit_are_refused_with_the_range() {
        assert_eq!(parse_quantity(" 2 ", 3), Ok(2));
        for bad in ["0", "1000", "-1", "two", "2.5"] {
            assert_eq!(
                parse_quantity(bad, 3),
                Err(invalid_because(
                    LunchField::Quantity,
                    LunchProblem::QuantityRange { max: 3 }
                )),
                "{bad}"
            );
        }
        assert_eq!(
            parse_quantity("", 3),
            Err(invalid(LunchField::Quantity, Problem::Required))
        );
    }

    #[test]
    fn attempt_keys_are_checked() {
        assert!(parse_attempt("3f1c0a9e-77aa-4c1b-9a51-5d8f2b3c4d5e").is_ok());
        for bad in [
            "",
            "short",
            "has space in it",
            &"x".repeat(65),
            "drop;table",
        ] {
            assert!(parse_attempt(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_parse_or_default_to_today() {
        assert_eq!(parse_day("", 20_784), Ok(20_784));
        assert_eq!(parse_day("2026-11-28", 20_784), Ok(20_785));
        assert!(parse_day("tomorrow", 20_784).is_err());
    }

    #[test]
    fn every_field_problem_and_refusal_has_words() {
        for locale in [Locale::Zh, Locale::En] {
            assert!(!Field::Lunch(LunchField::PickupCode)
                .label(locale)
                .is_empty());
            assert!(LunchProblem::QuantityRange { max: 3 }
                .message(locale)
                .contains('3'));
            assert!(LunchRefused::NotEnoughLeft { left: 2 }
                .message(locale)
                .contains('2'));
            assert!(!LunchRefused::SoldOut.message(locale).is_empty());
        }
    }

    #[test]
    fn statuses_and_payments_round_trip() {
        for s in [
            OrderStatus::Ordered,
            OrderStatus::Cancelled,
            OrderStatus::PickedUp,
        ] {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.as_str()), Some(m));
        }
        assert_eq!(PaymentMethod::parse("bitcoin"), None);
    }
}
