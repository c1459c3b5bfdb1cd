//! The SQL of the lunch survey. One response per person is the primary key's rule, so two
//! tabs submitting at once still make one response.

use super::{tally, Answer, Question, QuestionKind, QuestionResult, Survey, SurveyDraft};
use super::{SurveyResults, SurveySummary};
use crate::accounts::auth::Caller;
use crate::error::{AppError, OnConstraint};
use crate::lunch::{refused, LunchRefused};
use sqlx::{PgExecutor, PgPool, Row};

async fn questions(db: impl PgExecutor<'_>, survey: i64) -> Result<Vec<Question>, AppError> {
    let rows = sqlx::query(
        "SELECT id, kind, prompt, options FROM lunch_survey_questions
          WHERE survey_id = $1 ORDER BY position",
    )
    .bind(survey)
    .fetch_all(db)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Question {
            id: row.get("id"),
            kind: QuestionKind::parse(row.get("kind")).unwrap_or(QuestionKind::Text),
            prompt: row.get("prompt"),
            options: row.get("options"),
        })
        .collect())
}

pub async fn current(pool: &PgPool, user: Option<i64>) -> Result<Option<Survey>, AppError> {
    let row = sqlx::query(
        "SELECT s.id, s.title, s.intro,
                EXISTS (SELECT 1 FROM lunch_survey_responses r
                         WHERE r.survey_id = s.id AND r.user_id = $1) AS answered
           FROM lunch_surveys s WHERE s.is_open ORDER BY s.id DESC LIMIT 1",
    )
    .bind(user.unwrap_or(0))
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.get("id");
    Ok(Some(Survey {
        id,
        title: row.get("title"),
        intro: row.get("intro"),
        is_open: true,
        questions: questions(pool, id).await?,
        answered: row.get("answered"),
    }))
}

/// Records the caller's answers, checked by `check` against the survey's questions.
pub async fn answer(
    caller: &Caller,
    survey: i64,
    check: impl FnOnce(&[Question]) -> Result<Vec<Answer>, AppError>,
) -> Result<(), AppError> {
    let mut tx = caller.state.pool.begin().await?;
    // A share lock: closing the survey waits for answers being written, and the other way.
    let open: bool =
        sqlx::query_scalar("SELECT is_open FROM lunch_surveys WHERE id = $1 FOR SHARE")
            .bind(survey)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    if !open {
        return Err(refused(LunchRefused::SurveyClosed));
    }
    let answers = check(&questions(&mut *tx, survey).await?)?;
    sqlx::query("INSERT INTO lunch_survey_responses (survey_id, user_id) VALUES ($1, $2)")
        .bind(survey)
        .bind(caller.user_id)
        .execute(&mut *tx)
        .await
        .on_constraint(
            "lunch_survey_responses_pkey",
            refused(LunchRefused::SurveyAnswered),
        )?;
    for answer in answers {
        sqlx::query(
            "INSERT INTO lunch_survey_answers (survey_id, user_id, question_id, choices, text)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(survey)
        .bind(caller.user_id)
        .bind(answer.question_id)
        .bind(&answer.choices)
        .bind(&answer.text)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn list(pool: &PgPool) -> Result<Vec<SurveySummary>, AppError> {
    let rows = sqlx::query(
        "SELECT s.id, s.title, s.is_open,
                (SELECT count(*) FROM lunch_survey_responses r WHERE r.survey_id = s.id) AS n
           FROM lunch_surveys s ORDER BY s.id DESC",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|row| SurveySummary {
            id: row.get("id"),
            title: row.get("title"),
            is_open: row.get("is_open"),
            responses: row.get("n"),
        })
        .collect())
}

pub async fn create(caller: &Caller, draft: &SurveyDraft) -> Result<i64, AppError> {
    let mut tx = caller.state.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO lunch_surveys (title, intro, created_by) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(&draft.title)
    .bind(&draft.intro)
    .bind(caller.user_id)
    .fetch_one(&mut *tx)
    .await?;
    for (position, (kind, prompt, options)) in draft.questions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO lunch_survey_questions (survey_id, position, kind, prompt, options)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(position as i16 + 1)
        .bind(kind.as_str())
        .bind(prompt)
        .bind(options)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn close(pool: &PgPool, survey: i64) -> Result<(), AppError> {
    let closed = sqlx::query("UPDATE lunch_surveys SET is_open = false WHERE id = $1")
        .bind(survey)
        .execute(pool)
        .await?;
    match closed.rows_affected() {
        0 => Err(AppError::NotFound),
        _ => Ok(()),
    }
}

pub async fn results(pool: &PgPool, survey: i64) -> Result<SurveyResults, AppError> {
    let row = sqlx::query(
        "SELECT title, is_open,
                (SELECT count(*) FROM lunch_survey_responses WHERE survey_id = $1) AS n
           FROM lunch_surveys WHERE id = $1",
    )
    .bind(survey)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let answers: Vec<(i64, Vec<i16>, String)> = sqlx::query_as(
        "SELECT question_id, choices, text FROM lunch_survey_answers
          WHERE survey_id = $1 ORDER BY user_id",
    )
    .bind(survey)
    .fetch_all(pool)
    .await?;
    let questions = questions(pool, survey)
        .await?
        .into_iter()
        .map(|question| {
            let mine = answers.iter().filter(|(q, ..)| *q == question.id);
            if question.kind == QuestionKind::Text {
                let texts = mine
                    .filter(|(_, _, text)| !text.is_empty())
                    .map(|(_, _, text)| text.clone())
                    .collect();
                return QuestionResult {
                    question,
                    counts: Vec::new(),
                    texts,
                    chart: None,
                };
            }
            let choices: Vec<Vec<i16>> = mine.map(|(_, choices, _)| choices.clone()).collect();
            let counts = tally(question.options.len(), &choices);
            QuestionResult {
                chart: Some(crate::charts::bars(&question.options, &counts)),
                question,
                counts,
                texts: Vec::new(),
            }
        })
        .collect();
    Ok(SurveyResults {
        id: survey,
        title: row.get("title"),
        is_open: row.get("is_open"),
        responses: row.get("n"),
        questions,
    })
}
