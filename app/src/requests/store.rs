//! Requests in PostgreSQL. Every step runs in one transaction that locks the request's row,
//! asks the lifecycle whether the step is possible, and writes the new state, the timeline
//! event, its photos, the notifications and the live notice together.

use super::deadlines::{current_due, urgency};
use super::lifecycle::{
    decide, Actor, Assignment, AssignmentChange, AssignmentStatus, Capacity, Decision, EventKind,
    RequestState, Status, Step, StepRefused,
};
use super::number::{format_number, parse_number};
use super::workdays::{Calendar, DayKind};
use super::*;
use crate::accounts::auth::Caller;
use crate::accounts::roles::{is_admin, Role, RoleGrant, Scope};
use crate::error::{AppError, Conflict, Field, Problem};
use crate::i18n::Locale;
use crate::live::{publish, Topic};
use crate::uploads::{Photo, UploadedForm};
use sqlx::{PgExecutor, PgPool, Postgres, Transaction};

/// `name_zh` or `name_en` of table alias `t`, as the reader's language asks.
pub(crate) fn name_in(locale: Locale, alias: &str) -> String {
    match locale {
        Locale::Zh => format!("{alias}.name_zh"),
        Locale::En => format!("{alias}.name_en"),
    }
}

/// The working-day calendar as the admin keeps it.
pub async fn load_calendar(db: impl PgExecutor<'_>) -> Result<Calendar, AppError> {
    let rows: Vec<(i32, String)> =
        sqlx::query_as("SELECT (day - DATE '1970-01-01')::int, kind FROM calendar_days")
            .fetch_all(db)
            .await?;
    Ok(Calendar::new(rows.into_iter().map(|(day, kind)| {
        let kind = if kind == "work" {
            DayKind::WorkingDay
        } else {
            DayKind::DayOff
        };
        (day, kind)
    })))
}

/// Writes how long requests waited, in working minutes of `calendar`: to the first response
/// and to the resolution (the numbers' medians read them). For request `only`, or for every
/// request that lacks a time it has the instants for. A reopened request has no resolution
/// time until it is resolved again.
pub async fn fill_work_minutes(
    db: &mut sqlx::PgConnection,
    calendar: &Calendar,
    only: Option<i64>,
) -> Result<(), AppError> {
    let rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT id, extract(epoch FROM submitted_at)::bigint,
                extract(epoch FROM responded_at)::bigint, extract(epoch FROM resolved_at)::bigint
           FROM requests
          WHERE CASE WHEN $1::bigint IS NULL
                     THEN (responded_at IS NOT NULL AND response_work_minutes IS NULL)
                       OR (resolved_at IS NOT NULL AND resolution_work_minutes IS NULL)
                     ELSE id = $1 END",
    )
    .bind(only)
    .fetch_all(&mut *db)
    .await?;
    let minutes = |from: i64, to: Option<i64>| {
        to.map(|to| i32::try_from(calendar.working_minutes_between(from, to)).unwrap_or(i32::MAX))
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let response: Vec<Option<i32>> = rows.iter().map(|r| minutes(r.1, r.2)).collect();
    let resolution: Vec<Option<i32>> = rows.iter().map(|r| minutes(r.1, r.3)).collect();
    sqlx::query(
        "UPDATE requests r
            SET response_work_minutes = t.response, resolution_work_minutes = t.resolution
           FROM unnest($1::bigint[], $2::integer[], $3::integer[]) AS t (id, response, resolution)
          WHERE r.id = t.id",
    )
    .bind(&ids)
    .bind(&response)
    .bind(&resolution)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// The capacities `user_id` holds toward a request of `building_id` raised by `requester_id`.
pub fn actor_for(grants: &[RoleGrant], user_id: i64, requester_id: i64, building_id: i64) -> Actor {
    Actor {
        is_requester: user_id == requester_id,
        manages_building: grants
            .iter()
            .any(|g| g.role == Role::BuildingManager && g.scope == Scope::Place(building_id)),
        departments: grants
            .iter()
            .filter(|g| g.role == Role::DepartmentStaff)
            .filter_map(|g| match g.scope {
                Scope::Department(d) => Some(d),
                _ => None,
            })
            .collect(),
        is_admin: is_admin(grants),
        is_system: false,
    }
}

/// The buildings `grants` make one a building manager of.
pub fn managed_buildings(grants: &[RoleGrant]) -> Vec<i64> {
    crate::accounts::roles::places_held(grants, &[Role::BuildingManager])
}

fn refused(refusal: StepRefused) -> AppError {
    match refusal {
        StepRefused::NotPermitted => AppError::Forbidden,
        other => AppError::Conflict(Conflict::Request(other)),
    }
}

fn parse_id(text: &str, field: RequestField, problem: RequestProblem) -> Result<i64, AppError> {
    match text.trim() {
        "" => Err(invalid(field, Problem::Required)),
        t => t
            .parse()
            .ok()
            .filter(|id: &i64| *id > 0)
            .ok_or_else(|| invalid_because(field, problem)),
    }
}

/// The company of this name in the building; a name nobody listed yet is added,
/// unconfirmed, for the building manager to confirm (lunch's subsidy waits for that too).
pub async fn named_company(
    db: &mut sqlx::PgConnection,
    building_id: i64,
    name: &str,
    user_id: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO companies (building_id, name, confirmed, created_by)
         VALUES ($1, $2, false, $3)
         ON CONFLICT (building_id, name) DO UPDATE SET name = EXCLUDED.name
         RETURNING id",
    )
    .bind(building_id)
    .bind(name)
    .bind(user_id)
    .fetch_one(db)
    .await?)
}

