//! `/numbers`: the yardsticks by month and group, with charts and the tables behind them;
//! `/numbers/overview`: the subdistrict at a glance for the admin.

use super::rates::{format_hours, format_percent, Counts};
use super::texts::NumbersText as T;
use super::{load_overview, load_report, Dimension, Figure, Group, Overview, Report};
use crate::accounts::views::RequireUser;
use crate::i18n::{t, use_locale};
use crate::requests::deadlines::format_time;
use crate::ui::Loaded;
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn NumbersPage() -> impl IntoView {
    view! { <RequireUser signed_in=|_| view! { <NumbersView /> } /> }
}

#[component]
fn NumbersView() -> impl IntoView {
    let query = use_query_map();
    let report = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("by").unwrap_or_default(),
                q.get("month").unwrap_or_default(),
            )
        },
        |(by, month)| load_report(by, month),
    );
    view! {
        <section class="space-y-4">
            <h1 class="page-title">{t(T::Numbers)}</h1>
            <p class="muted text-sm">{t(T::NumbersHint)}</p>
            <Loaded resource=report show=|report: Report| view! { <ReportView report /> } />
        </section>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let by = report.dimension.as_str();
    let month = report.month.map(|m| m.to_string()).unwrap_or_default();
    let export = format!("/numbers.csv?by={by}&month={month}");
    let scope = if report.all_requests {
        T::ScopeAll
    } else {
        T::ScopeDepartments
    };
    view! {
        <p class="muted text-sm" data-testid="computed-at">
            {t(scope)}" · "{t(T::ComputedAt)}" "{format_time(report.computed_at)}
        </p>
        <Filters report=report.clone() />
        <Totals counts=report.total />
        <Trend report=report.clone() />
        <Groups dimension=report.dimension groups=report.groups.clone() total=report.total chart=report.groups_chart.clone() />
        <p class="muted text-xs">{t(T::Definitions)}</p>
        <a href=export class="btn-secondary inline-block" download>{t(T::ExportNumbers)}</a>
    }
}

