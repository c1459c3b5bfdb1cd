//! The one error type of server functions and HTTP handlers.
//!
//! It travels to the browser as JSON, so it carries *what* went wrong (a field and a problem,
//! a retry delay, a request id) and the view renders it in the reader's language. Internal
//! details never leave the server: they are logged with a request id and the user sees only
//! that id.

use crate::i18n::{Key, Locale};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// A user mistake in one field of a form or request.
    #[error("invalid {field:?}: {problem:?}")]
    Invalid { field: Field, problem: Problem },
    #[error("wrong mobile number or password")]
    WrongCredentials,
    #[error("not signed in")]
    NotSignedIn,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A step that the thing's current state does not allow (409), e.g. claiming what
    /// someone else has just claimed. The capability names what and why.
    #[error("not possible now: {0:?}")]
    Conflict(Conflict),
    /// More than the request may carry (413), e.g. a photo over the size limit.
    #[error("too large")]
    TooLarge { field: Field, max_bytes: u64 },
    #[error("throttled for {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    #[error("cross-site request refused")]
    CrossSite,
    /// The database cannot be reached; the app recovers when it returns.
    #[error("database unavailable")]
    Unavailable,
    #[error("internal error, request {request_id}")]
    Internal { request_id: String },
    /// The request itself failed: network, encoding, or a malformed call.
    #[error("request failed: {0}")]
    Request(String),
}

/// The input a problem concerns; the form shows the message next to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Phone,
    Password,
    CurrentPassword,
    NewPassword,
    DisplayName,
    Role,
    Scope,
    User,
    Query,
    Kind,
    Kinds,
    Near,
    NameZh,
    NameEn,
    AddressZh,
    AddressEn,
    Latitude,
    Longitude,
    ContactPhone,
    Hours,
    Exceptions,
    Services,
    DescriptionZh,
    DescriptionEn,
    Bbox,
    /// A field of a problem raised to the building manager.
    Request(crate::requests::RequestField),
    /// A field of a lunch form.
    Lunch(crate::lunch::LunchField),
    /// A field of volunteer points.
    Points(crate::points::PointsField),
    /// A field of the case library.
    Knowledge(crate::knowledge::KnowledgeField),
    /// A filter of the numbers.
    Numbers(crate::numbers::NumbersField),
    /// A field of the Open311 key form.
    Open311(crate::open311::keys::KeyField),
}

/// Why a step cannot be taken now, per capability; each keeps its own reasons and texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conflict {
    Request(crate::requests::lifecycle::StepRefused),
    Lunch(crate::lunch::LunchRefused),
    Points(crate::points::PointsRefused),
    Knowledge(crate::knowledge::KnowledgeRefused),
}

/// What is wrong with a field, and so what the fix is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    InvalidCharacters,
    PhoneFormat,
    PhoneTaken,
    PasswordNeedsLetterAndDigit,
    PasswordContainsPhone,
    PasswordTooCommon,
    PasswordSameAsOld,
    WrongPassword,
    RoleUnknown,
    ScopeRequired,
    ScopeWrongKind,
    ScopeNotAllowed,
    AlreadyGranted,
    UnknownUser,
    UnknownKind,
    PointFormat,
    OutsideArea,
    NotANumber,
    HoursFormat,
    ExceptionFormat,
    ContactPhoneFormat,
    BboxFormat,
    KindRequired,
    TooManyFiles {
        max: usize,
    },
    NotAnImage,
    ImageDamaged,
    ImageTooLarge,
    /// A value that was not among the choices offered (a hand-edited link).
    NotOffered,
    /// A problem specific to the requests capability.
    Request(crate::requests::RequestProblem),
    /// A problem specific to lunch.
    Lunch(crate::lunch::LunchProblem),
    /// A problem specific to volunteer points.
    Points(crate::points::PointsProblem),
    /// A problem specific to the case library and the service hall.
    Knowledge(crate::knowledge::KnowledgeProblem),
}

/// A form's text, trimmed and between `min` and `max` characters (0: optional), with no
/// control characters but line breaks; the error names `field`.
pub fn bounded_text(field: Field, input: &str, min: usize, max: usize) -> Result<String, AppError> {
    let text = input.trim();
    let n = text.chars().count();
    if n == 0 && min > 0 {
        return Err(AppError::invalid(field, Problem::Required));
    }
    if n < min {
        return Err(AppError::invalid(field, Problem::TooShort { min }));
    }
    if n > max {
        return Err(AppError::invalid(field, Problem::TooLong { max }));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::invalid(field, Problem::InvalidCharacters));
    }
    Ok(text.replace("\r\n", "\n"))
}

/// The values of a checkbox group that are among `known`, in `known`'s order; `None` when
/// one is not known (the caller names the field and the problem).
pub fn known_choices<T>(chosen: &[&str], known: &[(&str, T)]) -> Option<Vec<String>> {
    if chosen.iter().any(|c| !known.iter().any(|(k, _)| k == c)) {
        return None;
    }
    Some(
        known
            .iter()
            .filter(|(k, _)| chosen.contains(k))
            .map(|(k, _)| (*k).to_owned())
            .collect(),
    )
}

