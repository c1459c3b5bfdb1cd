//! Answers before dispatch (楼长点点通's case library and 你问我答): resolved requests that
//! staff publish for everyone as cases, and answered questions as Q&A entries, with personal
//! data masked first, searchable in Chinese.
//!
//! Pure rules: `mask` (finding and hiding personal data). SQL in `store`, views in `views`.

pub mod guides;
pub mod texts;
pub mod views;

#[cfg(feature = "ssr")]
pub mod mask;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use texts::KnowledgeText;

/// The fields of this capability's forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KnowledgeField {
    Title,
    Problem,
    Solution,
    ByHand,
    Request,
    Category,
    Summary,
    Steps,
    Materials,
    Place,
    Hours,
    Fees,
    TimeLimit,
    OnlineUrl,
    Contact,
}

impl KnowledgeField {
    pub fn label(self) -> KnowledgeText {
        match self {
            KnowledgeField::Title => KnowledgeText::FieldTitle,
            KnowledgeField::Problem => KnowledgeText::FieldProblem,
            KnowledgeField::Solution => KnowledgeText::FieldSolution,
            KnowledgeField::ByHand => KnowledgeText::FieldByHand,
            KnowledgeField::Request => KnowledgeText::FieldRequest,
            KnowledgeField::Category => KnowledgeText::FieldCategory,
            KnowledgeField::Summary => KnowledgeText::FieldSummary,
            KnowledgeField::Steps => KnowledgeText::FieldSteps,
            KnowledgeField::Materials => KnowledgeText::FieldMaterials,
            KnowledgeField::Place => KnowledgeText::FieldPlace,
            KnowledgeField::Hours => KnowledgeText::FieldHours,
            KnowledgeField::Fees => KnowledgeText::FieldFees,
            KnowledgeField::TimeLimit => KnowledgeText::FieldTimeLimit,
            KnowledgeField::OnlineUrl => KnowledgeText::FieldOnlineUrl,
            KnowledgeField::Contact => KnowledgeText::FieldContact,
        }
    }
}

/// A case (案例), or a Q&A entry (你问我答).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseKind {
    Case,
    Question,
}

impl CaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Case => "case",
            CaseKind::Question => "qa",
        }
    }

    pub fn parse(text: &str) -> Option<CaseKind> {
        [CaseKind::Case, CaseKind::Question]
            .into_iter()
            .find(|k| k.as_str() == text.trim())
    }
}

/// Why a step cannot be taken now (409).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KnowledgeRefused {
    /// Only a resolved (or closed) request can become a case.
    NotResolved,
    AlreadyPublished,
    /// Only a consultation (咨询) becomes a Q&A entry.
    NotAQuestion,
}

impl KnowledgeRefused {
    pub fn text(self) -> KnowledgeText {
        match self {
            KnowledgeRefused::NotResolved => KnowledgeText::NotResolved,
            KnowledgeRefused::AlreadyPublished => KnowledgeText::AlreadyPublished,
            KnowledgeRefused::NotAQuestion => KnowledgeText::NotAQuestion,
        }
    }
}

/// What is wrong with a field of this capability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KnowledgeProblem {
    /// The online link must be an https:// address.
    HttpsLink,
    TooManyLines {
        max: usize,
    },
}

impl KnowledgeProblem {
    pub fn message(self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::Locale::{En, Zh};
        match (self, locale) {
            (KnowledgeProblem::HttpsLink, locale) => locale.text(KnowledgeText::HttpsLink).into(),
            (KnowledgeProblem::TooManyLines { max }, Zh) => format!("最多 {max} 行，每行一项。"),
            (KnowledgeProblem::TooManyLines { max }, En) => {
                format!("At most {max} lines, one item a line.")
            }
        }
    }
}

pub fn invalid(field: KnowledgeField, problem: crate::error::Problem) -> AppError {
    AppError::invalid(crate::error::Field::Knowledge(field), problem)
}

pub fn invalid_because(field: KnowledgeField, problem: KnowledgeProblem) -> AppError {
    invalid(field, crate::error::Problem::Knowledge(problem))
}

pub fn refused(reason: KnowledgeRefused) -> AppError {
    AppError::Conflict(crate::error::Conflict::Knowledge(reason))
}

/// A case in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    pub kind: CaseKind,
    pub title: String,
    pub category: String,
    /// The start of the problem.
    pub excerpt: String,
    pub published_at: i64,
}

/// A case page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub id: i64,
    pub kind: CaseKind,
    pub title: String,
    pub problem: String,
    pub solution: String,
    pub category: String,
    pub departments: Vec<String>,
    pub building: Option<String>,
    pub published_at: i64,
    pub helpful: i64,
    pub related: Vec<CaseSummary>,
}

/// The three texts of a case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseText {
    pub title: String,
    pub problem: String,
    pub solution: String,
}

