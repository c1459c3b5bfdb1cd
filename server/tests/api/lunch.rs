//! Lunch against a real PostgreSQL: the oversell race, idempotent retries, cancelling
//! before and after the cutoff, the subsidy and its daily cap, hand-over at the station,
//! and bad input that changes nothing.

use crate::support;

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
    let point = app.place("新会站", "{service_station,lunch_point}").await;
    let other_point = app.place("苏河站", "{service_station,lunch_point}").await;
    let building = app.place("平高国际大厦", "{building}").await;
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
            &late.signed_in("13800000001").await,
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
            &late.signed_in("13800000001").await,
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

/// A small PNG, as a phone might send for a meal photo.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(width, height, image::Rgb([200, 120, 40]))
        .write_to(&mut bytes, image::ImageFormat::Png)
        .unwrap();
    bytes.into_inner()
}

/// The fields of a good meal form on DAY, with `changes` over them.
fn meal_form<'a>(point: i64, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, String)> {
    let mut fields: Vec<(&str, String)> = vec![
        ("place", point.to_string()),
        ("day", "2026-11-26".into()),
        ("meal", String::new()),
        ("name_zh", "葱油鸡腿饭".into()),
        ("name_en", "Scallion chicken rice".into()),
        ("description", "葱油鸡腿配两样素菜".into()),
        ("tags", "spicy".into()),
        ("allergens", "sesame".into()),
        ("list_price", "26".into()),
        ("discount", "3".into()),
        ("portions", "20".into()),
        ("per_person_limit", "2".into()),
        ("cutoff", "10:30".into()),
        ("pickup_from", "11:30".into()),
        ("pickup_until", "13:30".into()),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((name, (*value).to_owned()));
    }
    fields
}

async fn save_meal(
    w: &World,
    client: &Client,
    fields: &[(&str, String)],
    files: &[Vec<u8>],
) -> Result<i64, (StatusCode, AppError)> {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    w.app
        .call_multipart(client, "lunch/save_meal", &fields, files)
        .await
}

fn lunch_error(field: LunchField, problem: LunchProblem) -> (StatusCode, AppError) {
    (
        StatusCode::BAD_REQUEST,
        AppError::invalid(Field::Lunch(field), Problem::Lunch(problem)),
    )
}

