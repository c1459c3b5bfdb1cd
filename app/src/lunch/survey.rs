//! The lunch survey (午餐调查): the subdistrict admin writes it (single choice, multiple
//! choice, free text), workers answer it once each, and the results are charts with their
//! tables beside them.
//!
//! The survey and its answers are parsed here (pure, unit-tested); SQL in `survey/store.rs`,
//! pages in `survey/views.rs`.

#[cfg(feature = "ssr")]
pub mod store;
pub mod views;

use super::{invalid, invalid_because, LunchField, LunchProblem};
use crate::error::{AppError, Problem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Questions a survey may have, and options a choice question may have.
pub const MAX_QUESTIONS: usize = 10;
pub const MAX_OPTIONS: usize = 10;
const MAX_ANSWER_CHARS: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    Single,
    Multiple,
    Text,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Text => "text",
        }
    }

    pub fn parse(text: &str) -> Option<QuestionKind> {
        [
            QuestionKind::Single,
            QuestionKind::Multiple,
            QuestionKind::Text,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Vec<String>,
}

/// A survey as a worker sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    pub id: i64,
    pub title: String,
    pub intro: String,
    pub is_open: bool,
    pub questions: Vec<Question>,
    /// Whether the reader has answered it.
    pub answered: bool,
}

/// A survey in the admin's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub id: i64,
    pub title: String,
    pub is_open: bool,
    pub responses: i64,
}

/// One question's results: a count per option (choice questions) or the texts written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question: Question,
    pub counts: Vec<i64>,
    pub texts: Vec<String>,
    /// The counts drawn as an SVG bar chart (choice questions).
    pub chart: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub id: i64,
    pub title: String,
    pub is_open: bool,
    pub responses: i64,
    pub questions: Vec<QuestionResult>,
}

/// A new survey, checked: a title, and 1 to 10 questions, each with a prompt, and choice
/// questions with 2 to 10 distinct options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyDraft {
    pub title: String,
    pub intro: String,
    pub questions: Vec<(QuestionKind, String, Vec<String>)>,
}

fn bounded(field: LunchField, text: &str, min: usize, max: usize) -> Result<String, AppError> {
    crate::error::bounded_text(crate::error::Field::Lunch(field), text, min, max)
}

impl SurveyDraft {
    /// Reads the admin's form: `title`, `intro`, and per question `n` (1 to 10) `kind_n`,
    /// `prompt_n` and `options_n` (one option a line). Rows left blank are skipped.
    pub fn parse<'a>(text: impl Fn(&str) -> &'a str) -> Result<SurveyDraft, AppError> {
        let title = bounded(LunchField::SurveyTitle, text("title"), 2, 60)?;
        let intro = bounded(LunchField::SurveyIntro, text("intro"), 0, 300)?;
        let mut questions = Vec::new();
        for n in 1..=MAX_QUESTIONS {
            let prompt = text(&format!("prompt_{n}")).trim();
            if prompt.is_empty() {
                continue;
            }
            let prompt = bounded(LunchField::Question, prompt, 2, 120)?;
            let kind = QuestionKind::parse(text(&format!("kind_{n}")).trim()).ok_or_else(|| {
                invalid_because(LunchField::Question, LunchProblem::UnknownChoice)
            })?;
            let mut options: Vec<String> = Vec::new();
            for line in text(&format!("options_{n}")).lines() {
                let option = bounded(LunchField::Options, line, 0, 40)?;
                if !option.is_empty() && !options.contains(&option) {
                    options.push(option);
                }
            }
            if kind == QuestionKind::Text {
                options.clear();
            } else if !(2..=MAX_OPTIONS).contains(&options.len()) {
                return Err(invalid_because(
                    LunchField::Options,
                    LunchProblem::TooFewOptions,
                ));
            }
            questions.push((kind, prompt, options));
        }
        if questions.is_empty() {
            return Err(invalid(LunchField::Question, Problem::Required));
        }
        Ok(SurveyDraft {
            title,
            intro,
            questions,
        })
    }
}

