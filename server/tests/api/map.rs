//! The resource map against a real PostgreSQL: search, filters, opening hours at fixed
//! times, distances, the GeoJSON API, and the admin's validated, audited writes.

use crate::support;

use app::error::{AppError, Field, Problem};
use app::map::hours::parse_date;
use app::map::{PlaceDetail, PlaceList};
use app::state::Clock;
use reqwest::StatusCode;
use support::TestApp;

/// A moment in Shanghai time (UTC+8) as a fixed clock.
fn shanghai(date: &str, time: &str) -> Clock {
    let (h, m) = time.split_once(':').unwrap();
    let minutes: i64 = h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap();
    let day = parse_date(date).unwrap() as i64;
    Clock::Fixed {
        unix_secs: day * 86_400 + minutes * 60 - 8 * 3600,
    }
}

struct NewPlace<'a> {
    name: &'a str,
    kinds: &'a [&'a str],
    lat: &'a str,
    lon: &'a str,
    services: &'a str,
    hours: &'a str,
    exceptions: &'a str,
}

impl Default for NewPlace<'_> {
    fn default() -> Self {
        NewPlace {
            name: "测试地点",
            kinds: &["building"],
            lat: "31.2418",
            lon: "121.4395",
            services: "",
            hours: "",
            exceptions: "",
        }
    }
}

async fn create(
    app: &TestApp,
    admin: &reqwest::Client,
    place: NewPlace<'_>,
) -> Result<i64, (StatusCode, AppError)> {
    let kind_fields: Vec<(String, &str)> = place
        .kinds
        .iter()
        .map(|k| (format!("kind_{k}"), "on"))
        .collect();
    let mut form: Vec<(&str, &str)> = vec![
        ("name_zh", place.name),
        ("name_en", "Test place"),
        ("address_zh", "长寿路 1 号"),
        ("lat", place.lat),
        ("lon", place.lon),
        ("services", place.services),
        ("hours", place.hours),
        ("exceptions", place.exceptions),
    ];
    form.extend(kind_fields.iter().map(|(k, v)| (k.as_str(), *v)));
    app.call(admin, "admin/save_place", &form).await
}

async fn search(app: &TestApp, fields: &[(&str, &str)]) -> PlaceList {
    app.call(&TestApp::client(), "search_places", fields)
        .await
        .expect("search")
}

fn names(list: &PlaceList) -> Vec<&str> {
    list.places.iter().map(|p| p.name.as_str()).collect()
}

