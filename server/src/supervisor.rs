//! Keeps the private PostgreSQL cluster running. If its server process dies (killed, out of
//! memory), the supervisor starts it again on the same directory and port, so PostgreSQL's
//! own crash recovery replays the write-ahead log and every acknowledged write is still
//! there. Meanwhile [`DatabaseHealth`] says the database is down, and [`refuse_while_down`]
//! answers 503 at once instead of letting each request wait out the pool's timeout.

use crate::embedded_pg::{EmbeddedPostgres, Options};
use app::error::AppError;
use app::i18n::Locale;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the supervisor looks at the server process, and waits between restart attempts.
const POLL: Duration = Duration::from_millis(100);

/// Whether the database can be reached right now, as far as this process knows.
#[derive(Clone, Debug)]
pub struct DatabaseHealth(Option<Arc<AtomicBool>>);

impl DatabaseHealth {
    /// For a database someone else runs: the pool's own errors tell when it is down.
    pub fn assumed_up() -> DatabaseHealth {
        DatabaseHealth(None)
    }

    pub fn is_up(&self) -> bool {
        self.0.as_ref().is_none_or(|up| up.load(Ordering::Acquire))
    }
}

pub struct Supervisor {
    up: Arc<AtomicBool>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Supervisor {
    /// Watches `cluster` from a thread of its own (the cluster's parent-death signal belongs
    /// to the thread that started it, so restarts happen on this one long-lived thread).
    pub fn watch(cluster: EmbeddedPostgres, options: Options) -> Result<Supervisor, String> {
        let up = Arc::new(AtomicBool::new(true));
        let (stop, stop_requested) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("postgres-supervisor".into())
            .spawn({
                let up = up.clone();
                move || supervise(cluster, options, &up, &stop_requested)
            })
            .map_err(|e| format!("cannot start the database supervisor: {e}"))?;
        Ok(Supervisor {
            up,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn health(&self) -> DatabaseHealth {
        DatabaseHealth(Some(self.up.clone()))
    }

    /// Stops the cluster (fast shutdown) and the supervisor with it.
    pub fn stop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        self.stop();
    }
}

fn supervise(
    mut cluster: EmbeddedPostgres,
    options: Options,
    up: &AtomicBool,
    stop_requested: &mpsc::Receiver<()>,
) {
    let options = Options {
        port: Some(cluster.port()),
        ..options
    };
    let stopping = || !matches!(stop_requested.try_recv(), Err(mpsc::TryRecvError::Empty));
    loop {
        if cluster.wait_for_exit(POLL) {
            up.store(false, Ordering::Release);
            let lost_at = Instant::now();
            tracing::warn!("the PostgreSQL server stopped unexpectedly; restarting it");
            loop {
                if stopping() {
                    return;
                }
                match EmbeddedPostgres::start(cluster.data_dir(), &options) {
                    Ok(restarted) => {
                        cluster = restarted;
                        break;
                    }
                    // Typically its old backends have not all exited yet and still hold the
                    // shared memory; they notice their postmaster is gone within moments.
                    Err(e) => {
                        tracing::warn!("PostgreSQL did not restart yet: {e}");
                        std::thread::sleep(POLL);
                    }
                }
            }
            up.store(true, Ordering::Release);
            tracing::info!(
                after_ms = lost_at.elapsed().as_millis() as u64,
                "the PostgreSQL server is back"
            );
        }
        if stopping() {
            cluster.stop();
            return;
        }
    }
}

/// While the supervised database is down, every request that would need it gets a 503 at
/// once: JSON for the API, a short page for browsers. Static files are still served.
pub async fn refuse_while_down(
    State(health): State<DatabaseHealth>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if health.is_up() || crate::cache_control::is_static_file(path) {
        return next.run(request).await;
    }
    if path.starts_with("/api/") || path.starts_with("/open311/") {
        let mut response = crate::error_response(&AppError::Unavailable);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        return response;
    }
    let locale = request
        .headers()
        .get(header::COOKIE)
        .and_then(|cookies| cookies.to_str().ok())
        .map(Locale::from_cookie_header)
        .unwrap_or_default();
    let message = AppError::Unavailable.message(locale);
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>零距离</title></head><body><main><h1>{message}</h1></main></body></html>",
        locale.tag()
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::RETRY_AFTER, "2"),
        ],
        page,
    )
        .into_response()
}
