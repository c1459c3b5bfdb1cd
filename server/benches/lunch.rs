//! Lunch benchmark: 5,000 order attempts at once on 1,000 portions over 10 meals, through
//! the app's HTTP server function, against a real PostgreSQL; then the same order
//! transaction replayed by pgbench on the same PostgreSQL, for the database's own limit.
//!
//!     cargo bench -p server --bench lunch
//!
//! It checks that exactly 1,000 attempts were accepted and nothing was oversold, and prints
//! orders/s (all attempts, accepted or sold out, over the wall time), p50/p99 latency, and
//! pgbench's transactions/s for the order transaction with 16 clients.

#[path = "common/pgbench.rs"]
mod pgbench;
#[path = "../tests/api/support/mod.rs"]
mod support;

use app::state::Clock;
use futures::StreamExt;
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use support::TestApp;

const ATTEMPTS: usize = 5_000;
const MEALS: i64 = 10;
const PORTIONS: i32 = 100;
/// Requests in flight at once: as many as the machine's open files comfortably allow.
const IN_FLIGHT: usize = 256;
/// 2026-11-26, a Thursday, 09:00 in Shanghai: ordering is open.
const DAY: i64 = 20_783;

fn main() {
    support::block_on(run());
}

async fn run() {
    let url = support::fresh_database().await;
    let app = TestApp::spawn_with_clock(
        &url,
        Clock::Fixed {
            unix_secs: DAY * 86_400 + 9 * 3600 - 8 * 3600,
        },
    )
    .await;
    let meals = seed(&app).await;
    let first_user: i64 = sqlx::query_scalar("SELECT min(id) FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    println!(
        "{ATTEMPTS} attempts, {} meals with {PORTIONS} portions each, {IN_FLIGHT} in flight",
        meals.len()
    );

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(IN_FLIGHT)
        .build()
        .unwrap();
    let started = Instant::now();
    let results: Vec<(StatusCode, Duration)> = futures::stream::iter(0..ATTEMPTS)
        .map(|i| {
            let (client, app) = (client.clone(), app.clone());
            let meal = meals[i % meals.len()];
            async move {
                let sent = Instant::now();
                let response = client
                    .post(app.url("/api/place_order"))
                    .header("cookie", format!("zd_session=bench-{i}"))
                    .form(&[
                        ("meal", meal.to_string()),
                        ("quantity", "1".to_owned()),
                        ("attempt", format!("bench-attempt-{i:06}")),
                    ])
                    .send()
                    .await
                    .expect("request");
                let status = response.status();
                let body = response.text().await.expect("body");
                assert!(
                    status == StatusCode::OK
                        || (status == StatusCode::CONFLICT && body.contains("SoldOut")),
                    "unexpected answer {status}: {body}"
                );
                (status, sent.elapsed())
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    let wall = started.elapsed();
    let accepted = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let mut latencies: Vec<Duration> = results.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    let sold: i64 = app
        .count("SELECT coalesce(sum(quantity), 0) FROM lunch_orders")
        .await;
    let left: i64 = app
        .count("SELECT coalesce(sum(portions_left), 0) FROM meals")
        .await;
    let negative: i64 = app
        .count("SELECT count(*) FROM meals WHERE portions_left < 0")
        .await;
    assert_eq!(accepted, MEALS as usize * PORTIONS as usize, "accepted");
    assert_eq!(sold, MEALS * i64::from(PORTIONS), "portions in orders");
    assert_eq!((left, negative), (0, 0), "nothing left, nothing oversold");
    println!(
        "accepted {accepted}, sold out {}; {sold} portions in orders, 0 left, none oversold",
        ATTEMPTS - accepted
    );
    println!(
        "app: {:.0} attempts/s over {:.2} s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ATTEMPTS as f64 / wall.as_secs_f64(),
        wall.as_secs_f64(),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() * 99 / 100]),
        ms(*latencies.last().unwrap())
    );

    pgbench(&app, &url, first_user).await;
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Two lunch points, ten meals with PORTIONS each on DAY, and ATTEMPTS signed-in workers
/// (made in bulk, with session tokens `bench-{i}`). Returns the meals.
async fn seed(app: &TestApp) -> Vec<i64> {
    sqlx::raw_sql(&format!(
        "WITH m AS (INSERT INTO merchants (name_zh, name_en) VALUES ('顺风大酒店', 'Shunfeng')
                    RETURNING id),
              p AS (INSERT INTO places (name_zh, name_en, kinds, address_zh, lat, lon)
                    SELECT '站点' || g, 'Station ' || g, '{{service_station,lunch_point}}',
                           '长寿路', 31.24, 121.44
                      FROM generate_series(1, 2) AS g RETURNING id)
         INSERT INTO lunch_points (place_id, merchant_id, fulfilment, payment)
         SELECT p.id, m.id, 'pickup', 'at_pickup' FROM p, m;
         INSERT INTO meals (lunch_point_id, day, name_zh, list_fen, discount_fen, subsidy_fen,
                            portions, portions_left, per_person_limit, orders_open, cutoff,
                            pickup_from, pickup_until)
         SELECT lp.place_id, DATE '1970-01-01' + {DAY}, '套餐' || k, 2500, 300, 500,
                {PORTIONS}, {PORTIONS}, 2,
                (DATE '1970-01-01' + {DAY} - 1)::timestamp AT TIME ZONE 'Asia/Shanghai',
                (DATE '1970-01-01' + {DAY} + time '10:30') AT TIME ZONE 'Asia/Shanghai',
                (DATE '1970-01-01' + {DAY} + time '11:30') AT TIME ZONE 'Asia/Shanghai',
                (DATE '1970-01-01' + {DAY} + time '13:30') AT TIME ZONE 'Asia/Shanghai'
           FROM lunch_points lp, generate_series(1, {half}) AS k;
         WITH u AS (INSERT INTO users (phone, display_name, password_hash)
                    SELECT (13500000000 + g)::text, '并发用户', 'none'
                      FROM generate_series(0, {last}) AS g RETURNING id, phone)
         INSERT INTO sessions (token_hash, user_id, expires_at)
         SELECT sha256(convert_to('bench-' || (phone::bigint - 13500000000), 'UTF8')), id,
                now() + interval '1 day'
           FROM u;",
        half = MEALS / 2,
        last = ATTEMPTS - 1,
    ))
    .execute(&app.pool)
    .await
    .expect("seed");
    sqlx::query_scalar("SELECT id FROM meals ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

/// The order transaction of `app/src/lunch/store.rs::place_order`, statement by statement,
/// as a pgbench script on ten meals with ample portions (on ten other days, so each day's
/// pickup codes suffice): what PostgreSQL alone can do on this machine.
async fn pgbench(app: &TestApp, url: &str, first_user: i64) {
    let first_meal: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO meals (lunch_point_id, day, name_zh, list_fen, discount_fen, subsidy_fen,
                            portions, portions_left, per_person_limit, orders_open, cutoff,
                            pickup_from, pickup_until)
         SELECT lp, DATE '1970-01-01' + {DAY} + k, 'pgbench', 2500, 300, 500, 10000, 10000, 10,
                now() - interval '1 day', now() + interval '1 day',
                now() + interval '1 day', now() + interval '2 days'
           FROM (SELECT min(place_id) AS lp FROM lunch_points) AS p, generate_series(1, 10) AS k
         RETURNING id",
    ))
    .fetch_all(&app.pool)
    .await
    .unwrap()
    .into_iter()
    .min()
    .unwrap();
    let script = format!(
        r"\set u random({first_user}, {last_user})
\set m random({first_meal}, {last_meal})
BEGIN;
SELECT 1 FROM users WHERE id = :u FOR UPDATE;
SELECT id FROM lunch_orders WHERE user_id = :u AND idempotency_key = 'pgbench-' || :u || '-' || :client_id;
SELECT m.lunch_point_id, (m.day - DATE '1970-01-01') AS day, m.list_fen, m.discount_fen, m.subsidy_fen, m.per_person_limit, lp.fulfilment, (SELECT coalesce(sum(quantity), 0)::int FROM lunch_orders o WHERE o.meal_id = m.id AND o.user_id = :u AND o.status <> 'cancelled') AS mine FROM meals m JOIN lunch_points lp ON lp.place_id = m.lunch_point_id WHERE m.id = :m;
SELECT per_meal_fen, meals_per_day FROM lunch_subsidy;
SELECT c.name, c.confirmed, (SELECT coalesce(sum(subsidised_meals), 0)::int FROM lunch_orders o WHERE o.user_id = :u AND o.day = DATE '2026-11-27' AND o.status <> 'cancelled') FROM worker_companies w JOIN companies c ON c.id = w.company_id WHERE w.user_id = :u;
UPDATE meals SET portions_left = portions_left - 1 WHERE id = :m AND portions_left >= 1 RETURNING portions_left;
INSERT INTO pickup_counters AS c (lunch_point_id, day, last) SELECT lunch_point_id, day, 1 FROM meals WHERE id = :m ON CONFLICT (lunch_point_id, day) DO UPDATE SET last = c.last + 1 RETURNING last;
INSERT INTO lunch_orders (user_id, meal_id, lunch_point_id, day, quantity, list_fen, discount_fen, subsidy_fen, pay_fen, subsidised_meals, pickup_code, idempotency_key) SELECT :u, m.id, m.lunch_point_id, m.day, 1, 2500, 300, 0, 2200, 0, (1000 + (c.last - 1) * 7919 % 9000)::text, md5(random()::text) FROM meals m JOIN pickup_counters c ON c.lunch_point_id = m.lunch_point_id AND c.day = m.day WHERE m.id = :m;
SELECT pg_notify('zd_live', 'lunch:1 user:' || :u);
COMMIT;
",
        last_user = first_user + ATTEMPTS as i64 - 1,
        last_meal = first_meal + 9,
    );
    let (tps, latency) = pgbench::run(url, "lunch-order", &script, 16, 5);
    println!("pgbench, the same transaction, 16 clients, 5 s: {tps} ({latency})");
}
