//! The Zero Distance server: database start-up, the axum router around the Leptos app, and
//! the few plain HTTP handlers. `main.rs` wires these to the command line; the integration
//! tests build the same router.

pub mod cache_control;
pub mod config;
pub mod cross_site;
pub mod defences;
pub mod demo;
mod demo_history;
mod demo_places;
pub mod embedded_pg;
pub mod geojson;
pub mod page_cache;
pub mod supervisor;

use app::accounts::auth::hash_password;
use app::accounts::{parse_display_name, NewPassword, PhoneNumber};
use app::error::AppError;
use app::i18n::{Locale, LOCALE_COOKIE};
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{FromRef, Path, Query};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use http::{header, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// What the router's handlers share.
#[derive(Clone)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
}

impl FromRef<ServerState> for AppState {
    fn from_ref(state: &ServerState) -> Self {
        state.app.clone()
    }
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos_options.clone()
    }
}

/// Opens a pool, waiting at most `patience` for the first connection. Requests wait at most
/// three seconds for a connection, so a lost database shows up as a quick 503.
pub async fn connect(url: &str, patience: Duration) -> Result<PgPool, String> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| format!("DATABASE_URL is not a valid PostgreSQL URL: {e}"))?
        .log_statements(tracing::log::LevelFilter::Debug);
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(3))
        .connect_lazy_with(options);
    match tokio::time::timeout(patience, pool.acquire()).await {
        Ok(Ok(_)) => Ok(pool),
        Ok(Err(e)) => Err(format!("cannot reach the database at {}: {e}", redact(url))),
        Err(_) => Err(format!(
            "cannot reach the database at {}: no answer in {patience:?}",
            redact(url)
        )),
    }
}

/// `url` without its password, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Creates database `name` through `admin_url` if it does not exist yet.
pub async fn ensure_database(admin_url: &str, name: &str) -> Result<(), String> {
    let pool = connect(admin_url, Duration::from_secs(10)).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&pool)
            .await
            .map_err(|e| e.to_string())?;
    if !exists {
        // Identifiers cannot be bound; `name` is ours, but quote it all the same.
        sqlx::query(&format!(
            "CREATE DATABASE \"{}\"",
            name.replace('"', "\"\"")
        ))
        .execute(&pool)
        .await
        .map_err(|e| format!("cannot create database {name}: {e}"))?;
    }
    pool.close().await;
    Ok(())
}

/// Brings the schema up to date.
pub async fn migrate(pool: &PgPool) -> Result<(), String> {
    sqlx::migrate!("../migrations")
        .run(pool)
        .await
        .map_err(|e| format!("database migration failed: {e}"))
}

