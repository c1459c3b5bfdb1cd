//! Staff upkeep for requests: the admin's working-day calendar (holidays and make-up days,
//! entered each November for the next year) and the building manager's confirmation of
//! companies that workers typed in.

use super::texts::RequestText as T;
use super::workdays::{parse_day_kind, DayKind};
use super::{invalid, RequestField};
use crate::accounts::views::RequireUser;
use crate::error::{AppError, Problem};
use crate::i18n::{t, use_locale, Locale};
use crate::ui::{action_error, ErrorBanner, Loaded};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::accounts::{auth, roles::Permission};

/// A day that differs from the default week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `off` or `work`.
    pub kind: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCompany {
    pub id: i64,
    pub name: String,
    pub building: String,
}

/// What the calendar form asks, checked: the day, and its kind or `None` for "as usual".
pub fn parse_calendar_entry(
    date: &str,
    kind: &str,
    note: &str,
) -> Result<(i32, Option<DayKind>, String), AppError> {
    let day = crate::map::hours::parse_date(date)
        .ok_or_else(|| invalid(RequestField::Date, Problem::ExceptionFormat))?;
    let kind = match kind.trim() {
        "default" | "" => None,
        other => Some(
            parse_day_kind(other)
                .ok_or_else(|| invalid(RequestField::DayKind, Problem::Required))?,
        ),
    };
    let note = super::parse_text(RequestField::Note, note, false, 40)?;
    Ok((day, kind, note))
}

#[server(endpoint = "admin/calendar", output = crate::codec::Json)]
pub async fn calendar_days(year: i32) -> Result<Vec<CalendarDay>, AppError> {
    let caller = auth::require(Permission::ManagePlaces).await?;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT to_char(day, 'YYYY-MM-DD'), kind, note FROM calendar_days
          WHERE extract(year FROM day) = $1 ORDER BY day",
    )
    .bind(year as f64)
    .fetch_all(&caller.state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(date, kind, note)| CalendarDay { date, kind, note })
        .collect())
}

/// Marks a day off or working, or back to the default week; audited.
#[server(endpoint = "admin/calendar/set", output = crate::codec::Json)]
pub async fn set_calendar_day(date: String, kind: String, note: String) -> Result<(), AppError> {
    let caller = auth::require(Permission::ManagePlaces).await?;
    let (day, kind, note) = parse_calendar_entry(&date, &kind, &note)?;
    let date = crate::map::hours::format_date(day);
    let mut tx = caller.state.pool.begin().await?;
    let before: Option<serde_json::Value> =
        sqlx::query_scalar("SELECT to_jsonb(c) FROM calendar_days c WHERE day = $1::date")
            .bind(&date)
            .fetch_optional(&mut *tx)
            .await?;
    match kind {
        Some(kind) => {
            sqlx::query(
                "INSERT INTO calendar_days (day, kind, note) VALUES ($1::date, $2, $3)
                 ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note",
            )
            .bind(&date)
            .bind(kind.as_str())
            .bind(&note)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM calendar_days WHERE day = $1::date")
                .bind(&date)
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail)
         VALUES ($1, 'calendar.set', $2, jsonb_build_object('before', $3::jsonb, 'kind', $4::text, 'note', $5::text))",
    )
    .bind(caller.user_id)
    .bind(&date)
    .bind(before)
    .bind(kind.map(DayKind::as_str))
    .bind(&note)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Companies typed by workers in the caller's buildings (every building for admins).
#[server(endpoint = "requests/companies/pending", output = crate::codec::Json)]
pub async fn pending_companies() -> Result<Vec<PendingCompany>, AppError> {
    let caller = auth::require_user().await?;
    let (admin, buildings) = managed_buildings(&caller);
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT c.id, c.name, p.name_zh FROM companies c JOIN places p ON p.id = c.building_id
          WHERE NOT c.confirmed AND ($1 OR c.building_id = ANY ($2))
          ORDER BY c.id LIMIT 100",
    )
    .bind(admin)
    .bind(&buildings)
    .fetch_all(&caller.state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, building)| PendingCompany { id, name, building })
        .collect())
}

