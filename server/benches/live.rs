//! Live benchmark: how long a portions-left change takes to reach an open menu served by
//! another server process.
//!
//!     cargo bench -p server --bench live
//!
//! Two app servers share one PostgreSQL, as two processes behind a load balancer would:
//! this process (the writer) and a child process it starts (the reader). An open menu is
//! the reader's live channel (`/api/live?topics=lunch:…`, Server-Sent Events). Each sample
//! places one order on the writer and measures, from sending the order:
//! - notice: until the reader's stream announces the change (pg_notify → the reader's
//!   LISTEN connection → its broadcast → the SSE stream);
//! - menu: until the menu reloaded from the reader (as the page does on a notice) shows
//!   the new portions left.
//!
//! It prints p50, p95 and max of both over SAMPLES orders, one at a time and then with
//! CONCURRENT orders in flight.

#[path = "../tests/api/support/mod.rs"]
mod support;

use app::state::Clock;
use futures::StreamExt;
use std::time::{Duration, Instant};
use support::TestApp;
use tokio::io::AsyncBufReadExt;

const SAMPLES: usize = 300;
const CONCURRENT: usize = 16;
/// 2026-11-26, a Thursday; 09:00 in Shanghai, when ordering is open.
const DAY: i64 = 20_783;
const NINE_AM: Clock = Clock::Fixed {
    unix_secs: DAY * 86_400 + 9 * 3600 - 8 * 3600,
};
/// The child process's role, and the database it serves.
const READER: &str = "ZD_LIVE_BENCH_READER";

fn main() {
    match std::env::var(READER) {
        Ok(url) => support::block_on(serve_reader(url)),
        Err(_) => support::block_on(run()),
    }
}

/// The child: an app server on the same database; prints its address, serves until the
/// parent closes its stdin.
async fn serve_reader(url: String) {
    let app = TestApp::spawn_with_clock(&url, NINE_AM).await;
    println!("{}", app.url(""));
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(_)) = lines.next_line().await {}
}

async fn run() {
    let url = support::fresh_database().await;
    let writer = TestApp::spawn_with_clock(&url, NINE_AM).await;
    let mut child = tokio::process::Command::new(std::env::current_exe().expect("exe"))
        .env(READER, &url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("reader process");
    let reader_url = tokio::io::BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next_line()
        .await
        .expect("reader output")
        .expect("reader address");
    println!(
        "writer {} (this process), reader {reader_url} (pid {})",
        writer.url(""),
        child.id().unwrap_or(0)
    );

    let (point, meal) = seed(&writer).await;
    let workers = writer.quick_users(13_600_000_000, SAMPLES * 2).await;

    // The open menu: the reader's stream of this point's changes.
    let notices = subscribe(&format!("{reader_url}/api/live?topics=lunch:{point}")).await;
    let reader = reqwest::Client::new();
    let menu_url = format!("{reader_url}/api/lunch_menus");

    let (one, rest) = workers.split_at(SAMPLES);
    let mut notices = notices;
    let sequential = measure(&writer, one, meal, &mut notices, &reader, &menu_url, 1).await;
    report("one order at a time", &sequential);
    let loaded = measure(
        &writer,
        rest,
        meal,
        &mut notices,
        &reader,
        &menu_url,
        CONCURRENT,
    )
    .await;
    report(&format!("{CONCURRENT} orders in flight"), &loaded);
    drop(child);
}

/// Orders from `workers`, `at_once` at a time; for each order, the time until the reader
/// announced a change and until its menu showed the order's portions gone.
async fn measure(
    writer: &TestApp,
    workers: &[reqwest::Client],
    meal: i64,
    notices: &mut tokio::sync::mpsc::UnboundedReceiver<Instant>,
    reader: &reqwest::Client,
    menu_url: &str,
    at_once: usize,
) -> Vec<(Duration, Duration)> {
    let mut samples = Vec::new();
    for batch in workers.chunks(at_once) {
        while notices.try_recv().is_ok() {}
        let before = portions_left(reader, menu_url, meal).await;
        let sent = Instant::now();
        let orders = batch.iter().enumerate().map(|(i, client)| {
            let url = writer.url("/api/place_order");
            async move {
                let response = client
                    .post(url)
                    .form(&[
                        ("meal", meal.to_string()),
                        ("quantity", "1".to_owned()),
                        (
                            "attempt",
                            format!("live-bench-{i:04}-{}", app::error::new_request_id()),
                        ),
                    ])
                    .send()
                    .await
                    .expect("order");
                assert!(
                    response.status().is_success(),
                    "order refused: {}",
                    response.status()
                );
            }
        });
        futures::future::join_all(orders).await;
        // Each order is one commit and one notice; the batch's last notice is the one that
        // brings the menu up to date.
        let mut noticed = Instant::now();
        for _ in 0..batch.len() {
            noticed = tokio::time::timeout(Duration::from_secs(5), notices.recv())
                .await
                .expect("notice in time")
                .expect("stream open");
        }
        let wanted = before - batch.len() as i32;
        loop {
            if portions_left(reader, menu_url, meal).await == wanted {
                break;
            }
            assert!(
                sent.elapsed() < Duration::from_secs(5),
                "menu never caught up"
            );
        }
        let shown = Instant::now();
        for _ in batch {
            samples.push((noticed - sent, shown - sent));
        }
    }
    samples
}

async fn portions_left(reader: &reqwest::Client, menu_url: &str, meal: i64) -> i32 {
    let menus: app::lunch::DayMenus = reader
        .post(menu_url)
        .form(&[("day", "2026-11-26")])
        .send()
        .await
        .expect("menu")
        .json()
        .await
        .expect("menu json");
    menus
        .points
        .iter()
        .flat_map(|p| &p.meals)
        .find(|m| m.id == meal)
        .expect("meal on the menu")
        .portions_left
}

/// The times of `change` events on the SSE stream at `url`, once it is ready.
async fn subscribe(url: &str) -> tokio::sync::mpsc::UnboundedReceiver<Instant> {
    let response = reqwest::get(url).await.expect("live stream");
    assert!(response.status().is_success());
    let mut stream = response.bytes_stream();
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut ready = Some(ready_tx);
        let mut buffer = String::new();
        while let Some(Ok(bytes)) = stream.next().await {
            let at = Instant::now();
            buffer.push_str(&String::from_utf8_lossy(&bytes));
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                if event.contains("event: ready") {
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(());
                    }
                } else if (event.contains("event: change") || event.contains("event: reload"))
                    && tx.send(at).is_err()
                {
                    return;
                }
            }
        }
    });
    ready_rx.await.expect("stream ready");
    rx
}

