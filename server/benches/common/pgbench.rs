//! Runs PostgreSQL's own pgbench with a custom transaction script, for a benchmark to print
//! the database's limit for the same transaction beside the app's figures.

/// Runs `script` (pgbench's custom script language) against `url` with `clients` for
/// `seconds`; returns pgbench's "tps = …" and "latency average = …" lines.
pub fn run(url: &str, name: &str, script: &str, clients: u32, seconds: u32) -> (String, String) {
    let path = std::env::temp_dir().join(format!("zd-{name}.sql"));
    std::fs::write(&path, script).expect("pgbench script");
    let pgbench = ["/usr/lib/postgresql/15/bin/pgbench", "pgbench"]
        .into_iter()
        .find(|p| {
            std::process::Command::new(p)
                .arg("--version")
                .output()
                .is_ok()
        })
        .expect("pgbench (PostgreSQL's own benchmark tool)");
    let output = std::process::Command::new(pgbench)
        .args(["-n", "-j", "2"])
        .args(["-c", &clients.to_string(), "-T", &seconds.to_string(), "-f"])
        .arg(&path)
        .arg(url)
        .output()
        .expect("pgbench runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "pgbench failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = |key: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_default()
            .to_owned()
    };
    (line("tps"), line("latency average"))
}
