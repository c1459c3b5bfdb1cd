//! Volunteer points (圆梦积分, "线上共惠，线下争章"): activities at places on the map, sign-up
//! with a waiting list, check-in and check-out by the organiser's rotating signed code, an
//! append-only points ledger, badges, and rewards from partner units.
//!
//! Pure rules: `token` (signing and checking codes), `rules` (points, time served, the
//! geofence, badges). SQL in `store`.

pub mod draft;
pub mod partner;
pub mod rules;
pub mod texts;
#[cfg(feature = "ssr")]
pub mod token;
pub mod views;

#[cfg(feature = "ssr")]
pub mod store;

use crate::error::{AppError, Problem};
use leptos::prelude::*;
use rules::PointsRule;
use serde::{Deserialize, Serialize};
use texts::PointsText;

pub use rules::Fence;

/// Check-in or check-out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    In,
    Out,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::In => "in",
            Action::Out => "out",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        match text.trim() {
            "in" => Some(Action::In),
            "out" => Some(Action::Out),
            _ => None,
        }
    }
}

/// The tags an activity may carry, with their labels.
pub const TAGS: [(&str, PointsText); 5] = [
    ("environment", PointsText::TagEnvironment),
    ("elderly", PointsText::TagElderly),
    ("traffic", PointsText::TagTraffic),
    ("community", PointsText::TagCommunity),
    ("culture", PointsText::TagCulture),
];

/// The fields of this capability's forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointsField {
    Activity,
    Code,
    ScannedAt,
    Position,
    Reward,
    RedemptionCode,
    Points,
    Reason,
    Phone,
    Title,
    Description,
    Venue,
    Start,
    End,
    SignupUntil,
    Capacity,
    Rule,
    Cap,
    Geofence,
    Tags,
    Photo,
    Partner,
    RewardTitle,
    RewardDescription,
    Cost,
    Stock,
    ValidUntil,
    CodeDays,
    CollectAt,
}

impl PointsField {
    pub fn label(self) -> PointsText {
        match self {
            PointsField::Activity => PointsText::FieldActivity,
            PointsField::Code => PointsText::FieldCode,
            PointsField::ScannedAt => PointsText::FieldScannedAt,
            PointsField::Position => PointsText::FieldPosition,
            PointsField::Reward => PointsText::FieldReward,
            PointsField::RedemptionCode => PointsText::FieldRedemptionCode,
            PointsField::Points => PointsText::FieldPoints,
            PointsField::Reason => PointsText::FieldReason,
            PointsField::Phone => PointsText::FieldPhone,
            PointsField::Title => PointsText::FieldTitle,
            PointsField::Description => PointsText::FieldDescription,
            PointsField::Venue => PointsText::FieldVenue,
            PointsField::Start => PointsText::FieldStart,
            PointsField::End => PointsText::FieldEnd,
            PointsField::SignupUntil => PointsText::FieldSignupUntil,
            PointsField::Capacity => PointsText::FieldCapacity,
            PointsField::Rule => PointsText::FieldRule,
            PointsField::Cap => PointsText::FieldCap,
            PointsField::Geofence => PointsText::FieldGeofence,
            PointsField::Tags => PointsText::FieldTags,
            PointsField::Photo => PointsText::FieldPhoto,
            PointsField::Partner => PointsText::FieldPartner,
            PointsField::RewardTitle => PointsText::FieldRewardTitle,
            PointsField::RewardDescription => PointsText::FieldRewardDescription,
            PointsField::Cost => PointsText::FieldCost,
            PointsField::Stock => PointsText::FieldStock,
            PointsField::ValidUntil => PointsText::FieldValidUntil,
            PointsField::CodeDays => PointsText::FieldCodeDays,
            PointsField::CollectAt => PointsText::FieldCollectAt,
        }
    }
}

/// What is wrong with a field of this capability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointsProblem {
    /// A check-in code that is not one of ours, or was changed.
    CodeForged,
    /// A code whose time is over (a screenshot, a forwarded code).
    CodeExpired,
    CodeFromTheFuture,
    CodeMalformed,
    CodeOfAnotherActivity,
    /// A check-out code scanned to check in, or the other way.
    CodeOfOtherAction,
    ScanTooOld,
    TooVague,
    OutsideFence {
        metres: i32,
    },
    PositionRequired,
    RedemptionCodeFormat,
    PointsRange,
    /// A whole number outside what the field takes.
    Range {
        min: i32,
        max: i32,
    },
    EndBeforeStart,
    SignupAfterEnd,
    UnknownTag,
    InThePast,
    NoSuchReward,
}

