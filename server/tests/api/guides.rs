//! The service hall against a real PostgreSQL: guides listed and linked from their place,
//! edited by the admin only, with every field checked and every change audited.

use crate::support;

use app::error::{AppError, Field, Problem};
use app::knowledge::guides::{Guide, GuideSummary};
use app::knowledge::{KnowledgeField, KnowledgeProblem};
use reqwest::{Client, StatusCode};
use support::TestApp;

async fn save(
    app: &TestApp,
    client: &Client,
    changes: &[(&str, &str)],
) -> Result<i64, (StatusCode, AppError)> {
    let category: i64 =
        sqlx::query_scalar("SELECT id FROM request_categories WHERE code = 'business'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let category = category.to_string();
    let mut fields = vec![
        ("category", category.as_str()),
        ("title", "企业注册地址变更"),
        ("steps", "在一网通办填写申请\n上传租赁合同\n领取新执照"),
        ("materials", "申请书\n租赁合同"),
        ("hours", "工作日 9:00-17:00"),
        ("online_url", "https://zwdt.sh.gov.cn"),
    ];
    fields.retain(|(name, _)| !changes.iter().any(|(n, _)| n == name));
    fields.extend_from_slice(changes);
    app.call(client, "guides/save", &fields).await
}

#[tokio::test]
async fn the_admin_writes_guides_that_everyone_reads_and_their_place_links_back() {
    let app = TestApp::spawn().await;
    let station = app
        .place("苏河党群服务站", "{service_station}")
        .await
        .to_string();
    let admin = app.admin("13800000006").await;
    let resident = app.signed_up("13800000001").await;

    assert_eq!(
        save(&app, &resident, &[]).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        save(&app, &admin, &[("online_url", "http://zwdt.sh.gov.cn")])
            .await
            .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(
                Field::Knowledge(KnowledgeField::OnlineUrl),
                Problem::Knowledge(KnowledgeProblem::HttpsLink)
            )
        )
    );
    assert_eq!(
        save(&app, &admin, &[("place", "999999")])
            .await
            .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(Field::Knowledge(KnowledgeField::Place), Problem::Required)
        )
    );
    assert_eq!(app.count("SELECT count(*) FROM guides").await, 0);

    let id = save(&app, &admin, &[("place", &station)]).await.unwrap();
    let anyone = TestApp::client();
    let guide: Guide = app
        .call(&anyone, "guides/get", &[("id", &id.to_string())])
        .await
        .unwrap();
    assert_eq!(
        guide.steps,
        ["在一网通办填写申请", "上传租赁合同", "领取新执照"]
    );
    assert_eq!(guide.place.as_deref(), Some("苏河党群服务站"));
    let here: Vec<GuideSummary> = app
        .call(&anyone, "guides/at", &[("place", &station)])
        .await
        .unwrap();
    assert_eq!(here.len(), 1, "the place's page lists the guide");

    // A change keeps what it was before in the audit log.
    let edited = save(
        &app,
        &admin,
        &[
            ("id", &id.to_string()),
            ("title", "注册地址变更登记"),
            ("place", &station),
        ],
    )
    .await
    .unwrap();
    assert_eq!(edited, id);
    let list: Vec<GuideSummary> = app.call(&anyone, "guides/list", &[]).await.unwrap();
    assert_eq!(
        list.iter().map(|g| g.title.as_str()).collect::<Vec<_>>(),
        ["注册地址变更登记"]
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_log WHERE action = 'guides.edit'
                AND detail->'before'->>'title' = '企业注册地址变更'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'guides.add'")
            .await,
        1
    );
    assert_eq!(
        save(&app, &admin, &[("id", "999999")]).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
}
