//! The periodic job: closes requests nobody confirmed within seven days of their resolution
//! and escalates overdue ones. Every server process runs it; the store's locking makes that
//! safe (see `store::auto_close` and `store::escalate_overdue`).

use super::store;
use crate::state::Clock;
use sqlx::PgPool;
use std::time::Duration;

/// How often the job looks; deadlines are minutes apart at the finest.
pub const INTERVAL: Duration = Duration::from_secs(60);

/// Runs the job every [`INTERVAL`] until the process ends.
pub async fn run_periodically(pool: PgPool, clock: Clock) {
    let mut ticker = tokio::time::interval(INTERVAL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let now = clock.unix_secs();
        match store::auto_close(&pool, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(closed = n, "closed requests unconfirmed for 7 days"),
            Err(error) => tracing::warn!(?error, "auto-close failed; next round retries"),
        }
        match store::escalate_overdue(&pool, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(escalated = n, "escalated overdue requests"),
            Err(error) => tracing::warn!(?error, "escalation failed; next round retries"),
        }
    }
}
