//! Open311 GeoReport v2, tested against the specification's text
//! (http://wiki.open311.org/GeoReport_v2), each test quoting what it checks. Hostile input
//! gets a 4xx, never a 5xx.

use crate::support;

use reqwest::{Client, StatusCode};
use serde_json::Value;
use support::TestApp;

struct World {
    app: TestApp,
    admin: Client,
    key: String,
    building: i64,
    http: Client,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let building: i64 = sqlx::query_scalar(
        "INSERT INTO places (name_zh, name_en, kinds, lat, lon, address_zh)
         VALUES ('平高国际大厦', 'Pinggao International', '{building}', 31.2420, 121.4400, '长寿路 1 号')
         RETURNING id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let admin = app.admin("13800000005").await;
    let key: String = app
        .call(
            &admin,
            "open311/issue",
            &[("label", "区级工单系统"), ("phone", "13800000005")],
        )
        .await
        .expect("issue a key");
    World {
        app,
        admin,
        key,
        building,
        http: Client::new(),
    }
}

impl World {
    async fn get(&self, path: &str) -> (StatusCode, String, String) {
        let response = self.http.get(self.app.url(path)).send().await.unwrap();
        let status = response.status();
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, kind, response.text().await.unwrap())
    }

    async fn json(&self, path: &str) -> (StatusCode, Value) {
        let (status, kind, body) = self.get(path).await;
        assert!(kind.starts_with("application/json"), "{path}: {kind}");
        (status, serde_json::from_str(&body).expect("JSON"))
    }

