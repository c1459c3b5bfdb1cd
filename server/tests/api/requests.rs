//! Problems to the building manager against a real PostgreSQL: the full path, who sees
//! what, parallel claims, photos, the periodic job across processes, the live channel
//! across app instances, similar requests in Chinese, and working-time deadlines.

use crate::support;

use app::error::{AppError, Conflict, Field, Problem};
use app::requests::lifecycle::{EventKind, Status, StepRefused};
use app::requests::{
    Inbox, RequestDetail, RequestField, RequestProblem, RequestSummary, SimilarItem,
};
use app::state::Clock;
use app::uploads::samples::{jpeg_with_gps, png_bomb};
use futures::StreamExt;
use reqwest::{Client, StatusCode};
use std::time::Duration;
use support::TestApp;

/// A building with a manager, two departments with a staff member each, an admin and a
/// worker, on one app.
struct World {
    app: TestApp,
    building: i64,
    other_building: i64,
    department: i64,
    other_department: i64,
    worker: Client,
    manager: Client,
    staff: Client,
    other_staff: Client,
    admin: Client,
}

async fn world() -> World {
    world_on(TestApp::spawn().await).await
}

async fn world_on(app: TestApp) -> World {
    let place = |name: &str| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO places (name_zh, name_en, kinds, lat, lon) VALUES ($1, $1, '{building}', 31.24, 121.44) RETURNING id",
        )
        .bind(name.to_owned())
    };
    let building = place("平高国际大厦").fetch_one(&app.pool).await.unwrap();
    let other_building = place("长寿商业广场").fetch_one(&app.pool).await.unwrap();
    let department_named = |name: &str| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO departments (name_zh, name_en) VALUES ($1, $1) RETURNING id",
        )
        .bind(name.to_owned())
    };
    let department = department_named("街道营商服务办公室")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let other_department = department_named("房屋管理办事处")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE request_categories SET default_department_id = $1")
        .bind(department)
        .execute(&app.pool)
        .await
        .unwrap();
    let grant = |phone: &str, role: &str, place: Option<i64>, department: Option<i64>| {
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, place_id, department_id)
             SELECT id, $2, $3, $4 FROM users WHERE phone = $1",
        )
        .bind(phone.to_owned())
        .bind(role.to_owned())
        .bind(place)
        .bind(department)
    };
    let worker = app.signed_up("13800000001").await;
    let manager = app.signed_up("13800000002").await;
    grant("13800000002", "building_manager", Some(building), None)
        .execute(&app.pool)
        .await
        .unwrap();
    let staff = app.signed_up("13800000003").await;
    grant("13800000003", "department_staff", None, Some(department))
        .execute(&app.pool)
        .await
        .unwrap();
    let other_staff = app.signed_up("13800000004").await;
    grant(
        "13800000004",
        "department_staff",
        None,
        Some(other_department),
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let admin = app.admin("13800000005").await;
    World {
        app,
        building,
        other_building,
        department,
        other_department,
        worker,
        manager,
        staff,
        other_staff,
        admin,
    }
}

impl World {
    async fn category(&self, code: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM request_categories WHERE code = $1")
            .bind(code)
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }

    async fn raise_with(
        &self,
        title: &str,
        description: &str,
        photos: &[Vec<u8>],
    ) -> Result<String, (StatusCode, AppError)> {
        let category = self.category("property").await.to_string();
        let building = self.building.to_string();
        self.app
            .call_multipart(
                &self.worker,
                "requests/raise",
                &[
                    ("category", category.as_str()),
                    ("building", building.as_str()),
                    ("company", "长寿信息科技有限公司"),
                    ("title", title),
                    ("description", description),
                ],
                photos,
            )
            .await
    }

    async fn raise(&self) -> String {
        self.raise_with(
            "地下车库停车位不够",
            "早上九点以后车库停满，员工只能停路边。",
            &[],
        )
        .await
        .expect("raise")
    }

    async fn step(
        &self,
        client: &Client,
        number: &str,
        fields: &[(&str, &str)],
    ) -> Result<(), (StatusCode, AppError)> {
        let mut all = vec![("number", number)];
        all.extend_from_slice(fields);
        self.app
            .call_multipart(client, "requests/step", &all, &[])
            .await
    }

