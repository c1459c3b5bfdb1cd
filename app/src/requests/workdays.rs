//! Working-time deadlines for problems raised to building managers.
//!
//! Managers answer during office hours on China's official working days: Monday to Friday,
//! minus public holidays, plus the make-up working days (调休) the State Council announces
//! each year. A [`Calendar`] is that default week with dated overrides on top, so the admin
//! only has to enter the yearly announcement.

use crate::map::hours::{weekday, LocalTime, Minute};
use std::collections::BTreeMap;

/// Office hours start, Shanghai time.
pub const WORKDAY_START: Minute = 9 * 60;
/// Office hours end, Shanghai time; a working day holds eight working hours.
pub const WORKDAY_END: Minute = 17 * 60;

const DAY_START_SEC: i64 = WORKDAY_START as i64 * 60;
const DAY_END_SEC: i64 = WORKDAY_END as i64 * 60;
const WORKDAY_SECONDS: i64 = DAY_END_SEC - DAY_START_SEC;
const SECONDS_PER_DAY: i64 = 86_400;
const SHANGHAI_OFFSET_SECS: i64 = 8 * 3600;
/// How far a deadline search may run, so that a calendar with no working days cannot loop forever.
const SEARCH_DAYS: i32 = 3 * 366;

/// What a dated override makes of a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    DayOff,
    WorkingDay,
}

impl DayKind {
    /// The value stored in the database column.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::DayOff => "off",
            DayKind::WorkingDay => "work",
        }
    }
}

/// Reads a day kind as the admin types it in the calendar editor, in English or Chinese.
pub fn parse_day_kind(text: &str) -> Option<DayKind> {
    match text.trim().to_ascii_lowercase().as_str() {
        "off" | "holiday" | "休" | "休息" => Some(DayKind::DayOff),
        "work" | "working" | "班" | "上班" => Some(DayKind::WorkingDay),
        _ => None,
    }
}

/// Working days: Monday to Friday unless a dated override says otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    overrides: BTreeMap<i32, DayKind>,
}

impl Calendar {
    /// Days are counted from 1970-01-01; a later entry for the same day wins.
    pub fn new(overrides: impl IntoIterator<Item = (i32, DayKind)>) -> Calendar {
        Calendar {
            overrides: overrides.into_iter().collect(),
        }
    }

    pub fn overrides(&self) -> &BTreeMap<i32, DayKind> {
        &self.overrides
    }

    pub fn kind_of(&self, day: i32) -> DayKind {
        match self.overrides.get(&day) {
            Some(kind) => *kind,
            None if is_weekday(day) => DayKind::WorkingDay,
            None => DayKind::DayOff,
        }
    }

    pub fn is_working_day(&self, day: i32) -> bool {
        self.kind_of(day) == DayKind::WorkingDay
    }

    /// The instant at which `minutes` of working time have passed since `start_unix`.
    ///
    /// Time outside office hours does not count, so a problem raised in the evening starts its
    /// clock at 09:00 on the next working day. A deadline that uses up a day exactly ends at
    /// 17:00 that day rather than 09:00 the next, which is what a resident expects to read.
    /// Deadlines beyond the search horizon (about three years) are clamped to it.
    pub fn add_working_minutes(&self, start_unix: i64, minutes: u32) -> i64 {
        let (start_day, start_sec) = local_seconds(start_unix);
        let last_day = start_day + SEARCH_DAYS;
        let cap = unix_at(last_day, DAY_END_SEC);
        let (mut day, mut sec) = if self.is_working_day(start_day) && start_sec < DAY_END_SEC {
            (start_day, start_sec.max(DAY_START_SEC))
        } else {
            match self.next_working_day(start_day, last_day) {
                Some(day) => (day, DAY_START_SEC),
                None => return cap,
            }
        };
        let mut remaining = i64::from(minutes) * 60;
        loop {
            let available = DAY_END_SEC - sec;
            if remaining <= available {
                return unix_at(day, sec + remaining);
            }
            // Use up the rest of this day and jump straight to the next working morning.
            remaining -= available;
            match self.next_working_day(day, last_day) {
                Some(next) => (day, sec) = (next, DAY_START_SEC),
                None => return cap,
            }
        }
    }

    /// Working minutes in `[from_unix, to_unix)`; whole days in between are counted without
    /// visiting them, so long spans cost no more than short ones.
    pub fn working_minutes_between(&self, from_unix: i64, to_unix: i64) -> i64 {
        if to_unix <= from_unix {
            return 0;
        }
        let (from_day, from_sec) = local_seconds(from_unix);
        let (to_day, to_sec) = local_seconds(to_unix);
        let seconds = if from_day == to_day {
            self.working_seconds_on(from_day, from_sec, to_sec)
        } else {
            self.working_seconds_on(from_day, from_sec, SECONDS_PER_DAY)
                + self.working_days_in(from_day + 1, to_day) * WORKDAY_SECONDS
                + self.working_seconds_on(to_day, 0, to_sec)
        };
        seconds / 60
    }