impl PointsProblem {
    pub fn message(self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::Locale::{En, Zh};
        match (self, locale) {
            (PointsProblem::OutsideFence { metres }, Zh) => {
                format!("您离活动地点约 {metres} 米，请到现场后再签到。")
            }
            (PointsProblem::OutsideFence { metres }, En) => {
                format!("You are about {metres} m from the venue; check in when you are there.")
            }
            (PointsProblem::Range { min, max }, Zh) => {
                format!("请填写 {min} 到 {max} 之间的整数。")
            }
            (PointsProblem::Range { min, max }, En) => {
                format!("Enter a whole number from {min} to {max}.")
            }
            (problem, locale) => locale
                .text(match problem {
                    PointsProblem::CodeForged => PointsText::CodeForged,
                    PointsProblem::CodeExpired => PointsText::CodeExpired,
                    PointsProblem::CodeFromTheFuture => PointsText::CodeFromTheFuture,
                    PointsProblem::CodeMalformed => PointsText::CodeMalformed,
                    PointsProblem::CodeOfAnotherActivity => PointsText::CodeOfAnotherActivity,
                    PointsProblem::CodeOfOtherAction => PointsText::CodeOfOtherAction,
                    PointsProblem::ScanTooOld => PointsText::ScanTooOld,
                    PointsProblem::TooVague => PointsText::PositionTooVague,
                    PointsProblem::PositionRequired => PointsText::PositionRequired,
                    PointsProblem::RedemptionCodeFormat => PointsText::RedemptionCodeFormat,
                    PointsProblem::PointsRange => PointsText::PointsRange,
                    PointsProblem::EndBeforeStart => PointsText::EndBeforeStart,
                    PointsProblem::SignupAfterEnd => PointsText::SignupAfterEnd,
                    PointsProblem::UnknownTag => PointsText::UnknownTag,
                    PointsProblem::InThePast => PointsText::InThePast,
                    PointsProblem::NoSuchReward => PointsText::NoSuchReward,
                    PointsProblem::OutsideFence { .. } | PointsProblem::Range { .. } => {
                        PointsText::PositionRequired
                    }
                })
                .into(),
        }
    }
}

/// Why a step cannot be taken now (409).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointsRefused {
    SignupClosed,
    ActivityCancelled,
    AlreadySignedUp,
    NotSignedUp,
    /// A volunteer who has checked in cannot cancel.
    AlreadyCheckedIn,
    /// Check-in or check-out outside the activity's window (30 minutes around it).
    WindowClosed,
    NotCheckedIn,
    NotEnoughPoints,
    OutOfStock,
    RewardExpired,
    /// The redemption code was verified before (it can be used once).
    AlreadyVerified,
    RedemptionExpired,
    /// The balance cannot go below zero.
    WouldGoNegative,
    /// An activity someone has checked in to cannot be cancelled.
    SomeoneCheckedIn,
}

impl PointsRefused {
    pub fn message(self, locale: crate::i18n::Locale) -> &'static str {
        locale.text(match self {
            PointsRefused::SignupClosed => PointsText::SignupClosed,
            PointsRefused::ActivityCancelled => PointsText::ActivityCancelled,
            PointsRefused::AlreadySignedUp => PointsText::AlreadySignedUp,
            PointsRefused::NotSignedUp => PointsText::NotSignedUp,
            PointsRefused::AlreadyCheckedIn => PointsText::AlreadyCheckedIn,
            PointsRefused::WindowClosed => PointsText::WindowClosed,
            PointsRefused::NotCheckedIn => PointsText::NotCheckedIn,
            PointsRefused::NotEnoughPoints => PointsText::NotEnoughPoints,
            PointsRefused::OutOfStock => PointsText::OutOfStock,
            PointsRefused::RewardExpired => PointsText::RewardExpired,
            PointsRefused::AlreadyVerified => PointsText::AlreadyVerified,
            PointsRefused::RedemptionExpired => PointsText::RedemptionExpired,
            PointsRefused::WouldGoNegative => PointsText::WouldGoNegative,
            PointsRefused::SomeoneCheckedIn => PointsText::SomeoneCheckedIn,
        })
    }
}