    async fn detail(
        &self,
        client: &Client,
        number: &str,
    ) -> Result<RequestDetail, (StatusCode, AppError)> {
        self.app
            .call(client, "requests/detail", &[("number", number)])
            .await
    }

    async fn inbox(&self, client: &Client, filters: &[(&str, &str)]) -> Inbox {
        self.app
            .call(client, "requests/inbox", filters)
            .await
            .expect("inbox")
    }

    /// Raised, accepted and routed to the department.
    async fn routed(&self) -> String {
        let number = self.raise().await;
        let department = self.department.to_string();
        self.step(&self.manager, &number, &[("step", "accept")])
            .await
            .unwrap();
        self.step(
            &self.manager,
            &number,
            &[("step", "route"), ("departments", &department)],
        )
        .await
        .unwrap();
        number
    }

    /// Routed and claimed.
    async fn claimed(&self) -> String {
        let number = self.routed().await;
        let department = self.department.to_string();
        self.step(
            &self.staff,
            &number,
            &[("step", "claim"), ("department", &department)],
        )
        .await
        .unwrap();
        number
    }

    /// All the way to resolved.
    async fn resolved(&self) -> String {
        let number = self.claimed().await;
        let department = self.department.to_string();
        self.step(
            &self.staff,
            &number,
            &[
                ("step", "answer"),
                ("department", &department),
                ("note", "已协调物业开放访客车位。"),
            ],
        )
        .await
        .unwrap();
        self.step(
            &self.staff,
            &number,
            &[("step", "resolve"), ("note", "开放地面访客车位 20 个。")],
        )
        .await
        .unwrap();
        number
    }
}

fn numbers(inbox: &Inbox) -> Vec<&str> {
    inbox.items.iter().map(|i| i.number.as_str()).collect()
}

fn invalid(field: RequestField, problem: Problem) -> AppError {
    AppError::invalid(Field::Request(field), problem)
}

fn because(field: RequestField, problem: RequestProblem) -> AppError {
    invalid(field, Problem::Request(problem))
}

fn conflict(refused: StepRefused) -> (StatusCode, AppError) {
    (
        StatusCode::CONFLICT,
        AppError::Conflict(Conflict::Request(refused)),
    )
}

