//! The worker's side: "我的诉求", raising a problem (with matching cases while typing), and
//! the request page with its timeline and the steps the reader may take, live. Pages of
//! server HTML and the requests' islands: the list, the form and the request, each of which
//! loads its own data again when the live channel says it changed.

use super::deadlines::{format_time, Urgency};
use super::lifecycle::{EventKind, Status, Step};
use super::texts::RequestText as T;
use super::*;
use crate::accounts::views::RequireUser;
use crate::error::{AppError, Field};
use crate::i18n::{t, use_locale, Locale};
use crate::live::{use_live, Topic};
use crate::ui::{
    field_message, loaded_in_browser, reloaded, submitted_form_data, Debounce, ErrorBanner, Loaded,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The message for one of this capability's fields.
fn message_for(
    error: Signal<Option<AppError>>,
    field: RequestField,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    field_message(error, Field::Request(field))
}

/// A field's error, tied to its input for screen readers by id.
#[component]
fn FieldError(
    error: Signal<Option<AppError>>,
    field: RequestField,
    id: &'static str,
) -> impl IntoView {
    let message = message_for(error, field);
    move || message().map(|m| view! { <p id=id class="field-error" role="alert">{m}</p> })
}

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let class = match status {
        Status::Submitted | Status::Accepted => "badge bg-amber-100 text-amber-900",
        Status::Routed | Status::Answered => "badge bg-blue-100 text-blue-900",
        Status::Resolved => "badge bg-emerald-100 text-emerald-900",
        Status::Closed => "badge bg-slate-200 text-slate-800",
        Status::Returned | Status::Merged => "badge bg-slate-200 text-slate-800",
    };
    view! { <span class=class data-status=status.as_str()>{t(status.label())}</span> }
}

#[component]
pub fn DueLine(due: Option<i64>, urgency: Urgency) -> impl IntoView {
    due.map(|due| {
        let (class, label) = match urgency {
            Urgency::Overdue => ("text-sm font-semibold text-red-800", t(T::Overdue)),
            Urgency::DueToday => ("text-sm font-semibold text-amber-800", t(T::DueToday)),
            _ => ("text-sm text-slate-600", t(T::DueBy)),
        };
        view! { <span class=class data-urgency=format!("{urgency:?}")>{label}" "{format_time(due)}</span> }
    })
}

#[component]
pub fn RequestCard(item: RequestSummary) -> impl IntoView {
    let href = format!("/requests/{}", item.number);
    let number = item.number.clone();
    view! {
        <li class="card space-y-1" data-number=number>
            <div class="flex items-start justify-between gap-2">
                <a href=href class="font-semibold text-slate-900 hover:text-red-800 focus-ring">
                    {item.title}
                </a>
                <StatusBadge status=item.status />
            </div>
            <p class="text-sm text-slate-600">
                {item.number}" · "{item.category}" · "{item.building}
            </p>
            {(!item.departments.is_empty()).then(|| view! {
                <p class="text-sm text-slate-600">{t(T::Departments)}"："{item.departments.join("、")}</p>
            })}
            <DueLine due=item.due urgency=item.urgency />
        </li>
    }
}

/// `/requests`: the worker's own requests, newest first.
#[component]
pub fn MyRequestsPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("requests");
    let list = Resource::new(|| (), |_| my_requests());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |user| view! {
            <section class="space-y-3">
                <div class="flex items-center justify-between gap-2">
                    <h1 class="page-title">{t(T::MyRequests)}</h1>
                    <a href="/requests/new" class="btn-primary">{t(T::RaiseProblem)}</a>
                </div>
                <p class="muted text-sm">{t(T::Slogan)}</p>
                <p class="flex gap-4 text-sm">
                    <a href="/cases" class="link">{t(crate::knowledge::texts::KnowledgeText::Cases)}</a>
                    <a href="/qa" class="link">{t(crate::knowledge::texts::KnowledgeText::Questions)}</a>
                    <a href="/guides" class="link">{t(crate::knowledge::texts::KnowledgeText::ServiceHall)}</a>
                    {user.handles_requests().then(|| view! { <a href="/inbox" class="link">{t(T::Inbox)}</a> })}
                </p>
                <Loaded resource=list show={move |items: Vec<RequestSummary>| view! {
                    <MyRequests locale user_id=user.id items />
                }} />
            </section>
        } />
    }
}

