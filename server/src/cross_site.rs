//! Refuses state-changing requests that come from another site.
//!
//! Browsers send `Origin` (or at least `Referer`) with every cross-site POST; a request whose
//! origin is not this host is refused. Requests with neither header do not come from a
//! browser page, so they carry no victim's cookie; `SameSite=Lax` on the session cookie is
//! the second line of defence.

use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, Method};

#[derive(Clone, Copy)]
pub struct TrustProxy(pub bool);

pub async fn refuse_cross_site(
    State(TrustProxy(trust_proxy)): State<TrustProxy>,
    request: Request,
    next: Next,
) -> Response {
    // Open311 is for other programs: its POST is authorised by an API key in the body,
    // never by a cookie, so a cross-site form gains nothing there.
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || request.uri().path().starts_with("/open311/")
    {
        return next.run(request).await;
    }
    let headers = request.headers();
    let host = trust_proxy
        .then(|| headers.get("x-forwarded-host"))
        .flatten()
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok());
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match source {
        Some(source) if !host.is_some_and(|host| same_host(source, host)) => {
            tracing::warn!(source, host, "refused a cross-site request");
            crate::error_response(&AppError::CrossSite).into_response()
        }
        _ => next.run(request).await,
    }
}

/// Whether `origin` (an `Origin` or `Referer` value) names `host` (a `Host` value).
pub fn same_host(origin: &str, host: &str) -> bool {
    let Some((_scheme, rest)) = origin.split_once("://") else {
        return false; // includes "null"
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or_default();
    !authority.is_empty() && authority.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::same_host;

    #[test]
    fn only_this_host_is_the_same_origin() {
        assert!(same_host("http://127.0.0.1:3000", "127.0.0.1:3000"));
        assert!(same_host("http://127.0.0.1:3000/me?x=1", "127.0.0.1:3000"));
        assert!(same_host("https://ZD.example.cn", "zd.example.cn"));
        assert!(!same_host("http://127.0.0.1:3001", "127.0.0.1:3000"));
        assert!(!same_host("https://evil.example", "zd.example.cn"));
        assert!(!same_host(
            "https://zd.example.cn.evil.example",
            "zd.example.cn"
        ));
        assert!(!same_host("null", "zd.example.cn"));
        assert!(!same_host("", "zd.example.cn"));
    }
}
