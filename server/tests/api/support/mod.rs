//! Spawns the real app on a random port against a fresh database of a private PostgreSQL
//! cluster (or of `TEST_DATABASE_URL`'s server), and calls it over HTTP like a browser would.
#![allow(dead_code)] // helpers kept for the capabilities that need them

use app::error::AppError;
use app::state::{AppState, Clock};
use leptos::config::LeptosOptions;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use server::embedded_pg::{EmbeddedPostgres, Options};
use server::supervisor::DatabaseHealth;
use sqlx::PgPool;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

pub const PASSWORD: &str = "lunch-at-xinhui-7";

/// Runs a benchmark's `main` future on a multi-threaded runtime.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// The cluster shared by the tests of one test binary; it stops when the binary exits.
fn cluster() -> &'static EmbeddedPostgres {
    static CLUSTER: OnceLock<EmbeddedPostgres> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        let dir = test_cluster_dir(&format!("{}", std::process::id()));
        EmbeddedPostgres::start(
            &dir,
            &Options {
                no_fsync: true,
                ..Options::default()
            },
        )
        .unwrap_or_else(|e| panic!("test cluster: {e}"))
    })
}

/// A directory for a throwaway cluster named `name`, under a per-user base in /tmp (which the
/// unprivileged postgres user can reach even when we are root). Clusters of test runs that
/// have ended are removed.
pub fn test_cluster_dir(name: &str) -> PathBuf {
    // SAFETY: getuid cannot fail.
    let base = std::env::temp_dir().join(format!("zd-test-pg-{}", unsafe { libc::getuid() }));
    if let Ok(entries) = std::fs::read_dir(&base) {
        for entry in entries.flatten() {
            let pid = entry
                .file_name()
                .to_str()
                .and_then(|n| n.split('-').next()?.parse::<i32>().ok());
            // SAFETY: signal 0 only asks whether the process exists.
            if pid.is_some_and(|pid| unsafe { libc::kill(pid, 0) } != 0) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    base.join(name)
}

/// A URL of a server where tests may create databases.
fn server_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| cluster().url("postgres"))
}

/// Creates an empty, migrated database and returns its URL.
pub async fn fresh_database() -> String {
    let admin_url = server_admin_url();
    let name = format!("t_{}", app::error::new_request_id()) + &app::error::new_request_id();
    server::ensure_database(&admin_url, &name)
        .await
        .expect("create test database");
    let url = with_database(&admin_url, &name);
    let pool = server::connect(&url, Duration::from_secs(10))
        .await
        .expect("connect");
    server::migrate(&pool).await.expect("migrate");
    pool.close().await;
    url
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (before_query, query) = url
        .split_once('?')
        .map_or((url, None), |(a, b)| (a, Some(b)));
    let base = before_query
        .rsplit_once('/')
        .map_or(before_query, |(base, _)| base);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[derive(Clone)]
pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: PgPool,
    pub database_url: String,
}

