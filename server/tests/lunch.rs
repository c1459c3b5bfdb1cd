//! Lunch against a real PostgreSQL: the oversell race, idempotent retries, cancelling
//! before and after the cutoff, the subsidy and its daily cap, hand-over at the station,
//! and bad input that changes nothing.

mod support;

use app::error::{AppError, Conflict, Field, Problem};
use app::lunch::{LunchField, LunchProblem, LunchRefused, Order, OrderStatus, StationDay};
use app::state::Clock;
use reqwest::{Client, StatusCode};
use support::TestApp;

/// 2026-11-26, a Thursday and a working day, as a Shanghai day number.
const DAY: i64 = 20_783;

fn at(minute: i64) -> Clock {
    Clock::Fixed {
        unix_secs: DAY * 86_400 + minute * 60 - 8 * 3600,
    }
}

/// 09:00 in Shanghai: ordering is open until 10:30.
const MORNING: i64 = 9 * 60;
const CUTOFF: i64 = 10 * 60 + 30;

/// Two lunch points with a merchant, a building with a confirmed company, and a meal.
struct World {
    app: TestApp,
    point: i64,
    other_point: i64,
    building: i64,
}

async fn world(minute: i64) -> World {
    let app = TestApp::spawn_with_clock(&support::fresh_database().await, at(minute)).await;
    world_on(app).await
}

async fn world_on(app: TestApp) -> World {
    let place = |name: &str, kinds: &str| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO places (name_zh, name_en, kinds, address_zh, lat, lon)
             VALUES ($1, $1, $2::text[], '长寿路', 31.24, 121.44) RETURNING id",
        )
        .bind(name.to_owned())
        .bind(kinds.to_owned())
    };
    let point = place("新会站", "{service_station,lunch_point}")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let other_point = place("苏河站", "{service_station,lunch_point}")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let building = place("平高国际大厦", "{building}")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "WITH m AS (INSERT INTO merchants (name_zh, name_en) VALUES ('顺风大酒店', 'Shunfeng')
                    RETURNING id)
         INSERT INTO lunch_points (place_id, merchant_id, fulfilment, payment)
         SELECT p, m.id, 'pickup', 'at_pickup' FROM m, unnest(ARRAY[$1, $2]::bigint[]) AS p",
    )
    .bind(point)
    .bind(other_point)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO companies (building_id, name, confirmed) VALUES ($1, '申普信息科技有限公司', true)",
    )
    .bind(building)
    .execute(&app.pool)
    .await
    .unwrap();
    World {
        app,
        point,
        other_point,
        building,
    }
}

impl World {
    /// A meal on DAY at `point`: ordering until 10:30, pickup 11:30–13:30, in fen.
    async fn meal(&self, point: i64, portions: i32, limit: i32, price: (i32, i32, i32)) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO meals (lunch_point_id, day, name_zh, list_fen, discount_fen, subsidy_fen,
                                portions, portions_left, per_person_limit, orders_open, cutoff,
                                pickup_from, pickup_until)
             VALUES ($1, DATE '1970-01-01' + $2::int, '红烧肉套餐', $3, $4, $5, $6, $6, $7,
                     (DATE '1970-01-01' + $2::int - 1)::timestamp AT TIME ZONE 'Asia/Shanghai',
                     (DATE '1970-01-01' + $2::int + time '10:30') AT TIME ZONE 'Asia/Shanghai',
                     (DATE '1970-01-01' + $2::int + time '11:30') AT TIME ZONE 'Asia/Shanghai',
                     (DATE '1970-01-01' + $2::int + time '13:30') AT TIME ZONE 'Asia/Shanghai')
             RETURNING id",
        )
        .bind(point)
        .bind(DAY as i32)
        .bind(price.0)
        .bind(price.1)
        .bind(price.2)
        .bind(portions)
        .bind(limit)
        .fetch_one(&self.app.pool)
        .await
        .unwrap()
    }

    async fn order(
        &self,
        client: &Client,
        meal: i64,
        quantity: &str,
        attempt: &str,
    ) -> Result<Order, (StatusCode, AppError)> {
        self.app
            .call(
                client,
                "place_order",
                &[
                    ("meal", &meal.to_string()),
                    ("quantity", quantity),
                    ("attempt", attempt),
                ],
            )
            .await
    }

    async fn portions_left(&self, meal: i64) -> i32 {
        sqlx::query_scalar("SELECT portions_left FROM meals WHERE id = $1")
            .bind(meal)
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }

    /// A station staff member of `point`.
    async fn staff(&self, phone: &str, point: i64) -> Client {
        let client = self.app.signed_up(phone).await;
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, place_id)
             SELECT id, 'station_staff', $2 FROM users WHERE phone = $1",
        )
        .bind(phone)
        .bind(point)
        .execute(&self.app.pool)
        .await
        .unwrap();
        client
    }
}