#[server(endpoint = "requests/companies/confirm", output = crate::codec::Json)]
pub async fn confirm_company(id: i64) -> Result<(), AppError> {
    let caller = auth::require_user().await?;
    let (admin, buildings) = managed_buildings(&caller);
    let done = sqlx::query(
        "UPDATE companies SET confirmed = true
          WHERE id = $1 AND ($2 OR building_id = ANY ($3))",
    )
    .bind(id)
    .bind(admin)
    .bind(&buildings)
    .execute(&caller.state.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[cfg(feature = "ssr")]
fn managed_buildings(caller: &auth::Caller) -> (bool, Vec<i64>) {
    (
        crate::accounts::roles::is_admin(&caller.grants),
        super::store::managed_buildings(&caller.grants),
    )
}

/// `/admin/calendar?year=2026`. A page of server HTML and one island, the form with the
/// year's days, which it loads again once a day is saved.
#[component]
pub fn CalendarPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("admin");
    let query = use_query_map();
    let year = move || {
        query
            .read()
            .get("year")
            .and_then(|y| y.parse().ok())
            .unwrap_or(2026)
    };
    let days = Resource::new(year, |year| async move {
        Ok::<_, AppError>((calendar_days(year).await?, year))
    });
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-4">
                <h1 class="page-title">{t(T::CalendarTitle)}</h1>
                <p class="muted text-sm">{t(T::CalendarHint)}</p>
                <Loaded resource=days show={move |(days, year): (Vec<CalendarDay>, i32)| view! {
                    <CalendarEditor locale days year />
                }} />
            </section>
        } />
    }
}

#[cfg_attr(feature = "islands-admin", island)]
#[cfg_attr(not(feature = "islands-admin"), component)]
fn CalendarEditor(locale: Locale, days: Vec<CalendarDay>, year: i32) -> impl IntoView {
    provide_context(locale);
    let set = ServerAction::<SetCalendarDay>::new();
    let error = action_error(set);
    let days = crate::ui::reloaded(
        days,
        move || set.version().get(),
        move || calendar_days(year),
    );
    view! {
        <ActionForm action=set attr:class="card grid grid-cols-2 gap-2">
            <div>
                <label for="calendar-date" class="label">{t(T::FieldDate)}</label>
                <input id="calendar-date" name="date" type="date" class="input" required />
            </div>
            <div>
                <label for="calendar-kind" class="label">{t(T::FieldDayKind)}</label>
                <select id="calendar-kind" name="kind" class="input">
                    <option value="off">{t(T::DayOff)}</option>
                    <option value="work">{t(T::MakeUpDay)}</option>
                    <option value="default">{t(T::DefaultDay)}</option>
                </select>
            </div>
            <div class="col-span-2">
                <label for="calendar-note" class="label">{t(T::FieldNote)}</label>
                <input id="calendar-note" name="note" class="input" maxlength="40" placeholder="春节" />
            </div>
            <div class="col-span-2"><ErrorBanner error /></div>
            <button type="submit" class="btn-primary col-span-2">{t(T::SaveDay)}</button>
        </ActionForm>
        <ul class="card divide-y divide-slate-200" data-testid="calendar">
            {move || days.get().into_iter().map(|d| view! {
                <li class="flex justify-between py-2">
                    <span class="tabular-nums">{d.date}</span>
                    <span>{if d.kind == "work" { t(T::MakeUpDay) } else { t(T::DayOff) }}" "{d.note}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Companies waiting for the building manager's confirmation, shown above the inbox (which
/// shows this only when there are some).
#[cfg_attr(feature = "islands-requests", island)]
#[cfg_attr(not(feature = "islands-requests"), component)]
pub fn PendingCompanies(locale: Locale, companies: Vec<PendingCompany>) -> impl IntoView {
    provide_context(locale);
    let confirm = ServerAction::<ConfirmCompany>::new();
    let companies = crate::ui::reloaded(
        companies,
        move || confirm.version().get(),
        pending_companies,
    );
    move || {
        let companies = companies.get();
        (!companies.is_empty()).then(|| view! {
            <section class="card space-y-2" aria-labelledby="pending-companies">
                <h2 id="pending-companies" class="section-title">{t(T::PendingCompanies)}</h2>
                <ul class="space-y-2" data-testid="pending-companies">
                    {companies.into_iter().map(|c| view! {
                        <li class="flex items-center justify-between gap-2">
                            <span>{c.name}<span class="muted text-sm">" · "{c.building}</span></span>
                            <button type="button" class="btn-secondary text-sm" disabled=move || confirm.pending().get()
                                on:click=move |_| { confirm.dispatch(ConfirmCompany { id: c.id }); }>
                                {t(T::ConfirmCompany)}
                            </button>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_entries_are_checked() {
        let (day, kind, note) = parse_calendar_entry("2027-02-06", "work", " 春节调休 ").unwrap();
        assert_eq!(crate::map::hours::format_date(day), "2027-02-06");
        assert_eq!(kind, Some(DayKind::WorkingDay));
        assert_eq!(note, "春节调休");
        assert_eq!(
            parse_calendar_entry("2027-02-06", "default", "").unwrap().1,
            None
        );
        assert!(parse_calendar_entry("2027-02-30", "off", "").is_err());
        assert!(parse_calendar_entry("2027-02-06", "maybe", "").is_err());
    }
}
