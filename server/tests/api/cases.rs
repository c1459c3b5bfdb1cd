//! The case library against a real PostgreSQL: publishing masks personal data (and keeps
//! the original with the request), who may publish, search in Chinese, votes.

use crate::support;

use app::error::{AppError, Conflict, Field, Problem};
use app::knowledge::{
    CaseDetail, CaseDraft, CaseKind, CaseSummary, KnowledgeField, KnowledgeRefused,
};
use reqwest::{Client, StatusCode};
use support::TestApp;

const NUMBER: &str = "CS2026-000001";
const PHONE: &str = "13812345678";
const ID_CARD: &str = "11010519491231002X";

struct World {
    app: TestApp,
    department: i64,
    requester: Client,
    manager: Client,
    outsider: Client,
}

/// A resolved request by 张伟 of 上海星辰科技有限公司, full of personal data, routed to a
/// department; its building's manager; someone with no part in it.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let building = app.place("平高国际大厦", "{building}").await;
    let department: i64 = sqlx::query_scalar(
        "INSERT INTO departments (name_zh, name_en) VALUES ('房屋管理办事处', 'Housing office') RETURNING id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let requester = app.signed_up("13800000001").await;
    let manager = app.signed_up("13800000002").await;
    let outsider = app.signed_up("13800000003").await;
    sqlx::query(
        "INSERT INTO role_grants (user_id, role, place_id)
         SELECT id, 'building_manager', $1 FROM users WHERE phone = '13800000002'",
    )
    .bind(building)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::raw_sql(&format!(
        "UPDATE users SET display_name = '张伟' WHERE phone = '13800000001';
         INSERT INTO companies (building_id, name) VALUES ({building}, '上海星辰科技有限公司');
         INSERT INTO requests (number, requester_id, building_id, company_id, category_id, title,
                               description, status, submitted_at, first_response_due,
                               resolution_due, responded_at, resolved_at, summary)
         SELECT '{NUMBER}', u.id, {building}, co.id, k.id, '3楼空调不制冷',
                '张伟（上海星辰科技有限公司）反映：3楼空调不制冷，请拨打{PHONE}联系，身份证{ID_CARD}。',
                'resolved', now() - interval '2 days', now(), now() + interval '1 day',
                now() - interval '1 day', now(), '物业已更换压缩机，张先生确认制冷恢复。物业电话021-62345678。'
           FROM users u, companies co, request_categories k
          WHERE u.phone = '13800000001' AND k.code = 'property';
         INSERT INTO request_assignments (request_id, department_id, status, routed_at)
         SELECT id, {department}, 'answered', now() FROM requests WHERE number = '{NUMBER}';"
    ))
    .execute(&app.pool)
    .await
    .unwrap();
    World {
        app,
        department,
        requester,
        manager,
        outsider,
    }
}

impl World {
    async fn draft(
        &self,
        client: &Client,
        by_hand: &str,
    ) -> Result<CaseDraft, (StatusCode, AppError)> {
        self.app
            .call(
                client,
                "cases/draft",
                &[("request", NUMBER), ("by_hand", by_hand)],
            )
            .await
    }

    async fn publish(
        &self,
        client: &Client,
        title: &str,
        problem: &str,
        solution: &str,
    ) -> Result<i64, (StatusCode, AppError)> {
        self.app
            .call(
                client,
                "cases/publish",
                &[
                    ("request", NUMBER),
                    ("title", title),
                    ("problem", problem),
                    ("solution", solution),
                    ("by_hand", ""),
                ],
            )
            .await
    }

    async fn search(&self, fields: &[(&str, &str)]) -> Vec<String> {
        let found: Vec<CaseSummary> = self
            .app
            .call(&TestApp::client(), "cases/search", fields)
            .await
            .unwrap();
        found.into_iter().map(|c| c.title).collect()
    }
}

