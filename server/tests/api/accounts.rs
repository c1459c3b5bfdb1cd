//! Accounts against a real PostgreSQL: sign-up, sign-in, throttling, sessions, roles.

use crate::support;

use app::accounts::CurrentUser;
use app::error::{AppError, Field, Problem};
use reqwest::StatusCode;
use support::{TestApp, PASSWORD};

fn invalid(field: Field, problem: Problem) -> AppError {
    AppError::Invalid { field, problem }
}

async fn me(app: &TestApp, client: &reqwest::Client) -> Option<CurrentUser> {
    app.call::<Option<CurrentUser>>(client, "current_user", &[])
        .await
        .expect("current_user")
}

#[tokio::test]
async fn sign_up_signs_the_user_in_with_a_safe_cookie() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    let response = client
        .post(app.url("/api/sign_up"))
        .form(&[
            ("phone", "138 1234 5678"),
            ("display_name", " 张先生 "),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[reqwest::header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("zd_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP must not get a Secure cookie: {cookie}"
    );

    let user = me(&app, &client).await.expect("signed in");
    assert_eq!(user.display_name, "张先生");
    assert_eq!(user.phone_masked, "138****5678");
    assert!(user.roles.is_empty());
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_secure() {
    let app = TestApp::spawn().await;
    let response = TestApp::client()
        .post(app.url("/api/sign_up"))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("phone", "13812345678"),
            ("display_name", "张"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let cookie = response.headers()[reqwest::header::SET_COOKIE]
        .to_str()
        .unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn a_number_can_register_only_once() {
    let app = TestApp::spawn().await;
    app.signed_up("13912345678").await;
    let again = app
        .call::<()>(
            &TestApp::client(),
            "sign_up",
            &[
                ("phone", "+86 139 1234 5678"),
                ("display_name", "又一个"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        again,
        Err((
            StatusCode::BAD_REQUEST,
            invalid(Field::Phone, Problem::PhoneTaken)
        ))
    );
    assert_eq!(app.count("SELECT count(*) FROM users").await, 1);
}

#[tokio::test]
async fn parallel_sign_ups_of_one_number_create_one_account() {
    let app = TestApp::spawn().await;
    let attempts = (0..8).map(|i| {
        let app = app.clone();
        async move {
            let name = format!("并发{i}");
            app.call::<()>(
                &TestApp::client(),
                "sign_up",
                &[
                    ("phone", "13700000000"),
                    ("display_name", &name),
                    ("password", PASSWORD),
                ],
            )
            .await
        }
    });
    let results = futures_join_all(attempts).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{results:?}");
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| e.1 == invalid(Field::Phone, Problem::PhoneTaken)));
    assert_eq!(app.count("SELECT count(*) FROM users").await, 1);
}

/// Runs futures concurrently on the test's runtime (tokio is already a dependency).
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn bad_sign_up_input_names_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    let cases: &[(&str, &str, &str, AppError)] = &[
        (
            "12345",
            "张",
            PASSWORD,
            invalid(Field::Phone, Problem::PhoneFormat),
        ),
        ("", "张", PASSWORD, invalid(Field::Phone, Problem::Required)),
        (
            "13812345678",
            "  ",
            PASSWORD,
            invalid(Field::DisplayName, Problem::Required),
        ),
        (
            "13812345678",
            "张",
            "short1",
            invalid(Field::Password, Problem::TooShort { min: 8 }),
        ),
        (
            "13812345678",
            "张",
            "no-digits-here",
            invalid(Field::Password, Problem::PasswordNeedsLetterAndDigit),
        ),
        (
            "13812345678",
            "张",
            "x12345678",
            invalid(Field::Password, Problem::PasswordContainsPhone),
        ),
    ];
    for (phone, name, password, expected) in cases {
        let result = app
            .call::<()>(
                &client,
                "sign_up",
                &[
                    ("phone", phone),
                    ("display_name", name),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(
            result,
            Err((StatusCode::BAD_REQUEST, expected.clone())),
            "{phone} {name} {password}"
        );
    }
    // A call missing a field is a bad request too, not a server error.
    let missing = app
        .call::<()>(&client, "sign_up", &[("phone", "13812345678")])
        .await;
    assert!(
        matches!(
            missing,
            Err((StatusCode::BAD_REQUEST, AppError::Request(_)))
        ),
        "{missing:?}"
    );
    assert_eq!(app.count("SELECT count(*) FROM users").await, 0);
}

#[tokio::test]
async fn sign_in_checks_the_password() {
    let app = TestApp::spawn().await;
    app.signed_up("13812345678").await;
    let client = TestApp::client();

    let wrong = app
        .call::<()>(
            &client,
            "sign_in",
            &[("phone", "13812345678"), ("password", "not-the-password-1")],
        )
        .await;
    assert_eq!(
        wrong,
        Err((StatusCode::UNAUTHORIZED, AppError::WrongCredentials))
    );
    let unknown = app
        .call::<()>(
            &client,
            "sign_in",
            &[("phone", "13999999999"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        unknown,
        Err((StatusCode::UNAUTHORIZED, AppError::WrongCredentials)),
        "unknown numbers look the same"
    );
    assert!(me(&app, &client).await.is_none());

    app.call::<()>(
        &client,
        "sign_in",
        &[("phone", "138-1234-5678"), ("password", PASSWORD)],
    )
    .await
    .expect("sign in");
    assert_eq!(me(&app, &client).await.unwrap().phone_masked, "138****5678");
}

#[tokio::test]
async fn repeated_failures_lock_the_number_with_a_retry_delay() {
    let app = TestApp::spawn().await;
    app.signed_up("13812345678").await;
    let client = TestApp::client();
    let attempt = |password: &'static str| {
        let (app, client) = (&app, &client);
        async move {
            app.call::<()>(
                client,
                "sign_in",
                &[("phone", "13812345678"), ("password", password)],
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_eq!(
            attempt("wrong-password-1").await,
            Err((StatusCode::UNAUTHORIZED, AppError::WrongCredentials))
        );
    }
    // Locked now: even the right password waits.
    let response = client
        .post(app.url("/api/sign_in"))
        .form(&[("phone", "13812345678"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry_after), "{retry_after}");
    let error: AppError = response.json().await.unwrap();
    assert_eq!(
        error,
        AppError::Throttled {
            retry_after_secs: retry_after
        }
    );
    assert!(error
        .message(app::i18n::Locale::Zh)
        .contains(&format!("{retry_after} 秒")));

    // Once the lock has passed, the right password works and clears the count.
    sqlx::query("UPDATE sign_in_throttle SET locked_until = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    attempt(PASSWORD).await.expect("sign in after the lock");
    assert_eq!(
        app.count("SELECT count(*) FROM sign_in_throttle WHERE key LIKE 'phone:%'")
            .await,
        0
    );
}

#[tokio::test]
async fn many_numbers_from_one_address_are_throttled_too() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    for i in 0..20 {
        let phone = format!("136{i:08}");
        let result = app
            .call::<()>(
                &client,
                "sign_in",
                &[("phone", &phone), ("password", "guess-123456")],
            )
            .await;
        assert_eq!(
            result,
            Err((StatusCode::UNAUTHORIZED, AppError::WrongCredentials)),
            "attempt {i}"
        );
    }
    let next = app
        .call::<()>(
            &client,
            "sign_in",
            &[("phone", "13600000099"), ("password", "guess-123456")],
        )
        .await;
    assert!(
        matches!(
            next,
            Err((StatusCode::TOO_MANY_REQUESTS, AppError::Throttled { .. }))
        ),
        "{next:?}"
    );
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    app.signed_up("13812345678").await;
    let cookie = session_cookie(&app).await;
    let with_cookie = |path: &str| {
        TestApp::client()
            .post(app.url(path))
            .header("cookie", cookie.clone())
    };
    let before: Option<CurrentUser> = with_cookie("/api/current_user")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(before.is_some());
    let out = with_cookie("/api/sign_out").send().await.unwrap();
    assert_eq!(out.status(), StatusCode::OK);
    assert!(out.headers()[reqwest::header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    // Replaying the old cookie does not bring the session back.
    let after: Option<CurrentUser> = with_cookie("/api/current_user")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after, None);
    assert_eq!(
        app.count("SELECT count(*) FROM sessions").await,
        1,
        "only the sign-up's session is left"
    );
}

/// Signs in and returns the raw `zd_session=…` cookie.
async fn session_cookie(app: &TestApp) -> String {
    let response = TestApp::client()
        .post(app.url("/api/sign_in"))
        .form(&[("phone", "13812345678"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let set = response.headers()[reqwest::header::SET_COOKIE]
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let client = app.signed_up("13812345678").await;
    let other_device = TestApp::client();
    app.call::<()>(
        &other_device,
        "sign_in",
        &[("phone", "13812345678"), ("password", PASSWORD)],
    )
    .await
    .unwrap();

    let wrong = app
        .call::<()>(
            &client,
            "change_password",
            &[
                ("current_password", "nope-12345"),
                ("new_password", "new-secret-42"),
            ],
        )
        .await;
    assert_eq!(
        wrong,
        Err((
            StatusCode::BAD_REQUEST,
            invalid(Field::CurrentPassword, Problem::WrongPassword)
        ))
    );
    let weak = app
        .call::<()>(
            &client,
            "change_password",
            &[("current_password", PASSWORD), ("new_password", "weak")],
        )
        .await;
    assert_eq!(
        weak,
        Err((
            StatusCode::BAD_REQUEST,
            invalid(Field::NewPassword, Problem::TooShort { min: 8 })
        ))
    );

    app.call::<()>(
        &client,
        "change_password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "new-secret-42"),
        ],
    )
    .await
    .unwrap();
    assert!(
        me(&app, &client).await.is_some(),
        "this device stays signed in"
    );
    assert!(
        me(&app, &other_device).await.is_none(),
        "other devices are signed out"
    );
    let fresh = TestApp::client();
    app.call::<()>(
        &fresh,
        "sign_in",
        &[("phone", "13812345678"), ("password", "new-secret-42")],
    )
    .await
    .expect("new password works");

    let anonymous = app
        .call::<()>(
            &TestApp::client(),
            "change_password",
            &[("current_password", "x"), ("new_password", "y")],
        )
        .await;
    assert_eq!(
        anonymous,
        Err((StatusCode::UNAUTHORIZED, AppError::NotSignedIn))
    );
}

#[tokio::test]
async fn two_app_instances_share_sessions() {
    let first = TestApp::spawn().await;
    let second = TestApp::spawn_on(&first.database_url).await;
    assert_ne!(first.addr, second.addr);
    first.signed_up("13812345678").await;
    // Sign in on the first instance, then use the same cookie on the second.
    let cookie = session_cookie(&first).await;
    let response = TestApp::client()
        .post(second.url("/api/current_user"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let user: Option<CurrentUser> = response.json().await.unwrap();
    assert_eq!(user.unwrap().phone_masked, "138****5678");
}

#[tokio::test]
async fn only_admins_may_manage_roles() {
    let app = TestApp::spawn().await;
    let resident = app.signed_up("13812345678").await;
    let anonymous = TestApp::client();
    assert_eq!(
        app.call::<serde_json::Value>(&anonymous, "admin/find_users", &[("query", "")])
            .await
            .unwrap_err(),
        (StatusCode::UNAUTHORIZED, AppError::NotSignedIn)
    );
    assert_eq!(
        app.call::<serde_json::Value>(&resident, "admin/find_users", &[("query", "")])
            .await
            .unwrap_err(),
        (StatusCode::FORBIDDEN, AppError::Forbidden)
    );
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let self_grant = app
        .call::<()>(
            &resident,
            "admin/grant_role",
            &[
                ("user_id", &user_id.to_string()),
                ("role", "admin"),
                ("scope", ""),
            ],
        )
        .await;
    assert_eq!(
        self_grant,
        Err((StatusCode::FORBIDDEN, AppError::Forbidden))
    );
    assert_eq!(app.count("SELECT count(*) FROM role_grants").await, 0);

    let admin = app.admin("13900000006").await;
    let found: Vec<app::accounts::admin::UserSummary> = app
        .call(&admin, "admin/find_users", &[("query", "1381234")])
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].phone, "13812345678");
}

#[tokio::test]
async fn admins_grant_scoped_roles_and_revoke_them() {
    let app = TestApp::spawn().await;
    let manager = app.signed_up("13812345678").await;
    let admin = app.admin("13900000006").await;
    let building: i64 = sqlx::query_scalar("INSERT INTO places (name_zh, name_en, kinds, lat, lon) VALUES ('平高国际大厦', 'Pinggao', '{building}', 31.2407, 121.4426) RETURNING id").fetch_one(&app.pool).await.unwrap();
    let station: i64 = sqlx::query_scalar("INSERT INTO places (name_zh, name_en, kinds, lat, lon) VALUES ('新会片区党群服务站', 'Xinhui', '{service_station,lunch_point}', 31.2431, 121.4372) RETURNING id").fetch_one(&app.pool).await.unwrap();
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = '13812345678'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let uid = user_id.to_string();
    let grant = |role: &'static str, scope: String| {
        let (app, admin, uid) = (&app, &admin, uid.clone());
        async move {
            app.call::<()>(
                admin,
                "admin/grant_role",
                &[("user_id", &uid), ("role", role), ("scope", &scope)],
            )
            .await
        }
    };

    assert_eq!(
        grant("building_manager", String::new()).await,
        Err((
            StatusCode::BAD_REQUEST,
            invalid(Field::Scope, Problem::ScopeRequired)
        ))
    );
    assert_eq!(
        grant("building_manager", format!("place:{station}")).await,
        Err((
            StatusCode::BAD_REQUEST,
            invalid(Field::Scope, Problem::ScopeWrongKind)
        ))
    );
    assert_eq!(
        grant("admin", format!("place:{building}")).await,
        Err((
            StatusCode::BAD_REQUEST,
            invalid(Field::Scope, Problem::ScopeNotAllowed)
        ))
    );
    assert_eq!(
        grant("mayor", String::new()).await,
        Err((
            StatusCode::BAD_REQUEST,
            invalid(Field::Role, Problem::RoleUnknown)
        ))
    );
    assert_eq!(
        grant("department_staff", "department:999".into()).await,
        Err((
            StatusCode::BAD_REQUEST,
            invalid(Field::Scope, Problem::ScopeWrongKind)
        ))
    );

    grant("building_manager", format!("place:{building}"))
        .await
        .expect("grant");
    assert_eq!(
        grant("building_manager", format!("place:{building}")).await,
        Err((
            StatusCode::BAD_REQUEST,
            invalid(Field::Role, Problem::AlreadyGranted)
        ))
    );
    grant("station_staff", format!("place:{station}"))
        .await
        .expect("second role");

    let user = me(&app, &manager).await.unwrap();
    let roles: Vec<_> = user
        .roles
        .iter()
        .map(|g| (g.role, g.scope_name.clone()))
        .collect();
    assert_eq!(
        roles,
        vec![
            (
                app::accounts::roles::Role::BuildingManager,
                Some("平高国际大厦".to_owned())
            ),
            (
                app::accounts::roles::Role::StationStaff,
                Some("新会片区党群服务站".to_owned())
            ),
        ]
    );
    // A building manager is still no admin.
    assert_eq!(
        app.call::<serde_json::Value>(&manager, "admin/find_users", &[("query", "")])
            .await
            .unwrap_err()
            .1,
        AppError::Forbidden
    );

    let grant_id = user.roles[0].id.to_string();
    app.call::<()>(&admin, "admin/revoke_role", &[("grant_id", &grant_id)])
        .await
        .expect("revoke");
    assert_eq!(
        app.call::<()>(&admin, "admin/revoke_role", &[("grant_id", &grant_id)])
            .await,
        Err((StatusCode::NOT_FOUND, AppError::NotFound))
    );
    assert_eq!(me(&app, &manager).await.unwrap().roles.len(), 1);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action IN ('grant_role', 'revoke_role')")
            .await,
        3
    );
}
