//! The password policy, as a type: a `NewPassword` has passed it.

use super::PhoneNumber;
use crate::error::Problem;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Passwords people pick first. Short on purpose: length and the letter-and-digit rule do the
/// rest; this catches the few that pass them and are still guessed first.
const COMMON: &[&str] = &[
    "password1",
    "password123",
    "passw0rd",
    "abc12345",
    "abcd1234",
    "a1234567",
    "a12345678",
    "12345678a",
    "qwer1234",
    "qwerty123",
    "1qaz2wsx",
    "iloveyou1",
    "woaini1314",
    "admin123",
    "aa123456",
    "zxcv1234",
];

/// A password that meets the policy for `phone`'s owner.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str, phone: &PhoneNumber) -> Result<NewPassword, Problem> {
        let chars = input.chars().count();
        if chars == 0 {
            return Err(Problem::Required);
        }
        if chars < MIN_PASSWORD_CHARS {
            return Err(Problem::TooShort {
                min: MIN_PASSWORD_CHARS,
            });
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(Problem::TooLong {
                max: MAX_PASSWORD_CHARS,
            });
        }
        if input.chars().any(char::is_control) {
            return Err(Problem::InvalidCharacters);
        }
        let has_letter = input.chars().any(char::is_alphabetic);
        let has_digit = input.chars().any(|c| c.is_ascii_digit());
        if !(has_letter && has_digit) {
            return Err(Problem::PasswordNeedsLetterAndDigit);
        }
        if input.contains(&phone.as_str()[3..]) {
            return Err(Problem::PasswordContainsPhone);
        }
        if COMMON.contains(&input.to_lowercase().as_str()) {
            return Err(Problem::PasswordTooCommon);
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone() -> PhoneNumber {
        PhoneNumber::parse("13812345678").unwrap()
    }

    #[test]
    fn accepts_a_reasonable_password() {
        assert!(NewPassword::parse("lunch-at-xinhui-7", &phone()).is_ok());
        assert!(NewPassword::parse("长寿路zero2026", &phone()).is_ok());
    }

    #[test]
    fn names_what_is_wrong() {
        let p = phone();
        assert_eq!(NewPassword::parse("", &p), Err(Problem::Required));
        assert_eq!(
            NewPassword::parse("ab1", &p),
            Err(Problem::TooShort { min: 8 })
        );
        assert_eq!(
            NewPassword::parse(&"a1".repeat(65), &p),
            Err(Problem::TooLong { max: 128 })
        );
        assert_eq!(
            NewPassword::parse("onlyletters", &p),
            Err(Problem::PasswordNeedsLetterAndDigit)
        );
        assert_eq!(
            NewPassword::parse("1234567890", &p),
            Err(Problem::PasswordNeedsLetterAndDigit)
        );
        assert_eq!(
            NewPassword::parse("me12345678", &p),
            Err(Problem::PasswordContainsPhone)
        );
        assert_eq!(
            NewPassword::parse("Password123", &p),
            Err(Problem::PasswordTooCommon)
        );
        assert_eq!(
            NewPassword::parse("tab\there1", &p),
            Err(Problem::InvalidCharacters)
        );
    }

    #[test]
    fn never_prints_the_secret() {
        let pw = NewPassword::parse("lunch-at-xinhui-7", &phone()).unwrap();
        assert!(!format!("{pw:?}").contains("lunch"));
    }
}
