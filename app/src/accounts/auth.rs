//! Server-side authentication: password hashes, sessions in PostgreSQL, the sign-in
//! throttle, and the checks every server function starts with.

use super::roles::{allows, Permission, Role, RoleGrant, Scope};
use super::throttle::{lock_secs, IP_FAILURE_LIMIT, PHONE_FAILURE_LIMIT, WINDOW_SECS};
use super::PhoneNumber;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::{
    app_state, append_response_header, client_ip, request_cookie, request_is_https, AppState,
};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use password_hash::rand_core::{OsRng, RngCore};
use password_hash::SaltString;
use sha2::{Digest, Sha256};
use sqlx::{PgExecutor, PgPool};
use std::sync::OnceLock;

pub const SESSION_COOKIE: &str = "zd_session";
const SESSION_DAYS: i64 = 30;

/// Hashes with Argon2id and the crate's default (OWASP-recommended) cost, off the async
/// threads: a hash takes tens of milliseconds of CPU.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::internal("hash task", e))?
    .map_err(|e| AppError::internal("hash password", e))
}

/// Checks `password` against a stored hash. argon2 compares the digests in constant time.
/// With no stored hash (unknown number) a dummy hash is checked, so that the answer takes
/// as long as for a known number and timing does not reveal who has an account.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false);
        known && ok
    })
    .await
    .map_err(|e| AppError::internal("verify task", e))
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"not anyone's password 0", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Starts a session for `user_id` and sets its cookie on the response.
pub async fn start_session(state: &AppState, user_id: i64) -> Result<(), AppError> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, expires_at)
         VALUES ($1, $2, now() + make_interval(days => $3))",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(SESSION_DAYS as i32)
    .execute(&state.pool)
    .await?;
    set_session_cookie(state, &token, SESSION_DAYS * 24 * 3600);
    Ok(())
}

fn set_session_cookie(state: &AppState, token: &str, max_age_secs: i64) {
    let secure = if request_is_https(state) {
        "; Secure"
    } else {
        ""
    };
    append_response_header(
        http::header::SET_COOKIE,
        &format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"),
    );
}

/// Ends the current session, if any, and clears the cookie.
pub async fn end_session(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = request_cookie(SESSION_COOKIE) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(&token))
            .execute(&state.pool)
            .await?;
    }
    set_session_cookie(state, "", 0);
    Ok(())
}

/// Ends every session of `user_id` except the current one (after a password change).
pub async fn end_other_sessions(pool: &PgPool, user_id: i64) -> Result<(), AppError> {
    let current = request_cookie(SESSION_COOKIE)
        .map(|t| token_hash(&t))
        .unwrap_or_default();
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(current)
        .execute(pool)
        .await?;
    Ok(())
}

/// The signed-in user's id, if the request carries a live session.
pub async fn session_user_id(pool: &PgPool) -> Result<Option<i64>, AppError> {
    match request_cookie(SESSION_COOKIE) {
        Some(token) => user_for_token(pool, &token).await,
        None => Ok(None),
    }
}

/// The caller of a plain HTTP handler (outside server functions), from its cookies.
pub async fn caller_from_headers(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<Caller>, AppError> {
    let cookies = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='));
    let mut user_id = None;
    let mut locale = Locale::default();
    for (name, value) in cookies {
        if name == SESSION_COOKIE && user_id.is_none() {
            user_id = user_for_token(&state.pool, value).await?;
        } else if name == crate::i18n::LOCALE_COOKIE {
            locale = Locale::from_tag(value).unwrap_or_default();
        }
    }
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let grants = role_grants(&state.pool, user_id, locale).await?;
    Ok(Some(Caller {
        user_id,
        grants,
        state: state.clone(),
    }))
}

async fn user_for_token(pool: &PgPool, token: &str) -> Result<Option<i64>, AppError> {
    let id = sqlx::query_scalar(
        "SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > now()",
    )
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await?;
    Ok(id)
}

/// The roles granted to `user_id`, with scope names in `locale`.
pub async fn role_grants(
    db: impl PgExecutor<'_>,
    user_id: i64,
    locale: Locale,
) -> Result<Vec<RoleGrant>, AppError> {
    let rows: Vec<(i64, String, Option<i64>, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT g.id, g.role, g.place_id, g.department_id,
                CASE WHEN $2 THEN coalesce(p.name_zh, d.name_zh) ELSE coalesce(p.name_en, d.name_en) END
           FROM role_grants g
           LEFT JOIN places p ON p.id = g.place_id
           LEFT JOIN departments d ON d.id = g.department_id
          WHERE g.user_id = $1
          ORDER BY g.id",
    )
    .bind(user_id)
    .bind(locale == Locale::Zh)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, role, place, department, scope_name)| {
            let scope = match (place, department) {
                (Some(p), _) => Scope::Place(p),
                (_, Some(d)) => Scope::Department(d),
                _ => Scope::Everything,
            };
            Some(RoleGrant {
                id,
                role: Role::parse(&role)?,
                scope,
                scope_name,
            })
        })
        .collect())
}

