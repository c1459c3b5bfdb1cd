//! The SQL of the case library. A case holds only masked text: `draft` and `publish` read the
//! request's original and mask it here, on the server, every time.

use super::mask::{self, Known};
use super::*;
use crate::accounts::auth::Caller;
use crate::error::OnConstraint;
use crate::i18n::Locale;
use crate::requests::similar;
use crate::requests::store::name_in;
use crate::state::AppState;
use sqlx::postgres::PgRow;
use sqlx::Row;

/// Results a search shows.
const MAX_RESULTS: i64 = 20;
/// Related cases a case page shows.
const MAX_RELATED: i64 = 3;
/// Characters of a search kept: a pasted essay is not a query.
const MAX_QUERY_CHARS: usize = 100;

/// The shared-gram score of `c.bigrams` against `$1` (see `requests::similar`).
const SCORE: &str =
    "cardinality(ARRAY(SELECT unnest(c.bigrams) INTERSECT SELECT unnest($1::text[])))
                     / sqrt(greatest(cardinality(c.bigrams), 1)::float8 * cardinality($1::text[]))";

fn kind_of(row: &PgRow) -> CaseKind {
    CaseKind::parse(row.get("kind")).unwrap_or(CaseKind::Case)
}

/// What a search is narrowed to.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filters {
    pub kind: Option<CaseKind>,
    pub category: Option<i64>,
    pub department: Option<i64>,
}

fn summary_from(row: &PgRow) -> CaseSummary {
    let problem: String = row.get("problem");
    let mut excerpt: String = problem.chars().take(60).collect();
    if problem.chars().count() > 60 {
        excerpt.push('…');
    }
    CaseSummary {
        id: row.get("id"),
        kind: kind_of(row),
        title: row.get("title"),
        category: row.get("category"),
        excerpt,
        published_at: row.get("published_at"),
    }
}

/// Cases matching `query`, best first. Words of two characters or more are matched by
/// their bigrams (a part of a word matches too); a one-character query by substring; an
/// empty one lists the newest.
pub async fn search(
    state: &AppState,
    query: &str,
    filters: Filters,
    locale: Locale,
) -> Result<Vec<CaseSummary>, AppError> {
    let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
    let grams = similar::bigrams(&query);
    let by_grams = !grams.is_empty() && grams.iter().all(|g| g.chars().count() >= 2);
    let (matching, score) = match (by_grams, query.is_empty()) {
        (true, _) => ("c.bigrams && $1", SCORE),
        (false, false) => ("strpos(c.title || c.problem || c.solution, $4) > 0", "0"),
        (false, true) => ("true", "0"),
    };
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.kind, c.title, {category} AS category, c.problem,
                extract(epoch FROM c.published_at)::bigint AS published_at, {score} AS score
           FROM cases c JOIN request_categories k ON k.id = c.category_id
          WHERE {matching}
            AND ($5::text IS NULL OR c.kind = $5)
            AND ($2::bigint IS NULL OR c.category_id = $2)
            AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM case_departments d
                                                WHERE d.case_id = c.id AND d.department_id = $3))
          ORDER BY score DESC, c.published_at DESC, c.id DESC LIMIT {MAX_RESULTS}",
        category = name_in(locale, "k"),
    ))
    .bind(&grams)
    .bind(filters.category)
    .bind(filters.department)
    .bind(&query)
    .bind(filters.kind.map(CaseKind::as_str))
    .fetch_all(&state.pool)
    .await?;
    Ok(rows.iter().map(summary_from).collect())
}

pub async fn filters(state: &AppState, locale: Locale) -> Result<CaseFilters, AppError> {
    let categories = sqlx::query_as(&format!(
        "SELECT k.id, {} FROM request_categories k ORDER BY k.sort_order, k.id",
        name_in(locale, "k")
    ))
    .fetch_all(&state.pool)
    .await?;
    let departments = sqlx::query_as(&format!(
        "SELECT d.id, {} FROM departments d
          WHERE EXISTS (SELECT 1 FROM case_departments x WHERE x.department_id = d.id)
          ORDER BY d.id",
        name_in(locale, "d")
    ))
    .fetch_all(&state.pool)
    .await?;
    Ok(CaseFilters {
        categories,
        departments,
    })
}

