//! The SQL of lunch. An order takes its portions with one conditional UPDATE, so the last
//! portion goes to exactly one order however many arrive at once; each worker's orders
//! are taken one at a time (their user row is locked), so their daily limits and subsidy
//! cap hold across tabs and retries.

use super::price::{order_split, split, MealPrice, PriceSplit, SubsidyRule};
use super::window::{Phase, Windows};
use super::*;
use crate::accounts::auth::Caller;
use crate::accounts::roles::{is_admin, Role};
use crate::i18n::Locale;
use crate::live::{publish, Topic};
use crate::state::AppState;
use sqlx::{PgConnection, PgPool, Row};

/// What the subsidy rule says about one worker on one day.
struct Subsidy {
    rule: SubsidyRule,
    qualifies: bool,
    used_today: i32,
    company: Option<String>,
    /// The worker's building, for "nearest first".
    building: Option<(f64, f64)>,
}

/// The subdistrict's subsidy rule as the admin set it.
pub async fn subsidy_rule(db: impl sqlx::PgExecutor<'_>) -> Result<SubsidyRule, AppError> {
    let (per_meal_fen, meals_per_day) =
        sqlx::query_as("SELECT per_meal_fen, meals_per_day FROM lunch_subsidy")
            .fetch_one(db)
            .await?;
    Ok(SubsidyRule {
        per_meal_fen,
        meals_per_day,
    })
}

async fn subsidy(db: &mut PgConnection, user: Option<i64>, day: i32) -> Result<Subsidy, AppError> {
    let rule = subsidy_rule(&mut *db).await?;
    // Workers of a confirmed company in one of the subdistrict's buildings qualify.
    let row = match user {
        Some(user) => sqlx::query(
            "SELECT c.name, c.confirmed AND 'building' = ANY (b.kinds) AS qualifies, b.lat, b.lon,
                    (SELECT coalesce(sum(subsidised_meals), 0)::int FROM lunch_orders o
                      WHERE o.user_id = $1 AND o.day = DATE '1970-01-01' + $2::int
                        AND o.status <> 'cancelled') AS used
               FROM worker_companies w
               JOIN companies c ON c.id = w.company_id
               JOIN places b ON b.id = c.building_id
              WHERE w.user_id = $1",
        )
        .bind(user)
        .bind(day)
        .fetch_optional(&mut *db)
        .await?,
        None => None,
    };
    Ok(match row {
        Some(row) => Subsidy {
            rule,
            qualifies: row.get("qualifies"),
            used_today: row.get("used"),
            company: Some(row.get("name")),
            building: Some((row.get("lat"), row.get("lon"))),
        },
        None => Subsidy {
            rule,
            qualifies: false,
            used_today: 0,
            company: None,
            building: None,
        },
    })
}

/// A lunch point's name in the reader's language, and whether it delivers.
pub async fn point_name(
    pool: &PgPool,
    place: i64,
    locale: Locale,
) -> Result<(String, bool), AppError> {
    let (name, fulfilment): (String, String) = sqlx::query_as(
        "SELECT CASE WHEN $2 THEN p.name_zh ELSE p.name_en END, lp.fulfilment
           FROM lunch_points lp JOIN places p ON p.id = lp.place_id WHERE lp.place_id = $1",
    )
    .bind(place)
    .bind(locale == Locale::Zh)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((name, fulfilment == "delivery"))
}

fn windows(row: &sqlx::postgres::PgRow) -> Windows {
    Windows {
        orders_open: row.get("orders_open"),
        cutoff: row.get("cutoff"),
        pickup_from: row.get("pickup_from"),
        pickup_until: row.get("pickup_until"),
    }
}

const WINDOWS: &str = "extract(epoch FROM m.orders_open)::bigint AS orders_open,
    extract(epoch FROM m.cutoff)::bigint AS cutoff,
    extract(epoch FROM m.pickup_from)::bigint AS pickup_from,
    extract(epoch FROM m.pickup_until)::bigint AS pickup_until";

