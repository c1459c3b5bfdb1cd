//! `/lunch/survey` (answer the open survey), `/lunch/surveys` (the admin writes and closes
//! surveys) and `/lunch/surveys/:id` (results: a chart and its table per question).

use super::*;
use crate::accounts::views::RequireUser;
use crate::error::Field;
use crate::i18n::{t, use_locale, Locale};
use crate::lunch::texts::LunchText as T;
use crate::ui::{field_message, reloaded, send_form, submitted_form_data, use_id_param, Loaded};
use leptos::server_fn::ServerFn;
use leptos::web_sys::FormData;

/// `/lunch/survey`: the open survey, answered once. A page of server HTML and one island, the
/// form, which thanks the reader in its place once answered.
#[component]
pub fn SurveyPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("lunch-orders");
    let survey = Resource::new(|| (), |_| current_survey());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::LunchSurvey)}</h1>
                <Loaded resource=survey show={move |survey: Option<Survey>| match survey {
                    None => view! { <p class="card muted">{t(T::NoSurvey)}</p> }.into_any(),
                    Some(s) if s.answered => view! { <SurveyThanks /> }.into_any(),
                    Some(s) => view! { <AnswerForm locale survey=s /> }.into_any(),
                }} />
            </section>
        } />
    }
}

#[component]
fn SurveyThanks() -> impl IntoView {
    view! { <p class="banner-ok" role="status" data-testid="survey-thanks">{t(T::SurveyThanks)}</p> }
}

#[cfg_attr(feature = "islands-lunch-orders", island)]
#[cfg_attr(not(feature = "islands-lunch-orders"), component)]
fn AnswerForm(locale: Locale, survey: Survey) -> impl IntoView {
    provide_context(locale);
    let answer = Action::new_local(|data: &FormData| answer_survey(data.clone().into()));
    let answered = move || matches!(answer.value().get(), Some(Ok(())));
    let error = Signal::derive(move || answer.value().get().and_then(Result::err));
    let message = field_message(error, Field::Lunch(LunchField::Answer));
    view! {
        {move || answered().then(|| view! { <SurveyThanks /> })}
        <form class="card space-y-4" method="post" action="/api/lunch/answer_survey"
            enctype="multipart/form-data" class:hidden=answered
            on:submit=move |ev| {
                if let Some(data) = submitted_form_data(&ev) {
                    answer.dispatch_local(data);
                }
            }>
            <h2 class="section-title">{survey.title}</h2>
            {(!survey.intro.is_empty()).then(|| view! { <p class="muted">{survey.intro}</p> })}
            <input type="hidden" name="survey" value=survey.id.to_string() />
            {survey.questions.into_iter().enumerate().map(|(i, q)| {
                let name = format!("q{}", q.id);
                let prompt = format!("{}. {}", i + 1, q.prompt);
                match q.kind {
                    QuestionKind::Text => view! {
                        <label class="block space-y-1">
                            <span class="label">{prompt}</span>
                            <textarea name=name class="input min-h-20" maxlength="500"></textarea>
                        </label>
                    }.into_any(),
                    kind => {
                        let input_type = if kind == QuestionKind::Single { "radio" } else { "checkbox" };
                        view! {
                            <fieldset class="space-y-1">
                                <legend class="label">{prompt}{(kind == QuestionKind::Multiple).then(|| t(T::ChooseAny))}</legend>
                                {q.options.into_iter().enumerate().map(|(j, option)| view! {
                                    <label class="flex items-center gap-2 py-1">
                                        <input type=input_type name=name.clone() value=j.to_string()
                                            required=kind == QuestionKind::Single />
                                        <span>{option}</span>
                                    </label>
                                }).collect_view()}
                            </fieldset>
                        }.into_any()
                    }
                }
            }).collect_view()}
            {move || message().map(|m| view! { <p class="banner-error" role="alert">{m}</p> })}
            {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
            <button type="submit" class="btn-primary w-full" disabled=move || answer.pending().get()>{t(T::SubmitSurvey)}</button>
        </form>
    }
}

/// On the lunch page: an invitation to the open survey, until the reader has answered it.
#[component]
pub fn SurveyInvite() -> impl IntoView {
    let survey = Resource::new(|| (), |_| current_survey());
    view! {
        <Transition fallback=|| ()>
            {move || survey.get().and_then(Result::ok).flatten().filter(|s| !s.answered).map(|s| view! {
                <a href="/lunch/survey" class="banner-info block link" data-testid="survey-invite">
                    {s.title}" · "{t(T::TakeSurvey)}
                </a>
            })}
        </Transition>
    }
}

/// `/lunch/surveys`: the admin's surveys, a new one, and closing one. A page of server HTML
/// and one island, the list with the new survey's form.
#[component]
pub fn SurveysAdminPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("lunch-admin");
    let surveys = Resource::new(|| (), |_| list_surveys());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::Surveys)}</h1>
                <Loaded resource=surveys show={move |list: Vec<SurveySummary>| view! {
                    <SurveysAdmin locale list />
                }} />
            </section>
        } />
    }
}

