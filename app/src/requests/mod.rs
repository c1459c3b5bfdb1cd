//! Problems raised to the building manager (楼长点点通, "有问题找楼长"): a worker raises a
//! problem with photos, the building manager accepts and routes it, departments claim and
//! answer it, it is resolved, and the worker confirms and rates it; every step is on a
//! timeline the people involved see live.
//!
//! Pure rules: `lifecycle` (the state machine and who may do what), `workdays` (working-time
//! deadlines), `deadlines` (overdue and due-today, derived), `similar` (Chinese bigrams),
//! `number` (tracking numbers). SQL in `store`, views in `views` and `inbox`.

pub mod admin;
pub mod deadlines;
pub mod inbox;
pub mod lifecycle;
pub mod number;
pub mod similar;
pub mod texts;
pub mod views;
pub mod workdays;

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod photos;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use deadlines::Urgency;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use lifecycle::{AssignmentStatus, EventKind, Status};
use serde::{Deserialize, Serialize};
use texts::RequestText;

pub const MAX_TITLE_CHARS: usize = 60;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const MAX_NOTE_CHARS: usize = 1000;
pub const MAX_SIMILAR: usize = 5;

/// The fields of this capability's forms, for error messages next to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestField {
    Category,
    Building,
    Company,
    Title,
    Description,
    Photos,
    Note,
    Rating,
    Departments,
    MergeInto,
    Number,
    Step,
    Filter,
    Date,
    DayKind,
}

impl RequestField {
    pub fn label(self) -> RequestText {
        match self {
            RequestField::Category => RequestText::FieldCategory,
            RequestField::Building => RequestText::FieldBuilding,
            RequestField::Company => RequestText::FieldCompany,
            RequestField::Title => RequestText::FieldTitle,
            RequestField::Description => RequestText::FieldDescription,
            RequestField::Photos => RequestText::FieldPhotos,
            RequestField::Note => RequestText::FieldNote,
            RequestField::Rating => RequestText::FieldRating,
            RequestField::Departments => RequestText::FieldDepartments,
            RequestField::MergeInto => RequestText::FieldMergeInto,
            RequestField::Number => RequestText::FieldNumber,
            RequestField::Step => RequestText::FieldStep,
            RequestField::Filter => RequestText::FieldFilter,
            RequestField::Date => RequestText::FieldDate,
            RequestField::DayKind => RequestText::FieldDayKind,
        }
    }
}

/// What is wrong with one of this capability's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestProblem {
    UnknownCategory,
    UnknownBuilding,
    UnknownDepartment,
    RatingRange,
    MergeTargetUnknown,
    MergeIntoItself,
    NumberFormat,
    UnknownStep,
    ChooseDepartment,
}

impl RequestProblem {
    pub fn text(self) -> RequestText {
        match self {
            RequestProblem::UnknownCategory => RequestText::ProblemUnknownCategory,
            RequestProblem::UnknownBuilding => RequestText::ProblemUnknownBuilding,
            RequestProblem::UnknownDepartment => RequestText::ProblemUnknownDepartment,
            RequestProblem::RatingRange => RequestText::ProblemRatingRange,
            RequestProblem::MergeTargetUnknown => RequestText::ProblemMergeTargetUnknown,
            RequestProblem::MergeIntoItself => RequestText::ProblemMergeIntoItself,
            RequestProblem::NumberFormat => RequestText::ProblemNumberFormat,
            RequestProblem::UnknownStep => RequestText::ProblemUnknownStep,
            RequestProblem::ChooseDepartment => RequestText::ProblemChooseDepartment,
        }
    }
}

/// A field error of this capability.
pub fn invalid(field: RequestField, problem: crate::error::Problem) -> AppError {
    AppError::invalid(crate::error::Field::Request(field), problem)
}

/// A field error with a problem of this capability.
pub fn invalid_because(field: RequestField, problem: RequestProblem) -> AppError {
    invalid(field, crate::error::Problem::Request(problem))
}

/// A text of at most `max` characters, trimmed; `required` refuses an empty one.
pub fn parse_text(
    field: RequestField,
    input: &str,
    required: bool,
    max: usize,
) -> Result<String, AppError> {
    use crate::error::Problem;
    let text = input.trim();
    if required && text.is_empty() {
        return Err(invalid(field, Problem::Required));
    }
    if text.chars().count() > max {
        return Err(invalid(field, Problem::TooLong { max }));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(invalid(field, Problem::InvalidCharacters));
    }
    Ok(text.replace("\r\n", "\n"))
}

