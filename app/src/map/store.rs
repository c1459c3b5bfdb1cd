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

/// Whether `id` is a building (楼宇) on the map: where companies are and lunch is delivered.
pub async fn is_building(db: &mut sqlx::PgConnection, id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM places WHERE id = $1 AND 'building' = ANY (kinds) AND NOT hidden)",
    )
    .bind(id)
    .fetch_one(db)
    .await?)
}

/// Whether `id` is a visible place (a venue).
pub async fn is_place(db: &mut sqlx::PgConnection, id: i64) -> Result<bool, AppError> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM places WHERE id = $1 AND NOT hidden)")
            .bind(id)
            .fetch_one(db)
            .await?,
    )
}

/// The visible places matching `filter`: nearest first when a point is given, else stations
/// first, then by kind and name.
/// Returns at most `limit` of them and how many matched in all.
///
/// PostgreSQL filters, orders and cuts the list (ordering by a flat-earth distance, exact to
/// well under a metre at this scale); only "open now" needs the hours rules, so then every
/// candidate's hours are read first and the full rows only for the places that are shown.
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
    let centre = filter.near;
    // Metres per degree of longitude shrink with the cosine of the latitude.
    let lon_scale = centre.map(|c| c.lat.to_radians().cos());
    let query = |select: &str, extra: &str, ordered: bool, tail: &str| {
        let order = if ordered {
            // Nearest first; without a point, what residents look for most comes first.
            "ORDER BY CASE WHEN $8::float8 IS NULL THEN 0
                           ELSE (lat - $8) ^ 2 + ((lon - $9) * $10) ^ 2 END,
                      CASE WHEN 'service_station' = ANY (kinds) THEN 0
                           WHEN 'lunch_point' = ANY (kinds) THEN 1
                           WHEN 'activity_venue' = ANY (kinds) THEN 2
                           WHEN 'partner_unit' = ANY (kinds) THEN 3
                           WHEN 'joint_committee' = ANY (kinds) THEN 4
                           ELSE 5 END,
                      name_zh, id"
        } else {
            ""
        };
        format!(
            "SELECT {select}
               FROM places p
              WHERE NOT hidden {extra}
                AND (cardinality($2::text[]) = 0 OR kinds && $2::text[])
                AND search_text ILIKE ALL ($3::text[])
                AND ($4::float8 IS NULL OR (lat BETWEEN $4 AND $6 AND lon BETWEEN $5 AND $7))
                AND ($11::float8 IS NULL
                     OR ((lat - $8) * {M})^2 + ((lon - $9) * {M} * $10)^2 <= $11 ^ 2)
              {order} {tail}",
            M = METRES_PER_DEGREE,
        )
    };
    // Every query binds the same filters as $1 … $11.
    macro_rules! bind_filters {
        ($q:expr) => {
            $q.bind(locale == Locale::Zh)
                .bind(&kinds)
                .bind(&patterns)
                .bind(bbox.map(|b| b.south))
                .bind(bbox.map(|b| b.west))
                .bind(bbox.map(|b| b.north))
                .bind(bbox.map(|b| b.east))
                .bind(centre.map(|c| c.lat))
                .bind(centre.map(|c| c.lon))
                .bind(lon_scale)
                .bind(filter.within_m.map(f64::from))
        };
    }

    // Phase one, only for "open now": which candidates are open, in list order.
    let open_ids: Option<(Vec<i64>, usize)> = if filter.open_now {
        // The weekly ranges decide in SQL, exactly, for a place with no exception today or
        // yesterday; for the others (and rows whose ranges are not derived yet) the hours
        // come back and the rules decide.
        let needs_rules =
            "(week_minutes IS NULL OR exception_days && ARRAY[$13::int4, $13::int4 - 1])";
        let sql = query(
            &format!("id, CASE WHEN {needs_rules} THEN hours END"),
            &format!("AND ({needs_rules} OR $12::int4 <@ ANY (week_minutes))"),
            true,
            "",
        );
        let candidates: Vec<(i64, Option<Json<Hours>>)> = bind_filters!(sqlx::query_as(&sql))
            .bind(super::hours::minute_of_week(now))
            .bind(now.day)
            .fetch_all(pool)
            .await?;
        let open: Vec<i64> = candidates
            .into_iter()
            .filter(|(_, hours)| {
                hours
                    .as_ref()
                    .is_none_or(|h| open_now(h, now) == Some(true))
            })
            .map(|(id, _)| id)
            .collect();
        let matched = open.len();
        Some((open.into_iter().take(limit).collect(), matched))
    } else {
        None
    };

    let columns = "p.id, CASE WHEN $1 THEN name_zh ELSE name_en END AS name, kinds,
                   CASE WHEN $1 OR address_en = '' THEN address_zh ELSE address_en END AS address,
                   lat, lon, services, hours, is_demo";
    let rows: Vec<PlaceRow> = match &open_ids {
        // The open places are known, in order: fetch just those, by key.
        Some((ids, _)) => {
            let sql = format!(
                "SELECT {columns}
                   FROM unnest($2::bigint[]) WITH ORDINALITY AS shown (id, position)
                   JOIN places p ON p.id = shown.id
                  ORDER BY shown.position"
            );
            sqlx::query_as(&sql)
                .bind(locale == Locale::Zh)
                .bind(ids)
                .fetch_all(pool)
                .await?
        }
        None => {
            let sql = query(columns, "", true, "LIMIT $12");
            bind_filters!(sqlx::query_as(&sql))
                .bind(limit as i64)
                .fetch_all(pool)
                .await?
        }
    };
    let matched = match &open_ids {
        Some((_, matched)) => *matched,
        None if rows.len() < limit => rows.len(),
        // The list was cut: count apart (a window count would make PostgreSQL read every
        // matching row in full instead of the first `limit`).
        None => {
            let sql = query("count(*)", "", false, "");
            let count: i64 = bind_filters!(sqlx::query_scalar(&sql))
                .fetch_one(pool)
                .await?;
            count as usize
        }
    };
    let places = rows
        .into_iter()
        .map(|row| {
            let at = LatLon {
                lat: row.lat,
                lon: row.lon,
            };
            PlaceSummary {
                id: row.id,
                name: row.name,
                kinds: kinds_of(&row.kinds),
                address: row.address,
                at,
                open_now: open_now(&row.hours, now),
                distance_m: centre.map(|c| c.distance_m(at).round() as u32),
                services: row.services,
                is_demo: row.is_demo,
            }
        })
        .collect();
    Ok((places, matched))
}

