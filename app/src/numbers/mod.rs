//! The numbers (数据看板): the hotline yardsticks per month and per department, building or
//! category, a ranking of departments, trends over a year, and the subdistrict overview
//! with lunch and volunteering beside them. Reports are computed from the requests
//! themselves, kept, and recomputed after every change (`cache`); each says when it was
//! computed.
//!
//! Pure rules in `rates`; SQL in `store`; views in `views`; CSV downloads in `export`.

pub mod rates;
pub mod texts;
pub mod views;

#[cfg(feature = "ssr")]
mod cache;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::AppError;
use leptos::prelude::*;
use rates::Counts;
use serde::{Deserialize, Serialize};
use texts::NumbersText;

/// How the figures are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dimension {
    #[default]
    Department,
    Building,
    Category,
}

impl Dimension {
    pub const ALL: [Dimension; 3] = [
        Dimension::Department,
        Dimension::Building,
        Dimension::Category,
    ];

    pub fn parse(text: &str) -> Option<Dimension> {
        match text.trim() {
            "" | "department" => Some(Dimension::Department),
            "building" => Some(Dimension::Building),
            "category" => Some(Dimension::Category),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Department => "department",
            Dimension::Building => "building",
            Dimension::Category => "category",
        }
    }

    /// The table's first column.
    pub fn column(self) -> NumbersText {
        match self {
            Dimension::Department => NumbersText::Department,
            Dimension::Building => NumbersText::Building,
            Dimension::Category => NumbersText::Category,
        }
    }

    pub fn label(self) -> NumbersText {
        match self {
            Dimension::Department => NumbersText::ByDepartment,
            Dimension::Building => NumbersText::ByBuilding,
            Dimension::Category => NumbersText::ByCategory,
        }
    }
}

/// A month as `YYYY-MM` in Shanghai time: parsed, so that a report's period is always one of
/// the months it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.trim().split_once('-')?;
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (y.len() == 4 && m.len() == 2 && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// The month of a day counted from 1970-01-01.
    pub fn of_day(day: i32) -> Month {
        let date = crate::map::hours::format_date(day);
        Month::parse(&date[..7]).unwrap_or(Month {
            year: 1970,
            month: 1,
        })
    }

    pub fn previous(self) -> Month {
        match self.month {
            1 => Month {
                year: self.year - 1,
                month: 12,
            },
            m => Month {
                month: m - 1,
                ..self
            },
        }
    }

    /// Days from 1970-01-01 of the month's first day.
    pub fn first_day(self) -> i32 {
        crate::map::hours::parse_date(&format!("{}-01", self)).unwrap_or(0)
    }

    pub fn next(self) -> Month {
        match self.month {
            12 => Month {
                year: self.year + 1,
                month: 1,
            },
            m => Month {
                month: m + 1,
                ..self
            },
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The figures of one group: a department, a building or a category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub counts: Counts,
    /// Not ranked: the requests no department took, in the department grouping.
    pub unranked: bool,
}

/// The numbers page: twelve months of totals for the trends, and the groups of the chosen
/// period (one month, or the twelve).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub dimension: Dimension,
    /// The twelve months covered, oldest first.
    pub months: Vec<Month>,
    /// The chosen month, or `None` for all twelve.
    pub month: Option<Month>,
    /// Totals per month, in the order of `months`.
    pub trend: Vec<Counts>,
    /// Totals of the chosen period.
    pub total: Counts,
    /// Groups of the chosen period, ranked by score when grouped by department.
    pub groups: Vec<Group>,
    /// Admin: everything; department staff: the requests routed to their departments.
    pub all_requests: bool,
    /// When the figures were computed (unix seconds).
    pub computed_at: i64,
    /// The rates by month, as an SVG line chart (drawn on the server; the page's table
    /// carries the same figures for screen readers).
    pub trend_chart: String,
    /// The groups as an SVG bar chart: departments by score, others by requests received.
    pub groups_chart: String,
}

/// What an overview figure measures; it knows its label and how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    Received,
    ResponseRate,
    ResolutionRate,
    OnTimeRate,
    SatisfactionRate,
    AnsweredWithoutDispatch,
    OrdersPerDay,
    PortionsPerDay,
    SubsidySpent,
    NoShowRate,
    AverageRating,
    ActiveVolunteers,
    HoursServed,
    PointsIssued,
    PointsRedeemed,
}

