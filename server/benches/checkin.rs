//! Check-in benchmark: 2,000 volunteers of one activity check in at once with the rotating
//! code, through the app's HTTP server function, against a real PostgreSQL; then the same
//! transaction replayed by pgbench on the same PostgreSQL, for the database's own limit.
//!
//!     cargo bench -p server --bench checkin
//!
//! It checks that each check-in was recorded exactly once (a second round of the same scans
//! changes nothing) and prints check-ins/s, p50/p99 latency, the wall time (the target is
//! 2,000 within one minute) and pgbench's transactions/s.

#[path = "common/pgbench.rs"]
mod pgbench;
#[path = "../tests/api/support/mod.rs"]
mod support;

use app::points::token;
use app::state::Clock;
use futures::StreamExt;
use std::time::{Duration, Instant};
use support::TestApp;

const VOLUNTEERS: usize = 2_000;
const IN_FLIGHT: usize = 64;
/// 2026-12-05, 09:00 in Shanghai: the activity starts.
const NOW: i64 = 20_792 * 86_400 + 9 * 3600 - 8 * 3600;

fn main() {
    support::block_on(run());
}

async fn run() {
    let url = support::fresh_database().await;
    let app = TestApp::spawn_with_clock(&url, Clock::Fixed { unix_secs: NOW }).await;
    let (activity, first_user) = seed(&app).await;
    let key = app::points::store::checkin_key(&app.pool, None)
        .await
        .unwrap();
    // The code on the organiser's screen now: every volunteer scans the same one.
    let code = token::sign(&key, activity, token::Action::In, token::slot_at(NOW));
    println!("{VOLUNTEERS} volunteers of one activity check in at once, {IN_FLIGHT} in flight");

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(IN_FLIGHT)
        .build()
        .unwrap();
    let round = |label: &'static str| {
        let (client, app, code) = (client.clone(), app.clone(), code.clone());
        async move {
            let started = Instant::now();
            let results: Vec<(bool, Duration)> = futures::stream::iter(0..VOLUNTEERS)
                .map(|i| {
                    let (client, app, code) = (client.clone(), app.clone(), code.clone());
                    async move {
                        let sent = Instant::now();
                        let response = client
                            .post(app.url("/api/points/check"))
                            .header("cookie", format!("zd_session=checkin-{i}"))
                            .form(&[("token", code.as_str())])
                            .send()
                            .await
                            .expect("request");
                        let status = response.status();
                        let body = response.text().await.expect("body");
                        assert!(status.is_success(), "{label}: {status} {body}");
                        let checked: app::points::Checked = serde_json::from_str(&body).unwrap();
                        (checked.recorded_now, sent.elapsed())
                    }
                })
                .buffer_unordered(IN_FLIGHT)
                .collect()
                .await;
            (results, started.elapsed())
        }
    };

    let (first, wall) = round("first scans").await;
    let recorded = first.iter().filter(|(now, _)| *now).count();
    let mut latencies: Vec<Duration> = first.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    assert_eq!(recorded, VOLUNTEERS, "each first scan is recorded");
    let (again, _) = round("second scans").await;
    assert!(
        again.iter().all(|(now, _)| !now),
        "a second scan changes nothing"
    );
    let checked_in = app
        .count("SELECT count(*) FROM activity_signups WHERE checked_in_at IS NOT NULL")
        .await;
    assert_eq!(checked_in, VOLUNTEERS as i64);
    println!("{checked_in} checked in, each exactly once (the second round recorded nothing)");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "app: {:.0} check-ins/s, all {VOLUNTEERS} in {:.2} s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        VOLUNTEERS as f64 / wall.as_secs_f64(),
        wall.as_secs_f64(),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() * 99 / 100]),
        ms(*latencies.last().unwrap())
    );

    // The same transaction, with a fresh check-in each time (the row is reset first).
    let script = format!(
        r"\set u random({first_user}, {last_user})
UPDATE activity_signups SET checked_in_at = NULL, check_in_how = NULL WHERE activity_id = {activity} AND user_id = :u;
BEGIN;
SELECT a.title, extract(epoch FROM a.starts_at)::bigint, extract(epoch FROM a.ends_at)::bigint, a.geofence_m, a.points_fixed, a.points_per_hour, a.points_cap, a.cancelled_at IS NOT NULL, p.lat, p.lon FROM activities a JOIN places p ON p.id = a.venue_id WHERE a.id = {activity};
SELECT status, extract(epoch FROM checked_in_at)::bigint, checked_out_at IS NOT NULL, minutes, points FROM activity_signups WHERE activity_id = {activity} AND user_id = :u FOR UPDATE;
UPDATE activity_signups SET checked_in_at = now(), check_in_how = 'scan' WHERE activity_id = {activity} AND user_id = :u;
SELECT pg_notify('zd_live', 'activity:{activity} user:' || :u);
COMMIT;
",
        last_user = first_user + VOLUNTEERS as i64 - 1,
    );
    let (tps, latency) = pgbench::run(&url, "checkin", &script, 16, 5);
    println!("pgbench, the same transaction, 16 clients, 5 s: {tps} ({latency})");
}

/// A venue, an activity from 09:00 to 11:00 with room for everyone, and VOLUNTEERS signed-in
/// volunteers signed up for it (made in bulk, with session tokens `checkin-{i}`). Returns
/// the activity and the first volunteer's id.
async fn seed(app: &TestApp) -> (i64, i64) {
    let activity: i64 = sqlx::query_scalar(&format!(
        "WITH p AS (INSERT INTO places (name_zh, name_en, kinds, address_zh, lat, lon)
                    VALUES ('苏河党群服务站', 'Suhe Station', '{{service_station}}', '长寿路',
                            31.24, 121.44) RETURNING id)
         INSERT INTO activities (title, venue_id, starts_at, ends_at, signup_until, capacity,
                                 signed_up, points_fixed)
         SELECT '苏州河畔清洁', p.id, to_timestamp({NOW}), to_timestamp({NOW} + 7200),
                to_timestamp({NOW}), {VOLUNTEERS}, {VOLUNTEERS}, 20 FROM p
         RETURNING id"
    ))
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::raw_sql(&format!(
        "WITH u AS (INSERT INTO users (phone, display_name, password_hash)
                    SELECT (13600000000 + g)::text, '志愿者', 'none'
                      FROM generate_series(0, {last}) AS g RETURNING id, phone),
              s AS (INSERT INTO sessions (token_hash, user_id, expires_at)
                    SELECT sha256(convert_to('checkin-' || (phone::bigint - 13600000000), 'UTF8')),
                           id, now() + interval '1 day' FROM u RETURNING user_id)
         INSERT INTO activity_signups (activity_id, user_id, status)
         SELECT {activity}, user_id, 'signed_up' FROM s",
        last = VOLUNTEERS - 1
    ))
    .execute(&app.pool)
    .await
    .unwrap();
    let first_user = sqlx::query_scalar("SELECT min(user_id) FROM activity_signups")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    (activity, first_user)
}
