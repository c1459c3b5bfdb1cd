//! A year of demo requests, so that the numbers (响应率, 解决率, 满意率, medians, trends)
//! mean something: about eight a working day, over the categories and buildings, with the
//! titles of `app/src/requests/paraphrases.tsv`. Most are answered and resolved on time;
//! each department has its own pace, so the ranking has something to rank; some run late,
//! a few are reopened, some returned; the last days' requests are still open. The draws are
//! seeded, so every demo database tells the same story. All rows are marked demo.
//!
//! History requests carry no bigrams: "similar requests" learns from the hand-written demo
//! history, not from two thousand copies of the same fifty titles.

use app::lunch::window::shanghai_day;
use app::map::hours::format_date;
use app::requests::number::format_number;
use app::requests::workdays::Calendar;
use sqlx::{Postgres, Transaction};

/// Requests a working day, on average.
const PER_WORKING_DAY: u64 = 8;
const DAYS: i64 = 365;
const DAY: i64 = 86_400;

/// splitmix64: small, seeded and good enough to scatter demo data.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// In `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

struct Category {
    id: i64,
    name_zh: String,
    first_response: i64,
    resolution: i64,
    department: Option<i64>,
}

/// One generated request, its timeline as (kind, capacity, department, at) and its
/// department's assignment.
#[derive(Default)]
struct Row {
    number: String,
    building: i64,
    category: i64,
    title: String,
    description: String,
    status: &'static str,
    submitted: i64,
    first_due: i64,
    resolution_due: i64,
    responded: Option<i64>,
    resolved: Option<i64>,
    closed: Option<i64>,
    rating: Option<i16>,
    department: Option<i64>,
    events: Vec<(&'static str, &'static str, i64)>,
}

/// Inserts the history before `now`, numbered after `taken` (a year and the last number
/// used in it), and returns the last tracking number used per year.
pub async fn load(
    tx: &mut Transaction<'_, Postgres>,
    calendar: &Calendar,
    now: i64,
    taken: (i32, i32),
) -> Result<Vec<(i32, i32)>, Box<dyn std::error::Error>> {
    let categories: Vec<Category> = sqlx::query_as::<_, (i64, String, i32, i32, Option<i64>)>(
        "SELECT id, name_zh, first_response_minutes, resolution_minutes, default_department_id
           FROM request_categories ORDER BY sort_order",
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|(id, name_zh, first, resolution, department)| Category {
        id,
        name_zh,
        first_response: i64::from(first),
        resolution: i64::from(resolution),
        department,
    })
    .collect();
    let buildings: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM places WHERE 'building' = ANY (kinds) ORDER BY id")
            .fetch_all(&mut **tx)
            .await?;
    let departments: Vec<i64> = sqlx::query_scalar("SELECT id FROM departments ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    let texts: Vec<(&str, &str, &str)> = include_str!("../../app/src/requests/paraphrases.tsv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            Some((cols.next()?, cols.next()?, cols.next()?))
        })
        .collect();
    // How often each category comes up, in the order of `categories`: property problems
    // most, party-building least.
    let weights = [12, 12, 35, 10, 4, 8, 13, 6];

    let mut draw = Draw(2026);
    let mut rows = Vec::new();
    let first_day = (now - DAYS * DAY) / DAY;
    for day in first_day..now / DAY {
        let local_noon = day * DAY + 4 * 3600;
        if !calendar.is_working_day(((local_noon + 8 * 3600) / DAY) as i32) {
            continue;
        }
        let count = PER_WORKING_DAY / 2 + draw.next() % (PER_WORKING_DAY + 1);
        for _ in 0..count {
            // 08:00–18:30 Shanghai time.
            let submitted = day * DAY + draw.next() as i64 % (630 * 60);
            if submitted >= now {
                continue;
            }
            let category = &categories[weighted(&mut draw, &weights)];
            let pool: Vec<&(&str, &str, &str)> =
                texts.iter().filter(|t| t.0 == category.name_zh).collect();
            let (title, description) = match pool.len() {
                0 => (
                    "其他问题咨询",
                    "想了解相关办理流程，请楼长帮忙转给相关部门。",
                ),
                n => {
                    let t = pool[draw.below(n)];
                    (t.1, t.2)
                }
            };
            let building = buildings[draw.below(buildings.len())];
            rows.push(history_row(
                &mut draw,
                calendar,
                now,
                category,
                &departments,
                building,
                submitted,
                title,
                description,
            ));
        }
    }
    rows.sort_by_key(|r| r.submitted);
    let mut last: Vec<(i32, i32)> = vec![taken];
    for row in &mut rows {
        let date = format_date(shanghai_day(row.submitted));
        let year: i32 = date[..4].parse()?;
        match last.iter_mut().find(|(y, _)| *y == year) {
            Some((_, seq)) => *seq += 1,
            None => last.push((year, 1)),
        }
        let seq = last.iter().find(|(y, _)| *y == year).map_or(1, |l| l.1);
        row.number = format_number(year, i64::from(seq));
    }
    insert(tx, &rows).await?;
    Ok(last)
}