/// A worker's answer to one question: chosen option indexes, or a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub question_id: i64,
    pub choices: Vec<i16>,
    pub text: String,
}

/// Checks a worker's answers (`all("q{id}")` gives a question's values): every choice
/// question answered with options of its own (one for a single choice), texts optional.
pub fn parse_answers<'a>(
    questions: &[Question],
    all: impl Fn(&str) -> Vec<&'a str>,
) -> Result<Vec<Answer>, AppError> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let values = all(&format!("q{}", q.id));
            let missing = || {
                invalid_because(
                    LunchField::Answer,
                    LunchProblem::AnswerRequired {
                        question: i as i32 + 1,
                    },
                )
            };
            match q.kind {
                QuestionKind::Text => {
                    let text = values.first().copied().unwrap_or("");
                    Ok(Answer {
                        question_id: q.id,
                        choices: Vec::new(),
                        text: bounded(LunchField::Answer, text, 0, MAX_ANSWER_CHARS)?,
                    })
                }
                QuestionKind::Single | QuestionKind::Multiple => {
                    let mut choices = Vec::new();
                    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
                        let index = value
                            .parse::<i16>()
                            .ok()
                            .filter(|c| (0..q.options.len() as i16).contains(c))
                            .ok_or_else(|| {
                                invalid_because(LunchField::Answer, LunchProblem::UnknownChoice)
                            })?;
                        if !choices.contains(&index) {
                            choices.push(index);
                        }
                    }
                    choices.sort_unstable();
                    match (q.kind, choices.len()) {
                        (_, 0) => Err(missing()),
                        (QuestionKind::Single, n) if n > 1 => Err(invalid_because(
                            LunchField::Answer,
                            LunchProblem::UnknownChoice,
                        )),
                        _ => Ok(Answer {
                            question_id: q.id,
                            choices,
                            text: String::new(),
                        }),
                    }
                }
            }
        })
        .collect()
}

/// Counts per option of one choice question from every response's choices.
pub fn tally(options: usize, responses: &[Vec<i16>]) -> Vec<i64> {
    let mut counts = vec![0i64; options];
    for choices in responses {
        for c in choices {
            if let Some(n) = counts.get_mut(*c as usize) {
                *n += 1;
            }
        }
    }
    counts
}

/// The newest open survey, with whether the reader has answered it (none when no survey
/// is open).
#[server(endpoint = "lunch/current_survey", output = crate::codec::Json)]
pub async fn current_survey() -> Result<Option<Survey>, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::accounts::auth::session_user_id(&state.pool).await?;
    store::current(&state.pool, user).await
}

#[server(endpoint = "lunch/answer_survey", input = leptos::server_fn::codec::MultipartFormData, output = crate::codec::Json)]
pub async fn answer_survey(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let form =
        crate::uploads::read_form(data, crate::error::Field::Lunch(LunchField::Answer)).await?;
    let id = form
        .text("survey")
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    store::answer(&caller, id, |questions| {
        parse_answers(questions, |name| form.all(name))
    })
    .await
}

#[server(endpoint = "lunch/surveys", output = crate::codec::Json)]
pub async fn list_surveys() -> Result<Vec<SurveySummary>, AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::ManageRoles).await?;
    store::list(&caller.state.pool).await
}

#[server(endpoint = "lunch/create_survey", input = leptos::server_fn::codec::MultipartFormData, output = crate::codec::Json)]
pub async fn create_survey(data: leptos::server_fn::codec::MultipartData) -> Result<i64, AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::ManageRoles).await?;
    let form =
        crate::uploads::read_form(data, crate::error::Field::Lunch(LunchField::Question)).await?;
    let draft = SurveyDraft::parse(|name| form.text(name))?;
    store::create(&caller, &draft).await
}

#[server(endpoint = "lunch/close_survey", output = crate::codec::Json)]
pub async fn close_survey(survey: i64) -> Result<(), AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::ManageRoles).await?;
    store::close(&caller.state.pool, survey).await
}

