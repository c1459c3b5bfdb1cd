//! The hotline yardsticks (接诉即办) from counted requests: pure arithmetic, so that the
//! definitions live in one place and are tested against hand-computed figures.
//!
//! Of the requests that arrived in a period, merged duplicates aside (the request they
//! were merged into carries them):
//! - 响应率, response rate: signed for (a department claimed it, or the manager returned it)
//!   no later than the first-response deadline;
//! - 解决率, resolution rate: resolved (or closed after resolution);
//! - 按时办结率, on-time rate: resolved no later than the resolution deadline;
//! - 满意率, satisfaction rate: ratings of 4 or 5 among all ratings given.

use serde::{Deserialize, Serialize};

/// What was counted for one group (a month, a department, a building, a category).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Every request that arrived, duplicates included.
    pub received: i64,
    /// Arrived and not merged into another: the base of the first three rates.
    pub counted: i64,
    pub responded_on_time: i64,
    pub resolved: i64,
    pub resolved_on_time: i64,
    pub rated: i64,
    pub satisfied: i64,
    /// Open now and past its current deadline.
    pub overdue_now: i64,
    /// Median working minutes to the first response, and to resolution.
    pub median_response_minutes: Option<f64>,
    pub median_resolution_minutes: Option<f64>,
    /// "Helped me, no need to ask" on a case or Q&A entry (直接答复).
    pub answered_without_dispatch: i64,
}

/// The rates of one group, each a percentage, or `None` when there is nothing to divide by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    pub response: Option<f64>,
    pub resolution: Option<f64>,
    pub on_time: Option<f64>,
    pub satisfaction: Option<f64>,
}

/// The ranking's weights, in percent: response, resolution, satisfaction.
pub const WEIGHTS: [f64; 3] = [30.0, 35.0, 35.0];

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

impl Counts {
    pub fn rates(&self) -> Rates {
        Rates {
            response: percent(self.responded_on_time, self.counted),
            resolution: percent(self.resolved, self.counted),
            on_time: percent(self.resolved_on_time, self.counted),
            satisfaction: percent(self.satisfied, self.rated),
        }
    }
}

impl Rates {
    /// 综合得分 = 30 % × 响应率 + 35 % × 解决率 + 35 % × 满意率. A group with no ratings is
    /// scored on the other two, reweighted, rather than as if everyone were unhappy.
    pub fn score(&self) -> Option<f64> {
        let parts = [self.response, self.resolution, self.satisfaction];
        let (sum, weight) = parts
            .iter()
            .zip(WEIGHTS)
            .filter_map(|(rate, w)| rate.map(|r| (r * w, w)))
            .fold((0.0, 0.0), |(s, t), (x, w)| (s + x, t + w));
        (weight > 0.0 && self.response.is_some() && self.resolution.is_some()).then(|| sum / weight)
    }
}

/// Groups ranked by score, best first; ties keep their order. Groups without a score last.
pub fn rank<T>(mut groups: Vec<(T, Rates)>) -> Vec<(T, Rates)> {
    groups.sort_by(|a, b| {
        let key = |r: &Rates| r.score().unwrap_or(f64::NEG_INFINITY);
        key(&b.1).total_cmp(&key(&a.1))
    });
    groups
}

/// "93.5%", or "—" for no figure.
pub fn format_percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{r:.1}%"))
}

/// Working minutes as hours with one decimal ("3.5"), or "—".
pub fn format_hours(minutes: Option<f64>) -> String {
    minutes.map_or_else(|| "—".to_owned(), |m| format!("{:.1}", m / 60.0))
}

/// The change from `before` to `now` in percentage points or units, signed ("+2.5", "−1"),
/// for "against last month".
pub fn format_change(now: Option<f64>, before: Option<f64>, decimals: usize) -> String {
    match (now, before) {
        (Some(n), Some(b)) => {
            let d = n - b;
            let text = format!("{:.*}", decimals, d.abs());
            if text.trim_start_matches(['0', '.']).is_empty() {
                "±0".to_owned()
            } else if d > 0.0 {
                format!("+{text}")
            } else {
                format!("−{text}")
            }
        }
        _ => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts() -> Counts {
        Counts {
            received: 21,
            counted: 20,
            responded_on_time: 17,
            resolved: 18,
            resolved_on_time: 15,
            rated: 12,
            satisfied: 9,
            ..Counts::default()
        }
    }

    #[test]
    fn rates_divide_by_the_right_base() {
        let r = counts().rates();
        assert_eq!(r.response, Some(85.0));
        assert_eq!(r.resolution, Some(90.0));
        assert_eq!(r.on_time, Some(75.0));
        assert_eq!(r.satisfaction, Some(75.0));
        assert_eq!(Counts::default().rates(), Rates::default());
    }

    #[test]
    fn the_score_weighs_30_35_35() {
        // 0.30 × 85 + 0.35 × 90 + 0.35 × 75 = 25.5 + 31.5 + 26.25 = 83.25
        let score = counts().rates().score().unwrap();
        assert!((score - 83.25).abs() < 1e-9, "{score}");
        // Without ratings: (0.30 × 85 + 0.35 × 90) / 0.65 = 87.69…
        let unrated = Counts {
            rated: 0,
            satisfied: 0,
            ..counts()
        };
        let score = unrated.rates().score().unwrap();
        assert!((score - 57.0 / 0.65).abs() < 1e-9, "{score}");
        assert_eq!(Counts::default().rates().score(), None);
    }

    #[test]
    fn ranking_puts_the_best_first_and_the_unscored_last() {
        let good = counts().rates();
        let better = Rates {
            response: Some(100.0),
            ..good
        };
        let ranked = rank(vec![("a", Rates::default()), ("b", good), ("c", better)]);
        let order: Vec<&str> = ranked.iter().map(|g| g.0).collect();
        assert_eq!(order, ["c", "b", "a"]);
    }

    #[test]
    fn figures_are_formatted_for_reading() {
        assert_eq!(format_percent(Some(93.456)), "93.5%");
        assert_eq!(format_percent(None), "—");
        assert_eq!(format_hours(Some(210.0)), "3.5");
        assert_eq!(format_change(Some(90.0), Some(87.5), 1), "+2.5");
        assert_eq!(format_change(Some(3.0), Some(4.0), 0), "−1");
        assert_eq!(format_change(Some(3.0), Some(3.0), 0), "±0");
        assert_eq!(format_change(Some(3.0), None, 0), "—");
    }
}