pub async fn form_options(
    pool: &PgPool,
    user_id: i64,
    locale: Locale,
) -> Result<FormOptions, AppError> {
    let categories = choices(
        pool,
        &format!(
            "SELECT c.id, {} FROM request_categories c ORDER BY c.sort_order, c.id",
            name_in(locale, "c")
        ),
    )
    .await?;
    let buildings = choices(
        pool,
        &format!(
            "SELECT p.id, {} FROM places p WHERE 'building' = ANY (p.kinds) AND NOT p.hidden
              ORDER BY p.name_zh",
            name_in(locale, "p")
        ),
    )
    .await?;
    let last: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT r.building_id, c.name FROM requests r LEFT JOIN companies c ON c.id = r.company_id
          WHERE r.requester_id = $1 ORDER BY r.id DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    let question_category =
        sqlx::query_scalar("SELECT id FROM request_categories WHERE code = 'consultation'")
            .fetch_optional(pool)
            .await?;
    Ok(FormOptions {
        categories,
        question_category,
        buildings,
        last_building: last.as_ref().map(|l| l.0),
        last_company: last.and_then(|l| l.1),
    })
}

async fn choices(db: impl PgExecutor<'_>, sql: &str) -> Result<Vec<Choice>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(sql).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Choice { id, name })
        .collect())
}

pub async fn companies(pool: &PgPool, building: i64) -> Result<Vec<CompanyChoice>, AppError> {
    let rows: Vec<(i64, String, bool)> = sqlx::query_as(
        "SELECT id, name, confirmed FROM companies WHERE building_id = $1 ORDER BY name LIMIT 500",
    )
    .bind(building)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, confirmed)| CompanyChoice {
            id,
            name,
            confirmed,
        })
        .collect())
}

/// Up to [`MAX_SIMILAR`] resolved requests most like `text`, best first.
pub async fn similar(
    caller: &Caller,
    text: &str,
    locale: Locale,
) -> Result<Vec<SimilarItem>, AppError> {
    let grams = similar::bigrams(text);
    if grams.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String, String, String, Option<String>, i64, i64)> =
        sqlx::query_as(&format!(
            "WITH alike AS ({ALIKE})
             SELECT r.id, r.number, r.title, {}, r.summary, r.requester_id, r.building_id
               FROM alike s JOIN requests r ON r.id = s.request_id
               JOIN request_categories c ON c.id = r.category_id
              ORDER BY s.score DESC, r.id DESC",
            name_in(locale, "c"),
        ))
        .bind(&grams)
        .bind(0_i64)
        .bind(similar::MIN_SCORE)
        .bind(MAX_SIMILAR as i64)
        .fetch_all(&caller.state.pool)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for (id, number, title, category, summary, requester, building) in rows {
        let actor = actor_for(&caller.grants, caller.user_id, requester, building);
        // A request's title and summary are its requester's words: only those who may open
        // it see them. Everyone else reads the published, masked cases instead.
        let visible = actor.is_requester
            || actor.manages_building
            || actor.is_admin
            || may_view(&caller.state.pool, id, caller.user_id, &caller.grants).await?;
        if !visible {
            continue;
        }
        items.push(SimilarItem {
            title,
            category,
            summary: summary.unwrap_or_default(),
            number: Some(number),
        });
    }
    Ok(items)
}

/// The advisory lock key of the escalation job ("esc" in ASCII).
const ESCALATION_LOCK: i64 = 0x657363;

/// The resolved requests most like the grams `$1` (other than request `$2`) scoring at
/// least `$3`, best `$4` first: `similar::score` computed from the inverted index
/// `request_grams`, whose posting lists are read from the index alone.
const ALIKE: &str = "
    SELECT g.request_id,
           count(*) / sqrt(max(g.grams)::float8 * cardinality($1::text[])) AS score
      FROM request_grams g
     WHERE g.gram = ANY ($1) AND g.request_id <> $2
     GROUP BY g.request_id
    HAVING count(*) / sqrt(max(g.grams)::float8 * cardinality($1::text[])) >= $3
     ORDER BY score DESC, g.request_id DESC
     LIMIT $4";

/// Raises a request from the form, with its photos, in one transaction.
pub async fn raise(caller: &Caller, mut form: UploadedForm) -> Result<String, AppError> {
    // Photos are decoded before the transaction: no connection waits on image work.
    let files = std::mem::take(&mut form.files);
    let photos =
        crate::uploads::process_photos(files, Field::Request(RequestField::Photos)).await?;
    let mut tx = caller.state.pool.begin().await?;
    let number = raise_in(&mut tx, caller, &form, &photos).await?;
    tx.commit().await?;
    Ok(number)
}