#[server(endpoint = "lunch/survey_results", output = crate::codec::Json)]
pub async fn load_survey_results(survey: i64) -> Result<SurveyResults, AppError> {
    use crate::accounts::roles::Permission;
    let caller = crate::accounts::auth::require(Permission::ManageRoles).await?;
    store::results(&caller.state.pool, survey).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Field;

    fn question(id: i64, kind: QuestionKind, options: &[&str]) -> Question {
        Question {
            id,
            kind,
            prompt: "你最常吃什么？".into(),
            options: options.iter().map(|o| (*o).to_owned()).collect(),
        }
    }

    fn lookup<'a>(fields: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> &'a str {
        move |name| {
            fields
                .iter()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, v)| *v)
        }
    }

    #[test]
    fn a_survey_needs_a_title_a_question_and_options_for_choices() {
        let ok = SurveyDraft::parse(lookup(&[
            ("title", "午餐满意度"),
            ("kind_1", "single"),
            ("prompt_1", "总体满意吗？"),
            ("options_1", "满意\n一般\n\n一般\n不满意"),
            ("kind_2", "text"),
            ("prompt_2", "还想吃什么？"),
            ("options_2", "ignored"),
        ]))
        .unwrap();
        assert_eq!(ok.questions.len(), 2);
        assert_eq!(ok.questions[0].2, ["满意", "一般", "不满意"]);
        assert!(ok.questions[1].2.is_empty());

        let field = |fields: &[(&str, &str)]| {
            SurveyDraft::parse(lookup(fields))
                .err()
                .and_then(|e| e.field())
        };
        assert_eq!(
            field(&[("title", "x")]),
            Some(Field::Lunch(LunchField::SurveyTitle))
        );
        assert_eq!(
            field(&[("title", "午餐调查")]),
            Some(Field::Lunch(LunchField::Question))
        );
        assert_eq!(
            field(&[
                ("title", "午餐调查"),
                ("kind_1", "single"),
                ("prompt_1", "满意吗？"),
                ("options_1", "满意")
            ]),
            Some(Field::Lunch(LunchField::Options))
        );
        assert_eq!(
            field(&[
                ("title", "午餐调查"),
                ("kind_1", "poll"),
                ("prompt_1", "满意吗？")
            ]),
            Some(Field::Lunch(LunchField::Question))
        );
    }

    #[test]
    fn answers_must_choose_their_own_options() {
        let questions = [
            question(7, QuestionKind::Single, &["满意", "不满意"]),
            question(8, QuestionKind::Multiple, &["米饭", "面", "沙拉"]),
            question(9, QuestionKind::Text, &[]),
        ];
        let answer = |values: &[(&str, &str)]| {
            let values = values.to_vec();
            parse_answers(&questions, move |name| {
                values
                    .iter()
                    .filter(|(n, _)| *n == name)
                    .map(|(_, v)| *v)
                    .collect()
            })
        };
        let ok = answer(&[("q7", "1"), ("q8", "2"), ("q8", "0"), ("q8", "2")]).unwrap();
        assert_eq!(ok[0].choices, [1]);
        assert_eq!(ok[1].choices, [0, 2]);
        assert_eq!(ok[2].text, "");
        let problem = |values: &[(&str, &str)]| match answer(values) {
            Err(AppError::Invalid { problem, .. }) => Some(problem),
            _ => None,
        };
        assert_eq!(
            problem(&[("q8", "0")]),
            Some(Problem::Lunch(LunchProblem::AnswerRequired { question: 1 }))
        );
        assert_eq!(
            problem(&[("q7", "2"), ("q8", "0")]),
            Some(Problem::Lunch(LunchProblem::UnknownChoice))
        );
        assert_eq!(
            problem(&[("q7", "0"), ("q7", "1"), ("q8", "0")]),
            Some(Problem::Lunch(LunchProblem::UnknownChoice))
        );
    }

    #[test]
    fn tallies_count_each_choice() {
        assert_eq!(tally(3, &[vec![0, 2], vec![2], vec![], vec![9]]), [1, 0, 2]);
    }
}
