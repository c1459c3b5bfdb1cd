//! The SQL of volunteer points. Sign-ups lock their activity's row, so capacity and the
//! waiting list hold whatever the concurrency; a check locks the volunteer's sign-up row, so
//! a second scan changes nothing; points move only through the append-only ledger, whose
//! trigger keeps each balance and whose CHECK refuses any balance below zero.

use super::draft::RewardDraft;
use super::rules::{self, Fence, PointsRule};
use super::token::{self, TokenProblem};
use super::*;
use crate::accounts::auth::Caller;
use crate::accounts::PhoneNumber;
use crate::error::OnConstraint;
use crate::i18n::Locale;
use crate::live::{publish, Topic};
use crate::state::AppState;
use sqlx::{PgConnection, PgPool, Row};

/// Offline scans are accepted when sent within this long of the scan.
const OFFLINE_GRACE_SECS: i64 = 24 * 3600;
/// The characters of redemption codes: no I, O, 0 or 1 to misread.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// The key check-in codes are signed with: `configured` (ZD_CHECKIN_SECRET) if set, else
/// the one generated at the first start and kept in the database, shared by every process.
pub async fn checkin_key(pool: &PgPool, configured: Option<&str>) -> Result<Vec<u8>, AppError> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    let fresh: Vec<u8> = {
        use password_hash::rand_core::{OsRng, RngCore};
        let mut bytes = vec![0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        bytes
    };
    sqlx::query(
        "INSERT INTO app_secrets (name, value) VALUES ('checkin', $1) ON CONFLICT DO NOTHING",
    )
    .bind(&fresh)
    .execute(pool)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = 'checkin'")
            .fetch_one(pool)
            .await?,
    )
}

fn rule_of(row: &sqlx::postgres::PgRow) -> PointsRule {
    match row.get::<Option<i32>, _>("points_fixed") {
        Some(points) => PointsRule::Fixed { points },
        None => PointsRule::PerHour {
            per_hour: row.get::<Option<i32>, _>("points_per_hour").unwrap_or(0),
            cap: row.get::<Option<i32>, _>("points_cap").unwrap_or(0),
        },
    }
}

fn status_of(
    status: &str,
    checked_in: bool,
    checked_out: bool,
    place: i32,
) -> Option<SignupStatus> {
    match status {
        "signed_up" if checked_out => Some(SignupStatus::CheckedOut),
        "signed_up" if checked_in => Some(SignupStatus::CheckedIn),
        "signed_up" => Some(SignupStatus::SignedUp),
        "waiting" => Some(SignupStatus::Waiting(place)),
        _ => None,
    }
}

/// Activities that have not ended a day ago, soonest first (at `venue` only, if given).
pub async fn activities(
    state: &AppState,
    user: Option<i64>,
    venue: Option<i64>,
    locale: Locale,
) -> Result<Vec<Activity>, AppError> {
    let now = state.clock.unix_secs();
    let rows = sqlx::query(
        "SELECT a.id, a.title, a.description, a.venue_id,
                CASE WHEN $3 THEN p.name_zh ELSE p.name_en END AS venue,
                extract(epoch FROM a.starts_at)::bigint AS starts_at,
                extract(epoch FROM a.ends_at)::bigint AS ends_at,
                extract(epoch FROM a.signup_until)::bigint AS signup_until,
                a.capacity, a.signed_up, a.points_fixed, a.points_per_hour, a.points_cap,
                a.geofence_m, a.tags, a.photo_id, a.cancelled_at IS NOT NULL AS cancelled,
                (SELECT count(*)::int FROM activity_signups w
                  WHERE w.activity_id = a.id AND w.status = 'waiting') AS waiting,
                s.status, s.checked_in_at IS NOT NULL AS checked_in,
                s.checked_out_at IS NOT NULL AS checked_out,
                (SELECT count(*)::int FROM activity_signups w
                  WHERE w.activity_id = a.id AND w.status = 'waiting'
                    AND w.queued_at <= s.queued_at) AS place,
                (a.organiser_id = $1 OR EXISTS (
                    SELECT 1 FROM role_grants g
                     WHERE g.user_id = $1
                       AND (g.role = 'admin'
                            OR (g.role = 'station_staff' AND g.place_id = a.venue_id))))
                    AS organising
           FROM activities a
           JOIN places p ON p.id = a.venue_id
           LEFT JOIN activity_signups s ON s.activity_id = a.id AND s.user_id = $1
          WHERE a.ends_at > to_timestamp($2) - interval '1 day'
            AND ($4::bigint IS NULL OR a.venue_id = $4)
          ORDER BY a.starts_at, a.id",
    )
    .bind(user.unwrap_or(0))
    .bind(now as f64)
    .bind(locale == Locale::Zh)
    .bind(venue)
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Activity {
            id: row.get("id"),
            title: row.get("title"),
            description: row.get("description"),
            venue_id: row.get("venue_id"),
            venue: row.get("venue"),
            starts_at: row.get("starts_at"),
            ends_at: row.get("ends_at"),
            signup_until: row.get("signup_until"),
            capacity: row.get("capacity"),
            signed_up: row.get("signed_up"),
            waiting: row.get("waiting"),
            rule: rule_of(row),
            geofence_m: row.get("geofence_m"),
            tags: row.get("tags"),
            photo_id: row.get("photo_id"),
            cancelled: row.get("cancelled"),
            organising: row.get("organising"),
            mine: row.get::<Option<String>, _>("status").and_then(|s| {
                status_of(
                    &s,
                    row.get("checked_in"),
                    row.get("checked_out"),
                    row.get("place"),
                )
            }),
        })
        .collect())
}

/// Locks an activity for a sign-up change; refuses a cancelled or closed one.
async fn lock_for_signup(db: &mut PgConnection, activity: i64, now: i64) -> Result<(), AppError> {
    let row = sqlx::query(
        "SELECT cancelled_at IS NOT NULL AS cancelled, signup_until <= to_timestamp($2) AS closed
           FROM activities WHERE id = $1 FOR UPDATE",
    )
    .bind(activity)
    .bind(now as f64)
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.get("cancelled") {
        return Err(refused(PointsRefused::ActivityCancelled));
    }
    if row.get("closed") {
        return Err(refused(PointsRefused::SignupClosed));
    }
    Ok(())
}

