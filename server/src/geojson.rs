//! `GET /api/places.geojson`: the visible places as an RFC 7946 FeatureCollection, for other
//! programs and for the app's own map. Filters: `kind` (comma-separated), `q`, `bbox`
//! (`west,south,east,north`), `open_now` (`true`), `near` (`lat,lon`, nearest first) with
//! `circle` (`true`: within the 15-minute circle). Answers carry an ETag; a matching
//! `If-None-Match` gets 304.

use crate::{error_response, ServerState};
use app::error::{AppError, Field, Problem};
use app::i18n::Locale;
use app::map::geo::BoundingBox;
use app::map::{store, PlaceFilter};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Enough for every place of the subdistrict; a client wanting fewer narrows the filters.
const MAX_FEATURES: usize = 10_000;

#[derive(Deserialize)]
pub struct GeoJsonQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    bbox: String,
    #[serde(default)]
    open_now: Option<String>,
    #[serde(default)]
    near: String,
    #[serde(default)]
    circle: Option<String>,
}

pub async fn places(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Query(query): Query<GeoJsonQuery>,
) -> Response {
    match collection(&state, &query).await {
        Ok(body) => respond(&headers, body),
        Err(error) => error_response(&error),
    }
}

async fn collection(state: &ServerState, query: &GeoJsonQuery) -> Result<String, AppError> {
    let yes = |flag: &Option<String>| !matches!(flag.as_deref(), None | Some("false" | "0" | ""));
    let mut filter = PlaceFilter::parse(
        &query.kind,
        &query.q,
        yes(&query.open_now),
        &query.near,
        yes(&query.circle),
    )?;
    if !query.bbox.trim().is_empty() {
        filter.bbox = Some(
            BoundingBox::parse_geojson(&query.bbox)
                .ok_or(AppError::invalid(Field::Bbox, Problem::BboxFormat))?,
        );
    }
    let now = state.app.clock.shanghai_now();
    let (places, _) =
        store::search(&state.app.pool, &filter, Locale::Zh, now, MAX_FEATURES).await?;
    let features: Vec<_> = places
        .iter()
        .map(|p| {
            json!({
                "type": "Feature",
                "id": p.id,
                // RFC 7946: longitude first.
                "geometry": { "type": "Point", "coordinates": [p.at.lon, p.at.lat] },
                "properties": {
                    "name": p.name,
                    "kinds": p.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                    "address": p.address,
                    "services": p.services,
                    "open_now": p.open_now,
                    "demo": p.is_demo,
                    "url": format!("/places/{}", p.id),
                },
            })
        })
        .collect();
    Ok(json!({ "type": "FeatureCollection", "features": features }).to_string())
}

fn respond(headers: &HeaderMap, body: String) -> Response {
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!(
        "\"{}\"",
        digest[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim().trim_start_matches("W/") == etag)
        });
    let cache = [
        (header::ETAG, etag.clone()),
        // Opening hours change with the clock: a minute of caching, then revalidate.
        (header::CACHE_CONTROL, "public, max-age=60".to_owned()),
    ];
    if matches {
        (StatusCode::NOT_MODIFIED, cache).into_response()
    } else {
        (
            StatusCode::OK,
            cache,
            [(header::CONTENT_TYPE, "application/geo+json".to_owned())],
            body,
        )
            .into_response()
    }
}
