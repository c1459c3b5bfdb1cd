//! The numbers for a year read every request of the year: with 100,000 requests that takes a
//! few hundred milliseconds. So each report asked for is kept, per database, until a request
//! changes (the live channel's `requests` topic, which every step publishes, or a possible
//! loss of notices). A changed report computed less than a minute ago is still served at
//! once, while a fresh one is computed beside it for the next reader; an older one is
//! computed afresh while the reader waits. Every report carries the moment it was computed,
//! and the page shows it: figures are never more than a minute behind a change without
//! saying so. Work done in the background is one computation per report read, never more.

use super::store::{compute, Question};
use super::Report;
use crate::live::{Notice, Topic};
use crate::state::AppState;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// How long after its computation a report that changed may still be served while a fresh
/// one is computed.
const SERVE_CHANGED_FOR: Duration = Duration::from_secs(60);

struct Kept {
    question: Question,
    report: Report,
    computed: Instant,
    /// The database's change count when its computation began.
    version: u64,
    /// A fresh one is being computed.
    refreshing: bool,
}

#[derive(Default)]
struct Database {
    /// Whether a task already listens for this database's changes.
    watched: bool,
    /// Changes to its requests seen so far.
    version: u64,
    reports: Vec<Kept>,
}

type Databases = Mutex<HashMap<String, Database>>;

fn lock() -> std::sync::MutexGuard<'static, HashMap<String, Database>> {
    static DATABASES: OnceLock<Arc<Databases>> = OnceLock::new();
    DATABASES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Which database a pool reaches: tests run many apps on many databases in one process.
fn database_of(state: &AppState) -> String {
    let options = state.pool.connect_options();
    format!(
        "{:?}|{}|{}|{:?}",
        options.get_socket(),
        options.get_host(),
        options.get_port(),
        options.get_database()
    )
}

/// The report to serve for `question` without waiting, if there is one; a changed one
/// starts its own recomputation.
pub fn get(state: &AppState, question: &Question) -> Option<Report> {
    let mut all = lock();
    let database = all.get_mut(&database_of(state))?;
    let version = database.version;
    let kept = database
        .reports
        .iter_mut()
        .find(|k| k.question == *question)?;
    if kept.version == version {
        return Some(kept.report.clone());
    }
    if kept.computed.elapsed() >= SERVE_CHANGED_FOR {
        return None;
    }
    if !kept.refreshing {
        kept.refreshing = true;
        let (state, question) = (state.clone(), question.clone());
        tokio::spawn(async move {
            match compute(&state, &question).await {
                Ok(report) => put(&state, question, report, version),
                Err(error) => {
                    tracing::warn!(?error, "numbers: cannot recompute a report");
                    forget(&state, &question);
                }
            }
        });
    }
    Some(kept.report.clone())
}

/// The database's change count, taken before computing a report for `put`.
pub fn version(state: &AppState) -> u64 {
    lock().get(&database_of(state)).map_or(0, |d| d.version)
}

/// Keeps `report`, whose computation began at change count `version`, and makes sure this
/// database's changes mark it.
pub fn put(state: &AppState, question: Question, report: Report, version: u64) {
    let name = database_of(state);
    let mut all = lock();
    let database = all.entry(name.clone()).or_default();
    database.reports.retain(|k| k.question != question);
    database.reports.push(Kept {
        question,
        report,
        computed: Instant::now(),
        version,
        refreshing: false,
    });
    if !database.watched {
        database.watched = true;
        tokio::spawn(watch(state.live.subscribe(), name));
    }
}

fn forget(state: &AppState, question: &Question) {
    if let Some(database) = lock().get_mut(&database_of(state)) {
        database.reports.retain(|k| k.question != *question);
    }
}

/// Marks the database's reports changed on every change to its requests, until the app
/// stops.
async fn watch(mut notices: tokio::sync::broadcast::Receiver<Notice>, name: String) {
    loop {
        let changed = match notices.recv().await {
            Ok(Notice::Changed(topics)) => topics.contains(&Topic::AllRequests),
            Ok(Notice::Reload) | Err(RecvError::Lagged(_)) => true,
            Err(RecvError::Closed) => break,
        };
        if changed {
            if let Some(database) = lock().get_mut(&name) {
                database.version += 1;
            }
        }
    }
    // The hub is gone (its app stopped): the next report starts watching again.
    if let Some(database) = lock().get_mut(&name) {
        database.watched = false;
        database.reports.clear();
    }
}