/// Signs up, or joins the waiting list when the activity is full.
pub async fn sign_up(caller: &Caller, activity: i64) -> Result<SignupStatus, AppError> {
    let now = caller.state.clock.unix_secs();
    let mut tx = caller.state.pool.begin().await?;
    lock_for_signup(&mut tx, activity, now).await?;
    let current: Option<String> = sqlx::query_scalar(
        "SELECT status FROM activity_signups WHERE activity_id = $1 AND user_id = $2",
    )
    .bind(activity)
    .bind(caller.user_id)
    .fetch_optional(&mut *tx)
    .await?;
    if matches!(current.as_deref(), Some("signed_up" | "waiting")) {
        return Err(refused(PointsRefused::AlreadySignedUp));
    }
    // A place if one is free; the CHECK (signed_up <= capacity) backs this up.
    let placed = sqlx::query(
        "UPDATE activities SET signed_up = signed_up + 1 WHERE id = $1 AND signed_up < capacity",
    )
    .bind(activity)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let status = if placed { "signed_up" } else { "waiting" };
    sqlx::query(
        "INSERT INTO activity_signups (activity_id, user_id, status) VALUES ($1, $2, $3)
         ON CONFLICT (activity_id, user_id)
         DO UPDATE SET status = EXCLUDED.status, queued_at = clock_timestamp()",
    )
    .bind(activity)
    .bind(caller.user_id)
    .bind(status)
    .execute(&mut *tx)
    .await?;
    let waiting_place: i32 = sqlx::query_scalar(
        "SELECT count(*)::int FROM activity_signups WHERE activity_id = $1 AND status = 'waiting'",
    )
    .bind(activity)
    .fetch_one(&mut *tx)
    .await?;
    publish(&mut *tx, &[Topic::Activity(activity)]).await?;
    tx.commit().await?;
    Ok(if placed {
        SignupStatus::SignedUp
    } else {
        SignupStatus::Waiting(waiting_place)
    })
}

