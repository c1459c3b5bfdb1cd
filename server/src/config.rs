//! All configuration, read from the environment in one place.

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: an existing PostgreSQL database. Unset: a private cluster in `data_dir`.
    pub database_url: Option<String>,
    /// `ZD_DATA_DIR`: where the private cluster lives (default `.data/postgres`).
    pub data_dir: PathBuf,
    /// `ZD_DEMO_DATA`: load demo data into an empty database (default on; `off` disables).
    pub demo_data: bool,
    /// `ZD_ADMIN_PHONE` and `ZD_ADMIN_PASSWORD`: make sure this admin exists at start-up.
    pub admin: Option<(String, String)>,
    /// `ZD_SECURE_COOKIES`: always mark cookies `Secure` (set it when serving over HTTPS).
    pub secure_cookies: bool,
    /// `ZD_TRUST_PROXY`: take client addresses from `X-Forwarded-For` and the host from
    /// `X-Forwarded-Host` (only behind a reverse proxy that sets them).
    pub trust_proxy: bool,
    /// `ZD_TILE_URL`: map tiles, as a `{z}/{x}/{y}` URL template (default OpenStreetMap).
    pub tile_url: String,
    /// `ZD_CHECKIN_SECRET`: the key check-in codes are signed with (at least 32
    /// characters); unset, one is generated at the first start and kept in the database.
    pub checkin_secret: Option<String>,
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let admin = match (var("ZD_ADMIN_PHONE"), var("ZD_ADMIN_PASSWORD")) {
            (Some(phone), Some(password)) => Some((phone, password)),
            (None, None) => None,
            _ => return Err("set both ZD_ADMIN_PHONE and ZD_ADMIN_PASSWORD, or neither".into()),
        };
        Ok(Config {
            database_url: var("DATABASE_URL"),
            data_dir: var("ZD_DATA_DIR")
                .map_or_else(|| PathBuf::from(".data/postgres"), PathBuf::from),
            demo_data: flag("ZD_DEMO_DATA", var("ZD_DEMO_DATA"), true)?,
            admin,
            secure_cookies: flag("ZD_SECURE_COOKIES", var("ZD_SECURE_COOKIES"), false)?,
            trust_proxy: flag("ZD_TRUST_PROXY", var("ZD_TRUST_PROXY"), false)?,
            tile_url: var("ZD_TILE_URL").unwrap_or_else(|| app::state::DEFAULT_TILE_URL.to_owned()),
            checkin_secret: match var("ZD_CHECKIN_SECRET") {
                Some(secret) if secret.len() < 32 => {
                    return Err("ZD_CHECKIN_SECRET must be at least 32 characters".into())
                }
                secret => secret,
            },
        })
    }
}

fn flag(name: &str, value: Option<String>, default: bool) -> Result<bool, String> {
    match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("1" | "on" | "true" | "yes") => Ok(true),
        Some("0" | "off" | "false" | "no") => Ok(false),
        Some(other) => Err(format!("{name}={other}: use on or off")),
    }
}

#[cfg(test)]
mod tests {
    use super::flag;

    #[test]
    fn flags_take_on_and_off_and_refuse_the_rest() {
        assert_eq!(flag("X", None, true), Ok(true));
        assert_eq!(flag("X", Some("OFF".into()), true), Ok(false));
        assert_eq!(flag("X", Some("1".into()), false), Ok(true));
        assert!(flag("X", Some("maybe".into()), false).is_err());
    }
}