fn report(label: &str, samples: &[(Duration, Duration)]) {
    let pick = |f: fn(&(Duration, Duration)) -> Duration| {
        let mut v: Vec<Duration> = samples.iter().map(f).collect();
        v.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            ms(v[v.len() / 2]),
            ms(v[v.len() * 95 / 100]),
            ms(*v.last().unwrap())
        )
    };
    println!("{label} ({} orders):", samples.len());
    println!("  notice at the reader:  {}", pick(|s| s.0));
    println!("  menu shows the change: {}", pick(|s| s.1));
}

/// A lunch point with one meal on DAY with plenty of portions. Returns (point, meal).
async fn seed(app: &TestApp) -> (i64, i64) {
    let point: i64 = sqlx::query_scalar(
        "WITH m AS (INSERT INTO merchants (name_zh, name_en) VALUES ('顺风大酒店', 'Shunfeng')
                    RETURNING id),
              p AS (INSERT INTO places (name_zh, name_en, kinds, address_zh, lat, lon)
                    VALUES ('站点', 'Station', '{service_station,lunch_point}', '长寿路',
                            31.24, 121.44) RETURNING id)
         INSERT INTO lunch_points (place_id, merchant_id, fulfilment, payment)
         SELECT p.id, m.id, 'pickup', 'at_pickup' FROM p, m RETURNING place_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let meal = sqlx::query_scalar(
        "INSERT INTO meals (lunch_point_id, day, name_zh, list_fen, discount_fen, subsidy_fen,
                            portions, portions_left, per_person_limit, orders_open, cutoff,
                            pickup_from, pickup_until)
         VALUES ($1, DATE '1970-01-01' + $2::int, '红烧肉套餐', 2500, 300, 500, 10000, 10000, 2,
                 (DATE '1970-01-01' + $2::int - 1)::timestamp AT TIME ZONE 'Asia/Shanghai',
                 (DATE '1970-01-01' + $2::int + time '10:30') AT TIME ZONE 'Asia/Shanghai',
                 (DATE '1970-01-01' + $2::int + time '11:30') AT TIME ZONE 'Asia/Shanghai',
                 (DATE '1970-01-01' + $2::int + time '13:30') AT TIME ZONE 'Asia/Shanghai')
         RETURNING id",
    )
    .bind(point)
    .bind(DAY as i32)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    (point, meal)
}
