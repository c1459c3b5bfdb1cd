//! The case library's pages: cases (`/cases`) and Q&A entries (`/qa`) with search, an entry
//! (`/cases/:id`), the staff's editor that publishes a resolved request as a case
//! (`/cases/publish?request=…`); and what the request pages borrow: the answers matching a
//! problem being typed, and the one-click Q&A publishing.

use super::texts::KnowledgeText as T;
use super::*;
use crate::accounts::views::RequireUser;
use crate::i18n::{t, use_locale, Locale};
use crate::ui::{loaded_in_browser, use_id_param, Loaded};
use leptos::form::ActionForm;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

fn published_day(unix: i64) -> String {
    crate::map::hours::format_date(crate::lunch::window::shanghai_day(unix))
}

/// `/cases`: solved cases, searched in Chinese, filtered by category and department.
#[component]
pub fn CasesPage() -> impl IntoView {
    view! { <Library kind=CaseKind::Case /> }
}

/// `/qa`: 你问我答, answered questions, searched the same way, with the way to ask.
#[component]
pub fn QuestionsPage() -> impl IntoView {
    view! { <Library kind=CaseKind::Question /> }
}

/// A search form and links, complete as server HTML: a page of no island, which fetches no
/// WASM.
#[component]
fn Library(kind: CaseKind) -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let results = Resource::new(
        move || (param("q"), param("category"), param("department")),
        move |(q, category, department)| {
            search_cases(q, kind.as_str().to_owned(), category, department)
        },
    );
    let filters = Resource::new(|| (), |_| load_case_filters());
    let (title, hint, action, none) = match kind {
        CaseKind::Case => (T::Cases, T::CasesHint, "/cases", T::NoCases),
        CaseKind::Question => (T::Questions, T::QuestionsHint, "/qa", T::NoQuestions),
    };
    view! {
        <section class="space-y-3">
            <div class="flex items-center justify-between gap-2">
                <h1 class="page-title">{t(title)}</h1>
                {(kind == CaseKind::Question).then(|| view! { <A href="/requests/new?ask=1" attr:class="btn-primary">{t(T::Ask)}</A> })}
            </div>
            <p class="muted text-sm">{t(hint)}</p>
            <Form method="GET" action=action attr:class="card grid grid-cols-2 gap-2" attr:role="search">
                <div class="col-span-2 flex gap-2">
                    <label for="case-q" class="sr-only">{t(T::Search)}</label>
                    <input id="case-q" name="q" type="search" class="input grow" maxlength="100"
                        placeholder=t(T::SearchPlaceholder) value=move || query.read_untracked().get("q").unwrap_or_default() />
                    <button type="submit" class="btn-primary shrink-0">{t(T::Search)}</button>
                </div>
                <Transition fallback=|| ()>
                    {move || filters.get().and_then(Result::ok).map(|f| {
                        let current = |name: &str| query.read_untracked().get(name).unwrap_or_default();
                        let (category, department) = (current("category"), current("department"));
                        view! {
                            <FilterSelect name="category" all=t(T::AllCategories) choices=f.categories current=category />
                            <FilterSelect name="department" all=t(T::AllDepartments) choices=f.departments current=department />
                        }
                    })}
                </Transition>
            </Form>
            <Loaded resource=results show={move |list: Vec<CaseSummary>| if list.is_empty() {
                view! {
                    <div class="card space-y-2 text-center" data-testid="no-cases">
                        <p class="muted">{t(none)}</p>
                        {match kind {
                            CaseKind::Case => view! { <A href="/requests/new" attr:class="btn-secondary">{t(T::RaiseInstead)}</A> }.into_any(),
                            CaseKind::Question => view! { <A href="/requests/new?ask=1" attr:class="btn-secondary">{t(T::Ask)}</A> }.into_any(),
                        }}
                    </div>
                }.into_any()
            } else {
                view! {
                    <ul class="space-y-2" data-testid="cases">
                        {list.into_iter().map(|c| view! { <CaseCard case=c /> }).collect_view()}
                    </ul>
                }.into_any()
            }} />
        </section>
    }
}

