//! CSV files for download (settlements, console exports), built once for every capability:
//! RFC 4180 quoting, a UTF-8 byte-order mark so that Excel reads Chinese correctly, and
//! cells that a spreadsheet would run as a formula defused.

/// A CSV document of `header` and `rows`.
pub fn document<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = String::from("\u{feff}");
    line(&mut out, header.iter().map(|h| h.to_string()));
    for row in rows {
        line(&mut out, row);
    }
    out
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().map(|c| cell(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

fn cell(value: &str) -> String {
    // A leading = + - @ makes a spreadsheet evaluate the cell; a quote mark keeps it text.
    // Numbers (negative ones too) are left alone.
    let risky = value.starts_with(['=', '+', '@', '\t', '\r'])
        || (value.starts_with('-') && value.parse::<f64>().is_err());
    let value = if risky {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// `GET ….csv` for a signed-in reader: `make` gets the caller and their language and returns
/// the file's name and rows; a refusal is answered with its status and message.
#[cfg(feature = "ssr")]
pub async fn download<F, Fut>(
    state: &crate::state::AppState,
    headers: &http::HeaderMap,
    make: F,
) -> axum::response::Response
where
    F: FnOnce(crate::accounts::auth::Caller, crate::i18n::Locale) -> Fut,
    Fut: std::future::Future<Output = Result<(String, String), crate::error::AppError>>,
{
    use crate::error::AppError;
    use axum::response::IntoResponse;
    let locale = headers
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(crate::i18n::Locale::from_cookie_header)
        .unwrap_or_default();
    let result = async {
        let caller = crate::accounts::auth::caller_from_headers(state, headers)
            .await?
            .ok_or(AppError::NotSignedIn)?;
        make(caller, locale).await
    }
    .await;
    match result {
        Ok((filename, body)) => (
            [
                (
                    http::header::CONTENT_TYPE,
                    "text/csv; charset=utf-8".to_owned(),
                ),
                (
                    http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            body,
        )
            .into_response(),
        Err(error) => (
            http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::BAD_REQUEST),
            error.message(locale),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        let csv = document(
            &["名称", "金额"],
            [
                vec!["红子鸡, \"总汇\"".to_owned(), "-12.50".to_owned()],
                vec!["=HYPERLINK(\"x\")".to_owned(), "-x".to_owned()],
            ],
        );
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "名称,金额");
        assert_eq!(lines[1], "\"红子鸡, \"\"总汇\"\"\",-12.50");
        assert_eq!(lines[2], "\"'=HYPERLINK(\"\"x\"\")\",'-x");
    }
}