pub fn invalid(field: PointsField, problem: Problem) -> AppError {
    AppError::invalid(crate::error::Field::Points(field), problem)
}

pub fn invalid_because(field: PointsField, problem: PointsProblem) -> AppError {
    invalid(field, Problem::Points(problem))
}

pub fn refused(reason: PointsRefused) -> AppError {
    AppError::Conflict(crate::error::Conflict::Points(reason))
}

/// Where the reader stands with an activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignupStatus {
    SignedUp,
    /// On the waiting list, at this place (1 = next).
    Waiting(i32),
    CheckedIn,
    CheckedOut,
}

/// An activity as listed and shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub venue_id: i64,
    pub venue: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub signup_until: i64,
    pub capacity: i32,
    pub signed_up: i32,
    pub waiting: i32,
    pub rule: PointsRule,
    pub geofence_m: Option<i32>,
    pub tags: Vec<String>,
    pub photo_id: Option<i64>,
    pub cancelled: bool,
    /// Whether the reader organises it (and may show its check-in code).
    pub organising: bool,
    pub mine: Option<SignupStatus>,
}

/// What a check-in or check-out did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    pub activity: String,
    pub action: Action,
    /// False when it had been recorded before (scanning twice changes nothing).
    pub recorded_now: bool,
    pub minutes: i32,
    pub points: i32,
    pub new_badges: Vec<String>,
}

/// The organiser's screen: the code of this moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownCode {
    pub token: String,
    pub typed: String,
    /// The URL a phone's own camera opens.
    pub url: String,
    pub qr_svg: String,
    /// Seconds until the next code.
    pub changes_in: i64,
}

/// A volunteer on an organiser's roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub user_id: i64,
    pub name: String,
    pub phone_masked: String,
    pub status: Option<SignupStatus>,
    pub checked_in_at: Option<i64>,
    pub checked_out_at: Option<i64>,
    /// How each was recorded: scan, code, offline or manual.
    pub how_in: Option<String>,
    pub how_out: Option<String>,
    pub minutes: Option<i32>,
    pub points: Option<i32>,
    /// Signed up, never checked in, and the window is over.
    pub no_show: bool,
}

/// An activity's roster, for its organisers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub activity: i64,
    pub title: String,
    pub entries: Vec<RosterEntry>,
}

/// 志愿服务记录: a volunteer's served activities, for school or employer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRecord {
    pub name: String,
    pub phone_masked: String,
    /// (activity, venue, start, minutes served).
    pub entries: Vec<(String, String, i64, i32)>,
    pub total_minutes: i32,
    pub issued_at: i64,
}

/// This month's leaderboard of points earned, among those who opted in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaderboard {
    /// "2026-11".
    pub month: String,
    /// (name, points earned this month).
    pub rows: Vec<(String, i64)>,
    pub opted_in: bool,
}

/// A reward on offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reward {
    pub id: i64,
    pub partner_id: i64,
    pub partner: String,
    pub title: String,
    pub description: String,
    pub cost: i32,
    pub stock: i32,
    pub valid_until: i64,
    pub collect_at: String,
}

/// A reward as its partner unit sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferedReward {
    pub reward: Reward,
    /// Past its last day.
    pub ended: bool,
    /// Codes redeemed, and of those collected.
    pub issued: i64,
    pub collected: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RedemptionStatus {
    Issued,
    Verified,
    Expired,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redemption {
    pub id: i64,
    pub reward: String,
    pub partner: String,
    pub code: String,
    pub cost: i32,
    pub status: RedemptionStatus,
    pub expires_at: i64,
    /// The code as a QR code, for the partner's scanner, while it can be collected.
    pub qr_svg: Option<String>,
}

/// A line of the ledger, as its volunteer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    pub kind: String,
    pub points: i32,
    pub minutes: i32,
    pub reason: String,
    pub at: i64,
}

/// "我的积分".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPoints {
    pub balance: i32,
    pub minutes: i32,
    pub history: Vec<LedgerLine>,
    /// (badge code, when earned).
    pub badges: Vec<(String, i64)>,
    pub redemptions: Vec<Redemption>,
}

