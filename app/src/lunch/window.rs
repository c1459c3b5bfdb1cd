//! When a meal may be ordered, cancelled and picked up. Times are Unix seconds; the
//! windows are set in Shanghai time (e.g. order until 10:30, pick up 11:30–13:30).

use serde::{Deserialize, Serialize};

/// A meal's windows, in Unix seconds: ordering is open from `orders_open` until just
/// before `cutoff`; pickup runs from `pickup_from` until just before `pickup_until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Windows {
    pub orders_open: i64,
    pub cutoff: i64,
    pub pickup_from: i64,
    pub pickup_until: i64,
}

/// Where a meal's day stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Ordering has not opened yet.
    NotOpenYet,
    /// Orders and cancellations are taken.
    Ordering,
    /// Past the cutoff, before pickup ends: nothing changes, meals are handed over.
    Closed,
    /// The pickup window is over; orders not picked up are no-shows.
    Over,
}

impl Windows {
    pub fn phase(&self, now: i64) -> Phase {
        if now < self.orders_open {
            Phase::NotOpenYet
        } else if now < self.cutoff {
            Phase::Ordering
        } else if now < self.pickup_until {
            Phase::Closed
        } else {
            Phase::Over
        }
    }

    /// Orders and cancellations are taken only while ordering is open: at the cutoff minute
    /// itself, it is closed.
    pub fn may_change_orders(&self, now: i64) -> bool {
        self.phase(now) == Phase::Ordering
    }
}

/// The Unix time of `minute` (minutes after midnight) on the Shanghai day that starts at
/// Unix day `day` (days since 1970-01-01 in Shanghai's calendar). Shanghai is UTC+8 all
/// year.
pub fn shanghai_time(day: i64, minute: i64) -> i64 {
    day * 86_400 + minute * 60 - 8 * 3600
}

/// The Shanghai calendar day (days since 1970-01-01) of Unix time `unix`.
pub fn shanghai_day(unix: i64) -> i32 {
    (unix + 8 * 3600).div_euclid(86_400) as i32
}

/// "HH:MM" as minutes after midnight.
pub fn parse_clock(text: &str) -> Option<i64> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes after midnight as "HH:MM".
pub fn clock(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-27 is Unix day 20_784 in Shanghai.
    const DAY: i64 = 20_784;

    fn windows() -> Windows {
        Windows {
            orders_open: shanghai_time(DAY - 1, 14 * 60),
            cutoff: shanghai_time(DAY, 10 * 60 + 30),
            pickup_from: shanghai_time(DAY, 11 * 60 + 30),
            pickup_until: shanghai_time(DAY, 13 * 60 + 30),
        }
    }

    #[test]
    fn shanghai_is_eight_hours_ahead_of_utc() {
        // 2026-11-27 10:30 in Shanghai is 02:30 UTC.
        assert_eq!(shanghai_time(DAY, 10 * 60 + 30), 1_795_746_600);
    }

    #[test]
    fn the_cutoff_minute_is_closed_and_the_second_before_is_open() {
        let w = windows();
        let cutoff = shanghai_time(DAY, 10 * 60 + 30);
        assert!(w.may_change_orders(cutoff - 1));
        assert!(!w.may_change_orders(cutoff));
        assert!(!w.may_change_orders(cutoff + 60));
        assert_eq!(w.phase(cutoff), Phase::Closed);
    }

    #[test]
    fn phases_follow_the_day() {
        let w = windows();
        assert_eq!(w.phase(w.orders_open - 1), Phase::NotOpenYet);
        assert_eq!(w.phase(w.orders_open), Phase::Ordering);
        assert_eq!(w.phase(w.pickup_from), Phase::Closed);
        assert_eq!(w.phase(w.pickup_until - 1), Phase::Closed);
        assert_eq!(w.phase(w.pickup_until), Phase::Over);
    }

    #[test]
    fn clock_text_round_trips_and_bad_text_is_refused() {
        assert_eq!(parse_clock("10:30"), Some(630));
        assert_eq!(parse_clock(" 9:05 "), Some(545));
        assert_eq!(clock(630), "10:30");
        assert_eq!(clock(545), "09:05");
        for bad in ["", "10", "24:00", "10:60", "10:5", "ab:cd", "100:00"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }
}