/// Raises a request from the form within `tx`, so that a caller can write more beside it
/// (Open311 keeps what the program said about the person) before committing.
pub async fn raise_in(
    tx: &mut Transaction<'_, Postgres>,
    caller: &Caller,
    form: &UploadedForm,
    photos: &[Photo],
) -> Result<String, AppError> {
    let category_id = parse_id(
        form.text("category"),
        RequestField::Category,
        RequestProblem::UnknownCategory,
    )?;
    let building_id = parse_id(
        form.text("building"),
        RequestField::Building,
        RequestProblem::UnknownBuilding,
    )?;
    let company = parse_text(RequestField::Company, form.text("company"), false, 60)?;
    if !company.is_empty() && company.chars().count() < 2 {
        return Err(invalid(RequestField::Company, Problem::TooShort { min: 2 }));
    }
    let title = parse_text(
        RequestField::Title,
        form.text("title"),
        true,
        MAX_TITLE_CHARS,
    )?;
    let description = parse_text(
        RequestField::Description,
        form.text("description"),
        true,
        MAX_DESCRIPTION_CHARS,
    )?;
    let now = caller.state.clock.unix_secs();
    let calendar = load_calendar(&mut **tx).await?;
    let minutes: Option<(i32, i32)> = sqlx::query_as(
        "SELECT first_response_minutes, resolution_minutes FROM request_categories WHERE id = $1",
    )
    .bind(category_id)
    .fetch_optional(&mut **tx)
    .await?;
    let (first_minutes, resolution_minutes) = minutes
        .ok_or_else(|| invalid_because(RequestField::Category, RequestProblem::UnknownCategory))?;
    if !crate::map::store::is_building(&mut **tx, building_id).await? {
        return Err(invalid_because(
            RequestField::Building,
            RequestProblem::UnknownBuilding,
        ));
    }
    // A company nobody listed yet is kept for the building manager to confirm.
    let company_id: Option<i64> = if company.is_empty() {
        None
    } else {
        Some(named_company(&mut **tx, building_id, &company, caller.user_id).await?)
    };
    let year: i32 =
        crate::map::hours::format_date(crate::map::hours::LocalTime::shanghai_from_unix(now).day)
            [..4]
            .parse()
            .map_err(|e| AppError::internal("year", e))?;
    let seq: i32 = sqlx::query_scalar(
        "INSERT INTO request_counters AS c (year, last) VALUES ($1, 1)
         ON CONFLICT (year) DO UPDATE SET last = c.last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    let number = format_number(year, seq as i64);
    let first_due = calendar.add_working_minutes(now, first_minutes as u32);
    let resolution_due = calendar.add_working_minutes(now, resolution_minutes as u32);
    let grams = similar::bigrams(&format!("{title}\n{description}"));
    let request_id: i64 = sqlx::query_scalar(
        "INSERT INTO requests (number, requester_id, building_id, company_id, category_id, title,
                               description, status, bigrams, submitted_at, first_response_due,
                               resolution_due)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, to_timestamp($9),
                 to_timestamp($10), to_timestamp($11))
         RETURNING id",
    )
    .bind(&number)
    .bind(caller.user_id)
    .bind(building_id)
    .bind(company_id)
    .bind(category_id)
    .bind(&title)
    .bind(&description)
    .bind(&grams)
    .bind(now as f64)
    .bind(first_due as f64)
    .bind(resolution_due as f64)
    .fetch_one(&mut **tx)
    .await?;
    let target = Target {
        id: request_id,
        number: number.clone(),
        title,
        requester_id: caller.user_id,
        building_id,
    };
    let event = Event {
        actor_id: Some(caller.user_id),
        capacity: Capacity::Requester,
        kind: EventKind::Submitted,
        note: String::new(),
        detail: serde_json::json!({}),
        at: now,
    };
    record(tx, &target, &event, photos).await?;
    Ok(number)
}

/// The request a step is taken on.
struct Target {
    id: i64,
    number: String,
    title: String,
    requester_id: i64,
    building_id: i64,
}

struct Event {
    actor_id: Option<i64>,
    capacity: Capacity,
    kind: EventKind,
    note: String,
    detail: serde_json::Value,
    at: i64,
}

/// Appends `event` to the timeline with its photos, notifies the people it concerns, and
/// tells every open page about it.
async fn record(
    tx: &mut Transaction<'_, Postgres>,
    target: &Target,
    event: &Event,
    photos: &[Photo],
) -> Result<i64, AppError> {
    let event_id: i64 = sqlx::query_scalar(
        "INSERT INTO request_events (request_id, actor_id, actor_role, department_id, kind, note,
                                     detail, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8)) RETURNING id",
    )
    .bind(target.id)
    .bind(event.actor_id)
    .bind(event.capacity.as_str())
    .bind(event.capacity.department())
    .bind(event.kind.as_str())
    .bind(&event.note)
    .bind(&event.detail)
    .bind(event.at as f64)
    .fetch_one(&mut **tx)
    .await?;
    for photo in photos {
        sqlx::query(
            "INSERT INTO request_photos (request_id, event_id, uploaded_by, width, height, jpeg, thumb)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(target.id)
        .bind(event_id)
        .bind(event.actor_id)
        .bind(photo.width as i32)
        .bind(photo.height as i32)
        .bind(&photo.jpeg)
        .bind(&photo.thumb)
        .execute(&mut **tx)
        .await?;
    }
    let audience = event.kind.audience();
    let departments: Vec<i64> =
        sqlx::query_scalar("SELECT department_id FROM request_assignments WHERE request_id = $1")
            .bind(target.id)
            .fetch_all(&mut **tx)
            .await?;
    let mut recipients: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT user_id FROM role_grants
          WHERE ($1 AND role = 'building_manager' AND place_id = $2)
             OR ($3 AND role = 'department_staff' AND department_id = ANY ($4))
             OR ($5 AND role = 'admin')",
    )
    .bind(audience.managers)
    .bind(target.building_id)
    .bind(audience.departments)
    .bind(&departments)
    .bind(audience.admins)
    .fetch_all(&mut **tx)
    .await?;
    if audience.requester {
        recipients.push(target.requester_id);
    }
    recipients.retain(|u| Some(*u) != event.actor_id);
    recipients.sort_unstable();
    recipients.dedup();
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, subject, link, created_at)
         SELECT u, $2, $3, $4, to_timestamp($5) FROM unnest($1::bigint[]) AS u",
    )
    .bind(&recipients)
    .bind(format!("request.{}", event.kind.as_str()))
    .bind(format!("{} {}", target.number, target.title))
    .bind(format!("/requests/{}", target.number))
    .bind(event.at as f64)
    .execute(&mut **tx)
    .await?;
    let mut topics = vec![
        Topic::Request(target.id),
        Topic::Building(target.building_id),
        Topic::AllRequests,
    ];
    topics.extend(departments.into_iter().map(Topic::Department));
    topics.extend(recipients.into_iter().map(Topic::User));
    publish(&mut **tx, &topics).await?;
    Ok(event_id)
}

