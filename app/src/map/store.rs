//! Places in PostgreSQL: search, detail, and the admin's writes with their audit trail.

use super::admin::PlaceInput;
use super::geo::{BoundingBox, LatLon};
use super::hours::{Hours, LocalTime};
use super::kinds::PlaceKind;
use super::{PlaceDetail, PlaceFilter, PlaceSummary, RelatedPlace};
use crate::error::AppError;
use crate::i18n::Locale;
use sqlx::types::Json;
use sqlx::PgPool;

#[derive(sqlx::FromRow)]
struct PlaceRow {
    id: i64,
    name: String,
    kinds: Vec<String>,
    address: String,
    lat: f64,
    lon: f64,
    services: Vec<String>,
    hours: Json<Hours>,
    is_demo: bool,
}

fn kinds_of(names: &[String]) -> Vec<PlaceKind> {
    names.iter().filter_map(|k| PlaceKind::parse(k)).collect()
}

fn open_now(hours: &Hours, now: LocalTime) -> Option<bool> {
    (!hours.is_empty()).then(|| hours.is_open_at(now))
}

/// `%term%` for ILIKE, with the pattern characters in `term` taken literally.
fn contains_pattern(term: &str) -> String {
    let escaped = term
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The box around a circle, so that PostgreSQL can skip what is surely outside it.
fn circle_box(centre: LatLon, radius_m: u32) -> BoundingBox {
    let dlat = radius_m as f64 / 111_000.0;
    let dlon = dlat / centre.lat.to_radians().cos();
    BoundingBox {
        south: centre.lat - dlat,
        west: centre.lon - dlon,
        north: centre.lat + dlat,
        east: centre.lon + dlon,
    }
}

/// The visible places matching `filter`: nearest first when a point is given, else by name.
/// Returns at most `limit` of them and how many matched in all.
pub async fn search(
    pool: &PgPool,
    filter: &PlaceFilter,
    locale: Locale,
    now: LocalTime,
    limit: usize,
) -> Result<(Vec<PlaceSummary>, usize), AppError> {
    let kinds: Vec<&str> = filter.kinds.iter().map(|k| k.as_str()).collect();
    let patterns: Vec<String> = filter.terms.iter().map(|t| contains_pattern(t)).collect();
    let bbox = match (filter.near, filter.within_m) {
        (Some(centre), Some(radius)) => Some(circle_box(centre, radius)),
        _ => filter.bbox,
    };
    let rows: Vec<PlaceRow> = sqlx::query_as(
        "SELECT id,
                CASE WHEN $1 THEN name_zh ELSE name_en END AS name,
                kinds,
                CASE WHEN $1 OR address_en = '' THEN address_zh ELSE address_en END AS address,
                lat, lon, services, hours, is_demo
           FROM places p
          WHERE NOT hidden
            AND (cardinality($2::text[]) = 0 OR kinds && $2::text[])
            AND NOT EXISTS (
                SELECT 1 FROM unnest($3::text[]) AS t (pattern)
                 WHERE NOT (p.name_zh ILIKE t.pattern OR p.name_en ILIKE t.pattern
                            OR p.address_zh ILIKE t.pattern OR p.address_en ILIKE t.pattern
                            OR array_to_string(p.services, ' ') ILIKE t.pattern))
            AND ($4::float8 IS NULL OR (lat BETWEEN $4 AND $6 AND lon BETWEEN $5 AND $7))
          ORDER BY name_zh, id",
    )
    .bind(locale == Locale::Zh)
    .bind(&kinds)
    .bind(&patterns)
    .bind(bbox.map(|b| b.south))
    .bind(bbox.map(|b| b.west))
    .bind(bbox.map(|b| b.north))
    .bind(bbox.map(|b| b.east))
    .fetch_all(pool)
    .await?;

    let mut places: Vec<PlaceSummary> = rows
        .into_iter()
        .filter_map(|row| {
            let at = LatLon {
                lat: row.lat,
                lon: row.lon,
            };
            let open_now = open_now(&row.hours, now);
            if filter.open_now && open_now != Some(true) {
                return None;
            }
            let distance_m = filter.near.map(|p| p.distance_m(at).round() as u32);
            if let (Some(d), Some(within)) = (distance_m, filter.within_m) {
                if d > within {
                    return None;
                }
            }
            Some(PlaceSummary {
                id: row.id,
                name: row.name,
                kinds: kinds_of(&row.kinds),
                address: row.address,
                at,
                open_now,
                distance_m,
                services: row.services,
                is_demo: row.is_demo,
            })
        })
        .collect();
    if filter.near.is_some() {
        places.sort_by_key(|p| (p.distance_m, p.id));
    }
    let matched = places.len();
    places.truncate(limit);
    Ok((places, matched))
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    name: String,
    kinds: Vec<String>,
    address: String,
    lat: f64,
    lon: f64,
    phone: Option<String>,
    description: String,
    services: Vec<String>,
    hours: Json<Hours>,
    is_demo: bool,
    hidden: bool,
}

pub async fn detail(
    pool: &PgPool,
    id: i64,
    locale: Locale,
    now: LocalTime,
) -> Result<Option<PlaceDetail>, AppError> {
    let zh = locale == Locale::Zh;
    let row: Option<DetailRow> = sqlx::query_as(
        "SELECT id,
                CASE WHEN $2 THEN name_zh ELSE name_en END AS name,
                kinds,
                CASE WHEN $2 OR address_en = '' THEN address_zh ELSE address_en END AS address,
                lat, lon, phone,
                CASE WHEN $2 OR description_en = '' THEN description_zh ELSE description_en END AS description,
                services, hours, is_demo, hidden
           FROM places WHERE id = $1",
    )
    .bind(id)
    .bind(zh)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let related = |sql: &'static str| async move {
        let rows: Vec<(i64, String, Vec<String>)> = sqlx::query_as(sql)
            .bind(id)
            .bind(zh)
            .fetch_all(pool)
            .await?;
        Ok::<_, AppError>(
            rows.into_iter()
                .map(|(id, name, kinds)| RelatedPlace {
                    id,
                    name,
                    kinds: kinds_of(&kinds),
                })
                .collect::<Vec<_>>(),
        )
    };
    let members = related(
        "SELECT p.id, CASE WHEN $2 THEN p.name_zh ELSE p.name_en END, p.kinds
           FROM place_members m JOIN places p ON p.id = m.member_id
          WHERE m.committee_id = $1 AND NOT p.hidden ORDER BY p.name_zh",
    )
    .await?;
    let member_of = related(
        "SELECT p.id, CASE WHEN $2 THEN p.name_zh ELSE p.name_en END, p.kinds
           FROM place_members m JOIN places p ON p.id = m.committee_id
          WHERE m.member_id = $1 AND NOT p.hidden ORDER BY p.name_zh",
    )
    .await?;
    let offers: Vec<String> = sqlx::query_scalar(
        "SELECT CASE WHEN $2 THEN title_zh ELSE title_en END FROM place_offers WHERE place_id = $1 ORDER BY id",
    )
    .bind(id)
    .bind(zh)
    .fetch_all(pool)
    .await?;
    let hours = row.hours.0;
    Ok(Some(PlaceDetail {
        id: row.id,
        name: row.name,
        kinds: kinds_of(&row.kinds),
        address: row.address,
        at: LatLon {
            lat: row.lat,
            lon: row.lon,
        },
        phone: row.phone,
        description: row.description,
        services: row.services,
        open_now: open_now(&hours, now),
        hours,
        today: now.day,
        members,
        member_of,
        offers,
        is_demo: row.is_demo,
        hidden: row.hidden,
    }))
}