#[tokio::test]
async fn a_problem_goes_from_the_worker_to_a_department_and_back() {
    let w = world().await;
    let number = w
        .raise_with(
            "地下车库停车位不够",
            "早上九点以后车库停满。",
            &[jpeg_with_gps(800, 600)],
        )
        .await
        .expect("raise");
    assert!(number.starts_with("CS20") && number.len() == 13, "{number}");

    // The worker sees it in "my requests"; the building manager in the inbox.
    let mine: Vec<RequestSummary> = w.app.call(&w.worker, "requests/mine", &[]).await.unwrap();
    assert_eq!(mine[0].number, number);
    assert_eq!(mine[0].status, Status::Submitted);
    assert_eq!(
        numbers(&w.inbox(&w.manager, &[]).await),
        vec![number.as_str()]
    );
    // The manager was told.
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM notifications WHERE kind = 'request.submitted'")
            .await,
        1
    );

    // Routing suggests the category's default department.
    w.step(&w.manager, &number, &[("step", "accept")])
        .await
        .unwrap();
    let detail = w.detail(&w.manager, &number).await.unwrap();
    assert_eq!(detail.suggestions[0].department_id, w.department);
    let department = w.department.to_string();
    w.step(
        &w.manager,
        &number,
        &[("step", "route"), ("departments", &department)],
    )
    .await
    .unwrap();

    // Only the department it was routed to sees it.
    assert_eq!(
        numbers(&w.inbox(&w.staff, &[]).await),
        vec![number.as_str()]
    );
    assert!(w.inbox(&w.other_staff, &[]).await.items.is_empty());
    assert_eq!(
        w.detail(&w.other_staff, &number).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );

    w.step(
        &w.staff,
        &number,
        &[("step", "claim"), ("department", &department)],
    )
    .await
    .unwrap();
    w.step(
        &w.staff,
        &number,
        &[
            ("step", "answer"),
            ("department", &department),
            ("note", "已协调物业开放访客车位。"),
        ],
    )
    .await
    .unwrap();
    w.step(
        &w.staff,
        &number,
        &[("step", "resolve"), ("note", "开放地面访客车位 20 个。")],
    )
    .await
    .unwrap();
    let detail = w.detail(&w.worker, &number).await.unwrap();
    assert_eq!(detail.status, Status::Resolved);
    assert_eq!(detail.summary.as_deref(), Some("开放地面访客车位 20 个。"));
    assert!(
        detail.requester.is_none(),
        "the worker sees no staff-only fields"
    );
    w.step(
        &w.worker,
        &number,
        &[("step", "confirm"), ("rating", "5"), ("note", "很及时")],
    )
    .await
    .unwrap();

    let detail = w.detail(&w.worker, &number).await.unwrap();
    assert_eq!(detail.status, Status::Closed);
    assert_eq!(detail.rating, Some(5));
    let kinds: Vec<EventKind> = detail.timeline.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::Submitted,
            EventKind::Accepted,
            EventKind::Routed,
            EventKind::Claimed,
            EventKind::Answered,
            EventKind::Resolved,
            EventKind::Confirmed,
        ]
    );
    assert_eq!(detail.timeline[0].photos.len(), 1);
    assert_eq!(
        detail.timeline[2].detail,
        vec!["街道营商服务办公室".to_owned()]
    );
    // The first response is the department's claim.
    let responded: bool = sqlx::query_scalar("SELECT responded_at IS NOT NULL FROM requests")
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
    assert!(responded);
    // The worker heard of each step that concerned them.
    let told: i64 = w
        .app
        .count("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.phone = '13800000001'")
        .await;
    assert_eq!(told, 5, "accepted, routed, claimed, answered, resolved");
    // The timeline is append-only, in the database itself.
    let edit = sqlx::query("UPDATE request_events SET note = 'x'")
        .execute(&w.app.pool)
        .await;
    assert!(edit.is_err());
}

#[tokio::test]
async fn illegal_steps_get_a_clear_answer_and_change_nothing() {
    let w = world().await;
    let number = w.raise().await;
    let department = w.department.to_string();
    // Who: a worker cannot triage, a manager cannot confirm for the worker.
    assert_eq!(
        w.step(&w.worker, &number, &[("step", "accept")])
            .await
            .unwrap_err(),
        (StatusCode::FORBIDDEN, AppError::Forbidden)
    );
    // When: routing before accepting, claiming what is not routed.
    assert_eq!(
        w.step(
            &w.manager,
            &number,
            &[("step", "route"), ("departments", &department)]
        )
        .await
        .unwrap_err(),
        conflict(StepRefused::NotAccepted)
    );
    assert_eq!(
        w.step(
            &w.admin,
            &number,
            &[("step", "claim"), ("department", &department)]
        )
        .await
        .unwrap_err(),
        conflict(StepRefused::NotRoutedToDepartment)
    );
    // Bad input names the field.
    w.step(&w.manager, &number, &[("step", "accept")])
        .await
        .unwrap();
    assert_eq!(
        w.step(&w.manager, &number, &[("step", "route")])
            .await
            .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            because(RequestField::Departments, RequestProblem::ChooseDepartment)
        )
    );
    assert_eq!(
        w.step(
            &w.manager,
            &number,
            &[("step", "route"), ("departments", "999999")]
        )
        .await
        .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            because(RequestField::Departments, RequestProblem::UnknownDepartment)
        )
    );
    assert_eq!(
        w.step(&w.manager, &number, &[("step", "return")])
            .await
            .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            invalid(RequestField::Note, Problem::Required)
        )
    );
    assert_eq!(
        w.step(&w.manager, &number, &[("step", "explode")])
            .await
            .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            because(RequestField::Step, RequestProblem::UnknownStep)
        )
    );
    assert_eq!(
        w.step(&w.manager, "CS2026-999999", &[("step", "accept")])
            .await
            .unwrap_err()
            .0,
        StatusCode::NOT_FOUND
    );
    // A stranger learns nothing, not even that it exists.
    assert_eq!(
        w.step(
            &w.other_staff,
            &number,
            &[("step", "comment"), ("note", "hi")]
        )
        .await
        .unwrap_err()
        .0,
        StatusCode::NOT_FOUND
    );
    // Merging needs another open request of the same building.
    assert_eq!(
        w.step(
            &w.manager,
            &number,
            &[("step", "merge"), ("merge_into", &number)]
        )
        .await
        .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            because(RequestField::MergeInto, RequestProblem::MergeIntoItself)
        )
    );
    let resolved = w.resolved().await;
    assert_eq!(
        w.step(
            &w.worker,
            &resolved,
            &[("step", "confirm"), ("rating", "0")]
        )
        .await
        .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            because(RequestField::Rating, RequestProblem::RatingRange)
        )
    );
    assert_eq!(
        w.step(
            &w.manager,
            &resolved,
            &[("step", "confirm"), ("rating", "5")]
        )
        .await
        .unwrap_err(),
        (StatusCode::FORBIDDEN, AppError::Forbidden)
    );
    // Nothing above wrote an event beyond the successful steps.
    assert_eq!(
        w.app.count("SELECT count(*) FROM request_events").await,
        2 + 6,
        "submitted + accepted, and the resolved request's six"
    );
}