/// A case page: the case, its departments, how many found it helpful, and related cases.
pub async fn case(state: &AppState, id: i64, locale: Locale) -> Result<CaseDetail, AppError> {
    let row = sqlx::query(&format!(
        "SELECT c.id, c.kind, c.title, c.problem, c.solution, c.bigrams, {category} AS category,
                {building} AS building,
                extract(epoch FROM c.published_at)::bigint AS published_at,
                (SELECT count(*) FROM case_votes v WHERE v.case_id = c.id AND v.helpful) AS helpful
           FROM cases c JOIN request_categories k ON k.id = c.category_id
           LEFT JOIN places b ON b.id = c.building_id
          WHERE c.id = $1",
        category = name_in(locale, "k"),
        building = name_in(locale, "b"),
    ))
    .bind(id)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let departments = sqlx::query_scalar(&format!(
        "SELECT {} FROM case_departments x JOIN departments d ON d.id = x.department_id
          WHERE x.case_id = $1 ORDER BY d.id",
        name_in(locale, "d")
    ))
    .bind(id)
    .fetch_all(&state.pool)
    .await?;
    let grams: Vec<String> = row.get("bigrams");
    let related = if grams.is_empty() {
        Vec::new()
    } else {
        sqlx::query(&format!(
            "SELECT c.id, c.kind, c.title, {category} AS category, c.problem,
                    extract(epoch FROM c.published_at)::bigint AS published_at, {SCORE} AS score
               FROM cases c JOIN request_categories k ON k.id = c.category_id
              WHERE c.bigrams && $1 AND c.id <> $2
              ORDER BY score DESC, c.id DESC LIMIT {MAX_RELATED}",
            category = name_in(locale, "k"),
        ))
        .bind(&grams)
        .bind(id)
        .fetch_all(&state.pool)
        .await?
        .iter()
        .map(summary_from)
        .collect()
    };
    Ok(CaseDetail {
        id,
        kind: kind_of(&row),
        title: row.get("title"),
        problem: row.get("problem"),
        solution: row.get("solution"),
        category: row.get("category"),
        departments,
        building: row.get("building"),
        published_at: row.get("published_at"),
        helpful: row.get("helpful"),
        related,
    })
}

/// A resolved request as the source of a case, for staff who may publish it.
struct Source {
    id: i64,
    /// Of the consultation category (咨询).
    is_question: bool,
    category_id: i64,
    category: String,
    building_id: i64,
    requester: String,
    company: String,
    original: CaseText,
    departments: Vec<(i64, String)>,
}

impl Source {
    fn known<'a>(&'a self, by_hand: &'a [&'a str]) -> Known<'a> {
        Known {
            name: &self.requester,
            company: &self.company,
            by_hand,
        }
    }
}

/// The request numbered `number`, if the caller may publish it: a manager of its building,
/// staff of a department it was routed to, or an admin; and only once it is resolved.
async fn source(caller: &Caller, number: &str, locale: Locale) -> Result<Source, AppError> {
    let row = sqlx::query(&format!(
        "SELECT r.id, r.requester_id, r.building_id, r.category_id, r.status, r.title,
                r.description, coalesce(r.summary, '') AS summary, u.display_name,
                coalesce(co.name, '') AS company, {category} AS category,
                k.code = 'consultation' AS is_question
           FROM requests r JOIN users u ON u.id = r.requester_id
           LEFT JOIN companies co ON co.id = r.company_id
           JOIN request_categories k ON k.id = r.category_id
          WHERE r.number = $1",
        category = name_in(locale, "k"),
    ))
    .bind(number)
    .fetch_optional(&caller.state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let id: i64 = row.get("id");
    let departments: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT d.id, {} FROM request_assignments a JOIN departments d ON d.id = a.department_id
          WHERE a.request_id = $1 ORDER BY d.id",
        name_in(locale, "d")
    ))
    .bind(id)
    .fetch_all(&caller.state.pool)
    .await?;
    let actor = crate::requests::store::actor_for(
        &caller.grants,
        caller.user_id,
        row.get("requester_id"),
        row.get("building_id"),
    );
    let assigned = departments
        .iter()
        .any(|(d, _)| actor.departments.contains(d));
    if !(actor.manages_building || actor.is_admin || assigned) {
        return Err(AppError::Forbidden);
    }
    if !matches!(row.get::<&str, _>("status"), "resolved" | "closed") {
        return Err(refused(KnowledgeRefused::NotResolved));
    }
    Ok(Source {
        id,
        is_question: row.get("is_question"),
        category_id: row.get("category_id"),
        category: row.get("category"),
        building_id: row.get("building_id"),
        requester: row.get("display_name"),
        company: row.get("company"),
        original: CaseText {
            title: row.get("title"),
            problem: row.get("description"),
            solution: row.get("summary"),
        },
        departments,
    })
}

fn masked(text: &CaseText, known: &Known) -> CaseText {
    CaseText {
        title: mask::mask(&text.title, known),
        problem: mask::mask(&text.problem, known),
        solution: mask::mask(&text.solution, known),
    }
}

/// The editor's draft: the request's original beside its masked text.
pub async fn draft(
    caller: &Caller,
    number: &str,
    by_hand: &[String],
    locale: Locale,
) -> Result<CaseDraft, AppError> {
    let source = source(caller, number, locale).await?;
    let published: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM cases WHERE request_id = $1)")
            .bind(source.id)
            .fetch_one(&caller.state.pool)
            .await?;
    if published {
        return Err(refused(KnowledgeRefused::AlreadyPublished));
    }
    let words: Vec<&str> = by_hand.iter().map(String::as_str).collect();
    let known = source.known(&words);
    let mut hidden: Vec<String> = Vec::new();
    for text in [
        &source.original.title,
        &source.original.problem,
        &source.original.solution,
    ] {
        for found in mask::find(text, &known) {
            let label = found.kind.label().to_owned();
            if !hidden.contains(&label) {
                hidden.push(label);
            }
        }
    }
    Ok(CaseDraft {
        request: number.to_owned(),
        category: source.category.clone(),
        departments: source.departments.iter().map(|(_, n)| n.clone()).collect(),
        masked: masked(&source.original, &known),
        original: source.original,
        hidden,
    })
}

