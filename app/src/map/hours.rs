//! Opening hours: a week of intervals plus dated exceptions, in Shanghai local time.
//!
//! An interval whose closing time is not after its opening time runs past midnight
//! (`22:00-02:00` on Friday is open until 02:00 on Saturday). An exception replaces a day's
//! weekly intervals: closed all day, or open for one interval.
//!
//! Days are counted from 1970-01-01 (a Thursday) so that the rules need no date library.

use crate::error::Problem;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Minutes after midnight, 0..1440.
pub type Minute = u16;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub opens: Minute,
    pub closes: Minute,
}

/// One weekly interval; `weekday` is ISO (Monday = 1 … Sunday = 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyInterval {
    pub weekday: u8,
    pub interval: Interval,
}

/// A date whose hours differ from the week's: closed, or open for `open`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    pub day: i32,
    pub open: Option<Interval>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hours {
    pub weekly: Vec<WeeklyInterval>,
    pub exceptions: Vec<Exception>,
}

/// A moment in Shanghai local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    pub day: i32,
    pub minute: Minute,
}

impl LocalTime {
    /// Shanghai is UTC+8 all year (no daylight saving).
    pub fn shanghai_from_unix(unix_secs: i64) -> LocalTime {
        let local = unix_secs + 8 * 3600;
        LocalTime {
            day: local.div_euclid(86_400) as i32,
            minute: (local.rem_euclid(86_400) / 60) as Minute,
        }
    }
}

/// ISO weekday of a day number.
pub fn weekday(day: i32) -> u8 {
    // 1970-01-01 was a Thursday (4).
    ((day + 3).rem_euclid(7) + 1) as u8
}

impl Interval {
    fn crosses_midnight(self) -> bool {
        self.closes <= self.opens
    }

    /// Whether `minute` of the interval's own day falls inside it.
    fn covers_same_day(self, minute: Minute) -> bool {
        minute >= self.opens && (self.crosses_midnight() || minute < self.closes)
    }

    /// Whether `minute` of the next day falls inside it.
    fn covers_next_day(self, minute: Minute) -> bool {
        self.crosses_midnight() && minute < self.closes
    }
}

impl Hours {
    /// The intervals of `day`: its exception if it has one, else its weekday's.
    pub fn intervals_on(&self, day: i32) -> Vec<Interval> {
        if let Some(exception) = self.exceptions.iter().find(|e| e.day == day) {
            return exception.open.into_iter().collect();
        }
        let wd = weekday(day);
        self.weekly
            .iter()
            .filter(|w| w.weekday == wd)
            .map(|w| w.interval)
            .collect()
    }

    pub fn is_open_at(&self, at: LocalTime) -> bool {
        self.intervals_on(at.day)
            .iter()
            .any(|i| i.covers_same_day(at.minute))
            || self
                .intervals_on(at.day - 1)
                .iter()
                .any(|i| i.covers_next_day(at.minute))
    }

    pub fn is_empty(&self) -> bool {
        self.weekly.is_empty()
    }
}

/// Minutes in a week; minute-of-week 0 is Monday 00:00.
pub const WEEK_MINUTES: i32 = 7 * 1440;

/// The minute of the week `at` falls in.
pub fn minute_of_week(at: LocalTime) -> i32 {
    (weekday(at.day) as i32 - 1) * 1440 + at.minute as i32
}

/// The weekly intervals as half-open minute-of-week ranges; a Sunday night that runs past
/// midnight wraps round to Monday. Without exceptions, a place is open at `at` exactly when
/// one of these ranges holds `minute_of_week(at)`.
pub fn week_minute_ranges(weekly: &[WeeklyInterval]) -> Vec<(i32, i32)> {
    let mut ranges = Vec::new();
    for w in weekly {
        let day_start = (w.weekday as i32 - 1) * 1440;
        let start = day_start + w.interval.opens as i32;
        let end = day_start
            + w.interval.closes as i32
            + if w.interval.crosses_midnight() {
                1440
            } else {
                0
            };
        if end <= WEEK_MINUTES {
            ranges.push((start, end));
        } else {
            ranges.push((start, WEEK_MINUTES));
            ranges.push((0, end - WEEK_MINUTES));
        }
    }
    ranges
}