#[tokio::test]
async fn fifty_parallel_claims_of_one_assignment_make_one_winner() {
    let w = world().await;
    let number = w.routed().await;
    let department = w.department.to_string();
    let fields = [("step", "claim"), ("department", department.as_str())];
    let claims = (0..50).map(|_| w.step(&w.staff, &number, &fields));
    let results = futures::future::join_all(claims).await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    for lost in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(*lost, conflict(StepRefused::AlreadyClaimed));
    }
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM request_events WHERE kind = 'claimed'")
            .await,
        1
    );
}

#[tokio::test]
async fn photos_are_checked_by_content_stripped_and_served_only_to_those_involved() {
    let w = world().await;
    let before = w.app.count("SELECT count(*) FROM requests").await;
    let world = &w;
    let refused = move |bytes: Vec<u8>| async move {
        world
            .raise_with("电梯故障", "三号梯停了。", &[bytes])
            .await
            .unwrap_err()
    };
    let photos = Field::Request(RequestField::Photos);
    assert_eq!(
        refused(b"%PDF-1.7\n%...".to_vec()).await,
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(photos, Problem::NotAnImage)
        )
    );
    assert_eq!(
        refused(b"MZ\x90\0\x03\0\0\0\x04\0".to_vec()).await,
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(photos, Problem::NotAnImage)
        )
    );
    let jpeg = jpeg_with_gps(400, 300);
    assert_eq!(
        refused(jpeg[..jpeg.len() / 2].to_vec()).await,
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(photos, Problem::ImageDamaged)
        )
    );
    assert_eq!(
        refused(png_bomb()).await,
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(photos, Problem::ImageTooLarge)
        )
    );
    let mut huge = jpeg.clone();
    huge.resize(9 * 1024 * 1024, 0);
    assert_eq!(
        refused(huge).await,
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooLarge {
                field: photos,
                max_bytes: 8 * 1024 * 1024
            }
        )
    );
    let four = vec![jpeg.clone(), jpeg.clone(), jpeg.clone(), jpeg.clone()];
    assert_eq!(
        w.raise_with("电梯故障", "三号梯停了。", &four)
            .await
            .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(photos, Problem::TooManyFiles { max: 3 })
        )
    );
    assert_eq!(
        w.app.count("SELECT count(*) FROM requests").await,
        before,
        "nothing was written"
    );
    assert_eq!(w.app.count("SELECT count(*) FROM request_photos").await, 0);

    let number = w
        .raise_with(
            "电梯故障",
            "三号梯停了。",
            &[jpeg_with_gps(2400, 1800), jpeg.clone()],
        )
        .await
        .unwrap();
    let detail = w.detail(&w.worker, &number).await.unwrap();
    assert_eq!(detail.photos.len(), 2);
    let url = w.app.url(&format!("/requests/photos/{}", detail.photos[0]));
    let response = w.worker.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("private"));
    let bytes = response.bytes().await.unwrap();
    assert!(
        !bytes.windows(11).any(|w| w == b"GPSLatitude"),
        "metadata survived"
    );
    let stored = image::load_from_memory(&bytes).unwrap();
    assert_eq!((stored.width(), stored.height()), (1600, 1200));
    let thumb = w
        .worker
        .get(format!("{url}/thumb"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(image::load_from_memory(&thumb).unwrap().width(), 320);
    // Another department, and someone signed out, get nothing.
    assert_eq!(
        w.other_staff.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        TestApp::client().get(&url).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn two_processes_auto_closing_at_once_close_each_request_once() {
    let w = world().await;
    let mut resolved = Vec::new();
    for _ in 0..6 {
        resolved.push(w.resolved().await);
    }
    // A week and a bit later, two processes run the job at the same moment.
    let later = Clock::System.unix_secs() + 8 * 24 * 3600;
    let second = server::connect(&w.app.database_url, Duration::from_secs(5))
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        app::requests::store::auto_close(&w.app.pool, later),
        app::requests::store::auto_close(&second, later)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 6);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM request_events WHERE kind = 'auto_closed'")
            .await,
        6
    );
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM requests WHERE status = 'closed'")
            .await,
        6
    );
    // Running it again changes nothing; a fresh resolution is not touched.
    let fresh = w.resolved().await;
    assert_eq!(
        app::requests::store::auto_close(&second, Clock::System.unix_secs())
            .await
            .unwrap(),
        0
    );
    let detail = w.detail(&w.worker, &fresh).await.unwrap();
    assert_eq!(detail.status, Status::Resolved);
    // The worker can no longer reopen a closed one.
    assert_eq!(
        w.step(
            &w.worker,
            &resolved[0],
            &[("step", "reopen"), ("note", "还是不行")]
        )
        .await
        .unwrap_err(),
        conflict(StepRefused::Finished)
    );
}