pub async fn day_menus(
    state: &AppState,
    user: Option<i64>,
    day: i32,
    locale: Locale,
) -> Result<DayMenus, AppError> {
    let now = state.clock.unix_secs();
    let today = state.clock.shanghai_now().day;
    let mut db = state.pool.acquire().await?;
    let subsidy = subsidy(&mut db, user, day).await?;
    let zh = locale == Locale::Zh;
    let (lat, lon) = subsidy.building.unwrap_or((0.0, 0.0));
    let points = sqlx::query(
        "SELECT p.id, CASE WHEN $2 THEN p.name_zh ELSE p.name_en END AS name,
                CASE WHEN $2 THEN p.address_zh ELSE p.address_en END AS address,
                CASE WHEN $2 THEN m.name_zh ELSE m.name_en END AS merchant, lp.fulfilment,
                CASE WHEN $3 THEN round(6371000 * sqrt(power(radians(p.lat - $4), 2)
                     + power(radians(p.lon - $5) * cos(radians($4)), 2)))::int END AS distance
           FROM lunch_points lp
           JOIN places p ON p.id = lp.place_id
           JOIN merchants m ON m.id = lp.merchant_id
          WHERE NOT p.hidden
            AND EXISTS (SELECT 1 FROM meals WHERE lunch_point_id = lp.place_id
                           AND day = DATE '1970-01-01' + $1::int)
          ORDER BY distance NULLS LAST, p.id",
    )
    .bind(day)
    .bind(zh)
    .bind(subsidy.building.is_some())
    .bind(lat)
    .bind(lon)
    .fetch_all(&mut *db)
    .await?;
    let meals = sqlx::query(&format!(
        "SELECT m.id, m.lunch_point_id,
                CASE WHEN $2 OR m.name_en = '' THEN m.name_zh ELSE m.name_en END AS name,
                m.description, m.tags, m.allergens, m.list_fen, m.discount_fen, m.subsidy_fen,
                m.portions, m.portions_left, m.per_person_limit, m.photo_id, {WINDOWS},
                (SELECT coalesce(sum(quantity), 0)::int FROM lunch_orders o
                  WHERE o.meal_id = m.id AND o.user_id = $3 AND o.status <> 'cancelled') AS mine,
                r.average, coalesce(r.count, 0) AS rating_count
           FROM meals m
           LEFT JOIN LATERAL (
                SELECT avg(o.rating)::real AS average, count(o.rating) AS count
                  FROM lunch_orders o JOIN meals same ON same.id = o.meal_id
                 WHERE same.lunch_point_id = m.lunch_point_id AND same.name_zh = m.name_zh
                   AND o.rating IS NOT NULL) r ON true
          WHERE m.day = DATE '1970-01-01' + $1::int
          ORDER BY m.lunch_point_id, m.id"
    ))
    .bind(day)
    .bind(zh)
    .bind(user.unwrap_or(0))
    .fetch_all(&mut *db)
    .await?;
    // Signed out, show the subsidised price: what a worker here would pay.
    let subsidised_now =
        user.is_none() || (subsidy.qualifies && subsidy.used_today < subsidy.rule.meals_per_day);
    let mut points: Vec<PointMenu> = points
        .into_iter()
        .map(|row| PointMenu {
            place_id: row.get("id"),
            name: row.get("name"),
            address: row.get("address"),
            merchant: row.get("merchant"),
            fulfilment: fulfilment(row.get("fulfilment")),
            distance_m: row.get("distance"),
            meals: Vec::new(),
        })
        .collect();
    for row in meals {
        let point_id: i64 = row.get("lunch_point_id");
        let Some(point) = points.iter_mut().find(|p| p.place_id == point_id) else {
            continue;
        };
        let price = MealPrice {
            list_fen: row.get("list_fen"),
            discount_fen: row.get("discount_fen"),
            subsidy_fen: row.get("subsidy_fen"),
        };
        let windows = windows(&row);
        point.meals.push(Meal {
            id: row.get("id"),
            name: row.get("name"),
            description: row.get("description"),
            tags: row.get("tags"),
            allergens: row.get("allergens"),
            price,
            split: split(price, subsidised_now),
            portions: row.get("portions"),
            portions_left: row.get("portions_left"),
            per_person_limit: row.get("per_person_limit"),
            mine: row.get("mine"),
            windows,
            phase: windows.phase(now),
            rating_average: row.get("average"),
            rating_count: row.get("rating_count"),
            photo_id: row.get("photo_id"),
        });
    }
    let buildings = sqlx::query_as(
        "SELECT id, CASE WHEN $1 THEN name_zh ELSE name_en END FROM places
          WHERE 'building' = ANY (kinds) AND NOT hidden ORDER BY name_zh",
    )
    .bind(zh)
    .fetch_all(&mut *db)
    .await?;
    Ok(DayMenus {
        day,
        today,
        points,
        subsidised: subsidy.qualifies,
        company: subsidy.company,
        buildings,
        signed_in: user.is_some(),
    })
}

