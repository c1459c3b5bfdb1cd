//! The rules of volunteering, pure and unit-tested: when check-in is open, how long someone
//! served and what it earns, whether a phone is at the venue, and which badges a record
//! has earned.

use serde::{Deserialize, Serialize};

/// Check-in opens this long before an activity starts and closes this long after it ends.
pub const WINDOW_MARGIN_SECS: i64 = 30 * 60;
/// Time served counts in steps of this many minutes.
pub const STEP_MINUTES: i64 = 15;

/// What an activity pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointsRule {
    /// The same points for everyone who served.
    Fixed { points: i32 },
    /// Points per hour served, counted in 15-minute steps, up to a cap.
    PerHour { per_hour: i32, cap: i32 },
}

impl PointsRule {
    /// Points for serving `minutes` (checked in and out): a fixed rule pays for being there,
    /// an hourly one for whole 15-minute steps.
    pub fn points(self, minutes: i64) -> i32 {
        match self {
            PointsRule::Fixed { points } => points,
            PointsRule::PerHour { .. } if minutes <= 0 => 0,
            PointsRule::PerHour { per_hour, cap } => {
                let steps = minutes / STEP_MINUTES;
                let earned = steps * i64::from(per_hour) * STEP_MINUTES / 60;
                earned.min(i64::from(cap)).max(0) as i32
            }
        }
    }
}

/// Whether check-in or check-out is open at `at` for an activity from `start` to `end`.
pub fn window_open(start: i64, end: i64, at: i64) -> bool {
    (start - WINDOW_MARGIN_SECS..=end + WINDOW_MARGIN_SECS).contains(&at)
}

/// Minutes served between checking in and out, within the activity's own time, in whole
/// 15-minute steps.
pub fn minutes_served(check_in: i64, check_out: i64, start: i64, end: i64) -> i64 {
    let from = check_in.max(start);
    let until = check_out.min(end);
    let minutes = (until - from).max(0) / 60;
    minutes - minutes % STEP_MINUTES
}

/// A phone's reported position against a venue's geofence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fence {
    Inside,
    Outside {
        metres: i32,
    },
    /// The position is too vague to tell (its accuracy radius is larger than the fence).
    TooVague,
    /// No position was sent.
    Unknown,
}

/// Whether a phone at `position` (lat, lon, accuracy in metres) is within `radius` metres
/// of the venue: inside if its whole accuracy circle could reach the fence.
pub fn fence(venue: (f64, f64), radius: i32, position: Option<(f64, f64, f64)>) -> Fence {
    let Some((lat, lon, accuracy)) = position else {
        return Fence::Unknown;
    };
    if !(accuracy.is_finite() && accuracy >= 0.0) || accuracy > f64::from(radius.max(50)) * 2.0 {
        return Fence::TooVague;
    }
    let metres = crate::map::geo::LatLon { lat, lon }.distance_m(crate::map::geo::LatLon {
        lat: venue.0,
        lon: venue.1,
    });
    if metres - accuracy <= f64::from(radius) {
        Fence::Inside
    } else {
        Fence::Outside {
            metres: metres.round() as i32,
        }
    }
}

/// A volunteer's record, for badges: activities served, minutes, and activities per tag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub activities: i64,
    pub minutes: i64,
    pub per_tag: Vec<(String, i64)>,
}

/// The badge codes a record has earned: `first`, `ten`, `fifty_hours`, and `tag:{tag}` for
/// five activities of one tag.
pub fn badges(record: &Record) -> Vec<String> {
    let mut earned = Vec::new();
    if record.activities >= 1 {
        earned.push("first".to_owned());
    }
    if record.activities >= 10 {
        earned.push("ten".to_owned());
    }
    if record.minutes >= 50 * 60 {
        earned.push("fifty_hours".to_owned());
    }
    for (tag, n) in &record.per_tag {
        if *n >= 5 {
            earned.push(format!("tag:{tag}"));
        }
    }
    earned
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600;

    #[test]
    fn per_hour_points_count_whole_quarters_up_to_the_cap() {
        let rule = PointsRule::PerHour {
            per_hour: 10,
            cap: 25,
        };
        assert_eq!(rule.points(0), 0);
        assert_eq!(rule.points(14), 0);
        assert_eq!(rule.points(15), 2); // 2.5 rounds down
        assert_eq!(rule.points(60), 10);
        assert_eq!(rule.points(135), 22); // 2 h 15 min = 22.5
        assert_eq!(rule.points(600), 25);
        assert_eq!(PointsRule::Fixed { points: 30 }.points(15), 30);
        assert_eq!(PointsRule::Fixed { points: 30 }.points(0), 30);
    }

    #[test]
    fn time_served_is_within_the_activity_in_quarters() {
        let (start, end) = (10 * HOUR, 12 * HOUR);
        assert_eq!(minutes_served(start - 1200, end + 1200, start, end), 120);
        assert_eq!(
            minutes_served(start + 600, start + 600 + 44 * 60, start, end),
            30
        );
        assert_eq!(minutes_served(end, end + 600, start, end), 0);
        assert_eq!(minutes_served(start + 600, start, start, end), 0);
    }

    #[test]
    fn the_window_opens_half_an_hour_early_and_closes_half_an_hour_late() {
        let (start, end) = (10 * HOUR, 12 * HOUR);
        assert!(window_open(start, end, start - 1800));
        assert!(!window_open(start, end, start - 1801));
        assert!(window_open(start, end, end + 1800));
        assert!(!window_open(start, end, end + 1801));
    }

    #[test]
    fn the_fence_allows_for_the_phones_accuracy() {
        let venue = (31.2400, 121.4400);
        // About 111 m north.
        let north = (31.2410, 121.4400);
        assert_eq!(
            fence(venue, 200, Some((north.0, north.1, 10.0))),
            Fence::Inside
        );
        assert_eq!(
            fence(venue, 50, Some((north.0, north.1, 10.0))),
            Fence::Outside { metres: 111 }
        );
        assert_eq!(
            fence(venue, 100, Some((north.0, north.1, 20.0))),
            Fence::Inside
        );
        assert_eq!(
            fence(venue, 100, Some((north.0, north.1, 5000.0))),
            Fence::TooVague
        );
        assert_eq!(
            fence(venue, 100, Some((north.0, north.1, f64::NAN))),
            Fence::TooVague
        );
        assert_eq!(fence(venue, 100, None), Fence::Unknown);
    }

    #[test]
    fn badges_follow_the_record() {
        assert!(badges(&Record::default()).is_empty());
        let record = Record {
            activities: 10,
            minutes: 50 * 60,
            per_tag: vec![("environment".into(), 5), ("elderly".into(), 4)],
        };
        assert_eq!(
            badges(&record),
            ["first", "ten", "fifty_hours", "tag:environment"]
        );
        let one = Record {
            activities: 1,
            minutes: 30,
            per_tag: vec![],
        };
        assert_eq!(badges(&one), ["first"]);
    }
}
