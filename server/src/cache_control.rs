//! How long browsers may keep what we send. Release builds name the WASM, JS and CSS in
//! `/pkg` by a hash of their contents, so those never change under their name and are kept
//! for a year. Pages are per person and change all the time: always asked again. Other
//! files (the map library, icons) are revalidated, which costs a 304 and no body.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
/// Pages and API answers may name the person they were for: never in a shared cache.
const PRIVATE_REVALIDATE: &str = "private, no-cache";

pub async fn set_cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let (immutable, is_static) = (is_hashed_asset(path), is_static_file(path));
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CACHE_CONTROL) || !response.status().is_success() {
        return response;
    }
    let value = match (immutable, is_static) {
        (true, _) => IMMUTABLE,
        (false, true) => REVALIDATE,
        (false, false) => PRIVATE_REVALIDATE,
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// `/pkg/zero-distance.<hash>.wasm` and the like: a content hash between the name and the
/// extension (cargo-leptos's `hash-files`; `./zd` names the islands' `/islands/` files the
/// same way). Unhashed names (debug builds) are not.
fn is_hashed_asset(path: &str) -> bool {
    let Some(file) = path
        .strip_prefix("/pkg/")
        .or_else(|| path.strip_prefix("/islands/"))
    else {
        return false;
    };
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() >= 10
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The files under `public/` and the build's `/pkg`: the same for everyone.
pub(crate) fn is_static_file(path: &str) -> bool {
    if ["/pkg/", "/islands/", "/vendor/", "/geo/"]
        .iter()
        .any(|dir| path.starts_with(dir))
    {
        return true;
    }
    let Some(file) = path.strip_prefix('/').filter(|f| !f.contains('/')) else {
        return false;
    };
    file.rsplit_once('.').is_some_and(|(_, extension)| {
        ["js", "svg", "webmanifest", "html", "png", "ico"].contains(&extension)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_files_are_kept_for_a_year() {
        assert!(is_hashed_asset("/pkg/zero-distance.2b1f0c9e8d7a6b5c.wasm"));
        assert!(is_hashed_asset("/pkg/zero-distance.Jx3_k9-PqR2sT4uV.css"));
        assert!(is_hashed_asset(
            "/islands/islands.0a1b2c3d4e5f60718293.wasm"
        ));
        assert!(!is_hashed_asset("/islands/islands.txt"));
        assert!(!is_hashed_asset("/pkg/zero-distance.wasm"));
        assert!(!is_hashed_asset("/pkg/zero-distance.js"));
        assert!(!is_hashed_asset("/vendor/leaflet/leaflet.js"));
        assert!(!is_hashed_asset("/map.js"));
    }

    #[test]
    fn pages_and_answers_stay_out_of_shared_caches() {
        for path in [
            "/map.js",
            "/favicon.svg",
            "/vendor/leaflet/leaflet.js",
            "/pkg/zero-distance.js",
            "/islands/islands.txt",
        ] {
            assert!(is_static_file(path), "{path}");
        }
        for path in [
            "/",
            "/me",
            "/api/current_user",
            "/requests.csv",
            "/lunch/station.csv",
            "/photos/3",
        ] {
            assert!(!is_static_file(path), "{path}");
        }
    }
}
