//! The admin's console for people and their roles.

use super::roles::{RoleGrant, ScopeKind, ALL_ROLES};
use crate::error::AppError;
use crate::i18n::{t, use_locale, Key, Locale};
use crate::ui::{action_error, ErrorBanner, Loaded, Notice};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::{auth, roles::Permission, roles::Role};
#[cfg(feature = "ssr")]
use crate::error::OnConstraint;
#[cfg(feature = "ssr")]
use crate::error::{Field, Problem};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub phone: String,
    pub display_name: String,
    pub roles: Vec<RoleGrant>,
}

/// One thing a role can be scoped to, as offered in the grant form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScopeOption {
    /// `place:ID` or `department:ID`.
    pub value: String,
    pub kind: ScopeKind,
    pub name: String,
}

/// The scope a grant form names: a place or a department by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeRef {
    Place(i64),
    Department(i64),
}

impl ScopeRef {
    pub fn parse(value: &str) -> Option<ScopeRef> {
        let (kind, id) = value.split_once(':')?;
        let id = id.parse().ok().filter(|id: &i64| *id > 0)?;
        match kind {
            "place" => Some(ScopeRef::Place(id)),
            "department" => Some(ScopeRef::Department(id)),
            _ => None,
        }
    }
}

pub const MAX_QUERY_CHARS: usize = 40;

#[server(endpoint = "admin/find_users", output = crate::codec::Json)]
pub async fn find_users(query: String) -> Result<Vec<UserSummary>, AppError> {
    let caller = auth::require(Permission::ManageRoles).await?;
    let query = query.trim();
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid(
            Field::Query,
            Problem::TooLong {
                max: MAX_QUERY_CHARS,
            },
        ));
    }
    let pattern = format!(
        "%{}%",
        query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, phone, display_name FROM users
          WHERE phone LIKE $1 OR display_name ILIKE $1
          ORDER BY id LIMIT 50",
    )
    .bind(&pattern)
    .fetch_all(&caller.state.pool)
    .await?;
    let locale = crate::state::request_locale();
    let mut users = Vec::with_capacity(rows.len());
    for (id, phone, display_name) in rows {
        let roles = auth::role_grants(&caller.state.pool, id, locale).await?;
        users.push(UserSummary {
            id,
            phone,
            display_name,
            roles,
        });
    }
    Ok(users)
}

#[server(endpoint = "admin/scope_options", output = crate::codec::Json)]
pub async fn scope_options() -> Result<Vec<ScopeOption>, AppError> {
    let caller = auth::require(Permission::ManageRoles).await?;
    let zh = crate::state::request_locale() == crate::i18n::Locale::Zh;
    let places: Vec<(i64, String, String, Vec<String>)> =
        sqlx::query_as("SELECT id, name_zh, name_en, kinds FROM places ORDER BY name_zh")
            .fetch_all(&caller.state.pool)
            .await?;
    let departments: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name_zh, name_en FROM departments ORDER BY name_zh")
            .fetch_all(&caller.state.pool)
            .await?;
    let pick = |zh_name: &str, en_name: &str| {
        if zh {
            zh_name.to_owned()
        } else {
            en_name.to_owned()
        }
    };
    let mut options: Vec<ScopeOption> = departments
        .iter()
        .map(|(id, name_zh, name_en)| ScopeOption {
            value: format!("department:{id}"),
            kind: ScopeKind::Department,
            name: pick(name_zh, name_en),
        })
        .collect();
    for kind in [
        ScopeKind::Building,
        ScopeKind::LunchPoint,
        ScopeKind::PartnerUnit,
    ] {
        let wanted = kind.place_kind().unwrap_or_default();
        options.extend(
            places
                .iter()
                .filter(|p| p.3.iter().any(|k| k == wanted))
                .map(|(id, name_zh, name_en, _)| ScopeOption {
                    value: format!("place:{id}"),
                    kind,
                    name: pick(name_zh, name_en),
                }),
        );
    }
    Ok(options)
}