/// The request's state for the lifecycle, locked for the rest of the transaction.
async fn lock_request(
    tx: &mut Transaction<'_, Postgres>,
    number: &str,
) -> Result<Option<(Target, RequestState)>, AppError> {
    let row: Option<(i64, String, String, i64, i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, number, title, requester_id, building_id, status,
                extract(epoch FROM resolved_at)::bigint
           FROM requests WHERE number = $1 FOR UPDATE",
    )
    .bind(number)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((id, number, title, requester_id, building_id, status, resolved_at)) = row else {
        return Ok(None);
    };
    let assignments = assignments_of(&mut **tx, id).await?;
    let status = Status::parse(&status)
        .ok_or_else(|| AppError::internal("request status", status.clone()))?;
    Ok(Some((
        Target {
            id,
            number,
            title,
            requester_id,
            building_id,
        },
        RequestState {
            status,
            assignments,
            resolved_at,
        },
    )))
}

async fn assignments_of(
    db: impl PgExecutor<'_>,
    request_id: i64,
) -> Result<Vec<Assignment>, AppError> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, department_id, status FROM request_assignments WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, department_id, status)| {
            Some(Assignment {
                id,
                department_id,
                status: AssignmentStatus::parse(&status)?,
            })
        })
        .collect())
}

/// Whether the user may read request `request_id` (used by the live channel and photos).
pub async fn may_view(
    pool: &PgPool,
    request_id: i64,
    user_id: i64,
    grants: &[RoleGrant],
) -> Result<bool, AppError> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT requester_id, building_id FROM requests WHERE id = $1")
            .bind(request_id)
            .fetch_optional(pool)
            .await?;
    let Some((requester_id, building_id)) = row else {
        return Ok(false);
    };
    let actor = actor_for(grants, user_id, requester_id, building_id);
    if actor.is_requester || actor.manages_building || actor.is_admin {
        return Ok(true);
    }
    let assignments = assignments_of(pool, request_id).await?;
    Ok(lifecycle::may_view(
        &RequestState {
            status: Status::Submitted,
            assignments,
            resolved_at: None,
        },
        &actor,
    ))
}

/// The step a form asks for, with its texts checked.
struct StepForm {
    step: Step,
    note: String,
    rating: Option<i16>,
    merge_into: Option<String>,
}

