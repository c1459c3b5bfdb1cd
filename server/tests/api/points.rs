//! Volunteer points against a real PostgreSQL: capacity and the waiting list under
//! concurrency, check-in by rotating signed codes (replays, forgeries, offline scans, the
//! geofence), the ledger's invariant, and the redemption races.

use crate::support;

use app::error::{AppError, Conflict, Field, Problem};
use app::points::{
    Activity, Checked, MyPoints, OfferedReward, PointsField, PointsProblem, PointsRefused,
    Redemption, RedemptionStatus, Roster, ShownCode, SignupStatus,
};
use app::state::Clock;
use reqwest::{Client, StatusCode};
use support::TestApp;

/// 2026-12-05 in Shanghai; the activity runs 09:00–11:00 there.
const DAY: i64 = 20_792;

fn at(minute: i64) -> Clock {
    Clock::Fixed {
        unix_secs: DAY * 86_400 + minute * 60 - 8 * 3600,
    }
}

const NINE: i64 = 9 * 60;

struct World {
    app: TestApp,
    venue: i64,
    partner: i64,
    organiser: Client,
}

async fn world(minute: i64) -> World {
    let app = TestApp::spawn_with_clock(&support::fresh_database().await, at(minute)).await;
    let venue = app.place("苏河党群服务站", "{service_station}").await;
    let partner = app.place("共建书店", "{partner_unit}").await;
    let organiser = app.signed_up("13800000009").await;
    grant(&app, "13800000009", "station_staff", venue).await;
    World {
        app,
        venue,
        partner,
        organiser,
    }
}

async fn grant(app: &TestApp, phone: &str, role: &str, place: i64) {
    sqlx::query(
        "INSERT INTO role_grants (user_id, role, place_id) SELECT id, $2, $3 FROM users WHERE phone = $1",
    )
    .bind(phone)
    .bind(role)
    .bind(place)
    .execute(&app.pool)
    .await
    .unwrap();
}

fn points_error(field: PointsField, problem: PointsProblem) -> (StatusCode, AppError) {
    (
        StatusCode::BAD_REQUEST,
        AppError::invalid(Field::Points(field), Problem::Points(problem)),
    )
}

fn refusal(reason: PointsRefused) -> (StatusCode, AppError) {
    (
        StatusCode::CONFLICT,
        AppError::Conflict(Conflict::Points(reason)),
    )
}

impl World {
    /// An activity at the venue, 09:00–11:00, 10 points an hour up to 15, with `extra`.
    async fn activity(&self, capacity: &str, extra: &[(&str, &str)]) -> i64 {
        let venue = self.venue.to_string();
        let mut fields = vec![
            ("title", "苏州河畔清洁"),
            ("venue", venue.as_str()),
            ("day", "2026-12-05"),
            ("start", "09:00"),
            ("end", "11:00"),
            ("capacity", capacity),
            ("rule", "per_hour"),
            ("per_hour", "10"),
            ("cap", "15"),
            ("tags", "environment"),
        ];
        // What `extra` names replaces the default.
        fields.retain(|(name, _)| !extra.iter().any(|(n, _)| n == name));
        fields.extend_from_slice(extra);
        self.app
            .call_multipart(&self.organiser, "points/create", &fields, &[])
            .await
            .unwrap()
    }

    async fn sign_up(
        &self,
        client: &Client,
        activity: i64,
    ) -> Result<SignupStatus, (StatusCode, AppError)> {
        self.app
            .call(
                client,
                "points/sign_up",
                &[("activity", &activity.to_string())],
            )
            .await
    }

    /// The organiser's code of this moment, on an app whose clock says `minute`.
    async fn code(&self, app: &TestApp, activity: i64, action: &str) -> ShownCode {
        let organiser = app.signed_in("13800000009").await;
        app.call(
            &organiser,
            "points/shown_code",
            &[("activity", &activity.to_string()), ("action", action)],
        )
        .await
        .unwrap()
    }

