//! The numbers against hand-computed figures: a fixed clock, requests written with known
//! instants, and every rate, median, ranking and CSV checked by arithmetic done here by
//! hand. Also: a real step through the lifecycle stores its working minutes.

use crate::support;

use app::numbers::rates::Counts;
use app::numbers::{Overview, Report};
use app::state::Clock;
use support::TestApp;

/// 2026-11-20 (Friday) 12:00 in Shanghai.
const NOW: i64 = 1_795_147_200;
/// Monday 2026-11-16 09:00 in Shanghai.
const MONDAY_9: i64 = 1_794_790_800;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

struct World {
    app: TestApp,
    admin: reqwest::Client,
    staff_a: reqwest::Client,
    worker: reqwest::Client,
}

async fn world() -> World {
    let url = support::fresh_database().await;
    let app = TestApp::spawn_with_clock(&url, Clock::Fixed { unix_secs: NOW }).await;
    let pool = &app.pool;
    let id = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(pool);
    let building = id("INSERT INTO places (name_zh, name_en, kinds, lat, lon)
                       VALUES ('平高国际大厦', 'Pinggao', '{building}', 31.24, 121.44) RETURNING id")
    .await
    .unwrap();
    let a = id("INSERT INTO departments (name_zh, name_en) VALUES ('房屋管理办事处', 'Housing') RETURNING id")
        .await
        .unwrap();
    let b = id("INSERT INTO departments (name_zh, name_en) VALUES ('市场监督管理所', 'Market') RETURNING id")
        .await
        .unwrap();
    let worker = app.signed_up("13800000001").await;
    let staff_a = app.signed_up("13800000003").await;
    sqlx::query(
        "INSERT INTO role_grants (user_id, role, department_id)
         SELECT id, 'department_staff', $1 FROM users WHERE phone = '13800000003'",
    )
    .bind(a)
    .execute(pool)
    .await
    .unwrap();
    let admin = app.admin("13800000005").await;
    let requester: i64 = id("SELECT id FROM users WHERE phone = '13800000001'")
        .await
        .unwrap();

    // Every request: submitted Monday 09:00; first response due 13:00 (4 working hours);
    // resolution due Wednesday 17:00 (three working days). Offsets are from Monday 09:00.
    //  n  dept  status  responded  resolved          rating
    //  1  A     closed  +1 h       Mon 13:00 (4 h)   5
    //  2  A     closed  +5 h late  Fri 11:00 (34 h)  3     resolved late
    //  3  A     closed  +2 h       Tue 13:00 (12 h)  4
    //  4  A     routed  +0.5 h     —                 —     overdue now
    //  5  —     merged  —          —                 —     a duplicate: received only
    //  6  B     resolved +1.5 h    Wed 09:00 (16 h)  —
    //  7  A     closed  +1 h       (October)         5
    let rows: [(
        i64,
        Option<i64>,
        &str,
        Option<i64>,
        Option<i64>,
        Option<i16>,
    ); 7] = [
        (1, Some(a), "closed", Some(HOUR), Some(4 * HOUR), Some(5)),
        (
            2,
            Some(a),
            "closed",
            Some(5 * HOUR),
            Some(4 * DAY + 2 * HOUR),
            Some(3),
        ),
        (
            3,
            Some(a),
            "closed",
            Some(2 * HOUR),
            Some(DAY + 4 * HOUR),
            Some(4),
        ),
        (4, Some(a), "routed", Some(HOUR / 2), None, None),
        (5, None, "merged", None, None, None),
        (
            6,
            Some(b),
            "resolved",
            Some(3 * HOUR / 2),
            Some(2 * DAY),
            None,
        ),
        (7, Some(a), "closed", Some(HOUR), Some(4 * HOUR), Some(5)),
    ];
    for (n, department, status, responded, resolved, rating) in rows {
        // Number 7 arrived five weeks earlier, in October.
        let submitted = if n == 7 {
            MONDAY_9 - 35 * DAY
        } else {
            MONDAY_9
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO requests (number, requester_id, building_id, category_id, title,
                                   description, status, merged_into, submitted_at,
                                   first_response_due, resolution_due, responded_at,
                                   resolved_at, rating)
             SELECT 'CS2026-00000' || $1, $2, $3, c.id, '车库停车位不够', '车库停满了',
                    $4, CASE WHEN $4 = 'merged' THEN (SELECT min(id) FROM requests) END,
                    to_timestamp($5), to_timestamp($5 + 4 * 3600),
                    to_timestamp($5 + 2 * 86400 + 8 * 3600),
                    to_timestamp($5 + $6), to_timestamp($5 + $7), $8
               FROM request_categories c WHERE c.code = 'property'
             RETURNING id",
        )
        .bind(n.to_string())
        .bind(requester)
        .bind(building)
        .bind(status)
        .bind(submitted as f64)
        .bind(responded.map(|s| s as f64))
        .bind(resolved.map(|s| s as f64))
        .bind(rating)
        .fetch_one(pool)
        .await
        .unwrap();
        if let Some(department) = department {
            sqlx::query(
                "INSERT INTO request_assignments (request_id, department_id, status, routed_at)
                 VALUES ($1, $2, 'answered', to_timestamp($3))",
            )
            .bind(id)
            .bind(department)
            .bind(submitted as f64)
            .execute(pool)
            .await
            .unwrap();
        }
    }
    let mut conn = pool.acquire().await.unwrap();
    let calendar = app::requests::store::load_calendar(&mut *conn)
        .await
        .unwrap();
    app::requests::store::fill_work_minutes(&mut conn, &calendar, None)
        .await
        .unwrap();
    // A case of department A that answered two readers in November (and helped a third
    // who still asked).
    let case: i64 = sqlx::query_scalar(
        "INSERT INTO cases (category_id, title, problem, solution)
         SELECT id, '车库停车', '车库停满', '错峰停车' FROM request_categories WHERE code = 'property'
         RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO case_departments VALUES ($1, $2)")
        .bind(case)
        .bind(a)
        .execute(pool)
        .await
        .unwrap();
    for (phone, answered) in [
        ("13800000001", true),
        ("13800000003", true),
        ("13800000005", false),
    ] {
        sqlx::query(
            "INSERT INTO case_votes (case_id, user_id, helpful, answered, voted_at)
             SELECT $1, id, true, $3, to_timestamp($4) FROM users WHERE phone = $2",
        )
        .bind(case)
        .bind(phone)
        .bind(answered)
        .bind((MONDAY_9 + 2 * DAY) as f64)
        .execute(pool)
        .await
        .unwrap();
    }
    World {
        app,
        admin,
        staff_a,
        worker,
    }
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a figure");
    assert!((actual - expected).abs() < 0.01, "{actual} ≠ {expected}");
}

#[test]
fn the_rates_match_the_hand_computed_figures() {
    support::block_on(async {
        let w = world().await;
        let report: Report = w
            .app
            .call(
                &w.admin,
                "numbers/report",
                &[("by", "department"), ("month", "2026-11")],
            )
            .await
            .expect("report");
        let t = report.total;
        // Six arrived, five count (the duplicate does not).
        assert_eq!((t.received, t.counted), (6, 5));
        let r = t.rates();
        close(r.response, 80.0); // 1, 3, 4, 6 of 5
        close(r.resolution, 80.0); // 1, 2, 3, 6
        close(r.on_time, 60.0); // 1, 3, 6
        close(r.satisfaction, 200.0 / 3.0); // 5 and 4 of 5, 3, 4
        assert_eq!(t.overdue_now, 1);
        assert_eq!(t.answered_without_dispatch, 2);
        // Working minutes to respond: 60, 300, 120, 30, 90 → median 90 (1.5 h).
        close(t.median_response_minutes, 90.0);
        // To resolve: 240, 2,040 (Mon–Thu and two hours of Friday), 720, 960 → (720 + 960) / 2.
        close(t.median_resolution_minutes, 840.0);

        // Ranked: B (100 and 100, no ratings: reweighted to 100) before A, the duplicate
        // (no department, nothing counted) last.
        let names: Vec<&str> = report.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            ["市场监督管理所", "房屋管理办事处", "未派单（楼长处理）"]
        );
        let a: &Counts = &report.groups[1].counts;
        let ra = a.rates();
        close(ra.response, 75.0);
        close(ra.resolution, 75.0);
        close(ra.on_time, 50.0);
        close(ra.satisfaction, 200.0 / 3.0);
        // 0.30 × 75 + 0.35 × 75 + 0.35 × 66.67 = 72.08
        close(ra.score(), 72.083);
        close(report.groups[0].counts.rates().score(), 100.0);
        assert_eq!(a.answered_without_dispatch, 2);
        assert_eq!(report.groups[2].counts.rates().score(), None);
        assert!(report.groups[2].unranked && !report.groups[0].unranked);

        // The trend: October's one request, all on time and rated 5.
        let october = report
            .months
            .iter()
            .position(|m| m.to_string() == "2026-10")
            .unwrap();
        let oct = report.trend[october].rates();
        close(oct.response, 100.0);
        close(oct.satisfaction, 100.0);
        assert_eq!(report.months.len(), 12);
        assert_eq!(report.months.last().unwrap().to_string(), "2026-11");
        // Both charts are drawn, each with its table's names.
        assert!(report.trend_chart.contains("<svg") && report.trend_chart.contains("响应率"));
        assert!(report.groups_chart.contains("房屋管理办事处"));

        // The whole year adds October.
        let year: Report = w
            .app
            .call(&w.admin, "numbers/report", &[("by", "category")])
            .await
            .expect("year");
        assert_eq!(year.total.received, 7);
        assert_eq!(year.groups.len(), 1);
        assert_eq!(year.groups[0].name, "物业与楼宇设施");
    });
}

#[test]
fn departments_see_their_own_and_others_see_nothing() {
    support::block_on(async {
        let w = world().await;
        let report: Report = w
            .app
            .call(
                &w.staff_a,
                "numbers/report",
                &[("by", "department"), ("month", "2026-11")],
            )
            .await
            .expect("report");
        assert!(!report.all_requests);
        assert_eq!(report.total.received, 4);
        let names: Vec<&str> = report.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["房屋管理办事处"]);

        let (status, _) = w
            .app
            .call::<Report>(&w.worker, "numbers/report", &[])
            .await
            .unwrap_err();
        assert_eq!(status.as_u16(), 403);
        let (status, _) = w
            .app
            .call::<Overview>(&w.staff_a, "numbers/overview", &[])
            .await
            .unwrap_err();
        assert_eq!(status.as_u16(), 403);

        // A month outside the twelve, or a grouping not offered, is named.
        for (field, value, label) in [
            ("month", "2024-01", "月份"),
            ("month", "13", "月份"),
            ("by", "people", "分组"),
        ] {
            let (status, error) = w
                .app
                .call::<Report>(&w.admin, "numbers/report", &[(field, value)])
                .await
                .unwrap_err();
            assert_eq!(status.as_u16(), 400);
            assert!(
                error.message(app::i18n::Locale::Zh).starts_with(label),
                "{error:?}"
            );
        }
    });
}