/// What a notification of this capability says (`points.promoted`: a place came free).
pub fn notification_text(kind: &str) -> Option<PointsText> {
    match kind {
        "points.promoted" => Some(PointsText::Promoted),
        "points.cancelled" => Some(PointsText::CancelledNotice),
        _ => None,
    }
}

/// The redemption code: eight letters and digits without look-alikes (no I, O, 0, 1).
pub fn parse_redemption_code(text: &str) -> Result<String, AppError> {
    let code: String = text.trim().to_ascii_uppercase().replace([' ', '-'], "");
    if code.len() == 8
        && code
            .bytes()
            .all(|b| matches!(b, b'A'..=b'H' | b'J'..=b'N' | b'P'..=b'Z' | b'2'..=b'9'))
    {
        Ok(code)
    } else {
        Err(invalid_because(
            PointsField::RedemptionCode,
            PointsProblem::RedemptionCodeFormat,
        ))
    }
}

/// A phone's reported position: "lat,lon,accuracy", or nothing.
pub fn parse_position(lat: &str, lon: &str, accuracy: &str) -> Option<(f64, f64, f64)> {
    let number = |t: &str| t.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    Some((number(lat)?, number(lon)?, number(accuracy)?))
}

#[server(endpoint = "points/activities", output = crate::codec::Json)]
pub async fn list_activities() -> Result<Vec<Activity>, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::accounts::auth::session_user_id(&state.pool).await?;
    store::activities(&state, user, None, crate::state::request_locale()).await
}

/// An organiser (station staff of the venue, or an admin) creates an activity, with an
/// optional photo.
#[server(endpoint = "points/create", input = leptos::server_fn::codec::MultipartFormData, output = crate::codec::Json)]
pub async fn create_activity(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<i64, AppError> {
    use crate::accounts::roles::{allows, Permission};
    let caller = crate::accounts::auth::require_user().await?;
    let form =
        crate::uploads::read_form(data, crate::error::Field::Points(PointsField::Photo)).await?;
    let draft = draft::ActivityDraft::parse(|name| form.text(name), |name| form.all(name))?;
    if !allows(&caller.grants, Permission::OrganiseAt(draft.venue)) {
        return Err(AppError::Forbidden);
    }
    if form.files.len() > 1 {
        return Err(invalid(
            PointsField::Photo,
            Problem::TooManyFiles { max: 1 },
        ));
    }
    let photo =
        crate::uploads::process_photos(form.files, crate::error::Field::Points(PointsField::Photo))
            .await?
            .pop();
    store::create(&caller, &draft, photo).await
}

/// The places where the reader may organise activities (their stations; every visible
/// place for an admin).
#[server(endpoint = "points/venues", output = crate::codec::Json)]
pub async fn organiser_venues() -> Result<Vec<(i64, String)>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::organiser_venues(&caller, crate::state::request_locale()).await
}

/// Upcoming activities at a venue, for its place page.
#[server(endpoint = "points/at_venue", output = crate::codec::Json)]
pub async fn venue_activities(place: i64) -> Result<Vec<Activity>, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::accounts::auth::session_user_id(&state.pool).await?;
    store::activities(&state, user, Some(place), crate::state::request_locale()).await
}

#[server(endpoint = "points/sign_up", output = crate::codec::Json)]
pub async fn sign_up_for(activity: i64) -> Result<SignupStatus, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::sign_up(&caller, activity).await
}

#[server(endpoint = "points/cancel", output = crate::codec::Json)]
pub async fn cancel_signup(activity: i64) -> Result<(), AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::cancel(&caller, activity).await
}

/// Checks in or out with a scanned token. `scanned_at` (Unix seconds) is sent when the scan
/// was stored offline and is sent later; empty means now.
#[server(endpoint = "points/check", output = crate::codec::Json)]
pub async fn check_with_token(
    token: String,
    #[server(default)] scanned_at: String,
    #[server(default)] lat: String,
    #[server(default)] lon: String,
    #[server(default)] accuracy: String,
) -> Result<Checked, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let scanned_at = match scanned_at.trim() {
        "" => None,
        t => Some(
            t.parse::<i64>()
                .map_err(|_| invalid_because(PointsField::ScannedAt, PointsProblem::ScanTooOld))?,
        ),
    };
    let position = parse_position(&lat, &lon, &accuracy);
    store::check_with_token(&caller, &token, scanned_at, position).await
}

