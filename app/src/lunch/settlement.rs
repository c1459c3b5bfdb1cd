//! Monthly settlement (结算): per merchant and day, the portions sold and who paid what —
//! list price, the merchant's discount, the subsidy the subdistrict owes, what workers paid.
//! Every figure is a sum of the orders themselves, so it adds up to the fen. For the
//! subdistrict admin (every merchant) and each merchant (their own).

use super::price::yuan;
use super::texts::LunchText as T;
use crate::error::AppError;
use crate::i18n::t;
use crate::ui::Loaded;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// One merchant's sales on one day (or, in totals, over the month: `day` is `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementRow {
    pub merchant: String,
    pub day: Option<i32>,
    pub portions: i64,
    pub list_fen: i64,
    pub discount_fen: i64,
    pub subsidy_fen: i64,
    pub pay_fen: i64,
}

impl SettlementRow {
    fn add(&mut self, other: &SettlementRow) {
        self.portions += other.portions;
        self.list_fen += other.list_fen;
        self.discount_fen += other.discount_fen;
        self.subsidy_fen += other.subsidy_fen;
        self.pay_fen += other.pay_fen;
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub month: String,
    pub days: Vec<SettlementRow>,
    /// One row per merchant, then the grand total (merchant empty).
    pub totals: Vec<SettlementRow>,
}

/// Per-merchant totals of `days` (sorted by merchant), then the grand total.
pub fn totals(days: &[SettlementRow]) -> Vec<SettlementRow> {
    let mut totals: Vec<SettlementRow> = Vec::new();
    let mut grand = SettlementRow::default();
    for row in days {
        match totals.last_mut() {
            Some(last) if last.merchant == row.merchant => last.add(row),
            _ => {
                let mut first = row.clone();
                first.day = None;
                totals.push(first);
            }
        }
        grand.add(row);
    }
    totals.push(grand);
    totals
}

/// "2026-11" as the day numbers of its first day and of the next month's first day.
pub fn parse_month(text: &str) -> Option<(i32, i32)> {
    let (y, m) = text.trim().split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) {
        return None;
    }
    let first = crate::map::hours::parse_date(&format!("{y:04}-{m:02}-01"))?;
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let next = crate::map::hours::parse_date(&format!("{ny:04}-{nm:02}-01"))?;
    Some((first, next))
}

/// The settlement of `month` ("" is this month) that the reader may see.
#[server(endpoint = "lunch_settlement", output = crate::codec::Json)]
pub async fn lunch_settlement(month: String) -> Result<Settlement, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let month = match month.trim() {
        "" => crate::map::hours::format_date(caller.state.clock.shanghai_now().day)[..7].to_owned(),
        m => m.to_owned(),
    };
    store::settlement(&caller, &month, crate::state::request_locale()).await
}

#[cfg(feature = "ssr")]
pub mod store {
    use super::*;
    use crate::accounts::auth::Caller;
    use crate::accounts::roles::{is_admin, Role};
    use crate::i18n::Locale;
    use crate::lunch::{invalid_because, LunchField, LunchProblem};
    use sqlx::Row;

    pub async fn settlement(
        caller: &Caller,
        month: &str,
        locale: Locale,
    ) -> Result<Settlement, AppError> {
        let (first, next) = parse_month(month)
            .ok_or_else(|| invalid_because(LunchField::Month, LunchProblem::MonthFormat))?;
        // The admin settles every merchant; a merchant sees their own lunch points'.
        let all = is_admin(&caller.grants);
        let places = crate::accounts::roles::places_held(&caller.grants, &[Role::Partner]);
        if !all && places.is_empty() {
            return Err(AppError::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT CASE WHEN $5 THEN m.name_zh ELSE m.name_en END AS merchant,
                    (o.day - DATE '1970-01-01') AS day, sum(o.quantity) AS portions,
                    sum(o.list_fen) AS list_fen, sum(o.discount_fen) AS discount_fen,
                    sum(o.subsidy_fen) AS subsidy_fen, sum(o.pay_fen) AS pay_fen
               FROM lunch_orders o
               JOIN lunch_points lp ON lp.place_id = o.lunch_point_id
               JOIN merchants m ON m.id = lp.merchant_id
              WHERE o.status <> 'cancelled'
                AND o.day >= DATE '1970-01-01' + $1::int AND o.day < DATE '1970-01-01' + $2::int
                AND ($3 OR lp.merchant_id IN (SELECT merchant_id FROM lunch_points
                                               WHERE place_id = ANY ($4)))
              GROUP BY m.id, merchant, o.day
              ORDER BY merchant, o.day",
        )
        .bind(first)
        .bind(next)
        .bind(all)
        .bind(&places)
        .bind(locale == Locale::Zh)
        .fetch_all(&caller.state.pool)
        .await?;
        let days: Vec<SettlementRow> = rows
            .iter()
            .map(|row| SettlementRow {
                merchant: row.get("merchant"),
                day: Some(row.get("day")),
                portions: row.get("portions"),
                list_fen: row.get("list_fen"),
                discount_fen: row.get("discount_fen"),
                subsidy_fen: row.get("subsidy_fen"),
                pay_fen: row.get("pay_fen"),
            })
            .collect();
        Ok(Settlement {
            month: month.to_owned(),
            totals: totals(&days),
            days,
        })
    }

    /// `GET /lunch/settlement.csv?month=2026-11`: the same figures as a spreadsheet.
    pub async fn csv(
        axum::extract::State(state): axum::extract::State<crate::state::AppState>,
        headers: http::HeaderMap,
        axum::extract::Query(query): axum::extract::Query<
            std::collections::HashMap<String, String>,
        >,
    ) -> axum::response::Response {
        let month = query.get("month").cloned().unwrap_or_default();
        crate::csv::download(&state, &headers, |caller, locale| async move {
            let settlement = settlement(&caller, &month, locale).await?;
            let money = |fen: i64| yuan(fen as i32);
            let header = [
                locale.text(T::Merchant),
                locale.text(T::FieldDay),
                locale.text(T::PortionsSold),
                locale.text(T::ListPrice),
                locale.text(T::MerchantDiscount),
                locale.text(T::Subsidy),
                locale.text(T::YouPay),
            ];
            let rows = settlement.days.iter().chain(&settlement.totals).map(|r| {
                vec![
                    r.merchant.clone(),
                    r.day
                        .map(crate::map::hours::format_date)
                        .unwrap_or_else(|| locale.text(T::Total).into()),
                    r.portions.to_string(),
                    money(r.list_fen),
                    money(r.discount_fen),
                    money(r.subsidy_fen),
                    money(r.pay_fen),
                ]
            });
            Ok((
                format!("lunch-settlement-{}.csv", settlement.month),
                crate::csv::document(&header, rows),
            ))
        })
        .await
    }
}

/// `/lunch/settlement?month=2026-11`.
#[component]
pub fn SettlementPage() -> impl IntoView {
    let query = use_query_map();
    let month = move || query.with(|q| q.get("month").unwrap_or_default());
    let settlement = Resource::new(month, lunch_settlement);
    view! {
        <crate::accounts::views::RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::Settlement)}</h1>
                <form method="get" class="flex items-end gap-2">
                    <label class="block">
                        <span class="label">{t(T::FieldMonth)}</span>
                        <input type="month" name="month" class="input" value=month />
                    </label>
                    <button type="submit" class="btn-secondary">{t(T::Show)}</button>
                </form>
                <Loaded resource=settlement show={|s: Settlement| view! { <SettlementTable s /> }} />
            </section>
        } />
    }
}

