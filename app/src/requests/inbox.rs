//! `/inbox`: the staff's inbox. A building manager sees their buildings' requests, a
//! department's staff what was routed to their department, an admin everything; filtered
//! by status, building, category, department and deadline, soonest deadline first, overdue
//! in red, updated live. A page of server HTML and the requests' islands: the filters are a
//! plain form, which loads the page anew; the list follows the inbox's live topics.

use super::admin::{pending_companies, PendingCompanies};
use super::texts::RequestText as T;
use super::views::RequestCard;
use super::{get_inbox, Choice, GetInbox, Inbox, RequestSummary};
use crate::accounts::views::RequireUser;
use crate::error::AppError;
use crate::i18n::{t, use_locale, Locale};
use crate::live::use_live;
use crate::ui::{reloaded, Loaded};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn InboxPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("requests");
    let query = use_query_map();
    let param = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    // The filters as the URL gives them, in the server function's own arguments.
    let filters = GetInbox {
        status: param("status"),
        building: param("building"),
        category: param("category"),
        department: param("department"),
        due: param("due"),
    };
    let inbox = Resource::new(|| (), {
        let filters = filters.clone();
        move |_| load_inbox(filters.clone())
    });
    let companies = Resource::new(|| (), |_| pending_companies());
    let locale = use_locale();
    let filters = StoredValue::new(filters);
    view! {
        <RequireUser signed_in=move |_| {
            view! {
                <section class="space-y-3">
                    <h1 class="page-title">{t(T::Inbox)}</h1>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            companies.await.ok().filter(|c| !c.is_empty())
                                .map(|companies| view! { <PendingCompanies locale companies /> })
                        })}
                    </Suspense>
                    <Loaded resource=inbox show={move |inbox: Inbox| {
                        let Inbox { items, topics, buildings, categories, departments, .. } = inbox;
                        view! {
                            <Filters filters=filters.get_value() buildings categories departments />
                            <LiveInbox locale filters=filters.get_value() topics items />
                        }
                    }} />
                </section>
            }
        } />
    }
}

/// The inbox as the filters show it.
fn load_inbox(filters: GetInbox) -> impl std::future::Future<Output = Result<Inbox, AppError>> {
    get_inbox(
        filters.status,
        filters.building,
        filters.category,
        filters.department,
        filters.due,
    )
}

#[component]
fn Filters(
    filters: GetInbox,
    buildings: Vec<Choice>,
    categories: Vec<Choice>,
    departments: Vec<Choice>,
) -> impl IntoView {
    let select = move |name: &'static str, label: T, choices: Vec<Choice>, current: String| {
        let id = format!("filter-{name}");
        view! {
            <div>
                <label for=id.clone() class="label">{t(label)}</label>
                <select id=id name=name class="input">
                    <option value="">{t(T::All)}</option>
                    {choices.into_iter().map(|c| {
                        let selected = c.id.to_string() == current;
                        view! { <option value=c.id selected=selected>{c.name}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let GetInbox {
        status,
        building,
        category,
        department,
        due,
    } = filters;
    let statuses = [
        ("", T::StatusOpen),
        ("submitted", T::StatusSubmitted),
        ("accepted", T::StatusAccepted),
        ("routed", T::StatusRouted),
        ("answered", T::StatusAnswered),
        ("resolved", T::StatusResolved),
        ("closed", T::StatusClosed),
        ("returned", T::StatusReturned),
        ("merged", T::StatusMerged),
    ];
    view! {
        <form method="get" action="/inbox" class="card grid grid-cols-2 gap-2" aria-label=t(T::Filters)>
            <div>
                <label for="filter-status" class="label">{t(T::FieldStatus)}</label>
                <select id="filter-status" name="status" class="input">
                    {statuses.into_iter().map(|(value, label)| view! {
                        <option value=value selected=value == status>{t(label)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-due" class="label">{t(T::FieldDue)}</label>
                <select id="filter-due" name="due" class="input">
                    <option value="">{t(T::All)}</option>
                    <option value="overdue" selected=due == "overdue">{t(T::Overdue)}</option>
                    <option value="today" selected=due == "today">{t(T::DueToday)}</option>
                </select>
            </div>
            {select("building", T::FieldBuilding, buildings, building)}
            {select("category", T::FieldCategory, categories, category)}
            {select("department", T::FieldDepartments, departments, department)}
            <div class="flex items-end">
                <button type="submit" class="btn-secondary w-full">{t(T::ApplyFilters)}</button>
            </div>
        </form>
    }
}

/// The list, loaded again whenever the live channel says something in it changed.
#[cfg_attr(feature = "islands-requests", island)]
#[cfg_attr(not(feature = "islands-requests"), component)]
fn LiveInbox(
    locale: Locale,
    filters: GetInbox,
    topics: Vec<String>,
    items: Vec<RequestSummary>,
) -> impl IntoView {
    provide_context(locale);
    let version = use_live(Signal::stored(topics));
    let export = export_link(&filters);
    let items = reloaded(
        items,
        move || version.get() as usize,
        move || {
            let loading = load_inbox(filters.clone());
            async move { loading.await.map(|inbox| inbox.items) }
        },
    );
    move || view! { <Items items=items.get() export=export.clone() /> }
}

#[component]
fn Items(items: Vec<RequestSummary>, export: String) -> impl IntoView {
    let count = items.len();
    if items.is_empty() {
        return view! {
            <div class="card text-center" data-testid="empty"><p class="muted">{t(T::InboxEmpty)}</p></div>
        }
        .into_any();
    }
    view! {
        <div class="flex items-center justify-between">
            <p class="muted text-sm" role="status">{t(T::InboxCount)}" "{count}</p>
            <a href=export class="text-sm underline" download>{t(crate::numbers::texts::NumbersText::ExportRequests)}</a>
        </div>
        <ul class="space-y-2" data-testid="inbox">
            {items.into_iter().map(|item| view! { <RequestCard item /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The same filters, as a spreadsheet.
fn export_link(filters: &GetInbox) -> String {
    let params: Vec<String> = [
        ("status", &filters.status),
        ("building", &filters.building),
        ("category", &filters.category),
        ("department", &filters.department),
        ("due", &filters.due),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(name, value)| format!("{name}={}", plain_value(value)))
    .collect();
    format!("/requests.csv?{}", params.join("&"))
}

/// A filter value fit for a link: the inbox's values are ids and plain words, so anything
/// else (which the export would refuse anyway) is dropped rather than escaped.
fn plain_value(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}