#[server(endpoint = "admin/grant_role", output = crate::codec::Json)]
pub async fn grant_role(user_id: i64, role: String, scope: String) -> Result<(), AppError> {
    let caller = auth::require(Permission::ManageRoles).await?;
    let role = Role::parse(&role).ok_or(AppError::invalid(Field::Role, Problem::RoleUnknown))?;
    let scope = scope.trim();
    let scope = match role.scope_kind() {
        None if scope.is_empty() => None,
        None => return Err(AppError::invalid(Field::Scope, Problem::ScopeNotAllowed)),
        Some(_) if scope.is_empty() => {
            return Err(AppError::invalid(Field::Scope, Problem::ScopeRequired))
        }
        Some(kind) => Some((
            kind,
            ScopeRef::parse(scope)
                .ok_or(AppError::invalid(Field::Scope, Problem::ScopeWrongKind))?,
        )),
    };

    let mut tx = caller.state.pool.begin().await?;
    let user_exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    if !user_exists {
        return Err(AppError::invalid(Field::User, Problem::UnknownUser));
    }
    let (place_id, department_id) = match scope {
        None => (None, None),
        Some((ScopeKind::Department, ScopeRef::Department(id))) => {
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM departments WHERE id = $1)")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            exists
                .then_some((None, Some(id)))
                .ok_or(AppError::invalid(Field::Scope, Problem::ScopeWrongKind))?
        }
        Some((kind, ScopeRef::Place(id))) if kind != ScopeKind::Department => {
            let fits: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM places WHERE id = $1 AND $2 = ANY (kinds))",
            )
            .bind(id)
            .bind(kind.place_kind())
            .fetch_one(&mut *tx)
            .await?;
            fits.then_some((Some(id), None))
                .ok_or(AppError::invalid(Field::Scope, Problem::ScopeWrongKind))?
        }
        Some(_) => return Err(AppError::invalid(Field::Scope, Problem::ScopeWrongKind)),
    };
    let grant_id: i64 = sqlx::query_scalar(
        "INSERT INTO role_grants (user_id, role, place_id, department_id, granted_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(place_id)
    .bind(department_id)
    .bind(caller.user_id)
    .fetch_one(&mut *tx)
    .await
    .on_constraint(
        "role_grants_unique",
        AppError::invalid(Field::Role, Problem::AlreadyGranted),
    )?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail)
         VALUES ($1, 'grant_role', $2, jsonb_build_object('user_id', $3::bigint, 'role', $4::text,
                 'place_id', $5::bigint, 'department_id', $6::bigint))",
    )
    .bind(caller.user_id)
    .bind(format!("role_grant:{grant_id}"))
    .bind(user_id)
    .bind(role.as_str())
    .bind(place_id)
    .bind(department_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "admin/revoke_role", output = crate::codec::Json)]
pub async fn revoke_role(grant_id: i64) -> Result<(), AppError> {
    let caller = auth::require(Permission::ManageRoles).await?;
    let mut tx = caller.state.pool.begin().await?;
    let revoked: Option<(i64, String)> =
        sqlx::query_as("DELETE FROM role_grants WHERE id = $1 RETURNING user_id, role")
            .bind(grant_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (user_id, role) = revoked.ok_or(AppError::NotFound)?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail)
         VALUES ($1, 'revoke_role', $2, jsonb_build_object('user_id', $3::bigint, 'role', $4::text))",
    )
    .bind(caller.user_id)
    .bind(format!("role_grant:{grant_id}"))
    .bind(user_id)
    .bind(role)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `/admin/users`: find people, grant and revoke their roles. A page of server HTML (the
/// search is a GET form) and one island, the people found with their forms: a role granted
/// or revoked changes the list.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("admin");
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let found = Resource::new(search, |q| async move {
        Ok::<_, AppError>((find_users(q.clone()).await?, scope_options().await?, q))
    });
    let locale = use_locale();

    view! {
        <section class="space-y-4">
            <h1 class="page-title">{t(Key::AdminUsers)}</h1>
            <Form method="GET" action="" attr:class="flex gap-2" attr:role="search">
                <label for="admin-q" class="sr-only">{t(Key::AdminSearchLabel)}</label>
                <input id="admin-q" name="q" type="search" class="input flex-1"
                    placeholder=t(Key::AdminSearchLabel) value=search
                    maxlength=MAX_QUERY_CHARS.to_string() />
                <button type="submit" class="btn-secondary">{t(Key::Search)}</button>
            </Form>
            <Loaded resource=found show={move |(users, scopes, query): (Vec<UserSummary>, Vec<ScopeOption>, String)| view! {
                <PeopleFound locale users scopes query />
            }} />
        </section>
    }
}

