//! Open311 GeoReport v2 at `/open311/v2/`, for other programs: discovery, the services (the
//! request categories), their definitions, service requests to read (filters and defaults
//! as the specification gives them) and to file with an API key. JSON or XML, as the
//! resource name ends. Errors are a list of `{code, description}` with 400, 403 or 404.
//! Nothing personal leaves: descriptions are masked, and who filed is never returned.
//!
//! Pure wire rules in `format`; SQL in `store`; the admin's keys in `keys`.

pub mod keys;

#[cfg(feature = "ssr")]
pub mod format;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use handlers::*;

#[cfg(feature = "ssr")]
mod handlers {
    use super::format::{self, parse_datetime, split_resource, Format};
    use super::store;
    use crate::error::AppError;
    use crate::i18n::Locale;
    use crate::state::AppState;
    use axum::body::Bytes;
    use axum::extract::{Path, RawQuery, State};
    use axum::response::{IntoResponse, Response};
    use http::{header, HeaderMap, StatusCode};
    use serde_json::{json, Value};

    /// The longest span `GET requests` covers, and its default: the last 90 days.
    const SPAN_SECS: i64 = 90 * 86_400;
    /// The specification's limit for a description.
    const MAX_DESCRIPTION_CHARS: usize = 4000;

    /// A failed call: the HTTP status and what to tell the program.
    struct Failure(StatusCode, String);

    type Reply = Result<(&'static str, &'static str, Value), Failure>;

    fn bad(description: impl Into<String>) -> Failure {
        Failure(StatusCode::BAD_REQUEST, description.into())
    }

    fn not_found(description: impl Into<String>) -> Failure {
        Failure(StatusCode::NOT_FOUND, description.into())
    }

    impl From<AppError> for Failure {
        fn from(error: AppError) -> Failure {
            let status = match error.status() {
                403 | 401 => StatusCode::FORBIDDEN,
                404 => StatusCode::NOT_FOUND,
                500 => StatusCode::INTERNAL_SERVER_ERROR,
                503 => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::BAD_REQUEST,
            };
            Failure(status, error.message(Locale::Zh))
        }
    }

    /// Writes a reply in the format the resource name asked for.
    fn respond(format: Format, reply: Reply) -> Response {
        let (status, root, item, value) = match reply {
            Ok((root, item, value)) => (StatusCode::OK, root, item, value),
            Err(Failure(status, description)) => (
                status,
                "errors",
                "error",
                format::errors(status.as_u16(), &description),
            ),
        };
        (
            status,
            [(header::CONTENT_TYPE, format.content_type())],
            format::render(format, root, item, &value),
        )
            .into_response()
    }

    /// A resource that is neither `.json` nor `.xml`: answered in JSON.
    fn unknown_resource() -> Response {
        respond(
            Format::Json,
            Err(not_found(
                "Unknown resource: add .json or .xml to a GeoReport v2 resource name.",
            )),
        )
    }

    /// `GET /open311/v2/{discovery|services|requests}.{format}`
    pub async fn get_root(
        State(state): State<AppState>,
        headers: HeaderMap,
        Path(file): Path<String>,
        RawQuery(query): RawQuery,
    ) -> Response {
        let Some((name, format)) = split_resource(&file) else {
            return unknown_resource();
        };
        let reply = match name {
            "discovery" => Ok(("discovery", "endpoint", discovery(&state, &headers))),
            "services" => store::services(&state.pool)
                .await
                .map(|v| ("services", "service", v))
                .map_err(Failure::from),
            "requests" => list_requests(&state, query.as_deref().unwrap_or("")).await,
            _ => Err(not_found(format!("No resource {name}."))),
        };
        respond(format, reply)
    }

    fn discovery(state: &AppState, headers: &HeaderMap) -> Value {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let scheme = if state.secure_cookies {
            "https"
        } else {
            "http"
        };
        let changeset = "2026-11-27T00:00:00+08:00";
        json!({
            "changeset": changeset,
            "contact": "上海市普陀区长寿路街道 零距离·楼长点点通",
            "key_service": "API key 由街道管理员在“我的 → 开放接口密钥”中签发，请联系街道营商服务办公室。",
            "endpoints": [{
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": format!("{scheme}://{host}/open311/v2"),
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }],
        })
    }

