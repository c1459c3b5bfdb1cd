//! Resource-map benchmark: 5,000 synthetic places (plus the demo data) in a real PostgreSQL,
//! the app on a local port, and timed HTTP calls of the search server function; then the
//! size of the map route's server-rendered HTML with the 500 nearest places.
//!
//!     cargo bench -p server --bench places
//!
//! It prints p50/p95/max per query over 300 calls each (after 20 warm-up calls).

#[path = "../tests/api/support/mod.rs"]
mod support;

use app::map::hours::{parse_weekly, Hours};
use app::state::Clock;
use std::time::{Duration, Instant};
use support::TestApp;

const SYNTHETIC_PLACES: i64 = 5_000;
const CALLS: usize = 300;
const WARM_UP: usize = 20;

fn main() {
    support::block_on(run());
}

async fn run() {
    // A Thursday at 10:00 in Shanghai, so that "open now" has places to find.
    let thursday_morning = Clock::Fixed {
        unix_secs: 1_795_658_400,
    };
    let app = TestApp::spawn_with_clock(&support::fresh_database().await, thursday_morning).await;
    server::demo::load_if_empty(&app.pool)
        .await
        .expect("demo data");
    seed(&app).await;
    let total = app.count("SELECT count(*) FROM places").await;
    println!("places in the database: {total}");
    println!();
    println!(
        "{:<44} {:>8} {:>8} {:>8} {:>9}",
        "search_places", "p50 ms", "p95 ms", "max ms", "results"
    );

    let client = TestApp::client();
    let queries: &[(&str, &[(&str, &str)])] = &[
        ("no filter (first 500: stations first, then by name)", &[]),
        ("kind=lunch_point", &[("kind", "lunch_point")]),
        ("q=服务站", &[("q", "服务站")]),
        ("q=白领午餐 (services)", &[("q", "白领午餐")]),
        ("open=true", &[("open", "true")]),
        ("near (500 nearest)", &[("near", "31.2418,121.4395")]),
        (
            "near + 15-minute circle",
            &[("near", "31.2418,121.4395"), ("circle", "true")],
        ),
        (
            "kind + q + open + circle",
            &[
                ("kind", "service_station,lunch_point"),
                ("q", "服务"),
                ("open", "true"),
                ("near", "31.2418,121.4395"),
                ("circle", "true"),
            ],
        ),
    ];
    for (label, fields) in queries {
        let mut times = Vec::with_capacity(CALLS);
        let mut results = 0;
        for i in 0..WARM_UP + CALLS {
            let started = Instant::now();
            let response = client
                .post(app.url("/api/search_places"))
                .form(fields)
                .send()
                .await
                .expect("call");
            let body = response.bytes().await.expect("body");
            let elapsed = started.elapsed();
            if i >= WARM_UP {
                times.push(elapsed);
            }
            if i == 0 {
                let list: app::map::PlaceList =
                    serde_json::from_slice(&body).expect("a place list");
                results = list.places.len();
            }
        }
        times.sort();
        let at = |q: f64| ms(times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1)]);
        println!(
            "{label:<44} {:>8.2} {:>8.2} {:>8.2} {results:>9}",
            at(0.50),
            at(0.95),
            ms(*times.last().unwrap())
        );
    }

    println!();
    let page = "/?near=31.2418,121.4395";
    let raw = client
        .get(app.url(page))
        .send()
        .await
        .expect("page")
        .bytes()
        .await
        .expect("html")
        .len();
    let compressed = |encoding: &'static str| {
        let client = client.clone();
        let url = app.url(page);
        async move {
            let response = client
                .get(url)
                .header("accept-encoding", encoding)
                .send()
                .await
                .expect("page");
            assert_eq!(response.headers()["content-encoding"], encoding);
            response.bytes().await.expect("html").len()
        }
    };
    let (gzip, brotli) = (compressed("gzip").await, compressed("br").await);
    println!("map route {page} (500 nearest places), server-rendered HTML:");
    println!(
        "  raw {:.1} KB, gzip {:.1} KB, brotli {:.1} KB",
        kb(raw),
        kb(gzip),
        kb(brotli)
    );
}

async fn seed(app: &TestApp) {
    let hours = Hours {
        weekly: parse_weekly("1-5 08:30-17:30\n6 09:00-12:00").unwrap(),
        exceptions: vec![],
    };
    let week_minutes = app::map::store::week_minutes(&hours);
    let hours = serde_json::to_value(&hours).unwrap();
    // Deterministic spread over the subdistrict (a multiplicative hash, not random()).
    sqlx::query(
        "INSERT INTO places (name_zh, name_en, kinds, address_zh, address_en, lat, lon, services, hours,
                             week_minutes)
         SELECT '合成' || g || (ARRAY['服务站', '大厦', '园区', '餐厅', '活动中心', '联合党委'])[1 + g % 6],
                'Synthetic ' || g,
                ARRAY[(ARRAY['service_station', 'building', 'building', 'partner_unit',
                             'activity_venue', 'joint_committee'])[1 + g % 6]]
                    || CASE WHEN g % 6 = 0 THEN ARRAY['lunch_point'] ELSE ARRAY[]::text[] END,
                (ARRAY['长寿路', '西康路', '常德路', '胶州路', '昌化路'])[1 + g % 5] || ' ' || g || ' 号',
                g || ' Changshou Road',
                31.2290 + ((g * 7919) % 2600) / 100000.0,
                121.4210 + ((g * 104729) % 3600) / 100000.0,
                CASE WHEN g % 3 = 0 THEN ARRAY['白领午餐', '饮水'] ELSE ARRAY['企业服务'] END,
                CASE WHEN g % 4 = 0 THEN '{\"weekly\": [], \"exceptions\": []}'::jsonb ELSE $2 END,
                CASE WHEN g % 4 = 0 THEN '{}'::int4range[] ELSE $3 END
           FROM generate_series(1, $1) AS g",
    )
    .bind(SYNTHETIC_PLACES)
    .bind(hours)
    .bind(week_minutes)
    .execute(&app.pool)
    .await
    .expect("synthetic places");
    sqlx::query("ANALYZE places")
        .execute(&app.pool)
        .await
        .expect("analyze");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}