/// Cancels a sign-up (or a place on the waiting list); a freed place goes to the first
/// person waiting.
pub async fn cancel(caller: &Caller, activity: i64) -> Result<(), AppError> {
    let now = caller.state.clock.unix_secs();
    let mut tx = caller.state.pool.begin().await?;
    lock_for_signup(&mut tx, activity, now).await?;
    let row = sqlx::query(
        "SELECT status, checked_in_at IS NOT NULL AS checked_in FROM activity_signups
          WHERE activity_id = $1 AND user_id = $2",
    )
    .bind(activity)
    .bind(caller.user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row.filter(|r| r.get::<String, _>("status") != "cancelled") else {
        return Err(refused(PointsRefused::NotSignedUp));
    };
    if row.get("checked_in") {
        return Err(refused(PointsRefused::AlreadyCheckedIn));
    }
    sqlx::query(
        "UPDATE activity_signups SET status = 'cancelled' WHERE activity_id = $1 AND user_id = $2",
    )
    .bind(activity)
    .bind(caller.user_id)
    .execute(&mut *tx)
    .await?;
    if row.get::<String, _>("status") == "signed_up" {
        // The first in the queue takes the place; otherwise it is free again.
        let promoted: Option<i64> = sqlx::query_scalar(
            "UPDATE activity_signups SET status = 'signed_up'
              WHERE (activity_id, user_id) =
                    (SELECT activity_id, user_id FROM activity_signups
                      WHERE activity_id = $1 AND status = 'waiting'
                      ORDER BY queued_at, user_id LIMIT 1)
             RETURNING user_id",
        )
        .bind(activity)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(user) = promoted {
            // They are told in 我的消息.
            sqlx::query(
                "INSERT INTO notifications (user_id, kind, subject, link)
                 SELECT $1, 'points.promoted', title, '/volunteer' FROM activities WHERE id = $2",
            )
            .bind(user)
            .bind(activity)
            .execute(&mut *tx)
            .await?;
            publish(&mut *tx, &[Topic::User(user)]).await?;
        } else {
            sqlx::query("UPDATE activities SET signed_up = signed_up - 1 WHERE id = $1")
                .bind(activity)
                .execute(&mut *tx)
                .await?;
        }
    }
    publish(&mut *tx, &[Topic::Activity(activity)]).await?;
    tx.commit().await?;
    Ok(())
}

fn token_error(problem: TokenProblem) -> AppError {
    invalid_because(
        PointsField::Code,
        match problem {
            TokenProblem::Malformed => PointsProblem::CodeMalformed,
            TokenProblem::Forged => PointsProblem::CodeForged,
            TokenProblem::Expired => PointsProblem::CodeExpired,
            TokenProblem::FromTheFuture => PointsProblem::CodeFromTheFuture,
            TokenProblem::WrongActivity => PointsProblem::CodeOfAnotherActivity,
            TokenProblem::WrongAction => PointsProblem::CodeOfOtherAction,
        },
    )
}

/// Checks in or out with a scanned token; `scanned_at` is the time of an offline scan.
pub async fn check_with_token(
    caller: &Caller,
    text: &str,
    scanned_at: Option<i64>,
    position: Option<(f64, f64, f64)>,
) -> Result<Checked, AppError> {
    let now = caller.state.clock.unix_secs();
    let (at, how) = match scanned_at {
        None => (now, "scan"),
        // Sent later from a phone that had no network: the token must have been valid
        // when it was scanned, and the scan recent.
        Some(at) if at <= now + 60 && now - at <= OFFLINE_GRACE_SECS => (at, "offline"),
        Some(_) => {
            return Err(invalid_because(
                PointsField::ScannedAt,
                PointsProblem::ScanTooOld,
            ))
        }
    };
    let checked =
        token::check(&caller.state.checkin_key, text, at, None, None).map_err(token_error)?;
    record(
        &caller.state,
        Check {
            volunteer: caller.user_id,
            activity: checked.activity,
            action: checked.action,
            at,
            how,
            position,
            by_hand: None,
        },
    )
    .await
}

/// Checks in or out with the six typed digits.
pub async fn check_with_code(
    caller: &Caller,
    activity: i64,
    action: Action,
    code: &str,
    position: Option<(f64, f64, f64)>,
) -> Result<Checked, AppError> {
    let now = caller.state.clock.unix_secs();
    token::check_code(&caller.state.checkin_key, activity, action, code, now)
        .map_err(token_error)?;
    record(
        &caller.state,
        Check {
            volunteer: caller.user_id,
            activity,
            action,
            at: now,
            how: "code",
            position,
            by_hand: None,
        },
    )
    .await
}

/// Records a check-in or check-out at `at`, once: a second one answers what the first did.
/// One check-in or check-out to record.
struct Check<'a> {
    volunteer: i64,
    activity: i64,
    action: Action,
    /// When it happened (the scan's time).
    at: i64,
    how: &'a str,
    position: Option<(f64, f64, f64)>,
    /// Recorded by an organiser (their id and reason): no window or geofence, audited.
    by_hand: Option<(i64, &'a str)>,
}

async fn record(state: &AppState, check: Check<'_>) -> Result<Checked, AppError> {
    let Check {
        volunteer,
        activity,
        action,
        at,
        how,
        position,
        by_hand,
    } = check;
    let mut tx = state.pool.begin().await?;
    let act = sqlx::query(
        "SELECT a.title, extract(epoch FROM a.starts_at)::bigint AS starts_at,
                extract(epoch FROM a.ends_at)::bigint AS ends_at, a.geofence_m,
                a.points_fixed, a.points_per_hour, a.points_cap, a.cancelled_at IS NOT NULL AS cancelled,
                p.lat, p.lon
           FROM activities a JOIN places p ON p.id = a.venue_id WHERE a.id = $1",
    )
    .bind(activity)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let title: String = act.get("title");
    let (start, end): (i64, i64) = (act.get("starts_at"), act.get("ends_at"));
    if act.get("cancelled") {
        return Err(refused(PointsRefused::ActivityCancelled));
    }
    // By hand, the organiser's "now" counts, kept within the activity's window.
    let at = match by_hand {
        Some(_) => at.clamp(start - rules::WINDOW_MARGIN_SECS, end),
        None if !rules::window_open(start, end, at) => {
            return Err(refused(PointsRefused::WindowClosed))
        }
        None => at,
    };
    if let (Some(radius), None) = (act.get::<Option<i32>, _>("geofence_m"), by_hand) {
        match rules::fence((act.get("lat"), act.get("lon")), radius, position) {
            Fence::Inside => {}
            Fence::Outside { metres } => {
                return Err(invalid_because(
                    PointsField::Position,
                    PointsProblem::OutsideFence { metres },
                ))
            }
            Fence::TooVague => {
                return Err(invalid_because(
                    PointsField::Position,
                    PointsProblem::TooVague,
                ))
            }
            Fence::Unknown => {
                return Err(invalid_because(
                    PointsField::Position,
                    PointsProblem::PositionRequired,
                ))
            }
        }
    }
    let signup = sqlx::query(
        "SELECT status, extract(epoch FROM checked_in_at)::bigint AS checked_in,
                checked_out_at IS NOT NULL AS checked_out, minutes, points
           FROM activity_signups WHERE activity_id = $1 AND user_id = $2 FOR UPDATE",
    )
    .bind(activity)
    .bind(volunteer)
    .fetch_optional(&mut *tx)
    .await?
    .filter(|row| row.get::<String, _>("status") == "signed_up")
    .ok_or_else(|| refused(PointsRefused::NotSignedUp))?;
    // Read again under the sign-up's lock: a cancellation locks every sign-up first, so it
    // either saw this check-in or is seen here.
    let cancelled: bool =
        sqlx::query_scalar("SELECT cancelled_at IS NOT NULL FROM activities WHERE id = $1")
            .bind(activity)
            .fetch_one(&mut *tx)
            .await?;
    if cancelled {
        return Err(refused(PointsRefused::ActivityCancelled));
    }
    let checked_in: Option<i64> = signup.get("checked_in");
    let answer = |recorded_now: bool, minutes: i32, points: i32, new_badges: Vec<String>| Checked {
        activity: title.clone(),
        action,
        recorded_now,
        minutes,
        points,
        new_badges,
    };
    let result = match (action, checked_in) {
        (Action::In, Some(_)) => answer(false, 0, 0, Vec::new()),
        (Action::In, None) => {
            sqlx::query(
                "UPDATE activity_signups SET checked_in_at = to_timestamp($3), check_in_how = $4
                  WHERE activity_id = $1 AND user_id = $2",
            )
            .bind(activity)
            .bind(volunteer)
            .bind(at as f64)
            .bind(how)
            .execute(&mut *tx)
            .await?;
            answer(true, 0, 0, Vec::new())
        }
        (Action::Out, None) => return Err(refused(PointsRefused::NotCheckedIn)),
        (Action::Out, Some(_)) if signup.get::<bool, _>("checked_out") => answer(
            false,
            signup.get::<Option<i32>, _>("minutes").unwrap_or(0),
            signup.get::<Option<i32>, _>("points").unwrap_or(0),
            Vec::new(),
        ),
        (Action::Out, Some(checked_in)) => {
            let minutes = rules::minutes_served(checked_in, at, start, end);
            let points = rule_of(&act).points(minutes);
            sqlx::query(
                "UPDATE activity_signups SET checked_out_at = to_timestamp($3), check_out_how = $4,
                        minutes = $5, points = $6
                  WHERE activity_id = $1 AND user_id = $2",
            )
            .bind(activity)
            .bind(volunteer)
            .bind(at.max(checked_in) as f64)
            .bind(how)
            .bind(minutes as i32)
            .bind(points)
            .execute(&mut *tx)
            .await?;
            // Dated at the check-out, so that the month it counts for is the one served in.
            sqlx::query(
                "INSERT INTO points_ledger (user_id, kind, points, minutes, reason, activity_id,
                                            created_at)
                 VALUES ($1, 'earn', $2, $3, $4, $5, to_timestamp($6))",
            )
            .bind(volunteer)
            .bind(points)
            .bind(minutes as i32)
            .bind(&title)
            .bind(activity)
            .bind(at.max(checked_in) as f64)
            .execute(&mut *tx)
            .await?;
            let badges = award_badges(&mut tx, volunteer).await?;
            answer(true, minutes as i32, points, badges)
        }
    };
    publish(
        &mut *tx,
        &[Topic::Activity(activity), Topic::User(volunteer)],
    )
    .await?;
    if let (Some((organiser, reason)), true) = (by_hand, result.recorded_now) {
        sqlx::query(
            "INSERT INTO audit_log (actor_id, action, subject, detail)
             VALUES ($1, $2, 'activity:' || $3,
                     jsonb_build_object('volunteer', $4, 'reason', $5::text))",
        )
        .bind(organiser)
        .bind(format!("points.check_{}_by_hand", action.as_str()))
        .bind(activity)
        .bind(volunteer)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(result)
}

/// Awards the badges the volunteer's record now earns; returns the new ones.
async fn award_badges(db: &mut PgConnection, user: i64) -> Result<Vec<String>, AppError> {
    let (activities, minutes): (i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(minutes), 0)::bigint FROM activity_signups
          WHERE user_id = $1 AND checked_out_at IS NOT NULL",
    )
    .bind(user)
    .fetch_one(&mut *db)
    .await?;
    let per_tag: Vec<(String, i64)> = sqlx::query_as(
        "SELECT tag, count(*) FROM activity_signups s
           JOIN activities a ON a.id = s.activity_id, unnest(a.tags) AS tag
          WHERE s.user_id = $1 AND s.checked_out_at IS NOT NULL GROUP BY tag ORDER BY tag",
    )
    .bind(user)
    .fetch_all(&mut *db)
    .await?;
    let earned = rules::badges(&rules::Record {
        activities,
        minutes,
        per_tag,
    });
    Ok(sqlx::query_scalar(
        "INSERT INTO volunteer_badges (user_id, badge) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING RETURNING badge",
    )
    .bind(user)
    .bind(&earned)
    .fetch_all(&mut *db)
    .await?)
}

