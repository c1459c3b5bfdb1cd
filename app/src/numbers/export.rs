//! `GET /numbers.csv?by=…&month=…`: the numbers table as on screen, one row per group and a
//! total, for the admin and department staff (each seeing what the page shows them). The
//! figures are counts and rates: nothing about any person.

use super::rates::{format_hours, format_percent, Counts};
use super::texts::NumbersText as T;
use super::{bad_filter, Dimension, Month, NumbersField};
use crate::i18n::Locale;
use std::collections::HashMap;

pub async fn csv(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    headers: http::HeaderMap,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> axum::response::Response {
    let get = |name: &str| query.get(name).cloned().unwrap_or_default();
    let (by, month) = (get("by"), get("month"));
    crate::csv::download(&state, &headers, |caller, locale| async move {
        let dimension = Dimension::parse(&by).ok_or_else(|| bad_filter(NumbersField::GroupBy))?;
        let month = match month.trim() {
            "" | "year" => None,
            m => Some(Month::parse(m).ok_or_else(|| bad_filter(NumbersField::Month))?),
        };
        let report = super::store::report(&caller, dimension, month, locale).await?;
        let header = header(locale, dimension);
        let rows = report
            .groups
            .iter()
            .map(|g| row(&g.name, &g.counts))
            .chain(std::iter::once(row(locale.text(T::Total), &report.total)));
        let period = month.map_or_else(|| "12m".to_owned(), |m| m.to_string());
        let name = format!("numbers-{}-{period}.csv", dimension.as_str());
        Ok((name, crate::csv::document(&header, rows)))
    })
    .await
}

/// The table's columns, in the page's order.
pub fn header(locale: Locale, dimension: Dimension) -> Vec<&'static str> {
    [
        dimension.column(),
        T::Received,
        T::ResponseRate,
        T::ResolutionRate,
        T::OnTimeRate,
        T::SatisfactionRate,
        T::MedianResponse,
        T::MedianResolution,
        T::OverdueNow,
        T::AnsweredWithoutDispatch,
        T::Score,
    ]
    .into_iter()
    .map(|t| locale.text(t))
    .collect()
}

/// One group's cells, in the order of `header`.
pub fn row(name: &str, counts: &Counts) -> Vec<String> {
    let rates = counts.rates();
    vec![
        name.to_owned(),
        counts.received.to_string(),
        format_percent(rates.response),
        format_percent(rates.resolution),
        format_percent(rates.on_time),
        format_percent(rates.satisfaction),
        format_hours(counts.median_response_minutes),
        format_hours(counts.median_resolution_minutes),
        counts.overdue_now.to_string(),
        counts.answered_without_dispatch.to_string(),
        rates
            .score()
            .map(|s| format!("{s:.1}"))
            .unwrap_or_else(|| "—".into()),
    ]
}