    fn next_working_day(&self, after: i32, last_day: i32) -> Option<i32> {
        (after + 1..=last_day).find(|&day| self.is_working_day(day))
    }

    /// Office seconds of `day` that fall between two seconds of that day.
    fn working_seconds_on(&self, day: i32, from_sec: i64, to_sec: i64) -> i64 {
        if !self.is_working_day(day) {
            return 0;
        }
        (to_sec.min(DAY_END_SEC) - from_sec.max(DAY_START_SEC)).max(0)
    }

    /// Working days in `[first, end)`: the weekday count corrected by the overrides in range.
    fn working_days_in(&self, first: i32, end: i32) -> i64 {
        if end <= first {
            return 0;
        }
        let whole_weeks = (end - first) / 7;
        let rest = (first + whole_weeks * 7..end)
            .filter(|&day| is_weekday(day))
            .count();
        let corrections: i64 = self
            .overrides
            .range(first..end)
            .map(|(&day, &kind)| {
                i64::from(kind == DayKind::WorkingDay) - i64::from(is_weekday(day))
            })
            .sum();
        i64::from(whole_weeks) * 5 + rest as i64 + corrections
    }
}

/// The State Council's 2026 schedule; the seed the migration ships as well.
pub fn official_2026() -> Vec<(i32, DayKind)> {
    const DAYS_OFF: [(&str, &str); 7] = [
        ("2026-01-01", "2026-01-03"),
        ("2026-02-15", "2026-02-23"),
        ("2026-04-04", "2026-04-06"),
        ("2026-05-01", "2026-05-05"),
        ("2026-06-19", "2026-06-21"),
        ("2026-09-25", "2026-09-27"),
        ("2026-10-01", "2026-10-07"),
    ];
    const MAKE_UP_DAYS: [&str; 6] = [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ];
    let date = |text: &str| crate::map::hours::parse_date(text).expect("built-in dates are valid");
    let days_off = DAYS_OFF
        .iter()
        .flat_map(|&(first, last)| (date(first)..=date(last)).map(|day| (day, DayKind::DayOff)));
    let make_up = MAKE_UP_DAYS
        .iter()
        .map(|&text| (date(text), DayKind::WorkingDay));
    days_off.chain(make_up).collect()
}

fn is_weekday(day: i32) -> bool {
    weekday(day) <= 5
}

/// Shanghai day and second of that day; Shanghai's offset is whole minutes, so seconds carry over.
fn local_seconds(unix: i64) -> (i32, i64) {
    let at = LocalTime::shanghai_from_unix(unix);
    (at.day, i64::from(at.minute) * 60 + unix.rem_euclid(60))
}