/// Whether the caller organises `activity`: its organiser, station staff of its venue, or
/// an admin.
async fn organises(caller: &Caller, activity: i64) -> Result<bool, AppError> {
    use crate::accounts::roles::{allows, Permission};
    let (venue, organiser): (i64, Option<i64>) =
        sqlx::query_as("SELECT venue_id, organiser_id FROM activities WHERE id = $1")
            .bind(activity)
            .fetch_optional(&caller.state.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(organiser == Some(caller.user_id) || allows(&caller.grants, Permission::OrganiseAt(venue)))
}

/// The organiser's screen: this slot's token, its URL and QR code, and the typed code.
pub async fn shown_code(
    caller: &Caller,
    activity: i64,
    action: Action,
) -> Result<ShownCode, AppError> {
    if !organises(caller, activity).await? {
        return Err(AppError::Forbidden);
    }
    // A cancelled activity shows no code: the screen says why instead.
    let cancelled: bool =
        sqlx::query_scalar("SELECT cancelled_at IS NOT NULL FROM activities WHERE id = $1")
            .bind(activity)
            .fetch_one(&caller.state.pool)
            .await?;
    if cancelled {
        return Err(refused(PointsRefused::ActivityCancelled));
    }
    let now = caller.state.clock.unix_secs();
    let slot = token::slot_at(now);
    let key = &caller.state.checkin_key;
    let token = token::sign(key, activity, action, slot);
    let url = format!(
        "{}/v/checkin?t={token}",
        crate::state::request_origin(&caller.state)
    );
    Ok(ShownCode {
        qr_svg: crate::qr::svg(&url, 280).ok_or_else(|| {
            AppError::internal("check-in QR", "the link is too long for a QR code")
        })?,
        typed: token::typed_code(key, activity, action, slot),
        token,
        url,
        changes_in: token::SLOT_SECS - now.rem_euclid(token::SLOT_SECS),
    })
}

pub async fn my_points(caller: &Caller) -> Result<MyPoints, AppError> {
    let pool = &caller.state.pool;
    let (balance, minutes): (i32, i32) = sqlx::query_as(
        "SELECT coalesce(max(balance), 0), coalesce(max(minutes), 0) FROM volunteer_accounts
          WHERE user_id = $1",
    )
    .bind(caller.user_id)
    .fetch_one(pool)
    .await?;
    let history = sqlx::query(
        "SELECT kind, points, minutes, reason, extract(epoch FROM created_at)::bigint AS at
           FROM points_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(caller.user_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| LedgerLine {
        kind: row.get("kind"),
        points: row.get("points"),
        minutes: row.get("minutes"),
        reason: row.get("reason"),
        at: row.get("at"),
    })
    .collect();
    let badges = sqlx::query_as(
        "SELECT badge, extract(epoch FROM earned_at)::bigint FROM volunteer_badges
          WHERE user_id = $1 ORDER BY earned_at, badge",
    )
    .bind(caller.user_id)
    .fetch_all(pool)
    .await?;
    let redemptions = sqlx::query(&format!("{REDEMPTION} d.user_id = $1 ORDER BY d.id DESC"))
        .bind(caller.user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(redemption_from)
        .collect();
    Ok(MyPoints {
        balance,
        minutes,
        history,
        badges,
        redemptions,
    })
}

/// A redemption with its reward and partner, as [`redemption_from`] reads it; a filter on
/// `d` follows.
const REDEMPTION: &str = "SELECT d.id, r.title, p.name_zh AS partner, d.code, d.cost, d.status,
                extract(epoch FROM d.expires_at)::bigint AS expires_at
           FROM redemptions d JOIN rewards r ON r.id = d.reward_id
           JOIN places p ON p.id = r.partner_id WHERE";

fn redemption_from(row: &sqlx::postgres::PgRow) -> Redemption {
    let code: String = row.get("code");
    let status = match row.get::<String, _>("status").as_str() {
        "verified" => RedemptionStatus::Verified,
        "expired" => RedemptionStatus::Expired,
        _ => RedemptionStatus::Issued,
    };
    Redemption {
        id: row.get("id"),
        reward: row.get("title"),
        partner: row.get("partner"),
        qr_svg: (status == RedemptionStatus::Issued)
            .then(|| crate::qr::svg(&code, 140))
            .flatten(),
        code,
        cost: row.get("cost"),
        status,
        expires_at: row.get("expires_at"),
    }
}

pub async fn rewards(state: &AppState, locale: Locale) -> Result<Vec<Reward>, AppError> {
    let rows = sqlx::query(
        "SELECT r.id, r.partner_id, CASE WHEN $2 THEN p.name_zh ELSE p.name_en END AS partner,
                r.title, r.description, r.cost, r.stock, r.collect_at,
                extract(epoch FROM r.valid_until)::bigint AS valid_until
           FROM rewards r JOIN places p ON p.id = r.partner_id
          WHERE r.valid_until > to_timestamp($1) ORDER BY r.cost, r.id",
    )
    .bind(state.clock.unix_secs() as f64)
    .bind(locale == Locale::Zh)
    .fetch_all(&state.pool)
    .await?;
    Ok(rows.iter().map(reward_from).collect())
}

fn reward_from(row: &sqlx::postgres::PgRow) -> Reward {
    Reward {
        id: row.get("id"),
        partner_id: row.get("partner_id"),
        partner: row.get("partner"),
        title: row.get("title"),
        description: row.get("description"),
        cost: row.get("cost"),
        stock: row.get("stock"),
        valid_until: row.get("valid_until"),
        collect_at: row.get("collect_at"),
    }
}

fn new_code() -> String {
    use password_hash::rand_core::{OsRng, RngCore};
    (0..8)
        .map(|_| CODE_ALPHABET[(OsRng.next_u32() % CODE_ALPHABET.len() as u32) as usize] as char)
        .collect()
}

/// Redeems a reward: one of its stock and its cost in points, in one transaction; the
/// stock's conditional UPDATE and the balance's CHECK refuse an oversell or an overdraw.
pub async fn redeem(caller: &Caller, reward: i64) -> Result<Redemption, AppError> {
    let now = caller.state.clock.unix_secs();
    let mut tx = caller.state.pool.begin().await?;
    let taken = sqlx::query(
        "UPDATE rewards SET stock = stock - 1
          WHERE id = $1 AND stock > 0 AND valid_until > to_timestamp($2)
         RETURNING cost, code_days",
    )
    .bind(reward)
    .bind(now as f64)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(taken) = taken else {
        let expired: Option<bool> =
            sqlx::query_scalar("SELECT valid_until <= to_timestamp($2) FROM rewards WHERE id = $1")
                .bind(reward)
                .bind(now as f64)
                .fetch_optional(&mut *tx)
                .await?;
        return Err(match expired {
            None => invalid_because(PointsField::Reward, PointsProblem::NoSuchReward),
            Some(true) => refused(PointsRefused::RewardExpired),
            Some(false) => refused(PointsRefused::OutOfStock),
        });
    };
    let cost: i32 = taken.get("cost");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO redemptions (reward_id, user_id, code, cost, expires_at)
         VALUES ($1, $2, $3, $4, to_timestamp($5) + make_interval(days => $6)) RETURNING id",
    )
    .bind(reward)
    .bind(caller.user_id)
    .bind(new_code())
    .bind(cost)
    .bind(now as f64)
    .bind(taken.get::<i32, _>("code_days"))
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO points_ledger (user_id, kind, points, reason, redemption_id)
         SELECT $1, 'redeem', -$2, title, $3 FROM rewards WHERE id = $4",
    )
    .bind(caller.user_id)
    .bind(cost)
    .bind(id)
    .bind(reward)
    .execute(&mut *tx)
    .await
    .on_constraint(
        "volunteer_accounts_balance_check",
        refused(PointsRefused::NotEnoughPoints),
    )?;
    let redemption = redemption(&mut tx, id).await?;
    publish(&mut *tx, &[Topic::User(caller.user_id)]).await?;
    tx.commit().await?;
    Ok(redemption)
}

async fn redemption(db: &mut PgConnection, id: i64) -> Result<Redemption, AppError> {
    let row = sqlx::query(&format!("{REDEMPTION} d.id = $1"))
        .bind(id)
        .fetch_one(&mut *db)
        .await?;
    Ok(redemption_from(&row))
}

/// A partner unit verifies a code, once.
pub async fn verify(caller: &Caller, code: &str) -> Result<Redemption, AppError> {
    use crate::accounts::roles::{allows, Permission};
    let now = caller.state.clock.unix_secs();
    let mut tx = caller.state.pool.begin().await?;
    let row = sqlx::query(
        "SELECT d.id, d.status, d.expires_at <= to_timestamp($2) AS expired, r.partner_id
           FROM redemptions d JOIN rewards r ON r.id = d.reward_id
          WHERE d.code = $1 FOR UPDATE OF d",
    )
    .bind(code)
    .bind(now as f64)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        invalid_because(
            PointsField::RedemptionCode,
            PointsProblem::RedemptionCodeFormat,
        )
    })?;
    if !allows(
        &caller.grants,
        Permission::VerifyRedemptionsFor(row.get("partner_id")),
    ) {
        return Err(AppError::Forbidden);
    }
    match row.get::<String, _>("status").as_str() {
        "verified" => return Err(refused(PointsRefused::AlreadyVerified)),
        "expired" => return Err(refused(PointsRefused::RedemptionExpired)),
        _ if row.get::<bool, _>("expired") => {
            return Err(refused(PointsRefused::RedemptionExpired))
        }
        _ => {}
    }
    let id: i64 = row.get("id");
    sqlx::query(
        "UPDATE redemptions SET status = 'verified', verified_at = to_timestamp($2), verified_by = $3
          WHERE id = $1",
    )
    .bind(id)
    .bind(now as f64)
    .bind(caller.user_id)
    .execute(&mut *tx)
    .await?;
    let redemption = redemption(&mut tx, id).await?;
    tx.commit().await?;
    Ok(redemption)
}

