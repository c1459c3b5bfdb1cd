//! The SQL of menu management. Every change to a lunch point's menus first locks the lunch
//! point's row, so two editors (or a copy and an edit) never interleave; a meal's portions
//! change by what is left, so orders already taken keep their portions.

use super::{EditableMeal, MealDraft, MenuDay, ORDERS_OPEN_DAYS_AHEAD};
use crate::accounts::auth::Caller;
use crate::error::{AppError, OnConstraint};
use crate::live::{publish, Topic};
use crate::lunch::price::SubsidyRule;
pub use crate::lunch::store::subsidy_rule;
use crate::lunch::window::shanghai_time;
use crate::lunch::{invalid_because, refused, LunchField, LunchProblem, LunchRefused};
use crate::uploads::Photo;
use sqlx::{PgConnection, Row};

/// Binds what describes a meal and its price, in the order both statements below use:
/// name_zh, name_en, description, tags, allergens, list_fen, discount_fen.
trait BindDescribed<'q> {
    fn bind_described(self, draft: &'q MealDraft) -> Self;
}

impl<'q> BindDescribed<'q> for sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    fn bind_described(self, d: &'q MealDraft) -> Self {
        self.bind(&d.name_zh)
            .bind(&d.name_en)
            .bind(&d.description)
            .bind(&d.tags)
            .bind(&d.allergens)
            .bind(d.list_fen)
            .bind(d.discount_fen)
    }
}

/// Locks the lunch point for a menu change; whether it delivers.
async fn lock_point(db: &mut PgConnection, place: i64) -> Result<bool, AppError> {
    let fulfilment: String =
        sqlx::query_scalar("SELECT fulfilment FROM lunch_points WHERE place_id = $1 FOR UPDATE")
            .bind(place)
            .fetch_optional(&mut *db)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(fulfilment == "delivery")
}

pub async fn menu_day(caller: &Caller, place: i64, day: i32) -> Result<MenuDay, AppError> {
    let pool = &caller.state.pool;
    let (name, delivery) =
        crate::lunch::store::point_name(pool, place, crate::state::request_locale()).await?;
    let rows = sqlx::query(
        "SELECT id, name_zh, name_en, description, tags, allergens, list_fen, discount_fen,
                subsidy_fen, portions, portions_left, per_person_limit, photo_id,
                (extract(epoch FROM cutoff)::bigint - $3) / 60 AS cutoff,
                (extract(epoch FROM pickup_from)::bigint - $3) / 60 AS pickup_from,
                (extract(epoch FROM pickup_until)::bigint - $3) / 60 AS pickup_until
           FROM meals WHERE lunch_point_id = $1 AND day = DATE '1970-01-01' + $2::int
          ORDER BY id",
    )
    .bind(place)
    .bind(day)
    .bind(shanghai_time(day as i64, 0))
    .fetch_all(pool)
    .await?;
    let meals = rows
        .iter()
        .map(|row| {
            let portions: i32 = row.get("portions");
            EditableMeal {
                id: row.get("id"),
                subsidy_fen: row.get("subsidy_fen"),
                ordered: portions - row.get::<i32, _>("portions_left"),
                photo_id: row.get("photo_id"),
                draft: MealDraft {
                    name_zh: row.get("name_zh"),
                    name_en: row.get("name_en"),
                    description: row.get("description"),
                    tags: row.get("tags"),
                    allergens: row.get("allergens"),
                    list_fen: row.get("list_fen"),
                    discount_fen: row.get("discount_fen"),
                    portions,
                    per_person_limit: row.get("per_person_limit"),
                    cutoff: row.get("cutoff"),
                    pickup_from: row.get("pickup_from"),
                    pickup_until: row.get("pickup_until"),
                },
            }
        })
        .collect();
    Ok(MenuDay {
        place_id: place,
        name,
        delivery,
        day,
        today: caller.state.clock.shanghai_now().day,
        subsidy: subsidy_rule(pool).await?,
        meals,
    })
}