impl AppError {
    pub fn invalid(field: Field, problem: Problem) -> Self {
        AppError::Invalid { field, problem }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } | AppError::Request(_) => 400,
            AppError::WrongCredentials | AppError::NotSignedIn => 401,
            AppError::Forbidden | AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::TooLarge { .. } => 413,
            AppError::Throttled { .. } => 429,
            AppError::Unavailable => 503,
            AppError::Internal { .. } => 500,
        }
    }

    /// The field a form should mark, if the error concerns one.
    pub fn field(&self) -> Option<Field> {
        match self {
            AppError::Invalid { field, .. } | AppError::TooLarge { field, .. } => Some(*field),
            _ => None,
        }
    }

    /// The whole message, in `locale`, for a banner or an API client.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            AppError::Invalid { field, problem } => {
                let sep = if locale == Locale::Zh { "：" } else { ": " };
                format!("{}{sep}{}", field.label(locale), problem.message(locale))
            }
            AppError::TooLarge { field, max_bytes } => {
                let sep = if locale == Locale::Zh { "：" } else { ": " };
                format!(
                    "{}{sep}{}",
                    field.label(locale),
                    locale.too_large(*max_bytes)
                )
            }
            AppError::Conflict(Conflict::Request(refused)) => locale.text(refused.text()).into(),
            AppError::Conflict(Conflict::Lunch(refused)) => refused.message(locale),
            AppError::Conflict(Conflict::Points(refused)) => refused.message(locale).into(),
            AppError::Conflict(Conflict::Knowledge(refused)) => locale.text(refused.text()).into(),
            AppError::WrongCredentials => locale.text(Key::ErrorWrongCredentials).into(),
            AppError::NotSignedIn => locale.text(Key::ErrorNotSignedIn).into(),
            AppError::Forbidden => locale.text(Key::ErrorForbidden).into(),
            AppError::NotFound => locale.text(Key::ErrorNotFound).into(),
            AppError::Throttled { retry_after_secs } => locale.retry_in(*retry_after_secs),
            AppError::CrossSite => locale.text(Key::ErrorCrossSite).into(),
            AppError::Unavailable => locale.text(Key::ErrorUnavailable).into(),
            AppError::Internal { request_id } => locale.internal_error(request_id),
            AppError::Request(_) => locale.text(Key::ErrorRequestFailed).into(),
        }
    }
}

impl Field {
    pub fn label(self, locale: Locale) -> &'static str {
        let key = match self {
            Field::Request(field) => return locale.text(field.label()),
            Field::Lunch(field) => return locale.text(field.label()),
            Field::Points(field) => return locale.text(field.label()),
            Field::Knowledge(field) => return locale.text(field.label()),
            Field::Numbers(field) => return locale.text(field.label()),
            Field::Open311(field) => return locale.text(field.label()),
            Field::Phone => Key::FieldPhone,
            Field::Password => Key::FieldPassword,
            Field::CurrentPassword => Key::FieldCurrentPassword,
            Field::NewPassword => Key::FieldNewPassword,
            Field::DisplayName => Key::FieldDisplayName,
            Field::Role => Key::FieldRole,
            Field::Scope => Key::FieldScope,
            Field::User => Key::FieldUser,
            Field::Query => Key::FieldQuery,
            Field::Kind | Field::Kinds => Key::FieldKinds,
            Field::Near => Key::FieldNear,
            Field::NameZh => Key::FieldNameZh,
            Field::NameEn => Key::FieldNameEn,
            Field::AddressZh => Key::FieldAddressZh,
            Field::AddressEn => Key::FieldAddressEn,
            Field::Latitude => Key::FieldLatitude,
            Field::Longitude => Key::FieldLongitude,
            Field::ContactPhone => Key::FieldContactPhone,
            Field::Hours => Key::FieldHours,
            Field::Exceptions => Key::FieldExceptions,
            Field::Services => Key::FieldServices,
            Field::DescriptionZh => Key::FieldDescriptionZh,
            Field::DescriptionEn => Key::FieldDescriptionEn,
            Field::Bbox => Key::FieldBbox,
        };
        locale.text(key)
    }
}

