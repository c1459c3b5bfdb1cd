//! The check-in codes on the organiser's screen: a token naming the activity, the action
//! (in or out) and a 30-second slot, signed with an HMAC-SHA256 under the server's secret,
//! and a six-digit code for typing. A token is shown during its slot and accepted for one
//! slot more (the time to scan and send); later it fails, so a screenshot or a forwarded code
//! is worth a minute at most.
//!
//! Pure: the key and the time are arguments.

pub use super::Action;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How long one code is shown.
pub const SLOT_SECS: i64 = 30;
/// A scan may claim a time at most this far ahead of the slot (clocks differ a little).
const SKEW_SECS: i64 = 5;
/// Bytes of the MAC kept in a token (128 bits).
const MAC_BYTES: usize = 16;

/// What a valid token says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub activity: i64,
    pub action: Action,
    pub slot: i64,
}

/// Why a token or code is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenProblem {
    Malformed,
    /// Not signed by this server, or changed.
    Forged,
    /// Its slot is over: an old screenshot, or a code sent on.
    Expired,
    /// Its slot has not begun at the time claimed.
    FromTheFuture,
    WrongActivity,
    WrongAction,
}

/// The slot that holds Unix time `at`.
pub fn slot_at(at: i64) -> i64 {
    at.div_euclid(SLOT_SECS)
}

fn mac(key: &[u8], domain: &str, activity: i64, action: Action, slot: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(format!("{domain}|{activity}|{}|{slot}", action.as_str()).as_bytes());
    mac
}

/// The token shown during `slot`: `{activity}.{in|out}.{slot}.{mac}` (hex), URL-safe.
pub fn sign(key: &[u8], activity: i64, action: Action, slot: i64) -> String {
    let tag = mac(key, "zd-checkin-v1", activity, action, slot)
        .finalize()
        .into_bytes();
    let hex: String = tag[..MAC_BYTES]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{activity}.{}.{slot}.{hex}", action.as_str())
}

/// The six digits typed instead of scanning, for `slot`.
pub fn typed_code(key: &[u8], activity: i64, action: Action, slot: i64) -> String {
    let tag = mac(key, "zd-code-v1", activity, action, slot)
        .finalize()
        .into_bytes();
    let n = u32::from_be_bytes([tag[0], tag[1], tag[2], tag[3]]) % 1_000_000;
    format!("{n:06}")
}

/// Whether `slot` may be used at `at`: from its start (less a little skew) until the end of
/// the next slot.
fn fresh(slot: i64, at: i64) -> Result<(), TokenProblem> {
    let start = slot * SLOT_SECS;
    if at < start - SKEW_SECS {
        Err(TokenProblem::FromTheFuture)
    } else if at >= start + 2 * SLOT_SECS {
        Err(TokenProblem::Expired)
    } else {
        Ok(())
    }
}

/// Checks a scanned token at Unix time `at` (when it was scanned) for `activity` and
/// `action` (`None`: any).
pub fn check(
    key: &[u8],
    text: &str,
    at: i64,
    activity: Option<i64>,
    action: Option<Action>,
) -> Result<Token, TokenProblem> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let [id, act, slot, hex] = parts.as_slice() else {
        return Err(TokenProblem::Malformed);
    };
    let token = Token {
        activity: id.parse().map_err(|_| TokenProblem::Malformed)?,
        action: Action::parse(act).ok_or(TokenProblem::Malformed)?,
        slot: slot.parse().map_err(|_| TokenProblem::Malformed)?,
    };
    if hex.len() != MAC_BYTES * 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(TokenProblem::Malformed);
    }
    let tag: Vec<u8> = (0..MAC_BYTES)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16))
        .collect::<Result<_, _>>()
        .map_err(|_| TokenProblem::Malformed)?;
    // Constant time, so the MAC cannot be guessed byte by byte from response times.
    mac(
        key,
        "zd-checkin-v1",
        token.activity,
        token.action,
        token.slot,
    )
    .verify_truncated_left(&tag)
    .map_err(|_| TokenProblem::Forged)?;
    if activity.is_some_and(|a| a != token.activity) {
        return Err(TokenProblem::WrongActivity);
    }
    if action.is_some_and(|a| a != token.action) {
        return Err(TokenProblem::WrongAction);
    }
    fresh(token.slot, at)?;
    Ok(token)
}