fn weighted(draw: &mut Draw, weights: &[u64]) -> usize {
    let mut pick = draw.next() % weights.iter().sum::<u64>();
    for (i, w) in weights.iter().enumerate() {
        if pick < *w {
            return i;
        }
        pick -= w;
    }
    weights.len() - 1
}

#[allow(clippy::too_many_arguments)]
fn history_row(
    draw: &mut Draw,
    calendar: &Calendar,
    now: i64,
    category: &Category,
    departments: &[i64],
    building: i64,
    submitted: i64,
    title: &str,
    description: &str,
) -> Row {
    // Mostly the category's department; one in six goes elsewhere.
    let department = match (category.department, draw.chance(1.0 / 6.0)) {
        (Some(d), false) => d,
        _ => departments[draw.below(departments.len())],
    };
    // Each department has its own pace: the lower its rank in the list, the likelier late.
    let lateness = 0.03
        + 0.04
            * (departments
                .iter()
                .position(|d| *d == department)
                .unwrap_or(0)
                % 4) as f64;
    let after = |minutes: i64| calendar.add_working_minutes(submitted, minutes.max(1) as u32);
    let mut row = Row {
        building,
        category: category.id,
        title: title.to_owned(),
        description: description.to_owned(),
        submitted,
        first_due: after(category.first_response),
        resolution_due: after(category.resolution),
        department: Some(department),
        status: "submitted",
        ..Row::default()
    };
    row.events.push(("submitted", "requester", submitted));
    if draw.chance(0.02) {
        // Out of the subdistrict's hands: the manager returns it with an explanation.
        let at = after((category.first_response as f64 * draw.unit() * 0.8) as i64);
        if at < now {
            row.status = "returned";
            row.responded = Some(at);
            row.department = None;
            row.events.push(("returned", "manager", at));
        }
        return row;
    }
    let response = if draw.chance(lateness * 1.5) {
        (category.first_response as f64 * (1.1 + draw.unit() * 1.5)) as i64
    } else {
        (category.first_response as f64 * (0.1 + draw.unit() * 0.85)) as i64
    };
    let routed = after(response / 3);
    if routed >= now {
        return row;
    }
    row.status = "routed";
    row.events.push(("accepted", "manager", routed - 300));
    row.events.push(("routed", "manager", routed));
    let claimed = after(response);
    if claimed >= now {
        return row;
    }
    row.responded = Some(claimed);
    row.events.push(("claimed", "department", claimed));
    let late = draw.chance(lateness * 2.5);
    let resolution = if late {
        (category.resolution as f64 * (1.05 + draw.unit() * 1.2)) as i64
    } else {
        response + ((category.resolution - response) as f64 * (0.1 + draw.unit() * 0.85)) as i64
    };
    let mut resolved = after(resolution);
    if resolved >= now {
        row.status = "answered";
        return row;
    }
    row.events.push(("answered", "department", resolved - 600));
    row.events.push(("resolved", "department", resolved));
    if draw.chance(0.03) {
        // Not fixed after all: the requester reopens it, and it takes another round.
        let reopened = resolved + DAY / 2;
        let again = calendar.add_working_minutes(reopened, (category.resolution / 2) as u32);
        if again >= now {
            row.status = "routed";
            row.events.push(("reopened", "requester", reopened));
            return row;
        }
        row.events.push(("reopened", "requester", reopened));
        row.events.push(("resolved", "department", again));
        resolved = again;
    }
    row.resolved = Some(resolved);
    row.status = "resolved";
    let late = resolved > row.resolution_due;
    if draw.chance(0.7) {
        // Ratings: mostly 5 and 4, lower when it ran late.
        let r = draw.unit() + if late { 0.35 } else { 0.0 };
        let rating = match r {
            r if r < 0.62 => 5,
            r if r < 0.88 => 4,
            r if r < 0.96 => 3,
            r if r < 1.15 => 2,
            _ => 1,
        };
        let at = resolved + DAY / 3;
        if at < now {
            row.status = "closed";
            row.closed = Some(at);
            row.rating = Some(rating);
            row.events.push(("confirmed", "requester", at));
        }
    } else if resolved + 7 * DAY < now {
        row.status = "closed";
        row.closed = Some(resolved + 7 * DAY);
        row.events
            .push(("auto_closed", "system", resolved + 7 * DAY));
    }
    row
}