impl TestApp {
    /// The app on a fresh database.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_on(&fresh_database().await).await
    }

    /// Another instance of the app on an existing database.
    pub async fn spawn_on(database_url: &str) -> TestApp {
        TestApp::spawn_with_clock(database_url, Clock::System).await
    }

    /// The app on `database_url`, with "now" fixed (for opening hours).
    pub async fn spawn_with_clock(database_url: &str, clock: Clock) -> TestApp {
        TestApp::spawn_with(database_url, clock, DatabaseHealth::assumed_up()).await
    }

    /// The app on `database_url`, told by `health` when the database is down.
    pub async fn spawn_with(database_url: &str, clock: Clock, health: DatabaseHealth) -> TestApp {
        let pool = server::connect(database_url, Duration::from_secs(10))
            .await
            .expect("connect");
        let state = AppState {
            checkin_key: app::points::store::checkin_key(&pool, None)
                .await
                .expect("check-in key")
                .into(),
            live: app::live::Hub::start(pool.clone()),
            pool: pool.clone(),
            secure_cookies: false,
            trust_proxy: false,
            tile_url: "http://127.0.0.1:9/{z}/{x}/{y}.png".into(),
            clock,
        };
        let options = LeptosOptions::builder()
            .output_name("zero-distance")
            // The committed static files (the favicon, the scripts): enough to serve files
            // without a front-end build.
            .site_root(concat!(env!("CARGO_MANIFEST_DIR"), "/../public"))
            .build();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let router = server::router(options, state, health);
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("serve");
        });
        TestApp {
            addr,
            pool,
            database_url: database_url.to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The HTML of the page at `path`, as `client` gets it.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client.get(self.url(path)).send().await.expect("request");
        response.text().await.expect("page")
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Calls server function `name` with form fields, as the app's forms do.
    pub async fn call<T: DeserializeOwned>(
        &self,
        client: &reqwest::Client,
        name: &str,
        fields: &[(&str, &str)],
    ) -> Result<T, (StatusCode, AppError)> {
        let response = client
            .post(self.url(&format!("/api/{name}")))
            .form(fields)
            .send()
            .await
            .expect("request");
        decode(name, response).await
    }

    /// Calls a multipart server function with text fields and files (field `photos`), as the
    /// app's upload forms do.
    pub async fn call_multipart<T: DeserializeOwned>(
        &self,
        client: &reqwest::Client,
        name: &str,
        fields: &[(&str, &str)],
        files: &[Vec<u8>],
    ) -> Result<T, (StatusCode, AppError)> {
        let mut form = reqwest::multipart::Form::new();
        for (field, value) in fields {
            form = form.text(field.to_string(), value.to_string());
        }
        for (i, bytes) in files.iter().enumerate() {
            let part = reqwest::multipart::Part::bytes(bytes.clone())
                .file_name(format!("photo{i}.jpg"))
                .mime_str("image/jpeg")
                .expect("mime");
            form = form.part("photos", part);
        }
        let response = client
            .post(self.url(&format!("/api/{name}")))
            .multipart(form)
            .send()
            .await
            .expect("request");
        decode(name, response).await
    }

    /// Signs in an existing user (password [`PASSWORD`]) on a new client, e.g. on another
    /// instance of the app.
    pub async fn signed_in(&self, phone: &str) -> reqwest::Client {
        let client = TestApp::client();
        self.call::<()>(
            &client,
            "sign_in",
            &[("phone", phone), ("password", PASSWORD)],
        )
        .await
        .expect("sign in");
        client
    }

    /// Signs up a new user and returns the signed-in client.
    pub async fn signed_up(&self, phone: &str) -> reqwest::Client {
        let client = TestApp::client();
        self.call::<()>(
            &client,
            "sign_up",
            &[
                ("phone", phone),
                ("display_name", "测试用户"),
                ("password", PASSWORD),
            ],
        )
        .await
        .expect("sign up");
        client
    }

    /// `n` users signed in at once, numbered from `first_phone`, made directly in the
    /// database (signing up hashes a password, far too slow for hundreds): one client per
    /// user, carrying its session cookie.
    pub async fn quick_users(&self, first_phone: u64, n: usize) -> Vec<reqwest::Client> {
        let mut clients = Vec::with_capacity(n);
        for i in 0..n as u64 {
            let token = format!("quick-{first_phone}-{i}-{}", app::error::new_request_id());
            sqlx::query(
                "WITH u AS (INSERT INTO users (phone, display_name, password_hash)
                            VALUES ($1, '并发用户', 'none') RETURNING id)
                 INSERT INTO sessions (token_hash, user_id, expires_at)
                 SELECT sha256(convert_to($2, 'UTF8')), id, now() + interval '1 day' FROM u",
            )
            .bind((first_phone + i).to_string())
            .bind(&token)
            .execute(&self.pool)
            .await
            .expect("quick user");
            let mut headers = reqwest::header::HeaderMap::new();
            headers.insert(
                reqwest::header::COOKIE,
                format!("zd_session={token}").parse().expect("cookie"),
            );
            clients.push(
                reqwest::Client::builder()
                    .default_headers(headers)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .expect("client"),
            );
        }
        clients
    }

    /// Signs up a user and makes them an admin directly in the database.
    pub async fn admin(&self, phone: &str) -> reqwest::Client {
        let client = self.signed_up(phone).await;
        sqlx::query("INSERT INTO role_grants (user_id, role) SELECT id, 'admin' FROM users WHERE phone = $1")
            .bind(phone)
            .execute(&self.pool)
            .await
            .expect("grant admin");
        client
    }

    /// A visible place of `kinds` (a Postgres array literal such as `{building}`) at the
    /// subdistrict's centre; returns its id.
    pub async fn place(&self, name: &str, kinds: &str) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO places (name_zh, name_en, kinds, address_zh, lat, lon)
             VALUES ($1, $1, $2::text[], '长寿路', 31.2400, 121.4400) RETURNING id",
        )
        .bind(name)
        .bind(kinds)
        .fetch_one(&self.pool)
        .await
        .expect("place")
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.pool)
            .await
            .expect("count")
    }
}

/// A server function's answer: its value, or its status and error.
async fn decode<T: DeserializeOwned>(
    name: &str,
    response: reqwest::Response,
) -> Result<T, (StatusCode, AppError)> {
    let status = response.status();
    let body = response.bytes().await.expect("body");
    let parse = || -> String { format!("{name} answered {status} with {body:?}") };
    if status.is_success() {
        Ok(serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{}: {e}", parse())))
    } else {
        Err((
            status,
            serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{}: {e}", parse())),
        ))
    }
}
