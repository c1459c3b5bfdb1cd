//! `GET /requests.csv?…`: the inbox as a spreadsheet, with the inbox's filters and scope
//! (the caller's buildings, departments, or everything for the admin). Like the inbox it
//! holds no requester's name, phone or company: what staff export leaves the app.

use super::deadlines::format_time;
use super::texts::RequestText as T;
use super::InboxFilter;
use std::collections::HashMap;

/// Rows a single export holds at most.
const EXPORT_LIMIT: usize = 20_000;

pub async fn csv(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    headers: http::HeaderMap,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> axum::response::Response {
    let get = |name: &str| query.get(name).cloned().unwrap_or_default();
    let filter = InboxFilter::parse(
        &get("status"),
        &get("building"),
        &get("category"),
        &get("department"),
        &get("due"),
    );
    crate::csv::download(&state, &headers, |caller, locale| async move {
        let inbox = super::store::inbox_for(&caller, &filter?, locale, EXPORT_LIMIT).await?;
        let header = [
            locale.text(T::FieldNumber),
            locale.text(T::FieldTitle),
            locale.text(T::FieldCategory),
            locale.text(T::FieldBuilding),
            locale.text(T::FieldStatus),
            locale.text(T::SubmittedAt),
            locale.text(T::FieldDue),
            locale.text(T::FieldDepartments),
        ];
        let rows = inbox.items.into_iter().map(|r| {
            vec![
                r.number,
                r.title,
                r.category,
                r.building,
                locale.text(r.status.label()).to_owned(),
                format_time(r.submitted_at),
                r.due.map(format_time).unwrap_or_default(),
                r.departments.join("、"),
            ]
        });
        let name = format!(
            "requests-{}.csv",
            crate::map::hours::format_date(crate::lunch::window::shanghai_day(
                caller.state.clock.unix_secs()
            ))
        );
        Ok((name, crate::csv::document(&header, rows)))
    })
    .await
}
