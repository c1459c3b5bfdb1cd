//! The sign-in throttle rule, apart from where its counts are stored.

/// Failures allowed per mobile number before it is locked.
pub const PHONE_FAILURE_LIMIT: i32 = 5;
/// Failures allowed per client address (shared offices sit behind one address).
pub const IP_FAILURE_LIMIT: i32 = 20;
/// Failures older than this are forgotten.
pub const WINDOW_SECS: i64 = 15 * 60;

const FIRST_LOCK_SECS: i64 = 30;
const LONGEST_LOCK_SECS: i64 = 15 * 60;

/// How long to lock a key after its `failures`-th failure within the window: nothing below
/// the limit, then 30 s, doubling with each further failure, at most 15 minutes.
pub fn lock_secs(failures: i32, limit: i32) -> Option<i64> {
    if failures < limit {
        return None;
    }
    let doublings = (failures - limit).min(16) as u32;
    Some((FIRST_LOCK_SECS << doublings).min(LONGEST_LOCK_SECS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_only_at_the_limit_then_backs_off() {
        assert_eq!(lock_secs(1, 5), None);
        assert_eq!(lock_secs(4, 5), None);
        assert_eq!(lock_secs(5, 5), Some(30));
        assert_eq!(lock_secs(6, 5), Some(60));
        assert_eq!(lock_secs(7, 5), Some(120));
        assert_eq!(lock_secs(50, 5), Some(15 * 60));
        assert_eq!(lock_secs(i32::MAX, 5), Some(15 * 60));
    }
}