fn fulfilment(text: String) -> Fulfilment {
    if text == "delivery" {
        Fulfilment::Delivery
    } else {
        Fulfilment::Pickup
    }
}

/// Every column an `Order` is read from; `$1` is whether the reader reads Chinese.
fn order_select(filter: &str) -> String {
    format!(
        "SELECT o.id, o.meal_id, CASE WHEN $1 OR m.name_en = '' THEN m.name_zh ELSE m.name_en END AS meal,
                o.lunch_point_id, CASE WHEN $1 THEN p.name_zh ELSE p.name_en END AS lunch_point,
                (o.day - DATE '1970-01-01') AS day, o.quantity, o.list_fen, o.discount_fen,
                o.subsidy_fen, o.pay_fen, o.subsidised_meals, o.pickup_code, o.status,
                CASE WHEN $1 THEN b.name_zh ELSE b.name_en END AS delivery_building,
                o.payment_method, u.display_name AS customer, o.rating, {WINDOWS}
           FROM lunch_orders o
           JOIN meals m ON m.id = o.meal_id
           JOIN places p ON p.id = o.lunch_point_id
           JOIN users u ON u.id = o.user_id
           LEFT JOIN places b ON b.id = o.delivery_building_id
          WHERE {filter}"
    )
}

fn order_from(row: &sqlx::postgres::PgRow, now: i64) -> Order {
    let windows = windows(row);
    Order {
        id: row.get("id"),
        meal_id: row.get("meal_id"),
        meal: row.get("meal"),
        lunch_point_id: row.get("lunch_point_id"),
        lunch_point: row.get("lunch_point"),
        day: row.get("day"),
        quantity: row.get("quantity"),
        split: PriceSplit {
            list_fen: row.get("list_fen"),
            discount_fen: row.get("discount_fen"),
            subsidy_fen: row.get("subsidy_fen"),
            pay_fen: row.get("pay_fen"),
        },
        subsidised_meals: row.get("subsidised_meals"),
        pickup_code: row.get("pickup_code"),
        status: OrderStatus::parse(row.get("status")).unwrap_or(OrderStatus::Ordered),
        windows,
        phase: windows.phase(now),
        delivery_building: row.get("delivery_building"),
        payment: row
            .get::<Option<&str>, _>("payment_method")
            .and_then(PaymentMethod::parse),
        customer: row.get("customer"),
        rating: row.get("rating"),
    }
}

async fn order_by_id(db: &mut PgConnection, id: i64, now: i64) -> Result<Order, AppError> {
    let row = sqlx::query(&order_select("o.id = $2"))
        .bind(crate::state::request_locale() == Locale::Zh)
        .bind(id)
        .fetch_one(&mut *db)
        .await?;
    Ok(order_from(&row, now))
}

async fn order_of_attempt(
    db: &mut PgConnection,
    user: i64,
    attempt: &str,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM lunch_orders WHERE user_id = $1 AND idempotency_key = $2",
    )
    .bind(user)
    .bind(attempt)
    .fetch_optional(&mut *db)
    .await?)
}

