//! The coat of arms: checked once when the act is prepared, then handed to the
//! writers as bytes. The PDF writer gets the file as it is (Typst draws PNG,
//! JPEG and SVG itself); the DOCX writer gets a PNG drawn here, in plain Rust:
//! `image` decodes PNG and JPEG, resvg draws SVG with the bundled fonts. So a
//! file that passes `check` is one both writers can draw.

use std::sync::Arc;

/// Resolution of the DOCX raster, dots per inch…
const DPI: f64 = 300.0;
/// … but no more pixels than this on the long side.
const MAX_PX: f64 = 4000.0;
/// Longest side of an image, pixels: a 1 × 100 000 000 strip passes an area
/// limit but not this one.
pub const MAX_SIDE: u32 = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Svg,
}

/// A checked coat of arms.
#[derive(Debug, Clone)]
pub struct Emblem {
    bytes: Arc<Vec<u8>>,
    format: Format,
    /// Intrinsic size: pixels, or SVG user units.
    width: f64,
    height: f64,
}

/// The PNG the DOCX writer embeds.
#[derive(Clone)]
pub struct Raster {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

impl Emblem {
    /// Check `bytes` (a PNG, JPEG or SVG file named `name`): it must decode,
    /// have a size, and stay within `max_pixels` and [`MAX_SIDE`]. The error
    /// is the reason, in Russian.
    pub fn new(bytes: Vec<u8>, name: &str, max_pixels: u64) -> Result<Self, String> {
        let format = sniff(&bytes).ok_or_else(|| {
            format!("«{name}» не читается как изображение: нужен PNG, JPEG или SVG")
        })?;
        let (width, height) = match format {
            Format::Svg => {
                let tree = svg_tree(&bytes).map_err(|e| format!("«{name}»: {e}"))?;
                let s = tree.size();
                (s.width() as f64, s.height() as f64)
            }
            Format::Png | Format::Jpeg => {
                let (w, h) = image::ImageReader::new(std::io::Cursor::new(&bytes))
                    .with_guessed_format()
                    .ok()
                    .and_then(|r| r.into_dimensions().ok())
                    .ok_or_else(|| format!("«{name}» не читается как изображение PNG или JPEG"))?;
                if w.max(h) > MAX_SIDE {
                    return Err(format!(
                        "изображение «{name}» {w}×{h} точек: сторона больше {MAX_SIDE} точек"
                    ));
                }
                if w as u64 * h as u64 > max_pixels {
                    return Err(format!(
                        "изображение «{name}» {w}×{h} точек — больше предела {} мегапикселей",
                        max_pixels / 1_000_000
                    ));
                }
                (w as f64, h as f64)
            }
        };
        if !(width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0) {
            return Err(format!("у изображения «{name}» нет размеров"));
        }
        // An extreme aspect ratio makes the drawn raster huge or empty.
        if width / height > 1000.0 || height / width > 1000.0 {
            return Err(format!(
                "изображение «{name}» слишком вытянуто ({width:.0}×{height:.0}): это не герб"
            ));
        }
        Ok(Self {
            bytes: Arc::new(bytes),
            format,
            width,
            height,
        })
    }

    /// The file as it was read.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Draw the emblem `width_mm` wide as a PNG of at most [`MAX_PX`] on the
    /// long side.
    pub fn raster(&self, width_mm: f32) -> Result<Raster, String> {
        let width_mm = if width_mm.is_finite() && width_mm > 0.0 {
            (width_mm as f64).min(300.0)
        } else {
            15.0
        };
        let height_mm = width_mm * self.height / self.width;
        let long_inches = width_mm.max(height_mm) / 25.4;
        let dpi = DPI.min(MAX_PX / long_inches);
        let px = |mm: f64| ((mm / 25.4 * dpi).round() as u32).max(1);
        let (w, h) = (px(width_mm), px(height_mm));
        let rgba = match self.format {
            Format::Svg => {
                let tree = svg_tree(&self.bytes)?;
                let mut pixmap =
                    tiny_skia::Pixmap::new(w, h).ok_or("изображение не удалось нарисовать")?;
                let s = tree.size();
                let t =
                    tiny_skia::Transform::from_scale(w as f32 / s.width(), h as f32 / s.height());
                resvg::render(&tree, t, &mut pixmap.as_mut());
                // tiny-skia keeps premultiplied alpha; PNG wants it straight.
                let mut data = Vec::with_capacity(pixmap.data().len());
                for p in pixmap.pixels() {
                    let c = p.demultiply();
                    data.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
                }
                image::RgbaImage::from_raw(w, h, data).ok_or("изображение не удалось нарисовать")?
            }
            Format::Png | Format::Jpeg => {
                let img = image::load_from_memory(&self.bytes)
                    .map_err(|_| "изображение не удалось разобрать".to_string())?;
                image::imageops::resize(
                    &img.to_rgba8(),
                    w,
                    h,
                    image::imageops::FilterType::Triangle,
                )
            }
        };
        let mut png = Vec::new();
        image::DynamicImage::ImageRgba8(rgba)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|_| "изображение не удалось записать в PNG".to_string())?;
        Ok(Raster {
            png,
            width: w,
            height: h,
        })
    }
}

fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some(Format::Jpeg);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    head.contains("<svg").then_some(Format::Svg)
}

/// Parse an SVG with no access to files or the system's fonts: only the
/// bundled fonts, and images only from inline `data:` URLs (usvg's default
/// would read any file an `href` names).
fn svg_tree(bytes: &[u8]) -> Result<usvg::Tree, String> {
    let mut db = usvg::fontdb::Database::new();
    for data in crate::fonts::BUNDLED {
        db.load_font_data(data.to_vec());
    }
    let opts = usvg::Options {
        fontdb: Arc::new(db),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..Default::default()
    };
    usvg::Tree::from_data(bytes, &opts).map_err(|e| {
        format!(
            "файл SVG повреждён или не читается ({})",
            match e {
                usvg::Error::NotAnUtf8Str => "не в кодировке UTF-8",
                usvg::Error::MalformedGZip => "испорченный архив SVGZ",
                usvg::Error::ElementsLimitReached => "слишком много элементов",
                usvg::Error::InvalidSize => "нет размеров",
                usvg::Error::ParsingFailed(_) => "ошибка в разметке XML",
            }
        )
    })
}
