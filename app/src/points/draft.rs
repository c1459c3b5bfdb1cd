//! The organiser's activity form, parsed into an [`ActivityDraft`] (pure, unit-tested).

use super::rules::PointsRule;
use super::texts::PointsText;
use super::{invalid, invalid_because, PointsField, PointsProblem, TAGS};
use crate::error::{AppError, Problem};
use crate::lunch::window::{parse_clock, shanghai_time};
use serde::{Deserialize, Serialize};

/// A new activity, checked: times in Unix seconds (entered in Shanghai time), the sign-up
/// deadline at or before the end, a points rule, tags from the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityDraft {
    pub title: String,
    pub description: String,
    pub venue: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub signup_until: i64,
    pub capacity: i32,
    pub rule: PointsRule,
    pub geofence_m: Option<i32>,
    pub tags: Vec<String>,
}

fn text(field: PointsField, value: &str, min: usize, max: usize) -> Result<String, AppError> {
    crate::error::bounded_text(crate::error::Field::Points(field), value, min, max)
}

fn number(field: PointsField, value: &str, min: i32, max: i32) -> Result<i32, AppError> {
    match value.trim() {
        "" => Err(invalid(field, Problem::Required)),
        t => t
            .parse::<i32>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| invalid_because(field, PointsProblem::Range { min, max })),
    }
}

/// "2026-12-05" and "09:30" in Shanghai as Unix seconds.
fn moment(field: PointsField, day: &str, clock: &str) -> Result<i64, AppError> {
    let day = crate::map::hours::parse_date(day.trim())
        .ok_or_else(|| invalid(field, Problem::Required))?;
    let minute = parse_clock(clock).ok_or_else(|| invalid(field, Problem::Required))?;
    Ok(shanghai_time(i64::from(day), minute))
}

impl ActivityDraft {
    /// Reads the form: `title`, `description`, `venue`, `day`, `start`, `end`, `signup_day`
    /// and `signup_time` (empty: until the start), `capacity`, `rule` (`fixed` with
    /// `points`, or `per_hour` with `per_hour` and `cap`), `geofence` (metres, optional) and
    /// `tags`.
    pub fn parse<'a>(
        field: impl Fn(&str) -> &'a str,
        all: impl Fn(&str) -> Vec<&'a str>,
    ) -> Result<ActivityDraft, AppError> {
        let title = text(PointsField::Title, field("title"), 2, 60)?;
        let description = text(PointsField::Description, field("description"), 0, 1000)?;
        let venue = field("venue")
            .trim()
            .parse::<i64>()
            .map_err(|_| invalid(PointsField::Venue, Problem::Required))?;
        let starts_at = moment(PointsField::Start, field("day"), field("start"))?;
        let ends_at = moment(PointsField::End, field("day"), field("end"))?;
        if ends_at <= starts_at {
            return Err(invalid_because(
                PointsField::End,
                PointsProblem::EndBeforeStart,
            ));
        }
        let signup_until = match (field("signup_day").trim(), field("signup_time").trim()) {
            ("", "") => starts_at,
            (day, time) => moment(PointsField::SignupUntil, day, time)?,
        };
        if signup_until > ends_at {
            return Err(invalid_because(
                PointsField::SignupUntil,
                PointsProblem::SignupAfterEnd,
            ));
        }
        let capacity = number(PointsField::Capacity, field("capacity"), 1, 10_000)?;
        let rule = match field("rule").trim() {
            "fixed" => PointsRule::Fixed {
                points: number(PointsField::Points, field("points"), 1, 1000)?,
            },
            "per_hour" => PointsRule::PerHour {
                per_hour: number(PointsField::Points, field("per_hour"), 1, 1000)?,
                cap: number(PointsField::Cap, field("cap"), 1, 10_000)?,
            },
            _ => return Err(invalid(PointsField::Rule, Problem::Required)),
        };
        let geofence_m = match field("geofence").trim() {
            "" => None,
            t => Some(number(PointsField::Geofence, t, 20, 5000)?),
        };
        let tags = crate::error::known_choices(&all("tags"), &TAGS)
            .ok_or_else(|| invalid_because(PointsField::Tags, PointsProblem::UnknownTag))?;
        Ok(ActivityDraft {
            title,
            description,
            venue,
            starts_at,
            ends_at,
            signup_until,
            capacity,
            rule,
            geofence_m,
            tags,
        })
    }
}

