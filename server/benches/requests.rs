//! Requests benchmark: 100,000 synthetic requests with 1,000,000 timeline events in a real
//! PostgreSQL, the app on a local port, and timed HTTP calls of the inbox (as a building
//! manager and as a department), of "similar requests" while typing, of the numbers for a
//! year (as the admin and as a department) and of Open311's `requests.json`; then how long a
//! request event takes to reach an SSE subscriber of *another* app instance (its own pool
//! and its own LISTEN connection, so the notice crosses PostgreSQL as between processes).
//!
//!     cargo bench -p server --bench requests
//!
//! It prints p50/p95/max over 300 calls each (after 20 warm-up calls), and over 200 events.

#[path = "common/calls.rs"]
mod calls;
#[path = "../tests/api/support/mod.rs"]
mod support;

use calls::report;

use futures::StreamExt;
use reqwest::Client;
use std::time::{Duration, Instant};
use support::TestApp;

const REQUESTS: i64 = 100_000;
const EVENTS_PER_REQUEST: i64 = 10;
const CALLS: usize = 300;
const WARM_UP: usize = 20;
const LIVE_EVENTS: usize = 200;
/// Calls right after a change (each waits for the notice to arrive first).
const COLD_CALLS: usize = 100;

fn main() {
    support::block_on(run());
}

async fn run() {
    let url = support::fresh_database().await;
    let app = TestApp::spawn_on(&url).await;
    server::demo::load_if_empty(&app.pool)
        .await
        .expect("demo data");
    let started = Instant::now();
    seed(&app).await;
    println!(
        "requests: {}, timeline events: {}, assignments: {} (seeded in {:.0} s)",
        app.count("SELECT count(*) FROM requests").await,
        app.count("SELECT count(*) FROM request_events").await,
        app.count("SELECT count(*) FROM request_assignments").await,
        started.elapsed().as_secs_f64()
    );
    let manager = sign_in(&app, "13900000002").await;
    let department = sign_in(&app, "13900000003").await;
    let worker = sign_in(&app, "13900000001").await;
    let building: i64 = sqlx::query_scalar("SELECT id FROM places WHERE name_zh = '平高国际大厦'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    println!(
        "the manager's building holds {} requests; the department was routed {}",
        app.count(&format!("SELECT count(*) FROM requests WHERE building_id = {building}")).await,
        app.count("SELECT count(*) FROM request_assignments a JOIN departments d ON d.id = a.department_id WHERE d.name_zh = '街道营商服务办公室'").await
    );
    println!();
    println!(
        "{:<52} {:>8} {:>8} {:>8} {:>7}",
        "call", "p50 ms", "p95 ms", "max ms", "items"
    );
    let cases: Vec<(&str, &Client, &str, Vec<(&str, &str)>)> = vec![
        (
            "inbox, building manager (open, by deadline)",
            &manager,
            "requests/inbox",
            vec![],
        ),
        (
            "inbox, building manager, overdue",
            &manager,
            "requests/inbox",
            vec![("due", "overdue")],
        ),
        (
            "inbox, department (open, by deadline)",
            &department,
            "requests/inbox",
            vec![],
        ),
        (
            "inbox, department, closed",
            &department,
            "requests/inbox",
            vec![("status", "closed")],
        ),
        (
            "similar: 楼下停车位紧张怎么办",
            &worker,
            "requests/similar",
            vec![("text", "楼下停车位紧张怎么办")],
        ),
        (
            "similar: 办公室冷气不凉，下午热得坐不住",
            &worker,
            "requests/similar",
            vec![("text", "办公室冷气不凉，下午热得坐不住")],
        ),
        (
            "similar: 公司搬家了营业执照地址要改吗",
            &worker,
            "requests/similar",
            vec![("text", "公司搬家了营业执照地址要改吗")],
        ),
    ];
    for (label, client, function, fields) in cases {
        let url = app.url(&format!("/api/{function}"));
        let (mut times, body) = calls::timed(client, &url, &fields, WARM_UP, CALLS).await;
        report(label, &mut times, count_items(function, &body));
    }

    // The numbers. Computing a report reads the whole period's requests; each question
    // asked is then kept and recomputed in the background after every change.
    let admin = sign_in(&app, "13900000006").await;
    // The twelve months the reports cover, counted here so that nothing is computed before
    // the timed calls.
    let covered: Vec<String> = {
        let this = app::numbers::Month::of_day(app::lunch::window::shanghai_day(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64,
        ));
        std::iter::successors(Some(this), |m| Some(m.previous()))
            .take(12)
            .map(|m| m.to_string())
            .collect()
    };
    let report_url = app.url("/api/numbers/report");
    for (label, client) in [("admin", &admin), ("department", &department)] {
        for by in ["department", "building", "category"] {
            // Each question for the first time: computed while the caller waits.
            let mut year = Vec::new();
            let mut months = Vec::new();
            for month in std::iter::once(String::new()).chain(covered.iter().cloned()) {
                let fields = [("by", by), ("month", month.as_str())];
                let took = one_call(client, &report_url, &fields).await;
                if month.is_empty() {
                    year.push(took)
                } else {
                    months.push(took)
                }
            }
            report(
                &format!("numbers, {label}, by {by}, 12 months, computed"),
                &mut year,
                1,
            );
            report(
                &format!("numbers, {label}, by {by}, one month, computed"),
                &mut months,
                12,
            );
        }
    }
    for (label, client) in [("admin", &admin), ("department", &department)] {
        let fields = [("by", "department")];
        // Kept: what a reader gets, also right after a change (the recomputation runs
        // beside it).
        let (mut times, body) = calls::timed(client, &report_url, &fields, WARM_UP, CALLS).await;
        let figures: app::numbers::Report = serde_json::from_slice(&body).expect("report");
        report(
            &format!("numbers, {label}, 12 months, kept"),
            &mut times,
            figures.total.received as usize,
        );
        let mut times = Vec::with_capacity(COLD_CALLS);
        for _ in 0..COLD_CALLS {
            sqlx::query("SELECT pg_notify('zd_live', 'requests')")
                .execute(&app.pool)
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(30)).await;
            times.push(one_call(client, &report_url, &fields).await);
        }
        report(
            &format!("numbers, {label}, 12 months, just after a change"),
            &mut times,
            COLD_CALLS,
        );
    }

    // Open311: anyone may read, no session.
    let anyone = Client::new();
    for (label, query) in [
        ("open311 requests.json (last 90 days)", ""),
        ("open311 requests.json?status=open", "?status=open"),
        (
            "open311 requests.json?service_code=property,safety",
            "?service_code=property,safety",
        ),
        ("open311 requests.xml (last 90 days)", ""),
    ] {
        let file = if label.contains(".xml") {
            "requests.xml"
        } else {
            "requests.json"
        };
        let url = app.url(&format!("/open311/v2/{file}{query}"));
        let (mut times, body) = calls::timed_get(&anyone, &url, WARM_UP, CALLS).await;
        let items = if file.ends_with(".json") {
            serde_json::from_slice::<Vec<serde_json::Value>>(&body)
                .expect("list")
                .len()
        } else {
            String::from_utf8_lossy(&body).matches("<request>").count()
        };
        report(label, &mut times, items);
    }

    live_latency(&app, &url, &manager, &worker, building).await;
}