/// The people a search found, each with their roles and the form to grant another; the list
/// is loaded again after each grant or revocation.
#[cfg_attr(feature = "islands-admin", island)]
#[cfg_attr(not(feature = "islands-admin"), component)]
fn PeopleFound(
    locale: Locale,
    users: Vec<UserSummary>,
    scopes: Vec<ScopeOption>,
    query: String,
) -> impl IntoView {
    provide_context(locale);
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let users = crate::ui::reloaded(
        users,
        move || grant.version().get() + revoke.version().get(),
        move || find_users(query.clone()),
    );
    view! {
        <Notice when=Signal::derive(move || matches!(grant.value().get(), Some(Ok(()))))
            text=t(Key::RoleGranted) />
        <Notice when=Signal::derive(move || matches!(revoke.value().get(), Some(Ok(()))))
            text=t(Key::RoleRevoked) />
        <ErrorBanner error=action_error(grant) />
        <ErrorBanner error=action_error(revoke) />
        {move || {
            let list = users.get();
            if list.is_empty() {
                return view! { <p class="muted">{t(Key::NoUsersFound)}</p> }.into_any();
            }
            let count = locale.users_found(list.len());
            let scopes = scopes.clone();
            view! {
                <p class="muted">{count}</p>
                <ul class="space-y-3">
                    {list.into_iter().map(|user| view! {
                        <UserCard user scopes=scopes.clone() grant revoke />
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn UserCard(
    user: UserSummary,
    scopes: Vec<ScopeOption>,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
) -> impl IntoView {
    let role_id = format!("role-{}", user.id);
    let scope_id = format!("scope-{}", user.id);
    let heading_id = format!("user-{}", user.id);
    view! {
        <li class="card space-y-3" aria-labelledby=heading_id.clone()>
            <div class="flex items-baseline justify-between gap-2">
                <h2 id=heading_id.clone() class="font-semibold">{user.display_name.clone()}</h2>
                <span class="muted tabular-nums">{user.phone.clone()}</span>
            </div>
            <ul class="flex flex-wrap gap-2">
                <li class="chip">{t(Key::ResidentRole)}</li>
                {user.roles.into_iter().map(|g| view! {
                    <li class="chip flex items-center gap-1">
                        <span>{t(g.role.label())}{g.scope_name.map(|n| format!(" · {n}"))}</span>
                        <ActionForm action=revoke attr:class="inline">
                            <input type="hidden" name="grant_id" value=g.id.to_string() />
                            <button type="submit" class="link text-sm">{t(Key::Revoke)}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            <ActionForm action=grant attr:class="grid gap-2 sm:grid-cols-[1fr_1fr_auto] items-end">
                <input type="hidden" name="user_id" value=user.id.to_string() />
                <div>
                    <label for=role_id.clone() class="label">{t(Key::Role)}</label>
                    <select id=role_id name="role" class="input" required>
                        <option value="">{t(Key::ChooseRole)}</option>
                        {ALL_ROLES.into_iter().map(|r| view! {
                            <option value=r.as_str()>{t(r.label())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for=scope_id.clone() class="label">{t(Key::Scope)}</label>
                    <select id=scope_id name="scope" class="input">
                        <option value="">{t(Key::NoScopeNeeded)}</option>
                        {scopes.into_iter().map(|s| view! {
                            <option value=s.value>{s.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="btn-primary">{t(Key::Grant)}</button>
            </ActionForm>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_values_parse_strictly() {
        assert_eq!(ScopeRef::parse("place:12"), Some(ScopeRef::Place(12)));
        assert_eq!(
            ScopeRef::parse("department:3"),
            Some(ScopeRef::Department(3))
        );
        for bad in [
            "", "place", "place:", "place:-1", "place:0", "room:4", "place:x",
        ] {
            assert_eq!(ScopeRef::parse(bad), None, "{bad}");
        }
    }
}