    /// `n` new volunteers (numbers 137…), signed in, with `points` each.
    async fn volunteers_with(&self, n: usize, points: i32) -> Vec<Client> {
        let volunteers = self.app.quick_users(13_700_000_000, n).await;
        sqlx::query(
            "INSERT INTO points_ledger (user_id, kind, points, reason)
             SELECT id, 'adjust', $1, '测试' FROM users WHERE phone LIKE '137%'",
        )
        .bind(points)
        .execute(&self.app.pool)
        .await
        .unwrap();
        volunteers
    }

    /// The ledger's invariant: every balance is the sum of its lines and not negative.
    async fn ledger_holds(&self) {
        let broken = self
            .app
            .count(
                "SELECT count(*) FROM volunteer_accounts a
                  WHERE a.balance < 0 OR a.balance <> (SELECT coalesce(sum(points), 0)
                                                         FROM points_ledger l
                                                        WHERE l.user_id = a.user_id)
                     OR a.minutes <> (SELECT coalesce(sum(minutes), 0) FROM points_ledger l
                                       WHERE l.user_id = a.user_id)",
            )
            .await;
        assert_eq!(
            broken, 0,
            "every balance is the sum of its ledger and never negative"
        );
    }
}

async fn check(
    app: &TestApp,
    client: &Client,
    token: &str,
    extra: &[(&str, &str)],
) -> Result<Checked, (StatusCode, AppError)> {
    let mut fields = vec![("token", token)];
    fields.extend_from_slice(extra);
    app.call(client, "points/check", &fields).await
}

#[tokio::test]
async fn capacity_holds_under_a_rush_and_the_waiting_list_moves_up() {
    let w = world(8 * 60).await;
    let activity = w.activity("5", &[]).await;
    let volunteers = w.app.quick_users(13_700_000_000, 20).await;
    let results =
        futures::future::join_all(volunteers.iter().map(|v| w.sign_up(v, activity))).await;
    let placed = results
        .iter()
        .filter(|r| matches!(r, Ok(SignupStatus::SignedUp)))
        .count();
    let mut places: Vec<i32> = results
        .iter()
        .filter_map(|r| match r {
            Ok(SignupStatus::Waiting(n)) => Some(*n),
            _ => None,
        })
        .collect();
    places.sort();
    assert_eq!(placed, 5);
    assert_eq!(places, (1..=15).collect::<Vec<i32>>());
    assert_eq!(
        w.sign_up(&volunteers[0], activity).await.unwrap_err(),
        refusal(PointsRefused::AlreadySignedUp)
    );

    // Someone with a place cancels: the first in the queue moves up, the count stays 5.
    let first_waiting = results
        .iter()
        .position(|r| matches!(r, Ok(SignupStatus::Waiting(1))))
        .unwrap();
    let leaving = results
        .iter()
        .position(|r| matches!(r, Ok(SignupStatus::SignedUp)))
        .unwrap();
    w.app
        .call::<()>(
            &volunteers[leaving],
            "points/cancel",
            &[("activity", &activity.to_string())],
        )
        .await
        .unwrap();
    let listed: Vec<Activity> = w
        .app
        .call(&volunteers[first_waiting], "points/activities", &[])
        .await
        .unwrap();
    let shown = listed.iter().find(|a| a.id == activity).unwrap();
    assert_eq!(shown.mine, Some(SignupStatus::SignedUp));
    assert_eq!((shown.signed_up, shown.waiting), (5, 14));
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM activity_signups WHERE status = 'signed_up'")
            .await,
        5
    );
}

