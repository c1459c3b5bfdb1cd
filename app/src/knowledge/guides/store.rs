//! The SQL of the service hall.

use super::*;
use crate::accounts::auth::Caller;
use crate::error::OnConstraint;
use crate::i18n::Locale;
use crate::requests::store::name_in;
use crate::state::AppState;
use sqlx::Row;

/// Every guide by category, or those at `place`.
pub async fn list(
    state: &AppState,
    place: Option<i64>,
    locale: Locale,
) -> Result<Vec<GuideSummary>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT g.id, g.title, g.summary, {category} AS category, {place} AS place
           FROM guides g JOIN request_categories k ON k.id = g.category_id
           LEFT JOIN places p ON p.id = g.place_id
          WHERE $1::bigint IS NULL OR g.place_id = $1
          ORDER BY k.sort_order, g.id",
        category = name_in(locale, "k"),
        place = name_in(locale, "p"),
    ))
    .bind(place)
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|row| GuideSummary {
            id: row.get("id"),
            title: row.get("title"),
            summary: row.get("summary"),
            category: row.get("category"),
            place: row.get("place"),
        })
        .collect())
}

pub async fn guide(state: &AppState, id: i64, locale: Locale) -> Result<Guide, AppError> {
    let row = sqlx::query(&format!(
        "SELECT g.*, {category} AS category, {place} AS place,
                extract(epoch FROM g.updated_at)::bigint AS updated
           FROM guides g JOIN request_categories k ON k.id = g.category_id
           LEFT JOIN places p ON p.id = g.place_id
          WHERE g.id = $1",
        category = name_in(locale, "k"),
        place = name_in(locale, "p"),
    ))
    .bind(id)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Guide {
        id,
        category_id: row.get("category_id"),
        category: row.get("category"),
        title: row.get("title"),
        summary: row.get("summary"),
        steps: row.get("steps"),
        materials: row.get("materials"),
        place_id: row.get("place_id"),
        place: row.get("place"),
        hours: row.get("hours"),
        fees: row.get("fees"),
        time_limit: row.get("time_limit"),
        online_url: row.get("online_url"),
        contact: row.get("contact"),
        updated_at: row.get("updated"),
    })
}

pub async fn options(state: &AppState, locale: Locale) -> Result<GuideOptions, AppError> {
    let categories = sqlx::query_as(&format!(
        "SELECT k.id, {} FROM request_categories k ORDER BY k.sort_order, k.id",
        name_in(locale, "k")
    ))
    .fetch_all(&state.pool)
    .await?;
    // Where affairs are handled: the service stations and the subdistrict's own centres.
    let places = sqlx::query_as(&format!(
        "SELECT p.id, {} FROM places p
          WHERE NOT p.hidden AND p.kinds && '{{service_station,joint_committee,activity_venue}}'
          ORDER BY p.name_zh",
        name_in(locale, "p")
    ))
    .fetch_all(&state.pool)
    .await?;
    Ok(GuideOptions { categories, places })
}

/// Adds (`id` None) or changes a guide, audited with what it was before; returns its id.
pub async fn save(caller: &Caller, id: Option<i64>, draft: &GuideDraft) -> Result<i64, AppError> {
    let mut tx = caller.state.pool.begin().await?;
    if let Some(place) = draft.place {
        if !crate::map::store::is_place(&mut tx, place).await? {
            return Err(invalid(
                KnowledgeField::Place,
                crate::error::Problem::Required,
            ));
        }
    }
    let before: Option<serde_json::Value> = match id {
        Some(id) => Some(
            sqlx::query_scalar("SELECT to_jsonb(g) FROM guides g WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    // The same twelve parameters for both; $1 is the guide's id when it is changed.
    let sql = match id {
        Some(_) => {
            "UPDATE guides SET category_id = $2, title = $3, summary = $4, steps = $5,
                    materials = $6, place_id = $7, hours = $8, fees = $9, time_limit = $10,
                    online_url = $11, contact = $12, updated_by = $13, updated_at = now()
              WHERE id = $1 RETURNING id"
        }
        None => {
            "INSERT INTO guides (category_id, title, summary, steps, materials, place_id, hours,
                                 fees, time_limit, online_url, contact, updated_by)
             SELECT $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 WHERE $1::bigint IS NULL
             RETURNING id"
        }
    };
    let saved: i64 = sqlx::query_scalar(sql)
        .bind(id)
        .bind(draft.category)
        .bind(&draft.title)
        .bind(&draft.summary)
        .bind(&draft.steps)
        .bind(&draft.materials)
        .bind(draft.place)
        .bind(&draft.hours)
        .bind(&draft.fees)
        .bind(&draft.time_limit)
        .bind(&draft.online_url)
        .bind(&draft.contact)
        .bind(caller.user_id)
        .fetch_one(&mut *tx)
        .await
        .on_constraint(
            "guides_category_id_fkey",
            invalid(KnowledgeField::Category, crate::error::Problem::Required),
        )?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail)
         VALUES ($1, $2, 'guide:' || $3, jsonb_build_object('before', $4::jsonb))",
    )
    .bind(caller.user_id)
    .bind(if before.is_some() {
        "guides.edit"
    } else {
        "guides.add"
    })
    .bind(saved)
    .bind(before)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(saved)
}