#[component]
fn FilterSelect(
    name: &'static str,
    all: &'static str,
    choices: Vec<(i64, String)>,
    current: String,
) -> impl IntoView {
    let id = format!("case-{name}");
    view! {
        <div>
            <label for=id.clone() class="sr-only">{all}</label>
            <select id=id name=name class="input">
                <option value="">{all}</option>
                {choices.into_iter().map(|(value, label)| {
                    let selected = value.to_string() == current;
                    view! { <option value=value selected=selected>{label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn CaseCard(case: CaseSummary) -> impl IntoView {
    view! {
        <li class="card space-y-1" data-testid="case">
            <A href=format!("/cases/{}", case.id) attr:class="link font-semibold">{case.title}</A>
            <p class="text-sm muted">
                {(case.kind == CaseKind::Question).then(|| view! { <span class="chip text-xs mr-1">{t(T::QaTag)}</span> })}
                {case.category}" · "{published_day(case.published_at)}
            </p>
            <p class="text-sm">{case.excerpt}</p>
        </li>
    }
}

/// `/cases/:id`: one case, shareable, with related cases and "was this helpful?". A page of
/// server HTML and one island, the vote.
#[component]
pub fn CasePage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("knowledge");
    let id = use_id_param();
    let case = Resource::new(id, |id| load_case(id.unwrap_or(0)));
    view! {
        <Loaded resource=case show={|c: CaseDetail| view! { <CaseView case=c /> }} />
    }
}

#[component]
fn CaseView(case: CaseDetail) -> impl IntoView {
    let locale = use_locale();
    let question = case.kind == CaseKind::Question;
    view! {
        <article class="space-y-3">
            <h1 class="page-title">{case.title.clone()}</h1>
            <p class="muted text-sm">
                {case.category.clone()}
                {case.building.clone().map(|b| format!(" · {b}"))}
                " · "{t(T::PublishedOn)}" "{published_day(case.published_at)}
            </p>
            <section class="card space-y-1">
                <h2 class="section-title">{t(if question { T::Question } else { T::Problem })}</h2>
                <p class="whitespace-pre-line" data-testid="case-problem">{case.problem.clone()}</p>
            </section>
            <section class="card space-y-1">
                <h2 class="section-title">{t(if question { T::Answer } else { T::Solution })}</h2>
                <p class="whitespace-pre-line" data-testid="case-solution">{case.solution.clone()}</p>
                {(!case.departments.is_empty()).then(|| view! {
                    <p class="muted text-sm">{t(T::Departments)}"："{case.departments.join("、")}</p>
                })}
            </section>
            <CaseVote locale case_id=case.id helpful=case.helpful />
            {(!case.related.is_empty()).then(|| view! {
                <section class="space-y-2">
                    <h2 class="section-title">{t(T::Related)}</h2>
                    <ul class="space-y-2" data-testid="related">
                        {case.related.clone().into_iter().map(|c| view! { <CaseCard case=c /> }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}

/// "Was this helpful?": the count, the votes, and their answer.
#[cfg_attr(feature = "islands-knowledge", island)]
#[cfg_attr(not(feature = "islands-knowledge"), component)]
fn CaseVote(locale: Locale, case_id: i64, helpful: i64) -> impl IntoView {
    provide_context(locale);
    let vote = ServerAction::<VoteOnCase>::new();
    let helpful = move || vote.value().get().and_then(Result::ok).unwrap_or(helpful);
    view! {
        <section class="card space-y-2" aria-labelledby="vote-heading">
            <h2 id="vote-heading" class="section-title">{t(T::WasItHelpful)}</h2>
            <p class="muted text-sm" data-testid="helpful-count">{move || helpful()}" "{t(T::PeopleHelped)}</p>
            <ActionForm action=vote attr:class="grid grid-cols-2 gap-2">
                <input type="hidden" name="case" value=case_id.to_string() />
                <button type="submit" name="helpful" value="yes" class="btn-secondary">{t(T::Helpful)}</button>
                <button type="submit" name="helpful" value="no" class="btn-secondary">{t(T::NotHelpful)}</button>
                <button type="submit" name="answered" value="yes" class="btn-primary col-span-2">{t(T::AnsweredNoNeed)}</button>
            </ActionForm>
            {move || match vote.value().get() {
                Some(Ok(_)) => Some(view! { <p class="banner-ok" role="status">{t(T::ThanksVote)}</p> }.into_any()),
                Some(Err(AppError::NotSignedIn)) => Some(view! {
                    <p class="banner-info" role="status"><a href="/sign-in" class="link">{t(T::SignInToVote)}</a></p>
                }.into_any()),
                Some(Err(e)) => Some(view! { <p class="banner-error" role="alert">{e.message(locale)}</p> }.into_any()),
                None => None,
            }}
        </section>
    }
}

/// `/cases/publish?request=CS2026-000123`: staff publish a resolved request as a case,
/// checking the masked text beside the original.
#[component]
pub fn PublishCasePage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("knowledge-staff");
    let query = use_query_map();
    let request = move || query.read().get("request").unwrap_or_default();
    let draft = Resource::new(request, |request| load_case_draft(request, String::new()));
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::PublishCase)}</h1>
                <p class="muted text-sm">{t(T::EditorHint)}</p>
                <Loaded resource=draft show={move |draft: CaseDraft| view! { <PublishCaseEditor locale draft /> }} />
            </section>
        } />
    }
}

/// The original beside the masked text, the words to hide as well (a preview loads the draft
/// again with them), and "publish".
#[cfg_attr(feature = "islands-knowledge-staff", island)]
#[cfg_attr(not(feature = "islands-knowledge-staff"), component)]
fn PublishCaseEditor(locale: Locale, draft: CaseDraft) -> impl IntoView {
    provide_context(locale);
    let request = draft.request.clone();
    let by_hand = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let previews = RwSignal::new(0_usize);
    let draft = crate::ui::reloaded(
        draft,
        move || previews.get(),
        move || load_case_draft(request.clone(), applied.get_untracked()),
    );
    let publish = ServerAction::<PublishCase>::new();
    let error = crate::ui::action_error(publish);
    let message = move |field: KnowledgeField| {
        crate::ui::field_message(error, crate::error::Field::Knowledge(field))
    };
    view! {
        {move || { let d = draft.get(); view! {
            <p class="text-sm">{d.request.clone()}" · "{d.category.clone()}
                {(!d.departments.is_empty()).then(|| format!(" · {}", d.departments.join("、")))}</p>
            <p class="banner-info text-sm" role="status" data-testid="hidden-kinds">
                {if d.hidden.is_empty() { t(T::NothingFound).to_owned() } else { format!("{}{}", t(T::FoundData), d.hidden.join(" ")) }}
            </p>
            <div class="grid gap-3 md:grid-cols-2">
                <section class="card space-y-2 bg-slate-50" aria-labelledby="original-heading" data-testid="original">
                    <h2 id="original-heading" class="section-title">{t(T::Original)}</h2>
                    <p class="font-semibold">{d.original.title.clone()}</p>
                    <p class="whitespace-pre-line text-sm">{d.original.problem.clone()}</p>
                    <p class="whitespace-pre-line text-sm">{d.original.solution.clone()}</p>
                </section>
                <ActionForm action=publish attr:class="card space-y-2" attr:aria-labelledby="masked-heading">
                    <h2 id="masked-heading" class="section-title">{t(T::Masked)}</h2>
                    <input type="hidden" name="request" value=d.request.clone() />
                    <input type="hidden" name="by_hand" value=move || applied.get() />
                    {[
                        (KnowledgeField::Title, "title", d.masked.title.clone(), 1),
                        (KnowledgeField::Problem, "problem", d.masked.problem.clone(), 5),
                        (KnowledgeField::Solution, "solution", d.masked.solution.clone(), 5),
                    ].into_iter().map(|(field, name, value, rows)| {
                        let id = format!("case-{name}");
                        let message = message(field);
                        let text = value.clone();
                        view! {
                            <div class="space-y-1">
                                <label for=id.clone() class="label">{t(field.label())}</label>
                                // The text for the server's HTML, the property for a
                                // preview after hydration (the text alone is not re-read).
                                <textarea id=id name=name class="input" rows=rows prop:value=value
                                    aria-invalid=move || message().is_some().then_some("true")>{text}</textarea>
                                <p class="field-error" role="alert">{message}</p>
                            </div>
                        }
                    }).collect_view()}
                    <button type="submit" class="btn-primary w-full" disabled=move || publish.pending().get()>{t(T::Publish)}</button>
                </ActionForm>
            </div>
        }}}
        <div class="card space-y-2">
            <label for="case-by-hand" class="label">{t(T::MaskMore)}</label>
            <textarea id="case-by-hand" class="input" rows="3" prop:value=move || by_hand.get()
                on:input=move |ev| by_hand.set(event_target_value(&ev))></textarea>
            <p class="field-error" role="alert">{message(KnowledgeField::ByHand)}</p>
            <button type="button" class="btn-secondary w-full" on:click=move |_| {
                applied.set(by_hand.get_untracked());
                previews.update(|n| *n += 1);
            }>
                {t(T::Preview)}
            </button>
        </div>
        {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        {move || publish.value().get().and_then(Result::ok).map(|id| view! {
            <p class="banner-ok" role="status" data-testid="case-published">{t(T::CasePublished)}" "
                <a href=format!("/cases/{id}") class="link">{t(T::ViewCase)}</a></p>
        })}
    }
}

/// Published answers like the problem being typed (`text`), for the request form: the
/// worker may find the answer before raising anything.
#[component]
pub fn MatchingCases(text: ReadSignal<String>) -> impl IntoView {
    // In the browser only: there is nothing typed when the server renders the form, and a
    // resource there would make the form's suspense render it twice.
    let found = loaded_in_browser(LocalResource::new(move || {
        let text = text.get();
        async move {
            if text.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                matching_cases(text).await
            }
        }
    }));
    view! {
            {move || found.get().filter(|list| !list.is_empty()).map(|list| view! {
                <aside class="card space-y-2 ring-sky-300" aria-live="polite" data-testid="matching-cases">
                    <h2 class="section-title">{t(T::MaybeAnswered)}</h2>
                    <ul class="space-y-1 text-sm">
                        {list.into_iter().map(|c| view! {
                            <li>
                                {(c.kind == CaseKind::Question).then(|| view! { <span class="chip text-xs mr-1">{t(T::QaTag)}</span> })}
                                <a href=format!("/cases/{}", c.id) class="link font-medium" target="_blank">{c.title}</a>
                                <span class="muted">" · "{c.category}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </aside>
            })}
    }
}

/// The one-click "publish as a Q&A entry" for an answered consultation, on its page.
#[component]
pub fn PublishQuestionButton(number: String) -> impl IntoView {
    let publish = ServerAction::<PublishQuestion>::new();
    let locale = use_locale();
    view! {
        <button type="button" class="btn-secondary w-full" disabled=move || publish.pending().get()
            on:click=move |_| { publish.dispatch(PublishQuestion { request: number.clone() }); }>
            {t(T::PublishQuestion)}
        </button>
        {move || match publish.value().get() {
            Some(Ok(id)) => Some(view! {
                <p class="banner-ok" role="status" data-testid="question-published">{t(T::QuestionPublished)}" "
                    <a href=format!("/cases/{id}") class="link">{t(T::ViewCase)}</a></p>
            }.into_any()),
            Some(Err(e)) => Some(view! { <p class="banner-error" role="alert">{e.message(locale)}</p> }.into_any()),
            None => None,
        }}
    }
}