#[tokio::test]
async fn a_rotating_code_checks_in_once_and_a_replay_or_forgery_fails() {
    let w = world(NINE - 10).await;
    let activity = w.activity("10", &[]).await;
    let volunteer = w.app.signed_up("13800000001").await;
    w.sign_up(&volunteer, activity).await.unwrap();

    let shown = w.code(&w.app, activity, "in").await;
    assert!(shown.url.contains("/v/checkin?t=") && shown.qr_svg.contains("<svg"));
    assert_eq!(shown.typed.len(), 6);
    let first = check(&w.app, &volunteer, &shown.token, &[]).await.unwrap();
    assert!(first.recorded_now);
    // Scanning twice changes nothing.
    let again = check(&w.app, &volunteer, &shown.token, &[]).await.unwrap();
    assert!(!again.recorded_now);

    // The same code a minute later (a screenshot, a forwarded message) fails.
    let later = TestApp::spawn_with_clock(&w.app.database_url, at(NINE - 8)).await;
    let friend = later.signed_up("13800000002").await;
    w.sign_up(&w.app.signed_in("13800000002").await, activity)
        .await
        .unwrap();
    assert_eq!(
        check(&later, &friend, &shown.token, &[]).await.unwrap_err(),
        points_error(PointsField::Code, PointsProblem::CodeExpired)
    );
    // Changed, or a check-out code used to check in.
    let forged = shown
        .token
        .replacen(&format!("{activity}."), &format!("{}.", activity + 1), 1);
    assert_eq!(
        check(&w.app, &volunteer, &forged, &[]).await.unwrap_err(),
        points_error(PointsField::Code, PointsProblem::CodeForged)
    );
    // Someone not signed up cannot use a good code.
    let stranger = w.app.signed_up("13800000003").await;
    assert_eq!(
        check(&w.app, &stranger, &shown.token, &[])
            .await
            .unwrap_err(),
        refusal(PointsRefused::NotSignedUp)
    );
    // Only the organiser sees the code.
    assert_eq!(
        w.app
            .call::<ShownCode>(
                &volunteer,
                "points/shown_code",
                &[("activity", &activity.to_string()), ("action", "in")]
            )
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );

    // Checking out at 10:50 with the typed code: served from 09:00 (not 08:50), 1 h 45 min
    // in whole quarters = 17 points, capped at 15; and the first badge.
    let end = TestApp::spawn_with_clock(&w.app.database_url, at(10 * 60 + 50)).await;
    let out = w.code(&end, activity, "out").await;
    let volunteer_then = end.signed_in("13800000001").await;
    let done: Checked = end
        .call(
            &volunteer_then,
            "points/check_code",
            &[
                ("activity", &activity.to_string()),
                ("action", "out"),
                ("code", &out.typed),
            ],
        )
        .await
        .unwrap();
    assert_eq!((done.minutes, done.points), (105, 15));
    assert_eq!(done.new_badges, ["first"]);
    let mine: MyPoints = end.call(&volunteer_then, "points/mine", &[]).await.unwrap();
    assert_eq!((mine.balance, mine.minutes), (15, 105));
    assert_eq!(mine.badges.len(), 1);
    w.ledger_holds().await;
}

#[tokio::test]
async fn an_organiser_cancels_an_activity_and_everyone_signed_up_is_told() {
    let w = world(NINE - 10).await;
    let activity = w.activity("2", &[]).await;
    let volunteers = w.app.quick_users(13_700_000_000, 3).await;
    for v in &volunteers {
        w.sign_up(v, activity).await.unwrap();
    }
    let cancel = |client: &Client, activity: i64, reason: &str| {
        let (client, reason) = (client.clone(), reason.to_owned());
        let app = &w.app;
        async move {
            app.call::<()>(
                &client,
                "points/cancel_activity",
                &[("activity", &activity.to_string()), ("reason", &reason)],
            )
            .await
        }
    };
    assert_eq!(
        cancel(&volunteers[0], activity, "不想办了")
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        cancel(&w.organiser, activity, " ").await.unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(Field::Points(PointsField::Reason), Problem::Required)
        )
    );
    let shown_before = w.code(&w.app, activity, "in").await;
    cancel(&w.organiser, activity, "暴雨预警").await.unwrap();
    // The two signed up and the one waiting are told; it is in the audit log.
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM notifications WHERE kind = 'points.cancelled'")
            .await,
        3
    );
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_log WHERE action = 'points.cancel_activity' AND detail->>'reason' = '暴雨预警'")
            .await,
        1
    );
    assert_eq!(
        cancel(&w.organiser, activity, "暴雨预警")
            .await
            .unwrap_err(),
        refusal(PointsRefused::ActivityCancelled)
    );
    let late = w.app.signed_up("13800000001").await;
    assert_eq!(
        w.sign_up(&late, activity).await.unwrap_err(),
        refusal(PointsRefused::ActivityCancelled)
    );
    // No code is shown for it, and a code from before it was cancelled is refused.
    let organiser = w.app.signed_in("13800000009").await;
    assert_eq!(
        w.app
            .call::<ShownCode>(
                &organiser,
                "points/shown_code",
                &[("activity", &activity.to_string()), ("action", "in")],
            )
            .await
            .unwrap_err(),
        refusal(PointsRefused::ActivityCancelled)
    );
    assert_eq!(
        check(&w.app, &volunteers[0], &shown_before.token, &[])
            .await
            .unwrap_err(),
        refusal(PointsRefused::ActivityCancelled)
    );

    // Once someone has checked in, an activity cannot be cancelled.
    let started = w.activity("2", &[]).await;
    w.sign_up(&volunteers[0], started).await.unwrap();
    let shown = w.code(&w.app, started, "in").await;
    check(&w.app, &volunteers[0], &shown.token, &[])
        .await
        .unwrap();
    assert_eq!(
        cancel(&w.organiser, started, "暴雨预警").await.unwrap_err(),
        refusal(PointsRefused::SomeoneCheckedIn)
    );
}

