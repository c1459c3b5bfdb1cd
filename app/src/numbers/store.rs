//! The numbers in PostgreSQL: one aggregate pass over a year of requests for the monthly
//! totals, one over the chosen period for the groups, and the small tables of votes, lunch
//! orders and points for the rest. Working-hour medians read the minutes stored with each
//! request (`requests.response_work_minutes`), so no calendar is recounted here.

use super::rates::{rank, Counts};
use super::*;
use crate::accounts::auth::Caller;
use crate::accounts::roles::is_admin;
use crate::i18n::Locale;
use crate::requests::store::{actor_for, name_in};
use crate::state::AppState;
use sqlx::{PgConnection, PgPool};

/// Whose requests a caller's numbers count.
pub enum Scope {
    All,
    Departments(Vec<i64>),
}

impl Scope {
    /// The admin sees every request; department staff the requests routed to them; others
    /// nothing.
    pub fn of(caller: &Caller) -> Result<Scope, AppError> {
        if is_admin(&caller.grants) {
            return Ok(Scope::All);
        }
        let departments = actor_for(&caller.grants, caller.user_id, 0, 0).departments;
        if departments.is_empty() {
            return Err(AppError::Forbidden);
        }
        Ok(Scope::Departments(departments))
    }

    fn departments(&self) -> Option<Vec<i64>> {
        match self {
            Scope::All => None,
            Scope::Departments(d) => Some(d.clone()),
        }
    }
}

/// The counted columns of `Counts`, over requests `r` (and `$3` = now).
const COUNTS: &str = "
    count(*) AS received,
    count(*) FILTER (WHERE r.status <> 'merged') AS counted,
    count(*) FILTER (WHERE r.status <> 'merged' AND r.responded_at <= r.first_response_due)
        AS responded_on_time,
    count(*) FILTER (WHERE r.status <> 'merged' AND r.resolved_at IS NOT NULL) AS resolved,
    count(*) FILTER (WHERE r.status <> 'merged' AND r.resolved_at <= r.resolution_due)
        AS resolved_on_time,
    count(r.rating) AS rated,
    count(*) FILTER (WHERE r.rating >= 4) AS satisfied,
    count(*) FILTER (WHERE r.status IN ('submitted', 'accepted', 'routed', 'answered')
                       AND r.current_due < to_timestamp($3)) AS overdue_now,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY r.response_work_minutes) AS median_response,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY r.resolution_work_minutes) AS median_resolution";

/// The requests of `[$1, $2)` in scope `$4` (NULL: all), with their Shanghai month: only
/// the columns the figures read, so that a year's rows sort in memory.
const PERIOD: &str = "
    SELECT r.id, r.status, r.building_id, r.category_id, r.first_response_due,
           r.responded_at, r.resolved_at, r.resolution_due, r.rating, r.current_due,
           r.response_work_minutes, r.resolution_work_minutes,
           date_trunc('month', r.submitted_at AT TIME ZONE 'Asia/Shanghai') AS month
      FROM requests r
     WHERE r.submitted_at >= to_timestamp($1) AND r.submitted_at < to_timestamp($2)
       AND ($4::bigint[] IS NULL OR EXISTS (
               SELECT 1 FROM request_assignments a
                WHERE a.request_id = r.id AND a.department_id = ANY ($4)))";

#[derive(sqlx::FromRow)]
struct CountsRow {
    key: Option<String>,
    received: i64,
    counted: i64,
    responded_on_time: i64,
    resolved: i64,
    resolved_on_time: i64,
    rated: i64,
    satisfied: i64,
    overdue_now: i64,
    median_response: Option<f64>,
    median_resolution: Option<f64>,
}

impl CountsRow {
    fn counts(&self) -> Counts {
        Counts {
            received: self.received,
            counted: self.counted,
            responded_on_time: self.responded_on_time,
            resolved: self.resolved,
            resolved_on_time: self.resolved_on_time,
            rated: self.rated,
            satisfied: self.satisfied,
            overdue_now: self.overdue_now,
            median_response_minutes: self.median_response,
            median_resolution_minutes: self.median_resolution,
            answered_without_dispatch: 0,
        }
    }
}