fn parse_step(form: &UploadedForm) -> Result<StepForm, AppError> {
    let name = form.text("step");
    let department = || {
        parse_id(
            form.text("department"),
            RequestField::Departments,
            RequestProblem::UnknownDepartment,
        )
    };
    let step = match name {
        "accept" => Step::Accept,
        "return" => Step::Return,
        "merge" => Step::Merge,
        "route" => {
            let departments = form
                .all("departments")
                .into_iter()
                .filter(|d| !d.trim().is_empty())
                .map(|d| {
                    parse_id(
                        d,
                        RequestField::Departments,
                        RequestProblem::UnknownDepartment,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            if departments.is_empty() {
                return Err(invalid_because(
                    RequestField::Departments,
                    RequestProblem::ChooseDepartment,
                ));
            }
            Step::Route { departments }
        }
        "claim" => Step::Claim {
            department: department()?,
        },
        "ask" => Step::AskForInformation {
            department: department()?,
        },
        "answer" => Step::Answer {
            department: department()?,
        },
        "resolve" => Step::Resolve,
        "confirm" => Step::Confirm,
        "reopen" => Step::Reopen,
        "comment" => Step::Comment,
        _ => {
            return Err(invalid_because(
                RequestField::Step,
                RequestProblem::UnknownStep,
            ))
        }
    };
    // A reason, a question, an answer, a summary or a comment must say something.
    let note_required = matches!(
        step,
        Step::Return
            | Step::Reopen
            | Step::AskForInformation { .. }
            | Step::Answer { .. }
            | Step::Resolve
            | Step::Comment
    );
    let note = parse_text(
        RequestField::Note,
        form.text("note"),
        note_required,
        MAX_NOTE_CHARS,
    )?;
    let rating = match step {
        Step::Confirm => Some(
            form.text("rating")
                .trim()
                .parse::<i16>()
                .ok()
                .filter(|r| (1..=5).contains(r))
                .ok_or_else(|| {
                    invalid_because(RequestField::Rating, RequestProblem::RatingRange)
                })?,
        ),
        _ => None,
    };
    let merge_into = match step {
        Step::Merge => Some(parse_number(form.text("merge_into")).ok_or_else(|| {
            invalid_because(RequestField::MergeInto, RequestProblem::NumberFormat)
        })?),
        _ => None,
    };
    Ok(StepForm {
        step,
        note,
        rating,
        merge_into,
    })
}

/// Takes one step on a request: the heart of the capability.
pub async fn take_step(caller: &Caller, form: UploadedForm) -> Result<(), AppError> {
    let number = parse_number(form.text("number"))
        .ok_or_else(|| invalid_because(RequestField::Number, RequestProblem::NumberFormat))?;
    let StepForm {
        step,
        note,
        rating,
        merge_into,
    } = parse_step(&form)?;
    let photos =
        crate::uploads::process_photos(form.files, Field::Request(RequestField::Photos)).await?;
    let pool = &caller.state.pool;
    let now = caller.state.clock.unix_secs();
    let mut tx = pool.begin().await?;
    let (target, state) = lock_request(&mut tx, &number)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = actor_for(
        &caller.grants,
        caller.user_id,
        target.requester_id,
        target.building_id,
    );
    // Someone not involved learns nothing, not even that the number exists.
    if !lifecycle::may_view(&state, &actor) {
        return Err(AppError::NotFound);
    }
    let decision = decide(&state, &actor, &step, now).map_err(refused)?;
    let mut detail = serde_json::json!({});
    if let Step::Route { departments } = &step {
        let known: i64 = sqlx::query_scalar("SELECT count(*) FROM departments WHERE id = ANY ($1)")
            .bind(departments)
            .fetch_one(&mut *tx)
            .await?;
        let mut distinct = departments.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if known != distinct.len() as i64 {
            return Err(invalid_because(
                RequestField::Departments,
                RequestProblem::UnknownDepartment,
            ));
        }
        detail = serde_json::json!({ "departments": distinct });
    }
    let mut merged_into_id = None;
    if let Some(into) = &merge_into {
        let into_target = merge_target(&mut tx, &target, into).await?;
        merged_into_id = Some(into_target.id);
        detail = serde_json::json!({ "into": into });
        let from = Event {
            actor_id: Some(caller.user_id),
            capacity: decision.capacity,
            kind: EventKind::MergedFrom,
            note: String::new(),
            detail: serde_json::json!({ "from": target.number }),
            at: now,
        };
        record(&mut tx, &into_target, &from, &[]).await?;
    }
    if let Some(rating) = rating {
        detail = serde_json::json!({ "rating": rating });
    }
    apply(
        &mut tx,
        &target,
        &decision,
        now,
        &note,
        rating,
        merged_into_id,
        caller.user_id,
    )
    .await?;
    let event = Event {
        actor_id: Some(caller.user_id),
        capacity: decision.capacity,
        kind: decision.event,
        note,
        detail,
        at: now,
    };
    record(&mut tx, &target, &event, &photos).await?;
    tx.commit().await?;
    Ok(())
}

/// The request `into` that `target` is merged into: another open request of the same
/// building, locked too.
async fn merge_target(
    tx: &mut Transaction<'_, Postgres>,
    target: &Target,
    into: &str,
) -> Result<Target, AppError> {
    if into == target.number {
        return Err(invalid_because(
            RequestField::MergeInto,
            RequestProblem::MergeIntoItself,
        ));
    }
    let unknown = || invalid_because(RequestField::MergeInto, RequestProblem::MergeTargetUnknown);
    let (other, state) = lock_request(tx, into).await?.ok_or_else(unknown)?;
    if other.building_id != target.building_id || state.status.is_finished() {
        return Err(unknown());
    }
    Ok(other)
}

/// Writes what the lifecycle decided to the request's row and its assignments.
#[allow(clippy::too_many_arguments)]
async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    target: &Target,
    decision: &Decision,
    now: i64,
    note: &str,
    rating: Option<i16>,
    merged_into: Option<i64>,
    user_id: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE requests SET
            status = $2,
            responded_at = CASE WHEN $3 THEN coalesce(responded_at, to_timestamp($4)) ELSE responded_at END,
            resolved_at = CASE $2 WHEN 'resolved' THEN to_timestamp($4)
                                  WHEN 'routed' THEN NULL ELSE resolved_at END,
            summary = CASE $2 WHEN 'resolved' THEN $5 WHEN 'routed' THEN NULL ELSE summary END,
            closed_at = CASE $2 WHEN 'closed' THEN to_timestamp($4) ELSE closed_at END,
            rating = coalesce($6, rating),
            merged_into = coalesce($7, merged_into)
          WHERE id = $1",
    )
    .bind(target.id)
    .bind(decision.status.as_str())
    .bind(decision.responds)
    .bind(now as f64)
    .bind(note)
    .bind(rating)
    .bind(merged_into)
    .execute(&mut **tx)
    .await?;
    let calendar = load_calendar(&mut **tx).await?;
    fill_work_minutes(&mut **tx, &calendar, Some(target.id)).await?;
    for change in &decision.changes {
        match *change {
            AssignmentChange::Create { department } => {
                sqlx::query(
                    "INSERT INTO request_assignments (request_id, department_id, status, routed_at)
                     VALUES ($1, $2, 'routed', to_timestamp($3))",
                )
                .bind(target.id)
                .bind(department)
                .bind(now as f64)
                .execute(&mut **tx)
                .await?;
            }
            AssignmentChange::Set { id, status } => {
                sqlx::query(
                    "UPDATE request_assignments SET status = $2,
                        claimed_at = CASE WHEN $2 = 'claimed' THEN coalesce(claimed_at, to_timestamp($3)) ELSE claimed_at END,
                        claimed_by = CASE WHEN $2 = 'claimed' THEN coalesce(claimed_by, $4) ELSE claimed_by END,
                        answered_at = CASE WHEN $2 = 'answered' THEN to_timestamp($3) ELSE answered_at END
                      WHERE id = $1",
                )
                .bind(id)
                .bind(status.as_str())
                .bind(now as f64)
                .bind(user_id)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    Ok(())
}

/// Closes the requests resolved at least seven days before `now` that nobody confirmed.
/// Safe with several processes at once: rows another process holds are skipped, and a row
/// closed meanwhile no longer matches, so each request closes exactly once. Returns how
/// many this call closed.
pub async fn auto_close(pool: &PgPool, now: i64) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT number FROM requests
          WHERE status = 'resolved' AND resolved_at <= to_timestamp($1)
          ORDER BY id LIMIT 500
          FOR UPDATE SKIP LOCKED",
    )
    .bind((now - lifecycle::CONFIRM_WINDOW_SECS) as f64)
    .fetch_all(&mut *tx)
    .await?;
    let mut closed = 0;
    for number in due {
        let Some((target, state)) = lock_request(&mut tx, &number).await? else {
            continue;
        };
        let Ok(decision) = decide(&state, &Actor::system(), &Step::AutoClose, now) else {
            continue;
        };
        apply(&mut tx, &target, &decision, now, "", None, None, 0).await?;
        let event = Event {
            actor_id: None,
            capacity: Capacity::System,
            kind: decision.event,
            note: String::new(),
            detail: serde_json::json!({}),
            at: now,
        };
        record(&mut tx, &target, &event, &[]).await?;
        closed += 1;
    }
    tx.commit().await?;
    Ok(closed)
}

/// Tells the admins and the building's managers about requests past a deadline, once per
/// deadline. One process at a time does it (an advisory lock): the check for an earlier
/// escalation reads events, which row locks alone would not keep in step. Returns how many
/// were escalated.
pub async fn escalate_overdue(pool: &PgPool, now: i64) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let ours: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(ESCALATION_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !ours {
        return Ok(0);
    }
    let overdue: Vec<(i64, String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT r.id, r.number, r.title, r.requester_id, r.building_id,
                CASE WHEN r.responded_at IS NULL AND r.first_response_due < to_timestamp($1)
                     THEN 'response' ELSE 'resolution' END
           FROM requests r
          WHERE r.status IN ('submitted', 'accepted', 'routed', 'answered')
            AND ((r.responded_at IS NULL AND r.first_response_due < to_timestamp($1))
                 OR r.resolution_due < to_timestamp($1))
            AND NOT EXISTS (
                SELECT 1 FROM request_events e
                 WHERE e.request_id = r.id AND e.kind = 'escalated'
                   AND e.detail ->> 'deadline' =
                       CASE WHEN r.responded_at IS NULL AND r.first_response_due < to_timestamp($1)
                            THEN 'response' ELSE 'resolution' END)
          ORDER BY r.id LIMIT 500",
    )
    .bind(now as f64)
    .fetch_all(&mut *tx)
    .await?;
    let count = overdue.len();
    for (id, number, title, requester_id, building_id, deadline) in overdue {
        let target = Target {
            id,
            number,
            title,
            requester_id,
            building_id,
        };
        let event = Event {
            actor_id: None,
            capacity: Capacity::System,
            kind: EventKind::Escalated,
            note: String::new(),
            detail: serde_json::json!({ "deadline": deadline }),
            at: now,
        };
        record(&mut tx, &target, &event, &[]).await?;
    }
    tx.commit().await?;
    Ok(count)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    number: String,
    /// The deadline that matters now (`requests.current_due`), for merging inbox scopes.
    current_due: i64,
    title: String,
    status: String,
    category: String,
    building: String,
    submitted_at: i64,
    first_response_due: i64,
    resolution_due: i64,
    responded: bool,
    departments: Vec<String>,
}

impl SummaryRow {
    fn into_summary(self, now: i64) -> Option<RequestSummary> {
        let status = Status::parse(&self.status)?;
        let due = current_due(
            status,
            self.responded,
            self.first_response_due,
            self.resolution_due,
        );
        Some(RequestSummary {
            number: self.number,
            title: self.title,
            status,
            category: self.category,
            building: self.building,
            submitted_at: self.submitted_at,
            due,
            urgency: urgency(due, now),
            departments: self.departments,
        })
    }
}

/// The columns of a [`SummaryRow`] for request alias `r`.
fn summary_columns(locale: Locale) -> String {
    format!(
        "r.number, extract(epoch FROM r.current_due)::bigint AS current_due,
         r.title, r.status, {category} AS category, {building} AS building,
         extract(epoch FROM r.submitted_at)::bigint AS submitted_at,
         extract(epoch FROM r.first_response_due)::bigint AS first_response_due,
         extract(epoch FROM r.resolution_due)::bigint AS resolution_due,
         r.responded_at IS NOT NULL AS responded,
         ARRAY(SELECT {department} FROM request_assignments a
                 JOIN departments d ON d.id = a.department_id
                WHERE a.request_id = r.id ORDER BY a.id) AS departments",
        category = name_in(locale, "c"),
        building = name_in(locale, "p"),
        department = name_in(locale, "d"),
    )
}

pub async fn mine(caller: &Caller, locale: Locale) -> Result<Vec<RequestSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "SELECT {} FROM requests r
           JOIN request_categories c ON c.id = r.category_id
           JOIN places p ON p.id = r.building_id
          WHERE r.requester_id = $1 ORDER BY r.id DESC LIMIT 200",
        summary_columns(locale)
    ))
    .bind(caller.user_id)
    .fetch_all(&caller.state.pool)
    .await?;
    let now = caller.state.clock.unix_secs();
    Ok(rows
        .into_iter()
        .filter_map(|r| r.into_summary(now))
        .collect())
}