#[tokio::test]
async fn an_offline_scan_counts_when_sent_within_a_day_and_not_after() {
    let w = world(NINE - 30).await;
    let activity = w.activity("10", &[]).await;
    let volunteer = w.app.signed_up("13800000001").await;
    w.sign_up(&volunteer, activity).await.unwrap();
    // The code on the organiser's screen at 09:00, scanned at 09:00:05 with no network.
    let nine = TestApp::spawn_with_clock(&w.app.database_url, at(NINE)).await;
    let shown = w.code(&nine, activity, "in").await;
    let scanned = (DAY * 86_400 + NINE * 60 - 8 * 3600 + 5).to_string();

    // Sent 25 hours later: too late.
    let next_day = TestApp::spawn_with_clock(&w.app.database_url, at(NINE + 25 * 60)).await;
    let phone = next_day.signed_in("13800000001").await;
    assert_eq!(
        check(&next_day, &phone, &shown.token, &[("scanned_at", &scanned)])
            .await
            .unwrap_err(),
        points_error(PointsField::ScannedAt, PointsProblem::ScanTooOld)
    );
    // A claimed scan time after the code's life is refused like a late scan.
    let late_claim = (DAY * 86_400 + NINE * 60 - 8 * 3600 + 120).to_string();
    let noon = TestApp::spawn_with_clock(&w.app.database_url, at(12 * 60)).await;
    let phone = noon.signed_in("13800000001").await;
    assert_eq!(
        check(&noon, &phone, &shown.token, &[("scanned_at", &late_claim)])
            .await
            .unwrap_err(),
        points_error(PointsField::Code, PointsProblem::CodeExpired)
    );
    // Back online at noon, the 09:00 scan is accepted as made at 09:00.
    let synced = check(&noon, &phone, &shown.token, &[("scanned_at", &scanned)])
        .await
        .unwrap();
    assert!(synced.recorded_now);
    let how: String = sqlx::query_scalar(
        "SELECT check_in_how || ' ' || to_char(checked_in_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI')
           FROM activity_signups",
    )
    .fetch_one(&w.app.pool)
    .await
    .unwrap();
    assert_eq!(how, "offline 09:00");
}