/// Unix seconds of 00:00 Shanghai time on `day`.
fn midnight(day: i32) -> f64 {
    (i64::from(day) * 86_400 - 8 * 3600) as f64
}

/// The twelve months that end with the one `now` is in, oldest first.
fn twelve_months(now: i64) -> Vec<Month> {
    let this_month = Month::of_day(crate::lunch::window::shanghai_day(now));
    let mut months: Vec<Month> = std::iter::successors(Some(this_month), |m| Some(m.previous()))
        .take(12)
        .collect();
    months.reverse();
    months
}

/// What a report is computed from: whose requests, grouped how, for which period.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub departments: Option<Vec<i64>>,
    pub dimension: Dimension,
    pub month: Option<Month>,
    pub locale: Locale,
}

pub async fn report(
    caller: &Caller,
    dimension: Dimension,
    month: Option<Month>,
    locale: Locale,
) -> Result<Report, AppError> {
    let scope = Scope::of(caller)?;
    let months = twelve_months(caller.state.clock.unix_secs());
    if month.is_some_and(|m| !months.contains(&m)) {
        return Err(bad_filter(NumbersField::Month));
    }
    let question = Question {
        departments: scope.departments(),
        dimension,
        month,
        locale,
    };
    if let Some(report) = super::cache::get(&caller.state, &question) {
        return Ok(report);
    }
    let version = super::cache::version(&caller.state);
    let report = compute(&caller.state, &question).await?;
    super::cache::put(&caller.state, question, report.clone(), version);
    Ok(report)
}

/// Computes a report from the requests as they are now.
pub async fn compute(state: &AppState, question: &Question) -> Result<Report, AppError> {
    let Question {
        departments,
        dimension,
        month,
        locale,
    } = question.clone();
    let now = state.clock.unix_secs();
    let months = twelve_months(now);
    let this_month = months[11];
    let year = (months[0], this_month.next());
    let period = month.map_or(year, |m| (m, m.next()));

    let mut tx = state.pool.begin().await?;
    // A year's rows sort in memory rather than on disk.
    sqlx::query("SET LOCAL work_mem = '32MB'")
        .execute(&mut *tx)
        .await?;
    let totals = totals(&mut tx, year, now, departments.as_ref()).await?;
    let votes = votes(&mut tx, year, "NULL::text", "", departments.as_ref()).await?;
    let trend: Vec<Counts> = months
        .iter()
        .map(|m| {
            let key = m.to_string();
            let mut counts = totals.get(&Some(key.clone())).copied().unwrap_or_default();
            counts.answered_without_dispatch = votes.get(&Some(key)).copied().unwrap_or(0);
            counts
        })
        .collect();
    let mut total = match month {
        Some(m) => trend[months.iter().position(|x| *x == m).unwrap_or(0)],
        None => totals.get(&None).copied().unwrap_or_default(),
    };
    if month.is_none() {
        total.answered_without_dispatch = trend.iter().map(|c| c.answered_without_dispatch).sum();
    }

    let groups = groups(
        &mut tx,
        dimension,
        period,
        now,
        departments.as_ref(),
        locale,
    )
    .await?;
    tx.commit().await?;
    let trend_chart = crate::charts::lines(
        &months.iter().map(Month::to_string).collect::<Vec<_>>(),
        &[
            (
                NumbersText::ResponseRate,
                trend.iter().map(|c| c.rates().response).collect(),
            ),
            (
                NumbersText::ResolutionRate,
                trend.iter().map(|c| c.rates().resolution).collect(),
            ),
            (
                NumbersText::SatisfactionRate,
                trend.iter().map(|c| c.rates().satisfaction).collect(),
            ),
        ]
        .map(|(label, values)| (locale.text(label).to_owned(), values)),
    );
    // The chart shows the first fifteen; the table all.
    let charted: Vec<&Group> = groups.iter().filter(|g| !g.unranked).take(15).collect();
    let labels: Vec<String> = charted.iter().map(|g| g.name.clone()).collect();
    let values: Vec<i64> = match dimension {
        Dimension::Department => charted
            .iter()
            .map(|g| g.counts.rates().score().map_or(0, |s| s.round() as i64))
            .collect(),
        _ => charted.iter().map(|g| g.counts.received).collect(),
    };
    let groups_chart = crate::charts::bars(&labels, &values);
    let report = Report {
        trend_chart,
        groups_chart,
        dimension,
        months,
        month,
        trend,
        total,
        groups,
        all_requests: departments.is_none(),
        computed_at: now,
    };
    Ok(report)
}