/// The inbox of everyone the caller triages or handles for: their buildings as a building
/// manager, their departments as staff, everything as an admin. Sorted by the deadline that
/// matters now, soonest (most overdue) first.
/// The caller's inbox: at most `limit` requests matching `filter`, by deadline (the page
/// shows `INBOX_LIMIT`; the CSV export more).
pub async fn inbox_for(
    caller: &Caller,
    filter: &InboxFilter,
    locale: Locale,
    limit: usize,
) -> Result<Inbox, AppError> {
    let admin = is_admin(&caller.grants);
    let buildings = managed_buildings(&caller.grants);
    let departments: Vec<i64> = actor_for(&caller.grants, caller.user_id, 0, 0).departments;
    if !admin && buildings.is_empty() && departments.is_empty() {
        return Err(AppError::Forbidden);
    }
    let now = caller.state.clock.unix_secs();
    let end_of_today = super::deadlines::end_of_day(now);
    // One query per way the caller sees requests, each walking a deadline-ordered index,
    // then merged: an OR of the three would read every open request.
    let mut scopes = Vec::new();
    if admin {
        scopes.push("TRUE");
    } else {
        if !buildings.is_empty() {
            scopes.push("r.building_id = ANY ($1)");
        }
        if !departments.is_empty() {
            scopes.push(
                "EXISTS (SELECT 1 FROM request_assignments a
                          WHERE a.request_id = r.id AND a.department_id = ANY ($2))",
            );
        }
    }
    let mut rows: Vec<SummaryRow> = Vec::new();
    for scope in scopes {
        let found: Vec<SummaryRow> = sqlx::query_as(&format!(
            "SELECT {columns} FROM requests r
               JOIN request_categories c ON c.id = r.category_id
               JOIN places p ON p.id = r.building_id
              WHERE {scope}
                AND CASE WHEN $3::text IS NULL
                         THEN r.status IN ('submitted', 'accepted', 'routed', 'answered')
                         ELSE r.status = $3 END
                AND ($4::bigint IS NULL OR r.building_id = $4)
                AND ($5::bigint IS NULL OR r.category_id = $5)
                AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM request_assignments a
                                                    WHERE a.request_id = r.id AND a.department_id = $6))
                AND (NOT ($7 OR $8) OR (r.status IN ('submitted', 'accepted', 'routed', 'answered')
                     AND r.current_due < to_timestamp(CASE WHEN $7 THEN $9 ELSE $10 END)
                     AND ($7 OR r.current_due >= to_timestamp($9))))
              ORDER BY r.current_due, r.id
              LIMIT {limit}",
            columns = summary_columns(locale),
        ))
        .bind(&buildings)
        .bind(&departments)
        .bind(filter.status.map(Status::as_str))
        .bind(filter.building)
        .bind(filter.category)
        .bind(filter.department)
        .bind(filter.overdue)
        .bind(filter.due_today)
        .bind(now as f64)
        .bind(end_of_today as f64)
        .fetch_all(&caller.state.pool)
        .await?;
        rows.extend(found);
    }
    rows.sort_by(|a, b| (a.current_due, &a.number).cmp(&(b.current_due, &b.number)));
    rows.dedup_by(|a, b| a.number == b.number);
    rows.truncate(limit);
    let pool = &caller.state.pool;
    let mut topics: Vec<String> = Vec::new();
    if admin {
        topics.push(Topic::AllRequests.to_string());
    }
    topics.extend(buildings.iter().map(|b| Topic::Building(*b).to_string()));
    topics.extend(
        departments
            .iter()
            .map(|d| Topic::Department(*d).to_string()),
    );
    let building_names = if admin {
        choices(
            pool,
            &format!(
                "SELECT p.id, {} FROM places p WHERE 'building' = ANY (p.kinds) ORDER BY p.name_zh",
                name_in(locale, "p")
            ),
        )
        .await?
    } else {
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT p.id, {} FROM places p WHERE p.id = ANY ($1) ORDER BY p.name_zh",
            name_in(locale, "p")
        ))
        .bind(&buildings)
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|(id, name)| Choice { id, name })
            .collect()
    };
    Ok(Inbox {
        items: rows
            .into_iter()
            .filter_map(|r| r.into_summary(now))
            .collect(),
        topics,
        buildings: building_names,
        categories: choices(
            pool,
            &format!(
                "SELECT c.id, {} FROM request_categories c ORDER BY c.sort_order",
                name_in(locale, "c")
            ),
        )
        .await?,
        departments: choices(
            pool,
            &format!(
                "SELECT d.id, {} FROM departments d ORDER BY d.id",
                name_in(locale, "d")
            ),
        )
        .await?,
        now,
    })
}