    /// `GET /open311/v2/services/{service_code}.{format}`
    pub async fn service_definition(
        State(state): State<AppState>,
        Path(file): Path<String>,
    ) -> Response {
        let Some((code, format)) = split_resource(&file) else {
            return unknown_resource();
        };
        let reply = match store::service_id(&state.pool, code).await {
            Ok(Some(_)) => Ok((
                "service_definition",
                "attribute",
                // No service needs more than its description and location.
                json!({ "service_code": code, "attributes": [] }),
            )),
            Ok(None) => Err(not_found(format!("service_code {code} was not found."))),
            Err(e) => Err(e.into()),
        };
        respond(format, reply)
    }

    /// `GET /open311/v2/requests/{service_request_id}.{format}`
    pub async fn one_request(State(state): State<AppState>, Path(file): Path<String>) -> Response {
        let Some((number, format)) = split_resource(&file) else {
            return unknown_resource();
        };
        let query = store::Query {
            numbers: vec![number.to_owned()],
            service_codes: vec![],
            from: 0,
            to: 0,
            open: None,
        };
        let reply = match store::requests(&state.pool, &query).await {
            Ok(Value::Array(found)) if found.is_empty() => Err(not_found(format!(
                "service_request_id {number} was not found."
            ))),
            Ok(found) => Ok(("service_requests", "request", found)),
            Err(e) => Err(e.into()),
        };
        respond(format, reply)
    }

    fn fields(bytes: &[u8]) -> Result<Vec<(String, String)>, Failure> {
        format::parse_form(bytes).map_err(|_| bad("The request is not valid UTF-8."))
    }

    fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn list(value: Option<&str>) -> Vec<String> {
        value
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn list_requests(state: &AppState, raw: &str) -> Reply {
        let fields = fields(raw.as_bytes())?;
        let date = |name: &str| -> Result<Option<i64>, Failure> {
            field(&fields, name)
                .map(|v| {
                    parse_datetime(v).ok_or_else(|| {
                        bad(format!(
                            "{name} must be a W3C datetime with a time zone, e.g. 2026-11-01T00:00:00+08:00."
                        ))
                    })
                })
                .transpose()
        };
        let now = state.clock.unix_secs();
        let (from, to) = match (date("start_date")?, date("end_date")?) {
            (None, None) => (now - SPAN_SECS, now),
            (Some(from), None) => (from, from + SPAN_SECS),
            (None, Some(to)) => (to - SPAN_SECS, to),
            (Some(from), Some(to)) => (from, to),
        };
        if to < from {
            return Err(bad("end_date must not be before start_date."));
        }
        if to - from > SPAN_SECS {
            return Err(bad(
                "start_date and end_date may not span more than 90 days.",
            ));
        }
        let open = match list(field(&fields, "status")).as_slice() {
            [] => None,
            statuses => {
                if let Some(other) = statuses.iter().find(|s| *s != "open" && *s != "closed") {
                    return Err(bad(format!("status {other} is not open or closed.")));
                }
                let (open, closed) = (
                    statuses.iter().any(|s| s == "open"),
                    statuses.iter().any(|s| s == "closed"),
                );
                (open != closed).then_some(open)
            }
        };
        let numbers = list(field(&fields, "service_request_id"));
        if numbers.len() > store::LIMIT as usize {
            return Err(bad("At most 1000 service_request_id values at once."));
        }
        let query = store::Query {
            numbers,
            service_codes: list(field(&fields, "service_code")),
            from,
            to,
            open,
        };
        let found = store::requests(&state.pool, &query).await?;
        Ok(("service_requests", "request", found))
    }

    /// `POST /open311/v2/requests.{format}`: files a request for the key's account.
    pub async fn post_root(
        State(state): State<AppState>,
        Path(file): Path<String>,
        body: Bytes,
    ) -> Response {
        let Some((name, format)) = split_resource(&file) else {
            return unknown_resource();
        };
        let reply = if name == "requests" {
            create_request(&state, &body).await
        } else {
            Err(not_found(format!("No resource {name} to POST to.")))
        };
        respond(format, reply)
    }

    async fn create_request(state: &AppState, body: &[u8]) -> Reply {
        let fields = fields(body)?;
        let key = field(&fields, "api_key")
            .ok_or_else(|| Failure(StatusCode::FORBIDDEN, "api_key was not provided.".into()))?;
        let (key_id, user_id) = store::key_account(&state.pool, key)
            .await?
            .ok_or_else(|| Failure(StatusCode::FORBIDDEN, "Invalid api_key received.".into()))?;
        let code =
            field(&fields, "service_code").ok_or_else(|| bad("service_code was not provided."))?;
        let category = store::service_id(&state.pool, code)
            .await?
            .ok_or_else(|| not_found(format!("service_code {code} was not found.")))?;
        let description = field(&fields, "description")
            .ok_or_else(|| bad("description is required: say what the problem is."))?;
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(bad("description is limited to 4,000 characters."));
        }
        let building = building(state, &fields).await?;
        let mut contact = Vec::new();
        for (name, max) in [
            ("email", 200),
            ("first_name", 100),
            ("last_name", 100),
            ("phone", 40),
            ("device_id", 200),
            ("account_id", 200),
            ("media_url", 2000),
        ] {
            if let Some(value) = field(&fields, name) {
                if value.chars().count() > max || value.chars().any(char::is_control) {
                    return Err(bad(format!(
                        "{name} is longer than {max} characters or holds control characters."
                    )));
                }
                contact.push((name, value.to_owned()));
            }
        }
        // The title is the description's first line, as short as the app's form asks.
        let title: String = description
            .lines()
            .next()
            .unwrap_or(description)
            .chars()
            .take(crate::requests::MAX_TITLE_CHARS)
            .collect();
        let caller = crate::accounts::auth::Caller {
            user_id,
            grants: crate::accounts::auth::role_grants(&state.pool, user_id, Locale::Zh).await?,
            state: state.clone(),
        };
        let form = crate::uploads::UploadedForm::new(
            &[
                ("category", &category.to_string()),
                ("building", &building.to_string()),
                ("title", &title),
                ("description", description),
            ],
            vec![],
        );
        // The request and what the program said about the person, together or not at all.
        let mut tx = state.pool.begin().await.map_err(AppError::from)?;
        let number = crate::requests::store::raise_in(&mut tx, &caller, &form, &[]).await?;
        store::record_submission(&mut tx, &number, key_id, &contact).await?;
        tx.commit().await.map_err(AppError::from)?;
        Ok((
            "service_requests",
            "request",
            json!([{
                "service_request_id": number,
                "service_notice": "已转楼长处理，可用编号查询进度。",
                "account_id": null,
            }]),
        ))
    }

    /// The building of a POST's location: address_id, lat & long, or address_string.
    async fn building(state: &AppState, fields: &[(String, String)]) -> Result<i64, Failure> {
        let address_id = match field(fields, "address_id") {
            Some(v) => Some(v.parse::<i64>().map_err(|_| {
                bad("address_id must be the id of a building from requests.json's address_id.")
            })?),
            None => None,
        };
        let coordinate = |name: &str, limit: f64| -> Result<Option<f64>, Failure> {
            field(fields, name)
                .map(|v| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite() && x.abs() <= limit)
                        .ok_or_else(|| {
                            bad(format!("{name} must be a WGS84 coordinate in degrees."))
                        })
                })
                .transpose()
        };
        let point = match (coordinate("lat", 90.0)?, coordinate("long", 180.0)?) {
            (Some(lat), Some(lon)) => Some((lat, lon)),
            (None, None) => None,
            _ => return Err(bad("lat and long must be sent together.")),
        };
        let address = field(fields, "address_string");
        if address_id.is_none() && point.is_none() && address.is_none() {
            return Err(bad(
                "A location is required: lat & long, address_string or address_id.",
            ));
        }
        if address.is_some_and(|a| a.chars().count() > 500) {
            return Err(bad("address_string is longer than 500 characters."));
        }
        store::building_at(&state.pool, address_id, point, address)
            .await?
            .ok_or_else(|| {
                bad("The location is not a building of 长寿路街道: use an address_id from requests.json, or a point within 500 m of a building.")
            })
    }
}
