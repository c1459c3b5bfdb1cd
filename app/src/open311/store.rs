//! Open311 in PostgreSQL: services are the request categories, service requests the
//! requests (with their building's place for the location), API keys kept as SHA-256.

use crate::error::AppError;
use crate::knowledge::mask::{mask, Known};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

pub fn key_hash(key: &str) -> Vec<u8> {
    Sha256::digest(key.trim().as_bytes()).to_vec()
}

/// The key's id and the account requests filed with it are raised by, if the key is valid.
pub async fn key_account(pool: &PgPool, key: &str) -> Result<Option<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, user_id FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(key_hash(key))
    .fetch_optional(pool)
    .await?)
}

pub async fn services(pool: &PgPool) -> Result<Value, AppError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT code, name_zh, name_en FROM request_categories ORDER BY sort_order, id",
    )
    .fetch_all(pool)
    .await?;
    Ok(Value::Array(
        rows.into_iter()
            .map(|(code, zh, en)| {
                json!({
                    "service_code": code,
                    "service_name": zh,
                    "description": format!("{zh}（{en}）：向楼长反映，由街道职能部门办理。"),
                    "metadata": false,
                    "type": "realtime",
                    "keywords": en,
                    "group": "楼长点点通",
                })
            })
            .collect(),
    ))
}

/// The category's id, if `code` is a service.
pub async fn service_id(pool: &PgPool, code: &str) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM request_categories WHERE code = $1")
            .bind(code)
            .fetch_optional(pool)
            .await?,
    )
}

/// Which requests `GET requests` returns.
pub struct Query {
    /// Tracking numbers; when given, the other filters do not apply.
    pub numbers: Vec<String>,
    pub service_codes: Vec<String>,
    pub from: i64,
    pub to: i64,
    /// `None`: both; `Some(true)`: open only; `Some(false)`: closed only.
    pub open: Option<bool>,
}

/// At most this many requests a call, newest first (the specification's default).
pub const LIMIT: i64 = 1000;

/// Requests as GeoReport v2 service requests. Descriptions and titles are masked as cases
/// are (phone numbers, IDs, the requester's name and company…): other programs never see
/// anything personal.
pub async fn requests(pool: &PgPool, query: &Query) -> Result<Value, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.number, r.status, c.code, c.name_zh AS service_name, r.title, r.description,
                u.display_name AS requester, coalesce(co.name, '') AS company,
                coalesce(s.last_name || s.first_name, '') AS submitter,
                coalesce(s.first_name, '') AS submitter_first,
                ARRAY(SELECT d.name_zh FROM request_assignments a
                        JOIN departments d ON d.id = a.department_id
                       WHERE a.request_id = r.id ORDER BY a.id) AS departments,
                extract(epoch FROM r.submitted_at)::bigint AS requested,
                extract(epoch FROM coalesce(r.closed_at,
                    (SELECT max(e.at) FROM request_events e WHERE e.request_id = r.id),
                    r.submitted_at))::bigint AS updated,
                extract(epoch FROM r.current_due)::bigint AS expected,
                p.id AS building_id, p.name_zh || CASE WHEN p.address_zh <> '' THEN '，' || p.address_zh ELSE '' END AS address,
                p.lat, p.lon
           FROM requests r
           JOIN request_categories c ON c.id = r.category_id
           JOIN places p ON p.id = r.building_id
           JOIN users u ON u.id = r.requester_id
           LEFT JOIN companies co ON co.id = r.company_id
           LEFT JOIN open311_submissions s ON s.request_id = r.id
          WHERE CASE WHEN cardinality($1::text[]) > 0 THEN r.number = ANY ($1)
                ELSE r.submitted_at >= to_timestamp($3) AND r.submitted_at <= to_timestamp($4)
                     AND (cardinality($2::text[]) = 0 OR c.code = ANY ($2))
                     AND ($5::boolean IS NULL
                          OR $5 = (r.status IN ('submitted', 'accepted', 'routed', 'answered')))
                END
          ORDER BY r.submitted_at DESC, r.id DESC
          LIMIT $6",
    )
    .bind(&query.numbers)
    .bind(&query.service_codes)
    .bind(query.from as f64)
    .bind(query.to as f64)
    .bind(query.open)
    .bind(LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(Value::Array(rows.into_iter().map(Row::into_json).collect()))
}