impl Measure {
    pub fn label(self) -> NumbersText {
        match self {
            Measure::Received => NumbersText::Received,
            Measure::ResponseRate => NumbersText::ResponseRate,
            Measure::ResolutionRate => NumbersText::ResolutionRate,
            Measure::OnTimeRate => NumbersText::OnTimeRate,
            Measure::SatisfactionRate => NumbersText::SatisfactionRate,
            Measure::AnsweredWithoutDispatch => NumbersText::AnsweredWithoutDispatch,
            Measure::OrdersPerDay => NumbersText::OrdersPerDay,
            Measure::PortionsPerDay => NumbersText::PortionsPerDay,
            Measure::SubsidySpent => NumbersText::SubsidySpent,
            Measure::NoShowRate => NumbersText::NoShowRate,
            Measure::AverageRating => NumbersText::AverageRating,
            Measure::ActiveVolunteers => NumbersText::ActiveVolunteers,
            Measure::HoursServed => NumbersText::HoursServed,
            Measure::PointsIssued => NumbersText::PointsIssued,
            Measure::PointsRedeemed => NumbersText::PointsRedeemed,
        }
    }

    /// The figure as read: a percentage, a count, an average, yuan or hours.
    pub fn format(self, value: Option<f64>) -> String {
        let Some(v) = value else {
            return "—".to_owned();
        };
        match self {
            Measure::ResponseRate
            | Measure::ResolutionRate
            | Measure::OnTimeRate
            | Measure::SatisfactionRate
            | Measure::NoShowRate => rates::format_percent(Some(v)),
            Measure::OrdersPerDay | Measure::PortionsPerDay | Measure::AverageRating => {
                format!("{v:.1}")
            }
            Measure::SubsidySpent => format!("¥{v:.2}"),
            Measure::HoursServed => format!("{v:.1}"),
            _ => format!("{v:.0}"),
        }
    }

    /// The change against last month, in the figure's own unit (points for percentages).
    pub fn change(self, now: Option<f64>, before: Option<f64>) -> String {
        let decimals = match self {
            Measure::Received
            | Measure::AnsweredWithoutDispatch
            | Measure::ActiveVolunteers
            | Measure::PointsIssued
            | Measure::PointsRedeemed => 0,
            Measure::SubsidySpent => 2,
            _ => 1,
        };
        rates::format_change(now, before, decimals)
    }
}

/// One figure of the overview: this month so far, and last month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub measure: Measure,
    pub now: Option<f64>,
    pub before: Option<f64>,
}

/// The subdistrict overview: this month so far against last month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub month: Month,
    pub requests: Vec<Figure>,
    pub lunch: Vec<Figure>,
    pub volunteers: Vec<Figure>,
    pub computed_at: i64,
}

#[server(endpoint = "numbers/report", output = crate::codec::Json)]
pub async fn load_report(
    #[server(default)] by: String,
    #[server(default)] month: String,
) -> Result<Report, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let dimension = Dimension::parse(&by).ok_or_else(|| bad_filter(NumbersField::GroupBy))?;
    let month = match month.trim() {
        "" | "year" => None,
        m => Some(Month::parse(m).ok_or_else(|| bad_filter(NumbersField::Month))?),
    };
    store::report(&caller, dimension, month, crate::state::request_locale()).await
}

#[server(endpoint = "numbers/overview", output = crate::codec::Json)]
pub async fn load_overview() -> Result<Overview, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    store::overview(&caller).await
}

/// The numbers page's filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NumbersField {
    GroupBy,
    Month,
}

impl NumbersField {
    pub fn label(self) -> NumbersText {
        match self {
            NumbersField::GroupBy => NumbersText::GroupBy,
            NumbersField::Month => NumbersText::Month,
        }
    }
}

/// A filter the page did not offer: a hand-edited URL.
pub fn bad_filter(field: NumbersField) -> AppError {
    AppError::invalid(
        crate::error::Field::Numbers(field),
        crate::error::Problem::NotOffered,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_step() {
        let m = Month::parse("2026-01").unwrap();
        assert_eq!(m.previous().to_string(), "2025-12");
        assert_eq!(m.previous().next(), m);
        assert_eq!(
            Month::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("26-01"), None);
        assert_eq!(Month::parse("2026-1"), None);
        let day = crate::map::hours::parse_date("2026-11-27").unwrap();
        assert_eq!(Month::of_day(day).to_string(), "2026-11");
        assert_eq!(
            crate::map::hours::format_date(Month::of_day(day).first_day()),
            "2026-11-01"
        );
    }

    #[test]
    fn dimensions_round_trip() {
        for d in Dimension::ALL {
            assert_eq!(Dimension::parse(d.as_str()), Some(d));
        }
        assert_eq!(Dimension::parse("people"), None);
    }
}
