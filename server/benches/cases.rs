//! Case library benchmark: 5,000 published cases and Q&A entries in a real PostgreSQL (the
//! demo's, varied), the app on a local port, and timed HTTP calls of the case search, the
//! Q&A search and the answers matched while a worker types.
//!
//!     cargo bench -p server --bench cases
//!
//! It prints p50/p95/max over 300 calls each (after 20 warm-up calls). The target is
//! p95 ≤ 50 ms for case and Q&A search. Searching cases reads no request, so the 100,000
//! requests of the requests benchmark are not seeded here.

#[path = "common/calls.rs"]
mod calls;
#[path = "../tests/api/support/mod.rs"]
mod support;

use std::time::Instant;
use support::TestApp;

const CASES: usize = 5_000;
const CALLS: usize = 300;
const WARM_UP: usize = 20;

fn main() {
    support::block_on(run());
}

async fn run() {
    let app = TestApp::spawn().await;
    server::demo::load_if_empty(&app.pool)
        .await
        .expect("demo data");
    let started = Instant::now();
    seed(&app).await;
    println!(
        "cases: {}, of which Q&A entries: {} (seeded in {:.1} s)",
        app.count("SELECT count(*) FROM cases").await,
        app.count("SELECT count(*) FROM cases WHERE kind = 'qa'")
            .await,
        started.elapsed().as_secs_f64()
    );
    let talent: i64 = sqlx::query_scalar("SELECT id FROM request_categories WHERE code = 'talent'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let talent = talent.to_string();
    println!();
    println!(
        "{:<44} {:>8} {:>8} {:>8} {:>7}",
        "call", "p50 ms", "p95 ms", "max ms", "items"
    );
    let searches: Vec<(&str, &str, Vec<(&str, &str)>)> = vec![
        (
            "cases: 制冷 (part of a word)",
            "cases/search",
            vec![("q", "制冷"), ("kind", "case")],
        ),
        (
            "cases: 电梯早高峰排队",
            "cases/search",
            vec![("q", "电梯早高峰排队"), ("kind", "case")],
        ),
        (
            "cases: 梯 (one character)",
            "cases/search",
            vec![("q", "梯"), ("kind", "case")],
        ),
        (
            "cases: 落户材料, category 人才",
            "cases/search",
            vec![("q", "落户材料"), ("category", &talent)],
        ),
        (
            "cases: newest (no query)",
            "cases/search",
            vec![("kind", "case")],
        ),
        (
            "Q&A: 居住证",
            "cases/search",
            vec![("q", "居住证"), ("kind", "qa")],
        ),
        (
            "Q&A: 午餐发票怎么开",
            "cases/search",
            vec![("q", "午餐发票怎么开"), ("kind", "qa")],
        ),
        (
            "matching while typing: 办公室空调不凉",
            "cases/matching",
            vec![("text", "办公室空调不凉，下午热得坐不住")],
        ),
    ];
    let client = TestApp::client();
    for (label, function, fields) in searches {
        let url = app.url(&format!("/api/{function}"));
        let (mut times, body) = calls::timed(&client, &url, &fields, WARM_UP, CALLS).await;
        let found: Vec<app::knowledge::CaseSummary> = serde_json::from_slice(&body).expect("cases");
        assert!(!found.is_empty(), "{label}: found nothing");
        calls::report(label, &mut times, found.len());
    }
}

/// Varies the demo's cases and entries until there are CASES: each copy names another
/// building and floor, as real cases about the same problem would.
async fn seed(app: &TestApp) {
    let demo: Vec<(String, String, String, String, i64)> =
        sqlx::query_as("SELECT kind, title, problem, solution, category_id FROM cases ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let buildings: Vec<String> =
        sqlx::query_scalar("SELECT name_zh FROM places WHERE 'building' = ANY (kinds) ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let needed = CASES - demo.len();
    let (mut kinds, mut titles, mut problems, mut solutions, mut categories, mut grams) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for i in 0..needed {
        let (kind, title, problem, solution, category) = &demo[i % demo.len()];
        let building = &buildings[i % buildings.len()];
        let problem = format!("{building}{}楼：{problem}", 2 + i % 30);
        let all = app::requests::similar::bigrams(&format!("{title} {problem} {solution}"));
        kinds.push(kind.clone());
        titles.push(title.clone());
        problems.push(problem);
        solutions.push(solution.clone());
        categories.push(*category);
        // Postgres arrays of arrays must be rectangular: the grams go in as one string each.
        grams.push(all.join("\u{1f}"));
    }
    sqlx::query(
        "INSERT INTO cases (kind, title, problem, solution, category_id, bigrams, published_at)
         SELECT k, t, p, s, c, string_to_array(g, E'\\x1f'), now() - make_interval(mins => n::int)
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
                WITH ORDINALITY AS x (k, t, p, s, c, g, n)",
    )
    .bind(&kinds)
    .bind(&titles)
    .bind(&problems)
    .bind(&solutions)
    .bind(&categories)
    .bind(&grams)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE cases")
        .execute(&app.pool)
        .await
        .unwrap();
}