#[derive(sqlx::FromRow)]
struct Row {
    number: String,
    status: String,
    code: String,
    service_name: String,
    title: String,
    description: String,
    requester: String,
    company: String,
    /// The person a program filed for, by the name it gave.
    submitter: String,
    submitter_first: String,
    departments: Vec<String>,
    requested: i64,
    updated: i64,
    expected: i64,
    building_id: i64,
    address: String,
    lat: f64,
    lon: f64,
}

impl Row {
    fn into_json(self) -> Value {
        use super::format::format_datetime;
        let open = matches!(
            self.status.as_str(),
            "submitted" | "accepted" | "routed" | "answered"
        );
        let status_notes = crate::requests::lifecycle::Status::parse(&self.status)
            .map(|s| crate::i18n::Locale::Zh.text(s.label()).to_owned());
        let submitter: Vec<&str> = [self.submitter.as_str(), self.submitter_first.as_str()]
            .into_iter()
            .filter(|n| n.chars().count() >= 2)
            .collect();
        let known = Known {
            name: &self.requester,
            company: &self.company,
            by_hand: &submitter,
        };
        // A title cut from the description's first line is not repeated.
        let text = if self.description.starts_with(&self.title) {
            mask(&self.description, &known)
        } else {
            format!(
                "{}\n{}",
                mask(&self.title, &known),
                mask(&self.description, &known)
            )
        };
        json!({
            "service_request_id": self.number,
            "status": if open { "open" } else { "closed" },
            "status_notes": status_notes,
            "service_name": self.service_name,
            "service_code": self.code,
            "description": text,
            "agency_responsible": if self.departments.is_empty() { None } else { Some(self.departments.join("、")) },
            "service_notice": null,
            "requested_datetime": format_datetime(self.requested),
            "updated_datetime": format_datetime(self.updated),
            "expected_datetime": open.then(|| format_datetime(self.expected)),
            "address": self.address,
            "address_id": self.building_id.to_string(),
            "zipcode": null,
            "lat": self.lat,
            "long": self.lon,
            "media_url": null,
        })
    }
}

/// The building a POST's location names: `address_id` (a building's place id), the nearest
/// building within 500 m of `lat`/`long`, or a building whose name the `address_string`
/// contains.
pub async fn building_at(
    pool: &PgPool,
    address_id: Option<i64>,
    point: Option<(f64, f64)>,
    address: Option<&str>,
) -> Result<Option<i64>, AppError> {
    let buildings = "'building' = ANY (kinds) AND NOT hidden";
    if let Some(id) = address_id {
        return Ok(sqlx::query_scalar(&format!(
            "SELECT id FROM places WHERE id = $1 AND {buildings}"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await?);
    }
    if let Some((lat, lon)) = point {
        // Metres on a local flat projection: ample at a subdistrict's scale.
        return Ok(sqlx::query_scalar(&format!(
            "SELECT id FROM (
                 SELECT id, sqrt(power((lat - $1) * 111320, 2)
                               + power((lon - $2) * 111320 * cos(radians($1)), 2)) AS metres
                   FROM places WHERE {buildings}) b
              WHERE metres <= 500 ORDER BY metres LIMIT 1"
        ))
        .bind(lat)
        .bind(lon)
        .fetch_optional(pool)
        .await?);
    }
    if let Some(text) = address {
        return Ok(sqlx::query_scalar(&format!(
            "SELECT id FROM places
              WHERE {buildings} AND (strpos($1, name_zh) > 0 OR strpos(lower($1), lower(name_en)) > 0)
              ORDER BY char_length(name_zh) DESC LIMIT 1"
        ))
        .bind(text)
        .fetch_optional(pool)
        .await?);
    }
    Ok(None)
}

/// What the program said about the person behind a request it filed.
pub async fn record_submission(
    db: &mut sqlx::PgConnection,
    number: &str,
    key_id: i64,
    contact: &[(&str, String)],
) -> Result<(), AppError> {
    let get = |name: &str| {
        contact
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(String::new(), |(_, v)| v.clone())
    };
    sqlx::query(
        "INSERT INTO open311_submissions (request_id, key_id, email, first_name, last_name, phone,
                                          device_id, account_id, media_url)
         SELECT id, $2, $3, $4, $5, $6, $7, $8, $9 FROM requests WHERE number = $1",
    )
    .bind(number)
    .bind(key_id)
    .bind(get("email"))
    .bind(get("first_name"))
    .bind(get("last_name"))
    .bind(get("phone"))
    .bind(get("device_id"))
    .bind(get("account_id"))
    .bind(get("media_url"))
    .execute(db)
    .await?;
    Ok(())
}
