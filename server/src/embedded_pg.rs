//! A private PostgreSQL cluster for when no `DATABASE_URL` is given: initialised from the
//! system's PostgreSQL binaries in a project-local directory, listening only on a unix socket
//! in a directory only its owner can enter, and stopped when this process ends.
//!
//! As root, PostgreSQL refuses to run, so the cluster runs as the unprivileged `postgres`
//! user. The server is our child with a parent-death signal, so even if this process is
//! killed outright the cluster shuts down instead of lingering.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The role every connection uses; trust authentication is safe because only the socket
/// directory's owner can reach the socket.
pub const SUPERUSER: &str = "postgres";
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Trade durability for speed: for throwaway test clusters only.
    pub no_fsync: bool,
    /// The port naming the socket; a free one when `None`. A restarted cluster keeps its
    /// URL by reusing its port.
    pub port: Option<u16>,
}

pub struct EmbeddedPostgres {
    pid: libc::pid_t,
    /// Hears when the server process has exited (behind a mutex so the cluster is `Sync`).
    exited: std::sync::Mutex<mpsc::Receiver<()>>,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    port: u16,
    stopped: bool,
}

/// The unprivileged account PostgreSQL runs as when we are root.
#[derive(Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

impl EmbeddedPostgres {
    /// Initialises the cluster in `data_dir` (or a fallback, see `usable_data_dir`) on first
    /// use and starts it.
    pub fn start(data_dir: &Path, options: &Options) -> Result<EmbeddedPostgres, String> {
        let bin = find_bindir()?;
        let run_as = run_as()?;
        let data_dir = usable_data_dir(data_dir, run_as)?;
        prepare_dir(&data_dir, run_as)?;

        if !data_dir.join("PG_VERSION").exists() {
            tracing::info!(dir = %data_dir.display(), "initialising a private PostgreSQL cluster");
            let output = as_user(Command::new(bin.join("initdb")), run_as)
                .arg("-D")
                .arg(&data_dir)
                .args([
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                ])
                .arg("--no-instructions")
                .output()
                .map_err(|e| format!("could not run initdb: {e}"))?;
            if !output.status.success() {
                return Err(format!(
                    "initdb failed in {}: {}",
                    data_dir.display(),
                    String::from_utf8_lossy(&output.stderr).trim()
                ));
            }
        }

        wait_for_previous_server(&data_dir);

        // A unix socket path is limited to about 100 bytes; fall back to /tmp for deep paths.
        let socket_dir = if data_dir.as_os_str().len() < 80 {
            data_dir.clone()
        } else {
            let dir = std::env::temp_dir().join(format!("zd-pg-{}", std::process::id()));
            prepare_dir(&dir, run_as)?;
            dir
        };
        let port = match options.port {
            Some(port) => port,
            None => free_port()?,
        };
        let log_path = data_dir.with_extension("log");
        // Appended to, so that a restart keeps the log of what went before.
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| format!("cannot write {}: {e}", log_path.display()))?;

