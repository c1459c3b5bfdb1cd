//! Demo data for Changshou Road, loaded into an empty database unless `ZD_DEMO_DATA=off`.
//! Names from the source article are real; the rest are plausible and every row is marked
//! `is_demo`. The demo accounts are listed in the README.

use crate::demo_places::{MEMBERS, PLACES};
use app::accounts::auth::hash_password;
use app::map::admin::PlaceForm;
use app::map::kinds::PlaceKind;
use app::map::store;
use sqlx::{PgPool, Postgres, Transaction};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Demo-2026";

/// (phone, display name, role, scope): one account per role.
pub const DEMO_ACCOUNTS: &[(&str, &str, Option<&str>, Option<DemoScope>)] = &[
    ("13900000001", "演示居民 小王", None, None),
    (
        "13900000002",
        "演示楼长 李楼长",
        Some("building_manager"),
        Some(DemoScope::Place("平高国际大厦")),
    ),
    (
        "13900000003",
        "演示部门 赵科员",
        Some("department_staff"),
        Some(DemoScope::Department("街道营商服务办公室")),
    ),
    (
        "13900000004",
        "演示站点 陈站长",
        Some("station_staff"),
        Some(DemoScope::Place("新会片区党群服务站")),
    ),
    (
        "13900000005",
        "演示共建单位 盒马",
        Some("partner"),
        Some(DemoScope::Place("盒马鲜生（长寿路店）")),
    ),
    ("13900000006", "演示管理员 周主任", Some("admin"), None),
    ("13900000007", "演示白领 小李", None, None),
];