pub async fn place_order(
    caller: &Caller,
    meal_id: i64,
    quantity: i32,
    attempt: &str,
    delivery_building: Option<i64>,
) -> Result<Order, AppError> {
    let pool = &caller.state.pool;
    let now = caller.state.clock.unix_secs();
    let user = caller.user_id;
    let mut tx = pool.begin().await?;
    // One order of a worker at a time: their limits count their other orders.
    sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    // The same attempt again (a double tap, a retry, a second tab): the order it made.
    if let Some(id) = order_of_attempt(&mut tx, user, attempt).await? {
        return order_by_id(&mut tx, id, now).await;
    }
    let meal = sqlx::query(&format!(
        "SELECT m.lunch_point_id, (m.day - DATE '1970-01-01') AS day, m.list_fen,
                m.discount_fen, m.subsidy_fen, m.per_person_limit, lp.fulfilment, {WINDOWS},
                (SELECT coalesce(sum(quantity), 0)::int FROM lunch_orders o
                  WHERE o.meal_id = m.id AND o.user_id = $2 AND o.status <> 'cancelled') AS mine
           FROM meals m JOIN lunch_points lp ON lp.place_id = m.lunch_point_id
          WHERE m.id = $1"
    ))
    .bind(meal_id)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| invalid_because(LunchField::Meal, LunchProblem::UnknownMeal))?;
    match windows(&meal).phase(now) {
        Phase::Ordering => {}
        Phase::NotOpenYet => return Err(refused(LunchRefused::NotOpenYet)),
        Phase::Closed | Phase::Over => return Err(refused(LunchRefused::PastCutoff)),
    }
    let limit: i32 = meal.get("per_person_limit");
    let mine: i32 = meal.get("mine");
    if mine + quantity > limit {
        return Err(refused(LunchRefused::OverPersonalLimit {
            left: (limit - mine).max(0),
        }));
    }
    let point: i64 = meal.get("lunch_point_id");
    let day: i32 = meal.get("day");
    let delivery_building = match fulfilment(meal.get("fulfilment")) {
        Fulfilment::Pickup => None,
        Fulfilment::Delivery => {
            let id = delivery_building.ok_or_else(|| {
                invalid(
                    LunchField::DeliveryBuilding,
                    crate::error::Problem::Required,
                )
            })?;
            if !crate::map::store::is_building(&mut tx, id).await? {
                return Err(invalid_because(
                    LunchField::DeliveryBuilding,
                    LunchProblem::UnknownBuilding,
                ));
            }
            Some(id)
        }
    };
    let subsidy = subsidy(&mut tx, Some(user), day).await?;
    let price = MealPrice {
        list_fen: meal.get("list_fen"),
        discount_fen: meal.get("discount_fen"),
        subsidy_fen: meal.get("subsidy_fen"),
    };
    let (total, subsidised_meals) = order_split(
        price,
        quantity,
        subsidy.qualifies,
        subsidy.used_today,
        subsidy.rule,
    );
    // Take the portions. The row lock makes parallel orders of this meal wait here in turn,
    // and each sees what the one before left.
    let taken: Option<i32> = sqlx::query_scalar(
        "UPDATE meals SET portions_left = portions_left - $2
          WHERE id = $1 AND portions_left >= $2 RETURNING portions_left",
    )
    .bind(meal_id)
    .bind(quantity)
    .fetch_optional(&mut *tx)
    .await?;
    if taken.is_none() {
        let left: i32 = sqlx::query_scalar("SELECT portions_left FROM meals WHERE id = $1")
            .bind(meal_id)
            .fetch_one(&mut *tx)
            .await?;
        return Err(refused(if left == 0 {
            LunchRefused::SoldOut
        } else {
            LunchRefused::NotEnoughLeft { left }
        }));
    }
    let count: i32 = sqlx::query_scalar(
        "INSERT INTO pickup_counters AS c (lunch_point_id, day, last)
         VALUES ($1, DATE '1970-01-01' + $2::int, 1)
         ON CONFLICT (lunch_point_id, day) DO UPDATE SET last = c.last + 1 RETURNING last",
    )
    .bind(point)
    .bind(day)
    .fetch_one(&mut *tx)
    .await?;
    let code = pickup::code((count - 1) as u32, pickup::salt(point, i64::from(day)))
        .ok_or(refused(LunchRefused::SoldOut))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO lunch_orders (user_id, meal_id, lunch_point_id, day, quantity, list_fen,
                                   discount_fen, subsidy_fen, pay_fen, subsidised_meals,
                                   pickup_code, idempotency_key, delivery_building_id, ordered_at)
         VALUES ($1, $2, $3, DATE '1970-01-01' + $4::int, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                 to_timestamp($14))
         RETURNING id",
    )
    .bind(user)
    .bind(meal_id)
    .bind(point)
    .bind(day)
    .bind(quantity)
    .bind(total.list_fen)
    .bind(total.discount_fen)
    .bind(total.subsidy_fen)
    .bind(total.pay_fen)
    .bind(subsidised_meals)
    .bind(&code)
    .bind(attempt)
    .bind(delivery_building)
    .bind(now as f64)
    .fetch_one(&mut *tx)
    .await?;
    publish(&mut *tx, &[Topic::LunchPoint(point), Topic::User(user)]).await?;
    let order = order_by_id(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(order)
}

