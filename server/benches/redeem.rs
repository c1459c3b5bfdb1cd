//! Redemption races, through the app's HTTP server function against a real PostgreSQL:
//!
//! - one volunteer whose balance covers 10 sends 200 redemptions at once: exactly 10 succeed
//!   and the balance ends at 0, never below (five rounds);
//! - 500 volunteers race for a reward with a stock of 50: exactly 50 succeed.
//!
//!     cargo bench -p server --bench redeem
//!
//! It prints, for each race, the wall time from the first request sent to the last answer,
//! and the p50/p99 latency of an answer.

#[path = "../tests/api/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};
use support::TestApp;

const ROUNDS: usize = 5;
const ATTEMPTS: usize = 200;
const RACERS: usize = 500;
const STOCK: i32 = 50;

fn main() {
    support::block_on(run());
}

async fn run() {
    let app = TestApp::spawn().await;
    let partner = app.place("盒马鲜生", "{partner_unit}").await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(RACERS)
        .build()
        .unwrap();

    println!(
        "{ATTEMPTS} redemptions at once by one volunteer whose balance covers 10, {ROUNDS} rounds"
    );
    volunteers(&app, "one", 1, 100).await;
    let ten = reward(&app, partner, 10, 100_000).await;
    for round in 1..=ROUNDS {
        let (results, wall) = race(
            &client,
            &app,
            ten,
            (0..ATTEMPTS).map(|_| "one-0".to_owned()),
        )
        .await;
        let won = results.iter().filter(|(ok, _)| *ok).count();
        assert_eq!(won, 10, "exactly ten succeed");
        let balance = app
            .count("SELECT balance::bigint FROM volunteer_accounts a JOIN users u ON u.id = a.user_id WHERE u.phone = '13500000000'")
            .await;
        assert_eq!(balance, 0, "the balance ends at zero, never below");
        report(
            &format!("round {round}: {won} of {ATTEMPTS} succeeded, balance 0"),
            &results,
            wall,
        );
        // Top up for the next round.
        sqlx::query(
            "INSERT INTO points_ledger (user_id, kind, points, reason)
             SELECT id, 'adjust', 100, 'bench' FROM users WHERE phone = '13500000000'",
        )
        .execute(&app.pool)
        .await
        .unwrap();
    }

    println!("{RACERS} volunteers race for a reward with a stock of {STOCK}");
    volunteers(&app, "racer", RACERS, 20).await;
    let scarce = reward(&app, partner, 20, STOCK).await;
    let (results, wall) = race(
        &client,
        &app,
        scarce,
        (0..RACERS).map(|i| format!("racer-{i}")),
    )
    .await;
    let won = results.iter().filter(|(ok, _)| *ok).count();
    assert_eq!(won, STOCK as usize, "exactly the stock succeeds");
    assert_eq!(
        app.count(&format!(
            "SELECT stock::bigint FROM rewards WHERE id = {scarce}"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT count(*) FROM volunteer_accounts WHERE balance < 0")
            .await,
        0
    );
    report(
        &format!("{won} of {RACERS} succeeded, stock 0"),
        &results,
        wall,
    );
}

/// Sends one redemption of `reward` per session token in `sessions`, all at once; returns
/// whether each succeeded with its latency, and the wall time.
async fn race(
    client: &reqwest::Client,
    app: &TestApp,
    reward: i64,
    sessions: impl Iterator<Item = String>,
) -> (Vec<(bool, Duration)>, Duration) {
    let started = Instant::now();
    let attempts = sessions.map(|session| {
        let client = client.clone();
        let url = app.url("/api/points/redeem");
        async move {
            let sent = Instant::now();
            let response = client
                .post(url)
                .header("cookie", format!("zd_session={session}"))
                .form(&[("reward", reward.to_string())])
                .send()
                .await
                .expect("request");
            let status = response.status();
            let body = response.text().await.expect("body");
            assert!(
                status.is_success() || status.as_u16() == 409,
                "a redemption succeeds or is refused: {status} {body}"
            );
            (status.is_success(), sent.elapsed())
        }
    });
    let results = futures::future::join_all(attempts).await;
    (results, started.elapsed())
}

fn report(what: &str, results: &[(bool, Duration)], wall: Duration) {
    let mut latencies: Vec<Duration> = results.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {what}: all answered in {:.0} ms; latency p50 {:.1} ms, p99 {:.1} ms",
        ms(wall),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() * 99 / 100]),
    );
}

/// `n` volunteers with `points` each, signed in with session tokens `{prefix}-{i}` (made in
/// bulk: hashing 500 passwords would measure the hash, not the race).
async fn volunteers(app: &TestApp, prefix: &str, n: usize, points: i32) {
    let base: i64 = if prefix == "one" {
        13_500_000_000
    } else {
        13_510_000_000
    };
    sqlx::raw_sql(&format!(
        "WITH u AS (INSERT INTO users (phone, display_name, password_hash)
                    SELECT ({base} + g)::text, '志愿者', 'none'
                      FROM generate_series(0, {last}) AS g RETURNING id, phone),
              s AS (INSERT INTO sessions (token_hash, user_id, expires_at)
                    SELECT sha256(convert_to('{prefix}-' || (phone::bigint - {base}), 'UTF8')),
                           id, now() + interval '1 day' FROM u RETURNING user_id)
         INSERT INTO points_ledger (user_id, kind, points, reason)
         SELECT user_id, 'adjust', {points}, 'bench' FROM s",
        last = n - 1
    ))
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn reward(app: &TestApp, partner: i64, cost: i32, stock: i32) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO rewards (partner_id, title, cost, stock, valid_until)
         VALUES ($1, '现磨咖啡一杯', $2, $3, now() + interval '30 days') RETURNING id",
    )
    .bind(partner)
    .bind(cost)
    .bind(stock)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}