#[tokio::test]
async fn search_matches_chinese_names_addresses_and_services_in_part() {
    let app = TestApp::spawn().await;
    let admin = app.admin("13900000006").await;
    create(
        &app,
        &admin,
        NewPlace {
            name: "新会片区党群服务站",
            kinds: &["service_station", "lunch_point"],
            services: "白领午餐、法律咨询",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    create(
        &app,
        &admin,
        NewPlace {
            name: "平高国际大厦",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    create(
        &app,
        &admin,
        NewPlace {
            name: "梦清园",
            kinds: &["activity_venue"],
            services: "环保科普",
            ..Default::default()
        },
    )
    .await
    .unwrap();

    assert_eq!(
        names(&search(&app, &[("q", "服务站")]).await),
        ["新会片区党群服务站"]
    );
    assert_eq!(
        names(&search(&app, &[("q", "新会 服务")]).await),
        ["新会片区党群服务站"],
        "every word must match"
    );
    assert_eq!(
        names(&search(&app, &[("q", "法律")]).await),
        ["新会片区党群服务站"],
        "services count"
    );
    assert_eq!(
        search(&app, &[("q", "长寿路")]).await.places.len(),
        3,
        "addresses count"
    );
    assert!(search(&app, &[("q", "火星")]).await.places.is_empty());
    assert!(
        search(&app, &[("q", "%")]).await.places.is_empty(),
        "pattern characters are literal"
    );

    assert_eq!(
        names(&search(&app, &[("kind", "lunch_point")]).await),
        ["新会片区党群服务站"]
    );
    let two = search(&app, &[("kind", "building,activity_venue")]).await;
    assert_eq!(two.places.len(), 2);
    assert_eq!(two.matched, 2);
}

#[tokio::test]
async fn open_now_follows_the_hours_in_shanghai_time() {
    let database = support::fresh_database().await;
    let writer = TestApp::spawn_on(&database).await;
    let admin = writer.admin("13900000006").await;
    create(
        &writer,
        &admin,
        NewPlace {
            name: "工作日服务站",
            hours: "1-5 08:30-17:30",
            exceptions: "2026-10-01 closed",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    create(
        &writer,
        &admin,
        NewPlace {
            name: "夜宵店",
            hours: "5 22:00-02:00",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    create(
        &writer,
        &admin,
        NewPlace {
            name: "周日开放",
            hours: "1-5 09:00-17:00",
            exceptions: "2026-11-29 10:00-16:00",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    create(
        &writer,
        &admin,
        NewPlace {
            name: "无时间",
            ..Default::default()
        },
    )
    .await
    .unwrap();

    let open_at = |date: &'static str, time: &'static str| {
        let database = database.clone();
        async move {
            let app = TestApp::spawn_with_clock(&database, shanghai(date, time)).await;
            let mut open: Vec<String> = search(&app, &[("open", "true")])
                .await
                .places
                .into_iter()
                .map(|p| p.name)
                .collect();
            open.sort();
            open
        }
    };
    assert_eq!(
        open_at("2026-11-26", "10:00").await,
        ["周日开放", "工作日服务站"],
        "Thursday morning"
    );
    assert_eq!(
        open_at("2026-11-26", "17:30").await,
        Vec::<String>::new(),
        "closing time is closed"
    );
    assert_eq!(
        open_at("2026-11-27", "23:30").await,
        ["夜宵店"],
        "Friday night"
    );
    assert_eq!(
        open_at("2026-11-28", "01:30").await,
        ["夜宵店"],
        "after midnight, still Friday's night"
    );
    assert_eq!(open_at("2026-11-28", "02:00").await, Vec::<String>::new());
    assert_eq!(
        open_at("2026-11-29", "11:00").await,
        ["周日开放"],
        "a Sunday exception"
    );
    assert_eq!(
        open_at("2026-10-01", "10:00").await,
        ["周日开放"],
        "a holiday closes the station"
    );

    // Without the filter, every place is listed, with its state.
    let app = TestApp::spawn_with_clock(&database, shanghai("2026-11-26", "10:00")).await;
    let all = search(&app, &[]).await;
    let state = |name: &str| all.places.iter().find(|p| p.name == name).unwrap().open_now;
    assert_eq!(state("工作日服务站"), Some(true));
    assert_eq!(state("夜宵店"), Some(false));
    assert_eq!(state("无时间"), None);
}

#[tokio::test]
async fn near_sorts_by_distance_and_the_circle_keeps_what_is_within_1200_m() {
    let app = TestApp::spawn().await;
    let admin = app.admin("13900000006").await;
    for (name, lat) in [("远", "31.2540"), ("近", "31.2428"), ("中", "31.2500")] {
        let place = NewPlace {
            name,
            lat,
            lon: "121.4395",
            ..Default::default()
        };
        create(&app, &admin, place).await.unwrap();
    }

    let near = search(&app, &[("near", "31.2418,121.4395")]).await;
    assert_eq!(names(&near), ["近", "中", "远"]);
    let distances: Vec<u32> = near.places.iter().map(|p| p.distance_m.unwrap()).collect();
    assert!((105..=118).contains(&distances[0]), "{distances:?}");
    assert!(near.circle.is_none());

    let circle = search(&app, &[("near", "31.2418,121.4395"), ("circle", "true")]).await;
    assert_eq!(
        names(&circle),
        ["近", "中"],
        "远 is {} m away",
        distances[2]
    );
    assert_eq!(circle.circle.unwrap().radius_m, 1200);
}

#[tokio::test]
async fn bad_filters_are_400_with_the_field_named() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    let cases: &[(&[(&str, &str)], AppError)] = &[
        (
            &[("kind", "castle")],
            AppError::invalid(Field::Kind, Problem::UnknownKind),
        ),
        (
            &[("near", "here")],
            AppError::invalid(Field::Near, Problem::PointFormat),
        ),
        (
            &[("circle", "true")],
            AppError::invalid(Field::Near, Problem::Required),
        ),
    ];
    for (fields, expected) in cases {
        let result = app
            .call::<PlaceList>(&client, "search_places", fields)
            .await;
        assert_eq!(
            result.unwrap_err(),
            (StatusCode::BAD_REQUEST, expected.clone()),
            "{fields:?}"
        );
    }
}

#[tokio::test]
async fn only_admins_write_places_and_every_field_is_checked() {
    let app = TestApp::spawn().await;
    let resident = app.signed_up("13812345678").await;
    assert_eq!(
        create(&app, &TestApp::client(), NewPlace::default()).await,
        Err((StatusCode::UNAUTHORIZED, AppError::NotSignedIn))
    );
    assert_eq!(
        create(&app, &resident, NewPlace::default()).await,
        Err((StatusCode::FORBIDDEN, AppError::Forbidden))
    );

    let admin = app.admin("13900000006").await;
    let cases = [
        (
            NewPlace {
                lat: "31.30",
                ..Default::default()
            },
            AppError::invalid(Field::Latitude, Problem::OutsideArea),
        ),
        (
            NewPlace {
                lat: "121.4395",
                lon: "31.2418",
                ..Default::default()
            },
            AppError::invalid(Field::Latitude, Problem::OutsideArea),
        ),
        (
            NewPlace {
                lon: "east",
                ..Default::default()
            },
            AppError::invalid(Field::Longitude, Problem::NotANumber),
        ),
        (
            NewPlace {
                kinds: &[],
                ..Default::default()
            },
            AppError::invalid(Field::Kinds, Problem::KindRequired),
        ),
        (
            NewPlace {
                name: " ",
                ..Default::default()
            },
            AppError::invalid(Field::NameZh, Problem::Required),
        ),
        (
            NewPlace {
                hours: "weekdays 9 to 5",
                ..Default::default()
            },
            AppError::invalid(Field::Hours, Problem::HoursFormat),
        ),
        (
            NewPlace {
                exceptions: "2026-02-30 closed",
                ..Default::default()
            },
            AppError::invalid(Field::Exceptions, Problem::ExceptionFormat),
        ),
    ];
    for (place, expected) in cases {
        assert_eq!(
            create(&app, &admin, place).await,
            Err((StatusCode::BAD_REQUEST, expected))
        );
    }
    assert_eq!(
        app.count("SELECT count(*) FROM places").await,
        0,
        "nothing half-written"
    );
    assert_eq!(app.count("SELECT count(*) FROM audit_log").await, 0);
}

#[tokio::test]
async fn edits_hides_and_restores_are_audited_and_seen_by_residents() {
    let app = TestApp::spawn().await;
    let admin = app.admin("13900000006").await;
    let id = create(
        &app,
        &admin,
        NewPlace {
            name: "旧名字",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let id_text = id.to_string();
    let edit: Vec<(&str, &str)> = vec![
        ("id", &id_text),
        ("name_zh", "新名字"),
        ("name_en", "New name"),
        ("kind_building", "on"),
        ("address_zh", "长寿路 2 号"),
        ("lat", "31.2420"),
        ("lon", "121.4400"),
        ("phone", "021-62345678"),
        ("hours", "1-7 00:00-24:00"),
    ];
    app.call::<i64>(&admin, "admin/save_place", &edit)
        .await
        .expect("edit");

    let resident = app.signed_up("13812345678").await;
    let seen: PlaceDetail = app
        .call(&resident, "place_detail", &[("id", &id_text)])
        .await
        .unwrap();
    assert_eq!(seen.name, "新名字");
    assert_eq!(seen.phone.as_deref(), Some("021-62345678"));
    assert_eq!(seen.open_now, Some(true));

    app.call::<()>(
        &admin,
        "admin/set_place_hidden",
        &[("id", &id_text), ("hidden", "true")],
    )
    .await
    .unwrap();
    assert_eq!(
        app.call::<PlaceDetail>(&resident, "place_detail", &[("id", &id_text)])
            .await
            .unwrap_err()
            .0,
        StatusCode::NOT_FOUND
    );
    assert!(
        search(&app, &[]).await.places.is_empty(),
        "hidden places leave the list"
    );
    let admin_view: PlaceDetail = app
        .call(&admin, "place_detail", &[("id", &id_text)])
        .await
        .unwrap();
    assert!(admin_view.hidden, "admins still see it, to restore it");
    app.call::<()>(
        &admin,
        "admin/set_place_hidden",
        &[("id", &id_text), ("hidden", "false")],
    )
    .await
    .unwrap();
    assert_eq!(search(&app, &[]).await.places.len(), 1);

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = $1 ORDER BY id")
            .bind(format!("place:{id}"))
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        actions,
        [
            "create_place",
            "update_place",
            "hide_place",
            "restore_place"
        ]
    );
    let before: String = sqlx::query_scalar(
        "SELECT detail->'before'->>'name_zh' FROM audit_log WHERE action = 'update_place'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(before, "旧名字", "the audit keeps what was there before");
}

#[tokio::test]
async fn the_geojson_api_is_valid_filterable_and_cacheable() {
    let app = TestApp::spawn().await;
    server::demo::load_if_empty(&app.pool).await.unwrap();
    let client = TestApp::client();
    let response = client
        .get(app.url("/api/places.geojson?kind=service_station"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["type"], "FeatureCollection");
    let features = body["features"].as_array().unwrap();
    assert_eq!(features.len(), 10, "the ten stations");
    for feature in features {
        assert_eq!(feature["type"], "Feature");
        assert_eq!(feature["geometry"]["type"], "Point");
        let [lon, lat] = [
            feature["geometry"]["coordinates"][0].as_f64().unwrap(),
            feature["geometry"]["coordinates"][1].as_f64().unwrap(),
        ];
        assert!(
            (121.42..121.46).contains(&lon) && (31.22..31.26).contains(&lat),
            "longitude first: {lon},{lat}"
        );
        assert!(feature["properties"]["kinds"]
            .as_array()
            .unwrap()
            .contains(&"service_station".into()));
    }

    let again = client
        .get(app.url("/api/places.geojson?kind=service_station"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let boxed: serde_json::Value = client
        .get(app.url("/api/places.geojson?bbox=121.436,31.242,121.439,31.244"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let boxed_names: Vec<&str> = boxed["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert!(
        boxed_names.contains(&"新会片区党群服务站"),
        "{boxed_names:?}"
    );
    assert!(boxed_names.len() < 10, "{boxed_names:?}");

    let bad = client
        .get(app.url("/api/places.geojson?bbox=1,2,3"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.json::<AppError>().await.unwrap(),
        AppError::invalid(Field::Bbox, Problem::BboxFormat)
    );
}

#[tokio::test]
async fn list_and_detail_pages_are_complete_in_the_server_html() {
    let app = TestApp::spawn().await;
    server::demo::load_if_empty(&app.pool).await.unwrap();
    let client = TestApp::client();
    let list = client
        .get(app.url("/?kind=lunch_point"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("新会片区党群服务站"));
    assert!(
        list.contains("找到 11 个地点"),
        "the ten stations and 盒马, which delivers"
    );
    assert!(
        !list.contains("平高国际大厦</a>"),
        "buildings are filtered out"
    );

    let id: i64 = sqlx::query_scalar("SELECT id FROM places WHERE name_zh = '曹杨路联合党委'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let detail = client
        .get(app.url(&format!("/places/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for text in [
        "曹杨路联合党委",
        "成员楼宇",
        "谈家28",
        "科技馆",
        "我格广场",
        "tel:02162662002",
        "geo:31.2468,121.4306",
        "演示数据",
    ] {
        assert!(detail.contains(text), "{text} missing");
    }
    let missing = client.get(app.url("/places/999999")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// Anonymous visitors get the map list and place pages from a short-lived copy, which is
/// dropped the moment an admin changes a place (here: through another instance of the app,
/// as with several server processes); signed-in visitors always get a fresh render.
#[tokio::test]
async fn kept_pages_are_dropped_when_a_place_changes() {
    let app = TestApp::spawn().await;
    let other_instance = TestApp::spawn_on(&app.database_url).await;
    let admin = other_instance.admin("13900000006").await;
    let id = create(
        &other_instance,
        &admin,
        NewPlace {
            name: "缓存前的名字",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let anonymous = TestApp::client();
    let page = format!("/places/{id}");
    assert!(app.page(&anonymous, &page).await.contains("缓存前的名字"));
    assert!(app.page(&anonymous, "/").await.contains("缓存前的名字"));

    // Behind the app's back the copy would stay for 10 s: it is served from memory.
    sqlx::query("UPDATE places SET name_zh = '数据库里改的' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(
        app.page(&anonymous, &page).await.contains("缓存前的名字"),
        "served from the copy"
    );
    let resident = app.signed_up("13812345678").await;
    assert!(
        app.page(&resident, &page).await.contains("数据库里改的"),
        "signed in: fresh"
    );

    // An admin's change, on another instance, reaches this one over the live channel.
    let id_text = id.to_string();
    let edit: Vec<(&str, &str)> = vec![
        ("id", &id_text),
        ("name_zh", "管理员改的名字"),
        ("name_en", "Renamed"),
        ("kind_building", "on"),
        ("address_zh", "长寿路 2 号"),
        ("lat", "31.2420"),
        ("lon", "121.4400"),
    ];
    other_instance
        .call::<i64>(&admin, "admin/save_place", &edit)
        .await
        .expect("edit");
    let started = std::time::Instant::now();
    loop {
        let (place, list) = (
            app.page(&anonymous, &page).await,
            app.page(&anonymous, "/").await,
        );
        if place.contains("管理员改的名字") && list.contains("管理员改的名字") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "still the old copy"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn lists_show_a_page_at_a_time_up_to_500_and_say_how_many_matched() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "INSERT INTO places (name_zh, name_en, kinds, address_zh, lat, lon, hours)
         SELECT '楼' || g, 'Building ' || g, '{building}', '长寿路', 31.24 + g / 100000.0, 121.44,
                CASE WHEN g % 2 = 0 THEN '{\"weekly\": [{\"weekday\": 4, \"interval\": {\"opens\": 0, \"closes\": 0}}], \"exceptions\": []}'::jsonb
                     ELSE '{\"weekly\": [], \"exceptions\": []}'::jsonb END
           FROM generate_series(1, 1010) AS g",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let first_page = search(&app, &[]).await;
    assert_eq!((first_page.places.len(), first_page.matched), (30, 1010));
    let more = search(&app, &[("shown", "60")]).await;
    assert_eq!(more.places.len(), 60);
    assert_eq!(
        more.places[..30],
        first_page.places[..],
        "more keeps the first page"
    );
    let all = search(&app, &[("shown", "5000")]).await;
    assert_eq!((all.places.len(), all.matched), (500, 1010));
    let near = search(&app, &[("near", "31.24,121.44"), ("shown", "500")]).await;
    assert_eq!((near.places.len(), near.matched), (500, 1010));
    assert_eq!(near.places[0].name, "楼1", "nearest first");

    // Without JavaScript, "more" is a link to the longer list.
    let page = app.page(&TestApp::client(), "/?q=%E6%A5%BC").await;
    assert_eq!(page.matches("data-place-id=").count(), 30);
    assert!(
        page.contains("href=\"/?q=%E6%A5%BC&amp;shown=60\""),
        "a link to 60"
    );
    let longer = app.page(&TestApp::client(), "/?q=%E6%A5%BC&shown=60").await;
    assert_eq!(longer.matches("data-place-id=").count(), 60);

    // Open all day on Thursdays: half of them.
    let thursday =
        TestApp::spawn_with_clock(&app.database_url, shanghai("2026-11-26", "12:00")).await;
    let open = search(&thursday, &[("open", "true"), ("shown", "500")]).await;
    assert_eq!((open.places.len(), open.matched), (500, 505));
    assert!(open.places.iter().all(|p| p.open_now == Some(true)));
}

/// The map list renders the filters' island on every request for a signed-in visitor, with
/// the response streamed from whichever worker thread is free: nothing it keeps may be tied
/// to the thread that created it (a browser-only callback kept on the server once made the
/// response fail when it was dropped on another thread).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_list_renders_whole_on_any_thread() {
    let app = TestApp::spawn().await;
    server::demo::load_if_empty(&app.pool).await.unwrap();
    let client = app.signed_up("13700001001").await;
    let pages = futures::future::join_all((0..40).map(|i| {
        let client = client.clone();
        let url = app.url(&format!("/?q=%E6%9C%8D%E5%8A%A1%E7%AB%99&shown={}", 30 + i));
        async move {
            let response = client.get(url).send().await.expect("request");
            let status = response.status();
            (status, response.text().await)
        }
    }))
    .await;
    for (status, page) in pages {
        assert_eq!(status, StatusCode::OK);
        let page = page.expect("the whole page");
        assert!(page.contains("id=\"place-results\""), "the list's element");
        assert!(
            page.contains("data-component=\"PlaceFinder"),
            "the filters' island"
        );
        assert!(page.contains("</html>"), "a complete page");
    }
}
