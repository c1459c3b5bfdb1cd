//! What server functions need from the server process, provided as Leptos context.

use crate::error::AppError;
use crate::i18n::Locale;
use http::request::Parts;
use leptos::prelude::*;
use sqlx::PgPool;

#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: PgPool,
    /// Mark cookies `Secure` even without an `X-Forwarded-Proto: https` hint.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// The map tile URL template (`ZD_TILE_URL`).
    pub tile_url: String,
    pub clock: Clock,
    /// This process's end of the live channel.
    pub live: crate::live::Hub,
    /// The key check-in codes are signed with (`ZD_CHECKIN_SECRET`, or generated at the
    /// first start and kept in the database).
    pub checkin_key: std::sync::Arc<[u8]>,
}

/// The time "now" means: the system's, or a fixed moment for tests.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    System,
    Fixed { unix_secs: i64 },
}

impl Clock {
    pub fn unix_secs(self) -> i64 {
        match self {
            Clock::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or_default(),
            Clock::Fixed { unix_secs } => unix_secs,
        }
    }

    pub fn shanghai_now(self) -> crate::map::hours::LocalTime {
        crate::map::hours::LocalTime::shanghai_from_unix(self.unix_secs())
    }
}

/// OpenStreetMap's standard tiles; their usage policy asks for modest use.
pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("context", "AppState is not provided"))
}

pub fn pool() -> Result<PgPool, AppError> {
    Ok(app_state()?.pool)
}

fn request_parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The value of cookie `name` on the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = request_parts()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// The reader's language, from the request's cookie.
pub fn request_locale() -> Locale {
    request_cookie(crate::i18n::LOCALE_COOKIE)
        .and_then(|v| Locale::from_tag(&v))
        .unwrap_or_default()
}

/// Whether the client reached us over HTTPS (directly or through a proxy that says so).
pub fn request_is_https(state: &AppState) -> bool {
    state.secure_cookies
        || request_parts().is_some_and(|p| {
            p.headers
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
        })
}

/// The origin (`https://host`) the client reached us at, for links it will open itself
/// (the check-in QR code). Behind a trusted proxy, its `X-Forwarded-Host` names the host.
pub fn request_origin(state: &AppState) -> String {
    let scheme = if request_is_https(state) {
        "https"
    } else {
        "http"
    };
    let header = |name: &str| {
        request_parts().and_then(|p| {
            p.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
    };
    let host = state
        .trust_proxy
        .then(|| header("x-forwarded-host"))
        .flatten()
        .or_else(|| header("host"))
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{scheme}://{host}")
}

/// The client's IP address, for throttling.
pub fn client_ip(state: &AppState) -> Option<std::net::IpAddr> {
    let parts = request_parts()?;
    if state.trust_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|ip| ip.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
}

/// Adds a header to the response of the current server function or page.
pub fn append_response_header(name: http::HeaderName, value: &str) {
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        options.append_header(name, value);
    }
}

/// Sends a browser that posted a plain HTML form (no JavaScript) on to `path`; the app's own
/// calls get their answer as data and stay where they are.
pub fn redirect_plain_form(path: &str) {
    let accepts_html = request_parts().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if accepts_html {
        leptos_axum::redirect(path);
    }
}