/// A reward a partner unit offers, checked: the codes of a redemption may be collected for
/// `code_days`, and the reward is offered until the end of `valid_until`'s day in Shanghai.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RewardDraft {
    pub partner: i64,
    pub title: String,
    pub description: String,
    pub cost: i32,
    pub stock: i32,
    pub valid_until: i64,
    pub code_days: i32,
    pub collect_at: String,
}

impl RewardDraft {
    /// Reads the form: `partner`, `title`, `description`, `cost`, `stock`, `valid_until` (a
    /// date), `code_days` and `collect_at`. `today` is Shanghai's day number: a reward
    /// offered until yesterday is a mistake.
    pub fn parse<'a>(field: impl Fn(&str) -> &'a str, today: i32) -> Result<RewardDraft, AppError> {
        let partner = field("partner")
            .trim()
            .parse::<i64>()
            .map_err(|_| invalid(PointsField::Partner, Problem::Required))?;
        let title = text(PointsField::RewardTitle, field("title"), 2, 60)?;
        let description = text(PointsField::RewardDescription, field("description"), 0, 300)?;
        let cost = number(PointsField::Cost, field("cost"), 1, 100_000)?;
        let stock = number(PointsField::Stock, field("stock"), 0, 100_000)?;
        let day = crate::map::hours::parse_date(field("valid_until").trim())
            .ok_or_else(|| invalid(PointsField::ValidUntil, Problem::Required))?;
        if day < today {
            return Err(invalid_because(
                PointsField::ValidUntil,
                PointsProblem::InThePast,
            ));
        }
        let code_days = number(PointsField::CodeDays, field("code_days"), 1, 90)?;
        let collect_at = text(PointsField::CollectAt, field("collect_at"), 0, 120)?;
        Ok(RewardDraft {
            partner,
            title,
            description,
            cost,
            stock,
            valid_until: shanghai_time(i64::from(day) + 1, 0),
            code_days,
            collect_at,
        })
    }
}

/// How many to add to a reward's stock: 1 to 10,000.
pub fn parse_restock(value: &str) -> Result<i32, AppError> {
    number(PointsField::Stock, value, 1, 10_000)
}