/// How long one successful call of `url` with `fields` takes, its answer read.
async fn one_call(client: &Client, url: &str, fields: &[(&str, &str)]) -> Duration {
    let started = Instant::now();
    let response = client.post(url).form(fields).send().await.expect("call");
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    let _ = response.bytes().await;
    started.elapsed()
}

fn count_items(function: &str, body: &[u8]) -> usize {
    if function == "requests/inbox" {
        serde_json::from_slice::<app::requests::Inbox>(body)
            .expect("inbox")
            .items
            .len()
    } else {
        serde_json::from_slice::<Vec<app::requests::SimilarItem>>(body)
            .expect("similar")
            .len()
    }
}

/// From a step committed on one instance to the "change" event read from the other's SSE.
async fn live_latency(app: &TestApp, url: &str, manager: &Client, worker: &Client, building: i64) {
    let other = TestApp::spawn_on(url).await;
    let response = manager
        .get(other.url(&format!("/api/live?topics=building:{building}")))
        .send()
        .await
        .expect("subscribe");
    let mut stream = response.bytes_stream();
    let _ready = stream.next().await;
    let number: String = app
        .call_multipart(
            worker,
            "requests/raise",
            &[
                ("category", &category(app).await),
                ("building", &building.to_string()),
                ("title", "压测用诉求"),
                ("description", "用于测量实时通道的延迟。"),
            ],
            &[],
        )
        .await
        .expect("raise");
    // Drain the raise's own event.
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.next()).await;
    let mut times = Vec::with_capacity(LIVE_EVENTS);
    for _ in 0..LIVE_EVENTS {
        let started = Instant::now();
        app.call_multipart::<()>(
            manager,
            "requests/step",
            &[("number", &number), ("step", "comment"), ("note", "跟进")],
            &[],
        )
        .await
        .expect("comment");
        loop {
            let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
                .await
                .expect("an event within 5 s")
                .expect("stream open")
                .expect("chunk");
            if String::from_utf8_lossy(&chunk).contains("event: change") {
                break;
            }
        }
        times.push(started.elapsed());
    }
    report(
        "live: step committed → SSE event on the other instance",
        &mut times,
        LIVE_EVENTS,
    );
    println!("  (includes the step's own HTTP round trip, which the event cannot precede)");
}

async fn category(app: &TestApp) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM request_categories WHERE code = 'property'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

async fn sign_in(app: &TestApp, phone: &str) -> Client {
    let client = TestApp::client();
    app.call::<()>(
        &client,
        "sign_in",
        &[("phone", phone), ("password", "Demo-2026")],
    )
    .await
    .expect("sign in");
    client
}

