//! Deadlines as people read them: overdue and due-soon are derived from the stored due
//! times and the clock at every read, never stored (a stored flag goes stale).

use super::lifecycle::Status;
use crate::map::hours::{format_date, LocalTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Urgency {
    /// Past its deadline and still waiting.
    Overdue,
    /// Due before the end of today (Shanghai).
    DueToday,
    OnTime,
    /// Nothing is due: resolved, closed, returned or merged.
    Done,
}

/// The deadline that matters now: the first response until a department has claimed the
/// request, then the resolution.
pub fn current_due(
    status: Status,
    responded: bool,
    first_response_due: i64,
    resolution_due: i64,
) -> Option<i64> {
    match status {
        Status::Submitted | Status::Accepted | Status::Routed | Status::Answered => {
            Some(if responded {
                resolution_due
            } else {
                first_response_due.min(resolution_due)
            })
        }
        Status::Resolved | Status::Closed | Status::Returned | Status::Merged => None,
    }
}

pub fn urgency(due: Option<i64>, now: i64) -> Urgency {
    match due {
        None => Urgency::Done,
        Some(due) if due < now => Urgency::Overdue,
        Some(due) if due < end_of_day(now) => Urgency::DueToday,
        Some(_) => Urgency::OnTime,
    }
}

/// The first second of the next day in Shanghai.
pub fn end_of_day(now: i64) -> i64 {
    let day = LocalTime::shanghai_from_unix(now).day as i64;
    (day + 1) * 86_400 - 8 * 3600
}

/// `2026-11-26 14:05`, Shanghai time.
pub fn format_time(unix: i64) -> String {
    let local = LocalTime::shanghai_from_unix(unix);
    format!(
        "{} {:02}:{:02}",
        format_date(local.day),
        local.minute / 60,
        local.minute % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::hours::parse_date;

    fn at(date: &str, hour: i64, minute: i64) -> i64 {
        parse_date(date).unwrap() as i64 * 86_400 + hour * 3600 + minute * 60 - 8 * 3600
    }

    #[test]
    fn the_first_response_deadline_counts_until_someone_claims() {
        let (first, resolution) = (at("2026-03-02", 13, 0), at("2026-03-05", 17, 0));
        assert_eq!(
            current_due(Status::Routed, false, first, resolution),
            Some(first)
        );
        assert_eq!(
            current_due(Status::Routed, true, first, resolution),
            Some(resolution)
        );
        assert_eq!(current_due(Status::Resolved, true, first, resolution), None);
        assert_eq!(current_due(Status::Returned, true, first, resolution), None);
    }

    #[test]
    fn urgency_follows_the_clock() {
        let due = at("2026-03-02", 16, 0);
        assert_eq!(
            urgency(Some(due), at("2026-03-02", 16, 1)),
            Urgency::Overdue
        );
        assert_eq!(
            urgency(Some(due), at("2026-03-02", 9, 0)),
            Urgency::DueToday
        );
        assert_eq!(
            urgency(Some(due), at("2026-03-01", 23, 59)),
            Urgency::OnTime
        );
        assert_eq!(urgency(None, due), Urgency::Done);
    }

    #[test]
    fn times_read_in_shanghai() {
        assert_eq!(format_time(at("2026-02-14", 9, 5)), "2026-02-14 09:05");
        assert_eq!(end_of_day(at("2026-02-14", 23, 59)), at("2026-02-15", 0, 0));
    }
}