/// Expires codes not collected in time and refunds their points, in one statement (safe to
/// run in every process at once). Returns how many.
pub async fn expire_redemptions(pool: &PgPool, now: i64) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "WITH expired AS (
             UPDATE redemptions SET status = 'expired'
              WHERE status = 'issued' AND expires_at <= to_timestamp($1)
             RETURNING id, user_id, cost)
         INSERT INTO points_ledger (user_id, kind, points, reason, redemption_id)
         SELECT user_id, 'refund', cost, '兑换码过期，积分退回', id FROM expired",
    )
    .bind(now as f64)
    .execute(pool)
    .await?
    .rows_affected())
}

/// The admin adds or takes points (audited); returns the new balance.
pub async fn adjust(
    caller: &Caller,
    phone: &PhoneNumber,
    points: i32,
    reason: &str,
) -> Result<i32, AppError> {
    let mut tx = caller.state.pool.begin().await?;
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(phone.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| invalid(PointsField::Phone, crate::error::Problem::UnknownUser))?;
    sqlx::query(
        "INSERT INTO points_ledger (user_id, kind, points, reason, created_by)
         VALUES ($1, 'adjust', $2, $3, $4)",
    )
    .bind(user)
    .bind(points)
    .bind(reason)
    .bind(caller.user_id)
    .execute(&mut *tx)
    .await
    .on_constraint(
        "volunteer_accounts_balance_check",
        refused(PointsRefused::WouldGoNegative),
    )?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail)
         VALUES ($1, 'points.adjust', 'user:' || $2, jsonb_build_object('points', $3, 'reason', $4))",
    )
    .bind(caller.user_id)
    .bind(user)
    .bind(points)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    let balance = sqlx::query_scalar("SELECT balance FROM volunteer_accounts WHERE user_id = $1")
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
    publish(&mut *tx, &[Topic::User(user)]).await?;
    tx.commit().await?;
    Ok(balance)
}

