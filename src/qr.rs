//! The QR-code requisite (ГОСТ Р 7.0.97-2025, requisite 31): the modules are
//! computed once, here, with the `qrcode` crate (no network), and drawn by
//! both writers from the same matrix — an SVG for the PDF, a PNG for the DOCX.
//! Each image carries the quiet zone the standard asks for (4 modules).

use serde::Serialize;

/// Most bytes a code may carry at error-correction level M (version 40).
pub const MAX_BYTES: usize = 2331;
/// Light modules around the code, as ISO/IEC 18004 requires.
pub const QUIET: usize = 4;

/// A QR code: its text and its modules.
#[derive(Debug, Clone, Serialize)]
pub struct Qr {
    /// What a reader gets: registration data or a URL.
    pub content: String,
    /// Modules per side, without the quiet zone.
    pub width: usize,
    /// Row by row, `true` for a dark module.
    #[serde(skip)]
    pub modules: Vec<bool>,
}

impl Qr {
    /// Encode `content` (byte mode, error correction M); the message is Russian.
    pub fn new(content: &str) -> Result<Qr, String> {
        let code =
            qrcode::QrCode::with_error_correction_level(content.as_bytes(), qrcode::EcLevel::M)
                .map_err(|_| {
                    format!(
                        "текст QR-кода слишком длинный: {} байт, а помещается {MAX_BYTES}",
                        content.len()
                    )
                })?;
        Ok(Qr {
            content: content.to_string(),
            width: code.width(),
            modules: code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect(),
        })
    }

    /// Modules per side with the quiet zone.
    pub fn side(&self) -> usize {
        self.width + 2 * QUIET
    }

    fn dark(&self, x: usize, y: usize) -> bool {
        self.modules
            .get(y * self.width + x)
            .copied()
            .unwrap_or(false)
    }

    /// An SVG of the code, one unit per module, dark runs of a row as one rectangle.
    pub fn svg(&self) -> Vec<u8> {
        let side = self.side();
        let mut s = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{side}" height="{side}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d=""##
        );
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.dark(x, y) {
                    let start = x;
                    while x < self.width && self.dark(x, y) {
                        x += 1;
                    }
                    s.push_str(&format!(
                        "M{} {}h{}v1h-{} z",
                        start + QUIET,
                        y + QUIET,
                        x - start,
                        x - start
                    ));
                } else {
                    x += 1;
                }
            }
        }
        s.push_str(r#""/></svg>"#);
        s.into_bytes()
    }

    /// A black-and-white PNG of the code, `scale` pixels per module.
    pub fn png(&self, scale: u32) -> Vec<u8> {
        let scale = scale.max(1);
        let side = self.side() as u32 * scale;
        let img = image::GrayImage::from_fn(side, side, |px, py| {
            let (mx, my) = ((px / scale) as usize, (py / scale) as usize);
            let inside = (QUIET..QUIET + self.width).contains(&mx)
                && (QUIET..QUIET + self.width).contains(&my);
            if inside && self.dark(mx - QUIET, my - QUIET) {
                image::Luma([0])
            } else {
                image::Luma([255])
            }
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png)
            .expect("a PNG encodes into memory");
        out.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_draws() {
        let q = Qr::new("Приказ № 60 от 03.05.2023, МБОУ «СОШ № 1»").unwrap();
        assert_eq!(q.modules.len(), q.width * q.width);
        assert!(q.width >= 21);
        let svg = String::from_utf8(q.svg()).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("M4 4h7v1h-7 z"),
            "finder pattern: {svg}"
        );
        let png = q.png(4);
        assert_eq!(&png[1..4], b"PNG");
        assert!(Qr::new(&"я".repeat(MAX_BYTES)).is_err());
    }
}