fn attempt(n: usize) -> String {
    format!("attempt-{n:08}")
}

#[tokio::test]
async fn a_hundred_parallel_attempts_on_ten_portions_sell_exactly_ten() {
    let w = world(MORNING).await;
    let meal = w.meal(w.point, 10, 2, (2500, 300, 500)).await;
    let clients = w.app.quick_users(13_700_000_000, 100).await;
    let attempts = clients.iter().enumerate().map(|(i, client)| {
        let w = &w;
        async move { w.order(client, meal, "1", &attempt(i)).await }
    });
    let results = futures::future::join_all(attempts).await;
    let accepted: Vec<&Order> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(accepted.len(), 10);
    for refused in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(
            refused,
            &(
                StatusCode::CONFLICT,
                AppError::Conflict(Conflict::Lunch(LunchRefused::SoldOut))
            )
        );
    }
    assert_eq!(w.portions_left(meal).await, 0);
    assert_eq!(
        w.app
            .count("SELECT coalesce(sum(quantity), 0) FROM lunch_orders WHERE status = 'ordered'")
            .await,
        10
    );
    let mut codes: Vec<&str> = accepted.iter().map(|o| o.pickup_code.as_str()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 10, "every order has its own code");
}

#[tokio::test]
async fn a_retried_or_doubled_attempt_makes_one_order() {
    let w = world(MORNING).await;
    let meal = w.meal(w.point, 20, 2, (2500, 300, 500)).await;
    let worker = w.app.signed_up("13800000001").await;
    let (a, b) = futures::join!(
        w.order(&worker, meal, "1", "tap-twice-0001"),
        w.order(&worker, meal, "1", "tap-twice-0001")
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.id, b.id);
    let again = w.order(&worker, meal, "1", "tap-twice-0001").await.unwrap();
    assert_eq!(again.id, a.id);
    assert_eq!(w.portions_left(meal).await, 19);
    assert_eq!(w.app.count("SELECT count(*) FROM lunch_orders").await, 1);
}