/// Makes sure an admin with this number exists and has this password.
pub async fn ensure_admin(
    pool: &PgPool,
    phone: &str,
    password: &str,
    display_name: &str,
) -> Result<(), String> {
    let phone = PhoneNumber::parse(phone).map_err(|p| format!("admin phone number: {p:?}"))?;
    let password = NewPassword::parse(password, &phone)
        .map_err(|p| format!("admin password: {}", p.message(Locale::En)))?;
    let display_name = parse_display_name(display_name)
        .map_err(|p| format!("admin name: {}", p.message(Locale::En)))?;
    let hash = hash_password(password.expose().to_owned())
        .await
        .map_err(|e| e.to_string())?;
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    let user_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (phone, display_name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (phone) DO UPDATE SET password_hash = EXCLUDED.password_hash,
                                           password_changed_at = now()
         RETURNING id",
    )
    .bind(phone.as_str())
    .bind(&display_name)
    .bind(&hash)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO role_grants (user_id, role) VALUES ($1, 'admin') ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// The whole application: pages, server functions, static files. `health` says when the
/// database is known to be down (see `supervisor`).
pub fn router(
    leptos_options: LeptosOptions,
    app_state: AppState,
    health: supervisor::DatabaseHealth,
) -> Router {
    let routes = route_list().clone();
    let state = ServerState {
        leptos_options: leptos_options.clone(),
        app: app_state.clone(),
    };
    let trust_proxy = cross_site::TrustProxy(app_state.trust_proxy);
    let page_cache = page_cache::PageCache::start(&app_state.live);
    let defences = defences::Defences {
        https_only: app_state.secure_cookies,
        trust_proxy: app_state.trust_proxy,
        tile_url: app_state.tile_url.as_str().into(),
        live_reload: std::env::var_os("LEPTOS_WATCH").is_some(),
    };
    let context = {
        let app_state = app_state.clone();
        move || provide_request_context(&app_state)
    };

    // leptos_routes_with_context also routes every server function under /api/, with the
    // same context as the pages.
    Router::new()
        .route("/lang/{tag}", get(set_language))
        .route("/api/places.geojson", get(geojson::places))
        .route("/api/live", get(app::live::sse))
        .route("/requests/photos/{id}", get(app::requests::photos::full))
        .route(
            "/requests/photos/{id}/thumb",
            get(app::requests::photos::thumb),
        )
        .route("/lunch/orders/{id}/qr.svg", get(app::lunch::qr::order_qr))
        .route("/photos/{id}", get(app::uploads::public::full))
        .route("/photos/{id}/thumb", get(app::uploads::public::thumb))
        .route("/lunch/station.csv", get(app::lunch::station::csv))
        .route(
            "/volunteer/{id}/attendance.csv",
            get(app::points::attendance_csv),
        )
        .route("/requests.csv", get(app::requests::export::csv))
        .route(
            "/open311/v2/{file}",
            get(app::open311::get_root).post(app::open311::post_root),
        )
        .route(
            "/open311/v2/services/{file}",
            get(app::open311::service_definition),
        )
        .route(
            "/open311/v2/requests/{file}",
            get(app::open311::one_request),
        )
        .route("/numbers.csv", get(app::numbers::export::csv))
        .route(
            "/lunch/settlement.csv",
            get(app::lunch::settlement::store::csv),
        )
        .leptos_routes_with_context(&state, routes, context, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback_service(static_files(&leptos_options, &state))
        .layer(axum::middleware::map_response(server_fn_error_status))
        .layer(axum::middleware::from_fn_with_state(
            trust_proxy,
            cross_site::refuse_cross_site,
        ))
        .layer(axum::middleware::from_fn_with_state(
            health,
            supervisor::refuse_while_down,
        ))
        .layer(axum::middleware::from_fn_with_state(
            page_cache,
            page_cache::serve_public_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            defences,
            defences::add_browser_defences,
        ))
        .layer(axum::middleware::from_fn(cache_control::set_cache_control))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// What every page and server function finds in its context: the app's state, and the
/// response's CSP nonce (made by `defences`) in place of the one Leptos made itself.
fn provide_request_context(app_state: &AppState) {
    provide_context(app_state.clone());
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<defences::CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// The app's routes, listed once per process. Listing them renders the whole app, and while
/// that runs, pages rendering at the same time on other threads can come out wrong or never
/// finish (seen when tests started apps beside each other), so it must not happen twice.
/// The site's files (`/pkg`, `public/`), brotli or gzip copies when the browser takes them;
/// any other path gets the 404 page, which needs the same context as other pages.
///
/// Files are served here rather than by leptos_axum's file handler: that one gives a file
/// the `ResponseOptions` of whichever page's reactive owner is current on its thread, and
/// under load a WASM chunk came back with another request's 401.
fn static_files(options: &LeptosOptions, state: &ServerState) -> ServeDir<MethodRouter> {
    let not_found = axum::routing::any(leptos_axum::file_and_error_handler_with_context::<
        ServerState,
        _,
    >(
        {
            let app_state = state.app.clone();
            move || provide_request_context(&app_state)
        },
        shell,
    ))
    .with_state(state.clone());
    ServeDir::new(&*options.site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(not_found)
}

fn route_list() -> &'static Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// server_fn answers every error with 500; give user mistakes their own status (400, 401,
/// 403, 429, 503 …) so that nothing the user did wrong looks like a server fault.
async fn server_fn_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(parts.status);
        if let AppError::Throttled { retry_after_secs } = error {
            parts
                .headers
                .insert(header::RETRY_AFTER, retry_after_secs.into());
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// An `AppError` as a plain HTTP response, for handlers outside server functions.
pub fn error_response(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[derive(serde::Deserialize)]
struct LanguageQuery {
    next: Option<String>,
}

/// `/lang/{tag}?next=/path`: remembers the language and returns to the page.
async fn set_language(Path(tag): Path<String>, Query(query): Query<LanguageQuery>) -> Response {
    let Some(locale) = Locale::from_tag(&tag) else {
        return (StatusCode::NOT_FOUND, "unknown language / 不支持的语言").into_response();
    };
    let next = query
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".into());
    let cookie = format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.tag()
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(cookie), Ok(location)) =
        (HeaderValue::from_str(&cookie), HeaderValue::from_str(&next))
    {
        headers.insert(header::SET_COOKIE, cookie);
        headers.insert(header::LOCATION, location);
    }
    response
}

/// Only paths on this site: no `//host` or `/\host` that browsers would read as another site.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.contains(['\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact("postgres://zd:secret@db:5432/zd"),
            "postgres://zd:***@db:5432/zd"
        );
        assert_eq!(redact("postgres://localhost/zd"), "postgres://localhost/zd");
    }

    #[test]
    fn language_switch_returns_only_to_local_pages() {
        assert!(is_local_path("/me?x=1"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example"));
    }
}