/// Creates or changes a meal of `place` on `day`; returns its id.
pub async fn save_meal(
    caller: &Caller,
    place: i64,
    day: i32,
    meal: Option<i64>,
    draft: &MealDraft,
    photo: Option<Photo>,
) -> Result<i64, AppError> {
    let mut tx = caller.state.pool.begin().await?;
    lock_point(&mut tx, place).await?;
    let photo_id = match photo {
        Some(photo) => {
            Some(crate::uploads::store_public_photo(&mut tx, &photo, caller.user_id).await?)
        }
        None => None,
    };
    let at = |minute: i64| shanghai_time(day as i64, minute) as f64;
    let id = match meal {
        None => {
            let subsidy = subsidy_rule(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO meals (lunch_point_id, day, name_zh, name_en, description, tags,
                        allergens, list_fen, discount_fen, subsidy_fen, portions, portions_left,
                        per_person_limit, orders_open, cutoff, pickup_from, pickup_until,
                        photo_id)
                 VALUES ($1, DATE '1970-01-01' + $2::int, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                         $11, $12, to_timestamp($13), to_timestamp($14), to_timestamp($15),
                         to_timestamp($16), $17)
                 RETURNING id",
            )
            .bind(place)
            .bind(day)
            .bind_described(draft)
            .bind(subsidy.per_meal_fen)
            .bind(draft.portions)
            .bind(draft.per_person_limit)
            .bind(shanghai_time((day - ORDERS_OPEN_DAYS_AHEAD) as i64, 0) as f64)
            .bind(at(draft.cutoff))
            .bind(at(draft.pickup_from))
            .bind(at(draft.pickup_until))
            .bind(photo_id)
            .fetch_one(&mut *tx)
            .await?
            .get("id")
        }
        Some(id) => {
            let ordered: Option<i32> = sqlx::query_scalar(
                "SELECT portions - portions_left FROM meals
                  WHERE id = $1 AND lunch_point_id = $2 AND day = DATE '1970-01-01' + $3::int
                  FOR UPDATE",
            )
            .bind(id)
            .bind(place)
            .bind(day)
            .fetch_optional(&mut *tx)
            .await?;
            let ordered = ordered
                .ok_or_else(|| invalid_because(LunchField::Meal, LunchProblem::UnknownMeal))?;
            if draft.portions < ordered {
                return Err(invalid_because(
                    LunchField::Portions,
                    LunchProblem::PortionsBelowOrdered { ordered },
                ));
            }
            sqlx::query(
                "UPDATE meals SET name_zh = $2, name_en = $3, description = $4, tags = $5,
                        allergens = $6, list_fen = $7, discount_fen = $8, portions = $9,
                        portions_left = $9 - $10, per_person_limit = $11,
                        cutoff = to_timestamp($12), pickup_from = to_timestamp($13),
                        pickup_until = to_timestamp($14), photo_id = coalesce($15, photo_id)
                  WHERE id = $1",
            )
            .bind(id)
            .bind_described(draft)
            .bind(draft.portions)
            .bind(ordered)
            .bind(draft.per_person_limit)
            .bind(at(draft.cutoff))
            .bind(at(draft.pickup_from))
            .bind(at(draft.pickup_until))
            .bind(photo_id)
            .execute(&mut *tx)
            .await
            .on_constraint("meals_price_fixed", refused(LunchRefused::PriceFixed))?;
            id
        }
    };
    publish(&mut *tx, &[Topic::LunchPoint(place), Topic::LunchMenus]).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_meal(caller: &Caller, place: i64, meal: i64) -> Result<(), AppError> {
    let mut tx = caller.state.pool.begin().await?;
    lock_point(&mut tx, place).await?;
    let row = sqlx::query(
        "SELECT day - DATE '1970-01-01' AS day,
                EXISTS (SELECT 1 FROM lunch_orders o WHERE o.meal_id = m.id) AS has_orders
           FROM meals m WHERE id = $1 AND lunch_point_id = $2",
    )
    .bind(meal)
    .bind(place)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| invalid_because(LunchField::Meal, LunchProblem::UnknownMeal))?;
    if row.get::<bool, _>("has_orders") {
        return Err(refused(LunchRefused::HasOrders));
    }
    if row.get::<i32, _>("day") < caller.state.clock.shanghai_now().day {
        return Err(invalid_because(LunchField::Day, LunchProblem::DayInPast));
    }
    sqlx::query("DELETE FROM meals WHERE id = $1")
        .bind(meal)
        .execute(&mut *tx)
        .await?;
    publish(&mut *tx, &[Topic::LunchPoint(place), Topic::LunchMenus]).await?;
    tx.commit().await?;
    Ok(())
}

