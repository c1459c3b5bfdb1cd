//! `server` serves the app; `server create-admin PHONE PASSWORD [NAME]` makes an admin.

use app::state::AppState;
use leptos::config::get_configuration;
use server::config::Config;
use server::embedded_pg::{EmbeddedPostgres, Options};
use server::supervisor::{DatabaseHealth, Supervisor};
use std::process::ExitCode;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

const DATABASE_NAME: &str = "zero_distance";
const USAGE: &str = "usage: server [serve] | server create-admin PHONE PASSWORD [NAME]";

enum Command {
    Serve,
    CreateAdmin {
        phone: String,
        password: String,
        name: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => Command::Serve,
        ["create-admin", phone, password] => Command::CreateAdmin {
            phone: phone.to_string(),
            password: password.to_string(),
            name: "管理员".into(),
        },
        ["create-admin", phone, password, name] => Command::CreateAdmin {
            phone: phone.to_string(),
            password: password.to_string(),
            name: name.to_string(),
        },
        _ => return Err(USAGE.into()),
    };
    let config = Config::from_env()?;

    // The private cluster is started here, on the main thread and before the runtime, so
    // that it lives exactly as long as this process; its supervisor restarts it if it dies.
    let mut cluster = match &config.database_url {
        Some(_) => None,
        None => {
            let started = EmbeddedPostgres::start(&config.data_dir, &Options::default())?;
            let url = |database: &str| started.url(database);
            let urls = (url("postgres"), url(DATABASE_NAME));
            tracing::info!(dir = %started.data_dir().display(), "using the private PostgreSQL cluster");
            Some((Supervisor::watch(started, Options::default())?, urls))
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let result = runtime.block_on(async {
        let (url, health) = match (&config.database_url, &cluster) {
            (Some(url), _) => (url.clone(), DatabaseHealth::assumed_up()),
            (None, Some((supervisor, (admin_url, url)))) => {
                server::ensure_database(admin_url, DATABASE_NAME).await?;
                (url.clone(), supervisor.health())
            }
            (None, None) => unreachable!("a cluster is started when no URL is given"),
        };
        let pool = server::connect(&url, Duration::from_secs(10)).await?;
        server::migrate(&pool).await?;
        match command {
            Command::CreateAdmin {
                phone,
                password,
                name,
            } => {
                server::ensure_admin(&pool, &phone, &password, &name).await?;
                tracing::info!(phone, "admin ready");
                Ok(())
            }
            Command::Serve => serve(config, pool, health).await,
        }
    });
    drop(runtime);
    if let Some((supervisor, _)) = cluster.as_mut() {
        supervisor.stop();
    }
    result
}

async fn serve(config: Config, pool: sqlx::PgPool, health: DatabaseHealth) -> Result<(), String> {
    if let Some((phone, password)) = &config.admin {
        server::ensure_admin(&pool, phone, password, "管理员").await?;
        tracing::info!(phone, "admin from ZD_ADMIN_PHONE ready");
    }
    if config.demo_data && server::demo::load_if_empty(&pool).await? {
        tracing::info!("loaded the demo data (ZD_DEMO_DATA=off to skip)");
    }

    let conf = get_configuration(None).map_err(|e| format!("Leptos configuration: {e}"))?;
    let leptos_options = conf.leptos_options;
    let addr = leptos_options.site_addr;
    // Closes unconfirmed requests and escalates overdue ones; safe in every process.
    tokio::spawn(app::requests::jobs::run_periodically(
        pool.clone(),
        app::state::Clock::System,
    ));
    // Expires uncollected reward codes and refunds them; safe in every process.
    tokio::spawn(app::points::store::expire_periodically(
        pool.clone(),
        app::state::Clock::System,
    ));
    let checkin_key = app::points::store::checkin_key(&pool, config.checkin_secret.as_deref())
        .await
        .map_err(|e| format!("check-in key: {e}"))?;
    let state = AppState {
        checkin_key: checkin_key.into(),
        live: app::live::Hub::start(pool.clone()),
        pool,
        secure_cookies: config.secure_cookies,
        trust_proxy: config.trust_proxy,
        tile_url: config.tile_url.clone(),
        clock: app::state::Clock::System,
    };
    let app = server::router(leptos_options, state, health);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("serving Zero Distance on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing a SIGTERM handler cannot fail on Unix");
    tokio::select! {
        _ = interrupt => {},
        _ = terminate.recv() => {},
    }
    tracing::info!("shutting down");
}