/// Expires uncollected redemption codes every minute, until the process ends (every
/// process may run it: the UPDATE takes each code once).
pub async fn expire_periodically(pool: PgPool, clock: crate::state::Clock) {
    let mut ticker = tokio::time::interval(std::time::Duration::from_secs(60));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match expire_redemptions(&pool, clock.unix_secs()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "expired redemption codes and refunded them"),
            Err(error) => tracing::warn!(?error, "redemption expiry failed; next round retries"),
        }
    }
}

/// Creates an activity from a checked draft; returns its id.
pub async fn create(
    caller: &Caller,
    draft: &super::draft::ActivityDraft,
    photo: Option<crate::uploads::Photo>,
) -> Result<i64, AppError> {
    let mut tx = caller.state.pool.begin().await?;
    if !crate::map::store::is_place(&mut tx, draft.venue).await? {
        return Err(invalid(PointsField::Venue, crate::error::Problem::Required));
    }
    let photo_id = match photo {
        Some(photo) => {
            Some(crate::uploads::store_public_photo(&mut tx, &photo, caller.user_id).await?)
        }
        None => None,
    };
    let (fixed, per_hour, cap) = match draft.rule {
        PointsRule::Fixed { points } => (Some(points), None, None),
        PointsRule::PerHour { per_hour, cap } => (None, Some(per_hour), Some(cap)),
    };
    let id = sqlx::query_scalar(
        "INSERT INTO activities (title, description, photo_id, venue_id, starts_at, ends_at,
                signup_until, capacity, points_fixed, points_per_hour, points_cap, geofence_m,
                tags, organiser_id)
         VALUES ($1, $2, $3, $4, to_timestamp($5), to_timestamp($6), to_timestamp($7), $8, $9,
                 $10, $11, $12, $13, $14)
         RETURNING id",
    )
    .bind(&draft.title)
    .bind(&draft.description)
    .bind(photo_id)
    .bind(draft.venue)
    .bind(draft.starts_at as f64)
    .bind(draft.ends_at as f64)
    .bind(draft.signup_until as f64)
    .bind(draft.capacity)
    .bind(fixed)
    .bind(per_hour)
    .bind(cap)
    .bind(draft.geofence_m)
    .bind(&draft.tags)
    .bind(caller.user_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The visible places (of `kind`, if given) where the caller holds `role`; all of them for an
/// admin. With their names in `locale`.
async fn places_for(
    caller: &Caller,
    role: crate::accounts::roles::Role,
    kind: Option<&str>,
    locale: Locale,
) -> Result<Vec<(i64, String)>, AppError> {
    use crate::accounts::roles::is_admin;
    Ok(sqlx::query_as(
        "SELECT id, CASE WHEN $3 THEN name_zh ELSE name_en END FROM places
          WHERE NOT hidden AND ($4::text IS NULL OR $4 = ANY (kinds))
            AND ($1 OR id = ANY ($2)) ORDER BY id",
    )
    .bind(is_admin(&caller.grants))
    .bind(crate::accounts::roles::places_held(&caller.grants, &[role]))
    .bind(locale == Locale::Zh)
    .bind(kind)
    .fetch_all(&caller.state.pool)
    .await?)
}

/// Where the caller may organise: every visible place for an admin, else their stations.
pub async fn organiser_venues(
    caller: &Caller,
    locale: Locale,
) -> Result<Vec<(i64, String)>, AppError> {
    places_for(
        caller,
        crate::accounts::roles::Role::StationStaff,
        None,
        locale,
    )
    .await
}

/// The partner units the caller offers rewards for: every one for an admin, else those of
/// their partner grants.
pub async fn offering_units(
    caller: &Caller,
    locale: Locale,
) -> Result<Vec<(i64, String)>, AppError> {
    let partner = crate::accounts::roles::Role::Partner;
    places_for(caller, partner, Some("partner_unit"), locale).await
}

/// The rewards of the caller's partner units, ended ones last, with how many codes were
/// issued and collected.
pub async fn offered_rewards(
    caller: &Caller,
    locale: Locale,
) -> Result<Vec<OfferedReward>, AppError> {
    use crate::accounts::roles::{is_admin, Role};
    let rows = sqlx::query(
        "SELECT r.id, r.partner_id, CASE WHEN $3 THEN p.name_zh ELSE p.name_en END AS partner,
                r.title, r.description, r.cost, r.stock, r.collect_at,
                extract(epoch FROM r.valid_until)::bigint AS valid_until,
                r.valid_until <= to_timestamp($4) AS ended,
                count(d.id) AS issued,
                count(d.id) FILTER (WHERE d.status = 'verified') AS collected
           FROM rewards r JOIN places p ON p.id = r.partner_id
           LEFT JOIN redemptions d ON d.reward_id = r.id
          WHERE $1 OR r.partner_id = ANY ($2)
          GROUP BY r.id, p.id ORDER BY ended, r.id DESC",
    )
    .bind(is_admin(&caller.grants))
    .bind(crate::accounts::roles::places_held(
        &caller.grants,
        &[Role::Partner],
    ))
    .bind(locale == Locale::Zh)
    .bind(caller.state.clock.unix_secs() as f64)
    .fetch_all(&caller.state.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|row| OfferedReward {
            reward: reward_from(row),
            ended: row.get("ended"),
            issued: row.get("issued"),
            collected: row.get("collected"),
        })
        .collect())
}

