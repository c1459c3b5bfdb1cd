//! The service hall (办事大厅): guides to common company affairs — steps, materials, where
//! (a place on the map, whose page lists its guides), hours, fees, time limit, the online
//! link and a contact. The admin edits them, audited.
//!
//! Pure rules: the guide form ([`GuideDraft::parse`]). SQL in `store`, views in `views`.

pub mod views;

#[cfg(feature = "ssr")]
pub mod store;

use super::{invalid, invalid_because, KnowledgeField, KnowledgeProblem};
use crate::error::{AppError, Problem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A guide in the hall's list, or on a place's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideSummary {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub place: Option<String>,
}

/// A guide's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    pub id: i64,
    pub category_id: i64,
    pub category: String,
    pub title: String,
    pub summary: String,
    pub steps: Vec<String>,
    pub materials: Vec<String>,
    pub place_id: Option<i64>,
    pub place: Option<String>,
    pub hours: String,
    pub fees: String,
    pub time_limit: String,
    pub online_url: String,
    pub contact: String,
    pub updated_at: i64,
}

/// What the guide form chooses from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideOptions {
    pub categories: Vec<(i64, String)>,
    pub places: Vec<(i64, String)>,
}

/// A guide as the admin wrote it, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideDraft {
    pub category: i64,
    pub title: String,
    pub summary: String,
    pub steps: Vec<String>,
    pub materials: Vec<String>,
    pub place: Option<i64>,
    pub hours: String,
    pub fees: String,
    pub time_limit: String,
    pub online_url: String,
    pub contact: String,
}

fn text(field: KnowledgeField, value: &str, min: usize, max: usize) -> Result<String, AppError> {
    crate::error::bounded_text(crate::error::Field::Knowledge(field), value, min, max)
}

/// One item a line, blank lines dropped: at least `min` and at most `most` items of at most
/// `chars` characters each.
fn lines(
    field: KnowledgeField,
    value: &str,
    min: usize,
    most: usize,
    chars: usize,
) -> Result<Vec<String>, AppError> {
    let items: Vec<String> = value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if items.len() < min {
        return Err(invalid(field, Problem::Required));
    }
    if items.len() > most {
        return Err(invalid_because(
            field,
            KnowledgeProblem::TooManyLines { max: most },
        ));
    }
    for item in &items {
        text(field, item, 1, chars)?;
    }
    Ok(items)
}

impl GuideDraft {
    /// Reads the form: `category`, `title`, `summary`, `steps` and `materials` (one a
    /// line), `place` (optional), `hours`, `fees`, `time_limit`, `online_url` (https, or
    /// empty) and `contact`.
    pub fn parse<'a>(field: impl Fn(&str) -> &'a str) -> Result<GuideDraft, AppError> {
        let category = field("category")
            .trim()
            .parse()
            .map_err(|_| invalid(KnowledgeField::Category, Problem::Required))?;
        let place = match field("place").trim() {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| invalid(KnowledgeField::Place, Problem::Required))?,
            ),
        };
        let online_url = field("online_url").trim().to_owned();
        if !online_url.is_empty()
            && (!online_url.starts_with("https://")
                || online_url.len() <= "https://".len()
                || online_url.len() > 300
                || online_url
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control()))
        {
            return Err(invalid_because(
                KnowledgeField::OnlineUrl,
                KnowledgeProblem::HttpsLink,
            ));
        }
        Ok(GuideDraft {
            category,
            title: text(KnowledgeField::Title, field("title"), 2, 60)?,
            summary: text(KnowledgeField::Summary, field("summary"), 0, 300)?,
            steps: lines(KnowledgeField::Steps, field("steps"), 1, 20, 200)?,
            materials: lines(KnowledgeField::Materials, field("materials"), 0, 30, 100)?,
            place,
            hours: text(KnowledgeField::Hours, field("hours"), 0, 200)?,
            fees: text(KnowledgeField::Fees, field("fees"), 0, 200)?,
            time_limit: text(KnowledgeField::TimeLimit, field("time_limit"), 0, 200)?,
            online_url,
            contact: text(KnowledgeField::Contact, field("contact"), 0, 200)?,
        })
    }
}

#[server(endpoint = "guides/list", output = crate::codec::Json)]
pub async fn list_guides() -> Result<Vec<GuideSummary>, AppError> {
    let state = crate::state::app_state()?;
    store::list(&state, None, crate::state::request_locale()).await
}

