//! The browser's own defences, asked for on every response: a Content-Security-Policy on
//! every page, no content sniffing, no full URLs in referrers to other sites, geolocation
//! and camera for this app only, HTTPS kept once used.
//!
//! The policy lets scripts run only from our origin or with a nonce that is new for each
//! response. The nonce is made here, before the page renders: Leptos takes it from the
//! request (see `router`) and writes it on its hydration scripts, and this layer writes the
//! same one into the policy, so the two cannot disagree.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue};
use std::sync::Arc;

const PERMISSIONS: &str = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()";
const ONE_YEAR_HSTS: &str = "max-age=31536000";

/// This response's nonce, in the request's extensions for the page to use.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

#[derive(Clone)]
pub struct Defences {
    /// The site is only ever reached over HTTPS (`ZD_SECURE_COOKIES`).
    pub https_only: bool,
    /// A proxy in front says which scheme the client used (`ZD_TRUST_PROXY`).
    pub trust_proxy: bool,
    /// The map tile URL template (`ZD_TILE_URL`): its host may serve images.
    pub tile_url: Arc<str>,
    /// cargo-leptos watch: allow its reload socket.
    pub live_reload: bool,
}

pub async fn add_browser_defences(
    State(defences): State<Defences>,
    mut request: Request,
    next: Next,
) -> Response {
    let over_https = defences.https_only
        || (defences.trust_proxy
            && request
                .headers()
                .get("x-forwarded-proto")
                .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https")));
    let nonce = leptos::nonce::Nonce::new().to_string();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    if is_html {
        let policy = content_security_policy(&nonce, &defences.tile_url, defences.live_reload);
        if let Ok(policy) = HeaderValue::from_str(&policy) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS));
    if over_https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(ONE_YEAR_HSTS),
        );
    }
    response
}

/// The policy for a page whose inline scripts carry `nonce`. Tiles may come from the tile
/// template's host and nowhere else; `live_reload` allows the development reload socket.
/// Styles may be inline: Leptos and Leaflet set `style` attributes.
pub fn content_security_policy(nonce: &str, tile_url: &str, live_reload: bool) -> String {
    let tiles = tile_source(tile_url)
        .map(|source| format!(" {source}"))
        .unwrap_or_default();
    let reload = if live_reload { " ws: wss:" } else { "" };
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:{tiles}; \
         media-src 'self' blob:; \
         connect-src 'self'{reload}; \
         worker-src 'self'; \
         manifest-src 'self'; \
         font-src 'self'; \
         form-action 'self'; \
         frame-ancestors 'none'; \
         object-src 'none'; \
         base-uri 'self'"
    )
}

/// The CSP source for the tile template's host: `https://tile.example.org` for
/// `https://tile.example.org/{z}/{x}/{y}.png`, with a `{s}` subdomain as a wildcard. None
/// for a template on our own origin or one that is not an http(s) URL.
pub fn tile_source(tile_url: &str) -> Option<String> {
    let (scheme, rest) = tile_url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?.replace("{s}", "*");
    let allowed =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*' | '[' | ']');
    (!host.is_empty() && host.chars().all(allowed)).then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_run_only_from_our_origin_or_with_the_nonce() {
        let policy = content_security_policy("abc123", app::state::DEFAULT_TILE_URL, false);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"));
        assert!(policy.contains("img-src 'self' data: blob: https://tile.openstreetmap.org;"));
        for directive in [
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'self'",
        ] {
            assert!(policy.contains(directive), "{directive}");
        }
        assert!(!policy.contains("ws:"));
        assert!(content_security_policy("n", "", true).contains("connect-src 'self' ws: wss:"));
    }

    #[test]
    fn tiles_are_allowed_from_the_template_host_only() {
        assert_eq!(
            tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://tile.openstreetmap.org")
        );
        assert_eq!(
            tile_source("http://127.0.0.1:9/{z}/{x}/{y}.png").as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(
            tile_source("https://{s}.tiles.example.cn/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tiles.example.cn")
        );
        assert_eq!(tile_source("/tiles/{z}/{x}/{y}.png"), None);
        assert_eq!(tile_source("javascript://x"), None);
        assert_eq!(tile_source("https://evil.example; script-src *"), None);
    }
}
