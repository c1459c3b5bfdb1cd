//! Accounts: sign-up and sign-in with a mobile number, sessions, roles and their scopes.

pub mod admin;
mod password;
mod phone;
pub mod roles;
#[cfg(any(feature = "ssr", test))]
mod throttle;
pub mod views;

#[cfg(feature = "ssr")]
pub mod auth;

pub use password::{NewPassword, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
pub use phone::PhoneNumber;

use crate::error::{AppError, Problem};
use leptos::prelude::*;
use roles::RoleGrant;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::{Field, OnConstraint},
    state::app_state,
};

pub const MAX_DISPLAY_NAME_CHARS: usize = 40;

/// The signed-in user, as the app shows them to themselves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub phone_masked: String,
    pub display_name: String,
    /// `YYYY-MM-DD`, in Shanghai time.
    pub member_since: String,
    pub roles: Vec<RoleGrant>,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        roles::is_admin(&self.roles)
    }

    /// Whether the user triages or handles requests (and so has an inbox).
    /// Whether they run a lunch point's console (station staff, merchants, admins).
    pub fn operates_lunch(&self) -> bool {
        self.roles.iter().any(|g| {
            matches!(
                g.role,
                roles::Role::StationStaff | roles::Role::Partner | roles::Role::Admin
            )
        })
    }

    pub fn handles_requests(&self) -> bool {
        self.roles.iter().any(|g| {
            matches!(
                g.role,
                roles::Role::BuildingManager | roles::Role::DepartmentStaff | roles::Role::Admin
            )
        })
    }
}

/// A display name: trimmed, 1 to 40 characters, no control characters.
pub fn parse_display_name(input: &str) -> Result<String, Problem> {
    let name = input.trim();
    let chars = name.chars().count();
    if chars == 0 {
        Err(Problem::Required)
    } else if chars > MAX_DISPLAY_NAME_CHARS {
        Err(Problem::TooLong {
            max: MAX_DISPLAY_NAME_CHARS,
        })
    } else if name.chars().any(char::is_control) {
        Err(Problem::InvalidCharacters)
    } else {
        Ok(name.to_owned())
    }
}

#[cfg(feature = "ssr")]
fn parse_phone(input: &str) -> Result<PhoneNumber, AppError> {
    PhoneNumber::parse(input).map_err(|p| AppError::invalid(Field::Phone, p))
}

#[server(endpoint = "current_user", output = crate::codec::Json)]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    let state = app_state()?;
    let Some(user_id) = auth::session_user_id(&state.pool).await? else {
        return Ok(None);
    };
    let (phone, display_name, member_since): (String, String, String) = sqlx::query_as(
        "SELECT phone, display_name,
                to_char(created_at AT TIME ZONE INTERVAL '+08:00', 'YYYY-MM-DD')
           FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_one(&state.pool)
    .await?;
    let phone = PhoneNumber::parse(&phone)
        .map_err(|p| AppError::internal("stored phone number", format!("{p:?}")))?;
    let roles = auth::role_grants(&state.pool, user_id, crate::state::request_locale()).await?;
    Ok(Some(CurrentUser {
        id: user_id,
        phone_masked: phone.masked(),
        display_name,
        member_since,
        roles,
    }))
}

#[server(endpoint = "sign_up", output = crate::codec::Json)]
pub async fn sign_up(
    phone: String,
    display_name: String,
    password: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let phone = parse_phone(&phone)?;
    let display_name =
        parse_display_name(&display_name).map_err(|p| AppError::invalid(Field::DisplayName, p))?;
    let password =
        NewPassword::parse(&password, &phone).map_err(|p| AppError::invalid(Field::Password, p))?;
    let hash = auth::hash_password(password.expose().to_owned()).await?;
    let user_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (phone, display_name, password_hash) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(phone.as_str())
    .bind(&display_name)
    .bind(&hash)
    .fetch_one(&state.pool)
    .await
    .on_constraint(
        "users_phone_key",
        AppError::invalid(Field::Phone, Problem::PhoneTaken),
    )?;
    auth::start_session(&state, user_id).await?;
    leptos_axum::redirect("/me");
    Ok(())
}

#[server(endpoint = "sign_in", output = crate::codec::Json)]
pub async fn sign_in(phone: String, password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let phone = parse_phone(&phone)?;
    if password.is_empty() {
        return Err(AppError::invalid(Field::Password, Problem::Required));
    }
    auth::check_throttle(&state, &phone).await?;
    let user: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE phone = $1")
            .bind(phone.as_str())
            .fetch_optional(&state.pool)
            .await?;
    let (user_id, stored) = user
        .map(|(id, hash)| (Some(id), Some(hash)))
        .unwrap_or_default();
    let matches = auth::verify_password(password, stored).await?;
    let Some(user_id) = user_id.filter(|_| matches) else {
        auth::record_failure(&state, &phone).await?;
        return Err(AppError::WrongCredentials);
    };
    auth::clear_failures(&state, &phone).await?;
    auth::start_session(&state, user_id).await?;
    leptos_axum::redirect("/me");
    Ok(())
}

#[server(endpoint = "sign_out", output = crate::codec::Json)]
pub async fn sign_out() -> Result<(), AppError> {
    auth::end_session(&app_state()?).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "change_password", output = crate::codec::Json)]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let caller = auth::require_user().await?;
    let pool = &caller.state.pool;
    let (phone, stored): (String, String) =
        sqlx::query_as("SELECT phone, password_hash FROM users WHERE id = $1")
            .bind(caller.user_id)
            .fetch_one(pool)
            .await?;
    if current_password.is_empty() {
        return Err(AppError::invalid(Field::CurrentPassword, Problem::Required));
    }
    let phone = parse_phone(&phone)?;
    if !auth::verify_password(current_password.clone(), Some(stored)).await? {
        return Err(AppError::invalid(
            Field::CurrentPassword,
            Problem::WrongPassword,
        ));
    }
    let new = NewPassword::parse(&new_password, &phone)
        .map_err(|p| AppError::invalid(Field::NewPassword, p))?;
    if new.expose() == current_password {
        return Err(AppError::invalid(
            Field::NewPassword,
            Problem::PasswordSameAsOld,
        ));
    }
    let hash = auth::hash_password(new.expose().to_owned()).await?;
    sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1")
        .bind(caller.user_id)
        .bind(hash)
        .execute(pool)
        .await?;
    auth::end_other_sessions(pool, caller.user_id).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(parse_display_name("  张先生 "), Ok("张先生".to_owned()));
        assert_eq!(parse_display_name("   "), Err(Problem::Required));
        assert_eq!(
            parse_display_name(&"长".repeat(41)),
            Err(Problem::TooLong { max: 40 })
        );
        assert_eq!(
            parse_display_name("a\u{7}b"),
            Err(Problem::InvalidCharacters)
        );
    }
}