#[tokio::test]
async fn cancelling_before_the_cutoff_gives_the_portions_back_and_after_it_is_refused() {
    let w = world(MORNING).await;
    let meal = w.meal(w.point, 5, 2, (2500, 300, 500)).await;
    let worker = w.app.signed_up("13800000001").await;
    let order = w.order(&worker, meal, "2", "cancel-me-01").await.unwrap();
    assert_eq!(w.portions_left(meal).await, 3);
    let cancelled: Order = w
        .app
        .call(
            &worker,
            "cancel_lunch_order",
            &[("order", &order.id.to_string())],
        )
        .await
        .unwrap();
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    assert_eq!(w.portions_left(meal).await, 5);
    let twice = w
        .app
        .call::<Order>(
            &worker,
            "cancel_lunch_order",
            &[("order", &order.id.to_string())],
        )
        .await;
    assert_eq!(
        twice.unwrap_err().1,
        AppError::Conflict(Conflict::Lunch(LunchRefused::AlreadyCancelled))
    );

    // Ordered before the cutoff, cancelled at 10:30 sharp: refused, nothing changes.
    let kept = w.order(&worker, meal, "1", "keep-me-0001").await.unwrap();
    let late = TestApp::spawn_with_clock(&w.app.database_url, at(CUTOFF)).await;
    let refused = late
        .call::<Order>(
            &worker_on(&late, "13800000001").await,
            "cancel_lunch_order",
            &[("order", &kept.id.to_string())],
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        (
            StatusCode::CONFLICT,
            AppError::Conflict(Conflict::Lunch(LunchRefused::PastCutoff))
        )
    );
    assert_eq!(w.portions_left(meal).await, 4);
    let too_late = late
        .call::<Order>(
            &worker_on(&late, "13800000001").await,
            "place_order",
            &[
                ("meal", &meal.to_string()),
                ("quantity", "1"),
                ("attempt", "too-late-0001"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(
        too_late.1,
        AppError::Conflict(Conflict::Lunch(LunchRefused::PastCutoff))
    );
}

/// The same user signed in on another app instance (a session works on every instance).
async fn worker_on(app: &TestApp, phone: &str) -> Client {
    let client = TestApp::client();
    app.call::<()>(
        &client,
        "sign_in",
        &[("phone", phone), ("password", support::PASSWORD)],
    )
    .await
    .expect("sign in");
    client
}

#[tokio::test]
async fn the_subsidy_goes_to_workers_here_once_a_day() {
    let w = world(MORNING).await;
    let meal = w.meal(w.point, 50, 3, (2500, 300, 500)).await;
    let outsider = w.app.signed_up("13800000001").await;
    let local = w.app.signed_up("13800000002").await;
    // The local worker names a listed, confirmed company; the outsider types a new one,
    // which waits for the building manager and so brings no subsidy yet.
    let building = w.building.to_string();
    let _: () = w
        .app
        .call(
            &local,
            "set_my_company",
            &[("building", &building), ("company", "申普信息科技有限公司")],
        )
        .await
        .unwrap();
    let _: () = w
        .app
        .call(
            &outsider,
            "set_my_company",
            &[("building", &building), ("company", "某某外区公司")],
        )
        .await
        .unwrap();

    let outside = w
        .order(&outsider, meal, "1", "outsider-0001")
        .await
        .unwrap();
    assert_eq!(
        (outside.split.subsidy_fen, outside.split.pay_fen),
        (0, 2200)
    );
    let first = w.order(&local, meal, "2", "local-first-1").await.unwrap();
    assert_eq!(first.subsidised_meals, 1);
    assert_eq!(
        (
            first.split.list_fen,
            first.split.discount_fen,
            first.split.subsidy_fen,
            first.split.pay_fen
        ),
        (5000, 600, 500, 3900)
    );
    let second = w.order(&local, meal, "1", "local-second1").await.unwrap();
    assert_eq!((second.subsidised_meals, second.split.pay_fen), (0, 2200));

    let bad = w
        .app
        .call::<()>(
            &local,
            "set_my_company",
            &[("building", "999999"), ("company", "申普")],
        )
        .await
        .unwrap_err();
    assert_eq!(
        bad.1,
        AppError::invalid(
            Field::Lunch(LunchField::Building),
            Problem::Lunch(LunchProblem::UnknownBuilding)
        )
    );
}

#[tokio::test]
async fn only_the_points_staff_hand_over_its_orders_by_code() {
    let w = world(12 * 60).await;
    let meal = w.meal(w.point, 10, 2, (2500, 300, 500)).await;
    let other_meal = w.meal(w.other_point, 10, 2, (2500, 300, 500)).await;
    // Ordered in the morning, picked up at noon.
    let morning = TestApp::spawn_with_clock(&w.app.database_url, at(MORNING)).await;
    let worker = morning.signed_up("13800000001").await;
    let order: Order = morning
        .call(
            &worker,
            "place_order",
            &[
                ("meal", &meal.to_string()),
                ("quantity", "1"),
                ("attempt", "pickup-me-01"),
            ],
        )
        .await
        .unwrap();
    let elsewhere: Order = morning
        .call(
            &worker,
            "place_order",
            &[
                ("meal", &other_meal.to_string()),
                ("quantity", "1"),
                ("attempt", "elsewhere-01"),
            ],
        )
        .await
        .unwrap();
    let staff = w.staff("13800000002", w.point).await;
    let other_staff = w.staff("13800000003", w.other_point).await;
    let hand = |client: &Client, place: i64, code: &str| {
        let (client, code) = (client.clone(), code.to_owned());
        let app = w.app.clone();
        async move {
            app.call::<Order>(
                &client,
                "hand_over",
                &[
                    ("place", &place.to_string()),
                    ("code", &code),
                    ("payment", "wechat"),
                ],
            )
            .await
        }
    };

    // Staff of the other point, and a plain worker, may not.
    assert_eq!(
        hand(&other_staff, w.point, &order.pickup_code)
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        hand(&worker, w.point, &order.pickup_code)
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
    // A code of another station is not found here (unless the codes happen to match).
    if elsewhere.pickup_code != order.pickup_code {
        assert_eq!(
            hand(&staff, w.point, &elsewhere.pickup_code)
                .await
                .unwrap_err()
                .1,
            AppError::invalid(
                Field::Lunch(LunchField::PickupCode),
                Problem::Lunch(LunchProblem::CodeNotHere)
            )
        );
    }
    assert_eq!(
        hand(&staff, w.point, "12a4").await.unwrap_err().1,
        AppError::invalid(
            Field::Lunch(LunchField::PickupCode),
            Problem::Lunch(LunchProblem::CodeFormat)
        )
    );
    // The station's own staff hand it over, by typed code or by the QR code's text.
    let scanned = format!("zd:lunch:{}:{}", w.point, order.pickup_code);
    let handed = hand(&staff, w.point, &scanned).await.unwrap();
    assert_eq!(handed.status, OrderStatus::PickedUp);
    assert_eq!(
        hand(&staff, w.point, &order.pickup_code)
            .await
            .unwrap_err()
            .1,
        AppError::Conflict(Conflict::Lunch(LunchRefused::AlreadyPickedUp))
    );
    let paid: (String, i32) =
        sqlx::query_as("SELECT payment_method, paid_fen FROM lunch_orders WHERE id = $1")
            .bind(order.id)
            .fetch_one(&w.app.pool)
            .await
            .unwrap();
    assert_eq!(paid, ("wechat".to_owned(), order.split.pay_fen));

    let day: Option<StationDay> = w
        .app
        .call(
            &staff,
            "station_day",
            &[("place", &w.point.to_string()), ("day", "")],
        )
        .await
        .unwrap();
    let day = day.unwrap();
    assert_eq!(day.orders.len(), 1);
    assert_eq!(day.meals, vec![("红烧肉套餐".to_owned(), 1, 1)]);
    // Only the worker's own QR code is served.
    let qr = |client: &Client| {
        client
            .get(w.app.url(&format!("/lunch/orders/{}/qr.svg", order.id)))
            .send()
    };
    let mine = qr(&worker).await.unwrap();
    assert_eq!(mine.status(), StatusCode::OK);
    assert!(mine.text().await.unwrap().contains("<svg"));
    assert_eq!(qr(&staff).await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_orders_name_the_field_and_change_nothing() {
    let w = world(MORNING).await;
    let meal = w.meal(w.point, 10, 2, (2500, 300, 500)).await;
    let worker = w.app.signed_up("13800000001").await;
    for quantity in ["0", "1000", "-1", "两份"] {
        let refused = w
            .order(&worker, meal, quantity, "bad-quantity1")
            .await
            .unwrap_err();
        assert_eq!(refused.0, StatusCode::BAD_REQUEST);
        assert!(
            matches!(
                refused.1,
                AppError::Invalid {
                    field: Field::Lunch(LunchField::Quantity),
                    ..
                }
            ),
            "{quantity}: {refused:?}"
        );
    }
    let unknown = w
        .order(&worker, 999_999, "1", "bad-meal-0001")
        .await
        .unwrap_err();
    assert_eq!(
        unknown.1,
        AppError::invalid(
            Field::Lunch(LunchField::Meal),
            Problem::Lunch(LunchProblem::UnknownMeal)
        )
    );
    let key = w.order(&worker, meal, "1", "no").await.unwrap_err();
    assert_eq!(
        key.1,
        AppError::invalid(
            Field::Lunch(LunchField::Attempt),
            Problem::Lunch(LunchProblem::AttemptFormat)
        )
    );
    // Three portions when the limit is two a person.
    let over = w
        .order(&worker, meal, "3", "over-limit-01")
        .await
        .unwrap_err();
    assert_eq!(
        over.1,
        AppError::Conflict(Conflict::Lunch(LunchRefused::OverPersonalLimit { left: 2 }))
    );
    let signed_out = w
        .order(&TestApp::client(), meal, "1", "anonymous-01")
        .await
        .unwrap_err();
    assert_eq!(signed_out.0, StatusCode::UNAUTHORIZED);
    assert_eq!(w.portions_left(meal).await, 10);
    assert_eq!(w.app.count("SELECT count(*) FROM lunch_orders").await, 0);

    // Once someone ordered, the price stays.
    w.order(&worker, meal, "1", "first-order-1").await.unwrap();
    let changed = sqlx::query("UPDATE meals SET list_fen = 9900 WHERE id = $1")
        .bind(meal)
        .execute(&w.app.pool)
        .await
        .unwrap_err();
    assert_eq!(
        changed.as_database_error().and_then(|e| e.constraint()),
        Some("meals_price_fixed")
    );
}

#[tokio::test]
async fn menus_show_the_split_and_portions_left() {
    let w = world(MORNING).await;
    let meal = w.meal(w.point, 10, 2, (2500, 300, 500)).await;
    let anonymous = TestApp::client();
    let menus: app::lunch::DayMenus = w
        .app
        .call(&anonymous, "lunch_menus", &[("day", "2026-11-26")])
        .await
        .unwrap();
    assert_eq!(menus.points.len(), 1, "{menus:?}");
    let shown = &menus.points[0].meals[0];
    assert_eq!(shown.id, meal);
    assert_eq!((shown.split.pay_fen, shown.portions_left), (1700, 10));
    let bad_day = w
        .app
        .call::<app::lunch::DayMenus>(&anonymous, "lunch_menus", &[("day", "明天")])
        .await
        .unwrap_err();
    assert_eq!(bad_day.0, StatusCode::BAD_REQUEST);
    let page = w.app.page(&anonymous, "/lunch?day=2026-11-26").await;
    for text in [
        "红烧肉套餐",
        "剩 10 / 10 份",
        "原价 ¥25",
        "商户让利 −¥3",
        "政府补贴 −¥5",
        "实付 ¥17",
    ] {
        assert!(page.contains(text), "{text} missing");
    }
}

#[tokio::test]
async fn the_settlement_adds_up_to_the_orders_to_the_fen() {
    let w = world(MORNING).await;
    let meal = w.meal(w.point, 50, 3, (2590, 310, 500)).await;
    let other = w.meal(w.other_point, 50, 3, (1990, 0, 500)).await;
    let workers = w.app.quick_users(13_600_000_000, 12).await;
    let building = w.building.to_string();
    for (i, worker) in workers.iter().enumerate() {
        if i % 2 == 0 {
            let _: () = w
                .app
                .call(
                    worker,
                    "set_my_company",
                    &[("building", &building), ("company", "申普信息科技有限公司")],
                )
                .await
                .unwrap();
        }
        let which = if i % 3 == 0 { other } else { meal };
        let order = w
            .order(worker, which, &(1 + i % 3).to_string(), &attempt(i))
            .await
            .unwrap();
        if i % 5 == 0 {
            let _: Order = w
                .app
                .call(
                    worker,
                    "cancel_lunch_order",
                    &[("order", &order.id.to_string())],
                )
                .await
                .unwrap();
        }
    }
    let admin = w.app.admin("13800000009").await;
    let settlement: app::lunch::settlement::Settlement = w
        .app
        .call(&admin, "lunch_settlement", &[("month", "2026-11")])
        .await
        .unwrap();
    let grand = settlement.totals.last().unwrap();
    let sums: (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT sum(quantity), sum(list_fen), sum(discount_fen), sum(subsidy_fen), sum(pay_fen)
           FROM lunch_orders WHERE status <> 'cancelled'",
    )
    .fetch_one(&w.app.pool)
    .await
    .unwrap();
    assert_eq!(
        (
            grand.portions,
            grand.list_fen,
            grand.discount_fen,
            grand.subsidy_fen,
            grand.pay_fen
        ),
        sums
    );
    assert_eq!(
        grand.list_fen,
        grand.discount_fen + grand.subsidy_fen + grand.pay_fen
    );
    assert!(grand.subsidy_fen > 0 && grand.subsidy_fen < grand.portions * 500);

    let csv = admin
        .get(w.app.url("/lunch/settlement.csv?month=2026-11"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    let total_line = csv.lines().last().unwrap();
    assert_eq!(
        total_line,
        format!(
            ",合计,{},{}",
            sums.0,
            [sums.1, sums.2, sums.3, sums.4]
                .map(|fen| app::lunch::price::yuan(fen as i32))
                .join(",")
        )
    );

    let worker = &workers[0];
    let refused = w
        .app
        .call::<app::lunch::settlement::Settlement>(
            worker,
            "lunch_settlement",
            &[("month", "2026-11")],
        )
        .await
        .unwrap_err();
    assert_eq!(refused.0, StatusCode::FORBIDDEN);
    let bad = w
        .app
        .call::<app::lunch::settlement::Settlement>(
            &admin,
            "lunch_settlement",
            &[("month", "十一月")],
        )
        .await
        .unwrap_err();
    assert_eq!(
        bad.1,
        AppError::invalid(
            Field::Lunch(LunchField::Month),
            Problem::Lunch(LunchProblem::MonthFormat)
        )
    );
}