#[tokio::test]
async fn publishing_masks_personal_data_and_the_original_stays_with_the_request() {
    let w = world().await;
    // Only staff with a part in it: not the requester, not someone else.
    for client in [&w.requester, &w.outsider] {
        assert_eq!(
            w.draft(client, "").await.unwrap_err().0,
            StatusCode::FORBIDDEN
        );
    }
    let draft = w.draft(&w.manager, "").await.unwrap();
    // The editor sees the original beside the masked text.
    assert!(draft.original.problem.contains(PHONE));
    assert_eq!(
        draft.masked.problem,
        "[姓名]（[单位]）反映：3楼空调不制冷，请拨打[手机号]联系，身份证[身份证号]。"
    );
    assert_eq!(
        draft.masked.solution,
        "物业已更换压缩机，[姓名]确认制冷恢复。物业电话[电话]。"
    );
    assert_eq!(
        draft.hidden,
        ["[姓名]", "[单位]", "[手机号]", "[身份证号]", "[电话]"]
    );
    assert_eq!(draft.departments, ["房屋管理办事处"]);
    // More is hidden by hand.
    let more = w.draft(&w.manager, "3楼\n").await.unwrap();
    assert_eq!(more.masked.title, "[已隐去]空调不制冷");

    // What the editor sends is masked again: a number typed back in does not get through.
    let problem = format!("{}（回电{PHONE}）", draft.masked.problem);
    let id = w
        .publish(
            &w.manager,
            &draft.masked.title,
            &problem,
            &draft.masked.solution,
        )
        .await
        .unwrap();
    let leaked = w
        .app
        .count(&format!(
            "SELECT count(*) FROM cases
              WHERE title || problem || solution ~ '{PHONE}|{ID_CARD}|张伟|星辰科技|62345678'"
        ))
        .await;
    assert_eq!(leaked, 0, "no personal data in any case");
    let original = w
        .app
        .count(&format!(
            "SELECT count(*) FROM requests WHERE number = '{NUMBER}' AND description LIKE '%{PHONE}%'"
        ))
        .await;
    assert_eq!(original, 1, "the request keeps its original");
    let case: CaseDetail = w
        .app
        .call(&TestApp::client(), "cases/get", &[("id", &id.to_string())])
        .await
        .unwrap();
    assert!(case.problem.ends_with("（回电[手机号]）"));
    assert_eq!(case.departments, ["房屋管理办事处"]);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_log WHERE action = 'cases.publish'")
            .await,
        1
    );

    // Once only.
    let already = (
        StatusCode::CONFLICT,
        AppError::Conflict(Conflict::Knowledge(KnowledgeRefused::AlreadyPublished)),
    );
    assert_eq!(w.draft(&w.manager, "").await.unwrap_err(), already);
    assert_eq!(
        w.publish(&w.manager, "标题", "问题描述", "解决办法")
            .await
            .unwrap_err(),
        already
    );
}

#[tokio::test]
async fn only_a_resolved_request_with_a_good_form_becomes_a_case() {
    let w = world().await;
    assert_eq!(
        w.publish(&w.manager, " ", "问题描述", "解决办法")
            .await
            .unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(Field::Knowledge(KnowledgeField::Title), Problem::Required)
        )
    );
    sqlx::query("UPDATE requests SET status = 'routed', resolved_at = NULL")
        .execute(&w.app.pool)
        .await
        .unwrap();
    assert_eq!(
        w.draft(&w.manager, "").await.unwrap_err(),
        (
            StatusCode::CONFLICT,
            AppError::Conflict(Conflict::Knowledge(KnowledgeRefused::NotResolved))
        )
    );
    assert_eq!(w.app.count("SELECT count(*) FROM cases").await, 0);
}