/// A partner unit puts a reward on offer; returns its id.
pub async fn offer_reward(caller: &Caller, draft: &RewardDraft) -> Result<i64, AppError> {
    use crate::accounts::roles::{allows, Permission};
    if !allows(&caller.grants, Permission::OfferRewardsAt(draft.partner)) {
        return Err(AppError::Forbidden);
    }
    let is_partner: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM places WHERE id = $1 AND 'partner_unit' = ANY (kinds))",
    )
    .bind(draft.partner)
    .fetch_one(&caller.state.pool)
    .await?;
    if !is_partner {
        return Err(invalid(
            PointsField::Partner,
            crate::error::Problem::Required,
        ));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO rewards (partner_id, title, description, cost, stock, valid_until,
                code_days, collect_at)
         VALUES ($1, $2, $3, $4, $5, to_timestamp($6), $7, $8) RETURNING id",
    )
    .bind(draft.partner)
    .bind(&draft.title)
    .bind(&draft.description)
    .bind(draft.cost)
    .bind(draft.stock)
    .bind(draft.valid_until as f64)
    .bind(draft.code_days)
    .bind(&draft.collect_at)
    .fetch_one(&caller.state.pool)
    .await?)
}

/// Adds to a reward's stock (one statement: redemptions racing it lose nothing); returns the
/// new stock.
pub async fn restock(caller: &Caller, reward: i64, add: i32) -> Result<i32, AppError> {
    use crate::accounts::roles::{allows, Permission};
    let partner: i64 = sqlx::query_scalar("SELECT partner_id FROM rewards WHERE id = $1")
        .bind(reward)
        .fetch_optional(&caller.state.pool)
        .await?
        .ok_or_else(|| invalid_because(PointsField::Reward, PointsProblem::NoSuchReward))?;
    if !allows(&caller.grants, Permission::OfferRewardsAt(partner)) {
        return Err(AppError::Forbidden);
    }
    Ok(
        sqlx::query_scalar("UPDATE rewards SET stock = stock + $2 WHERE id = $1 RETURNING stock")
            .bind(reward)
            .bind(add)
            .fetch_one(&caller.state.pool)
            .await?,
    )
}

/// An activity's roster: everyone who signed up or waits, with their check-in and out.
pub async fn roster(caller: &Caller, activity: i64) -> Result<Roster, AppError> {
    if !organises(caller, activity).await? {
        return Err(AppError::Forbidden);
    }
    let now = caller.state.clock.unix_secs();
    let pool = &caller.state.pool;
    let (title, ends_at): (String, i64) = sqlx::query_as(
        "SELECT title, extract(epoch FROM ends_at)::bigint FROM activities WHERE id = $1",
    )
    .bind(activity)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query(
        "SELECT s.user_id, u.display_name, u.phone, s.status,
                extract(epoch FROM s.checked_in_at)::bigint AS checked_in_at,
                extract(epoch FROM s.checked_out_at)::bigint AS checked_out_at,
                s.check_in_how, s.check_out_how, s.minutes, s.points,
                (SELECT count(*)::int FROM activity_signups w
                  WHERE w.activity_id = s.activity_id AND w.status = 'waiting'
                    AND w.queued_at <= s.queued_at) AS place
           FROM activity_signups s JOIN users u ON u.id = s.user_id
          WHERE s.activity_id = $1 AND s.status <> 'cancelled'
          ORDER BY s.status DESC, s.queued_at",
    )
    .bind(activity)
    .fetch_all(pool)
    .await?;
    let over = now > ends_at + rules::WINDOW_MARGIN_SECS;
    let entries = rows
        .iter()
        .map(|row| {
            let status: String = row.get("status");
            let checked_in_at: Option<i64> = row.get("checked_in_at");
            let checked_out_at: Option<i64> = row.get("checked_out_at");
            RosterEntry {
                user_id: row.get("user_id"),
                name: row.get("display_name"),
                phone_masked: PhoneNumber::parse(row.get::<&str, _>("phone"))
                    .map(|p| p.masked())
                    .unwrap_or_default(),
                status: status_of(
                    &status,
                    checked_in_at.is_some(),
                    checked_out_at.is_some(),
                    row.get("place"),
                ),
                no_show: status == "signed_up" && checked_in_at.is_none() && over,
                checked_in_at,
                checked_out_at,
                how_in: row.get("check_in_how"),
                how_out: row.get("check_out_how"),
                minutes: row.get("minutes"),
                points: row.get("points"),
            }
        })
        .collect();
    Ok(Roster {
        activity,
        title,
        entries,
    })
}

