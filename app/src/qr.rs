//! QR codes as SVG, drawn on the server (no script, no CDN): for pickup codes now, and for
//! any capability that needs one.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// `text` as an SVG QR code of about `size` pixels, with the quiet zone scanners need.
pub fn svg(text: &str, size: u32) -> Option<String> {
    // Medium error correction survives a scuffed or glaring phone screen.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(size, size)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_short_text_becomes_an_svg_image() {
        let svg = super::svg("zd:lunch:12:4821", 160).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("<path"));
    }
}
