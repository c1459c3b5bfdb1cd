//! `/inbox`: the staff's inbox. A building manager sees their buildings' requests, a
//! department's staff what was routed to their department, an admin everything; filtered
//! by status, building, category, department and deadline, soonest deadline first, overdue
//! in red, updated live.

use super::texts::RequestText as T;
use super::views::RequestCard;
use super::{get_inbox, Choice, Inbox};
use crate::accounts::views::RequireUser;
use crate::i18n::t;
use crate::live::use_live;
use crate::ui::Loaded;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn InboxPage() -> impl IntoView {
    view! { <RequireUser signed_in=|_| view! { <InboxView /> } /> }
}

#[component]
fn InboxView() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let topics = RwSignal::new(Vec::<String>::new());
    let version = use_live(topics.into());
    let inbox = Resource::new(
        move || {
            (
                param("status"),
                param("building"),
                param("category"),
                param("department"),
                param("due"),
                version.get(),
            )
        },
        |(status, building, category, department, due, _)| {
            get_inbox(status, building, category, department, due)
        },
    );
    view! {
        <section class="space-y-3">
            <h1 class="page-title">{t(T::Inbox)}</h1>
            <super::admin::PendingCompanies />
            <Loaded resource=inbox show={move |inbox: Inbox| {
                if topics.get_untracked() != inbox.topics {
                    topics.set(inbox.topics.clone());
                }
                view! { <Filters inbox=inbox.clone() /> <Items inbox /> }
            }} />
        </section>
    }
}

#[component]
fn Filters(inbox: Inbox) -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let select = move |name: &'static str, label: T, choices: Vec<Choice>| {
        let current = param(name);
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
    let status = param("status");
    let due = param("due");
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
        <Form method="GET" action="/inbox" attr:class="card grid grid-cols-2 gap-2" attr:aria-label=t(T::Filters)>
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
            {select("building", T::FieldBuilding, inbox.buildings)}
            {select("category", T::FieldCategory, inbox.categories)}
            {select("department", T::FieldDepartments, inbox.departments)}
            <div class="flex items-end">
                <button type="submit" class="btn-secondary w-full">{t(T::ApplyFilters)}</button>
            </div>
        </Form>
    }
}

#[component]
fn Items(inbox: Inbox) -> impl IntoView {
    let count = inbox.items.len();
    if inbox.items.is_empty() {
        return view! {
            <div class="card text-center" data-testid="empty"><p class="muted">{t(T::InboxEmpty)}</p></div>
        }
        .into_any();
    }
    // The same filters, as a spreadsheet.
    let query = use_query_map();
    let export = move || {
        let q = query.read();
        let params: Vec<String> = ["status", "building", "category", "department", "due"]
            .iter()
            .filter_map(|name| q.get(name).map(|v| format!("{name}={}", plain_value(&v))))
            .collect();
        format!("/requests.csv?{}", params.join("&"))
    };
    view! {
        <div class="flex items-center justify-between">
            <p class="muted text-sm" role="status">{t(T::InboxCount)}" "{count}</p>
            <a href=export class="text-sm underline" download>{t(crate::numbers::texts::NumbersText::ExportRequests)}</a>
        </div>
        <ul class="space-y-2" data-testid="inbox">
            {inbox.items.into_iter().map(|item| view! { <RequestCard item /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A filter value fit for a link: the inbox's values are ids and plain words, so anything
/// else (which the export would refuse anyway) is dropped rather than escaped.
fn plain_value(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}