async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    rows: &[Row],
) -> Result<(), Box<dyn std::error::Error>> {
    let col = |f: &dyn Fn(&Row) -> Option<i64>| -> Vec<Option<f64>> {
        rows.iter().map(|r| f(r).map(|t| t as f64)).collect()
    };
    let requester: i64 = sqlx::query_scalar(
        "INSERT INTO users (phone, display_name, password_hash, is_demo)
         SELECT '13900000099', '历史数据（演示）', password_hash, true FROM users
          WHERE phone = '13900000007'
         RETURNING id",
    )
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO requests (number, requester_id, building_id, category_id, title, description,
                               status, submitted_at, first_response_due, resolution_due,
                               responded_at, resolved_at, closed_at, summary, rating, is_demo)
         SELECT t.number, $1, t.building, t.category, t.title, t.description, t.status,
                to_timestamp(t.submitted), to_timestamp(t.first_due), to_timestamp(t.resolution_due),
                to_timestamp(t.responded), to_timestamp(t.resolved), to_timestamp(t.closed),
                CASE WHEN t.resolved IS NOT NULL THEN '已按诉求处理完毕（演示数据）。' END,
                t.rating, true
           FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[],
                       $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[],
                       $13::float8[], $14::smallint[])
                AS t (number, building, category, title, description, status, submitted,
                      first_due, resolution_due, responded, resolved, closed, rating)",
    )
    .bind(requester)
    .bind(rows.iter().map(|r| r.number.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.building).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.category).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.title.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.description.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.status).collect::<Vec<_>>())
    .bind(col(&|r| Some(r.submitted)))
    .bind(col(&|r| Some(r.first_due)))
    .bind(col(&|r| Some(r.resolution_due)))
    .bind(col(&|r| r.responded))
    .bind(col(&|r| r.resolved))
    .bind(col(&|r| r.closed))
    .bind(rows.iter().map(|r| r.rating).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    // Assignments: claimed and answered as far as the request got.
    let routed: Vec<&Row> = rows
        .iter()
        .filter(|r| r.department.is_some() && r.status != "submitted")
        .collect();
    sqlx::query(
        "INSERT INTO request_assignments (request_id, department_id, status, routed_at,
                                          claimed_at, answered_at)
         SELECT r.id, t.department,
                CASE WHEN r.resolved_at IS NOT NULL OR r.status = 'answered' THEN 'answered'
                     WHEN r.responded_at IS NOT NULL THEN 'claimed' ELSE 'routed' END,
                r.submitted_at + interval '5 minutes', r.responded_at, r.resolved_at
           FROM unnest($1::text[], $2::bigint[]) AS t (number, department)
           JOIN requests r ON r.number = t.number",
    )
    .bind(routed.iter().map(|r| r.number.clone()).collect::<Vec<_>>())
    .bind(routed.iter().map(|r| r.department).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    let events: Vec<(&str, &str, &str, i64, Option<i64>)> = rows
        .iter()
        .flat_map(|r| {
            r.events
                .iter()
                .map(move |(kind, role, at)| (r.number.as_str(), *kind, *role, *at, r.department))
        })
        .collect();
    sqlx::query(
        "INSERT INTO request_events (request_id, actor_id, actor_role, department_id, kind, at)
         SELECT r.id, CASE t.role WHEN 'requester' THEN r.requester_id END, t.role,
                CASE t.role WHEN 'department' THEN t.department END, t.kind, to_timestamp(t.at)
           FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::bigint[])
                WITH ORDINALITY AS t (number, kind, role, at, department, n)
           JOIN requests r ON r.number = t.number
          ORDER BY t.n",
    )
    .bind(events.iter().map(|e| e.0).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.1).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.2).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.3 as f64).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.4).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