        let mut command = as_user(Command::new(bin.join("postgres")), run_as);
        command
            .arg("-D")
            .arg(&data_dir)
            .arg("-p")
            .arg(port.to_string())
            .arg("-k")
            .arg(&socket_dir)
            .args(["-c", "listen_addresses="])
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log);
        if options.no_fsync {
            command.args([
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ]);
        }
        // SAFETY: prctl is async-signal-safe; it runs in the child between fork and exec,
        // after the uid change (which would otherwise clear it).
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }

        // The parent-death signal fires when the *thread* that forked the child exits, so
        // the child is forked from a thread of its own that lives exactly as long as it.
        let (started_tx, started_rx) = mpsc::channel();
        let (exited_tx, exited_rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("postgres-parent".into())
            .spawn(move || match command.spawn() {
                Ok(mut child) => {
                    let _ = started_tx.send(Ok(child.id() as libc::pid_t));
                    let _ = child.wait();
                    let _ = exited_tx.send(());
                }
                Err(e) => {
                    let _ = started_tx.send(Err(format!("could not start postgres: {e}")));
                }
            })
            .map_err(|e| e.to_string())?;
        let pid = started_rx.recv().map_err(|e| e.to_string())??;

        let cluster = EmbeddedPostgres {
            pid,
            exited: std::sync::Mutex::new(exited_rx),
            data_dir,
            socket_dir,
            port,
            stopped: false,
        };
        cluster.wait_until_ready(&log_path)?;
        Ok(cluster)
    }

    /// A connection URL for `database` over the unix socket.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost:{}/{database}?host={}",
            self.port,
            self.socket_dir.display()
        )
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Fast shutdown: disconnects clients, writes a checkpoint, exits.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        if self.has_exited(Duration::ZERO) {
            return; // already gone (and its pid may belong to someone else by now)
        }
        // SAFETY: sending a signal to our own child process.
        unsafe {
            libc::kill(self.pid, libc::SIGINT);
        }
        if !self.has_exited(Duration::from_secs(30)) {
            tracing::warn!(pid = self.pid, "postgres did not stop in 30 s; killing it");
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
            }
        }
    }

    /// Waits at most `patience` for the server process to exit; true once it has.
    pub fn wait_for_exit(&self, patience: Duration) -> bool {
        self.has_exited(patience)
    }

    fn has_exited(&self, patience: Duration) -> bool {
        let exited = self
            .exited
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match exited.recv_timeout(patience) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => true,
            Err(mpsc::RecvTimeoutError::Timeout) => false,
        }
    }

    fn wait_until_ready(&self, log_path: &Path) -> Result<(), String> {
        let deadline = Instant::now() + STARTUP_LIMIT;
        let pid_file = self.data_dir.join("postmaster.pid");
        loop {
            // Since PostgreSQL 10 the last line of postmaster.pid says "ready" once the
            // server accepts connections. The file must be our server's: after a crash the
            // dead server's file still says "ready" until the new one replaces it.
            if let Ok(contents) = fs::read_to_string(&pid_file) {
                let mut lines = contents.lines();
                let ours = lines.next().and_then(|pid| pid.trim().parse().ok()) == Some(self.pid);
                if ours && lines.nth(6).is_some_and(|status| status.trim() == "ready") {
                    return Ok(());
                }
            }
            if self.has_exited(Duration::ZERO) || Instant::now() > deadline {
                let mut log = String::new();
                let _ = fs::File::open(log_path).and_then(|mut f| f.read_to_string(&mut log));
                let tail: Vec<&str> = log.lines().rev().take(5).collect();
                return Err(format!(
                    "PostgreSQL did not start (log {}): {}",
                    log_path.display(),
                    tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A previous server on this directory may still be shutting down (its parent was killed a
/// moment ago, e.g. by a rebuild): give it a few seconds to release the directory.
fn wait_for_previous_server(data_dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while let Some(pid) = fs::read_to_string(data_dir.join("postmaster.pid"))
        .ok()
        .and_then(|c| c.lines().next()?.trim().parse::<libc::pid_t>().ok())
    {
        // SAFETY: signal 0 only asks whether the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        if !alive || Instant::now() > deadline {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The directory holding `initdb` and `postgres`: `ZD_PG_BINDIR`, then the newest
/// `/usr/lib/postgresql/*/bin` (Debian), then `PATH`.
fn find_bindir() -> Result<PathBuf, String> {
    let has_server = |dir: &Path| dir.join("postgres").is_file() && dir.join("initdb").is_file();
    if let Some(dir) = std::env::var_os("ZD_PG_BINDIR").map(PathBuf::from) {
        return if has_server(&dir) {
            Ok(dir)
        } else {
            Err(format!(
                "ZD_PG_BINDIR={} holds no initdb and postgres",
                dir.display()
            ))
        };
    }
    let mut debian: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, dir)| has_server(dir))
        .collect();
    debian.sort();
    if let Some((_, dir)) = debian.pop() {
        return Ok(dir);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|dir| has_server(dir))
        .ok_or_else(|| {
            "PostgreSQL server binaries (initdb, postgres) were not found: install them \
             (Debian: apt-get install postgresql) or set DATABASE_URL"
                .to_owned()
        })
}

fn run_as() -> Result<Option<RunAs>, String> {
    // SAFETY: geteuid cannot fail; getpwnam returns a pointer into static storage that we
    // read at once.
    unsafe {
        if libc::geteuid() != 0 {
            return Ok(None);
        }
        let name = std::ffi::CString::new(SUPERUSER).expect("no NUL in a constant");
        let pw = libc::getpwnam(name.as_ptr());
        if pw.is_null() {
            return Err(
                "running as root, PostgreSQL needs an unprivileged user 'postgres': \
                        create it (useradd --system postgres) or run as a normal user"
                    .to_owned(),
            );
        }
        Ok(Some(RunAs {
            uid: (*pw).pw_uid,
            gid: (*pw).pw_gid,
        }))
    }
}

fn as_user(mut command: Command, run_as: Option<RunAs>) -> Command {
    if let Some(user) = run_as {
        command.uid(user.uid).gid(user.gid);
        // Keep the child out of root's home and environment.
        command.current_dir("/").env("HOME", "/tmp");
    }
    command
}

/// As root the cluster runs as `postgres`, which must be able to reach the directory. A
/// checkout under a private home (e.g. /root) is out of its reach, so then the cluster goes
/// to /var/tmp under a name derived from the requested path.
fn usable_data_dir(requested: &Path, run_as: Option<RunAs>) -> Result<PathBuf, String> {
    let absolute = std::path::absolute(requested).map_err(|e| e.to_string())?;
    let Some(user) = run_as else {
        return Ok(absolute);
    };
    let reachable = absolute
        .ancestors()
        .skip(1)
        .all(|dir| match fs::metadata(dir) {
            Ok(meta) => meta.mode() & 0o001 != 0 || meta.uid() == user.uid,
            Err(_) => true, // not created yet: we create it world-traversable below
        });
    if reachable {
        return Ok(absolute);
    }
    let digest = absolute
        .to_string_lossy()
        .bytes()
        .fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100000001b3)
        });
    let fallback = PathBuf::from(format!("/var/tmp/zero-distance/{digest:016x}"));
    tracing::info!(
        requested = %absolute.display(),
        using = %fallback.display(),
        "the postgres user cannot reach the data directory; using a directory it can reach"
    );
    Ok(fallback)
}

fn prepare_dir(dir: &Path, run_as: Option<RunAs>) -> Result<(), String> {
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    if !dir.exists() {
        fs::create_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    if let Some(user) = run_as {
        std::os::unix::fs::chown(dir, Some(user.uid), Some(user.gid))
            .map_err(|e| format!("cannot hand {} to postgres: {e}", dir.display()))?;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .map_err(|e| format!("cannot restrict {}: {e}", dir.display()))
}

/// A port no one listens on now. With `listen_addresses=''` PostgreSQL opens no TCP socket;
/// the port only names the unix socket, but a free one keeps tools that assume TCP honest.
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free local port: {e}"))
}
