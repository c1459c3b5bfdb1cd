//! The service hall's pages: the guides (`/guides`), a guide (`/guides/:id`), the admin's
//! editor (`/guides/new`, `/guides/:id/edit`), and a place's guides on its map page.

use super::super::texts::KnowledgeText as T;
use super::*;
use crate::accounts::views::RequireUser;
use crate::i18n::{t, use_locale, Locale};
use crate::ui::{use_id_param, Loaded};
use leptos::form::ActionForm;
use leptos_router::components::A;

/// `/guides`: every guide, by category.
#[component]
pub fn GuidesPage() -> impl IntoView {
    let guides = Resource::new(|| (), |_| list_guides());
    view! {
        <section class="space-y-3">
            <div class="flex items-center justify-between gap-2">
                <h1 class="page-title">{t(T::ServiceHall)}</h1>
                <AdminOnly><A href="/guides/new" attr:class="btn-secondary">{t(T::NewGuide)}</A></AdminOnly>
            </div>
            <p class="muted text-sm">{t(T::ServiceHallHint)}</p>
            <Loaded resource=guides show={|list: Vec<GuideSummary>| if list.is_empty() {
                view! { <p class="card muted">{t(T::NoGuides)}</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-2" data-testid="guides">
                        {list.into_iter().map(|g| view! { <GuideCard guide=g /> }).collect_view()}
                    </ul>
                }.into_any()
            }} />
        </section>
    }
}

#[component]
fn GuideCard(guide: GuideSummary) -> impl IntoView {
    view! {
        <li class="card space-y-1" data-testid="guide">
            <A href=format!("/guides/{}", guide.id) attr:class="link font-semibold">{guide.title}</A>
            <p class="text-sm muted">{guide.category}{guide.place.map(|p| format!(" · {p}"))}</p>
            {(!guide.summary.is_empty()).then(|| view! { <p class="text-sm">{guide.summary}</p> })}
        </li>
    }
}

/// `/guides/:id`: steps, materials, where and when, fees, time limit, online, contact.
#[component]
pub fn GuidePage() -> impl IntoView {
    let id = use_id_param();
    let guide = Resource::new(id, |id| load_guide(id.unwrap_or(0)));
    view! { <Loaded resource=guide show={|g: Guide| view! { <GuideView guide=g /> }} /> }
}