/// A name and id to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormOptions {
    pub categories: Vec<Choice>,
    /// 咨询: a question to the building manager (你问我答's "ask").
    pub question_category: Option<i64>,
    pub buildings: Vec<Choice>,
    /// The building of the worker's last request, to start with.
    pub last_building: Option<i64>,
    pub last_company: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyChoice {
    pub id: i64,
    pub name: String,
    /// Typed by a worker and not yet confirmed by the building manager.
    pub confirmed: bool,
}

/// A resolved request like the one being typed ("相关的历史诉求"), which the reader may open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarItem {
    pub title: String,
    pub category: String,
    pub summary: String,
    /// Set when the reader may open the request itself.
    pub number: Option<String>,
}

/// A request in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub number: String,
    pub title: String,
    pub status: Status,
    pub category: String,
    pub building: String,
    pub submitted_at: i64,
    pub due: Option<i64>,
    pub urgency: Urgency,
    pub departments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentView {
    pub department_id: i64,
    pub department: String,
    pub status: AssignmentStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub id: i64,
    pub kind: EventKind,
    /// Who acted, as the timeline shows them (a name, or a role for the system).
    pub actor: String,
    pub capacity: String,
    pub department: Option<String>,
    pub note: String,
    pub at: i64,
    pub photos: Vec<i64>,
    pub rating: Option<i16>,
    /// Departments routed to, or the request merged into/from.
    pub detail: Vec<String>,
}

/// Why a department is suggested for routing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub department_id: i64,
    pub department: String,
    /// How many similar past requests it resolved; 0 for the category's default.
    pub similar_resolved: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub description: String,
    pub status: Status,
    pub category: String,
    /// Of the consultation category: its answer may become a Q&A entry.
    pub is_question: bool,
    pub building: String,
    pub company: Option<String>,
    /// Shown to staff only.
    pub requester: Option<String>,
    pub submitted_at: i64,
    pub first_response_due: i64,
    pub resolution_due: i64,
    pub due: Option<i64>,
    pub urgency: Urgency,
    pub resolved_at: Option<i64>,
    pub summary: Option<String>,
    pub rating: Option<i16>,
    pub merged_into: Option<String>,
    pub photos: Vec<i64>,
    pub assignments: Vec<AssignmentView>,
    pub timeline: Vec<EventView>,
    pub actions: Vec<lifecycle::Step>,
    /// For routing: suggested departments first, then every department.
    pub suggestions: Vec<Suggestion>,
    pub departments: Vec<Choice>,
}

/// A building manager's or a department's inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<RequestSummary>,
    /// Live-update topics of this inbox.
    pub topics: Vec<String>,
    pub buildings: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub departments: Vec<Choice>,
    pub now: i64,
}

/// The inbox's filters, from the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboxFilter {
    /// `None`: every request still waiting for staff (not resolved, closed, returned, merged).
    pub status: Option<Status>,
    pub building: Option<i64>,
    pub category: Option<i64>,
    pub department: Option<i64>,
    pub overdue: bool,
    pub due_today: bool,
}

impl InboxFilter {
    pub fn parse(
        status: &str,
        building: &str,
        category: &str,
        department: &str,
        due: &str,
    ) -> Result<InboxFilter, AppError> {
        let bad = || invalid_because(RequestField::Filter, RequestProblem::UnknownStep);
        let id = |text: &str| -> Result<Option<i64>, AppError> {
            match text.trim() {
                "" => Ok(None),
                t => t.parse().map(Some).map_err(|_| bad()),
            }
        };
        let status = match status.trim() {
            "" | "open" => None,
            s => Some(Status::parse(s).ok_or_else(bad)?),
        };
        let (overdue, due_today) = match due.trim() {
            "" => (false, false),
            "overdue" => (true, false),
            "today" => (false, true),
            _ => return Err(bad()),
        };
        Ok(InboxFilter {
            status,
            building: id(building)?,
            category: id(category)?,
            department: id(department)?,
            overdue,
            due_today,
        })
    }
}

#[server(endpoint = "requests/form_options", output = crate::codec::Json)]
pub async fn get_form_options() -> Result<FormOptions, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::form_options(
        &caller.state.pool,
        caller.user_id,
        crate::state::request_locale(),
    )
    .await
}

#[server(endpoint = "requests/companies", output = crate::codec::Json)]
pub async fn companies(building: i64) -> Result<Vec<CompanyChoice>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::companies(&caller.state.pool, building).await
}

