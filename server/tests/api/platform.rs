//! The platform under the capabilities: pages and their status codes, languages, cross-site
//! protection, migrations, demo data, and what happens when the database goes away.

use crate::support;

use app::error::AppError;
use reqwest::StatusCode;
use server::embedded_pg::{EmbeddedPostgres, Options};
use server::supervisor::Supervisor;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::TestApp;

#[tokio::test]
async fn pages_are_rendered_on_the_server_in_chinese_by_default() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    let home = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.unwrap();
    assert!(html.contains(r#"<html lang="zh-CN""#), "{html}");
    assert!(html.contains("资源地图"));
    assert!(html.contains(">我的<"));

    let english = client
        .get(app.url("/"))
        .header("cookie", "zd_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains(r#"<html lang="en""#));
    assert!(english.contains("Resource map"));
}

/// Starting an app once listed its routes by rendering the whole app, and pages rendering
/// meanwhile on other threads could stall for ever: CI hung on it.
#[tokio::test]
async fn pages_render_whole_while_other_apps_start() {
    let app = TestApp::spawn().await;
    let database = app.database_url.clone();
    let done = Arc::new(AtomicBool::new(false));
    let starter = std::thread::spawn({
        let done = done.clone();
        move || {
            let mut started = 0;
            while !done.load(Ordering::Relaxed) {
                // Each app stops with its runtime, as a test's does when the test ends.
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(TestApp::spawn_on(&database));
                started += 1;
            }
            started
        }
    });
    let client = TestApp::client();
    for _ in 0..300 {
        let page = tokio::time::timeout(Duration::from_secs(10), async {
            client.get(app.url("/sign-in")).send().await?.text().await
        })
        .await
        .expect("the page finished within 10 s")
        .unwrap();
        assert!(page.contains("登录") && page.contains("</html>"), "{page}");
    }
    done.store(true, Ordering::Relaxed);
    assert!(starter.join().unwrap() > 0, "apps started alongside");
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_returns_to_the_page() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    let response = client
        .get(app.url("/lang/en?next=/me%3Fx%3D1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/me?x=1");
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("zd_lang=en;"));
    let away = client
        .get(app.url("/lang/zh-CN?next=//evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(away.headers()["location"], "/", "never redirects off-site");
    let unknown = client.get(app.url("/lang/xx")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_pages_are_404_and_admin_pages_refuse_residents() {
    let app = TestApp::spawn().await;
    let missing = TestApp::client()
        .get(app.url("/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.unwrap().contains("页面不存在"));

    let resident = app.signed_up("13812345678").await;
    let page = resident.get(app.url("/admin/users")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(page.text().await.unwrap().contains("无权访问"));

    let admin = app.admin("13900000006").await;
    let page = admin
        .get(app.url("/admin/users?q=138"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("13812345678"),
        "the admin sees the user in server-rendered HTML"
    );

    let anonymous = TestApp::client().get(app.url("/me")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert!(anonymous.text().await.unwrap().contains("您还没有登录"));
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_same_site_posts_pass() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    let form = [
        ("phone", "13812345678"),
        ("display_name", "张"),
        ("password", support::PASSWORD),
    ];
    let evil = client
        .post(app.url("/api/sign_up"))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), StatusCode::FORBIDDEN);
    assert_eq!(evil.json::<AppError>().await.unwrap(), AppError::CrossSite);
    let evil_referer = client
        .post(app.url("/api/sign_up"))
        .header("referer", "https://evil.example/page")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(evil_referer.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT count(*) FROM users").await, 0);

    let same = client
        .post(app.url("/api/sign_up"))
        .header("origin", format!("http://{}", app.addr))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::OK);
}

#[tokio::test]
async fn migrations_build_the_schema_from_empty_and_rerun_as_no_ops() {
    let url = support::fresh_database().await;
    let pool = server::connect(&url, Duration::from_secs(5)).await.unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"))
        .unwrap()
        .count() as i64;
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(applied, files);
    server::migrate(&pool)
        .await
        .expect("a second run changes nothing");
    for table in [
        "users",
        "sessions",
        "role_grants",
        "places",
        "departments",
        "audit_log",
        "sign_in_throttle",
    ] {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
            .bind(table)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(exists, "{table}");
    }
}

#[tokio::test]
async fn demo_data_loads_once_with_an_account_per_role() {
    let app = TestApp::spawn().await;
    assert!(server::demo::load_if_empty(&app.pool).await.unwrap());
    assert!(
        !server::demo::load_if_empty(&app.pool).await.unwrap(),
        "loads only into an empty database"
    );
    // The demo accounts, and the caller behind a year of request history.
    assert_eq!(
        app.count("SELECT count(*) FROM users WHERE is_demo").await,
        server::demo::DEMO_ACCOUNTS.len() as i64 + 1
    );
    // A year of requests, every month of it, with their working minutes; most on time,
    // not all.
    assert!(app.count("SELECT count(*) FROM requests").await > 1500);
    assert!(
        app.count("SELECT count(DISTINCT date_trunc('month', submitted_at)) FROM requests WHERE submitted_at > now() - interval '1 year'").await
            >= 12
    );
    assert_eq!(
        app.count("SELECT count(*) FROM requests WHERE resolved_at IS NOT NULL AND resolution_work_minutes IS NULL").await,
        0
    );
    let on_time = app
        .count("SELECT (100 * count(*) FILTER (WHERE resolved_at <= resolution_due) / count(*)) FROM requests")
        .await;
    assert!((75..98).contains(&on_time), "{on_time}% resolved on time");
    assert!(
        app.count("SELECT count(*) FROM request_events WHERE kind = 'reopened'")
            .await
            > 0
    );
    // And past lunches behind the overview's lunch figures, none of them oversold.
    assert!(
        app.count("SELECT count(*) FROM lunch_orders WHERE day < current_date - 30")
            .await
            > 500
    );
    assert_eq!(
        app.count("SELECT count(*) FROM meals m WHERE portions_left <> portions - (SELECT coalesce(sum(quantity), 0) FROM lunch_orders o WHERE o.meal_id = m.id AND o.status <> 'cancelled')").await,
        0
    );
    assert_eq!(
        app.count("SELECT count(DISTINCT role) FROM role_grants")
            .await,
        5
    );

    let client = TestApp::client();
    app.call::<()>(
        &client,
        "sign_in",
        &[
            ("phone", "13900000006"),
            ("password", server::demo::DEMO_PASSWORD),
        ],
    )
    .await
    .expect("demo admin signs in");
    let me: Option<app::accounts::CurrentUser> =
        app.call(&client, "current_user", &[]).await.unwrap();
    assert!(me.unwrap().is_admin());
}

#[tokio::test]
async fn the_configured_admin_is_created_or_repaired() {
    let app = TestApp::spawn().await;
    server::ensure_admin(&app.pool, "13911112222", "first-pass-1", "管理员")
        .await
        .unwrap();
    server::ensure_admin(&app.pool, "13911112222", "second-pass-2", "管理员")
        .await
        .unwrap();
    assert_eq!(
        app.count("SELECT count(*) FROM role_grants WHERE role = 'admin'")
            .await,
        1
    );
    let client = TestApp::client();
    app.call::<()>(
        &client,
        "sign_in",
        &[("phone", "13911112222"), ("password", "second-pass-2")],
    )
    .await
    .expect("the newest password works");
    let weak = server::ensure_admin(&app.pool, "13911112222", "weak", "管理员").await;
    assert!(weak.unwrap_err().contains("admin password"));
}

/// Every page's Content-Security-Policy names a nonce of its own, and every inline script on
/// the page carries it; every response asks for the browser's other defences.
#[tokio::test]
async fn pages_carry_a_nonce_policy_and_every_response_the_browser_defences() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    let mut nonces = Vec::new();
    for path in ["/", "/", "/sign-in", "/no-such-page"] {
        let response = client.get(app.url(path)).send().await.unwrap();
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        for directive in [
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "img-src 'self' data: blob: http://127.0.0.1:9;",
        ] {
            assert!(
                policy.contains(directive),
                "{path}: {directive} in {policy}"
            );
        }
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {policy}"))
            .to_owned();
        assert!(policy.contains(&format!(
            "script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval';"
        )));
        assert!(
            !policy.contains("'unsafe-inline' 'wasm")
                && !policy.contains("script-src 'unsafe-inline'")
        );
        let html = response.text().await.unwrap();
        let inline_scripts: Vec<&str> = html
            .split("<script")
            .skip(1)
            .map(|tag| tag.split('>').next().unwrap())
            .filter(|attributes| !attributes.contains("src="))
            .collect();
        assert!(
            !inline_scripts.is_empty(),
            "{path}: the hydration script is inline"
        );
        for attributes in inline_scripts {
            assert!(
                attributes.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: <script{attributes}>"
            );
        }
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a nonce is never reused");

    for path in ["/", "/api/places.geojson", "/favicon.svg", "/no-such-page"] {
        let response = client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert_eq!(
            headers["permissions-policy"],
            "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()",
            "{path}"
        );
        // Plain HTTP here: a browser ignores HSTS over HTTP, and it must not be sent.
        assert!(!headers.contains_key("strict-transport-security"), "{path}");
    }
}

/// Over HTTPS (said by a trusted proxy, or configured), browsers are told to keep to it.
#[tokio::test]
async fn https_responses_ask_browsers_to_keep_to_https() {
    use server::defences::{add_browser_defences, Defences};
    let defences = || Defences {
        https_only: false,
        trust_proxy: false,
        tile_url: "".into(),
        live_reload: false,
    };
    let serve = |defences: Defences| async move {
        let router = axum::Router::new()
            .route("/", axum::routing::get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(
                defences,
                add_browser_defences,
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        format!("http://{addr}/")
    };
    let hsts = |url: String, proto: &'static str| async move {
        reqwest::Client::new()
            .get(url)
            .header("x-forwarded-proto", proto)
            .send()
            .await
            .unwrap()
            .headers()
            .get("strict-transport-security")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let behind_proxy = serve(Defences {
        https_only: false,
        trust_proxy: true,
        ..defences()
    })
    .await;
    assert_eq!(
        hsts(behind_proxy.clone(), "https").await.as_deref(),
        Some("max-age=31536000")
    );
    assert_eq!(hsts(behind_proxy, "http").await, None);
    let untrusted = serve(Defences {
        https_only: false,
        trust_proxy: false,
        ..defences()
    })
    .await;
    assert_eq!(
        hsts(untrusted, "https").await,
        None,
        "anyone can send the header"
    );
    let https_only = serve(Defences {
        https_only: true,
        trust_proxy: false,
        ..defences()
    })
    .await;
    assert_eq!(
        hsts(https_only, "http").await.as_deref(),
        Some("max-age=31536000")
    );
}

#[tokio::test]
async fn a_lost_database_answers_503_and_the_app_recovers_by_itself() {
    let dir = support::test_cluster_dir(&format!("{}-outage", std::process::id()));
    let options = Options {
        no_fsync: true,
        port: None,
    };
    let mut cluster = EmbeddedPostgres::start(&dir, &options).unwrap();
    let port = cluster.port();
    server::ensure_database(&cluster.url("postgres"), "zd")
        .await
        .unwrap();
    let url = cluster.url("zd");
    let pool = server::connect(&url, Duration::from_secs(5)).await.unwrap();
    server::migrate(&pool).await.unwrap();
    let app = TestApp::spawn_on(&url).await;
    let client = app.signed_up("13812345678").await;

    cluster.stop();
    let down = client
        .post(app.url("/api/current_user"))
        .send()
        .await
        .unwrap();
    assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        down.json::<AppError>().await.unwrap(),
        AppError::Unavailable
    );
    let page = client.get(app.url("/me")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().await.unwrap().contains("数据库暂时无法连接"));

    let _back = EmbeddedPostgres::start(
        &dir,
        &Options {
            port: Some(port),
            ..options
        },
    )
    .unwrap();
    let mut recovered = None;
    for _ in 0..50 {
        let response = client
            .post(app.url("/api/current_user"))
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::OK {
            recovered = response
                .json::<Option<app::accounts::CurrentUser>>()
                .await
                .unwrap();
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        recovered.expect("recovered within 10 s").phone_masked,
        "138****5678"
    );
}

/// The private cluster's server is killed outright (as the out-of-memory killer would) while
/// sign-ups run in parallel: the supervisor restarts it within 5 s, the app answers 503 at
/// once meanwhile, and every sign-up that was acknowledged is still there afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_database_comes_back_by_itself_without_losing_acknowledged_writes() {
    let dir = support::test_cluster_dir(&format!("{}-killed", std::process::id()));
    // Durable, exactly as `./zd run` starts it: the point is what survives a crash.
    let cluster = EmbeddedPostgres::start(&dir, &Options::default()).unwrap();
    server::ensure_database(&cluster.url("postgres"), "zd")
        .await
        .unwrap();
    let url = cluster.url("zd");
    let pid_file = cluster.data_dir().join("postmaster.pid");
    let supervisor = Supervisor::watch(cluster, Options::default()).unwrap();
    let pool = server::connect(&url, Duration::from_secs(5)).await.unwrap();
    server::migrate(&pool).await.unwrap();
    let app = TestApp::spawn_with(&url, app::state::Clock::System, supervisor.health()).await;

    #[derive(Default)]
    struct Outcome {
        acknowledged: Vec<(String, Instant)>,
        refused: usize,
        slowest_refusal: Duration,
    }
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (app, stop) = (app.clone(), stop.clone());
            tokio::spawn(async move {
                let mut outcome = Outcome::default();
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let phone = format!("1370{writer}{n:06}");
                    let fields = [
                        ("phone", phone.as_str()),
                        ("display_name", "并发用户"),
                        ("password", support::PASSWORD),
                    ];
                    let started = Instant::now();
                    match app.call::<()>(&TestApp::client(), "sign_up", &fields).await {
                        Ok(()) => outcome.acknowledged.push((phone, Instant::now())),
                        Err((StatusCode::SERVICE_UNAVAILABLE, AppError::Unavailable)) => {
                            outcome.refused += 1;
                            outcome.slowest_refusal =
                                outcome.slowest_refusal.max(started.elapsed());
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                        Err(other) => panic!("sign-up {phone}: {other:?}"),
                    }
                }
                outcome
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_millis(1500)).await;
    let postmaster: libc::pid_t = std::fs::read_to_string(&pid_file)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // SAFETY: killing the cluster's server process, which this test started.
    assert_eq!(unsafe { libc::kill(postmaster, libc::SIGKILL) }, 0);
    let killed_at = Instant::now();

    // A probe: requests sent while the supervisor knows the database is down must be
    // refused at once; the first request after it is back must succeed.
    let (health, client) = (supervisor.health(), TestApp::client());
    let (mut seen_down, mut refusals_while_down) = (false, Vec::new());
    let back_after = loop {
        assert!(
            killed_at.elapsed() < Duration::from_secs(5),
            "not back within 5 s"
        );
        let down = !health.is_up();
        seen_down |= down;
        let started = Instant::now();
        let response = client
            .post(app.url("/api/current_user"))
            .send()
            .await
            .unwrap();
        match response.status() {
            StatusCode::SERVICE_UNAVAILABLE if down => refusals_while_down.push(started.elapsed()),
            StatusCode::OK if seen_down && !down => break killed_at.elapsed(),
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    let (mut acknowledged, mut before, mut after) = (Vec::new(), 0, 0);
    let (mut refused, mut slowest_refusal) = (0, Duration::ZERO);
    for writer in writers {
        let outcome = writer.await.unwrap();
        for (phone, at) in outcome.acknowledged {
            before += usize::from(at < killed_at);
            after += usize::from(at > killed_at + back_after);
            acknowledged.push(phone);
        }
        refused += outcome.refused;
        slowest_refusal = slowest_refusal.max(outcome.slowest_refusal);
    }

    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE phone = ANY($1)")
        .bind(&acknowledged)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        kept,
        acknowledged.len() as i64,
        "acknowledged sign-ups lost"
    );
    // Writes landed before the crash and after the recovery. (Writes in flight during the
    // short outage may wait for the pool and succeed, or be refused: both are honest.)
    assert!(
        before >= 4 && after >= 4,
        "acknowledged before: {before}, after: {after}"
    );
    // The pool would wait 3 s for a connection; the supervisor's word makes it immediate.
    assert!(
        !refusals_while_down.is_empty(),
        "the probe never saw the outage"
    );
    let slowest = refusals_while_down.iter().max().unwrap();
    assert!(
        *slowest < Duration::from_millis(500),
        "a refusal took {slowest:?}"
    );
    eprintln!(
        "back after {back_after:?}; {} acknowledged sign-ups kept ({before} before the kill, \
         {after} after the recovery); {refused} refused while down (slowest \
         {slowest_refusal:?}); probe refused {} times, slowest {slowest:?}",
        acknowledged.len(),
        refusals_while_down.len()
    );
}

#[test]
fn an_unreachable_database_at_start_up_is_one_clear_line_and_a_failure_exit() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", "postgres://zd:secret@127.0.0.1:1/zd")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let log = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(errors.len(), 1, "{log}");
    assert!(
        errors[0].contains("cannot reach the database at postgres://zd:***@127.0.0.1:1/zd"),
        "{log}"
    );
    assert!(
        !log.contains("secret"),
        "the password is never logged: {log}"
    );
}

/// A static file keeps its own status however many pages render beside it. A page may set its
/// status (401 for a signed-in page asked for signed out), and leptos_axum's file handler
/// took the status of whichever page's reactive owner was current on its thread: in CI a
/// WASM chunk came back 401, and the page it belonged to never hydrated.
#[tokio::test]
async fn static_files_keep_their_status_while_pages_set_others() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..400 {
        let client = client.clone();
        let (path, want) = if i % 2 == 0 {
            ("/favicon.svg", StatusCode::OK)
        } else {
            ("/me", StatusCode::UNAUTHORIZED)
        };
        let url = app.url(path);
        tasks.spawn(async move {
            let status = client.get(url).send().await.unwrap().status();
            (path, want, status)
        });
    }
    let mut wrong = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (path, want, status) = done.unwrap();
        if path == "/favicon.svg" && status != want {
            wrong.push(status);
        }
    }
    assert!(wrong.is_empty(), "the static file was answered {wrong:?}");
}