#[test]
fn the_overview_compares_with_last_month() {
    support::block_on(async {
        let w = world().await;
        let overview: Overview = w
            .app
            .call(&w.admin, "numbers/overview", &[])
            .await
            .expect("overview");
        assert_eq!(overview.month.to_string(), "2026-11");
        let received = &overview.requests[0];
        assert_eq!((received.now, received.before), (Some(6.0), Some(1.0)));
        let response = &overview.requests[1];
        close(response.now, 80.0);
        close(response.before, 100.0);
        assert_eq!(
            response.measure.change(response.now, response.before),
            "−20.0"
        );
        // No lunch and no volunteering yet: zero or no figure, never an error.
        assert_eq!(overview.lunch.len(), 5);
        assert_eq!(overview.volunteers.len(), 4);
        assert_eq!(overview.volunteers[0].now, Some(0.0));
    });
}

#[test]
fn exports_open_with_chinese_intact_and_nothing_personal() {
    support::block_on(async {
        let w = world().await;
        let get = |client: &reqwest::Client, path: &str| {
            let request = client.get(w.app.url(path));
            async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let kind = response
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap().to_owned())
                    .unwrap_or_default();
                (status, kind, response.bytes().await.unwrap())
            }
        };
        let (status, kind, body) = get(&w.admin, "/numbers.csv?by=department&month=2026-11").await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("text/csv"));
        assert!(
            body.starts_with(&[0xEF, 0xBB, 0xBF]),
            "UTF-8 byte-order mark"
        );
        let text = String::from_utf8(body[3..].to_vec()).expect("UTF-8");
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert!(lines[0].starts_with("部门,受理量,响应率"), "{}", lines[0]);
        assert!(
            lines[1].starts_with("市场监督管理所,1,100.0%"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("房屋管理办事处,4,75.0%,75.0%,50.0%,66.7%"),
            "{}",
            lines[2]
        );
        assert!(lines[4].starts_with("合计,6,80.0%"), "{}", lines[4]);

        // Requests, filtered as in the inbox: the closed ones, with no requester data.
        let (status, _, body) = get(&w.admin, "/requests.csv?status=closed").await;
        assert_eq!(status, 200);
        let text = String::from_utf8(body[3..].to_vec()).expect("UTF-8");
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(
            lines[0].starts_with("诉求编号,标题,问题类别,所在楼宇,状态"),
            "{}",
            lines[0]
        );
        assert_eq!(lines.len(), 1 + 4, "{text}");
        assert!(
            lines
                .iter()
                .skip(1)
                .all(|l| l.contains("车库停车位不够,物业与楼宇设施,平高国际大厦,已关闭")),
            "{text}"
        );
        assert!(!text.contains("13800000001"));
        // Department staff get their department's only; a worker gets nothing.
        let (_, _, body) = get(&w.staff_a, "/requests.csv?status=routed").await;
        let text = String::from_utf8(body[3..].to_vec()).unwrap();
        assert_eq!(
            text.split("\r\n").filter(|l| !l.is_empty()).count(),
            2,
            "{text}"
        );
        let (status, _, _) = get(&w.worker, "/requests.csv").await;
        assert_eq!(status, 403);
        let (status, _, _) = get(&w.worker, "/numbers.csv").await;
        assert_eq!(status, 403);
        let (status, _, _) = get(&w.admin, "/requests.csv?status=nonsense").await;
        assert_eq!(status, 400);
    });
}