/// Resolved requests like `text`, while the worker types.
#[server(endpoint = "requests/similar", output = crate::codec::Json)]
pub async fn similar_requests(text: String) -> Result<Vec<SimilarItem>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let text = parse_text(
        RequestField::Description,
        &text,
        false,
        MAX_DESCRIPTION_CHARS,
    )?;
    store::similar(&caller, &text, crate::state::request_locale()).await
}

/// Raises a problem: form fields plus up to three photos. Returns the tracking number.
#[server(endpoint = "requests/raise", input = MultipartFormData, output = crate::codec::Json)]
pub async fn raise_request(data: MultipartData) -> Result<String, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let form =
        crate::uploads::read_form(data, crate::error::Field::Request(RequestField::Photos)).await?;
    let number = store::raise(&caller, form).await?;
    leptos_axum::redirect(&format!("/requests/{number}"));
    Ok(number)
}

#[server(endpoint = "requests/mine", output = crate::codec::Json)]
pub async fn my_requests() -> Result<Vec<RequestSummary>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::mine(&caller, crate::state::request_locale()).await
}

#[server(endpoint = "requests/detail", output = crate::codec::Json)]
pub async fn get_request_detail(number: String) -> Result<RequestDetail, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let number = number::parse_number(&number).ok_or(AppError::NotFound)?;
    store::detail(&caller, &number, crate::state::request_locale()).await
}

/// Takes one step on a request (accept, route, claim, answer, resolve, confirm …), with a
/// note and up to three photos where the step carries them.
#[server(endpoint = "requests/step", input = MultipartFormData, output = crate::codec::Json)]
pub async fn take_step(data: MultipartData) -> Result<(), AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let form =
        crate::uploads::read_form(data, crate::error::Field::Request(RequestField::Photos)).await?;
    let number = form.text("number").to_owned();
    store::take_step(&caller, form).await?;
    if let Some(number) = number::parse_number(&number) {
        crate::state::redirect_plain_form(&format!("/requests/{number}"));
    }
    Ok(())
}

#[server(endpoint = "requests/inbox", output = crate::codec::Json)]
pub async fn get_inbox(
    #[server(default)] status: String,
    #[server(default)] building: String,
    #[server(default)] category: String,
    #[server(default)] department: String,
    #[server(default)] due: String,
) -> Result<Inbox, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let filter = InboxFilter::parse(&status, &building, &category, &department, &due)?;
    store::inbox_for(
        &caller,
        &filter,
        crate::state::request_locale(),
        store::INBOX_LIMIT,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Field, Problem};

    #[test]
    fn texts_are_trimmed_bounded_and_clean() {
        assert_eq!(
            parse_text(RequestField::Title, "  空调不制冷 ", true, 60),
            Ok("空调不制冷".into())
        );
        assert_eq!(
            parse_text(RequestField::Title, "  ", true, 60),
            Err(AppError::invalid(
                Field::Request(RequestField::Title),
                Problem::Required
            ))
        );
        assert_eq!(
            parse_text(RequestField::Note, &"长".repeat(11), true, 10),
            Err(AppError::invalid(
                Field::Request(RequestField::Note),
                Problem::TooLong { max: 10 }
            ))
        );
        assert!(parse_text(RequestField::Note, "a\u{0}b", false, 10).is_err());
        assert_eq!(
            parse_text(RequestField::Note, "第一行\r\n第二行", false, 10),
            Ok("第一行\n第二行".into())
        );
    }

    #[test]
    fn inbox_filters_parse_from_the_url() {
        let f = InboxFilter::parse("routed", "12", "", "3", "overdue").unwrap();
        assert_eq!(f.status, Some(Status::Routed));
        assert_eq!(
            (f.building, f.department, f.overdue),
            (Some(12), Some(3), true)
        );
        assert_eq!(
            InboxFilter::parse("open", "", "", "", "").unwrap(),
            InboxFilter::default()
        );
        assert!(InboxFilter::parse("lost", "", "", "", "").is_err());
        assert!(InboxFilter::parse("", "x", "", "", "").is_err());
        assert!(InboxFilter::parse("", "", "", "", "soon").is_err());
    }

    #[test]
    fn every_field_and_problem_has_words() {
        use crate::i18n::Locale;
        let e = invalid_because(RequestField::Category, RequestProblem::UnknownCategory);
        assert!(e.message(Locale::Zh).starts_with("问题类别"));
        assert!(!e.message(Locale::En).is_empty());
    }
}