#[derive(Clone, Copy, Debug)]
pub enum DemoScope {
    Place(&'static str),
    Department(&'static str),
}

const DEPARTMENTS: &[(&str, &str)] = &[
    ("街道营商服务办公室", "Subdistrict Business Service Office"),
    ("城市管理执法中队", "Urban Management Enforcement Squad"),
    ("市场监督管理所", "Market Supervision Office"),
    ("长寿路派出所", "Changshou Road Police Station"),
    ("社区事务受理服务中心", "Community Affairs Service Centre"),
    ("房屋管理办事处", "Housing Management Office"),
];

/// Loads the demo data if the database has no users yet. Returns whether it did.
pub async fn load_if_empty(pool: &PgPool) -> Result<bool, String> {
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    // One loader at a time, even with several server processes starting together.
    sqlx::query("SELECT pg_advisory_xact_lock(20261126)")
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    let has_users: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users)")
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    if has_users {
        return Ok(false);
    }
    load(&mut tx)
        .await
        .map_err(|e| format!("loading demo data failed: {e}"))?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(true)
}

async fn load(tx: &mut Transaction<'_, Postgres>) -> Result<(), Box<dyn std::error::Error>> {
    for (zh, en) in DEPARTMENTS {
        sqlx::query("INSERT INTO departments (name_zh, name_en, is_demo) VALUES ($1, $2, true)")
            .bind(zh)
            .bind(en)
            .execute(&mut **tx)
            .await?;
    }
    for place in PLACES {
        // Demo places pass the same checks as an admin's edits.
        let form = PlaceForm {
            name_zh: place.name_zh.into(),
            name_en: place.name_en.into(),
            kinds: place
                .kinds
                .iter()
                .filter_map(|k| PlaceKind::parse(k))
                .collect(),
            address_zh: place.address_zh.into(),
            address_en: place.address_en.into(),
            lat: place.lat.to_string(),
            lon: place.lon.to_string(),
            phone: place.phone.into(),
            description_zh: place.description_zh.into(),
            description_en: place.description_en.into(),
            services: place.services.join("、"),
            hours: place.hours.into(),
            exceptions: String::new(),
        };
        let input = form
            .parse()
            .map_err(|e| format!("{}: {e}", place.name_zh))?;
        let (id, _) = store::write(&mut **tx, None, &input, true).await?;
        for (zh, en) in place.offers {
            sqlx::query(
                "INSERT INTO place_offers (place_id, title_zh, title_en) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(zh)
            .bind(en)
            .execute(&mut **tx)
            .await?;
        }
    }
    for (committee, members) in MEMBERS {
        sqlx::query(
            "INSERT INTO place_members (committee_id, member_id)
             SELECT c.id, m.id FROM places c JOIN places m ON m.name_zh = ANY ($2)
              WHERE c.name_zh = $1",
        )
        .bind(committee)
        .bind(members)
        .execute(&mut **tx)
        .await?;
    }
    let hash = hash_password(DEMO_PASSWORD.to_owned()).await?;
    for (phone, name, role, scope) in DEMO_ACCOUNTS {
        let user_id: i64 = sqlx::query_scalar(
            "INSERT INTO users (phone, display_name, password_hash, is_demo)
             VALUES ($1, $2, $3, true) RETURNING id",
        )
        .bind(phone)
        .bind(name)
        .bind(&hash)
        .fetch_one(&mut **tx)
        .await?;
        let Some(role) = role else { continue };
        let (place, department) = match scope {
            Some(DemoScope::Place(name)) => (Some(*name), None),
            Some(DemoScope::Department(name)) => (None, Some(*name)),
            None => (None, None),
        };
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, place_id, department_id)
             VALUES ($1, $2, (SELECT id FROM places WHERE name_zh = $3),
                     (SELECT id FROM departments WHERE name_zh = $4))",
        )
        .bind(user_id)
        .bind(role)
        .bind(place)
        .bind(department)
        .execute(&mut **tx)
        .await?;
    }
    load_requests(tx).await?;
    load_cases(tx).await?;
    sqlx::raw_sql(include_str!("../demo/guides.sql"))
        .execute(&mut **tx)
        .await?;
    sqlx::raw_sql(include_str!("../demo/lunch.sql"))
        .execute(&mut **tx)
        .await?;
    sqlx::raw_sql(include_str!("../demo/lunch_history.sql"))
        .execute(&mut **tx)
        .await?;
    sqlx::raw_sql(include_str!("../demo/points.sql"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Published cases (案例查询, `demo/cases.tsv`) and Q&A entries (你问我答,
/// `demo/questions.tsv`), written free of personal data, one published every few days over
/// the past months.
async fn load_cases(tx: &mut Transaction<'_, Postgres>) -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        ("cases.tsv", "case", include_str!("../demo/cases.tsv")),
        ("questions.tsv", "qa", include_str!("../demo/questions.tsv")),
    ];
    for (file, kind, rows) in files {
        for (i, line) in rows.lines().skip(1).enumerate() {
            let [category, department, title, problem, solution] =
                line.split('\t').collect::<Vec<_>>()[..]
            else {
                return Err(format!("demo/{file} line {}: five columns", i + 2).into());
            };
            let grams = app::requests::similar::bigrams(&format!("{title} {problem} {solution}"));
            sqlx::query(
                "WITH c AS (
                     INSERT INTO cases (kind, category_id, title, problem, solution, bigrams,
                                        published_at, is_demo)
                     SELECT $8, id, $2, $3, $4, $5, now() - make_interval(days => $6), true
                       FROM request_categories WHERE code = $1
                     RETURNING id)
                 INSERT INTO case_departments (case_id, department_id)
                 SELECT c.id, d.id FROM c, departments d WHERE d.name_zh = $7",
            )
            .bind(category)
            .bind(title)
            .bind(problem)
            .bind(solution)
            .bind(&grams)
            .bind(3 + 4 * i as i32)
            .bind(department)
            .bind(kind)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Problems to the building manager: categories' departments, companies, a history of
/// resolved requests (the paraphrase test set's requests) and two open ones in the demo
/// building manager's building.
async fn load_requests(
    tx: &mut Transaction<'_, Postgres>,
) -> Result<(), Box<dyn std::error::Error>> {
    use app::lunch::window::shanghai_day;
    use app::map::hours::format_date;
    use app::requests::{number::format_number, similar::bigrams, store::load_calendar};
    sqlx::raw_sql(include_str!("../demo/requests.sql"))
        .execute(&mut **tx)
        .await?;
    let user = |phone: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE phone = $1").bind(phone)
    };
    let worker = user("13900000007").fetch_one(&mut **tx).await?;
    let resident = user("13900000001").fetch_one(&mut **tx).await?;
    let manager = user("13900000002").fetch_one(&mut **tx).await?;
    let buildings: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM places WHERE 'building' = ANY (kinds) ORDER BY id")
            .fetch_all(&mut **tx)
            .await?;
    let home: i64 = sqlx::query_scalar("SELECT id FROM places WHERE name_zh = '平高国际大厦'")
        .fetch_one(&mut **tx)
        .await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let calendar = load_calendar(&mut **tx).await?;
    let year: i32 = format_date(shanghai_day(now))[..4].parse()?;
    let mut seq = 0;
    let rows = include_str!("../../app/src/requests/paraphrases.tsv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            Some((cols.next()?, cols.next()?, cols.next()?))
        });
    for (i, (category, title, description)) in rows.enumerate() {
        seq += 1;
        let building = buildings[(i * 7) % buildings.len()];
        let answer = format!("已核实处理：{title}。如仍有问题，请再联系楼长。");
        sqlx::query(include_str!("../demo/resolved_request.sql"))
            .bind(format_number(year, seq))
            .bind(worker)
            .bind(building)
            .bind(category)
            .bind(title)
            .bind(description)
            .bind(bigrams(&format!("{title}\n{description}")))
            .bind((now - (i as i64 + 3) * 86_400 * 3 / 2) as f64)
            .bind((building == home).then_some(manager))
            .bind(&answer)
            .execute(&mut **tx)
            .await?;
    }
    let department: i64 =
        sqlx::query_scalar("SELECT id FROM departments WHERE name_zh = '街道营商服务办公室'")
            .fetch_one(&mut **tx)
            .await?;
    let open = [
        (
            "property",
            "电梯早高峰排队太久",
            "早上八点半到九点，大堂电梯排队要十分钟以上，能否错峰或增开电梯？",
            None,
            3 * 3600,
        ),
        (
            "policy",
            "小微企业房租补贴怎么申请",
            "我们公司 20 人，去年搬进平高国际大厦，想了解街道的房租补贴政策和申请材料。",
            Some(department),
            26 * 3600,
        ),
    ];
    for (category, title, description, routed_to, age) in open {
        seq += 1;
        let submitted = now - age;
        let (first, resolution): (i32, i32) = sqlx::query_as(
            "SELECT first_response_minutes, resolution_minutes FROM request_categories WHERE code = $1",
        )
        .bind(category)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(include_str!("../demo/open_request.sql"))
            .bind(format_number(year, seq))
            .bind(resident)
            .bind(home)
            .bind(category)
            .bind(title)
            .bind(description)
            .bind(bigrams(&format!("{title}\n{description}")))
            .bind(submitted as f64)
            .bind(calendar.add_working_minutes(submitted, first as u32) as f64)
            .bind(calendar.add_working_minutes(submitted, resolution as u32) as f64)
            .bind(routed_to)
            .bind(manager)
            .execute(&mut **tx)
            .await?;
    }
    // A year of history after the hand-written requests, whose numbers the browser tests
    // know.
    let counters = crate::demo_history::load(tx, &calendar, now, (year, seq as i32)).await?;
    for (year, last) in counters {
        sqlx::query("INSERT INTO request_counters (year, last) VALUES ($1, $2)")
            .bind(year)
            .bind(last)
            .execute(&mut **tx)
            .await?;
    }
    app::requests::store::fill_work_minutes(&mut **tx, &calendar, None).await?;
    Ok(())
}
