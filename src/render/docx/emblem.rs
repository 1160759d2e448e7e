//! The coat of arms for the DOCX: any image the PDF accepts (PNG, JPEG, GIF,
//! WebP, SVG) is decoded and drawn by Typst's own image code, then written as
//! PNG. Decoding never panics (docx-rs `Pic::new` would on bad bytes); a file
//! Typst cannot read is an error for the caller to report.

use typst::foundations::{Bytes, Content, Smart};
use typst::layout::{Abs, Frame, FrameItem, Point, Sides, Size};
use typst::syntax::Span;
use typst::visualize::{ExchangeFormat, Image, ImageKind, RasterImage, SvgImage};

/// Resolution of the PNG, dots per inch…
const DPI: f64 = 300.0;
/// … but no more pixels than this on the long side.
const MAX_PX: f64 = 4000.0;

pub(super) struct Png {
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn format_of(bytes: &[u8]) -> Option<ExchangeFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ExchangeFormat::Png)
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(ExchangeFormat::Jpg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ExchangeFormat::Gif)
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ExchangeFormat::Webp)
    } else {
        None
    }
}

fn bad(reason: impl std::fmt::Display) -> String {
    reason.to_string()
}

/// Decode `bytes` and draw them `width_mm` wide as a PNG.
/// Errors are the reason, in Russian. Typst reports bad images as errors; a
/// panic inside the image libraries is caught as a last resort.
pub(super) fn to_png(bytes: &[u8], width_mm: f32) -> Result<Png, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| draw(bytes, width_mm)))
        .unwrap_or_else(|_| Err(bad("изображение не удалось разобрать")))
}

fn draw(bytes: &[u8], width_mm: f32) -> Result<Png, String> {
    let data = Bytes::new(bytes.to_vec());
    let kind: ImageKind = match format_of(bytes) {
        Some(f) => RasterImage::plain(data, f).map_err(bad)?.into(),
        None => SvgImage::new(data)
            .map_err(|_| bad("файл не PNG, JPEG, GIF, WebP и не читаемый SVG"))?
            .into(),
    };
    let image = Image::plain(kind);
    let (w, h) = (image.width(), image.height());
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
        return Err(bad("у изображения нет размеров"));
    }
    let width_mm = if width_mm.is_finite() && width_mm > 0.0 {
        (width_mm as f64).min(300.0)
    } else {
        15.0
    };
    let width_pt = width_mm / 25.4 * 72.0;
    let height_pt = width_pt * h / w;
    // At most MAX_PX pixels on the long side, whatever the aspect ratio.
    let long_inches = width_pt.max(height_pt) / 72.0;
    let dpi = DPI.min(MAX_PX / long_inches);
    let size = Size::new(Abs::pt(width_pt), Abs::pt(height_pt));
    let mut frame = Frame::hard(size);
    frame.push(
        Point::zero(),
        FrameItem::Image(image, size, Span::detached()),
    );
    let page = typst_layout::Page {
        frame,
        bleed: Sides::splat(Abs::zero()),
        fill: Smart::Custom(None),
        numbering: None,
        supplement: Content::empty(),
        number: 1,
    };
    let opts = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(dpi / 72.0),
        ..Default::default()
    };
    let pixmap = typst_render::render(&page, &opts);
    let data = pixmap.encode_png().map_err(bad)?;
    Ok(Png {
        data,
        width: pixmap.width(),
        height: pixmap.height(),
    })
}