/// Totals per month of `[from, to)`, and over the whole span (key `None`).
async fn totals(
    db: &mut PgConnection,
    (from, to): (Month, Month),
    now: i64,
    departments: Option<&Vec<i64>>,
) -> Result<std::collections::HashMap<Option<String>, Counts>, AppError> {
    let rows: Vec<CountsRow> = sqlx::query_as(&format!(
        "SELECT to_char(r.month, 'YYYY-MM') AS key, {COUNTS}
           FROM ({PERIOD}) r
          GROUP BY GROUPING SETS ((r.month), ())"
    ))
    .bind(midnight(from.first_day()))
    .bind(midnight(to.first_day()))
    .bind(now as f64)
    .bind(departments)
    .fetch_all(db)
    .await?;
    Ok(rows.iter().map(|r| (r.key.clone(), r.counts())).collect())
}

/// "Helped me, no need to ask" clicks of `[from, to)`, grouped by `key` (an expression over
/// the case `k`, joined through `join`).
async fn votes(
    db: &mut PgConnection,
    (from, to): (Month, Month),
    key: &str,
    join: &str,
    departments: Option<&Vec<i64>>,
) -> Result<std::collections::HashMap<Option<String>, i64>, AppError> {
    let by_month = key == "NULL::text";
    let key = if by_month {
        "to_char(v.voted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
    } else {
        key
    };
    let rows: Vec<(Option<String>, i64)> = sqlx::query_as(&format!(
        "SELECT {key}, count(*) FROM case_votes v JOIN cases k ON k.id = v.case_id {join}
          WHERE v.answered AND v.voted_at >= to_timestamp($1) AND v.voted_at < to_timestamp($2)
            AND ($3::bigint[] IS NULL OR EXISTS (
                    SELECT 1 FROM case_departments cd
                     WHERE cd.case_id = k.id AND cd.department_id = ANY ($3)))
          GROUP BY 1"
    ))
    .bind(midnight(from.first_day()))
    .bind(midnight(to.first_day()))
    .bind(departments)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The groups of `[from, to)`: every department, building or category that had requests.
async fn groups(
    db: &mut PgConnection,
    dimension: Dimension,
    period: (Month, Month),
    now: i64,
    departments: Option<&Vec<i64>>,
    locale: Locale,
) -> Result<Vec<Group>, AppError> {
    let unassigned_name = locale.text(NumbersText::Unassigned);
    let unassigned = unassigned_name.replace('\'', "''");
    let (key, join, vote_key, vote_join) = match dimension {
        Dimension::Department => (
            format!("coalesce({}, '{unassigned}')", name_in(locale, "d")),
            "LEFT JOIN request_assignments a ON a.request_id = r.id
             LEFT JOIN departments d ON d.id = a.department_id
             WHERE $4::bigint[] IS NULL OR a.department_id = ANY ($4)",
            name_in(locale, "d"),
            "JOIN case_departments cd2 ON cd2.case_id = k.id
             JOIN departments d ON d.id = cd2.department_id",
        ),
        Dimension::Building => (
            name_in(locale, "p"),
            "JOIN places p ON p.id = r.building_id",
            name_in(locale, "p"),
            "JOIN places p ON p.id = k.building_id",
        ),
        Dimension::Category => (
            name_in(locale, "c"),
            "JOIN request_categories c ON c.id = r.category_id",
            name_in(locale, "c"),
            "JOIN request_categories c ON c.id = k.category_id",
        ),
    };
    let rows: Vec<CountsRow> = sqlx::query_as(&format!(
        "SELECT {key} AS key, {COUNTS}
           FROM ({PERIOD}) r {join}
          GROUP BY 1"
    ))
    .bind(midnight(period.0.first_day()))
    .bind(midnight(period.1.first_day()))
    .bind(now as f64)
    .bind(departments)
    .fetch_all(&mut *db)
    .await?;
    let votes = votes(&mut *db, period, &vote_key, vote_join, departments).await?;
    let mut groups: Vec<Group> = rows
        .iter()
        .map(|row| {
            let name = row.key.clone().unwrap_or_default();
            let mut counts = row.counts();
            counts.answered_without_dispatch = votes.get(&Some(name.clone())).copied().unwrap_or(0);
            let unranked = dimension == Dimension::Department && name == unassigned_name;
            Group {
                name,
                counts,
                unranked,
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.counts
            .received
            .cmp(&a.counts.received)
            .then(a.name.cmp(&b.name))
    });
    if dimension == Dimension::Department {
        groups = rank(
            groups
                .into_iter()
                .map(|g| {
                    let rates = g.counts.rates();
                    (g, rates)
                })
                .collect(),
        )
        .into_iter()
        .map(|(g, _)| g)
        .collect();
        // Ranked departments first; the unassigned after them.
        groups.sort_by_key(|g| g.unranked);
    }
    Ok(groups)
}

/// The subdistrict overview, for the admin: this month so far against last month.
pub async fn overview(caller: &Caller) -> Result<Overview, AppError> {
    if !is_admin(&caller.grants) {
        return Err(AppError::Forbidden);
    }
    let now = caller.state.clock.unix_secs();
    let today = crate::lunch::window::shanghai_day(now);
    let month = Month::of_day(today);
    let pool = &caller.state.pool;
    let span = (month.previous(), month.next());
    let mut db = pool.acquire().await?;
    let totals = totals(&mut db, span, now, None).await?;
    let votes = votes(&mut db, span, "NULL::text", "", None).await?;
    drop(db);
    let pick = |m: Month| {
        let mut c = totals
            .get(&Some(m.to_string()))
            .copied()
            .unwrap_or_default();
        c.answered_without_dispatch = votes.get(&Some(m.to_string())).copied().unwrap_or(0);
        c
    };
    let (now_counts, before_counts) = (pick(month), pick(month.previous()));
    let (r, b) = (now_counts.rates(), before_counts.rates());
    let requests = vec![
        figure(
            Measure::Received,
            Some(now_counts.received as f64),
            Some(before_counts.received as f64),
        ),
        figure(Measure::ResponseRate, r.response, b.response),
        figure(Measure::ResolutionRate, r.resolution, b.resolution),
        figure(Measure::OnTimeRate, r.on_time, b.on_time),
        figure(Measure::SatisfactionRate, r.satisfaction, b.satisfaction),
        figure(
            Measure::AnsweredWithoutDispatch,
            Some(now_counts.answered_without_dispatch as f64),
            Some(before_counts.answered_without_dispatch as f64),
        ),
    ];
    // This month counts the days up to today; last month all its days.
    let this = (month.first_day(), today + 1);
    let last = (month.previous().first_day(), month.first_day());
    let (lunch_now, lunch_before) = (
        lunch(pool, this, today).await?,
        lunch(pool, last, today).await?,
    );
    let lunch = vec![
        figure(
            Measure::OrdersPerDay,
            lunch_now.orders_per_day,
            lunch_before.orders_per_day,
        ),
        figure(
            Measure::PortionsPerDay,
            lunch_now.portions_per_day,
            lunch_before.portions_per_day,
        ),
        figure(
            Measure::SubsidySpent,
            Some(lunch_now.subsidy_yuan),
            Some(lunch_before.subsidy_yuan),
        ),
        figure(
            Measure::NoShowRate,
            lunch_now.no_show_rate,
            lunch_before.no_show_rate,
        ),
        figure(
            Measure::AverageRating,
            lunch_now.average_rating,
            lunch_before.average_rating,
        ),
    ];
    let (v_now, v_before) = (
        volunteers(pool, (midnight(this.0), now as f64)).await?,
        volunteers(pool, (midnight(last.0), midnight(last.1))).await?,
    );
    let volunteers = vec![
        figure(Measure::ActiveVolunteers, Some(v_now.0), Some(v_before.0)),
        figure(Measure::HoursServed, Some(v_now.1), Some(v_before.1)),
        figure(Measure::PointsIssued, Some(v_now.2), Some(v_before.2)),
        figure(Measure::PointsRedeemed, Some(v_now.3), Some(v_before.3)),
    ];
    Ok(Overview {
        month,
        requests,
        lunch,
        volunteers,
        computed_at: now,
    })
}

fn figure(measure: Measure, now: Option<f64>, before: Option<f64>) -> Figure {
    Figure {
        measure,
        now,
        before,
    }
}

#[derive(sqlx::FromRow)]
struct LunchFigures {
    orders_per_day: Option<f64>,
    portions_per_day: Option<f64>,
    subsidy_yuan: f64,
    no_show_rate: Option<f64>,
    average_rating: Option<f64>,
}

/// Lunch over the days `[first, end)`: orders and portions per serving day (days with
/// orders), subsidy of the orders not cancelled, the share of past days' orders never
/// picked up, and the average rating.
async fn lunch(
    pool: &PgPool,
    (first, end): (i32, i32),
    today: i32,
) -> Result<LunchFigures, AppError> {
    Ok(sqlx::query_as(
        "SELECT count(*) FILTER (WHERE o.status <> 'cancelled')::float8
                    / nullif(count(DISTINCT o.day) FILTER (WHERE o.status <> 'cancelled'), 0)
                    AS orders_per_day,
                sum(o.quantity) FILTER (WHERE o.status <> 'cancelled')::float8
                    / nullif(count(DISTINCT o.day) FILTER (WHERE o.status <> 'cancelled'), 0)
                    AS portions_per_day,
                coalesce(sum(o.subsidy_fen) FILTER (WHERE o.status <> 'cancelled'), 0)::float8 / 100
                    AS subsidy_yuan,
                count(*) FILTER (WHERE o.status = 'ordered' AND o.day < DATE '1970-01-01' + $3)::float8 * 100
                    / nullif(count(*) FILTER (WHERE o.status <> 'cancelled'
                                                AND o.day < DATE '1970-01-01' + $3), 0)
                    AS no_show_rate,
                avg(o.rating)::float8 AS average_rating
           FROM lunch_orders o
          WHERE o.day >= DATE '1970-01-01' + $1 AND o.day < DATE '1970-01-01' + $2",
    )
    .bind(first)
    .bind(end)
    .bind(today)
    .fetch_one(pool)
    .await?)
}

/// Volunteers in `[from, to)` (unix seconds): who earned points, the hours they served, and
/// the points issued and redeemed (refunds taken off).
async fn volunteers(
    pool: &PgPool,
    (from, to): (f64, f64),
) -> Result<(f64, f64, f64, f64), AppError> {
    let (active, minutes, issued, redeemed): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT count(DISTINCT user_id) FILTER (WHERE kind = 'earn'),
                coalesce(sum(minutes) FILTER (WHERE kind = 'earn'), 0)::bigint,
                coalesce(sum(points) FILTER (WHERE kind = 'earn'), 0)::bigint,
                coalesce(-sum(points) FILTER (WHERE kind IN ('redeem', 'refund')), 0)::bigint
           FROM points_ledger
          WHERE created_at >= to_timestamp($1) AND created_at < to_timestamp($2)",
    )
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await?;
    Ok((
        active as f64,
        minutes as f64 / 60.0,
        issued as f64,
        redeemed as f64,
    ))
}
