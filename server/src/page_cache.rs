//! A short-lived in-process cache of the pages every anonymous visitor sees alike: the map
//! list, place pages and the lunch menus. Rendering such a page costs tens of milliseconds;
//! serving a kept copy costs a hash lookup and one pass to give it a fresh nonce.
//!
//! What makes it safe:
//! - Only anonymous requests (no session cookie) are served from it or fill it, and only
//!   responses that set no cookie; a signed-in person's page is never kept.
//! - Copies live [`TTL`] at most (opening hours and "today" move with the clock), and all
//!   of them are dropped as soon as the live channel says a place or a menu changed, on
//!   this process or any other.
//! - Every copy served carries this response's nonce (see `defences`) on its scripts, so a
//!   nonce is never sent twice.

use crate::defences::CspNonce;
use app::accounts::auth::SESSION_COOKIE;
use app::i18n::LOCALE_COOKIE;
use app::live::{Hub, Notice, Topic};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, Method, StatusCode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a copy is served at most.
pub const TTL: Duration = Duration::from_secs(10);
/// Query strings vary freely; past this many copies the cache starts over.
const MAX_ENTRIES: usize = 2_000;
/// Larger pages are rendered every time.
const MAX_PAGE_BYTES: usize = 4 << 20;

#[derive(Clone, Default)]
pub struct PageCache {
    pages: Arc<Mutex<HashMap<String, Page>>>,
}

#[derive(Clone)]
struct Page {
    stored_at: Instant,
    /// The body, and the nonce it was rendered with.
    nonce: String,
    body: Bytes,
}

impl PageCache {
    /// A cache that forgets everything when `hub` reports a change to places or menus.
    pub fn start(hub: &Hub) -> PageCache {
        let cache = PageCache::default();
        let mut notices = hub.subscribe();
        let pages = Arc::downgrade(&cache.pages);
        tokio::spawn(async move {
            loop {
                let forget = match notices.recv().await {
                    Ok(Notice::Changed(topics)) => topics.iter().any(changes_public_pages),
                    // Lost notices: forget, to be safe.
                    Ok(Notice::Reload)
                    | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => true,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                };
                let Some(pages) = pages.upgrade() else { return };
                if forget {
                    lock(&pages).clear();
                }
            }
        });
        cache
    }

    fn get(&self, key: &str) -> Option<Page> {
        let mut pages = lock(&self.pages);
        match pages.get(key) {
            Some(page) if page.stored_at.elapsed() < TTL => Some(page.clone()),
            Some(_) => {
                pages.remove(key);
                None
            }
            None => None,
        }
    }

    fn put(&self, key: String, page: Page) {
        let mut pages = lock(&self.pages);
        if pages.len() >= MAX_ENTRIES {
            pages.retain(|_, page| page.stored_at.elapsed() < TTL);
            if pages.len() >= MAX_ENTRIES {
                pages.clear();
            }
        }
        pages.insert(key, page);
    }
}

fn lock(pages: &Mutex<HashMap<String, Page>>) -> std::sync::MutexGuard<'_, HashMap<String, Page>> {
    pages
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The topics whose changes show on the cached pages.
fn changes_public_pages(topic: &Topic) -> bool {
    matches!(
        topic,
        Topic::Places | Topic::LunchMenus | Topic::LunchPoint(_)
    )
}

/// Which pages are alike for every anonymous visitor.
fn is_public_page(path: &str) -> bool {
    path == "/"
        || path == "/lunch"
        || path
            .strip_prefix("/places/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The cache key of an anonymous request for a public page: its language and its URL.
fn key_of(request: &Request) -> Option<String> {
    if request.method() != Method::GET || !is_public_page(request.uri().path()) {
        return None;
    }
    let mut locale = "";
    for cookies in request.headers().get_all(header::COOKIE) {
        for pair in cookies.to_str().ok()?.split(';') {
            let (name, value) = pair.trim().split_once('=').unwrap_or((pair.trim(), ""));
            if name == SESSION_COOKIE {
                return None;
            }
            if name == LOCALE_COOKIE {
                locale = value;
            }
        }
    }
    let url = request.uri().path_and_query()?.as_str();
    Some(format!("{locale}|{url}"))
}

pub async fn serve_public_pages(
    State(cache): State<PageCache>,
    request: Request,
    next: Next,
) -> Response {
    let (Some(key), Some(CspNonce(nonce))) = (
        key_of(&request),
        request.extensions().get::<CspNonce>().cloned(),
    ) else {
        return next.run(request).await;
    };
    if let Some(page) = cache.get(&key) {
        return page.under_nonce(&nonce);
    }
    let response = next.run(request).await;
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    if !keep {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let stored_at = Instant::now();
    let page = Page {
        stored_at,
        nonce,
        body: body.clone(),
    };
    cache.put(key, page);
    Response::from_parts(parts, Body::from(body))
}

impl Page {
    /// The kept page under this response's nonce. The old nonce is 22 random characters, so
    /// replacing it cannot touch anything else on the page.
    fn under_nonce(self, nonce: &str) -> Response {
        let body = String::from_utf8_lossy(&self.body).replace(&self.nonce, nonce);
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            body,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_everyone_sees_alike_are_kept() {
        for path in ["/", "/lunch", "/places/12"] {
            assert!(is_public_page(path), "{path}");
        }
        for path in [
            "/me",
            "/places/",
            "/places/12/edit",
            "/requests/new",
            "/lunch/orders",
        ] {
            assert!(!is_public_page(path), "{path}");
        }
    }

    #[test]
    fn signed_in_requests_are_never_served_from_the_cache() {
        let request = |cookie: &str| {
            let mut builder = Request::builder().uri("/?q=%E6%A5%BC");
            if !cookie.is_empty() {
                builder = builder.header(header::COOKIE, cookie);
            }
            builder.body(Body::empty()).unwrap()
        };
        assert_eq!(key_of(&request("")).as_deref(), Some("|/?q=%E6%A5%BC"));
        assert_eq!(
            key_of(&request("zd_lang=en")).as_deref(),
            Some("en|/?q=%E6%A5%BC")
        );
        assert_eq!(key_of(&request("zd_lang=en; zd_session=abc")), None);
        let post = Request::builder()
            .method(Method::POST)
            .uri("/")
            .body(Body::empty())
            .unwrap();
        assert_eq!(key_of(&post), None);
    }
}
