//! The admin's side of the map: create, edit, hide and restore places.

use super::geo::LatLon;
use super::hours::{self, Hours};
use super::kinds::{PlaceKind, ALL_KINDS};
use crate::error::{AppError, Field, Problem};
use crate::i18n::{t, use_locale, Key, Locale};
use crate::ui::{action_error, field_message, use_id_param, ErrorBanner, Loaded, Notice};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::accounts::{auth, roles::Permission};

pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_ADDRESS_CHARS: usize = 120;
pub const MAX_DESCRIPTION_CHARS: usize = 1000;
pub const MAX_SERVICES: usize = 20;
pub const MAX_SERVICE_CHARS: usize = 20;

/// A place as the admin submitted it, every field checked.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceInput {
    pub name_zh: String,
    pub name_en: String,
    pub kinds: Vec<PlaceKind>,
    pub address_zh: String,
    pub address_en: String,
    pub at: LatLon,
    pub phone: Option<String>,
    pub description_zh: String,
    pub description_en: String,
    pub services: Vec<String>,
    pub hours: Hours,
}

/// The edit form's raw text, as stored or as submitted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlaceForm {
    pub name_zh: String,
    pub name_en: String,
    pub kinds: Vec<PlaceKind>,
    pub address_zh: String,
    pub address_en: String,
    pub lat: String,
    pub lon: String,
    pub phone: String,
    pub description_zh: String,
    pub description_en: String,
    pub services: String,
    pub hours: String,
    pub exceptions: String,
}

fn text(field: Field, value: &str, required: bool, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(AppError::invalid(field, Problem::Required));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(field, Problem::TooLong { max }));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(AppError::invalid(field, Problem::InvalidCharacters));
    }
    Ok(value.to_owned())
}

fn number(field: Field, value: &str) -> Result<f64, AppError> {
    match value.trim() {
        "" => Err(AppError::invalid(field, Problem::Required)),
        v => v
            .parse()
            .ok()
            .filter(|n: &f64| n.is_finite())
            .ok_or(AppError::invalid(field, Problem::NotANumber)),
    }
}

/// A landline or mobile number: digits with optional `+`, spaces, dashes or brackets.
pub fn parse_contact_phone(value: &str) -> Result<Option<String>, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')') || (c == '+' && i == 0)
    });
    if allowed && (7..=15).contains(&digits) {
        Ok(Some(value.to_owned()))
    } else {
        Err(Problem::ContactPhoneFormat)
    }
}

