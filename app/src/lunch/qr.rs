//! `GET /lunch/orders/{id}/qr.svg`: an order's pickup code as a QR code, for its worker
//! only (anyone else gets 404). The station's scanner reads `zd:lunch:{point}:{code}`.

use crate::accounts::auth::caller_from_headers;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, StatusCode};

/// What the QR code of a pickup code says.
pub fn payload(lunch_point_id: i64, code: &str) -> String {
    format!("zd:lunch:{lunch_point_id}:{code}")
}

pub async fn order_qr(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let caller = caller_from_headers(&state, &headers)
            .await?
            .ok_or(AppError::NotSignedIn)?;
        let (point, code): (i64, String) = sqlx::query_as(
            "SELECT lunch_point_id, pickup_code FROM lunch_orders WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(caller.user_id)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)?;
        crate::qr::svg(&payload(point, &code), 160)
            .ok_or_else(|| AppError::internal("qr", "code too long"))
    }
    .await;
    match result {
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "private, max-age=86400"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            svg,
        )
            .into_response(),
        Err(error) => StatusCode::from_u16(error.status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}