/// Synthetic history: requests spread over the 48 buildings and eight categories, with
/// titles from the demo's 50 resolved requests (so "similar" has realistic bigrams to match,
/// each text 2,000 times over: a harder case than real, varied text), mostly closed with
/// 7.5 % open, submitted over the past year, one assignment each once routed, and ten
/// timeline events each.
async fn seed(app: &TestApp) {
    let texts: Vec<(String, String)> =
        sqlx::query_as("SELECT title, description FROM requests WHERE status = 'closed'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let titles: Vec<String> = texts.iter().map(|(t, _)| t.clone()).collect();
    let grams: Vec<String> = texts
        .iter()
        .map(|(t, d)| {
            let g = app::requests::similar::bigrams(&format!("{t}\n{d}"));
            // A PostgreSQL array literal of the grams.
            format!(
                "{{{}}}",
                g.iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect();
    let mut tx = app.pool.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO requests (number, requester_id, building_id, category_id, title, description,
                               status, bigrams, submitted_at, first_response_due, resolution_due,
                               responded_at, resolved_at, summary, rating)
         -- 2019: a year the demo history does not reach.
         SELECT 'CS2019-' || lpad(g::text, 6, '0'),
                (SELECT id FROM users WHERE phone = '13900000007'),
                -- A hash, so that statuses spread evenly over the buildings.
                b.ids[1 + (g * 104729) % 1000003 % cardinality(b.ids)],
                c.ids[1 + g % cardinality(c.ids)],
                ($2::text[])[1 + g % cardinality($2::text[])],
                '合成的诉求描述 ' || g,
                s.status,
                (($3::text[])[1 + g % cardinality($3::text[])])::text[],
                t.at, t.at + interval '4 hours', t.at + interval '3 days',
                CASE WHEN s.status IN ('routed', 'answered', 'resolved', 'closed') THEN t.at + interval '2 hours' END,
                CASE WHEN s.status IN ('resolved', 'closed') THEN t.at + interval '1 day' END,
                CASE WHEN s.status IN ('resolved', 'closed') THEN '已处理' END,
                -- Two in three closed requests rated, 3 to 5 stars.
                CASE WHEN s.status = 'closed' AND g % 3 > 0 THEN 3 + g % 3 END
           FROM generate_series(1, $1) AS g,
                (SELECT array_agg(id ORDER BY id) AS ids FROM places WHERE 'building' = ANY (kinds)) AS b,
                (SELECT array_agg(id ORDER BY id) AS ids FROM request_categories) AS c,
                -- Of 40: 34 closed, 2 resolved, 1 returned, 3 open (7.5 %, more than a
                -- working hotline keeps open).
                LATERAL (SELECT CASE (g * 7) % 40 WHEN 0 THEN 'submitted' WHEN 1 THEN 'routed'
                                     WHEN 2 THEN 'answered' WHEN 3 THEN 'returned'
                                     WHEN 4 THEN 'resolved' WHEN 5 THEN 'resolved'
                                     ELSE 'closed' END AS status) AS s,
                LATERAL (SELECT now() - make_interval(mins => ((g * 7919) % 525600)::int) AS at) AS t",
    )
    .bind(REQUESTS)
    .bind(&titles)
    .bind(&grams)
    .execute(&mut *tx)
    .await
    .expect("synthetic requests");
    sqlx::query(
        "INSERT INTO request_assignments (request_id, department_id, status, routed_at)
         SELECT r.id, d.ids[1 + r.id % cardinality(d.ids)],
                CASE WHEN r.status = 'routed' THEN 'routed' ELSE 'answered' END, r.submitted_at
           FROM requests r, (SELECT array_agg(id ORDER BY id) AS ids FROM departments) AS d
          WHERE r.number LIKE 'CS2019-%' AND r.status IN ('routed', 'answered', 'resolved', 'closed')",
    )
    .execute(&mut *tx)
    .await
    .expect("assignments");
    sqlx::query(
        "INSERT INTO request_events (request_id, actor_id, actor_role, kind, note, at)
         SELECT r.id, r.requester_id, 'requester',
                (ARRAY['submitted', 'accepted', 'routed', 'claimed', 'commented', 'commented',
                       'answered', 'resolved', 'confirmed', 'commented'])[k],
                '', r.submitted_at + make_interval(mins => k * 30)
           FROM requests r, generate_series(1, $1) AS k
          WHERE r.number LIKE 'CS2019-%'",
    )
    .bind(EVENTS_PER_REQUEST as i32)
    .execute(&mut *tx)
    .await
    .expect("events");
    let calendar = app::requests::store::load_calendar(&mut *tx).await.unwrap();
    app::requests::store::fill_work_minutes(&mut *tx, &calendar, None)
        .await
        .expect("working minutes");
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE")
        .execute(&app.pool)
        .await
        .expect("analyze");
}