/// The caller, who must be signed in.
pub struct Caller {
    pub user_id: i64,
    pub grants: Vec<RoleGrant>,
    pub state: AppState,
}

pub async fn require_user() -> Result<Caller, AppError> {
    let state = app_state()?;
    let user_id = session_user_id(&state.pool)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    let grants = role_grants(&state.pool, user_id, crate::state::request_locale()).await?;
    Ok(Caller {
        user_id,
        grants,
        state,
    })
}

/// The caller, who must be signed in and hold `permission`.
pub async fn require(permission: Permission) -> Result<Caller, AppError> {
    let caller = require_user().await?;
    if allows(&caller.grants, permission) {
        Ok(caller)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Refuses the attempt if the number or the client address is locked.
pub async fn check_throttle(state: &AppState, phone: &PhoneNumber) -> Result<(), AppError> {
    let keys = throttle_keys(state, phone);
    let wait: Option<i64> = sqlx::query_scalar(
        "SELECT ceil(extract(epoch FROM max(locked_until) - now()))::bigint
           FROM sign_in_throttle WHERE key = ANY($1) AND locked_until > now()",
    )
    .bind(&keys)
    .fetch_one(&state.pool)
    .await?;
    match wait {
        Some(secs) if secs > 0 => Err(AppError::Throttled {
            retry_after_secs: secs as u64,
        }),
        _ => Ok(()),
    }
}

/// Counts a failed attempt against the number and the address, locking them at the limit.
pub async fn record_failure(state: &AppState, phone: &PhoneNumber) -> Result<(), AppError> {
    for key in throttle_keys(state, phone) {
        let limit = if key.starts_with("ip:") {
            IP_FAILURE_LIMIT
        } else {
            PHONE_FAILURE_LIMIT
        };
        let failures: i32 = sqlx::query_scalar(
            "INSERT INTO sign_in_throttle AS t (key, failures, window_started_at)
             VALUES ($1, 1, now())
             ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                                THEN 1 ELSE t.failures + 1 END,
                window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                                THEN now() ELSE t.window_started_at END
             RETURNING failures",
        )
        .bind(&key)
        .bind(WINDOW_SECS as f64)
        .fetch_one(&state.pool)
        .await?;
        if let Some(secs) = lock_secs(failures, limit) {
            sqlx::query(
                "UPDATE sign_in_throttle SET locked_until = now() + make_interval(secs => $2) WHERE key = $1",
            )
            .bind(&key)
            .bind(secs as f64)
            .execute(&state.pool)
            .await?;
        }
    }
    Ok(())
}

/// Forgets the number's failures after a successful sign-in. The address keeps its count:
/// one right password must not reset a spray against many numbers.
pub async fn clear_failures(state: &AppState, phone: &PhoneNumber) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE key = $1")
        .bind(format!("phone:{phone}"))
        .execute(&state.pool)
        .await?;
    Ok(())
}

fn throttle_keys(state: &AppState, phone: &PhoneNumber) -> Vec<String> {
    let mut keys = vec![format!("phone:{phone}")];
    if let Some(ip) = client_ip(state) {
        keys.push(format!("ip:{ip}"));
    }
    keys
}