/// The most requests an inbox lists; filters narrow it down.
pub const INBOX_LIMIT: usize = 100;

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    number: String,
    title: String,
    description: String,
    status: String,
    category: String,
    is_question: bool,
    category_id: i64,
    building: String,
    building_id: i64,
    company: Option<String>,
    requester_id: i64,
    requester: String,
    submitted_at: i64,
    first_response_due: i64,
    resolution_due: i64,
    responded: bool,
    resolved_at: Option<i64>,
    summary: Option<String>,
    rating: Option<i16>,
    merged_into: Option<String>,
    bigrams: Vec<String>,
}

pub async fn detail(
    caller: &Caller,
    number: &str,
    locale: Locale,
) -> Result<RequestDetail, AppError> {
    let pool = &caller.state.pool;
    let row: Option<DetailRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.number, r.title, r.description, r.status, {category} AS category,
                c.code = 'consultation' AS is_question, r.category_id, {building} AS building, r.building_id, co.name AS company,
                r.requester_id, u.display_name AS requester,
                extract(epoch FROM r.submitted_at)::bigint AS submitted_at,
                extract(epoch FROM r.first_response_due)::bigint AS first_response_due,
                extract(epoch FROM r.resolution_due)::bigint AS resolution_due,
                r.responded_at IS NOT NULL AS responded,
                extract(epoch FROM r.resolved_at)::bigint AS resolved_at,
                r.summary, r.rating, m.number AS merged_into, r.bigrams
           FROM requests r
           JOIN request_categories c ON c.id = r.category_id
           JOIN places p ON p.id = r.building_id
           JOIN users u ON u.id = r.requester_id
           LEFT JOIN companies co ON co.id = r.company_id
           LEFT JOIN requests m ON m.id = r.merged_into
          WHERE r.number = $1",
        category = name_in(locale, "c"),
        building = name_in(locale, "p"),
    ))
    .bind(number)
    .fetch_optional(pool)
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    let status =
        Status::parse(&row.status).ok_or_else(|| AppError::internal("status", &row.status))?;
    let assignments = assignments_of(pool, row.id).await?;
    let state = RequestState {
        status,
        assignments: assignments.clone(),
        resolved_at: row.resolved_at,
    };
    let actor = actor_for(
        &caller.grants,
        caller.user_id,
        row.requester_id,
        row.building_id,
    );
    if !lifecycle::may_view(&state, &actor) {
        return Err(AppError::NotFound);
    }
    let now = caller.state.clock.unix_secs();
    let actions = lifecycle::possible_steps(&state, &actor, now);
    let department_names: Vec<Choice> = choices(
        pool,
        &format!(
            "SELECT d.id, {} FROM departments d ORDER BY d.id",
            name_in(locale, "d")
        ),
    )
    .await?;
    let name_of = |id: i64| {
        department_names
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.name.clone())
            .unwrap_or_default()
    };
    let assignment_views = assignments
        .iter()
        .map(|a| AssignmentView {
            department_id: a.department_id,
            department: name_of(a.department_id),
            status: a.status,
        })
        .collect();
    let timeline = timeline(pool, row.id, locale, &name_of).await?;
    let photos: Vec<i64> = sqlx::query_scalar(
        "SELECT p.id FROM request_photos p JOIN request_events e ON e.id = p.event_id
          WHERE p.request_id = $1 AND e.kind = 'submitted' ORDER BY p.id",
    )
    .bind(row.id)
    .fetch_all(pool)
    .await?;
    let suggestions = if actions.iter().any(|s| matches!(s, Step::Route { .. })) {
        suggest_departments(pool, row.id, row.category_id, &row.bigrams, &name_of).await?
    } else {
        Vec::new()
    };
    let staff = !actor.departments.is_empty() || actor.manages_building || actor.is_admin;
    let due = current_due(
        status,
        row.responded,
        row.first_response_due,
        row.resolution_due,
    );
    Ok(RequestDetail {
        id: row.id,
        number: row.number,
        title: row.title,
        description: row.description,
        status,
        category: row.category,
        is_question: row.is_question,
        building: row.building,
        company: row.company,
        requester: staff.then_some(row.requester),
        submitted_at: row.submitted_at,
        first_response_due: row.first_response_due,
        resolution_due: row.resolution_due,
        due,
        urgency: urgency(due, now),
        resolved_at: row.resolved_at,
        summary: row.summary,
        rating: row.rating,
        merged_into: row.merged_into,
        photos,
        assignments: assignment_views,
        timeline,
        actions,
        suggestions,
        departments: department_names,
    })
}