#[tokio::test]
async fn staff_write_the_menu_and_its_price_is_fixed_once_ordered() {
    let w = world(MORNING).await;
    let staff = w.staff("13800000009", w.point).await;
    let other_staff = w.staff("13800000008", w.other_point).await;
    let worker = w.app.signed_up("13800000001").await;

    let meal = save_meal(&w, &staff, &meal_form(w.point, &[]), &[png(800, 600)])
        .await
        .unwrap();
    let menus: app::lunch::DayMenus = w
        .app
        .call(&worker, "lunch_menus", &[("day", "2026-11-26")])
        .await
        .unwrap();
    let shown = &menus
        .points
        .iter()
        .find(|p| p.place_id == w.point)
        .unwrap()
        .meals[0];
    assert_eq!(
        (shown.id, shown.price.list_fen, shown.price.discount_fen),
        (meal, 2600, 300)
    );
    // New meals carry the subsidy rule's amount (¥5 from the migration).
    assert_eq!(shown.price.subsidy_fen, 500);
    assert_eq!(
        (shown.tags.clone(), shown.allergens.clone()),
        (vec!["spicy".to_owned()], vec!["sesame".to_owned()])
    );
    let photo = shown.photo_id.expect("photo stored");
    let served = Client::new()
        .get(w.app.url(&format!("/photos/{photo}/thumb")))
        .send()
        .await
        .unwrap();
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(
        image::load_from_memory(&served.bytes().await.unwrap())
            .unwrap()
            .width(),
        320
    );

    // Only the point's own staff write its menu; a meal is edited only at its own point.
    let meals_before = w.app.count("SELECT count(*) FROM meals").await;
    assert_eq!(
        save_meal(&w, &worker, &meal_form(w.point, &[]), &[])
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
    let id = meal.to_string();
    assert_eq!(
        save_meal(
            &w,
            &other_staff,
            &meal_form(w.other_point, &[("meal", &id)]),
            &[]
        )
        .await
        .unwrap_err(),
        lunch_error(LunchField::Meal, LunchProblem::UnknownMeal)
    );
    // Bad input names the field and adds nothing.
    assert_eq!(
        save_meal(&w, &staff, &meal_form(w.point, &[("discount", "27")]), &[])
            .await
            .unwrap_err(),
        lunch_error(LunchField::Discount, LunchProblem::DiscountOverPrice)
    );
    assert_eq!(
        save_meal(
            &w,
            &staff,
            &meal_form(w.point, &[("day", "2026-11-25")]),
            &[]
        )
        .await
        .unwrap_err(),
        lunch_error(LunchField::Day, LunchProblem::DayInPast)
    );
    assert_eq!(
        save_meal(
            &w,
            &staff,
            &meal_form(w.point, &[("pickup_from", "10:00")]),
            &[]
        )
        .await
        .unwrap_err(),
        lunch_error(LunchField::PickupFrom, LunchProblem::PickupBeforeCutoff)
    );
    assert_eq!(
        w.app.count("SELECT count(*) FROM meals").await,
        meals_before
    );

    // Before any order the price may change.
    save_meal(
        &w,
        &staff,
        &meal_form(w.point, &[("meal", &id), ("list_price", "28")]),
        &[],
    )
    .await
    .unwrap();
    w.order(&worker, meal, "2", "menu-order-01").await.unwrap();
    // After it, the price may not, and portions cannot drop below what is ordered.
    assert_eq!(
        save_meal(
            &w,
            &staff,
            &meal_form(w.point, &[("meal", &id), ("list_price", "30")]),
            &[]
        )
        .await
        .unwrap_err(),
        (
            StatusCode::CONFLICT,
            AppError::Conflict(Conflict::Lunch(LunchRefused::PriceFixed))
        )
    );
    assert_eq!(
        save_meal(
            &w,
            &staff,
            &meal_form(
                w.point,
                &[("meal", &id), ("list_price", "28"), ("portions", "1")]
            ),
            &[]
        )
        .await
        .unwrap_err(),
        lunch_error(
            LunchField::Portions,
            LunchProblem::PortionsBelowOrdered { ordered: 2 }
        )
    );
    let list: i32 = sqlx::query_scalar("SELECT list_fen FROM meals WHERE id = $1")
        .bind(meal)
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
    assert_eq!((list, w.portions_left(meal).await), (2800, 18));
    // More portions, same price: the two ordered stay taken.
    save_meal(
        &w,
        &staff,
        &meal_form(
            w.point,
            &[("meal", &id), ("list_price", "28"), ("portions", "30")],
        ),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(w.portions_left(meal).await, 28);
    let removed = w
        .app
        .call::<()>(
            &staff,
            "lunch/delete_meal",
            &[("place", &w.point.to_string()), ("meal", &id)],
        )
        .await;
    assert_eq!(
        removed.unwrap_err(),
        (
            StatusCode::CONFLICT,
            AppError::Conflict(Conflict::Lunch(LunchRefused::HasOrders))
        )
    );
}

#[tokio::test]
async fn a_day_or_a_week_is_copied_once_and_never_into_the_past() {
    let w = world(MORNING).await;
    let staff = w.staff("13800000009", w.point).await;
    save_meal(&w, &staff, &meal_form(w.point, &[]), &[])
        .await
        .unwrap();
    save_meal(
        &w,
        &staff,
        &meal_form(w.point, &[("name_zh", "番茄牛腩饭")]),
        &[],
    )
    .await
    .unwrap();
    let point = w.point.to_string();
    let copy = |to: &'static str, week: &'static str| {
        let (w, staff, point) = (&w, &staff, point.clone());
        async move {
            w.app
                .call::<i64>(
                    staff,
                    "lunch/copy_menu",
                    &[
                        ("place", &point),
                        ("from", "2026-11-26"),
                        ("to", to),
                        ("week", week),
                    ],
                )
                .await
        }
    };
    assert_eq!(copy("2026-11-27", "").await, Ok(2));
    // Copying again adds nothing: the meals are there by name.
    assert_eq!(copy("2026-11-27", "").await, Ok(0));
    // The week of Monday 11-23 to the week of 11-30: Thursday's and Friday's meals.
    assert_eq!(copy("2026-12-02", "on").await, Ok(4));
    let copied: Vec<(i32, i32)> = sqlx::query_as(
        "SELECT (day - DATE '2026-11-23')::int, portions_left FROM meals
          WHERE day > DATE '2026-11-29' ORDER BY day, id",
    )
    .fetch_all(&w.app.pool)
    .await
    .unwrap();
    assert_eq!(copied, [(10, 20), (10, 20), (11, 20), (11, 20)]);
    let cutoff: String = sqlx::query_scalar(
        "SELECT to_char(cutoff AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') FROM meals
          WHERE day = DATE '2026-12-03' LIMIT 1",
    )
    .fetch_one(&w.app.pool)
    .await
    .unwrap();
    assert_eq!(cutoff, "2026-12-03 10:30");
    assert_eq!(
        copy("2026-11-20", "").await.unwrap_err(),
        lunch_error(LunchField::CopyTo, LunchProblem::DayInPast)
    );
    assert_eq!(
        copy("2026-11-26", "").await.unwrap_err(),
        lunch_error(LunchField::CopyTo, LunchProblem::SameDay)
    );
}

#[tokio::test]
async fn the_admin_sets_the_subsidy_and_ordered_meals_keep_their_price() {
    let w = world(MORNING).await;
    let ordered = w.meal(w.point, 10, 2, (2500, 300, 500)).await;
    let open = w.meal(w.point, 10, 2, (2500, 300, 500)).await;
    let worker = w.app.signed_up("13800000001").await;
    w.order(&worker, ordered, "1", "subsidy-order-1")
        .await
        .unwrap();
    let admin = w.app.admin("13800000006").await;
    let set = |client: &Client, per_meal: &'static str, per_day: &'static str| {
        let (w, client) = (&w, client.clone());
        async move {
            w.app
                .call::<i64>(
                    &client,
                    "lunch/set_subsidy_rule",
                    &[("per_meal", per_meal), ("meals_per_day", per_day)],
                )
                .await
        }
    };
    assert_eq!(
        set(&worker, "8", "1").await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        set(&admin, "eight", "1").await.unwrap_err(),
        lunch_error(LunchField::SubsidyPerMeal, LunchProblem::PriceFormat)
    );
    assert_eq!(
        set(&admin, "8", "9").await.unwrap_err(),
        lunch_error(
            LunchField::SubsidyMealsPerDay,
            LunchProblem::NumberRange { min: 0, max: 5 }
        )
    );
    assert_eq!(set(&admin, "8", "1").await, Ok(1));
    let subsidy = |meal: i64| {
        sqlx::query_scalar::<_, i32>("SELECT subsidy_fen FROM meals WHERE id = $1")
            .bind(meal)
            .fetch_one(&w.app.pool)
    };
    assert_eq!(
        (
            subsidy(ordered).await.unwrap(),
            subsidy(open).await.unwrap()
        ),
        (500, 800)
    );
}

#[tokio::test]
async fn a_survey_is_answered_once_and_its_results_add_up() {
    use app::lunch::survey::{Survey, SurveyResults};
    let w = world(MORNING).await;
    let admin = w.app.admin("13800000006").await;
    let fields = [
        ("title", "十一月午餐调查"),
        ("kind_1", "single"),
        ("prompt_1", "总体满意吗？"),
        ("options_1", "满意\n一般\n不满意"),
        ("kind_2", "multiple"),
        ("prompt_2", "想多吃什么？"),
        ("options_2", "米饭\n面\n沙拉"),
        ("kind_3", "text"),
        ("prompt_3", "还有什么建议？"),
    ];
    let worker = w.app.signed_up("13800000001").await;
    assert_eq!(
        w.app
            .call_multipart::<i64>(&worker, "lunch/create_survey", &fields, &[])
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
    let survey: i64 = w
        .app
        .call_multipart(&admin, "lunch/create_survey", &fields, &[])
        .await
        .unwrap();
    let current: Option<Survey> = w
        .app
        .call(&worker, "lunch/current_survey", &[])
        .await
        .unwrap();
    let current = current.unwrap();
    assert_eq!(
        (current.id, current.answered, current.questions.len()),
        (survey, false, 3)
    );
    let q: Vec<String> = current
        .questions
        .iter()
        .map(|q| format!("q{}", q.id))
        .collect();
    let survey_id = survey.to_string();

    // An unanswered choice question is named, and nothing is recorded.
    let missing = w
        .app
        .call_multipart::<()>(
            &worker,
            "lunch/answer_survey",
            &[("survey", &survey_id), (&q[1], "0")],
            &[],
        )
        .await;
    assert_eq!(
        missing.unwrap_err(),
        lunch_error(
            LunchField::Answer,
            LunchProblem::AnswerRequired { question: 1 }
        )
    );
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM lunch_survey_responses")
            .await,
        0
    );

    // Two tabs submit at once: one response.
    let answer = |client: &Client, choice: &'static str| {
        let (w, client, q, survey_id) = (&w, client.clone(), q.clone(), survey_id.clone());
        async move {
            w.app
                .call_multipart::<()>(
                    &client,
                    "lunch/answer_survey",
                    &[
                        ("survey", &survey_id),
                        (&q[0], choice),
                        (&q[1], "0"),
                        (&q[1], "2"),
                        (&q[2], "多一些素菜"),
                    ],
                    &[],
                )
                .await
        }
    };
    let (a, b) = futures::join!(answer(&worker, "0"), answer(&worker, "0"));
    let mut outcomes = [a.is_ok(), b.is_ok()];
    outcomes.sort();
    assert_eq!(outcomes, [false, true]);
    assert_eq!(
        a.err().or(b.err()).unwrap(),
        (
            StatusCode::CONFLICT,
            AppError::Conflict(Conflict::Lunch(LunchRefused::SurveyAnswered))
        )
    );
    let others = w.app.quick_users(13_700_000_000, 3).await;
    for (client, choice) in others.iter().zip(["0", "1", "1"]) {
        answer(client, choice).await.unwrap();
    }
    let results: SurveyResults = w
        .app
        .call(&admin, "lunch/survey_results", &[("survey", &survey_id)])
        .await
        .unwrap();
    assert_eq!(results.responses, 4);
    assert_eq!(results.questions[0].counts, [2, 2, 0]);
    assert_eq!(results.questions[1].counts, [4, 0, 4]);
    assert_eq!(results.questions[2].texts.len(), 4);
    let chart = results.questions[0].chart.as_deref().unwrap();
    assert!(chart.contains("满意") && chart.contains("</svg>"));

    // Closed: no more answers.
    w.app
        .call::<()>(&admin, "lunch/close_survey", &[("survey", &survey_id)])
        .await
        .unwrap();
    let late = w.app.signed_up("13800000002").await;
    assert_eq!(
        answer(&late, "0").await.unwrap_err(),
        (
            StatusCode::CONFLICT,
            AppError::Conflict(Conflict::Lunch(LunchRefused::SurveyClosed))
        )
    );
    let none: Option<Survey> = w
        .app
        .call(&late, "lunch/current_survey", &[])
        .await
        .unwrap();
    assert_eq!(none, None);
}

#[tokio::test]
async fn the_console_exports_the_day_and_delivery_orders_name_their_building() {
    let w = world(MORNING).await;
    // 盒马 delivers to the worker's building.
    sqlx::query(
        "UPDATE lunch_points SET fulfilment = 'delivery', payment = 'prepaid' WHERE place_id = $1",
    )
    .bind(w.other_point)
    .execute(&w.app.pool)
    .await
    .unwrap();
    let delivered = w.meal(w.other_point, 10, 2, (2500, 300, 500)).await;
    let worker = w.app.signed_up("13800000001").await;
    let fields = |building: &str| {
        vec![
            ("meal", delivered.to_string()),
            ("quantity", "1".to_owned()),
            ("attempt", format!("delivery-{building}-1")),
            ("delivery_building", building.to_owned()),
        ]
    };
    let call = |fields: Vec<(&'static str, String)>| {
        let (w, worker) = (&w, worker.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
            w.app.call::<Order>(&worker, "place_order", &fields).await
        }
    };
    assert_eq!(
        call(fields("")).await.unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(
                Field::Lunch(LunchField::DeliveryBuilding),
                Problem::Required
            )
        )
    );
    assert_eq!(
        call(fields(&w.point.to_string())).await.unwrap_err(),
        lunch_error(LunchField::DeliveryBuilding, LunchProblem::UnknownBuilding)
    );
    let order = call(fields(&w.building.to_string())).await.unwrap();
    assert_eq!(order.delivery_building.as_deref(), Some("平高国际大厦"));

    let staff = w.staff("13800000009", w.other_point).await;
    let csv = |client: &Client, place: i64| {
        client
            .get(
                w.app
                    .url(&format!("/lunch/station.csv?place={place}&day=2026-11-26")),
            )
            .send()
    };
    let response = csv(&staff, w.other_point).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("lunch-orders-"));
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("取餐码"));
    assert!(lines[1].starts_with(&order.pickup_code) && lines[1].contains("平高国际大厦"));
    // Another point's staff get nothing of it.
    let other = w.staff("13800000008", w.point).await;
    assert_eq!(
        csv(&other, w.other_point).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}