/// The guides to do at a place, for its page on the map.
#[server(endpoint = "guides/at", output = crate::codec::Json)]
pub async fn guides_at(place: i64) -> Result<Vec<GuideSummary>, AppError> {
    let state = crate::state::app_state()?;
    store::list(&state, Some(place), crate::state::request_locale()).await
}

#[server(endpoint = "guides/get", output = crate::codec::Json)]
pub async fn load_guide(id: i64) -> Result<Guide, AppError> {
    let state = crate::state::app_state()?;
    store::guide(&state, id, crate::state::request_locale()).await
}

#[server(endpoint = "guides/options", output = crate::codec::Json)]
pub async fn load_guide_options() -> Result<GuideOptions, AppError> {
    let state = crate::state::app_state()?;
    store::options(&state, crate::state::request_locale()).await
}

/// The admin adds a guide (`id` empty) or changes one; audited. Returns its id.
#[server(endpoint = "guides/save", output = crate::codec::Json)]
#[allow(clippy::too_many_arguments)]
pub async fn save_guide(
    #[server(default)] id: String,
    #[server(default)] category: String,
    #[server(default)] title: String,
    #[server(default)] summary: String,
    #[server(default)] steps: String,
    #[server(default)] materials: String,
    #[server(default)] place: String,
    #[server(default)] hours: String,
    #[server(default)] fees: String,
    #[server(default)] time_limit: String,
    #[server(default)] online_url: String,
    #[server(default)] contact: String,
) -> Result<i64, AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::ManageRoles).await?;
    let field = |name: &str| -> &str {
        match name {
            "category" => &category,
            "title" => &title,
            "summary" => &summary,
            "steps" => &steps,
            "materials" => &materials,
            "place" => &place,
            "hours" => &hours,
            "fees" => &fees,
            "time_limit" => &time_limit,
            "online_url" => &online_url,
            "contact" => &contact,
            _ => "",
        }
    };
    let draft = GuideDraft::parse(field)?;
    let id = match id.trim() {
        "" => None,
        id => Some(id.parse().map_err(|_| AppError::NotFound)?),
    };
    store::save(&caller, id, &draft).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Field;

    const BASE: [(&str, &str); 6] = [
        ("category", "2"),
        ("title", "企业注册地址变更"),
        (
            "steps",
            "在一网通办填写申请\n\n  上传租赁合同  \n领取新执照",
        ),
        ("materials", "申请书\n租赁合同"),
        ("place", "6"),
        ("online_url", "https://zwdt.sh.gov.cn"),
    ];

    fn parse<'a>(changes: &'a [(&'a str, &'a str)]) -> Result<GuideDraft, AppError> {
        GuideDraft::parse(|name| {
            changes
                .iter()
                .chain(BASE.iter())
                .find(|(n, _)| *n == name)
                .map_or("", |(_, v)| *v)
        })
    }

    #[test]
    fn steps_and_materials_are_one_a_line() {
        let g = parse(&[]).unwrap();
        assert_eq!(
            g.steps,
            ["在一网通办填写申请", "上传租赁合同", "领取新执照"]
        );
        assert_eq!(g.materials, ["申请书", "租赁合同"]);
        assert_eq!((g.category, g.place), (2, Some(6)));
        assert_eq!(
            parse(&[("place", ""), ("materials", "")]).unwrap().place,
            None
        );
    }

    #[test]
    fn bad_fields_are_named_with_their_fix() {
        let field = |changes| parse(changes).err().and_then(|e| e.field());
        let k = |f| Some(Field::Knowledge(f));
        assert_eq!(field(&[("category", "")]), k(KnowledgeField::Category));
        assert_eq!(field(&[("title", "改")]), k(KnowledgeField::Title));
        assert_eq!(field(&[("steps", "\n \n")]), k(KnowledgeField::Steps));
        assert_eq!(field(&[("place", "苏河")]), k(KnowledgeField::Place));
        for url in [
            "http://example.com",
            "https://",
            "javascript:alert(1)",
            "https://a b",
        ] {
            assert_eq!(
                parse(&[("online_url", url)]),
                Err(invalid_because(
                    KnowledgeField::OnlineUrl,
                    KnowledgeProblem::HttpsLink
                )),
                "{url}"
            );
        }
        let many = "步骤\n".repeat(21);
        assert_eq!(
            parse(&[("steps", &many)]),
            Err(invalid_because(
                KnowledgeField::Steps,
                KnowledgeProblem::TooManyLines { max: 20 }
            ))
        );
    }
}