fn unix_at(day: i32, second_of_day: i64) -> i64 {
    i64::from(day) * SECONDS_PER_DAY + second_of_day - SHANGHAI_OFFSET_SECS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::hours::parse_date;

    /// Unix seconds of a Shanghai wall-clock time.
    fn at(date: &str, hour: i64, minute: i64) -> i64 {
        let day = i64::from(parse_date(date).unwrap());
        day * 86_400 + (hour * 60 + minute) * 60 - 8 * 3600
    }

    fn day(date: &str) -> i32 {
        parse_date(date).unwrap()
    }

    fn cal() -> Calendar {
        Calendar::new(official_2026())
    }

    #[test]
    fn friday_afternoon_rolls_over_the_weekend() {
        assert_eq!(weekday(day("2026-03-06")), 5);
        let deadline = cal().add_working_minutes(at("2026-03-06", 16, 0), 120);
        assert_eq!(deadline, at("2026-03-09", 10, 0));
    }

    #[test]
    fn evening_request_counts_from_next_morning() {
        let deadline = cal().add_working_minutes(at("2026-03-10", 20, 0), 60);
        assert_eq!(deadline, at("2026-03-11", 10, 0));
        let early = cal().add_working_minutes(at("2026-03-11", 7, 30), 60);
        assert_eq!(early, at("2026-03-11", 10, 0));
    }

    #[test]
    fn spring_festival_uses_the_make_up_saturday() {
        let c = cal();
        assert_eq!(
            c.add_working_minutes(at("2026-02-13", 16, 0), 480),
            at("2026-02-14", 16, 0)
        );
        assert_eq!(
            c.add_working_minutes(at("2026-02-14", 16, 30), 120),
            at("2026-02-24", 10, 30)
        );
    }

    #[test]
    fn make_up_days_and_weekends() {
        let c = cal();
        assert!(c.is_working_day(day("2026-02-28")));
        assert!(!c.is_working_day(day("2026-03-01")));
        assert!(c.is_working_day(day("2026-01-04")));
        assert!(!c.is_working_day(day("2026-01-02")));
        assert!(!c.is_working_day(day("2026-02-21")));
        assert!(c.is_working_day(day("2026-10-10")));
    }

    #[test]
    fn national_day_week_is_skipped() {
        // One hour on Wednesday 30 September, the other seven on Thursday 8 October.
        assert_eq!(weekday(day("2026-10-08")), 4);
        let deadline = cal().add_working_minutes(at("2026-09-30", 16, 0), 480);
        assert_eq!(deadline, at("2026-10-08", 16, 0));
    }

    #[test]
    fn deadline_on_closing_time_stays_there() {
        let c = cal();
        assert_eq!(
            c.add_working_minutes(at("2026-03-09", 16, 0), 60),
            at("2026-03-09", 17, 0)
        );
        assert_eq!(
            c.add_working_minutes(at("2026-03-09", 9, 0), 480),
            at("2026-03-09", 17, 0)
        );
        assert_eq!(
            c.add_working_minutes(at("2026-03-09", 9, 0), 960),
            at("2026-03-10", 17, 0)
        );
    }

    #[test]
    fn zero_minutes_inside_working_time_is_the_start() {
        let start = at("2026-03-09", 11, 15) + 30;
        assert_eq!(cal().add_working_minutes(start, 0), start);
        assert_eq!(cal().add_working_minutes(start, 1), start + 60);
    }

    #[test]
    fn between_counts_whole_days_and_partial_ends() {
        let c = cal();
        assert_eq!(
            c.working_minutes_between(at("2026-03-09", 10, 0), at("2026-03-09", 9, 0)),
            0
        );
        assert_eq!(
            c.working_minutes_between(at("2026-03-09", 8, 0), at("2026-03-09", 20, 0)),
            480
        );
        // February 2026: 20 weekdays, 6 of them holidays, plus two make-up Saturdays.
        let february = c.working_minutes_between(at("2026-02-01", 0, 0), at("2026-03-01", 0, 0));
        assert_eq!(february, 16 * 480);
    }

    #[test]
    fn closed_form_day_count_matches_a_day_by_day_count() {
        let c = cal();
        let (first, end) = (day("2026-01-01"), day("2027-01-01"));
        let counted = (first..end).filter(|&d| c.is_working_day(d)).count() as i64;
        assert_eq!(counted, 248);
        assert_eq!(c.working_days_in(first, end), counted);
        for offset in 0..40 {
            let (a, b) = (first + offset * 3, first + offset * 7 + 11);
            let slow = (a..b).filter(|&d| c.is_working_day(d)).count() as i64;
            assert_eq!(c.working_days_in(a, b), slow, "{a}..{b}");
        }
    }

    #[test]
    fn between_inverts_add_through_february() {
        let c = cal();
        let (first, end) = (at("2026-01-31", 0, 0), at("2026-03-02", 0, 0));
        for start in (first..end).step_by(37 * 60 + 13) {
            for minutes in [0, 1, 59, 60, 479, 480, 481, 1000, 2400, 5000] {
                let deadline = c.add_working_minutes(start, minutes);
                assert!(deadline >= start);
                assert_eq!(
                    c.working_minutes_between(start, deadline),
                    i64::from(minutes),
                    "{start} + {minutes}"
                );
            }
        }
    }

    #[test]
    fn calendar_without_working_days_is_capped() {
        let start = day("2026-01-01");
        let c = Calendar::new((start - 1..start + 2 * SEARCH_DAYS).map(|d| (d, DayKind::DayOff)));
        let from = at("2026-01-01", 10, 0);
        let cap = c.add_working_minutes(from, 60);
        assert_eq!(cap, unix_at(start + SEARCH_DAYS, DAY_END_SEC));
        assert_eq!(c.working_minutes_between(from, cap), 0);
    }

    #[test]
    fn day_kind_text_round_trips() {
        for kind in [DayKind::DayOff, DayKind::WorkingDay] {
            assert_eq!(parse_day_kind(kind.as_str()), Some(kind));
        }
        assert_eq!(parse_day_kind(" 休 "), Some(DayKind::DayOff));
        assert_eq!(parse_day_kind("Holiday"), Some(DayKind::DayOff));
        assert_eq!(parse_day_kind("班"), Some(DayKind::WorkingDay));
        assert_eq!(parse_day_kind("Working"), Some(DayKind::WorkingDay));
        assert_eq!(parse_day_kind("maybe"), None);
    }
}