#[tokio::test]
async fn overdue_requests_are_escalated_once() {
    let w = world().await;
    let number = w.raise().await;
    let much_later = Clock::System.unix_secs() + 30 * 24 * 3600;
    assert_eq!(
        app::requests::store::escalate_overdue(&w.app.pool, much_later)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app::requests::store::escalate_overdue(&w.app.pool, much_later)
            .await
            .unwrap(),
        0
    );
    let told = w
        .app
        .count("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'request.escalated' AND u.phone IN ('13800000002', '13800000005')")
        .await;
    assert_eq!(told, 2, "the building manager and the admin");
    let detail = w.detail(&w.manager, &number).await.unwrap();
    assert_eq!(detail.timeline.last().unwrap().kind, EventKind::Escalated);
}

#[tokio::test]
async fn deadlines_count_working_time_across_the_spring_festival() {
    let url = support::fresh_database().await;
    // Friday 2026-02-13 16:00 in Shanghai.
    let friday = 1_770_969_600;
    let app = TestApp::spawn_with_clock(&url, Clock::Fixed { unix_secs: friday }).await;
    let w = world_on(app).await;
    let number = w.raise().await;
    let detail = w.detail(&w.worker, &number).await.unwrap();
    // Property: first response in 4 working hours, resolution in 3 working days. One hour
    // on Friday, then the make-up Saturday 14th, then the holiday until Tuesday the 24th.
    let at = |day: &str, hour: i64| {
        app::map::hours::parse_date(day).unwrap() as i64 * 86_400 + hour * 3600 - 8 * 3600
    };
    assert_eq!(friday, at("2026-02-13", 16));
    assert_eq!(detail.first_response_due, at("2026-02-14", 12));
    assert_eq!(detail.resolution_due, at("2026-02-25", 16));
}