#[component]
fn SettlementTable(s: Settlement) -> impl IntoView {
    let row = |r: SettlementRow, total: bool| {
        let class = if total {
            "font-semibold border-t border-slate-300"
        } else {
            ""
        };
        view! {
            <tr class=class>
                <td>{if r.merchant.is_empty() { t(T::Total).to_owned() } else { r.merchant }}</td>
                <td>{r.day.map(crate::map::hours::format_date).unwrap_or_else(|| t(T::Total).to_owned())}</td>
                <td class="text-right">{r.portions}</td>
                <td class="text-right">{yuan(r.list_fen as i32)}</td>
                <td class="text-right">{yuan(r.discount_fen as i32)}</td>
                <td class="text-right">{yuan(r.subsidy_fen as i32)}</td>
                <td class="text-right">{yuan(r.pay_fen as i32)}</td>
            </tr>
        }
    };
    let csv = format!("/lunch/settlement.csv?month={}", s.month);
    if s.days.is_empty() {
        return view! { <div class="card"><p class="muted">{t(T::NoSales)}</p></div> }.into_any();
    }
    view! {
        <a class="btn-secondary" href=csv rel="external" download="">{t(T::DownloadCsv)}</a>
        <div class="card overflow-x-auto">
            <table class="w-full text-sm" data-testid="settlement">
                <thead><tr>
                    <th class="text-left">{t(T::Merchant)}</th>
                    <th class="text-left">{t(T::FieldDay)}</th>
                    <th class="text-right">{t(T::PortionsSold)}</th>
                    <th class="text-right">{t(T::ListPrice)}</th>
                    <th class="text-right">{t(T::MerchantDiscount)}</th>
                    <th class="text-right">{t(T::Subsidy)}</th>
                    <th class="text-right">{t(T::YouPay)}</th>
                </tr></thead>
                <tbody>
                    {s.days.into_iter().map(|r| row(r, false)).collect_view()}
                    {s.totals.into_iter().map(|r| row(r, true)).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(merchant: &str, day: i32, portions: i64, pay: i64) -> SettlementRow {
        SettlementRow {
            merchant: merchant.into(),
            day: Some(day),
            portions,
            list_fen: portions * 2500,
            discount_fen: portions * 300,
            subsidy_fen: portions * 500,
            pay_fen: pay,
        }
    }

    #[test]
    fn totals_add_up_per_merchant_and_overall() {
        let days = [
            row("A", 1, 2, 3400),
            row("A", 2, 1, 1700),
            row("B", 1, 4, 6800),
        ];
        let totals = totals(&days);
        assert_eq!(totals.len(), 3);
        assert_eq!(
            (
                totals[0].merchant.as_str(),
                totals[0].portions,
                totals[0].pay_fen
            ),
            ("A", 3, 5100)
        );
        assert_eq!(totals[0].day, None);
        assert_eq!((totals[1].portions, totals[1].list_fen), (4, 10_000));
        assert_eq!(
            (totals[2].portions, totals[2].pay_fen, totals[2].subsidy_fen),
            (7, 11_900, 3500)
        );
    }

    #[test]
    fn months_parse_to_their_days() {
        let (first, next) = parse_month("2026-11").unwrap();
        assert_eq!(crate::map::hours::format_date(first), "2026-11-01");
        assert_eq!(crate::map::hours::format_date(next), "2026-12-01");
        let (_, next) = parse_month("2026-12").unwrap();
        assert_eq!(crate::map::hours::format_date(next), "2027-01-01");
        for bad in ["", "2026", "2026-13", "2026-0", "十一月", "1999-01"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }
}