/// Checks in or out with the six digits shown under the QR code.
#[server(endpoint = "points/check_code", output = crate::codec::Json)]
pub async fn check_with_code(
    activity: i64,
    action: String,
    code: String,
    #[server(default)] lat: String,
    #[server(default)] lon: String,
    #[server(default)] accuracy: String,
) -> Result<Checked, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    let position = parse_position(&lat, &lon, &accuracy);
    store::check_with_code(&caller, activity, action, &code, position).await
}

#[server(endpoint = "points/record", output = crate::codec::Json)]
pub async fn load_service_record() -> Result<ServiceRecord, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::service_record(&caller, crate::state::request_locale()).await
}

#[server(endpoint = "points/leaderboard", output = crate::codec::Json)]
pub async fn load_leaderboard() -> Result<Leaderboard, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::leaderboard(&caller).await
}

/// Joins or leaves the monthly leaderboard (it shows only those who joined).
#[server(endpoint = "points/join_leaderboard", output = crate::codec::Json)]
pub async fn join_leaderboard(#[server(default)] join: String) -> Result<(), AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::join_leaderboard(&caller, !join.is_empty()).await
}

/// The roster of an activity the reader organises.
#[server(endpoint = "points/roster", output = crate::codec::Json)]
pub async fn load_roster(activity: i64) -> Result<Roster, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::roster(&caller, activity).await
}

/// An organiser checks a volunteer in or out by hand, with a reason (audited).
#[server(endpoint = "points/check_by_hand", output = crate::codec::Json)]
pub async fn check_by_hand(
    activity: i64,
    volunteer: i64,
    action: String,
    reason: String,
) -> Result<Checked, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    let reason = crate::error::bounded_text(
        crate::error::Field::Points(PointsField::Reason),
        &reason,
        2,
        200,
    )?;
    store::check_by_hand(&caller, activity, volunteer, action, &reason).await
}

/// An organiser cancels an activity, with a reason (audited); those signed up are told.
#[server(endpoint = "points/cancel_activity", output = crate::codec::Json)]
pub async fn cancel_activity(activity: i64, reason: String) -> Result<(), AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let reason = crate::error::bounded_text(
        crate::error::Field::Points(PointsField::Reason),
        &reason,
        2,
        200,
    )?;
    store::cancel_activity(&caller, activity, &reason).await
}

/// The organiser's code of this moment (their screen asks again when it changes).
#[server(endpoint = "points/shown_code", output = crate::codec::Json)]
pub async fn load_shown_code(activity: i64, action: String) -> Result<ShownCode, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    store::shown_code(&caller, activity, action).await
}

#[server(endpoint = "points/mine", output = crate::codec::Json)]
pub async fn load_my_points() -> Result<MyPoints, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::my_points(&caller).await
}

#[server(endpoint = "points/rewards", output = crate::codec::Json)]
pub async fn list_rewards() -> Result<Vec<Reward>, AppError> {
    let state = crate::state::app_state()?;
    store::rewards(&state, crate::state::request_locale()).await
}

#[server(endpoint = "points/redeem", output = crate::codec::Json)]
pub async fn redeem(reward: i64) -> Result<Redemption, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::redeem(&caller, reward).await
}

/// A partner unit's staff verify a code once.
#[server(endpoint = "points/verify", output = crate::codec::Json)]
pub async fn verify_redemption(code: String) -> Result<Redemption, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let code = parse_redemption_code(&code)?;
    store::verify(&caller, &code).await
}

/// The partner units whose rewards the reader manages.
#[server(endpoint = "points/units", output = crate::codec::Json)]
pub async fn offering_units() -> Result<Vec<(i64, String)>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::offering_units(&caller, crate::state::request_locale()).await
}

#[server(endpoint = "points/offered", output = crate::codec::Json)]
pub async fn load_offered_rewards() -> Result<Vec<OfferedReward>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::offered_rewards(&caller, crate::state::request_locale()).await
}