#[tokio::test]
async fn the_geofence_wants_the_phone_at_the_venue() {
    let w = world(NINE - 20).await;
    let activity = w.activity("10", &[("geofence", "100")]).await;
    let volunteer = w.app.signed_up("13800000001").await;
    w.sign_up(&volunteer, activity).await.unwrap();
    let token = w.code(&w.app, activity, "in").await.token;
    assert_eq!(
        check(&w.app, &volunteer, &token, &[]).await.unwrap_err(),
        points_error(PointsField::Position, PointsProblem::PositionRequired)
    );
    // About 555 m north.
    assert_eq!(
        check(
            &w.app,
            &volunteer,
            &token,
            &[("lat", "31.2450"), ("lon", "121.4400"), ("accuracy", "15")]
        )
        .await
        .unwrap_err(),
        points_error(
            PointsField::Position,
            PointsProblem::OutsideFence { metres: 556 }
        )
    );
    assert!(
        check(
            &w.app,
            &volunteer,
            &token,
            &[("lat", "31.2405"), ("lon", "121.4400"), ("accuracy", "15")]
        )
        .await
        .unwrap()
        .recorded_now
    );
}

/// Gives `user` points through an admin adjustment.
async fn give(w: &World, admin: &Client, phone: &str, points: i32) {
    w.app
        .call::<i32>(
            admin,
            "points/adjust",
            &[
                ("phone", phone),
                ("points", &points.to_string()),
                ("reason", "测试充值"),
            ],
        )
        .await
        .unwrap();
}

async fn reward(w: &World, cost: i32, stock: i32) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO rewards (partner_id, title, cost, stock, valid_until, collect_at)
         VALUES ($1, '咖啡兑换券', $2, $3, now() + interval '30 days', '共建书店前台') RETURNING id",
    )
    .bind(w.partner)
    .bind(cost)
    .bind(stock)
    .fetch_one(&w.app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn two_hundred_redemptions_on_a_balance_for_ten_make_ten() {
    let w = world(NINE).await;
    let admin = w.app.admin("13800000006").await;
    let volunteer = w.app.signed_up("13800000001").await;
    give(&w, &admin, "13800000001", 100).await;
    let reward = reward(&w, 10, 1000).await.to_string();
    let fields = [("reward", reward.as_str())];
    let attempts = (0..200).map(|_| {
        w.app
            .call::<Redemption>(&volunteer, "points/redeem", &fields)
    });
    let results = futures::future::join_all(attempts).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 10);
    for refused in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(refused, &refusal(PointsRefused::NotEnoughPoints));
    }
    let stock: i32 = sqlx::query_scalar("SELECT stock FROM rewards")
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
    assert_eq!(stock, 990);
    let mine: MyPoints = w.app.call(&volunteer, "points/mine", &[]).await.unwrap();
    assert_eq!(mine.balance, 0);
    w.ledger_holds().await;

    // The admin cannot take what is not there either.
    assert_eq!(
        w.app
            .call::<i32>(
                &admin,
                "points/adjust",
                &[
                    ("phone", "13800000001"),
                    ("points", "-1"),
                    ("reason", "更正")
                ]
            )
            .await
            .unwrap_err(),
        refusal(PointsRefused::WouldGoNegative)
    );
    // And the ledger refuses to be rewritten.
    assert!(sqlx::query("UPDATE points_ledger SET points = 1000")
        .execute(&w.app.pool)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM points_ledger")
        .execute(&w.app.pool)
        .await
        .is_err());
}

#[tokio::test]
async fn five_hundred_volunteers_race_for_a_stock_of_fifty() {
    let w = world(NINE).await;
    let volunteers = w.volunteers_with(500, 20).await;
    let reward = reward(&w, 20, 50).await.to_string();
    let fields = [("reward", reward.as_str())];
    let results = futures::future::join_all(
        volunteers
            .iter()
            .map(|v| w.app.call::<Redemption>(v, "points/redeem", &fields)),
    )
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 50);
    for refused in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(refused, &refusal(PointsRefused::OutOfStock));
    }
    assert_eq!(w.app.count("SELECT count(*) FROM redemptions").await, 50);
    assert_eq!(w.app.count("SELECT sum(stock) FROM rewards").await, 0);
    w.ledger_holds().await;
}