    async fn post(&self, body: Vec<u8>) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.app.url("/open311/v2/requests.json"))
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.expect("JSON"))
    }

    async fn post_form(&self, fields: &[(&str, &str)]) -> (StatusCode, Value) {
        let body = fields
            .iter()
            .map(|(n, v)| format!("{n}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.post(body.into_bytes()).await
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// "Multiple errors codes and descriptions can be returned in the body (the response is an
/// array)": each with a `code` and a human-readable `description`.
fn assert_errors(status: StatusCode, body: &Value, expected: u16) {
    assert_eq!(status.as_u16(), expected, "{body}");
    let errors = body.as_array().expect("an array of errors");
    assert!(!errors.is_empty());
    for e in errors {
        assert_eq!(e["code"].as_u64(), Some(u64::from(expected)), "{e}");
        assert!(
            e["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{e}"
        );
    }
}

/// "Timezone information (either Z meaning UTC, or an HH:MM offset from UTC) must be
/// included."
fn assert_w3c(value: &Value) {
    let text = value.as_str().expect("a datetime string");
    assert!(
        text.len() == 25 && text.as_bytes()[10] == b'T' && (text.ends_with("+08:00")),
        "{text}"
    );
}

#[test]
fn discovery_and_services_follow_the_specification() {
    support::block_on(async {
        let w = world().await;
        // Discovery: "All fields are required", "must be provided as both XML and JSON".
        let (status, d) = w.json("/open311/v2/discovery.json").await;
        assert_eq!(status, 200);
        for field in ["changeset", "contact", "key_service"] {
            assert!(d[field].is_string(), "{field}");
        }
        let endpoint = &d["endpoints"][0];
        assert_eq!(
            endpoint["specification"],
            "http://wiki.open311.org/GeoReport_v2"
        );
        assert!(endpoint["url"].as_str().unwrap().ends_with("/open311/v2"));
        assert!(["production", "test"].contains(&endpoint["type"].as_str().unwrap()));
        assert!(endpoint["formats"]
            .as_array()
            .unwrap()
            .contains(&Value::from("text/xml")));
        let (status, kind, xml) = w.get("/open311/v2/discovery.xml").await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("text/xml"));
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><discovery>"),
            "{xml}"
        );
        assert!(
            xml.contains("<endpoints><endpoint>") && xml.contains("<formats><format>"),
            "{xml}"
        );

        // Service list: service_code, service_name, description, metadata (true/false),
        // type (realtime, batch, blackbox), keywords, group.
        let (status, services) = w.json("/open311/v2/services.json").await;
        assert_eq!(status, 200);
        let services = services.as_array().unwrap();
        assert_eq!(services.len(), 8, "one service per category");
        for s in services {
            for field in [
                "service_code",
                "service_name",
                "description",
                "keywords",
                "group",
            ] {
                assert!(s[field].is_string(), "{field} in {s}");
            }
            assert!(s["metadata"].is_boolean());
            assert!(["realtime", "batch", "blackbox"].contains(&s["type"].as_str().unwrap()));
        }
        assert!(services
            .iter()
            .any(|s| s["service_code"] == "property" && s["service_name"] == "物业与楼宇设施"));
        let (_, _, xml) = w.get("/open311/v2/services.xml").await;
        assert!(xml.contains("<services><service><"), "{xml}");

        // Service definition: "service_code … specified in the main URL path"; an object
        // with service_code and attributes. An unknown code: 404.
        let (status, def) = w.json("/open311/v2/services/property.json").await;
        assert_eq!(status, 200);
        assert_eq!(def["service_code"], "property");
        assert!(def["attributes"].is_array());
        let (_, _, xml) = w.get("/open311/v2/services/property.xml").await;
        assert!(xml.contains("<service_definition><"), "{xml}");
        let (status, body) = w.json("/open311/v2/services/nothing.json").await;
        assert_errors(status, &body, 404);
        let (status, _, xml) = w.get("/open311/v2/services/nothing.xml").await;
        assert_eq!(status, 404);
        assert!(
            xml.contains("<errors><error><code>404</code><description>"),
            "{xml}"
        );
    });
}

#[test]
fn a_program_files_a_request_with_its_key_and_reads_it_back() {
    support::block_on(async {
        let w = world().await;
        let building = w.building.to_string();
        // "API key required": missing or invalid is a 403.
        let filed = [
            ("service_code", "property"),
            ("address_id", building.as_str()),
            ("description", "地下车库照明坏了，请联系王小明13812345678。"),
            ("first_name", "小明"),
            ("last_name", "王"),
            ("phone", "13812345678"),
            ("email", "wang@example.com"),
        ];
        let (status, body) = w.post_form(&filed).await;
        assert_errors(status, &body, 403);
        let mut with_key = vec![("api_key", w.key.as_str())];
        with_key.extend_from_slice(&filed);
        let mut wrong_key = with_key.clone();
        wrong_key[0].1 = "not-a-key";
        let (status, body) = w.post_form(&wrong_key).await;
        assert_errors(status, &body, 403);

        // A realtime service: "The service request ID will be returned immediately".
        let (status, body) = w.post_form(&with_key).await;
        assert_eq!(status, 200, "{body}");
        let id = body[0]["service_request_id"]
            .as_str()
            .expect("an id")
            .to_owned();
        assert!(
            body[0].get("token").is_none(),
            "no token when an id is returned"
        );
        let requester: String = sqlx::query_scalar(
            "SELECT u.phone FROM requests r JOIN users u ON u.id = r.requester_id WHERE r.number = $1",
        )
        .bind(&id)
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
        assert_eq!(requester, "13800000005", "raised by the key's account");

        // GET Service Request: a list of one, with the documented fields.
        let (status, list) = w.json(&format!("/open311/v2/requests/{id}.json")).await;
        assert_eq!(status, 200);
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1);
        let r = &list[0];
        assert_eq!(r["service_request_id"], id.as_str());
        assert_eq!(r["status"], "open");
        assert_eq!(r["service_code"], "property");
        assert_eq!(r["service_name"], "物业与楼宇设施");
        assert_w3c(&r["requested_datetime"]);
        assert_w3c(&r["updated_datetime"]);
        assert_w3c(&r["expected_datetime"]);
        assert_eq!(r["address_id"], building.as_str());
        assert!((r["lat"].as_f64().unwrap() - 31.242).abs() < 1e-9);
        assert!((r["long"].as_f64().unwrap() - 121.44).abs() < 1e-9);
        assert!(r["address"].as_str().unwrap().starts_with("平高国际大厦"));
        // Nothing personal: not the phone in the text, not what the program said about the
        // person.
        let text = r.to_string();
        for secret in ["13812345678", "wang@example.com", "小明"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(r["description"]
            .as_str()
            .unwrap()
            .contains("地下车库照明坏了"));
        let (_, _, xml) = w.get(&format!("/open311/v2/requests/{id}.xml")).await;
        assert!(
            xml.contains(&format!("<service_requests><request><")),
            "{xml}"
        );
        assert!(
            xml.contains(&format!("<service_request_id>{id}</service_request_id>")),
            "{xml}"
        );
        let (status, body) = w.json("/open311/v2/requests/CS2020-000001.json").await;
        assert_errors(status, &body, 404);

        // The staff keep what the program said about the person.
        let kept: String = sqlx::query_scalar("SELECT email FROM open311_submissions")
            .fetch_one(&w.app.pool)
            .await
            .unwrap();
        assert_eq!(kept, "wang@example.com");

        // A point near the building finds it; an address naming it too.
        let by_point = [
            ("api_key", w.key.as_str()),
            ("service_code", "safety"),
            ("lat", "31.2421"),
            ("long", "121.4401"),
            ("description", "消防通道被杂物堵住"),
        ];
        let (status, body) = w.post_form(&by_point).await;
        assert_eq!(status, 200, "{body}");
        let by_address = [
            ("api_key", w.key.as_str()),
            ("service_code", "safety"),
            ("address_string", "长寿路 平高国际大厦 12 楼"),
            ("description", "消防栓箱门坏了"),
        ];
        let (status, body) = w.post_form(&by_address).await;
        assert_eq!(status, 200, "{body}");

        // A revoked key no longer files.
        let keys: Vec<app::open311::keys::ApiKey> =
            w.app.call(&w.admin, "open311/keys", &[]).await.unwrap();
        w.app
            .call::<()>(
                &w.admin,
                "open311/revoke",
                &[("id", &keys[0].id.to_string())],
            )
            .await
            .unwrap();
        let (status, body) = w.post_form(&by_address).await;
        assert_errors(status, &body, 403);
        // Only the key's SHA-256 is kept.
        let hashed = w
            .app
            .count(&format!(
                "SELECT count(*) FROM open311_keys WHERE key_hash = sha256(convert_to('{}', 'UTF8'))",
                w.key
            ))
            .await;
        assert_eq!(hashed, 1);
    });
}

#[test]
fn hostile_input_gets_a_4xx_never_a_5xx() {
    support::block_on(async {
        let w = world().await;
        let building = w.building.to_string();
        let key = w.key.as_str();
        let huge = "很".repeat(5000);
        let cases: Vec<(Vec<(&str, &str)>, u16)> = vec![
            // "service_code … was not provided": 400; "was not found": 404.
            (
                vec![
                    ("api_key", key),
                    ("address_id", &building),
                    ("description", "x"),
                ],
                400,
            ),
            (
                vec![
                    ("api_key", key),
                    ("service_code", "nothing"),
                    ("address_id", &building),
                    ("description", "x"),
                ],
                404,
            ),
            // "A full location parameter must be submitted."
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("description", "灯坏了"),
                ],
                400,
            ),
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("lat", "NaN"),
                    ("long", "121.44"),
                    ("description", "灯坏了"),
                ],
                400,
            ),
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("lat", "31.24"),
                    ("description", "灯坏了"),
                ],
                400,
            ),
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("lat", "1e400"),
                    ("long", "inf"),
                    ("description", "灯坏了"),
                ],
                400,
            ),
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("lat", "40.7"),
                    ("long", "-74.0"),
                    ("description", "灯坏了"),
                ],
                400,
            ),
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("address_id", "99999999999999999999"),
                    ("description", "灯坏了"),
                ],
                400,
            ),
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("address_id", "-1"),
                    ("description", "灯坏了"),
                ],
                400,
            ),
            // "free form text limited to 4,000 characters"
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("address_id", &building),
                    ("description", &huge),
                ],
                400,
            ),
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("address_id", &building),
                ],
                400,
            ),
            (
                vec![
                    ("api_key", key),
                    ("service_code", "property"),
                    ("address_id", &building),
                    ("description", "灯\u{0}坏了"),
                ],
                400,
            ),
        ];
        for (fields, expected) in cases {
            let (status, body) = w.post_form(&fields).await;
            assert_errors(status, &body, expected);
        }
        // Bytes that are not UTF-8, raw and percent-encoded.
        let mut raw =
            format!("api_key={key}&service_code=property&address_id={building}&description=")
                .into_bytes();
        raw.extend_from_slice(&[0xff, 0xfe, 0x41]);
        let (status, body) = w.post(raw).await;
        assert_errors(status, &body, 400);
        let encoded =
            format!("api_key={key}&service_code=property&address_id={building}&description=%C3%28");
        let (status, body) = w.post(encoded.into_bytes()).await;
        assert_errors(status, &body, 400);
        // Nothing was written by any of them.
        assert_eq!(w.app.count("SELECT count(*) FROM requests").await, 0);

        // Reading: bad dates, spans, statuses and formats.
        for (query, expected) in [
            ("start_date=yesterday", 400),
            ("start_date=2026-01-01T00:00:00", 400),
            (
                "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
                400,
            ),
            (
                "start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
                400,
            ),
            ("status=pending", 400),
            ("service_code=%FF", 400),
        ] {
            let (status, body) = w.json(&format!("/open311/v2/requests.json?{query}")).await;
            assert_errors(status, &body, expected);
        }
        let (status, _, _) = w.get("/open311/v2/requests.html").await;
        assert_eq!(status, 404);
    });
}