/// A request taken through the lifecycle on instances whose clocks differ stores its
/// working minutes when the steps happen.
#[test]
fn steps_store_their_working_minutes() {
    support::block_on(async {
        // Monday 2026-11-23: raised at 10:00, claimed at 14:30; resolved Tuesday 10:00.
        let monday_10 = MONDAY_9 + 7 * DAY + HOUR;
        let url = support::fresh_database().await;
        let at = |unix_secs: i64| TestApp::spawn_with_clock(&url, Clock::Fixed { unix_secs });
        let morning = at(monday_10).await;
        let afternoon = at(monday_10 + 4 * HOUR + HOUR / 2).await;
        let tuesday = at(monday_10 + DAY).await;
        let pool = &morning.pool;
        let building: i64 = sqlx::query_scalar(
            "INSERT INTO places (name_zh, name_en, kinds, lat, lon)
             VALUES ('平高国际大厦', 'Pinggao', '{building}', 31.24, 121.44) RETURNING id",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        let department: i64 = sqlx::query_scalar(
            "INSERT INTO departments (name_zh, name_en) VALUES ('房屋管理办事处', 'Housing') RETURNING id",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        let worker = morning.signed_up("13800000001").await;
        let manager = morning.signed_up("13800000002").await;
        let staff = morning.signed_up("13800000003").await;
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, place_id, department_id)
             SELECT id, CASE phone WHEN '13800000002' THEN 'building_manager' ELSE 'department_staff' END,
                    CASE phone WHEN '13800000002' THEN $1::bigint END,
                    CASE phone WHEN '13800000003' THEN $2::bigint END
               FROM users WHERE phone IN ('13800000002', '13800000003')",
        )
        .bind(building)
        .bind(department)
        .execute(pool)
        .await
        .unwrap();
        let category: i64 =
            sqlx::query_scalar("SELECT id FROM request_categories WHERE code = 'property'")
                .fetch_one(pool)
                .await
                .unwrap();
        let number: String = morning
            .call_multipart(
                &worker,
                "requests/raise",
                &[
                    ("category", &category.to_string()),
                    ("building", &building.to_string()),
                    ("title", "空调不制冷"),
                    ("description", "下午办公室很热。"),
                ],
                &[],
            )
            .await
            .expect("raise");
        let department = department.to_string();
        let steps: [(&TestApp, &reqwest::Client, Vec<(&str, &str)>); 5] = [
            (&morning, &manager, vec![("step", "accept")]),
            (
                &morning,
                &manager,
                vec![("step", "route"), ("departments", &department)],
            ),
            (
                &afternoon,
                &staff,
                vec![("step", "claim"), ("department", &department)],
            ),
            (
                &tuesday,
                &staff,
                vec![
                    ("step", "answer"),
                    ("department", &department),
                    ("note", "已维修压缩机。"),
                ],
            ),
            (
                &tuesday,
                &staff,
                vec![("step", "resolve"), ("note", "压缩机已修好。")],
            ),
        ];
        for (app, client, fields) in steps {
            let mut all = vec![("number", number.as_str())];
            all.extend(fields);
            app.call_multipart::<()>(client, "requests/step", &all, &[])
                .await
                .expect("step");
        }
        let (response, resolution): (Option<i32>, Option<i32>) = sqlx::query_as(
            "SELECT response_work_minutes, resolution_work_minutes FROM requests WHERE number = $1",
        )
        .bind(&number)
        .fetch_one(pool)
        .await
        .unwrap();
        // 10:00 → 14:30 is 270 working minutes; 10:00 Monday → 10:00 Tuesday is 7 h + 1 h.
        assert_eq!(response, Some(270));
        assert_eq!(resolution, Some(480));
    });
}

/// A report is kept while nothing changes, and dropped as soon as a request changes.
#[test]
fn reports_are_kept_until_a_request_changes() {
    support::block_on(async {
        let w = world().await;
        let ask = || async {
            w.app
                .call::<Report>(&w.admin, "numbers/report", &[("month", "2026-11")])
                .await
                .expect("report")
        };
        let first = ask().await;
        assert_eq!(first.total.received, 6);
        // Written behind the app's back, without a notice: the kept report is served.
        sqlx::query("UPDATE requests SET rating = 1 WHERE number = 'CS2026-000001'")
            .execute(&w.app.pool)
            .await
            .unwrap();
        assert_eq!(ask().await, first);
        // Any step tells every process that requests changed; then the figures are new.
        sqlx::query("SELECT pg_notify('zd_live', 'requests')")
            .execute(&w.app.pool)
            .await
            .unwrap();
        let mut satisfied = first.total.satisfied;
        for _ in 0..50 {
            satisfied = ask().await.total.satisfied;
            if satisfied != first.total.satisfied {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!((first.total.satisfied, satisfied), (2, 1));
    });
}