impl Problem {
    pub fn message(self, locale: Locale) -> String {
        let key = match self {
            Problem::TooShort { min } => return locale.at_least_chars(min),
            Problem::TooLong { max } => return locale.at_most_chars(max),
            Problem::Request(problem) => return locale.text(problem.text()).into(),
            Problem::Lunch(problem) => return problem.message(locale),
            Problem::Points(problem) => return problem.message(locale),
            Problem::Knowledge(problem) => return problem.message(locale),
            Problem::TooManyFiles { max } => return locale.too_many_files(max),
            Problem::NotAnImage => Key::ProblemNotAnImage,
            Problem::ImageDamaged => Key::ProblemImageDamaged,
            Problem::ImageTooLarge => Key::ProblemImageTooLarge,
            Problem::NotOffered => Key::ProblemNotOffered,
            Problem::Required => Key::ProblemRequired,
            Problem::InvalidCharacters => Key::ProblemInvalidCharacters,
            Problem::PhoneFormat => Key::ProblemPhoneFormat,
            Problem::PhoneTaken => Key::ProblemPhoneTaken,
            Problem::PasswordNeedsLetterAndDigit => Key::ProblemPasswordNeedsLetterAndDigit,
            Problem::PasswordContainsPhone => Key::ProblemPasswordContainsPhone,
            Problem::PasswordTooCommon => Key::ProblemPasswordTooCommon,
            Problem::PasswordSameAsOld => Key::ProblemPasswordSameAsOld,
            Problem::WrongPassword => Key::ProblemWrongPassword,
            Problem::RoleUnknown => Key::ProblemRoleUnknown,
            Problem::ScopeRequired => Key::ProblemScopeRequired,
            Problem::ScopeWrongKind => Key::ProblemScopeWrongKind,
            Problem::ScopeNotAllowed => Key::ProblemScopeNotAllowed,
            Problem::AlreadyGranted => Key::ProblemAlreadyGranted,
            Problem::UnknownUser => Key::ProblemUnknownUser,
            Problem::UnknownKind => Key::ProblemUnknownKind,
            Problem::PointFormat => Key::ProblemPointFormat,
            Problem::OutsideArea => Key::ProblemOutsideArea,
            Problem::NotANumber => Key::ProblemNotANumber,
            Problem::HoursFormat => Key::ProblemHoursFormat,
            Problem::ExceptionFormat => Key::ProblemExceptionFormat,
            Problem::ContactPhoneFormat => Key::ProblemContactPhoneFormat,
            Problem::BboxFormat => Key::ProblemBboxFormat,
            Problem::KindRequired => Key::ProblemKindRequired,
        };
        locale.text(key).into()
    }
}

impl FromServerFnError for AppError {
    type Encoder = crate::codec::JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    /// A fresh id to quote in a log line and to the user, so the two can be matched.
    pub fn new_request_id() -> String {
        use password_hash::rand_core::{OsRng, RngCore};
        format!("{:08x}", OsRng.next_u32())
    }

    impl AppError {
        /// Logs an unexpected failure with its context and returns what the user may see.
        pub fn internal(context: &str, error: impl std::fmt::Display) -> AppError {
            let request_id = new_request_id();
            tracing::error!(%request_id, context, %error, "internal error");
            AppError::Internal { request_id }
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            match &error {
                // The database went away or is overloaded: answer 503 and let the pool
                // reconnect by itself when it is back.
                sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed => {
                    tracing::warn!(%error, "database unavailable");
                    AppError::Unavailable
                }
                sqlx::Error::Database(db) if is_shutdown_code(db.code().as_deref()) => {
                    tracing::warn!(%error, "database shutting down");
                    AppError::Unavailable
                }
                _ => AppError::internal("database", error),
            }
        }
    }

    /// SQLSTATE class 57P (operator intervention: shutdown, crash) and 08 (connection).
    fn is_shutdown_code(code: Option<&str>) -> bool {
        code.is_some_and(|c| c.starts_with("57P") || c.starts_with("08"))
    }

    /// Turns a named constraint violation into the user error it means, as in
    /// realworld-axum-sqlx: the database is the final judge of uniqueness.
    pub trait OnConstraint<T> {
        fn on_constraint(self, name: &str, error: AppError) -> Result<T, AppError>;
    }

    impl<T> OnConstraint<T> for Result<T, sqlx::Error> {
        fn on_constraint(self, name: &str, error: AppError) -> Result<T, AppError> {
            self.map_err(|e| match &e {
                sqlx::Error::Database(db) if db.constraint() == Some(name) => error,
                _ => e.into(),
            })
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::{new_request_id, OnConstraint};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_mistakes_are_not_server_errors() {
        let e = AppError::invalid(Field::Phone, Problem::PhoneFormat);
        assert_eq!(e.status(), 400);
        assert_eq!(e.field(), Some(Field::Phone));
        assert!(e.message(Locale::Zh).starts_with("手机号："));
        assert!(e.message(Locale::En).contains("11-digit"));
        assert_eq!(
            AppError::Throttled {
                retry_after_secs: 30
            }
            .status(),
            429
        );
        assert_eq!(AppError::Unavailable.status(), 503);
    }

    #[test]
    fn errors_survive_the_trip_to_the_browser() {
        let e = AppError::Throttled {
            retry_after_secs: 42,
        };
        let back = AppError::de(e.ser());
        assert_eq!(back, e);
        assert!(back.message(Locale::Zh).contains("42"));
    }
}
