//! What GeoReport v2 says about the wire, as pure functions: W3C datetimes with a zone, the
//! two formats (a resource name ends in `.json` or `.xml`), XML written from the same
//! values as the JSON (lists named in the plural hold items named in the singular), form
//! bodies decoded strictly, and error bodies as a list of `{code, description}`.

use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// `services.json` → ("services", Json). Anything else than `.json` or `.xml` is `None`.
pub fn split_resource(file: &str) -> Option<(&str, Format)> {
    if let Some(name) = file.strip_suffix(".json") {
        Some((name, Format::Json))
    } else {
        file.strip_suffix(".xml").map(|name| (name, Format::Xml))
    }
}

/// A W3C datetime (`2010-01-01T00:00:00Z`, `1994-11-05T08:15:30-05:00`, fractions of a
/// second allowed) as unix seconds. The zone is required, as the specification says.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_once('T')?;
    let day = crate::map::hours::parse_date(date)?;
    if date.len() != 10 || rest.len() < 6 {
        return None;
    }
    let (clock, zone_offset) = if let Some(clock) = rest.strip_suffix('Z') {
        (clock, 0)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (clock, zone) = rest.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (h, m) = zone[1..].split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        if h > 14 || m > 59 {
            return None;
        }
        (clock, sign * (h * 3600 + m * 60))
    };
    let clock = clock.split_once('.').map_or(clock, |(whole, fraction)| {
        if fraction.chars().all(|c| c.is_ascii_digit()) && !fraction.is_empty() {
            whole
        } else {
            "bad"
        }
    });
    let mut parts = clock.split(':');
    let mut field = |max: i64| -> Option<i64> {
        let p = parts.next()?;
        let v: i64 = p.parse().ok()?;
        (p.len() == 2 && (0..=max).contains(&v)).then_some(v)
    };
    let (h, m, s) = (field(23)?, field(59)?, field(60)?);
    if parts.next().is_some() {
        return None;
    }
    Some(i64::from(day) * 86_400 + h * 3600 + m * 60 + s - zone_offset)
}

/// Unix seconds as a W3C datetime in Shanghai time: `2026-11-20T12:00:00+08:00`.
pub fn format_datetime(unix: i64) -> String {
    let local = unix + 8 * 3600;
    let day = local.div_euclid(86_400) as i32;
    let second = local.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}+08:00",
        crate::map::hours::format_date(day),
        second / 3600,
        second % 3600 / 60,
        second % 60
    )
}

/// Why a form body cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyProblem {
    NotUtf8,
}

/// An `application/x-www-form-urlencoded` body as name–value pairs. Bytes that do not
/// decode as UTF-8 are refused rather than replaced, so nothing is stored garbled.
pub fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, BodyProblem> {
    let decode = |part: &[u8]| -> Result<String, BodyProblem> {
        let spaced: Vec<u8> = part
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        percent_encoding::percent_decode(&spaced)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| BodyProblem::NotUtf8)
    };
    body.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut halves = pair.splitn(2, |b| *b == b'=');
            let name = decode(halves.next().unwrap_or_default())?;
            let value = decode(halves.next().unwrap_or_default())?;
            Ok((name, value))
        })
        .collect()
}

/// An error body: `[{"code": 400, "description": "…"}]`, or its XML.
pub fn errors(code: u16, description: &str) -> Value {
    serde_json::json!([{ "code": code, "description": description }])
}

/// `value` in `format`; for XML, `root` names the outer element and `item` each element of
/// a top-level list.
pub fn render(format: Format, root: &str, item: &str, value: &Value) -> String {
    match format {
        Format::Json => value.to_string(),
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            match value {
                Value::Array(items) => {
                    out.push_str(&format!("<{root}>"));
                    for v in items {
                        element(&mut out, item, v);
                    }
                    out.push_str(&format!("</{root}>"));
                }
                other => element(&mut out, root, other),
            }
            out
        }
    }
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::Object(fields) => {
            out.push_str(&format!("<{name}>"));
            for (key, v) in fields {
                element(out, key, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Array(items) => {
            // endpoints/endpoint, formats/format, attributes/attribute, values/value.
            let singular = name.strip_suffix('s').unwrap_or(name);
            out.push_str(&format!("<{name}>"));
            for v in items {
                element(out, singular, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", escape(s))),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w3c_datetimes_need_a_zone() {
        // The specification's own examples: the same instant twice.
        let eastern = parse_datetime("1994-11-05T08:15:30-05:00").unwrap();
        assert_eq!(parse_datetime("1994-11-05T13:15:30Z"), Some(eastern));
        assert_eq!(parse_datetime("2010-01-01T00:00:00Z"), Some(1_262_304_000));
        assert_eq!(
            parse_datetime("2010-01-01T08:00:00.250+08:00"),
            Some(1_262_304_000)
        );
        for bad in [
            "2010-01-01T00:00:00",
            "2010-01-01",
            "2010-13-01T00:00:00Z",
            "2010-01-01T24:00:00Z",
            "2010-01-01T00:00Z",
            "2010-01-01T00:00:00+8",
            "NaN",
            "",
            "2010-01-01T00:00:00.Z",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn datetimes_are_written_in_shanghai_time_with_the_offset() {
        assert_eq!(format_datetime(1_795_147_200), "2026-11-20T12:00:00+08:00");
        assert_eq!(
            parse_datetime(&format_datetime(1_795_147_201)),
            Some(1_795_147_201)
        );
    }

    #[test]
    fn resources_name_their_format() {
        assert_eq!(
            split_resource("services.json"),
            Some(("services", Format::Json))
        );
        assert_eq!(
            split_resource("CS2026-000001.xml"),
            Some(("CS2026-000001", Format::Xml))
        );
        assert_eq!(split_resource("services.html"), None);
    }

    #[test]
    fn forms_decode_strictly() {
        assert_eq!(
            parse_form(
                b"service_code=property&description=%E7%94%B5%E6%A2%AF+%E5%9D%8F%E4%BA%86&x"
            )
            .unwrap(),
            vec![
                ("service_code".into(), "property".into()),
                ("description".into(), "电梯 坏了".into()),
                ("x".into(), "".into())
            ]
        );
        assert_eq!(parse_form(b"description=%FF%FE"), Err(BodyProblem::NotUtf8));
        assert_eq!(parse_form(b"description=\xff"), Err(BodyProblem::NotUtf8));
    }

    #[test]
    fn xml_lists_are_plural_with_singular_items() {
        let value = serde_json::json!([{
            "service_code": "property",
            "metadata": false,
            "keywords": null,
            "formats": ["text/xml", "application/json"],
            "description": "<物业> & \"设施\"\u{1}",
        }]);
        let xml = render(Format::Xml, "services", "service", &value);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service>"));
        for field in [
            "<service_code>property</service_code>",
            "<metadata>false</metadata>",
            "<keywords/>",
        ] {
            assert!(xml.contains(field), "{field} in {xml}");
        }
        assert!(xml.contains(
            "<formats><format>text/xml</format><format>application/json</format></formats>"
        ));
        assert!(xml.contains("<description>&lt;物业&gt; &amp; &quot;设施&quot;</description>"));
        assert!(xml.ends_with("</service></services>"));
        let xml_errors = render(Format::Xml, "errors", "error", &errors(403, "bad key"));
        assert!(xml_errors.ends_with(
            "<errors><error><code>403</code><description>bad key</description></error></errors>"
        ));
        assert_eq!(
            render(Format::Json, "errors", "error", &errors(404, "x")),
            r#"[{"code":404,"description":"x"}]"#
        );
    }
}