/// Copies the meals of `days` forward by `shift` days, with fresh portions and today's
/// subsidy, skipping target days in the past and meals already there by name.
pub async fn copy_menu(
    caller: &Caller,
    place: i64,
    days: std::ops::RangeInclusive<i32>,
    shift: i32,
) -> Result<i64, AppError> {
    let today = caller.state.clock.shanghai_now().day;
    let mut tx = caller.state.pool.begin().await?;
    lock_point(&mut tx, place).await?;
    let copied = sqlx::query(
        "INSERT INTO meals (lunch_point_id, day, name_zh, name_en, description, tags, allergens,
                list_fen, discount_fen, subsidy_fen, portions, portions_left, per_person_limit,
                orders_open, cutoff, pickup_from, pickup_until, photo_id)
         SELECT m.lunch_point_id, m.day + $4, m.name_zh, m.name_en, m.description, m.tags,
                m.allergens, m.list_fen, m.discount_fen, s.per_meal_fen, m.portions, m.portions,
                m.per_person_limit, m.orders_open + make_interval(days => $4),
                m.cutoff + make_interval(days => $4), m.pickup_from + make_interval(days => $4),
                m.pickup_until + make_interval(days => $4), m.photo_id
           FROM meals m, lunch_subsidy s
          WHERE m.lunch_point_id = $1
            AND m.day BETWEEN DATE '1970-01-01' + $2::int AND DATE '1970-01-01' + $3::int
            AND m.day + $4 >= DATE '1970-01-01' + $5::int
            AND NOT EXISTS (SELECT 1 FROM meals t
                             WHERE t.lunch_point_id = m.lunch_point_id
                               AND t.day = m.day + $4 AND t.name_zh = m.name_zh)
          ORDER BY m.day, m.id",
    )
    .bind(place)
    .bind(days.start())
    .bind(days.end())
    .bind(shift)
    .bind(today)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    publish(&mut *tx, &[Topic::LunchPoint(place), Topic::LunchMenus]).await?;
    tx.commit().await?;
    Ok(copied as i64)
}

/// Sets the rule; meals from today on without orders take the new subsidy. Returns how
/// many meals changed.
pub async fn set_subsidy_rule(caller: &Caller, rule: SubsidyRule) -> Result<i64, AppError> {
    let today = caller.state.clock.shanghai_now().day;
    let mut tx = caller.state.pool.begin().await?;
    sqlx::query(
        "UPDATE lunch_subsidy SET per_meal_fen = $1, meals_per_day = $2, updated_by = $3,
                updated_at = now()",
    )
    .bind(rule.per_meal_fen)
    .bind(rule.meals_per_day)
    .bind(caller.user_id)
    .execute(&mut *tx)
    .await?;
    let changed: Vec<(i64, i64)> = sqlx::query_as(
        "WITH changed AS (
             UPDATE meals m SET subsidy_fen = $1
              WHERE m.day >= DATE '1970-01-01' + $2::int AND m.subsidy_fen <> $1
                AND NOT EXISTS (SELECT 1 FROM lunch_orders o WHERE o.meal_id = m.id)
             RETURNING m.lunch_point_id)
         SELECT lunch_point_id, count(*) FROM changed GROUP BY lunch_point_id",
    )
    .bind(rule.per_meal_fen)
    .bind(today)
    .fetch_all(&mut *tx)
    .await?;
    let mut topics: Vec<Topic> = changed.iter().map(|(p, _)| Topic::LunchPoint(*p)).collect();
    topics.push(Topic::LunchMenus);
    publish(&mut *tx, &topics).await?;
    tx.commit().await?;
    Ok(changed.iter().map(|(_, n)| n).sum())
}