/// Creates (`id` = `None`) or updates a place, recording the change with its before and
/// after in the audit log, in one transaction.
pub async fn save(
    pool: &PgPool,
    actor: i64,
    id: Option<i64>,
    input: &PlaceInput,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let before: Option<serde_json::Value> = match id {
        Some(id) => Some(
            sqlx::query_scalar("SELECT to_jsonb(p) FROM places p WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let kinds: Vec<&str> = input.kinds.iter().map(|k| k.as_str()).collect();
    let sql = if id.is_some() {
        "UPDATE places SET name_zh = $2, name_en = $3, kinds = $4, address_zh = $5, address_en = $6,
                lat = $7, lon = $8, phone = $9, description_zh = $10, description_en = $11,
                services = $12, hours = $13, updated_at = now()
          WHERE id = $1
         RETURNING id, to_jsonb(places)"
    } else {
        "INSERT INTO places (name_zh, name_en, kinds, address_zh, address_en, lat, lon, phone,
                             description_zh, description_en, services, hours)
         SELECT $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 WHERE $1::bigint IS NULL
         RETURNING id, to_jsonb(places)"
    };
    let (saved_id, after): (i64, serde_json::Value) = sqlx::query_as(sql)
        .bind(id)
        .bind(&input.name_zh)
        .bind(&input.name_en)
        .bind(&kinds)
        .bind(&input.address_zh)
        .bind(&input.address_en)
        .bind(input.at.lat)
        .bind(input.at.lon)
        .bind(&input.phone)
        .bind(&input.description_zh)
        .bind(&input.description_en)
        .bind(&input.services)
        .bind(Json(&input.hours))
        .fetch_one(&mut *tx)
        .await?;
    audit(
        &mut tx,
        actor,
        if id.is_some() {
            "update_place"
        } else {
            "create_place"
        },
        saved_id,
        before,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(saved_id)
}

pub async fn set_hidden(pool: &PgPool, actor: i64, id: i64, hidden: bool) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let changed: Option<bool> = sqlx::query_scalar(
        "UPDATE places SET hidden = $2, updated_at = now() WHERE id = $1
         RETURNING true",
    )
    .bind(id)
    .bind(hidden)
    .fetch_optional(&mut *tx)
    .await?;
    changed.ok_or(AppError::NotFound)?;
    let action = if hidden {
        "hide_place"
    } else {
        "restore_place"
    };
    audit(
        &mut tx,
        actor,
        action,
        id,
        None,
        Some(serde_json::json!({ "hidden": hidden })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    actor: i64,
    action: &str,
    place_id: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail)
         VALUES ($1, $2, $3, jsonb_build_object('before', $4::jsonb, 'after', $5::jsonb))",
    )
    .bind(actor)
    .bind(action)
    .bind(format!("place:{place_id}"))
    .bind(before)
    .bind(after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_are_literal() {
        assert_eq!(contains_pattern("服务站"), "%服务站%");
        assert_eq!(contains_pattern("100%_a\\"), "%100\\%\\_a\\\\%");
    }

    #[test]
    fn the_circle_box_holds_the_circle() {
        let centre = super::super::geo::CENTRE;
        let b = circle_box(centre, 1200);
        // Points just inside the circle, due north, south, east and west.
        for (dlat, dlon) in [(0.0107, 0.0), (-0.0107, 0.0), (0.0, 0.0125), (0.0, -0.0125)] {
            let p = LatLon {
                lat: centre.lat + dlat,
                lon: centre.lon + dlon,
            };
            assert!(centre.distance_m(p) < 1200.0, "{dlat} {dlon}");
            assert!(b.contains(p), "{dlat} {dlon}");
        }
        assert!(!b.contains(LatLon {
            lat: centre.lat + 0.012,
            lon: centre.lon
        }));
    }
}