/// Checks a typed code for `activity` and `action` at `at`: the code of the current slot or
/// of the one before.
pub fn check_code(
    key: &[u8],
    activity: i64,
    action: Action,
    code: &str,
    at: i64,
) -> Result<Token, TokenProblem> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TokenProblem::Malformed);
    }
    let now = slot_at(at);
    [now, now - 1]
        .into_iter()
        .find(|slot| typed_code(key, activity, action, *slot) == code)
        .map(|slot| Token {
            activity,
            action,
            slot,
        })
        .ok_or(TokenProblem::Expired)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"a server secret of thirty-two bytes!";
    const AT: i64 = 1_795_746_600;

    fn token(activity: i64, action: Action) -> String {
        sign(KEY, activity, action, slot_at(AT))
    }

    #[test]
    fn a_fresh_token_checks_out() {
        let t = check(
            KEY,
            &token(7, Action::In),
            AT + 3,
            Some(7),
            Some(Action::In),
        )
        .unwrap();
        assert_eq!((t.activity, t.action, t.slot), (7, Action::In, slot_at(AT)));
    }

    #[test]
    fn it_lasts_its_slot_and_one_more_then_expires() {
        let start = slot_at(AT) * SLOT_SECS;
        let t = token(7, Action::In);
        assert!(check(KEY, &t, start + 2 * SLOT_SECS - 1, None, None).is_ok());
        assert_eq!(
            check(KEY, &t, start + 2 * SLOT_SECS, None, None),
            Err(TokenProblem::Expired)
        );
        // A screenshot from yesterday.
        assert_eq!(
            check(KEY, &t, AT + 86_400, None, None),
            Err(TokenProblem::Expired)
        );
    }

    #[test]
    fn a_token_from_the_future_is_refused() {
        let later = sign(KEY, 7, Action::In, slot_at(AT) + 2);
        assert_eq!(
            check(KEY, &later, AT, None, None),
            Err(TokenProblem::FromTheFuture)
        );
    }

    #[test]
    fn tampered_and_foreign_tokens_are_forged() {
        let t = token(7, Action::In);
        // Another activity, action or slot with the same MAC.
        for changed in [
            t.replacen("7.", "8.", 1),
            t.replace(".in.", ".out."),
            t.replace(
                &format!(".{}.", slot_at(AT)),
                &format!(".{}.", slot_at(AT) + 1),
            ),
        ] {
            assert_eq!(
                check(KEY, &changed, AT, None, None),
                Err(TokenProblem::Forged),
                "{changed}"
            );
        }
        let mut flipped = t.clone();
        let last = flipped.pop().unwrap();
        flipped.push(if last == '0' { '1' } else { '0' });
        assert_eq!(
            check(KEY, &flipped, AT, None, None),
            Err(TokenProblem::Forged)
        );
        assert_eq!(
            check(b"another server's secret", &t, AT, None, None),
            Err(TokenProblem::Forged)
        );
        for junk in ["", "7.in", "x.in.1.00", "7.sideways.1.00", &format!("{t}0")] {
            assert_eq!(
                check(KEY, junk, AT, None, None),
                Err(TokenProblem::Malformed),
                "{junk}"
            );
        }
    }

    #[test]
    fn the_wrong_activity_or_action_is_named() {
        let t = token(7, Action::In);
        assert_eq!(
            check(KEY, &t, AT, Some(8), None),
            Err(TokenProblem::WrongActivity)
        );
        assert_eq!(
            check(KEY, &t, AT, Some(7), Some(Action::Out)),
            Err(TokenProblem::WrongAction)
        );
    }

    #[test]
    fn typed_codes_are_six_digits_for_this_slot_and_the_last() {
        let code = typed_code(KEY, 7, Action::In, slot_at(AT));
        assert_eq!(code.len(), 6);
        assert!(check_code(KEY, 7, Action::In, &code, AT).is_ok());
        assert!(check_code(KEY, 7, Action::In, &code, AT + SLOT_SECS).is_ok());
        assert_eq!(
            check_code(KEY, 7, Action::In, &code, AT + 2 * SLOT_SECS),
            Err(TokenProblem::Expired)
        );
        assert_eq!(
            check_code(KEY, 7, Action::In, "12a456", AT),
            Err(TokenProblem::Malformed)
        );
        // Out's code is not in's (bar a one-in-a-million coincidence, checked here).
        let out = typed_code(KEY, 7, Action::Out, slot_at(AT));
        assert_ne!(out, code);
    }
}