pub async fn cancel_order(caller: &Caller, order_id: i64) -> Result<Order, AppError> {
    let now = caller.state.clock.unix_secs();
    let mut tx = caller.state.pool.begin().await?;
    sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
        .bind(caller.user_id)
        .execute(&mut *tx)
        .await?;
    let order = sqlx::query(&format!(
        "SELECT o.meal_id, o.lunch_point_id, o.quantity, o.status, {WINDOWS}
           FROM lunch_orders o JOIN meals m ON m.id = o.meal_id
          WHERE o.id = $1 AND o.user_id = $2 FOR UPDATE OF o"
    ))
    .bind(order_id)
    .bind(caller.user_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    match OrderStatus::parse(order.get("status")) {
        Some(OrderStatus::Cancelled) => return Err(refused(LunchRefused::AlreadyCancelled)),
        Some(OrderStatus::PickedUp) => return Err(refused(LunchRefused::AlreadyPickedUp)),
        _ => {}
    }
    if !windows(&order).may_change_orders(now) {
        return Err(refused(LunchRefused::PastCutoff));
    }
    sqlx::query(
        "UPDATE lunch_orders SET status = 'cancelled', cancelled_at = to_timestamp($2)
          WHERE id = $1",
    )
    .bind(order_id)
    .bind(now as f64)
    .execute(&mut *tx)
    .await?;
    // The portions go back on the menu.
    sqlx::query("UPDATE meals SET portions_left = portions_left + $2 WHERE id = $1")
        .bind(order.get::<i64, _>("meal_id"))
        .bind(order.get::<i32, _>("quantity"))
        .execute(&mut *tx)
        .await?;
    let point: i64 = order.get("lunch_point_id");
    publish(
        &mut *tx,
        &[Topic::LunchPoint(point), Topic::User(caller.user_id)],
    )
    .await?;
    let order = order_by_id(&mut tx, order_id, now).await?;
    tx.commit().await?;
    Ok(order)
}

pub async fn my_orders(caller: &Caller) -> Result<Vec<Order>, AppError> {
    let now = caller.state.clock.unix_secs();
    let rows = sqlx::query(
        &(order_select("o.user_id = $2") + " ORDER BY o.day DESC, o.id DESC LIMIT 100"),
    )
    .bind(crate::state::request_locale() == Locale::Zh)
    .bind(caller.user_id)
    .fetch_all(&caller.state.pool)
    .await?;
    Ok(rows.iter().map(|row| order_from(row, now)).collect())
}

pub async fn rate_order(
    caller: &Caller,
    order_id: i64,
    rating: i16,
    comment: &str,
) -> Result<(), AppError> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM lunch_orders WHERE id = $1 AND user_id = $2")
            .bind(order_id)
            .bind(caller.user_id)
            .fetch_optional(&caller.state.pool)
            .await?;
    match status.as_deref() {
        None => return Err(AppError::NotFound),
        Some("picked_up") => {}
        Some(_) => return Err(refused(LunchRefused::NotPickedUp)),
    }
    sqlx::query(
        "UPDATE lunch_orders SET rating = $3, rating_comment = nullif($4, ''), rated_at = now()
          WHERE id = $1 AND user_id = $2",
    )
    .bind(order_id)
    .bind(caller.user_id)
    .bind(rating)
    .bind(comment)
    .execute(&caller.state.pool)
    .await?;
    Ok(())
}