/// The list, loaded again after a survey is published or closed, and the form, drawn once.
#[cfg_attr(feature = "islands-lunch-admin", island)]
#[cfg_attr(not(feature = "islands-lunch-admin"), component)]
fn SurveysAdmin(locale: Locale, list: Vec<SurveySummary>) -> impl IntoView {
    provide_context(locale);
    let create = Action::new_local(|data: &FormData| create_survey(data.clone().into()));
    let close = ServerAction::<CloseSurvey>::new();
    let list = reloaded(
        list,
        move || create.version().get() + close.version().get(),
        list_surveys,
    );
    view! {
        {move || view! { <SurveyList list=list.get() close /> }}
        <NewSurveyForm create />
    }
}

#[component]
fn SurveyList(list: Vec<SurveySummary>, close: ServerAction<CloseSurvey>) -> impl IntoView {
    let locale = use_locale();
    if list.is_empty() {
        return view! { <p class="card muted">{t(T::NoSurveysYet)}</p> }.into_any();
    }
    view! {
        <ul class="space-y-2">
            {list.into_iter().map(|s| view! {
                <li class="card flex flex-wrap items-center justify-between gap-2">
                    <a href=format!("/lunch/surveys/{}", s.id) class="link font-medium">{s.title}</a>
                    <span class="muted text-sm">{responses(s.responses, locale)}" · "{if s.is_open { t(T::SurveyOpen) } else { t(T::SurveyClosed) }}</span>
                    {s.is_open.then(|| view! {
                        <form method="post" action=CloseSurvey::url()
                            on:submit=send_form(close, move |_| CloseSurvey { survey: s.id })>
                            <input type="hidden" name="survey" value=s.id.to_string() />
                            <button type="submit" class="btn-secondary">{t(T::CloseSurvey)}</button>
                        </form>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn responses(n: i64, locale: Locale) -> String {
    match locale {
        Locale::Zh => format!("{n} 人填写"),
        Locale::En => format!("{n} responses"),
    }
}

#[component]
fn NewSurveyForm(create: Action<FormData, Result<i64, AppError>>) -> impl IntoView {
    let locale = use_locale();
    let rows = RwSignal::new(3usize);
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = move || matches!(create.value().get(), Some(Ok(_)));
    let form = NodeRef::<leptos::html::Form>::new();
    // Published: the form is empty again for the next survey.
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (create.value().get(), form.get()) {
            form.reset();
            rows.set(3);
        }
    });
    let message = move |field| field_message(error, Field::Lunch(field));
    let title_error = message(LunchField::SurveyTitle);
    let question_error = message(LunchField::Question);
    let options_error = message(LunchField::Options);
    view! {
        <form node_ref=form class="card space-y-3" method="post" action="/api/lunch/create_survey"
            enctype="multipart/form-data"
            on:submit=move |ev| {
                if let Some(data) = submitted_form_data(&ev) {
                    create.dispatch_local(data);
                }
            }>
            <h2 class="section-title">{t(T::NewSurvey)}</h2>
            <label class="block space-y-1">
                <span class="label">{t(T::FieldSurveyTitle)}</span>
                <input name="title" class="input" required maxlength="60"
                    aria-invalid=move || title_error().is_some().then_some("true") />
                <span class="field-error" role="alert">{title_error}</span>
            </label>
            <label class="block space-y-1">
                <span class="label">{t(T::FieldSurveyIntro)}</span>
                <input name="intro" class="input" maxlength="300" />
            </label>
            // Keyed rows: adding one keeps what was typed in the others.
            <For each={move || 1..=rows.get()} key=|n| *n let:n>
                <fieldset class="space-y-1 rounded border border-slate-200 p-2">
                    <legend class="label">{format!("{} {n}", t(T::FieldQuestion))}</legend>
                    <select name=format!("kind_{n}") class="input" aria-label=t(T::QuestionKind)>
                        <option value="single">{t(T::KindSingle)}</option>
                        <option value="multiple">{t(T::KindMultiple)}</option>
                        <option value="text">{t(T::KindText)}</option>
                    </select>
                    <input name=format!("prompt_{n}") class="input" maxlength="120" aria-label=t(T::FieldQuestion)
                        placeholder=t(T::QuestionPlaceholder) />
                    <textarea name=format!("options_{n}") class="input min-h-16" aria-label=t(T::FieldOptions)
                        placeholder=t(T::FieldOptions)></textarea>
                </fieldset>
            </For>
            <button type="button" class="btn-secondary" disabled={move || rows.get() >= MAX_QUESTIONS}
                on:click={move |_| rows.update(|n| *n = (*n + 1).min(MAX_QUESTIONS))}>{t(T::AddQuestion)}</button>
            {move || question_error().or_else(options_error).map(|m| view! { <p class="banner-error" role="alert">{m}</p> })}
            {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
            {move || created().then(|| view! { <p class="banner-ok" role="status">{t(T::SurveyPublished)}</p> })}
            <button type="submit" class="btn-primary w-full" disabled=move || create.pending().get()>{t(T::PublishSurvey)}</button>
        </form>
    }
}

/// `/lunch/surveys/:id`: each question's chart with its table beside it.
#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let id = use_id_param();
    let results = Resource::new(id, |id| load_survey_results(id.unwrap_or(0)));
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <Loaded resource=results show={|r: SurveyResults| view! { <Results results=r /> }} />
            </section>
        } />
    }
}

#[component]
fn Results(results: SurveyResults) -> impl IntoView {
    let locale = use_locale();
    // Every response answers every choice question, so shares are of the responses (a
    // multiple-choice question's shares add up to more than 100%).
    let total = results.responses;
    view! {
        <h1 class="page-title">{results.title}</h1>
        <p class="muted" data-testid="survey-responses">{responses(results.responses, locale)}</p>
        {results.questions.into_iter().enumerate().map(|(i, r)| {
            let prompt = format!("{}. {}", i + 1, r.question.prompt);
            match r.chart {
                Some(svg) => {
                    view! {
                        <figure class="card grid gap-3 md:grid-cols-2" data-testid="survey-chart">
                            <figcaption class="section-title md:col-span-2">{prompt}</figcaption>
                            <div inner_html=svg></div>
                            <table class="w-full text-sm">
                                <thead><tr>
                                    <th class="text-left">{t(T::Option)}</th>
                                    <th class="text-right">{t(T::Count)}</th>
                                    <th class="text-right">"%"</th>
                                </tr></thead>
                                <tbody>
                                    {r.question.options.into_iter().zip(r.counts).map(|(option, n)| view! {
                                        <tr>
                                            <td>{option}</td>
                                            <td class="text-right tabular-nums">{n}</td>
                                            <td class="text-right tabular-nums">{percent(n, total)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </figure>
                    }.into_any()
                }
                None => view! {
                    <section class="card space-y-2">
                        <h2 class="section-title">{prompt}</h2>
                        {if r.texts.is_empty() {
                            view! { <p class="muted">{t(T::NoAnswersYet)}</p> }.into_any()
                        } else {
                            view! { <ul class="list-disc space-y-1 pl-5">{r.texts.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}</ul> }.into_any()
                        }}
                    </section>
                }.into_any(),
            }
        }).collect_view()}
    }
}

fn percent(n: i64, total: i64) -> String {
    if total == 0 {
        "0".into()
    } else {
        format!("{:.0}", n as f64 * 100.0 / total as f64)
    }
}