async fn timeline(
    pool: &PgPool,
    request_id: i64,
    locale: Locale,
    department_name: &(dyn Fn(i64) -> String + Sync),
) -> Result<Vec<EventView>, AppError> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        i64,
        String,
        Option<String>,
        String,
        Option<i64>,
        String,
        serde_json::Value,
        i64,
        Vec<i64>,
    )> = sqlx::query_as(
        "SELECT e.id, e.kind, u.display_name, e.actor_role, e.department_id, e.note, e.detail,
                    extract(epoch FROM e.at)::bigint,
                    ARRAY(SELECT p.id FROM request_photos p WHERE p.event_id = e.id ORDER BY p.id)
               FROM request_events e LEFT JOIN users u ON u.id = e.actor_id
              WHERE e.request_id = $1 ORDER BY e.id",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await?;
    let capacity_text = |role: &str| {
        let key = match role {
            "requester" => RequestText::CapacityRequester,
            "manager" => RequestText::CapacityManager,
            "department" => RequestText::CapacityDepartment,
            "admin" => RequestText::CapacityAdmin,
            _ => RequestText::CapacitySystem,
        };
        locale.text(key).to_owned()
    };
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, kind, actor, role, department, note, detail, at, photos)| {
                let kind = EventKind::parse(&kind)?;
                let mut details: Vec<String> = detail
                    .get("departments")
                    .and_then(|d| d.as_array())
                    .map(|ids| {
                        ids.iter()
                            .filter_map(|v| v.as_i64())
                            .map(department_name)
                            .collect()
                    })
                    .unwrap_or_default();
                for key in ["into", "from"] {
                    if let Some(number) = detail.get(key).and_then(|v| v.as_str()) {
                        details.push(number.to_owned());
                    }
                }
                Some(EventView {
                    id,
                    kind,
                    // Demo history names departments, not their staff.
                    actor: actor
                        .or_else(|| department.map(department_name))
                        .unwrap_or_else(|| capacity_text("system")),
                    capacity: capacity_text(&role),
                    department: department.map(department_name),
                    note,
                    at,
                    photos,
                    rating: detail
                        .get("rating")
                        .and_then(|v| v.as_i64())
                        .map(|r| r as i16),
                    detail: details,
                })
            },
        )
        .collect())
}

/// Departments for routing: those that resolved the most requests like this one, then the
/// category's default. "3 个相似诉求由 X 办结".
async fn suggest_departments(
    pool: &PgPool,
    request_id: i64,
    category_id: i64,
    grams: &[String],
    department_name: &(dyn Fn(i64) -> String + Sync),
) -> Result<Vec<Suggestion>, AppError> {
    let mut suggestions: Vec<Suggestion> = if grams.is_empty() {
        Vec::new()
    } else {
        let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "WITH alike AS ({ALIKE})
             SELECT a.department_id, count(*) FROM alike s
               JOIN request_assignments a ON a.request_id = s.request_id AND a.status = 'answered'
              GROUP BY a.department_id ORDER BY count(*) DESC, a.department_id LIMIT 3"
        ))
        .bind(grams)
        .bind(request_id)
        .bind(similar::MIN_SCORE)
        .bind(20_i64)
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|(department_id, count)| Suggestion {
                department_id,
                department: department_name(department_id),
                similar_resolved: count,
            })
            .collect()
    };
    let default: Option<i64> =
        sqlx::query_scalar("SELECT default_department_id FROM request_categories WHERE id = $1")
            .bind(category_id)
            .fetch_one(pool)
            .await?;
    if let Some(d) = default.filter(|d| !suggestions.iter().any(|s| s.department_id == *d)) {
        suggestions.push(Suggestion {
            department_id: d,
            department: department_name(d),
            similar_resolved: 0,
        });
    }
    Ok(suggestions)
}

/// A photo's bytes for someone who may see its request: (JPEG, request id).
pub async fn photo(
    pool: &PgPool,
    photo_id: i64,
    thumb: bool,
    user_id: i64,
    grants: &[RoleGrant],
) -> Result<Vec<u8>, AppError> {
    let row: Option<(i64, Vec<u8>)> = sqlx::query_as(if thumb {
        "SELECT request_id, thumb FROM request_photos WHERE id = $1"
    } else {
        "SELECT request_id, jpeg FROM request_photos WHERE id = $1"
    })
    .bind(photo_id)
    .fetch_optional(pool)
    .await?;
    let (request_id, bytes) = row.ok_or(AppError::NotFound)?;
    if !may_view(pool, request_id, user_id, grants).await? {
        return Err(AppError::NotFound);
    }
    Ok(bytes)
}