/// An organiser cancels an activity no one has checked in to yet; everyone signed up or
/// waiting is told in 我的消息. Audited, with the reason.
pub async fn cancel_activity(caller: &Caller, activity: i64, reason: &str) -> Result<(), AppError> {
    if !organises(caller, activity).await? {
        return Err(AppError::Forbidden);
    }
    let now = caller.state.clock.unix_secs();
    let mut tx = caller.state.pool.begin().await?;
    // Every sign-up locked: a check-in racing this either came first (and is seen here) or
    // waits and then sees the cancellation.
    let checked_in: Vec<bool> = sqlx::query_scalar(
        "SELECT checked_in_at IS NOT NULL FROM activity_signups
          WHERE activity_id = $1 AND status <> 'cancelled' FOR UPDATE",
    )
    .bind(activity)
    .fetch_all(&mut *tx)
    .await?;
    if checked_in.contains(&true) {
        return Err(refused(PointsRefused::SomeoneCheckedIn));
    }
    let done = sqlx::query(
        "UPDATE activities SET cancelled_at = to_timestamp($2) WHERE id = $1 AND cancelled_at IS NULL",
    )
    .bind(activity)
    .bind(now as f64)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(refused(PointsRefused::ActivityCancelled));
    }
    let told: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO notifications (user_id, kind, subject, link)
         SELECT s.user_id, 'points.cancelled', a.title, '/volunteer'
           FROM activity_signups s JOIN activities a ON a.id = s.activity_id
          WHERE s.activity_id = $1 AND s.status <> 'cancelled'
         RETURNING user_id",
    )
    .bind(activity)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail)
         VALUES ($1, 'points.cancel_activity', 'activity:' || $2,
                 jsonb_build_object('reason', $3::text, 'told', $4::int))",
    )
    .bind(caller.user_id)
    .bind(activity)
    .bind(reason)
    .bind(told.len() as i32)
    .execute(&mut *tx)
    .await?;
    let topics: Vec<Topic> = std::iter::once(Topic::Activity(activity))
        .chain(told.into_iter().map(Topic::User))
        .collect();
    publish(&mut *tx, &topics).await?;
    tx.commit().await?;
    Ok(())
}

/// An organiser checks a volunteer in or out by hand (now, within the activity's window).
pub async fn check_by_hand(
    caller: &Caller,
    activity: i64,
    volunteer: i64,
    action: Action,
    reason: &str,
) -> Result<Checked, AppError> {
    if !organises(caller, activity).await? {
        return Err(AppError::Forbidden);
    }
    record(
        &caller.state,
        Check {
            volunteer,
            activity,
            action,
            at: caller.state.clock.unix_secs(),
            how: "manual",
            position: None,
            by_hand: Some((caller.user_id, reason)),
        },
    )
    .await
}

/// The volunteer's served activities (checked out), oldest first, and their total time.
pub async fn service_record(caller: &Caller, locale: Locale) -> Result<ServiceRecord, AppError> {
    let pool = &caller.state.pool;
    let (name, phone): (String, String) =
        sqlx::query_as("SELECT display_name, phone FROM users WHERE id = $1")
            .bind(caller.user_id)
            .fetch_one(pool)
            .await?;
    let entries: Vec<(String, String, i64, i32)> = sqlx::query_as(
        "SELECT a.title, CASE WHEN $2 THEN p.name_zh ELSE p.name_en END,
                extract(epoch FROM a.starts_at)::bigint, s.minutes
           FROM activity_signups s
           JOIN activities a ON a.id = s.activity_id JOIN places p ON p.id = a.venue_id
          WHERE s.user_id = $1 AND s.checked_out_at IS NOT NULL AND s.minutes > 0
          ORDER BY a.starts_at",
    )
    .bind(caller.user_id)
    .bind(locale == Locale::Zh)
    .fetch_all(pool)
    .await?;
    Ok(ServiceRecord {
        name,
        phone_masked: PhoneNumber::parse(&phone)
            .map(|p| p.masked())
            .unwrap_or_default(),
        total_minutes: entries.iter().map(|e| e.3).sum(),
        entries,
        issued_at: caller.state.clock.unix_secs(),
    })
}

/// Points earned this month (Shanghai time) by those who joined the leaderboard, top 20.
pub async fn leaderboard(caller: &Caller) -> Result<Leaderboard, AppError> {
    let now = caller.state.clock.shanghai_now();
    let month = crate::map::hours::format_date(now.day)[..7].to_owned();
    let rows = sqlx::query_as(
        "SELECT u.display_name, sum(l.points)::bigint AS earned
           FROM points_ledger l
           JOIN volunteer_accounts a ON a.user_id = l.user_id AND a.on_leaderboard
           JOIN users u ON u.id = l.user_id
          WHERE l.kind = 'earn'
            AND to_char(l.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $1
          GROUP BY u.id, u.display_name
          ORDER BY earned DESC, u.id LIMIT 20",
    )
    .bind(&month)
    .fetch_all(&caller.state.pool)
    .await?;
    let opted_in = sqlx::query_scalar(
        "SELECT coalesce(bool_or(on_leaderboard), false) FROM volunteer_accounts WHERE user_id = $1",
    )
    .bind(caller.user_id)
    .fetch_one(&caller.state.pool)
    .await?;
    Ok(Leaderboard {
        month,
        rows,
        opted_in,
    })
}

pub async fn join_leaderboard(caller: &Caller, join: bool) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO volunteer_accounts (user_id, on_leaderboard) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET on_leaderboard = EXCLUDED.on_leaderboard",
    )
    .bind(caller.user_id)
    .bind(join)
    .execute(&caller.state.pool)
    .await?;
    Ok(())
}