/// A tag's words.
pub fn tag_text(code: &str) -> Option<PointsText> {
    TAGS.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Field;

    type Fields = [(&'static str, &'static str)];

    /// A form's field values: those of `changes`, else of `base`, else empty.
    fn form<'a>(changes: &'a Fields, base: &'a Fields) -> impl Fn(&str) -> &'static str + 'a {
        move |name| {
            changes
                .iter()
                .chain(base.iter())
                .find(|(n, _)| *n == name)
                .map_or("", |(_, v)| *v)
        }
    }

    fn parse(changes: &'static Fields) -> Result<ActivityDraft, AppError> {
        let base = [
            ("title", "苏州河畔捡拾垃圾"),
            ("venue", "6"),
            ("day", "2026-12-05"),
            ("start", "09:00"),
            ("end", "11:00"),
            ("capacity", "20"),
            ("rule", "per_hour"),
            ("per_hour", "10"),
            ("cap", "30"),
        ];
        let all = move |name: &str| -> Vec<&'static str> {
            changes
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .collect()
        };
        ActivityDraft::parse(form(changes, &base), all)
    }

    #[test]
    fn a_good_form_becomes_a_draft_in_shanghai_time() {
        let d = parse(&[("tags", "elderly"), ("tags", "environment")]).unwrap();
        // 2026-12-05 09:00 in Shanghai is 01:00 UTC.
        assert_eq!(d.starts_at, 20_792 * 86_400 + 3600);
        assert_eq!(d.ends_at - d.starts_at, 2 * 3600);
        assert_eq!(d.signup_until, d.starts_at);
        assert_eq!(
            d.rule,
            PointsRule::PerHour {
                per_hour: 10,
                cap: 30
            }
        );
        assert_eq!(d.tags, ["environment", "elderly"]);
        assert_eq!(d.geofence_m, None);
    }

    fn reward(changes: &'static Fields) -> Result<RewardDraft, AppError> {
        let base = [
            ("partner", "9"),
            ("title", "现磨咖啡一杯"),
            ("cost", "30"),
            ("stock", "50"),
            ("valid_until", "2026-12-31"),
            ("code_days", "14"),
            ("collect_at", "盒马鲜生服务台"),
        ];
        // 2026-11-27.
        RewardDraft::parse(form(changes, &base), 20_784)
    }

    #[test]
    fn a_reward_is_offered_to_the_end_of_its_last_day_in_shanghai() {
        let r = reward(&[]).unwrap();
        // 2027-01-01 00:00 in Shanghai is 2026-12-31 16:00 UTC.
        assert_eq!(r.valid_until, 20_819 * 86_400 - 8 * 3600);
        assert_eq!((r.cost, r.stock, r.code_days), (30, 50, 14));
        assert!(reward(&[("valid_until", "2026-11-27")]).is_ok());
    }

    #[test]
    fn bad_reward_fields_are_named_with_their_fix() {
        let field = |changes| reward(changes).err().and_then(|e| e.field());
        let points = |f| Some(Field::Points(f));
        assert_eq!(field(&[("partner", "")]), points(PointsField::Partner));
        assert_eq!(field(&[("title", "咖")]), points(PointsField::RewardTitle));
        assert_eq!(field(&[("cost", "0")]), points(PointsField::Cost));
        assert_eq!(field(&[("stock", "-1")]), points(PointsField::Stock));
        assert_eq!(
            field(&[("valid_until", "2026-11-26")]),
            points(PointsField::ValidUntil)
        );
        assert_eq!(field(&[("code_days", "91")]), points(PointsField::CodeDays));
        assert_eq!(
            reward(&[("cost", "abc")]),
            Err(invalid_because(
                PointsField::Cost,
                PointsProblem::Range {
                    min: 1,
                    max: 100_000
                }
            ))
        );
        assert_eq!(
            parse_restock("0"),
            Err(invalid_because(
                PointsField::Stock,
                PointsProblem::Range {
                    min: 1,
                    max: 10_000
                }
            ))
        );
        assert_eq!(parse_restock(" 20 "), Ok(20));
    }

    #[test]
    fn bad_fields_are_named() {
        let field = |changes| parse(changes).err().and_then(|e| e.field());
        let points = |f| Some(Field::Points(f));
        assert_eq!(field(&[("title", "x")]), points(PointsField::Title));
        assert_eq!(field(&[("end", "08:00")]), points(PointsField::End));
        assert_eq!(
            parse(&[("end", "09:00")]),
            Err(invalid_because(
                PointsField::End,
                PointsProblem::EndBeforeStart
            ))
        );
        assert_eq!(field(&[("capacity", "0")]), points(PointsField::Capacity));
        assert_eq!(field(&[("rule", "")]), points(PointsField::Rule));
        assert_eq!(
            field(&[("rule", "fixed"), ("points", "")]),
            points(PointsField::Points)
        );
        assert_eq!(field(&[("geofence", "5")]), points(PointsField::Geofence));
        assert_eq!(field(&[("tags", "sports")]), points(PointsField::Tags));
        assert_eq!(
            field(&[("signup_day", "2026-12-06"), ("signup_time", "09:00")]),
            points(PointsField::SignupUntil)
        );
    }
}