fn parse_minute(text: &str) -> Option<Minute> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    // 24:00 is allowed as a closing time and means midnight.
    if m < 60 && (h < 24 || (h == 24 && m == 0)) && text.trim().len() <= 5 {
        Some((h * 60 + m) % 1440)
    } else {
        None
    }
}

fn parse_interval(text: &str) -> Option<Interval> {
    let (opens, closes) = text.split_once('-')?;
    let interval = Interval {
        opens: parse_minute(opens)?,
        closes: parse_minute(closes)?,
    };
    (interval.opens != interval.closes || text.contains("24:00")).then_some(interval)
}

pub fn format_minute(minute: Minute) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

pub fn format_interval(interval: Interval) -> String {
    format!(
        "{}-{}",
        format_minute(interval.opens),
        format_minute(interval.closes)
    )
}

/// Parses weekly hours as people write them, one rule a line or separated by `;`:
/// `1-5 08:30-17:30`, `6 09:00-12:00`, `1-7 00:00-24:00`, `5 22:00-02:00`.
/// Several intervals per day are allowed (`1-5 08:30-11:30, 13:00-17:30`).
pub fn parse_weekly(text: &str) -> Result<Vec<WeeklyInterval>, Problem> {
    let mut weekly = Vec::new();
    for rule in text
        .split(['\n', ';', '；'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        let (days, intervals) = rule
            .split_once(char::is_whitespace)
            .ok_or(Problem::HoursFormat)?;
        let (first, last) = match days.split_once('-') {
            Some((a, b)) => (a.parse::<u8>(), b.parse::<u8>()),
            None => (days.parse::<u8>(), days.parse::<u8>()),
        };
        let (first, last) = (
            first.map_err(|_| Problem::HoursFormat)?,
            last.map_err(|_| Problem::HoursFormat)?,
        );
        if !(1..=7).contains(&first) || !(1..=7).contains(&last) || first > last {
            return Err(Problem::HoursFormat);
        }
        for part in intervals
            .split([',', '，'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let interval = parse_interval(part).ok_or(Problem::HoursFormat)?;
            weekly.extend((first..=last).map(|weekday| WeeklyInterval { weekday, interval }));
        }
    }
    weekly.sort_by_key(|w| (w.weekday, w.interval.opens));
    Ok(weekly)
}

/// The inverse of `parse_weekly`, grouping consecutive days with the same intervals.
pub fn format_weekly(weekly: &[WeeklyInterval]) -> String {
    let per_day: Vec<Vec<Interval>> = (1..=7u8)
        .map(|d| {
            weekly
                .iter()
                .filter(|w| w.weekday == d)
                .map(|w| w.interval)
                .collect()
        })
        .collect();
    let mut out = String::new();
    let mut day = 0;
    while day < 7 {
        let mut end = day;
        while end + 1 < 7 && per_day[end + 1] == per_day[day] {
            end += 1;
        }
        if !per_day[day].is_empty() {
            let days = if end > day {
                format!("{}-{}", day + 1, end + 1)
            } else {
                format!("{}", day + 1)
            };
            let intervals: Vec<String> = per_day[day].iter().map(|i| format_interval(*i)).collect();
            let _ = writeln!(out, "{days} {}", intervals.join(", "));
        }
        day = end + 1;
    }
    out.trim_end().to_owned()
}

/// Days from 1970-01-01 of a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<i32> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1970..=2200).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

pub fn format_date(day: i32) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses exceptions, one a line: `2026-10-01 closed` (or `休息`), `2026-12-31 09:00-12:00`.
pub fn parse_exceptions(text: &str) -> Result<Vec<Exception>, Problem> {
    let mut exceptions: Vec<Exception> = Vec::new();
    for line in text
        .split(['\n', ';', '；'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let (date, rest) = line
            .split_once(char::is_whitespace)
            .ok_or(Problem::ExceptionFormat)?;
        let day = parse_date(date).ok_or(Problem::ExceptionFormat)?;
        let open = match rest.trim() {
            "closed" | "休息" | "闭馆" | "关闭" => None,
            interval => Some(parse_interval(interval).ok_or(Problem::ExceptionFormat)?),
        };
        if exceptions.iter().any(|e| e.day == day) {
            return Err(Problem::ExceptionFormat);
        }
        exceptions.push(Exception { day, open });
    }
    exceptions.sort_by_key(|e| e.day);
    Ok(exceptions)
}

pub fn format_exceptions(exceptions: &[Exception]) -> String {
    exceptions
        .iter()
        .map(|e| match e.open {
            Some(i) => format!("{} {}", format_date(e.day), format_interval(i)),
            None => format!("{} closed", format_date(e.day)),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str, time: &str) -> LocalTime {
        LocalTime {
            day: parse_date(date).unwrap(),
            minute: parse_minute(time).unwrap(),
        }
    }

    fn office_hours() -> Hours {
        Hours {
            weekly: parse_weekly("1-5 08:30-17:30\n6 09:00-12:00").unwrap(),
            exceptions: vec![],
        }
    }

    #[test]
    fn dates_and_weekdays() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(weekday(0), 4, "a Thursday");
        let day = parse_date("2026-11-26").unwrap();
        assert_eq!(weekday(day), 4, "2026-11-26 is a Thursday");
        assert_eq!(format_date(day), "2026-11-26");
        assert_eq!(format_date(parse_date("2028-02-29").unwrap()), "2028-02-29");
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
    }

    #[test]
    fn shanghai_time_is_utc_plus_eight() {
        // 2026-11-26 16:30 UTC is 2026-11-27 00:30 in Shanghai.
        let t = LocalTime::shanghai_from_unix(1_795_710_600);
        assert_eq!(format_date(t.day), "2026-11-27");
        assert_eq!(t.minute, 30);
    }

    #[test]
    fn weekly_hours_decide_open_and_closed() {
        let hours = office_hours();
        assert!(
            hours.is_open_at(at("2026-11-26", "08:30")),
            "opens on the minute"
        );
        assert!(hours.is_open_at(at("2026-11-26", "17:29")));
        assert!(
            !hours.is_open_at(at("2026-11-26", "17:30")),
            "closed at closing time"
        );
        assert!(!hours.is_open_at(at("2026-11-26", "08:29")));
        assert!(
            hours.is_open_at(at("2026-11-28", "11:00")),
            "Saturday morning"
        );
        assert!(
            !hours.is_open_at(at("2026-11-29", "11:00")),
            "closed on Sunday"
        );
    }

    #[test]
    fn intervals_across_midnight_spill_into_the_next_day() {
        let hours = Hours {
            weekly: parse_weekly("5 22:00-02:00").unwrap(),
            exceptions: vec![],
        };
        assert!(hours.is_open_at(at("2026-11-27", "23:59")), "Friday night");
        assert!(
            hours.is_open_at(at("2026-11-28", "00:00")),
            "Saturday after midnight"
        );
        assert!(hours.is_open_at(at("2026-11-28", "01:59")));
        assert!(!hours.is_open_at(at("2026-11-28", "02:00")));
        assert!(
            !hours.is_open_at(at("2026-11-27", "01:00")),
            "Friday early morning is Thursday's night"
        );
        assert!(
            !hours.is_open_at(at("2026-11-28", "23:00")),
            "not on Saturday night"
        );
    }

    #[test]
    fn exceptions_replace_the_day() {
        let mut hours = office_hours();
        hours.exceptions = parse_exceptions("2026-10-01 closed\n2026-11-29 10:00-16:00").unwrap();
        assert!(
            !hours.is_open_at(at("2026-10-01", "10:00")),
            "a Thursday, but a holiday"
        );
        assert!(
            hours.is_open_at(at("2026-11-29", "15:00")),
            "a Sunday opening"
        );
        assert!(!hours.is_open_at(at("2026-11-29", "16:00")));
    }

    #[test]
    fn a_closed_exception_does_not_cut_the_previous_night_short() {
        let hours = Hours {
            weekly: parse_weekly("5 22:00-02:00").unwrap(),
            exceptions: parse_exceptions("2026-11-28 closed").unwrap(),
        };
        assert!(
            hours.is_open_at(at("2026-11-28", "01:00")),
            "Friday's night still runs to 02:00"
        );
        assert!(!hours.is_open_at(at("2026-11-28", "22:30")));
    }

    #[test]
    fn week_minute_ranges_agree_with_the_rules_at_every_minute() {
        let monday = parse_date("2026-11-23").unwrap();
        for text in [
            "1-5 08:30-17:30\n6 09:00-12:00",
            "5 22:00-02:00",
            "7 20:00-01:00",
            "1-7 00:00-24:00",
            "3 23:00-23:30, 23:45-00:15",
        ] {
            let hours = Hours {
                weekly: parse_weekly(text).unwrap(),
                exceptions: vec![],
            };
            let ranges = week_minute_ranges(&hours.weekly);
            for day in monday..monday + 7 {
                for minute in 0..1440 {
                    let at = LocalTime { day, minute };
                    let m = minute_of_week(at);
                    let in_ranges = ranges.iter().any(|&(start, end)| (start..end).contains(&m));
                    assert_eq!(
                        in_ranges,
                        hours.is_open_at(at),
                        "{text} at {} {}",
                        format_date(day),
                        format_minute(minute)
                    );
                }
            }
        }
    }

    #[test]
    fn round_the_clock() {
        let hours = Hours {
            weekly: parse_weekly("1-7 00:00-24:00").unwrap(),
            exceptions: vec![],
        };
        assert!(hours.is_open_at(at("2026-11-26", "00:00")));
        assert!(hours.is_open_at(at("2026-11-26", "23:59")));
    }

    #[test]
    fn weekly_text_round_trips_and_bad_text_is_refused() {
        let weekly = parse_weekly("1-5 08:30-11:30, 13:00-17:30；6 09:00-12:00").unwrap();
        assert_eq!(weekly.len(), 11);
        assert_eq!(
            format_weekly(&weekly),
            "1-5 08:30-11:30, 13:00-17:30\n6 09:00-12:00"
        );
        assert_eq!(parse_weekly(&format_weekly(&weekly)).unwrap(), weekly);
        for bad in [
            "8 09:00-10:00",
            "5-1 09:00-10:00",
            "1-5",
            "1-5 9-17",
            "1-5 25:00-26:00",
            "1 09:00-09:00",
            "1-5 08:60-10:00",
        ] {
            assert_eq!(parse_weekly(bad), Err(Problem::HoursFormat), "{bad}");
        }
        assert_eq!(parse_weekly("  "), Ok(vec![]));
    }

    #[test]
    fn exception_text_round_trips_and_bad_text_is_refused() {
        let exceptions = parse_exceptions("2026-12-31 09:00-12:00\n2026-10-01 休息").unwrap();
        assert_eq!(
            format_exceptions(&exceptions),
            "2026-10-01 closed\n2026-12-31 09:00-12:00"
        );
        for bad in [
            "2026-02-30 closed",
            "tomorrow closed",
            "2026-10-01",
            "2026-10-01 closed\n2026-10-01 closed",
        ] {
            assert_eq!(
                parse_exceptions(bad),
                Err(Problem::ExceptionFormat),
                "{bad}"
            );
        }
    }
}
