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