/// The editor's view of a resolved request: the original beside what would be published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDraft {
    pub request: String,
    pub category: String,
    pub departments: Vec<String>,
    pub original: CaseText,
    pub masked: CaseText,
    /// The labels of what was hidden, each once ("[手机号]", "[姓名]" …).
    pub hidden: Vec<String>,
}

/// The filters of the case search.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilters {
    pub categories: Vec<(i64, String)>,
    pub departments: Vec<(i64, String)>,
}

/// Words to hide by hand: one a line, blank lines ignored, at most 20 of 1–40 characters.
pub fn parse_by_hand(text: &str) -> Result<Vec<String>, AppError> {
    use crate::error::Problem;
    let words: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    if words.len() > 20 {
        return Err(invalid(
            KnowledgeField::ByHand,
            Problem::TooLong { max: 20 },
        ));
    }
    if words.iter().any(|w| w.chars().count() > 40) {
        return Err(invalid(
            KnowledgeField::ByHand,
            Problem::TooLong { max: 40 },
        ));
    }
    Ok(words)
}

/// Cases or Q&A entries (`kind`, else both) matching `q` (Chinese, partial words), of a
/// category and a department if given.
#[server(endpoint = "cases/search", output = crate::codec::Json)]
pub async fn search_cases(
    #[server(default)] q: String,
    #[server(default)] kind: String,
    #[server(default)] category: String,
    #[server(default)] department: String,
) -> Result<Vec<CaseSummary>, AppError> {
    let state = crate::state::app_state()?;
    // A filter that is not one of ours is no filter (as "全部" sends it).
    let filters = store::Filters {
        kind: CaseKind::parse(&kind),
        category: category.trim().parse().ok(),
        department: department.trim().parse().ok(),
    };
    store::search(&state, &q, filters, crate::state::request_locale()).await
}

/// Published answers like the problem being typed, before it is raised (at most three).
#[server(endpoint = "cases/matching", output = crate::codec::Json)]
pub async fn matching_cases(text: String) -> Result<Vec<CaseSummary>, AppError> {
    let state = crate::state::app_state()?;
    store::matching(&state, &text, crate::state::request_locale()).await
}

#[server(endpoint = "cases/filters", output = crate::codec::Json)]
pub async fn load_case_filters() -> Result<CaseFilters, AppError> {
    let state = crate::state::app_state()?;
    store::filters(&state, crate::state::request_locale()).await
}

#[server(endpoint = "cases/get", output = crate::codec::Json)]
pub async fn load_case(id: i64) -> Result<CaseDetail, AppError> {
    let state = crate::state::app_state()?;
    store::case(&state, id, crate::state::request_locale()).await
}

/// The editor's masked draft of a resolved request, with the words hidden by hand.
#[server(endpoint = "cases/draft", output = crate::codec::Json)]
pub async fn load_case_draft(
    request: String,
    #[server(default)] by_hand: String,
) -> Result<CaseDraft, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let by_hand = parse_by_hand(&by_hand)?;
    store::draft(
        &caller,
        request.trim(),
        &by_hand,
        crate::state::request_locale(),
    )
    .await
}

/// Publishes a resolved request as a case. The texts are masked again on the server, so
/// personal data typed back in by the editor is hidden all the same.
#[server(endpoint = "cases/publish", output = crate::codec::Json)]
pub async fn publish_case(
    request: String,
    title: String,
    problem: String,
    solution: String,
    #[server(default)] by_hand: String,
) -> Result<i64, AppError> {
    use crate::error::{bounded_text, Field};
    let caller = crate::accounts::auth::require_user().await?;
    let text =
        |field, value: &str, min, max| bounded_text(Field::Knowledge(field), value, min, max);
    let case = CaseText {
        title: text(KnowledgeField::Title, &title, 2, 60)?,
        problem: text(KnowledgeField::Problem, &problem, 2, 2000)?,
        solution: text(KnowledgeField::Solution, &solution, 2, 2000)?,
    };
    let by_hand = parse_by_hand(&by_hand)?;
    store::publish(&caller, request.trim(), &case, &by_hand).await
}

/// Publishes an answered consultation as a Q&A entry with one click, masked like a case.
#[server(endpoint = "cases/publish_question", output = crate::codec::Json)]
pub async fn publish_question(request: String) -> Result<i64, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::publish_question(&caller, request.trim()).await
}

/// "Was this helpful?"; `answered` ("no need to ask") implies helpful.
#[server(endpoint = "cases/vote", output = crate::codec::Json)]
pub async fn vote_on_case(
    case: i64,
    #[server(default)] helpful: String,
    #[server(default)] answered: String,
) -> Result<i64, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let answered = !answered.is_empty();
    let helpful = answered || helpful == "yes";
    store::vote(&caller, case, helpful, answered).await
}