/// Cases as staff would have published them, with their grams.
async fn seed_cases(w: &World) {
    let cases = [
        (
            "空调不制冷",
            "办公室空调不制冷，温度降不下来。",
            "物业更换了压缩机。",
            "property",
        ),
        (
            "电梯困人",
            "早高峰电梯停在两层之间。",
            "维保单位到场解困并检修。",
            "safety",
        ),
        (
            "人才落户材料",
            "应届生落户需要哪些材料？",
            "携带学历证明和劳动合同到社区事务受理中心。",
            "talent",
        ),
    ];
    for (title, problem, solution, category) in cases {
        let grams = app::requests::similar::bigrams(&format!("{title} {problem} {solution}"));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (category_id, title, problem, solution, bigrams)
             SELECT id, $1, $2, $3, $4 FROM request_categories WHERE code = $5 RETURNING id",
        )
        .bind(title)
        .bind(problem)
        .bind(solution)
        .bind(&grams)
        .bind(category)
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
        if category == "property" {
            sqlx::query("INSERT INTO case_departments VALUES ($1, $2)")
                .bind(id)
                .bind(w.department)
                .execute(&w.app.pool)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn search_in_chinese_matches_parts_of_words_and_filters() {
    let w = world().await;
    seed_cases(&w).await;
    // Part of a word, no spaces: 制冷 in 不制冷.
    assert_eq!(w.search(&[("q", "制冷")]).await, ["空调不制冷"]);
    assert_eq!(
        w.search(&[("q", "空调坏了不制冷怎么办")]).await,
        ["空调不制冷"]
    );
    // One character is looked for as it is.
    assert_eq!(w.search(&[("q", "梯")]).await, ["电梯困人"]);
    assert_eq!(w.search(&[("q", "落户 材料")]).await, ["人才落户材料"]);
    assert!(w.search(&[("q", "火星探测")]).await.is_empty());
    // No query: the newest, filtered.
    assert_eq!(w.search(&[]).await.len(), 3);
    let department = w.department.to_string();
    assert_eq!(
        w.search(&[("department", &department)]).await,
        ["空调不制冷"]
    );
    let talent: i64 = sqlx::query_scalar("SELECT id FROM request_categories WHERE code = 'talent'")
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
    assert_eq!(
        w.search(&[("category", &talent.to_string()), ("q", "材料")])
            .await,
        ["人才落户材料"]
    );
    assert!(w
        .search(&[("category", &talent.to_string()), ("q", "空调")])
        .await
        .is_empty());
    // Hostile input is a query like any other.
    assert!(w.search(&[("q", &"%_'\\".repeat(200))]).await.is_empty());
}

#[tokio::test]
async fn readers_say_whether_a_case_helped_once_each() {
    let w = world().await;
    seed_cases(&w).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE title = '空调不制冷'")
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
    let id = id.to_string();
    let vote = |client: &Client, fields: Vec<(&'static str, &'static str)>| {
        let (client, id, app) = (client.clone(), id.clone(), &w.app);
        async move {
            let mut all = vec![("case", id.as_str())];
            all.extend(fields);
            app.call::<i64>(&client, "cases/vote", &all).await
        }
    };
    assert_eq!(
        vote(&TestApp::client(), vec![("helpful", "yes")])
            .await
            .unwrap_err()
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(vote(&w.requester, vec![("helpful", "yes")]).await, Ok(1));
    // A second answer replaces the first.
    assert_eq!(vote(&w.requester, vec![("helpful", "no")]).await, Ok(0));
    assert_eq!(vote(&w.outsider, vec![("answered", "yes")]).await, Ok(1));
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM case_votes WHERE answered AND helpful")
            .await,
        1,
        "a question answered without dispatch"
    );
    assert_eq!(
        w.app
            .call::<i64>(
                &w.outsider,
                "cases/vote",
                &[("case", "999999"), ("helpful", "yes")]
            )
            .await
            .unwrap_err()
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_answered_consultation_becomes_a_masked_q_and_a_entry_with_one_click() {
    let w = world().await;
    let publish = |client: &Client| {
        let (client, app) = (client.clone(), &w.app);
        async move {
            app.call::<i64>(&client, "cases/publish_question", &[("request", NUMBER)])
                .await
        }
    };
    // A property problem is a case, not a question.
    assert_eq!(
        publish(&w.manager).await.unwrap_err(),
        (
            StatusCode::CONFLICT,
            AppError::Conflict(Conflict::Knowledge(KnowledgeRefused::NotAQuestion))
        )
    );
    sqlx::query(
        "UPDATE requests SET category_id = (SELECT id FROM request_categories WHERE code = 'consultation')",
    )
    .execute(&w.app.pool)
    .await
    .unwrap();
    assert_eq!(
        publish(&w.outsider).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    let id = publish(&w.manager).await.unwrap();
    let entry: CaseDetail = w
        .app
        .call(&TestApp::client(), "cases/get", &[("id", &id.to_string())])
        .await
        .unwrap();
    assert_eq!(entry.kind, CaseKind::Question);
    assert!(!entry.problem.contains(PHONE) && entry.problem.contains("[手机号]"));
    assert!(!entry.solution.contains("张先生"));
    // Listed among the questions, not the cases.
    assert_eq!(w.search(&[("kind", "qa")]).await, ["3楼空调不制冷"]);
    assert!(w.search(&[("kind", "case")]).await.is_empty());
    assert_eq!(
        publish(&w.manager).await.unwrap_err().0,
        StatusCode::CONFLICT,
        "once only"
    );
}

#[tokio::test]
async fn a_problem_being_typed_finds_published_answers_like_it() {
    let w = world().await;
    seed_cases(&w).await;
    let matching = |text: &str| {
        let (text, app) = (text.to_owned(), &w.app);
        async move {
            let found: Vec<CaseSummary> = app
                .call(&TestApp::client(), "cases/matching", &[("text", &text)])
                .await
                .unwrap();
            found.into_iter().map(|c| c.title).collect::<Vec<_>>()
        }
    };
    assert_eq!(matching("我们办公室的空调一直不制冷").await, ["空调不制冷"]);
    assert_eq!(matching("电梯").await, ["电梯困人"]);
    assert!(matching("今天天气不错").await.is_empty());
    assert!(matching("").await.is_empty());
}