/// A partner unit's reward form, with `changes`, sent by `client`.
async fn offer(
    w: &World,
    client: &Client,
    changes: &[(&str, &str)],
) -> Result<i64, (StatusCode, AppError)> {
    let partner = w.partner.to_string();
    let mut fields = vec![
        ("partner", partner.as_str()),
        ("title", "共建书店书签"),
        ("cost", "20"),
        ("stock", "10"),
        ("valid_until", "2026-12-31"),
        ("code_days", "14"),
        ("collect_at", "共建书店前台"),
    ];
    fields.retain(|(name, _)| !changes.iter().any(|(n, _)| n == name));
    fields.extend_from_slice(changes);
    w.app.call(client, "points/offer", &fields).await
}

#[tokio::test]
async fn a_partner_unit_offers_rewards_for_itself_and_restocking_in_a_rush_loses_nothing() {
    let w = world(NINE).await;
    let partner = w.app.signed_up("13800000005").await;
    grant(&w.app, "13800000005", "partner", w.partner).await;
    let admin = w.app.admin("13800000006").await;
    let venue = w.venue.to_string();
    // Only for its own unit: not the station's staff, not another place.
    assert_eq!(
        offer(&w, &w.organiser, &[]).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    let elsewhere = [("partner", venue.as_str())];
    assert_eq!(
        offer(&w, &partner, &elsewhere).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    // An admin may offer for any partner unit, but a service station is not one.
    assert_eq!(
        offer(&w, &admin, &elsewhere).await.unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(Field::Points(PointsField::Partner), Problem::Required)
        )
    );
    // Mistakes are named, with their fix.
    assert_eq!(
        offer(&w, &partner, &[("cost", "0")]).await.unwrap_err(),
        points_error(
            PointsField::Cost,
            PointsProblem::Range {
                min: 1,
                max: 100_000
            }
        )
    );
    assert_eq!(
        offer(&w, &partner, &[("valid_until", "2026-12-04")])
            .await
            .unwrap_err(),
        points_error(PointsField::ValidUntil, PointsProblem::InThePast)
    );
    assert_eq!(w.app.count("SELECT count(*) FROM rewards").await, 0);

    let reward = offer(&w, &partner, &[]).await.unwrap().to_string();
    // Forty volunteers rush it while the partner adds 5 four times.
    let volunteers = w.volunteers_with(40, 20).await;
    let redeem = [("reward", reward.as_str())];
    let restock = [("reward", reward.as_str()), ("add", "5")];
    let (redeemed, restocked) = futures::future::join(
        futures::future::join_all(
            volunteers
                .iter()
                .map(|v| w.app.call::<Redemption>(v, "points/redeem", &redeem)),
        ),
        futures::future::join_all(
            (0..4).map(|_| w.app.call::<i32>(&partner, "points/restock", &restock)),
        ),
    )
    .await;
    assert!(restocked.iter().all(Result::is_ok));
    let issued = redeemed.iter().filter(|r| r.is_ok()).count() as i64;
    for refused in redeemed.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(refused, &refusal(PointsRefused::OutOfStock));
    }
    let offered: Vec<OfferedReward> = w.app.call(&partner, "points/offered", &[]).await.unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].issued, issued);
    assert_eq!(
        i64::from(offered[0].reward.stock) + issued,
        10 + 4 * 5,
        "every unit of stock is either left or redeemed"
    );
    w.ledger_holds().await;

    // Unknown rewards are named as such.
    assert_eq!(
        w.app
            .call::<i32>(
                &partner,
                "points/restock",
                &[("reward", "999999"), ("add", "5")]
            )
            .await
            .unwrap_err(),
        points_error(PointsField::Reward, PointsProblem::NoSuchReward)
    );
    assert_eq!(
        w.app
            .call::<Redemption>(&volunteers[0], "points/redeem", &[("reward", "999999")])
            .await
            .unwrap_err(),
        points_error(PointsField::Reward, PointsProblem::NoSuchReward)
    );
    assert_eq!(
        w.app
            .call::<i32>(&w.organiser, "points/restock", &restock)
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_partner_verifies_a_code_once_and_uncollected_codes_expire_with_a_refund() {
    let w = world(NINE).await;
    let admin = w.app.admin("13800000006").await;
    let volunteer = w.app.signed_up("13800000001").await;
    give(&w, &admin, "13800000001", 50).await;
    let reward = reward(&w, 20, 5).await.to_string();
    let fields = [("reward", reward.as_str())];
    let redeem = || {
        w.app
            .call::<Redemption>(&volunteer, "points/redeem", &fields)
    };
    let collected = redeem().await.unwrap();
    let forgotten = redeem().await.unwrap();
    assert_eq!(collected.code.len(), 8);

    let partner = w.app.signed_up("13800000005").await;
    grant(&w.app, "13800000005", "partner", w.partner).await;
    let elsewhere = w.app.signed_up("13800000004").await;
    let verify = |client: &Client, code: &str| {
        let (client, code) = (client.clone(), code.to_owned());
        let app = &w.app;
        async move {
            app.call::<Redemption>(&client, "points/verify", &[("code", &code)])
                .await
        }
    };
    assert_eq!(
        verify(&elsewhere, &collected.code).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    let verified = verify(&partner, &collected.code.to_lowercase())
        .await
        .unwrap();
    assert_eq!(verified.status, RedemptionStatus::Verified);
    assert_eq!(
        verify(&partner, &collected.code).await.unwrap_err(),
        refusal(PointsRefused::AlreadyVerified)
    );
    assert_eq!(
        verify(&partner, "2345ABCD").await.unwrap_err(),
        points_error(
            PointsField::RedemptionCode,
            PointsProblem::RedemptionCodeFormat
        )
    );

    // Fifteen days on, the forgotten code expires and its points come back.
    let expired = app::points::store::expire_redemptions(&w.app.pool, (DAY + 15) * 86_400)
        .await
        .unwrap();
    assert_eq!(expired, 1);
    let mine: MyPoints = w.app.call(&volunteer, "points/mine", &[]).await.unwrap();
    assert_eq!(mine.balance, 30);
    let statuses: Vec<RedemptionStatus> = mine.redemptions.iter().map(|r| r.status).collect();
    assert!(
        statuses.contains(&RedemptionStatus::Expired)
            && statuses.contains(&RedemptionStatus::Verified)
    );
    assert_eq!(
        verify(&partner, &forgotten.code).await.unwrap_err(),
        refusal(PointsRefused::RedemptionExpired)
    );
    w.ledger_holds().await;
}

#[tokio::test]
async fn the_organiser_sees_the_roster_checks_in_by_hand_with_a_reason_and_exports_it() {
    let w = world(NINE - 10).await;
    let activity = w.activity("1", &[]).await;
    let id = activity.to_string();
    let first = w.app.signed_up("13800000001").await;
    let second = w.app.signed_up("13800000002").await;
    w.sign_up(&first, activity).await.unwrap();
    assert_eq!(
        w.sign_up(&second, activity).await.unwrap(),
        SignupStatus::Waiting(1)
    );
    // A place comes free: the one waiting gets it and is told.
    w.app
        .call::<()>(&first, "points/cancel", &[("activity", &id)])
        .await
        .unwrap();
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM notifications WHERE kind = 'points.promoted'")
            .await,
        1
    );

    let roster: Roster = w
        .app
        .call(&w.organiser, "points/roster", &[("activity", &id)])
        .await
        .unwrap();
    assert_eq!(roster.entries.len(), 1);
    assert_eq!(roster.entries[0].status, Some(SignupStatus::SignedUp));
    let volunteer = roster.entries[0].user_id.to_string();
    let by_hand = |client: &Client, reason: &'static str| {
        let (client, id, volunteer) = (client.clone(), id.clone(), volunteer.clone());
        let app = &w.app;
        async move {
            app.call::<Checked>(
                &client,
                "points/check_by_hand",
                &[
                    ("activity", id.as_str()),
                    ("volunteer", volunteer.as_str()),
                    ("action", "in"),
                    ("reason", reason),
                ],
            )
            .await
        }
    };
    // Only organisers, and only with a reason.
    assert_eq!(
        by_hand(&second, "手机没电").await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        by_hand(&w.organiser, " ").await.unwrap_err(),
        (
            StatusCode::BAD_REQUEST,
            AppError::invalid(Field::Points(PointsField::Reason), Problem::Required)
        )
    );
    assert!(
        by_hand(&w.organiser, "手机没电")
            .await
            .unwrap()
            .recorded_now
    );
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_log WHERE action = 'points.check_in_by_hand'")
            .await,
        1
    );
    let roster: Roster = w
        .app
        .call(&w.organiser, "points/roster", &[("activity", &id)])
        .await
        .unwrap();
    assert_eq!(roster.entries[0].status, Some(SignupStatus::CheckedIn));
    assert_eq!(roster.entries[0].how_in.as_deref(), Some("manual"));

    let csv = w
        .organiser
        .get(w.app.url(&format!("/volunteer/{activity}/attendance.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert_eq!(text.trim_end().split("\r\n").count(), 2, "{text}");
    assert!(text.contains("manual") && text.contains("已签到"), "{text}");
    let refused = second
        .get(w.app.url(&format!("/volunteer/{activity}/attendance.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_service_record_lists_served_time_and_the_leaderboard_only_those_who_join() {
    let w = world(NINE - 10).await;
    let activity = w
        .activity("5", &[("rule", "fixed"), ("points", "25")])
        .await;
    let id = activity.to_string();
    let volunteer = w.app.signed_up("13800000001").await;
    w.sign_up(&volunteer, activity).await.unwrap();
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = '13800000001'")
        .fetch_one(&w.app.pool)
        .await
        .unwrap();
    // Checked in at 08:50 and out at 10:00 by the organiser: 60 minutes within the activity.
    let hand = |app: &TestApp, organiser: &Client, action: &'static str| {
        let (app, organiser, id) = (app.clone(), organiser.clone(), id.clone());
        async move {
            app.call::<Checked>(
                &organiser,
                "points/check_by_hand",
                &[
                    ("activity", id.as_str()),
                    ("volunteer", &user.to_string()),
                    ("action", action),
                    ("reason", "现场登记"),
                ],
            )
            .await
            .unwrap()
        }
    };
    hand(&w.app, &w.organiser, "in").await;
    let ten = TestApp::spawn_with_clock(&w.app.database_url, at(10 * 60)).await;
    let organiser = ten.signed_in("13800000009").await;
    let out = hand(&ten, &organiser, "out").await;
    assert_eq!((out.minutes, out.points), (60, 25));

    let record: app::points::ServiceRecord =
        w.app.call(&volunteer, "points/record", &[]).await.unwrap();
    assert_eq!(record.entries.len(), 1);
    assert_eq!(
        (record.entries[0].0.as_str(), record.total_minutes),
        ("苏州河畔清洁", 60)
    );

    let board: app::points::Leaderboard = w
        .app
        .call(&volunteer, "points/leaderboard", &[])
        .await
        .unwrap();
    assert!(board.rows.is_empty() && !board.opted_in);
    w.app
        .call::<()>(&volunteer, "points/join_leaderboard", &[("join", "on")])
        .await
        .unwrap();
    let board: app::points::Leaderboard = w
        .app
        .call(&volunteer, "points/leaderboard", &[])
        .await
        .unwrap();
    assert_eq!(board.month, "2026-12");
    assert_eq!(board.rows.len(), 1);
    assert_eq!(board.rows[0].1, 25);
    w.ledger_holds().await;
}

/// Opened without a code (a bookmark, a cropped photo of the QR code), the check-in page says
/// what is wrong as it arrives, and has no form for the phone to send.
#[tokio::test]
async fn the_check_in_page_without_a_code_says_so_as_it_arrives() {
    let app = TestApp::spawn().await;
    let volunteer = app.signed_up("13800000001").await;

    let page = app.page(&volunteer, "/v/checkin").await;
    assert!(page.contains("签到码不完整"), "{page}");
    assert!(!page.contains("data-zd-checkin"), "{page}");

    let page = app.page(&volunteer, "/v/checkin?t=scanned").await;
    assert!(page.contains("data-zd-checkin"), "{page}");
    assert!(!page.contains("签到码不完整"), "{page}");
}