pub async fn set_company(caller: &Caller, building: i64, company: &str) -> Result<(), AppError> {
    let mut tx = caller.state.pool.begin().await?;
    if !crate::map::store::is_building(&mut tx, building).await? {
        return Err(invalid_because(
            LunchField::Building,
            LunchProblem::UnknownBuilding,
        ));
    }
    let company_id =
        crate::requests::store::named_company(&mut tx, building, company, caller.user_id).await?;
    sqlx::query(
        "INSERT INTO worker_companies (user_id, company_id) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET company_id = EXCLUDED.company_id",
    )
    .bind(caller.user_id)
    .bind(company_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn station_day(
    caller: &Caller,
    place: i64,
    day: i32,
    locale: Locale,
) -> Result<StationDay, AppError> {
    let now = caller.state.clock.unix_secs();
    let zh = locale == Locale::Zh;
    let pool = &caller.state.pool;
    let (name, _) = point_name(pool, place, locale).await?;
    let meals = sqlx::query_as(
        "SELECT CASE WHEN $3 OR m.name_en = '' THEN m.name_zh ELSE m.name_en END,
                coalesce(sum(o.quantity) FILTER (WHERE o.status <> 'cancelled'), 0),
                coalesce(sum(o.quantity) FILTER (WHERE o.status = 'picked_up'), 0)
           FROM meals m LEFT JOIN lunch_orders o ON o.meal_id = m.id
          WHERE m.lunch_point_id = $1 AND m.day = DATE '1970-01-01' + $2::int
          GROUP BY m.id ORDER BY m.id",
    )
    .bind(place)
    .bind(day)
    .bind(zh)
    .fetch_all(pool)
    .await?;
    let orders = sqlx::query(
        &(order_select("o.lunch_point_id = $2 AND o.day = DATE '1970-01-01' + $3::int")
            + " ORDER BY o.id"),
    )
    .bind(zh)
    .bind(place)
    .bind(day)
    .fetch_all(pool)
    .await?;
    Ok(StationDay {
        place_id: place,
        name,
        day,
        today: caller.state.clock.shanghai_now().day,
        meals,
        orders: orders.iter().map(|row| order_from(row, now)).collect(),
    })
}

pub async fn hand_over(
    caller: &Caller,
    place: i64,
    code: &str,
    payment: PaymentMethod,
) -> Result<Order, AppError> {
    let now = caller.state.clock.unix_secs();
    let today = caller.state.clock.shanghai_now().day;
    let mut tx = caller.state.pool.begin().await?;
    let found: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, status, user_id FROM lunch_orders
          WHERE lunch_point_id = $1 AND day = DATE '1970-01-01' + $2::int AND pickup_code = $3
          FOR UPDATE",
    )
    .bind(place)
    .bind(today)
    .bind(code)
    .fetch_optional(&mut *tx)
    .await?;
    let (id, status, customer) =
        found.ok_or_else(|| invalid_because(LunchField::PickupCode, LunchProblem::CodeNotHere))?;
    match OrderStatus::parse(&status) {
        Some(OrderStatus::Cancelled) => return Err(refused(LunchRefused::AlreadyCancelled)),
        Some(OrderStatus::PickedUp) => return Err(refused(LunchRefused::AlreadyPickedUp)),
        _ => {}
    }
    sqlx::query(
        "UPDATE lunch_orders SET status = 'picked_up', picked_up_at = to_timestamp($2),
                handed_over_by = $3, payment_method = $4, paid_fen = pay_fen
          WHERE id = $1",
    )
    .bind(id)
    .bind(now as f64)
    .bind(caller.user_id)
    .bind(payment.as_str())
    .execute(&mut *tx)
    .await?;
    publish(&mut *tx, &[Topic::LunchPoint(place), Topic::User(customer)]).await?;
    let order = order_by_id(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(order)
}

pub async fn operated_points(caller: &Caller) -> Result<Vec<(i64, String)>, AppError> {
    let zh = crate::state::request_locale() == Locale::Zh;
    let all = is_admin(&caller.grants);
    let places =
        crate::accounts::roles::places_held(&caller.grants, &[Role::StationStaff, Role::Partner]);
    Ok(sqlx::query_as(
        "SELECT p.id, CASE WHEN $3 THEN p.name_zh ELSE p.name_en END
           FROM lunch_points lp JOIN places p ON p.id = lp.place_id
          WHERE $1 OR p.id = ANY ($2) ORDER BY p.id",
    )
    .bind(all)
    .bind(&places)
    .bind(zh)
    .fetch_all(&caller.state.pool)
    .await?)
}

/// The lunch point a console or editor shows: `place` if the caller may operate it (403
/// otherwise), or without it the one point they operate (`None` for several or none).
pub async fn operated_point(caller: &Caller, place: Option<i64>) -> Result<Option<i64>, AppError> {
    use crate::accounts::roles::{allows, Permission};
    let place = match place {
        Some(place) => place,
        None => match operated_points(caller).await?.as_slice() {
            [(only, _)] => *only,
            _ => return Ok(None),
        },
    };
    if !allows(&caller.grants, Permission::OperateLunchPoint(place)) {
        return Err(AppError::Forbidden);
    }
    Ok(Some(place))
}

/// Whether `pool` holds a lunch point with this id (for the live channel's checks).
pub async fn is_lunch_point(pool: &PgPool, id: i64) -> Result<bool, AppError> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM lunch_points WHERE place_id = $1)")
            .bind(id)
            .fetch_one(pool)
            .await?,
    )
}