/// The list, loaded again when one of the reader's requests moves on (their own topic).
#[cfg_attr(feature = "islands-requests", island)]
#[cfg_attr(not(feature = "islands-requests"), component)]
fn MyRequests(locale: Locale, user_id: i64, items: Vec<RequestSummary>) -> impl IntoView {
    provide_context(locale);
    let version = use_live(Signal::stored(vec![Topic::User(user_id).to_string()]));
    let items = reloaded(items, move || version.get() as usize, my_requests);
    move || {
        let items = items.get();
        if items.is_empty() {
            view! {
                <div class="card space-y-2 text-center" data-testid="empty">
                    <p class="font-semibold">{t(T::NoRequestsYet)}</p>
                    <p class="muted">{t(T::NoRequestsHint)}</p>
                </div>
            }
            .into_any()
        } else {
            view! {
                <ul class="space-y-2" data-testid="request-list">
                    {items.into_iter().map(|item| view! { <RequestCard item /> }).collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}

/// `/requests/new`: raise a problem in under a minute from a phone.
/// The form's options load at the page's top level (a resource created inside another's
/// `Suspend` lost the request's cookie now and then during server rendering); signed out,
/// loading them fails with the sign-in prompt.
#[component]
pub fn RaiseRequestPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("request-form");
    let options = Resource::new(|| (), |_| get_form_options());
    // "我要提问" (from 你问我答) starts with the consultation category.
    let asking = use_query_map().read_untracked().get("ask").is_some();
    let locale = use_locale();
    view! {
        <section class="space-y-4">
            <h1 class="page-title">{t(T::RaiseProblem)}</h1>
            <Loaded resource=options show={move |options: FormOptions| view! { <RaiseFields locale options asking /> }} />
        </section>
    }
}

/// The form, with the company suggestions of the chosen building and, while the reader
/// types, published cases and their own requests like it. Raised, the server function's
/// redirect loads the new request's page.
#[cfg_attr(feature = "islands-request-form", island)]
#[cfg_attr(not(feature = "islands-request-form"), component)]
fn RaiseFields(locale: Locale, options: FormOptions, asking: bool) -> impl IntoView {
    provide_context(locale);
    let raise =
        Action::new_local(|data: &leptos::web_sys::FormData| raise_request(data.clone().into()));
    let error = Signal::derive(move || raise.value().get().and_then(Result::err));
    let pending = raise.pending();
    let building = RwSignal::new(
        options
            .last_building
            .or(options.buildings.first().map(|b| b.id))
            .unwrap_or_default(),
    );
    let companies = loaded_in_browser(LocalResource::new(move || companies(building.get())));
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let debounce = Debounce::new();
    let on_text = move || {
        let text = format!("{} {}", title.get_untracked(), description.get_untracked());
        debounce.call(300, move || typed.set(text));
    };
    // Only in the browser: nothing is typed when the server renders the form.
    let similar = loaded_in_browser(LocalResource::new(move || {
        let text = typed.get();
        async move {
            if text.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                similar_requests(text).await
            }
        }
    }));
    let described = |id: &'static str, field: RequestField| {
        let message = message_for(error, field);
        move || message().map(|_| id)
    };
    let invalid = move |field: RequestField| {
        let message = message_for(error, field);
        move || message().is_some().then_some("true")
    };

    view! {
        <form class="space-y-4" method="post" action="/api/requests/raise" enctype="multipart/form-data"
            on:submit=move |ev| {
                if let Some(data) = submitted_form_data(&ev) {
                    raise.dispatch_local(data);
                }
            }>
            <div class="space-y-1">
                <label for="field-category" class="label">{t(T::FieldCategory)}</label>
                <select id="field-category" name="category" class="input" required
                    aria-invalid=invalid(RequestField::Category)
                    aria-describedby=described("field-category-error", RequestField::Category)>
                    <option value="">{t(T::ChooseCategory)}</option>
                    {options.categories.into_iter().map(|c| {
                        let selected = asking && Some(c.id) == options.question_category;
                        view! { <option value=c.id selected=selected>{c.name}</option> }
                    }).collect_view()}
                </select>
                <FieldError error field=RequestField::Category id="field-category-error" />
            </div>
            <div class="space-y-1">
                <label for="field-building" class="label">{t(T::FieldBuilding)}</label>
                <select id="field-building" name="building" class="input" required
                    on:change=move |ev| building.set(event_target_value(&ev).parse().unwrap_or_default())
                    aria-invalid=invalid(RequestField::Building)
                    aria-describedby=described("field-building-error", RequestField::Building)>
                    {options.buildings.into_iter().map(|b| {
                        let selected = b.id == building.get_untracked();
                        view! { <option value=b.id selected=selected>{b.name}</option> }
                    }).collect_view()}
                </select>
                <FieldError error field=RequestField::Building id="field-building-error" />
            </div>
            <div class="space-y-1">
                <label for="field-company" class="label">{t(T::FieldCompany)}</label>
                <input id="field-company" name="company" class="input" list="company-list" maxlength="60"
                    autocomplete="organization" value=options.last_company.unwrap_or_default()
                    aria-describedby="field-company-hint" aria-invalid=invalid(RequestField::Company) />
                <p id="field-company-hint" class="hint">{t(T::CompanyHint)}</p>
                // Suggestions only: the browser fetches them for the chosen building.
                <datalist id="company-list">
                    {move || companies.get().unwrap_or_default().into_iter()
                        .map(|c| view! { <option value=c.name></option> }).collect_view()}
                </datalist>
                <FieldError error field=RequestField::Company id="field-company-error" />
            </div>
            <div class="space-y-1">
                <label for="field-title" class="label">{t(T::FieldTitle)}</label>
                <input id="field-title" name="title" class="input" required maxlength=MAX_TITLE_CHARS.to_string()
                    placeholder=t(T::TitlePlaceholder)
                    on:input=move |ev| { title.set(event_target_value(&ev)); on_text(); }
                    aria-invalid=invalid(RequestField::Title)
                    aria-describedby=described("field-title-error", RequestField::Title) />
                <FieldError error field=RequestField::Title id="field-title-error" />
            </div>
            <div class="space-y-1">
                <label for="field-description" class="label">{t(T::FieldDescription)}</label>
                <textarea id="field-description" name="description" class="input min-h-28" required
                    maxlength=MAX_DESCRIPTION_CHARS.to_string() placeholder=t(T::DescriptionPlaceholder)
                    on:input=move |ev| { description.set(event_target_value(&ev)); on_text(); }
                    aria-invalid=invalid(RequestField::Description)
                    aria-describedby=described("field-description-error", RequestField::Description)></textarea>
                <FieldError error field=RequestField::Description id="field-description-error" />
            </div>
            <crate::knowledge::views::MatchingCases text=typed.read_only() />
            <SimilarPanel similar />
            <PhotoInput error />
            <ErrorBanner error />
            <button type="submit" class="btn-primary w-full" disabled=move || pending.try_get().unwrap_or(false)
                aria-busy=move || pending.try_get().unwrap_or(false).to_string()>
                {move || if pending.try_get().unwrap_or(false) { t(T::Submitting) } else { t(T::Submit) }}
            </button>
        </form>
    }
}

#[component]
fn SimilarPanel(similar: ReadSignal<Option<Vec<SimilarItem>>>) -> impl IntoView {
    view! {
            {move || similar.get().filter(|items| !items.is_empty()).map(|items| view! {
                <aside class="card space-y-2 ring-emerald-300" aria-live="polite" data-testid="similar">
                    <h2 class="section-title">{t(T::SimilarOwn)}</h2>
                    <ul class="space-y-2">
                        {items.into_iter().map(|item| view! {
                            <li class="text-sm">
                                {match item.number {
                                    Some(number) => view! { <a href=format!("/requests/{number}") class="link font-medium">{item.title}</a> }.into_any(),
                                    None => view! { <span class="font-medium">{item.title}</span> }.into_any(),
                                }}
                                <span class="muted">" · "{item.category}</span>
                                {(!item.summary.is_empty()).then(|| view! { <p class="muted">{item.summary}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                </aside>
            })}
    }
}

/// Up to three photos; on phones the picker offers the camera.
#[component]
fn PhotoInput(
    error: Signal<Option<AppError>>,
    #[prop(into, default = "field-photos".to_owned())] id: String,
) -> impl IntoView {
    let message = message_for(error, RequestField::Photos);
    let hint = format!("{id}-hint");
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="label">{t(T::FieldPhotos)}</label>
            <input id=id name="photos" type="file" multiple accept="image/jpeg,image/png,image/webp"
                class="block w-full text-sm" aria-describedby=hint.clone()
                aria-invalid=move || message().is_some().then_some("true") />
            <p id=hint class="hint">{t(T::PhotosHint)}</p>
            {move || message().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </div>
    }
}

/// `/requests/:number`: the request, its timeline and the steps the reader may take.
#[component]
pub fn RequestPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("request-page");
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let detail = Resource::new(number, get_request_detail);
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <Loaded resource=detail show={move |detail: RequestDetail| view! { <LiveRequest locale detail /> }} />
        } />
    }
}

/// The request, loaded again after each step the reader takes and each one anybody else
/// takes (the request's topic on the live channel).
#[cfg_attr(feature = "islands-request-page", island)]
#[cfg_attr(not(feature = "islands-request-page"), component)]
fn LiveRequest(locale: Locale, detail: RequestDetail) -> impl IntoView {
    provide_context(locale);
    let step = Action::new_local(|data: &leptos::web_sys::FormData| take_step(data.clone().into()));
    let version = use_live(Signal::stored(vec![Topic::Request(detail.id).to_string()]));
    let number = detail.number.clone();
    let detail = reloaded(
        detail,
        move || version.get() as usize + step.version().get(),
        move || get_request_detail(number.clone()),
    );
    move || view! { <RequestView detail=detail.get() step /> }
}

type StepAction = Action<leptos::web_sys::FormData, Result<(), AppError>>;

#[component]
fn RequestView(detail: RequestDetail, step: StepAction) -> impl IntoView {
    let error = Signal::derive(move || step.value().get().and_then(Result::err));
    let done = Signal::derive(move || matches!(step.value().get(), Some(Ok(()))));
    let number = detail.number.clone();
    view! {
        <article class="space-y-4" data-request=detail.number.clone()>
            <header class="card space-y-2">
                <div class="flex items-start justify-between gap-2">
                    <h1 class="page-title">{detail.title.clone()}</h1>
                    <StatusBadge status=detail.status />
                </div>
                <p class="text-sm text-slate-700">
                    <span class="font-mono" data-testid="tracking-number">{detail.number.clone()}</span>
                    " · "{detail.category.clone()}" · "{detail.building.clone()}
                    {detail.company.clone().map(|c| format!(" · {c}"))}
                </p>
                {detail.requester.clone().map(|r| view! { <p class="text-sm text-slate-700">{t(T::RaisedBy)}"："{r}</p> })}
                <p class="text-sm text-slate-600">{t(T::SubmittedAt)}" "{format_time(detail.submitted_at)}</p>
                <DueLine due=detail.due urgency=detail.urgency />
                <p class="whitespace-pre-line">{detail.description.clone()}</p>
                <Photos ids=detail.photos.clone() />
                {(!detail.assignments.is_empty()).then(|| view! {
                    <ul class="flex flex-wrap gap-2" aria-label=t(T::Departments)>
                        {detail.assignments.iter().map(|a| view! {
                            <li class="chip">{a.department.clone()}" · "{t(a.status.label())}</li>
                        }).collect_view()}
                    </ul>
                })}
                {detail.merged_into.clone().map(|m| view! {
                    <p class="text-sm">{t(T::MergedInto)}" "<a href=format!("/requests/{m}") class="link">{m.clone()}</a></p>
                })}
                {detail.summary.clone().map(|s| view! {
                    <div class="rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200">
                        <p class="text-sm font-semibold text-emerald-900">{t(T::ResolutionSummary)}</p>
                        <p class="whitespace-pre-line">{s}</p>
                    </div>
                })}
                {detail.rating.map(|r| view! { <p class="text-sm">{t(T::Rating)}"："<Stars rating=r /></p> })}
                {(detail.requester.is_some() && matches!(detail.status, Status::Resolved | Status::Closed)).then(|| view! {
                    <a href=format!("/cases/publish?request={}", detail.number) class="btn-secondary">
                        {t(crate::knowledge::texts::KnowledgeText::PublishCase)}
                    </a>
                    {detail.is_question.then(|| view! {
                        <crate::knowledge::views::PublishQuestionButton number=detail.number.clone() />
                    })}
                })}
            </header>
            {move || done.get().then(|| view! { <p class="banner-ok" role="status">{t(T::StepDone)}</p> })}
            <ErrorBanner error />
            <Actions detail=detail.clone() number step error />
            <section class="space-y-2">
                <h2 class="section-title">{t(T::Timeline)}</h2>
                <ol class="space-y-3 border-l-2 border-slate-200 pl-4" data-testid="timeline">
                    {detail.timeline.into_iter().map(|e| view! { <TimelineItem event=e /> }).collect_view()}
                </ol>
            </section>
        </article>
    }
}

#[component]
fn Stars(rating: i16) -> impl IntoView {
    let text = format!(
        "{}{}",
        "★".repeat(rating as usize),
        "☆".repeat(5 - rating as usize)
    );
    view! { <span aria-label=format!("{rating}/5") class="text-amber-700">{text}</span> }
}

#[component]
fn Photos(ids: Vec<i64>) -> impl IntoView {
    (!ids.is_empty()).then(|| view! {
        <ul class="flex flex-wrap gap-2">
            {ids.into_iter().enumerate().map(|(i, id)| view! {
                <li>
                    <a href=format!("/requests/photos/{id}") target="_blank" class="focus-ring block">
                        <img src=format!("/requests/photos/{id}/thumb") alt=format!("{} {}", t(T::Photo), i + 1)
                            class="h-20 w-20 rounded object-cover ring-1 ring-slate-200" loading="lazy" />
                    </a>
                </li>
            }).collect_view()}
        </ul>
    })
}

#[component]
fn TimelineItem(event: EventView) -> impl IntoView {
    let highlight = matches!(
        event.kind,
        EventKind::Answered | EventKind::Resolved | EventKind::InformationRequested
    );
    view! {
        <li class="space-y-1" data-event=event.kind.as_str()>
            <p class="text-sm">
                <span class="font-semibold">{t(event.kind.label())}</span>
                " · "{event.actor}" ("{event.department.unwrap_or(event.capacity)}")"
            </p>
            <p class="text-xs text-slate-600"><time>{format_time(event.at)}</time></p>
            {(!event.detail.is_empty()).then(|| view! { <p class="text-sm text-slate-700">{event.detail.join("、")}</p> })}
            {event.rating.map(|r| view! { <p class="text-sm"><Stars rating=r /></p> })}
            {(!event.note.is_empty()).then(|| view! {
                <p class=if highlight { "whitespace-pre-line rounded bg-slate-100 p-2" } else { "whitespace-pre-line" }>{event.note}</p>
            })}
            // The submission's photos are shown with the description above.
            {(event.kind != EventKind::Submitted).then(|| view! { <Photos ids=event.photos /> })}
        </li>
    }
}

/// The forms for every step the reader may take now.
#[component]
fn Actions(
    detail: RequestDetail,
    number: String,
    step: StepAction,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    if detail.actions.is_empty() {
        return ().into_any();
    }
    let pending = step.pending();
    let form = move |action: &Step, body: AnyView, label: &'static str, primary: bool| {
        let number = number.clone();
        view! {
            <form class="space-y-2" method="post" action="/api/requests/step" enctype="multipart/form-data"
                data-step=action.name()
                on:submit=move |ev| {
                    if let Some(data) = submitted_form_data(&ev) {
                        step.dispatch_local(data);
                    }
                }>
                <input type="hidden" name="number" value=number />
                <input type="hidden" name="step" value=action.name() />
                {action.department().map(|d| view! { <input type="hidden" name="department" value=d /> })}
                {body}
                <button type="submit" class=if primary { "btn-primary" } else { "btn-secondary" } disabled=pending>
                    {label}
                </button>
            </form>
        }
    };
    let note = move |action: &Step, label: T, required: bool| {
        let id = format!(
            "note-{}-{}",
            action.name(),
            action.department().unwrap_or(0)
        );
        let message = message_for(error, RequestField::Note);
        view! {
            <label for=id.clone() class="label">{t(label)}</label>
            <textarea id=id name="note" class="input min-h-20" required=required maxlength=MAX_NOTE_CHARS.to_string()
                aria-invalid=move || message().is_some().then_some("true")></textarea>
        }
        .into_any()
    };
    let mut forms = Vec::new();
    for action in detail.actions.iter().cloned() {
        let view = match &action {
            Step::Accept => form(&action, ().into_any(), t(T::ActionAccept), true),
            Step::Return => form(&action, note(&action, T::ReturnReason, true), t(T::ActionReturn), false),
            Step::Merge => form(&action,
                view! {
                    <label for="merge-into" class="label">{t(T::FieldMergeInto)}</label>
                    <input id="merge-into" name="merge_into" class="input" placeholder="CS2026-000001" />
                    <FieldError error field=RequestField::MergeInto id="merge-into-error" />
                }
                .into_any(),
                t(T::ActionMerge),
                false,
            ),
            Step::Route { .. } => form(&action,
                view! { <RouteChoices suggestions=detail.suggestions.clone() departments=detail.departments.clone() error /> }.into_any(),
                t(T::ActionRoute),
                true,
            ),
            Step::Claim { .. } => form(&action, ().into_any(), t(T::ActionClaim), true),
            Step::AskForInformation { .. } => {
                form(&action, note(&action, T::QuestionForRequester, true), t(T::ActionAsk), false)
            }
            Step::Answer { .. } => form(&action,
                view! { {note(&action, T::Answer, true)} <PhotoInput error id=format!("photos-{}", action.name()) /> }.into_any(),
                t(T::ActionAnswer),
                true,
            ),
            Step::Resolve => form(&action, note(&action, T::ResolutionSummary, true), t(T::ActionResolve), true),
            Step::Confirm => form(&action,
                view! { <RatingChoice error /> {note(&action, T::RatingComment, false)} }.into_any(),
                t(T::ActionConfirm),
                true,
            ),
            Step::Reopen => form(&action, note(&action, T::ReopenReason, true), t(T::ActionReopen), false),
            Step::Comment => form(&action,
                view! { {note(&action, T::Comment, true)} <PhotoInput error id=format!("photos-{}", action.name()) /> }.into_any(),
                t(T::ActionComment),
                false,
            ),
            // The periodic job's step; never offered to a person.
            Step::AutoClose => continue,
        };
        forms.push(view! { <div class="card">{view}</div> });
    }
    view! {
        <section class="space-y-3" aria-label=t(T::WhatYouCanDo)>
            <h2 class="section-title">{t(T::WhatYouCanDo)}</h2>
            {forms}
        </section>
    }
    .into_any()
}

#[component]
fn RouteChoices(
    suggestions: Vec<Suggestion>,
    departments: Vec<Choice>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let suggested: Vec<i64> = suggestions.iter().map(|s| s.department_id).collect();
    let others: Vec<Choice> = departments
        .into_iter()
        .filter(|d| !suggested.contains(&d.id))
        .collect();
    view! {
        <fieldset class="space-y-2">
            <legend class="label">{t(T::FieldDepartments)}</legend>
            {suggestions.into_iter().enumerate().map(|(i, s)| {
                let why = super::texts::suggestion_reason(locale, s.similar_resolved, &s.department);
                view! {
                    <label class="flex items-start gap-2">
                        <input type="checkbox" name="departments" value=s.department_id checked=i == 0 class="mt-1" />
                        <span>{s.department}" "<span class="badge bg-emerald-100 text-emerald-900">{t(T::Suggested)}</span>
                            <span class="block text-sm text-slate-600">{why}</span></span>
                    </label>
                }
            }).collect_view()}
            {others.into_iter().map(|d| view! {
                <label class="flex items-center gap-2">
                    <input type="checkbox" name="departments" value=d.id />
                    <span>{d.name}</span>
                </label>
            }).collect_view()}
            <FieldError error field=RequestField::Departments id="departments-error" />
        </fieldset>
    }
}

#[component]
fn RatingChoice(error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <fieldset class="space-y-1">
            <legend class="label">{t(T::FieldRating)}</legend>
            <div class="flex gap-3">
                {(1..=5).map(|r| view! {
                    <label class="flex items-center gap-1">
                        <input type="radio" name="rating" value=r required />
                        <span>{r}" ★"</span>
                    </label>
                }).collect_view()}
            </div>
            <FieldError error field=RequestField::Rating id="rating-error" />
        </fieldset>
    }
}