#[tokio::test]
async fn a_live_event_crosses_to_another_app_instance() {
    let w = world().await;
    let other = TestApp::spawn_on(&w.app.database_url).await;
    // The building manager watches the inbox on the other instance.
    let topic = format!("building:{}", w.building);
    let response = w
        .manager
        .get(other.url(&format!("/api/live?topics={topic}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream = response.bytes_stream();
    // The stream says it is ready before anything is written.
    let first = tokio::time::timeout(Duration::from_secs(10), stream.next()).await;
    let first =
        String::from_utf8_lossy(&first.expect("ready in time").unwrap().unwrap()).into_owned();
    // With data: a browser's EventSource never dispatches an event whose data is empty.
    assert!(first.contains("event: ready\ndata: ready"), "{first}");
    let number = w.raise().await;
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains(&format!("data: {topic}")) {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .unwrap_or_else(|_| panic!("no change event for {number} within 10 s; saw {seen:?}"))
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: change"), "{seen}");

    // Topics are authorised: a department cannot listen to a building or another department.
    let manager_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = '13800000002'")
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
    for (client, topic) in [
        (&w.other_staff, format!("building:{}", w.building)),
        (&w.other_staff, format!("department:{}", w.department)),
        (&w.worker, "requests".to_owned()),
        (&w.worker, format!("user:{manager_id}")),
    ] {
        let status = client
            .get(other.url(&format!("/api/live?topics={topic}")))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::FORBIDDEN, "{topic}");
    }
    let signed_out = TestApp::client()
        .get(other.url(&format!("/api/live?topics={topic}")))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn similar_resolved_requests_are_found_from_a_chinese_paraphrase() {
    let w = world().await;
    let titles = [
        (
            "地下车库停车位不够",
            "早上九点以后地下车库经常停满，员工只能把车停在路边。",
        ),
        (
            "空调不制冷",
            "12楼东侧办公区下午空调吹出来是热风，室内温度超过三十度。",
        ),
        (
            "营业执照地址变更怎么办理",
            "公司搬到新楼宇，需要变更注册地址，想知道要准备哪些材料。",
        ),
    ];
    let mut numbers = Vec::new();
    for (title, description) in titles {
        let number = w.raise_with(title, description, &[]).await.unwrap();
        numbers.push(number);
    }
    // Only resolved requests are suggested.
    sqlx::query("UPDATE requests SET status = 'closed', resolved_at = now(), summary = '已处理'")
        .execute(&w.app.pool)
        .await
        .unwrap();
    let similar: Vec<SimilarItem> = w
        .app
        .call(
            &w.worker,
            "requests/similar",
            &[("text", "办公室冷气不凉，下午热得坐不住")],
        )
        .await
        .unwrap();
    assert_eq!(
        similar.first().map(|s| s.title.as_str()),
        Some("空调不制冷"),
        "{similar:?}"
    );
    assert_eq!(
        similar[0].number.as_deref(),
        Some(numbers[1].as_str()),
        "the worker's own"
    );
    let similar: Vec<SimilarItem> = w
        .app
        .call(
            &w.other_staff,
            "requests/similar",
            &[("text", "楼下停车位紧张怎么办")],
        )
        .await
        .unwrap();
    assert!(
        similar.is_empty(),
        "a request the reader may not open is not shown at all: {similar:?}"
    );
    let similar: Vec<SimilarItem> = w
        .app
        .call(
            &w.admin,
            "requests/similar",
            &[("text", "楼下停车位紧张怎么办")],
        )
        .await
        .unwrap();
    assert_eq!(similar[0].title, "地下车库停车位不够");
    let nothing: Vec<SimilarItem> = w
        .app
        .call(&w.worker, "requests/similar", &[("text", "今天天气怎么样")])
        .await
        .unwrap();
    assert!(nothing.is_empty(), "{nothing:?}");
}

#[tokio::test]
async fn the_inbox_filters_and_sorts_by_deadline() {
    let w = world().await;
    let first = w.raise().await;
    let second = w.raise().await;
    sqlx::query(
        "UPDATE requests SET first_response_due = now() - interval '1 hour' WHERE number = $1",
    )
    .bind(&second)
    .execute(&w.app.pool)
    .await
    .unwrap();
    let inbox = w.inbox(&w.manager, &[]).await;
    assert_eq!(
        numbers(&inbox),
        vec![second.as_str(), first.as_str()],
        "overdue first"
    );
    assert_eq!(
        inbox.items[0].urgency,
        app::requests::deadlines::Urgency::Overdue
    );
    assert_eq!(
        numbers(&w.inbox(&w.manager, &[("due", "overdue")]).await),
        vec![second.as_str()]
    );
    let other = w.other_building.to_string();
    assert!(w
        .inbox(&w.manager, &[("building", &other)])
        .await
        .items
        .is_empty());
    assert_eq!(
        w.app
            .call::<Inbox>(&w.worker, "requests/inbox", &[])
            .await
            .unwrap_err(),
        (StatusCode::FORBIDDEN, AppError::Forbidden)
    );
    assert_eq!(
        w.app
            .call::<Inbox>(&w.manager, "requests/inbox", &[("due", "soon")])
            .await
            .unwrap_err()
            .0,
        StatusCode::BAD_REQUEST
    );
    let _ = w.other_department;
}

#[tokio::test]
async fn the_admin_edits_the_calendar_and_deadlines_follow_it() {
    let url = support::fresh_database().await;
    // Monday 2027-03-01 16:00 in Shanghai; the admin declares Tuesday a day off.
    let monday = app::map::hours::parse_date("2027-03-01").unwrap() as i64 * 86_400 + 8 * 3600;
    let app = TestApp::spawn_with_clock(&url, Clock::Fixed { unix_secs: monday }).await;
    let w = world_on(app).await;
    let day_off = [
        ("date", "2027-03-02"),
        ("kind", "off"),
        ("note", "测试假日"),
    ];
    assert_eq!(
        w.app
            .call::<()>(&w.manager, "admin/calendar/set", &day_off)
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.app
            .call::<()>(
                &w.admin,
                "admin/calendar/set",
                &[("date", "2027-02-30"), ("kind", "off"), ("note", "")]
            )
            .await
            .unwrap_err()
            .0,
        StatusCode::BAD_REQUEST
    );
    w.app
        .call::<()>(&w.admin, "admin/calendar/set", &day_off)
        .await
        .unwrap();
    let days: Vec<app::requests::admin::CalendarDay> = w
        .app
        .call(&w.admin, "admin/calendar", &[("year", "2027")])
        .await
        .unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].date, "2027-03-02");
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_log WHERE action = 'calendar.set'")
            .await,
        1
    );
    // Property: 4 working hours. One on Monday, Tuesday is off, three on Wednesday.
    let number = w.raise().await;
    let detail = w.detail(&w.worker, &number).await.unwrap();
    let wednesday_noon =
        app::map::hours::parse_date("2027-03-03").unwrap() as i64 * 86_400 + 4 * 3600;
    assert_eq!(detail.first_response_due, wednesday_noon);
}

#[tokio::test]
async fn a_typed_company_waits_for_the_building_manager() {
    let w = world().await;
    w.raise().await;
    let pending: Vec<app::requests::admin::PendingCompany> = w
        .app
        .call(&w.manager, "requests/companies/pending", &[])
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].name, "长寿信息科技有限公司");
    let id = pending[0].id.to_string();
    // Another building's manager cannot confirm it.
    assert!(w
        .app
        .call::<Vec<app::requests::admin::PendingCompany>>(
            &w.staff,
            "requests/companies/pending",
            &[]
        )
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        w.app
            .call::<()>(&w.staff, "requests/companies/confirm", &[("id", &id)])
            .await
            .unwrap_err()
            .0,
        StatusCode::NOT_FOUND
    );
    w.app
        .call::<()>(&w.manager, "requests/companies/confirm", &[("id", &id)])
        .await
        .unwrap();
    let confirmed: bool = sqlx::query_scalar("SELECT confirmed FROM companies")
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
    assert!(confirmed);
}

/// The form to raise a problem arrives whole, not as "loading" to be filled in once the app's
/// code has run: on a slow phone that is seconds sooner.
#[tokio::test]
async fn the_form_to_raise_a_problem_is_rendered_by_the_server() {
    let w = world().await;
    let page = w.app.page(&w.worker, "/requests/new").await;
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    for field in [
        "field-category",
        "field-building",
        "field-title",
        "field-description",
        "field-photos",
    ] {
        assert!(
            main.contains(&format!("id=\"{field}\"")),
            "{field} missing: {main}"
        );
    }
    assert!(main.contains("平高国际大厦"), "{main}");
    assert!(!main.contains("加载中"), "{main}");
}