#[component]
fn GuideView(guide: Guide) -> impl IntoView {
    let facts = [
        (T::FieldHours, guide.hours.clone()),
        (T::FieldFees, guide.fees.clone()),
        (T::FieldTimeLimit, guide.time_limit.clone()),
        (T::FieldContact, guide.contact.clone()),
    ];
    let updated =
        crate::map::hours::format_date(crate::lunch::window::shanghai_day(guide.updated_at));
    view! {
        <article class="space-y-3">
            <h1 class="page-title">{guide.title.clone()}</h1>
            <p class="muted text-sm">{guide.category.clone()}" · "{t(T::UpdatedOn)}" "{updated}</p>
            {(!guide.summary.is_empty()).then(|| view! { <p>{guide.summary.clone()}</p> })}
            <section class="card space-y-1">
                <h2 class="section-title">{t(T::Steps)}</h2>
                <ol class="list-decimal space-y-1 pl-5" data-testid="steps">
                    {guide.steps.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}
                </ol>
            </section>
            <section class="card space-y-1">
                <h2 class="section-title">{t(T::Materials)}</h2>
                {if guide.materials.is_empty() {
                    view! { <p class="muted">{t(T::NoMaterials)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="list-disc space-y-1 pl-5" data-testid="materials">
                            {guide.materials.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <dl class="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                    {guide.place_id.zip(guide.place.clone()).map(|(id, name)| view! {
                        <dt class="muted">{t(T::FieldPlace)}</dt>
                        <dd><A href=format!("/places/{id}") attr:class="link" attr:data-testid="guide-place">{name}</A></dd>
                    })}
                    {facts.into_iter().filter(|(_, v)| !v.is_empty()).map(|(label, value)| view! {
                        <dt class="muted">{t(label)}</dt><dd>{value}</dd>
                    }).collect_view()}
                </dl>
            </section>
            {(!guide.online_url.is_empty()).then(|| view! {
                <a class="btn-primary block text-center" href=guide.online_url.clone() rel="noopener noreferrer" target="_blank">{t(T::OpenOnline)}</a>
            })}
            <AdminOnly><A href=format!("/guides/{}/edit", guide.id) attr:class="btn-secondary block text-center">{t(T::EditGuide)}</A></AdminOnly>
        </article>
    }
}

/// What only an admin sees (nothing for everyone else, signed out included).
#[component]
fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let user = crate::accounts::views::use_auth().user;
    view! {
        <Transition fallback=|| ()>
            {move || user.get().and_then(Result::ok).flatten()
                .filter(|u| u.is_admin())
                .map(|_| children())}
        </Transition>
    }
}

/// A place's guides, on its page on the map (nothing when there are none).
#[component]
pub fn GuidesAt(place_id: i64) -> impl IntoView {
    let list = Resource::new(|| (), move |_| guides_at(place_id));
    view! {
        <Transition fallback=|| ()>
            {move || list.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|list| view! {
                <section class="card space-y-2" aria-labelledby="guides-heading" data-testid="place-guides">
                    <h2 id="guides-heading" class="section-title">{t(T::GuidesHere)}</h2>
                    <ul class="space-y-1 text-sm">
                        {list.into_iter().map(|g| view! {
                            <li><A href=format!("/guides/{}", g.id) attr:class="link">{g.title}</A></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Transition>
    }
}

/// `/guides/new` and `/guides/:id/edit`: the admin's editor. A page of server HTML and one
/// island, the form.
#[component]
pub fn GuideEditPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("knowledge-staff");
    let id = use_id_param();
    let locale = use_locale();
    let existing = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_guide(id).await.map(Some),
            None => Ok(None),
        }
    });
    let options = Resource::new(|| (), |_| load_guide_options());
    view! {
        <RequireUser signed_in=move |_| view! {
            <Loaded resource=options show={move |options: GuideOptions| {
                let options = StoredValue::new(options);
                view! {
                    <Loaded resource=existing show={move |guide: Option<Guide>| view! {
                        <GuideForm locale guide options=options.get_value() />
                    }} />
                }
            }} />
        } />
    }
}

#[cfg_attr(feature = "islands-knowledge-staff", island)]
#[cfg_attr(not(feature = "islands-knowledge-staff"), component)]
fn GuideForm(locale: Locale, guide: Option<Guide>, options: GuideOptions) -> impl IntoView {
    provide_context(locale);
    let save = ServerAction::<SaveGuide>::new();
    let error = crate::ui::action_error(save);
    let value = |f: fn(&Guide) -> String| guide.as_ref().map(f).unwrap_or_default();
    let texts = [
        (
            KnowledgeField::Title,
            "title",
            value(|g| g.title.clone()),
            1,
        ),
        (
            KnowledgeField::Summary,
            "summary",
            value(|g| g.summary.clone()),
            2,
        ),
        (
            KnowledgeField::Steps,
            "steps",
            value(|g| g.steps.join("\n")),
            5,
        ),
        (
            KnowledgeField::Materials,
            "materials",
            value(|g| g.materials.join("\n")),
            4,
        ),
    ];
    let details = [
        (
            KnowledgeField::Hours,
            "hours",
            value(|g| g.hours.clone()),
            1,
        ),
        (KnowledgeField::Fees, "fees", value(|g| g.fees.clone()), 1),
        (
            KnowledgeField::TimeLimit,
            "time_limit",
            value(|g| g.time_limit.clone()),
            1,
        ),
        (
            KnowledgeField::OnlineUrl,
            "online_url",
            value(|g| g.online_url.clone()),
            1,
        ),
        (
            KnowledgeField::Contact,
            "contact",
            value(|g| g.contact.clone()),
            1,
        ),
    ];
    let id = guide.as_ref().map(|g| g.id.to_string()).unwrap_or_default();
    let category = guide.as_ref().map(|g| g.category_id);
    let place = guide.as_ref().and_then(|g| g.place_id);
    let field = move |field: KnowledgeField, name: &'static str, text: String, rows: u8| {
        let id = format!("guide-{name}");
        let message = crate::ui::field_message(error, crate::error::Field::Knowledge(field));
        let invalid = move || message().is_some().then_some("true");
        view! {
            <div class="space-y-1">
                <label for=id.clone() class="label">{t(field.label())}</label>
                {if rows > 1 {
                    view! { <textarea id=id name=name class="input" rows=rows aria-invalid=invalid>{text}</textarea> }.into_any()
                } else {
                    view! { <input id=id name=name class="input" value=text aria-invalid=invalid /> }.into_any()
                }}
                <p class="field-error" role="alert">{message}</p>
            </div>
        }
    };
    let select = move |field: KnowledgeField,
                       name: &'static str,
                       choices: Vec<(i64, String)>,
                       current: Option<i64>,
                       none: Option<T>| {
        let id = format!("guide-{name}");
        view! {
            <div class="space-y-1">
                <label for=id.clone() class="label">{t(field.label())}</label>
                <select id=id name=name class="input">
                    {none.map(|none| view! { <option value="">{t(none)}</option> })}
                    {choices.into_iter().map(|(value, label)| view! {
                        <option value=value selected=Some(value) == current>{label}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let title = if guide.is_some() {
        T::EditGuide
    } else {
        T::NewGuide
    };
    view! {
        <section class="space-y-3">
            <h1 class="page-title">{t(title)}</h1>
            <ActionForm action=save attr:class="card space-y-2">
                <input type="hidden" name="id" value=id />
                {select(KnowledgeField::Category, "category", options.categories, category, None)}
                {texts.into_iter().map(|(f, name, text, rows)| field(f, name, text, rows)).collect_view()}
                {select(KnowledgeField::Place, "place", options.places, place, Some(T::NoPlace))}
                {details.into_iter().map(|(f, name, text, rows)| field(f, name, text, rows)).collect_view()}
                <button type="submit" class="btn-primary w-full" disabled=move || save.pending().get()>{t(T::SaveGuide)}</button>
            </ActionForm>
            {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
            {move || save.value().get().and_then(Result::ok).map(|id| view! {
                <p class="banner-ok" role="status" data-testid="guide-saved">{t(T::GuideSaved)}" "
                    <a href=format!("/guides/{id}") class="link">{t(T::ServiceHall)}</a></p>
            })}
        </section>
    }
}