/// Publishes the editor's text, masked again here, as the request's case; returns its id.
pub async fn publish(
    caller: &Caller,
    number: &str,
    text: &CaseText,
    by_hand: &[String],
) -> Result<i64, AppError> {
    let source = source(caller, number, Locale::Zh).await?;
    let words: Vec<&str> = by_hand.iter().map(String::as_str).collect();
    let case = masked(text, &source.known(&words));
    insert(caller, number, &source, &case, CaseKind::Case).await
}

/// Publishes an answered consultation, masked, as a Q&A entry (one click, no editor).
pub async fn publish_question(caller: &Caller, number: &str) -> Result<i64, AppError> {
    let source = source(caller, number, Locale::Zh).await?;
    if !source.is_question {
        return Err(refused(KnowledgeRefused::NotAQuestion));
    }
    let entry = masked(&source.original, &source.known(&[]));
    if entry.solution.trim().chars().count() < 2 {
        return Err(refused(KnowledgeRefused::NotResolved));
    }
    insert(caller, number, &source, &entry, CaseKind::Question).await
}

async fn insert(
    caller: &Caller,
    number: &str,
    source: &Source,
    case: &CaseText,
    kind: CaseKind,
) -> Result<i64, AppError> {
    let grams = similar::bigrams(&format!(
        "{} {} {}",
        case.title, case.problem, case.solution
    ));
    let mut tx = caller.state.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (request_id, category_id, building_id, title, problem, solution,
                            bigrams, published_by, kind)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(source.id)
    .bind(source.category_id)
    .bind(source.building_id)
    .bind(&case.title)
    .bind(&case.problem)
    .bind(&case.solution)
    .bind(&grams)
    .bind(caller.user_id)
    .bind(kind.as_str())
    .fetch_one(&mut *tx)
    .await
    .on_constraint(
        "cases_request_key",
        refused(KnowledgeRefused::AlreadyPublished),
    )?;
    let departments: Vec<i64> = source.departments.iter().map(|(d, _)| *d).collect();
    sqlx::query(
        "INSERT INTO case_departments (case_id, department_id) SELECT $1, unnest($2::bigint[])",
    )
    .bind(id)
    .bind(&departments)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail)
         VALUES ($1, $4, 'case:' || $2, jsonb_build_object('request', $3::text))",
    )
    .bind(caller.user_id)
    .bind(id)
    .bind(number)
    .bind(match kind {
        CaseKind::Case => "cases.publish",
        CaseKind::Question => "cases.publish_question",
    })
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Published cases and Q&A entries like `text` (a problem being typed), best first, at
/// most three, each alike enough to be worth reading (`similar::MIN_SCORE`).
pub async fn matching(
    state: &AppState,
    text: &str,
    locale: Locale,
) -> Result<Vec<CaseSummary>, AppError> {
    let text: String = text.chars().take(500).collect();
    let grams = similar::bigrams(&text);
    if grams.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query(&format!(
        "SELECT * FROM (
             SELECT c.id, c.kind, c.title, {category} AS category, c.problem,
                    extract(epoch FROM c.published_at)::bigint AS published_at, {SCORE} AS score
               FROM cases c JOIN request_categories k ON k.id = c.category_id
              WHERE c.bigrams && $1) alike
          WHERE score >= $2 ORDER BY score DESC, id DESC LIMIT 3",
        category = name_in(locale, "k"),
    ))
    .bind(&grams)
    .bind(similar::MIN_SCORE)
    .fetch_all(&state.pool)
    .await?
    .iter()
    .map(summary_from)
    .collect())
}

/// Records the reader's answer to "was this helpful?" (their latest counts); returns how
/// many found the case helpful.
pub async fn vote(
    caller: &Caller,
    case: i64,
    helpful: bool,
    answered: bool,
) -> Result<i64, AppError> {
    sqlx::query(
        "INSERT INTO case_votes (case_id, user_id, helpful, answered) VALUES ($1, $2, $3, $4)
         ON CONFLICT (case_id, user_id) DO UPDATE
            SET helpful = EXCLUDED.helpful, answered = EXCLUDED.answered, voted_at = now()",
    )
    .bind(case)
    .bind(caller.user_id)
    .bind(helpful)
    .bind(answered)
    .execute(&caller.state.pool)
    .await
    .on_constraint("case_votes_case_id_fkey", AppError::NotFound)?;
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM case_votes WHERE case_id = $1 AND helpful")
            .bind(case)
            .fetch_one(&caller.state.pool)
            .await?,
    )
}