/// Service tags, separated by commas (either width) or 、.
pub fn parse_services(value: &str) -> Result<Vec<String>, Problem> {
    let mut services: Vec<String> = Vec::new();
    for tag in value
        .split([',', '，', '、', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if tag.chars().count() > MAX_SERVICE_CHARS {
            return Err(Problem::TooLong {
                max: MAX_SERVICE_CHARS,
            });
        }
        if !services.iter().any(|s| s == tag) {
            services.push(tag.to_owned());
        }
    }
    if services.len() > MAX_SERVICES {
        return Err(Problem::TooLong { max: MAX_SERVICES });
    }
    Ok(services)
}

impl PlaceForm {
    /// Checks every field, in the order the form shows them.
    pub fn parse(&self) -> Result<PlaceInput, AppError> {
        let name_zh = text(Field::NameZh, &self.name_zh, true, MAX_NAME_CHARS)?;
        let name_en = text(Field::NameEn, &self.name_en, true, MAX_NAME_CHARS)?;
        if self.kinds.is_empty() {
            return Err(AppError::invalid(Field::Kinds, Problem::KindRequired));
        }
        let address_zh = text(Field::AddressZh, &self.address_zh, true, MAX_ADDRESS_CHARS)?;
        let address_en = text(Field::AddressEn, &self.address_en, false, MAX_ADDRESS_CHARS)?;
        let lat = number(Field::Latitude, &self.lat)?;
        let lon = number(Field::Longitude, &self.lon)?;
        let at = LatLon::in_area(lat, lon).map_err(|p| {
            // Name the coordinate that is off, or latitude when both are.
            let lat_ok = (super::geo::AREA.south..=super::geo::AREA.north).contains(&lat);
            AppError::invalid(
                if lat_ok {
                    Field::Longitude
                } else {
                    Field::Latitude
                },
                p,
            )
        })?;
        let phone = parse_contact_phone(&self.phone)
            .map_err(|p| AppError::invalid(Field::ContactPhone, p))?;
        let services =
            parse_services(&self.services).map_err(|p| AppError::invalid(Field::Services, p))?;
        let weekly =
            hours::parse_weekly(&self.hours).map_err(|p| AppError::invalid(Field::Hours, p))?;
        let exceptions = hours::parse_exceptions(&self.exceptions)
            .map_err(|p| AppError::invalid(Field::Exceptions, p))?;
        let description_zh = text(
            Field::DescriptionZh,
            &self.description_zh,
            false,
            MAX_DESCRIPTION_CHARS,
        )?;
        let description_en = text(
            Field::DescriptionEn,
            &self.description_en,
            false,
            MAX_DESCRIPTION_CHARS,
        )?;
        let mut kinds = self.kinds.clone();
        kinds.sort_by_key(|k| ALL_KINDS.iter().position(|a| a == k));
        kinds.dedup();
        Ok(PlaceInput {
            name_zh,
            name_en,
            kinds,
            address_zh,
            address_en,
            at,
            phone,
            description_zh,
            description_en,
            services,
            hours: Hours { weekly, exceptions },
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminPlaceRow {
    pub id: i64,
    pub name_zh: String,
    pub kinds: Vec<PlaceKind>,
    pub hidden: bool,
}

#[server(endpoint = "admin/places", output = crate::codec::Json)]
pub async fn admin_places(#[server(default)] q: String) -> Result<Vec<AdminPlaceRow>, AppError> {
    let caller = auth::require(Permission::ManagePlaces).await?;
    let pattern = format!(
        "%{}%",
        q.trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows: Vec<(i64, String, Vec<String>, bool)> = sqlx::query_as(
        "SELECT id, name_zh, kinds, hidden FROM places
          WHERE name_zh ILIKE $1 OR name_en ILIKE $1 ORDER BY hidden, name_zh LIMIT 200",
    )
    .bind(pattern)
    .fetch_all(&caller.state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name_zh, kinds, hidden)| AdminPlaceRow {
            id,
            name_zh,
            kinds: kinds.iter().filter_map(|k| PlaceKind::parse(k)).collect(),
            hidden,
        })
        .collect())
}

#[server(endpoint = "admin/may_manage_places", output = crate::codec::Json)]
pub async fn may_manage_places() -> Result<(), AppError> {
    auth::require(Permission::ManagePlaces).await.map(|_| ())
}

#[server(endpoint = "admin/place_form", output = crate::codec::Json)]
pub async fn get_place_form(id: i64) -> Result<PlaceForm, AppError> {
    let caller = auth::require(Permission::ManagePlaces).await?;
    #[allow(clippy::type_complexity)]
    let row: Option<(
        String,
        String,
        Vec<String>,
        String,
        String,
        f64,
        f64,
        Option<String>,
        String,
        String,
        Vec<String>,
        sqlx::types::Json<Hours>,
    )> = sqlx::query_as(
        "SELECT name_zh, name_en, kinds, address_zh, address_en, lat, lon, phone,
                    description_zh, description_en, services, hours
               FROM places WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&caller.state.pool)
    .await?;
    let (
        name_zh,
        name_en,
        kinds,
        address_zh,
        address_en,
        lat,
        lon,
        phone,
        description_zh,
        description_en,
        services,
        hours,
    ) = row.ok_or(AppError::NotFound)?;
    Ok(PlaceForm {
        name_zh,
        name_en,
        kinds: kinds.iter().filter_map(|k| PlaceKind::parse(k)).collect(),
        address_zh,
        address_en,
        lat: lat.to_string(),
        lon: lon.to_string(),
        phone: phone.unwrap_or_default(),
        description_zh,
        description_en,
        services: services.join("、"),
        hours: hours::format_weekly(&hours.weekly),
        exceptions: hours::format_exceptions(&hours.exceptions),
    })
}

/// Creates a place (empty `id`) or updates one. Checkboxes send their kind only when ticked.
#[server(endpoint = "admin/save_place", output = crate::codec::Json)]
#[allow(clippy::too_many_arguments)]
pub async fn save_place(
    #[server(default)] id: String,
    name_zh: String,
    name_en: String,
    kind_service_station: Option<String>,
    kind_lunch_point: Option<String>,
    kind_building: Option<String>,
    kind_joint_committee: Option<String>,
    kind_partner_unit: Option<String>,
    kind_activity_venue: Option<String>,
    address_zh: String,
    #[server(default)] address_en: String,
    lat: String,
    lon: String,
    #[server(default)] phone: String,
    #[server(default)] services: String,
    #[server(default)] hours: String,
    #[server(default)] exceptions: String,
    #[server(default)] description_zh: String,
    #[server(default)] description_en: String,
) -> Result<i64, AppError> {
    let caller = auth::require(Permission::ManagePlaces).await?;
    let id = match id.trim() {
        "" => None,
        text => Some(text.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let ticked = [
        (PlaceKind::ServiceStation, kind_service_station),
        (PlaceKind::LunchPoint, kind_lunch_point),
        (PlaceKind::Building, kind_building),
        (PlaceKind::JointCommittee, kind_joint_committee),
        (PlaceKind::PartnerUnit, kind_partner_unit),
        (PlaceKind::ActivityVenue, kind_activity_venue),
    ];
    let form = PlaceForm {
        name_zh,
        name_en,
        kinds: ticked
            .into_iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k)
            .collect(),
        address_zh,
        address_en,
        lat,
        lon,
        phone,
        description_zh,
        description_en,
        services,
        hours,
        exceptions,
    };
    let input = form.parse()?;
    let saved = super::store::save(&caller.state.pool, caller.user_id, id, &input).await?;
    leptos_axum::redirect(&format!("/places/{saved}"));
    Ok(saved)
}

#[server(endpoint = "admin/set_place_hidden", output = crate::codec::Json)]
pub async fn set_place_hidden(id: i64, hidden: bool) -> Result<(), AppError> {
    let caller = auth::require(Permission::ManagePlaces).await?;
    super::store::set_hidden(&caller.state.pool, caller.user_id, id, hidden).await
}

/// `/admin/places`: every place, hidden ones too, with hide and restore. A page of server
/// HTML (the search is a GET form) and one island, the list, loaded again after each hide or
/// restore.
#[component]
pub fn AdminPlacesPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("map-admin");
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let places = Resource::new(q, |q| async move {
        Ok::<_, AppError>((admin_places(q.clone()).await?, q))
    });
    let locale = use_locale();
    view! {
        <section class="space-y-4">
            <div class="flex items-center justify-between gap-2">
                <h1 class="page-title">{t(Key::AdminPlaces)}</h1>
                <A href="/admin/places/new" attr:class="btn-primary">{t(Key::NewPlace)}</A>
            </div>
            <Form method="GET" action="" attr:class="flex gap-2" attr:role="search">
                <label for="admin-places-q" class="sr-only">{t(Key::SearchPlaces)}</label>
                <input id="admin-places-q" name="q" type="search" class="input flex-1" value=q placeholder=t(Key::SearchPlaces) />
                <button type="submit" class="btn-secondary">{t(Key::Search)}</button>
            </Form>
            <Loaded resource=places show={move |(rows, query): (Vec<AdminPlaceRow>, String)| view! {
                <PlaceRows locale rows query />
            }} />
        </section>
    }
}

#[cfg_attr(feature = "islands-map-admin", island)]
#[cfg_attr(not(feature = "islands-map-admin"), component)]
fn PlaceRows(locale: Locale, rows: Vec<AdminPlaceRow>, query: String) -> impl IntoView {
    provide_context(locale);
    let toggle = ServerAction::<SetPlaceHidden>::new();
    let rows = crate::ui::reloaded(
        rows,
        move || toggle.version().get(),
        move || admin_places(query.clone()),
    );
    view! {
        <ErrorBanner error=action_error(toggle) />
        <ul class="card divide-y divide-slate-200">
            {move || rows.get().into_iter().map(|row| view! {
                <li class="flex items-center justify-between gap-2 py-2">
                    <div>
                        <a href=format!("/places/{}", row.id) class="link">{row.name_zh}</a>
                        {row.hidden.then(|| view! { <span class="badge badge-hidden ml-2">{t(Key::Hidden)}</span> })}
                    </div>
                    <div class="flex gap-2">
                        <a href=format!("/admin/places/{}", row.id) class="link text-sm">{t(Key::Edit)}</a>
                        <ActionForm action=toggle>
                            <input type="hidden" name="id" value=row.id.to_string() />
                            <input type="hidden" name="hidden" value=(!row.hidden).to_string() />
                            <button type="submit" class="link text-sm">
                                {if row.hidden { t(Key::Restore) } else { t(Key::Hide) }}
                            </button>
                        </ActionForm>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// `/admin/places/new` and `/admin/places/:id`. A page of server HTML and one island, the
/// form.
#[component]
pub fn PlaceEditPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("map-admin");
    let id = use_id_param();
    let locale = use_locale();
    let form = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_place_form(id).await.map(|f| (Some(id), f)),
            // Even a blank form is for admins only: ask the server.
            None => may_manage_places()
                .await
                .map(|()| (None, PlaceForm::default())),
        }
    });
    view! {
        <Loaded resource=form show={move |(id, form)| view! { <PlaceEditForm locale id form /> }} />
    }
}

#[cfg_attr(feature = "islands-map-admin", island)]
#[cfg_attr(not(feature = "islands-map-admin"), component)]
fn PlaceEditForm(locale: Locale, id: Option<i64>, form: PlaceForm) -> impl IntoView {
    provide_context(locale);
    let save = ServerAction::<SavePlace>::new();
    let error = action_error(save);
    let field_error = move |field: Field| field_message(error, field);
    // A labelled input (or text area), its hint and its error tied to it for screen readers.
    let field = move |field: Field,
                      name: &'static str,
                      label: Key,
                      value: String,
                      hint: Option<Key>,
                      multiline: bool| {
        let id = format!("place-{name}");
        let help = format!("{id}-help");
        let message = field_error(field);
        let invalid = move || message().is_some().then_some("true");
        let control = if multiline {
            view! {
                <textarea id=id.clone() name=name class="input" rows="3" aria-invalid=invalid
                    aria-describedby=help.clone()>{value}</textarea>
            }
            .into_any()
        } else {
            view! {
                <input id=id.clone() name=name class="input" value=value aria-invalid=invalid
                    aria-describedby=help.clone() />
            }
            .into_any()
        };
        view! {
            <div class="space-y-1">
                <label for=id class="label">{t(label)}</label>
                {control}
                <p id=help class="hint">
                    {hint.map(t)}
                    {move || message().map(|m| view! { <span class="field-error block" role="alert">{m}</span> })}
                </p>
            </div>
        }
    };
    let input =
        move |f: Field, name: &'static str, label: Key, value: String, hint: Option<Key>| {
            field(f, name, label, value, hint, false)
        };
    let area = move |f: Field, name: &'static str, label: Key, value: String, hint: Option<Key>| {
        field(f, name, label, value, hint, true)
    };
    let kinds_error = field_error(Field::Kinds);
    let title = if id.is_some() {
        t(Key::EditPlace)
    } else {
        t(Key::NewPlace)
    };
    view! {
        <section class="card space-y-4">
            <h1 class="page-title">{title}</h1>
            <Notice when=Signal::derive(move || matches!(save.value().get(), Some(Ok(_)))) text=t(Key::PlaceSaved) />
            <ActionForm action=save attr:class="space-y-4" attr:novalidate=true>
                <input type="hidden" name="id" value=id.map(|i| i.to_string()).unwrap_or_default() />
                {input(Field::NameZh, "name_zh", Key::FieldNameZh, form.name_zh, None)}
                {input(Field::NameEn, "name_en", Key::FieldNameEn, form.name_en, None)}
                <fieldset class="space-y-1" aria-describedby="place-kinds-help">
                    <legend class="label">{t(Key::FieldKinds)}</legend>
                    <div class="flex flex-wrap gap-3">
                        {ALL_KINDS.into_iter().map(|kind| {
                            let checked = form.kinds.contains(&kind);
                            view! {
                                <label class="flex items-center gap-1">
                                    <input type="checkbox" name=format!("kind_{}", kind.as_str()) value="on" checked=checked />
                                    {t(kind.label())}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p id="place-kinds-help">{move || kinds_error().map(|m| view! { <span class="field-error" role="alert">{m}</span> })}</p>
                </fieldset>
                {input(Field::AddressZh, "address_zh", Key::FieldAddressZh, form.address_zh, None)}
                {input(Field::AddressEn, "address_en", Key::FieldAddressEn, form.address_en, None)}
                <div class="grid grid-cols-2 gap-3">
                    {input(Field::Latitude, "lat", Key::FieldLatitude, form.lat, Some(Key::LatitudeHint))}
                    {input(Field::Longitude, "lon", Key::FieldLongitude, form.lon, Some(Key::LongitudeHint))}
                </div>
                {input(Field::ContactPhone, "phone", Key::FieldContactPhone, form.phone, None)}
                {input(Field::Services, "services", Key::FieldServices, form.services, Some(Key::ServicesHint))}
                {area(Field::Hours, "hours", Key::FieldHours, form.hours, Some(Key::HoursHint))}
                {area(Field::Exceptions, "exceptions", Key::FieldExceptions, form.exceptions, Some(Key::ExceptionsHint))}
                {area(Field::DescriptionZh, "description_zh", Key::FieldDescriptionZh, form.description_zh, None)}
                {area(Field::DescriptionEn, "description_en", Key::FieldDescriptionEn, form.description_en, None)}
                <ErrorBanner error />
                <button type="submit" class="btn-primary w-full" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { t(Key::Saving) } else { t(Key::Save) }}
                </button>
            </ActionForm>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> PlaceForm {
        PlaceForm {
            name_zh: "新会片区党群服务站".into(),
            name_en: "Xinhui Area Service Station".into(),
            kinds: vec![PlaceKind::LunchPoint, PlaceKind::ServiceStation],
            address_zh: "新会路 1 号".into(),
            lat: "31.2431".into(),
            lon: "121.4372".into(),
            phone: "021-6234 5678".into(),
            services: "白领午餐，党群活动、白领午餐".into(),
            hours: "1-5 08:30-17:30".into(),
            exceptions: "2026-10-01 closed".into(),
            ..PlaceForm::default()
        }
    }

    #[test]
    fn a_valid_form_parses_whole() {
        let input = valid().parse().unwrap();
        assert_eq!(
            input.kinds,
            vec![PlaceKind::ServiceStation, PlaceKind::LunchPoint]
        );
        assert_eq!(input.services, vec!["白领午餐", "党群活动"]);
        assert_eq!(input.hours.weekly.len(), 5);
        assert_eq!(input.hours.exceptions.len(), 1);
        assert_eq!(input.phone.as_deref(), Some("021-6234 5678"));
    }

    #[test]
    fn each_mistake_names_its_field() {
        let cases: Vec<(fn(&mut PlaceForm), Field, Problem)> = vec![
            (|f| f.name_zh = " ".into(), Field::NameZh, Problem::Required),
            (|f| f.kinds.clear(), Field::Kinds, Problem::KindRequired),
            (
                |f| f.lat = "north".into(),
                Field::Latitude,
                Problem::NotANumber,
            ),
            (
                |f| f.lat = "31.30".into(),
                Field::Latitude,
                Problem::OutsideArea,
            ),
            (
                |f| f.lon = "121.50".into(),
                Field::Longitude,
                Problem::OutsideArea,
            ),
            (
                |f| f.phone = "call me".into(),
                Field::ContactPhone,
                Problem::ContactPhoneFormat,
            ),
            (
                |f| f.hours = "Mon-Fri 9-5".into(),
                Field::Hours,
                Problem::HoursFormat,
            ),
            (
                |f| f.exceptions = "2026-02-30 closed".into(),
                Field::Exceptions,
                Problem::ExceptionFormat,
            ),
            (
                |f| f.services = "一二三四五六七八九十一二三四五六七八九十一".into(),
                Field::Services,
                Problem::TooLong { max: 20 },
            ),
        ];
        for (break_it, field, problem) in cases {
            let mut form = valid();
            break_it(&mut form);
            assert_eq!(form.parse(), Err(AppError::invalid(field, problem)));
        }
    }

    #[test]
    fn contact_phones() {
        assert_eq!(parse_contact_phone(""), Ok(None));
        assert!(parse_contact_phone("+86 21 6234 5678").unwrap().is_some());
        assert!(parse_contact_phone("(021) 62345678").unwrap().is_some());
        assert_eq!(
            parse_contact_phone("12345"),
            Err(Problem::ContactPhoneFormat)
        );
        assert_eq!(
            parse_contact_phone("021-6234567x"),
            Err(Problem::ContactPhoneFormat)
        );
    }
}
