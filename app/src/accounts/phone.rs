//! Mainland China mobile numbers.

use crate::error::Problem;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An 11-digit mainland mobile number: `1`, then `3`–`9`, then nine digits.
/// Holding one means it was parsed, so it is always well-formed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts what people type: spaces, dashes, and a `+86` or `86` prefix.
    pub fn parse(input: &str) -> Result<PhoneNumber, Problem> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        if compact.is_empty() {
            return Err(Problem::Required);
        }
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .or_else(|| {
                (compact.len() == 13)
                    .then(|| compact.strip_prefix("86"))
                    .flatten()
            })
            .unwrap_or(&compact);
        let bytes = digits.as_bytes();
        let well_formed = bytes.len() == 11
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1])
            && bytes.iter().all(u8::is_ascii_digit);
        if well_formed {
            Ok(PhoneNumber(digits.to_owned()))
        } else {
            Err(Problem::PhoneFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`: enough to recognise one's own number, not to read someone else's.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&value).map_err(|p| format!("{p:?}"))
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mainland_mobile_numbers_as_typed() {
        for input in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+8613812345678",
            "8613812345678",
            "008619912345678",
        ] {
            let phone = PhoneNumber::parse(input).unwrap_or_else(|p| panic!("{input}: {p:?}"));
            assert_eq!(phone.as_str().len(), 11, "{input}");
        }
        assert_eq!(
            PhoneNumber::parse("+86 138 1234 5678").unwrap().as_str(),
            "13812345678"
        );
    }

    #[test]
    fn rejects_everything_else() {
        assert_eq!(PhoneNumber::parse("  "), Err(Problem::Required));
        for input in [
            "12812345678",
            "1381234567",
            "138123456789",
            "2381234567a",
            "1381234567８",
            "021-62345678",
            "+1 415 555 0100",
        ] {
            assert_eq!(
                PhoneNumber::parse(input),
                Err(Problem::PhoneFormat),
                "{input}"
            );
        }
    }

    #[test]
    fn masks_the_middle_digits() {
        assert_eq!(
            PhoneNumber::parse("13812345678").unwrap().masked(),
            "138****5678"
        );
    }

    #[test]
    fn cannot_be_deserialised_from_a_bad_number() {
        assert!(serde_json::from_str::<PhoneNumber>("\"123\"").is_err());
        assert!(serde_json::from_str::<PhoneNumber>("\"13812345678\"").is_ok());
    }
}