/// The `week_minutes` column's value for `hours`.
pub fn week_minutes(hours: &Hours) -> Vec<sqlx::postgres::types::PgRange<i32>> {
    super::hours::week_minute_ranges(&hours.weekly)
        .into_iter()
        .map(|(start, end)| (start..end).into())
        .collect()
}

/// Metres per degree of latitude (and of longitude at the equator), for the flat-earth
/// distance used to filter and order in SQL.
const METRES_PER_DEGREE: f64 = 111_195.0;

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
    let (saved_id, after) = write(&mut *tx, id, input, false).await?;
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
    // Pages kept for anonymous visitors show places: tell every server process.
    crate::live::publish(&mut *tx, &[crate::live::Topic::Places]).await?;
    tx.commit().await?;
    Ok(saved_id)
}

/// Inserts (`id` = `None`) or updates a place's row and returns its id and new contents.
/// The admin's `save` and the demo loader both write through here.
pub async fn write(
    db: impl sqlx::PgExecutor<'_>,
    id: Option<i64>,
    input: &PlaceInput,
    is_demo: bool,
) -> Result<(i64, serde_json::Value), AppError> {
    let kinds: Vec<&str> = input.kinds.iter().map(|k| k.as_str()).collect();
    let sql = if id.is_some() {
        // An edit keeps the demo mark of a demo place.
        "UPDATE places SET name_zh = $2, name_en = $3, kinds = $4, address_zh = $5, address_en = $6,
                lat = $7, lon = $8, phone = $9, description_zh = $10, description_en = $11,
                services = $12, hours = $13, is_demo = is_demo OR $14, week_minutes = $15,
                updated_at = now()
          WHERE id = $1
         RETURNING id, to_jsonb(places)"
    } else {
        "INSERT INTO places (name_zh, name_en, kinds, address_zh, address_en, lat, lon, phone,
                             description_zh, description_en, services, hours, is_demo, week_minutes)
         SELECT $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15
          WHERE $1::bigint IS NULL
         RETURNING id, to_jsonb(places)"
    };
    let row = sqlx::query_as(sql)
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
        .bind(is_demo)
        .bind(week_minutes(&input.hours))
        .fetch_one(db)
        .await?;
    Ok(row)
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
    crate::live::publish(&mut *tx, &[crate::live::Topic::Places]).await?;
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