#[test]
fn the_request_list_filters_as_the_specification_says() {
    support::block_on(async {
        let w = world().await;
        let building = w.building.to_string();
        let mut ids = Vec::new();
        for (code, text) in [
            ("property", "电梯坏了"),
            ("safety", "消防通道堵了"),
            ("property", "空调不制冷"),
        ] {
            let (status, body) = w
                .post_form(&[
                    ("api_key", &w.key),
                    ("service_code", code),
                    ("address_id", &building),
                    ("description", text),
                ])
                .await;
            assert_eq!(status, 200, "{body}");
            ids.push(body[0]["service_request_id"].as_str().unwrap().to_owned());
        }
        // The first one is closed; an old one lies beyond the default 90 days.
        sqlx::query(
            "UPDATE requests SET status = 'closed', resolved_at = now(), closed_at = now()
              WHERE number = $1",
        )
        .bind(&ids[0])
        .execute(&w.app.pool)
        .await
        .unwrap();
        sqlx::query(
            "UPDATE requests SET submitted_at = now() - interval '120 days' WHERE number = $1",
        )
        .bind(&ids[2])
        .execute(&w.app.pool)
        .await
        .unwrap();
        let numbers = |v: &Value| -> Vec<String> {
            let mut n: Vec<String> = v
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["service_request_id"].as_str().unwrap().to_owned())
                .collect();
            n.sort();
            n
        };
        // "When not specified, the range defaults to most recent 90 days."
        let (_, all) = w.json("/open311/v2/requests.json").await;
        assert_eq!(numbers(&all), vec![ids[0].clone(), ids[1].clone()]);
        // status: "open" / "closed", "comma delimited".
        let (_, closed) = w.json("/open311/v2/requests.json?status=closed").await;
        assert_eq!(numbers(&closed), vec![ids[0].clone()]);
        assert_eq!(closed[0]["status"], "closed");
        assert!(closed[0]["expected_datetime"].is_null());
        let (_, both) = w.json("/open311/v2/requests.json?status=open,closed").await;
        assert_eq!(numbers(&both).len(), 2);
        // service_code: "can be declared multiple times, comma delimited".
        let (_, safety) = w
            .json("/open311/v2/requests.json?service_code=safety")
            .await;
        assert_eq!(numbers(&safety), vec![ids[1].clone()]);
        let (_, two) = w
            .json("/open311/v2/requests.json?service_code=safety,property")
            .await;
        assert_eq!(numbers(&two).len(), 2);
        // start_date and end_date: "a given range" of requested_datetime.
        let submitted = w
            .app
            .count(&format!(
                "SELECT extract(epoch FROM submitted_at)::bigint FROM requests WHERE number = '{}'",
                ids[2]
            ))
            .await;
        let w3c = |t: i64| encode(&app::open311::format::format_datetime(t));
        let (_, old) = w
            .json(&format!(
                "/open311/v2/requests.json?start_date={}&end_date={}",
                w3c(submitted - 86_400),
                w3c(submitted + 86_400)
            ))
            .await;
        assert_eq!(numbers(&old), vec![ids[2].clone()]);
        // Only start_date: the 90 days from it.
        let (_, from) = w
            .json(&format!(
                "/open311/v2/requests.json?start_date={}",
                w3c(submitted - 60)
            ))
            .await;
        assert_eq!(numbers(&from), vec![ids[2].clone()]);
        // service_request_id: "This overrides all other arguments."
        let (_, by_id) = w
            .json(&format!(
                "/open311/v2/requests.json?service_request_id={},{}&status=closed",
                ids[1], ids[2]
            ))
            .await;
        assert_eq!(numbers(&by_id), vec![ids[1].clone(), ids[2].clone()]);
        let (_, _, xml) = w.get("/open311/v2/requests.xml?status=open").await;
        assert!(
            xml.starts_with(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request>"
            ),
            "{xml}"
        );
    });
}