/// A partner unit puts a reward on offer.
#[server(endpoint = "points/offer", output = crate::codec::Json)]
#[allow(clippy::too_many_arguments)]
pub async fn offer_reward(
    partner: String,
    title: String,
    #[server(default)] description: String,
    cost: String,
    stock: String,
    valid_until: String,
    code_days: String,
    #[server(default)] collect_at: String,
) -> Result<i64, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let today = crate::lunch::window::shanghai_day(caller.state.clock.unix_secs());
    let field = |name: &str| -> &str {
        match name {
            "partner" => &partner,
            "title" => &title,
            "description" => &description,
            "cost" => &cost,
            "stock" => &stock,
            "valid_until" => &valid_until,
            "code_days" => &code_days,
            "collect_at" => &collect_at,
            _ => "",
        }
    };
    let draft = draft::RewardDraft::parse(field, today)?;
    store::offer_reward(&caller, &draft).await
}

/// A partner unit adds to a reward's stock; returns the new stock.
#[server(endpoint = "points/restock", output = crate::codec::Json)]
pub async fn restock_reward(reward: i64, add: String) -> Result<i32, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::restock(&caller, reward, draft::parse_restock(&add)?).await
}

/// The admin adds or takes points, with a reason (audited).
#[server(endpoint = "points/adjust", output = crate::codec::Json)]
pub async fn adjust_points(phone: String, points: String, reason: String) -> Result<i32, AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::ManageRoles).await?;
    let phone =
        crate::accounts::PhoneNumber::parse(&phone).map_err(|p| invalid(PointsField::Phone, p))?;
    let points = points
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|p| *p != 0 && p.abs() <= 100_000)
        .ok_or_else(|| invalid_because(PointsField::Points, PointsProblem::PointsRange))?;
    let reason = reason.trim();
    match reason.chars().count() {
        0 => return Err(invalid(PointsField::Reason, Problem::Required)),
        n if n > 200 => return Err(invalid(PointsField::Reason, Problem::TooLong { max: 200 })),
        _ => {}
    }
    store::adjust(&caller, &phone, points, reason).await
}

/// `GET /volunteer/{id}/attendance.csv`: the roster as a spreadsheet, for its organisers.
#[cfg(feature = "ssr")]
pub async fn attendance_csv(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    headers: http::HeaderMap,
    axum::extract::Path(activity): axum::extract::Path<i64>,
) -> axum::response::Response {
    crate::csv::download(&state, &headers, |caller, locale| async move {
        let roster = store::roster(&caller, activity).await?;
        let time = |t: Option<i64>| t.map(views::shanghai_moment).unwrap_or_default();
        let header = [
            locale.text(PointsText::Volunteer),
            locale.text(PointsText::FieldPhone),
            locale.text(PointsText::Status),
            locale.text(PointsText::CheckIn),
            locale.text(PointsText::CheckOut),
            locale.text(PointsText::Minutes),
            locale.text(PointsText::FieldPoints),
        ];
        let rows = roster.entries.iter().map(|e| {
            let status = match (e.no_show, e.status) {
                (true, _) => locale.text(PointsText::NoShow).to_owned(),
                (false, Some(status)) => views::status_text(status, locale),
                (false, None) => String::new(),
            };
            vec![
                e.name.clone(),
                e.phone_masked.clone(),
                status,
                format!(
                    "{} {}",
                    time(e.checked_in_at),
                    e.how_in.clone().unwrap_or_default()
                )
                .trim()
                .to_owned(),
                format!(
                    "{} {}",
                    time(e.checked_out_at),
                    e.how_out.clone().unwrap_or_default()
                )
                .trim()
                .to_owned(),
                e.minutes.map(|m| m.to_string()).unwrap_or_default(),
                e.points.map(|p| p.to_string()).unwrap_or_default(),
            ]
        });
        Ok((
            format!("attendance-{activity}.csv"),
            crate::csv::document(&header, rows),
        ))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redemption_codes_are_normalised_and_checked() {
        assert_eq!(parse_redemption_code(" abcd-efgh "), Ok("ABCDEFGH".into()));
        for bad in [
            "",
            "ABCDEFG",
            "ABCDEFGHJ",
            "ABCDEFG0",
            "ABCDEFGI",
            "ABC#EFGH",
        ] {
            assert!(parse_redemption_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn positions_need_all_three_numbers() {
        assert_eq!(
            parse_position("31.24", "121.44", "12"),
            Some((31.24, 121.44, 12.0))
        );
        assert_eq!(parse_position("31.24", "", "12"), None);
        assert_eq!(parse_position("NaN", "121.44", "12"), None);
    }

    #[test]
    fn actions_round_trip() {
        for a in [Action::In, Action::Out] {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert_eq!(Action::parse("sideways"), None);
    }
}