#[component]
fn Filters(report: Report) -> impl IntoView {
    let chosen = report.month;
    view! {
        <Form method="GET" action="/numbers" attr:class="card grid grid-cols-2 gap-2">
            <div>
                <label for="numbers-by" class="label">{t(T::GroupBy)}</label>
                <select id="numbers-by" name="by" class="input">
                    {Dimension::ALL.into_iter().map(|d| view! {
                        <option value=d.as_str() selected=d == report.dimension>{t(d.label())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="numbers-month" class="label">{t(T::Month)}</label>
                <select id="numbers-month" name="month" class="input">
                    <option value="" selected=chosen.is_none()>{t(T::WholeYear)}</option>
                    {report.months.iter().rev().map(|m| view! {
                        <option value=m.to_string() selected=Some(*m) == chosen>{m.to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="btn-secondary col-span-2">{t(T::Show)}</button>
        </Form>
    }
}

/// The period's headline figures.
#[component]
fn Totals(counts: Counts) -> impl IntoView {
    let rates = counts.rates();
    let tiles = [
        (T::Received, counts.received.to_string()),
        (T::ResponseRate, format_percent(rates.response)),
        (T::ResolutionRate, format_percent(rates.resolution)),
        (T::OnTimeRate, format_percent(rates.on_time)),
        (T::SatisfactionRate, format_percent(rates.satisfaction)),
        (
            T::MedianResponse,
            format_hours(counts.median_response_minutes),
        ),
        (
            T::MedianResolution,
            format_hours(counts.median_resolution_minutes),
        ),
        (T::OverdueNow, counts.overdue_now.to_string()),
        (
            T::AnsweredWithoutDispatch,
            counts.answered_without_dispatch.to_string(),
        ),
    ];
    view! {
        <dl class="grid grid-cols-2 gap-2" data-testid="totals">
            {tiles.into_iter().map(|(label, value)| view! {
                <div class="card">
                    <dt class="muted text-xs">{t(label)}</dt>
                    <dd class="text-xl font-semibold tabular-nums">{value}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}

#[component]
fn Trend(report: Report) -> impl IntoView {
    view! {
        <figure class="card space-y-2" data-testid="trend-chart">
            <figcaption class="section-title">{t(T::Trend)}</figcaption>
            <p class="muted text-xs">{t(T::TrendChart)}</p>
            <div inner_html=report.trend_chart></div>
            // Focusable, so that a keyboard can scroll a table wider than the phone.
            <div class="overflow-x-auto" tabindex="0" role="region" aria-label=t(T::Trend)>
                <table class="w-full text-sm whitespace-nowrap">
                    <caption class="sr-only">{t(T::Trend)}</caption>
                    <thead><tr>
                        <th scope="col" class="text-left">{t(T::Month)}</th>
                        <th scope="col" class="text-right px-1">{t(T::Received)}</th>
                        <th scope="col" class="text-right px-1">{t(T::ResponseRate)}</th>
                        <th scope="col" class="text-right px-1">{t(T::ResolutionRate)}</th>
                        <th scope="col" class="text-right px-1">{t(T::OnTimeRate)}</th>
                        <th scope="col" class="text-right px-1">{t(T::SatisfactionRate)}</th>
                    </tr></thead>
                    <tbody>
                        {report.months.iter().zip(report.trend.iter()).map(|(m, c)| {
                            let r = c.rates();
                            view! {
                                <tr>
                                    <th scope="row" class="text-left font-normal tabular-nums">{m.to_string()}</th>
                                    <td class="text-right px-1 tabular-nums">{c.received}</td>
                                    <td class="text-right px-1 tabular-nums">{format_percent(r.response)}</td>
                                    <td class="text-right px-1 tabular-nums">{format_percent(r.resolution)}</td>
                                    <td class="text-right px-1 tabular-nums">{format_percent(r.on_time)}</td>
                                    <td class="text-right px-1 tabular-nums">{format_percent(r.satisfaction)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </figure>
    }
}

/// The groups: a chart of the first fifteen and the whole table. Departments come ranked by
/// score, with the formula.
#[component]
fn Groups(dimension: Dimension, groups: Vec<Group>, total: Counts, chart: String) -> impl IntoView {
    let ranked = dimension == Dimension::Department;
    let title = if ranked {
        T::Ranking
    } else {
        dimension.label()
    };
    if groups.is_empty() {
        return view! { <p class="card muted" data-testid="no-requests">{t(T::NoRequests)}</p> }
            .into_any();
    }
    view! {
        <figure class="card space-y-2" data-testid="groups-chart">
            <figcaption class="section-title">{t(title)}</figcaption>
            {ranked.then(|| view! { <p class="muted text-xs" data-testid="formula">{t(T::Formula)}</p> })}
            <div inner_html=chart></div>
            <div class="overflow-x-auto" tabindex="0" role="region" aria-label=t(title)>
                <table class="w-full text-sm whitespace-nowrap" data-testid="groups-table">
                    <caption class="sr-only">{t(title)}</caption>
                    <thead><tr>
                        {ranked.then(|| view! { <th scope="col" class="text-right pr-2">{t(T::Rank)}</th> })}
                        <th scope="col" class="text-left">{t(dimension.column())}</th>
                        {ranked.then(|| view! { <th scope="col" class="text-right px-1">{t(T::Score)}</th> })}
                        <th scope="col" class="text-right px-1">{t(T::Received)}</th>
                        <th scope="col" class="text-right px-1">{t(T::ResponseRate)}</th>
                        <th scope="col" class="text-right px-1">{t(T::ResolutionRate)}</th>
                        <th scope="col" class="text-right px-1">{t(T::OnTimeRate)}</th>
                        <th scope="col" class="text-right px-1">{t(T::SatisfactionRate)}</th>
                        <th scope="col" class="text-right px-1">{t(T::MedianResponse)}</th>
                        <th scope="col" class="text-right px-1">{t(T::MedianResolution)}</th>
                        <th scope="col" class="text-right px-1">{t(T::OverdueNow)}</th>
                        <th scope="col" class="text-right px-1">{t(T::AnsweredWithoutDispatch)}</th>
                    </tr></thead>
                    <tbody>
                        {groups.into_iter().enumerate().map(|(i, g)| {
                            // Requests no department took (returned, merged, not yet routed)
                            // are listed, but not ranked.
                            let rank = ranked.then_some(if g.unranked { usize::MAX } else { i + 1 });
                            view! { <GroupRow rank name=g.name counts=g.counts /> }
                        }).collect_view()}
                        <GroupRow rank=ranked.then_some(0) name=String::new() counts=total />
                    </tbody>
                </table>
            </div>
        </figure>
    }
    .into_any()
}

/// A row of the groups' table; rank 0 (or an empty name) is the total, `usize::MAX` a group
/// listed without a rank.
#[component]
fn GroupRow(rank: Option<usize>, name: String, counts: Counts) -> impl IntoView {
    let r = counts.rates();
    let is_total = name.is_empty();
    let score = r
        .score()
        .map_or_else(|| "—".to_owned(), |s| format!("{s:.1}"));
    view! {
        <tr class=if is_total { "font-semibold border-t border-slate-300" } else { "" }>
            {rank.map(|n| view! { <td class="text-right pr-2 tabular-nums">{(n > 0 && n < usize::MAX).then_some(n)}</td> })}
            <th scope="row" class="text-left font-normal">
                {if is_total { t(T::Total).into_any() } else { name.into_any() }}
            </th>
            {rank.map(|n| view! { <td class="text-right px-1 tabular-nums">{if n == usize::MAX { "—".to_owned() } else { score }}</td> })}
            <td class="text-right px-1 tabular-nums">{counts.received}</td>
            <td class="text-right px-1 tabular-nums">{format_percent(r.response)}</td>
            <td class="text-right px-1 tabular-nums">{format_percent(r.resolution)}</td>
            <td class="text-right px-1 tabular-nums">{format_percent(r.on_time)}</td>
            <td class="text-right px-1 tabular-nums">{format_percent(r.satisfaction)}</td>
            <td class="text-right px-1 tabular-nums">{format_hours(counts.median_response_minutes)}</td>
            <td class="text-right px-1 tabular-nums">{format_hours(counts.median_resolution_minutes)}</td>
            <td class="text-right px-1 tabular-nums">{counts.overdue_now}</td>
            <td class="text-right px-1 tabular-nums">{counts.answered_without_dispatch}</td>
        </tr>
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! { <RequireUser signed_in=|_| view! { <OverviewView /> } /> }
}

#[component]
fn OverviewView() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_overview());
    view! {
        <section class="space-y-4">
            <h1 class="page-title">{t(T::Overview)}</h1>
            <p class="muted text-sm">{t(T::OverviewHint)}</p>
            <Loaded resource=overview show=|o: Overview| view! {
                <p class="muted text-sm">{o.month.to_string()}" · "{t(T::ComputedAt)}" "{format_time(o.computed_at)}</p>
                <FigureTable title=T::Requests figures=o.requests />
                <A href="/numbers" attr:class="btn-secondary inline-block">{t(T::SeeNumbers)}</A>
                <FigureTable title=T::Lunch figures=o.lunch />
                <FigureTable title=T::Volunteers figures=o.volunteers />
            } />
        </section>
    }
}

#[component]
fn FigureTable(title: T, figures: Vec<Figure>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="card overflow-x-auto" tabindex="0" role="region" aria-label=t(title)>
            <table class="w-full text-sm" data-testid="overview-table">
                <caption class="section-title text-left">{t(title)}</caption>
                <thead><tr>
                    <th scope="col" class="text-left"><span class="sr-only">{t(title)}</span></th>
                    <th scope="col" class="text-right">{t(T::ThisMonth)}</th>
                    <th scope="col" class="text-right">{t(T::LastMonth)}</th>
                    <th scope="col" class="text-right">{t(T::Change)}</th>
                </tr></thead>
                <tbody>
                    {figures.into_iter().map(|f| view! {
                        <tr>
                            <th scope="row" class="text-left font-normal">{locale.text(f.measure.label())}</th>
                            <td class="text-right tabular-nums font-semibold">{f.measure.format(f.now)}</td>
                            <td class="text-right tabular-nums">{f.measure.format(f.before)}</td>
                            <td class="text-right tabular-nums">{f.measure.change(f.now, f.before)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
