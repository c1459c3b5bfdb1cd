//! `GET /requests/photos/{id}` and `/requests/photos/{id}/thumb`: a request's photos, only
//! for those who may read the request (anyone else gets 404, as if it did not exist).

use crate::accounts::auth::caller_from_headers;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};

pub async fn full(state: State<AppState>, headers: HeaderMap, id: Path<i64>) -> Response {
    serve(state, headers, id, false).await
}

pub async fn thumb(state: State<AppState>, headers: HeaderMap, id: Path<i64>) -> Response {
    serve(state, headers, id, true).await
}

async fn serve(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    thumb: bool,
) -> Response {
    let result = async {
        let caller = caller_from_headers(&state, &headers)
            .await?
            .ok_or(AppError::NotSignedIn)?;
        super::store::photo(&state.pool, id, thumb, caller.user_id, &caller.grants).await
    }
    .await;
    match result {
        Ok(bytes) => crate::uploads::jpeg_response(&format!("photo-{id}"), bytes, true),
        Err(error) => StatusCode::from_u16(error.status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}
