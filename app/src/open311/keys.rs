//! `/admin/open311`: the admin issues API keys for other programs and revokes them. A key
//! is shown once, when issued; only its SHA-256 is kept. Requests filed with a key are
//! raised by the account it was issued for (a real account, which the staff can reply to).

use crate::accounts::views::RequireUser;
use crate::error::AppError;
use crate::i18n::{t, use_locale, Locale};
use crate::ui::{action_error, field_message, ErrorBanner, Loaded};
use leptos::form::ActionForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

crate::texts! {
    /// The Open311 keys' texts.
    pub enum KeysText {
    Title => "开放接口密钥（Open311）", "Open311 API keys";
    Hint => "其他系统通过 Open311 GeoReport v2 接口（/open311/v2/）读取和提交诉求。提交需要密钥；提交的诉求以所选账号的名义提出。", "Other programs read and file requests through Open311 GeoReport v2 (/open311/v2/). Filing needs a key; requests are raised in the chosen account's name.";
    FieldLabel => "用途", "What it is for";
    FieldAccount => "代表账号（手机号）", "On behalf of (phone)";
    Issue => "签发密钥", "Issue a key";
    IssuedOnce => "密钥只显示这一次，请立即复制保存：", "The key is shown only this once; copy it now:";
    Revoke => "吊销", "Revoke";
    Revoked => "已吊销", "Revoked";
    NoKeys => "还没有签发密钥。", "No keys issued yet.";
    }
}

/// The fields of the key form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyField {
    Label,
    Account,
}

impl KeyField {
    pub fn label(self) -> KeysText {
        match self {
            KeyField::Label => KeysText::FieldLabel,
            KeyField::Account => KeysText::FieldAccount,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: i64,
    pub label: String,
    pub account: String,
    pub created: String,
    pub revoked: bool,
}

#[cfg(feature = "ssr")]
async fn require_admin() -> Result<crate::accounts::auth::Caller, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    if !crate::accounts::roles::is_admin(&caller.grants) {
        return Err(AppError::Forbidden);
    }
    Ok(caller)
}

#[server(endpoint = "open311/keys", output = crate::codec::Json)]
pub async fn load_keys() -> Result<Vec<ApiKey>, AppError> {
    let caller = require_admin().await?;
    let rows: Vec<(i64, String, String, String, bool)> = sqlx::query_as(
        "SELECT k.id, k.label, u.display_name,
                to_char(k.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
                k.revoked_at IS NOT NULL
           FROM open311_keys k JOIN users u ON u.id = k.user_id
          ORDER BY k.revoked_at IS NOT NULL, k.id DESC",
    )
    .fetch_all(&caller.state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, label, account, created, revoked)| ApiKey {
            id,
            label,
            account,
            created,
            revoked,
        })
        .collect())
}

/// Issues a key and returns it: the only time it is seen.
#[server(endpoint = "open311/issue", output = crate::codec::Json)]
pub async fn issue_key(label: String, phone: String) -> Result<String, AppError> {
    use crate::error::{bounded_text, Field, Problem};
    use password_hash::rand_core::{OsRng, RngCore};
    let caller = require_admin().await?;
    let label = bounded_text(Field::Open311(KeyField::Label), &label, 1, 60)?;
    let phone = crate::accounts::PhoneNumber::parse(&phone)
        .map_err(|_| AppError::invalid(Field::Open311(KeyField::Account), Problem::PhoneFormat))?;
    let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(phone.as_str())
        .fetch_optional(&caller.state.pool)
        .await?;
    let user = user.ok_or_else(|| {
        AppError::invalid(Field::Open311(KeyField::Account), Problem::UnknownUser)
    })?;
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query(
        "INSERT INTO open311_keys (label, key_hash, user_id, created_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(&label)
    .bind(super::store::key_hash(&key))
    .bind(user)
    .bind(caller.user_id)
    .execute(&caller.state.pool)
    .await?;
    Ok(key)
}

#[server(endpoint = "open311/revoke", output = crate::codec::Json)]
pub async fn revoke_key(id: i64) -> Result<(), AppError> {
    let caller = require_admin().await?;
    let done = sqlx::query(
        "UPDATE open311_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(id)
    .execute(&caller.state.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A page of server HTML and one island, everything below the title: a key issued or revoked
/// changes the list.
#[component]
pub fn KeysPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("admin");
    let keys = Resource::new(|| (), |_| load_keys());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-4">
                <h1 class="page-title">{t(KeysText::Title)}</h1>
                <p class="muted text-sm">{t(KeysText::Hint)}</p>
                <Loaded resource=keys show={move |keys: Vec<ApiKey>| view! { <KeysEditor locale keys /> }} />
            </section>
        } />
    }
}

#[cfg_attr(feature = "islands-admin", island)]
#[cfg_attr(not(feature = "islands-admin"), component)]
fn KeysEditor(locale: Locale, keys: Vec<ApiKey>) -> impl IntoView {
    use crate::error::Field;
    provide_context(locale);
    let issue = ServerAction::<IssueKey>::new();
    let revoke = ServerAction::<RevokeKey>::new();
    let error = action_error(issue);
    let label_error = field_message(error, Field::Open311(KeyField::Label));
    let account_error = field_message(error, Field::Open311(KeyField::Account));
    let keys = crate::ui::reloaded(
        keys,
        move || issue.version().get() + revoke.version().get(),
        load_keys,
    );
    let issued = move || issue.value().get().and_then(Result::ok);
    view! {
        <ActionForm action=issue attr:class="card space-y-2">
            <div>
                <label for="key-label" class="label">{t(KeysText::FieldLabel)}</label>
                <input id="key-label" name="label" class="input" maxlength="60" placeholder="区级 12345 工单系统" />
                <p class="field-error" role="alert">{label_error}</p>
            </div>
            <div>
                <label for="key-account" class="label">{t(KeysText::FieldAccount)}</label>
                <input id="key-account" name="phone" class="input" inputmode="numeric" />
                <p class="field-error" role="alert">{account_error}</p>
            </div>
            <ErrorBanner error />
            <button type="submit" class="btn-primary w-full">{t(KeysText::Issue)}</button>
        </ActionForm>
        {move || issued().map(|key| view! {
            <div class="card border-emerald-600" role="status">
                <p>{t(KeysText::IssuedOnce)}</p>
                <code class="block break-all text-lg" data-testid="issued-key">{key}</code>
            </div>
        })}
        {move || {
            let keys = keys.get();
            if keys.is_empty() {
                return view! { <p class="card muted">{t(KeysText::NoKeys)}</p> }.into_any();
            }
            view! {
                <ul class="card divide-y divide-slate-200" data-testid="keys">
                    {keys.into_iter().map(|k| view! {
                        <li class="flex items-center justify-between gap-2 py-2">
                            <span>{k.label}<span class="muted text-sm">" · "{k.account}" · "{k.created}</span></span>
                            {if k.revoked {
                                view! { <span class="chip">{t(KeysText::Revoked)}</span> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="id" value=k.id />
                                        <button type="submit" class="btn-secondary text-sm">{t(KeysText::Revoke)}</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
