//! The fonts prikaz draws with, compiled into the binary so that output never
//! depends on the fonts of the machine: Liberation Serif (the metric twin of
//! Times New Roman) in four styles, and DejaVu Sans for symbols Liberation
//! Serif lacks (✓). Their licences are in `fonts/`. The Typst writer sets text
//! with them; the coat of arms (an SVG may hold text) is drawn with them too.

/// Can one of the bundled fonts draw `c`? A character none can is left out
/// of the PDF (and keeps it from being PDF/A); the lints warn about it.
pub fn covers(c: char) -> bool {
    // Most of any act: answered without a look into the fonts' tables (a
    // test checks these against the tables).
    if c.is_ascii_graphic() || crate::letters::is_letter(c) {
        return true;
    }
    covered(c)
}

/// Can one of the bundled fonts draw `c`, as their character maps say.
fn covered(c: char) -> bool {
    static FACES: std::sync::OnceLock<Vec<ttf_parser::Face<'static>>> = std::sync::OnceLock::new();
    FACES
        .get_or_init(|| {
            BUNDLED
                .iter()
                .filter_map(|data| ttf_parser::Face::parse(data, 0).ok())
                .collect()
        })
        .iter()
        .any(|f| f.glyph_index(c).is_some())
}

mod metrics;

/// Does Liberation Serif (the main font) have a glyph for `c`? The DOCX
/// writer sets the others in the symbol font, as Typst falls back to it.
pub fn serif_covers(c: char) -> bool {
    let c = c as u32;
    metrics::COVERED
        .binary_search_by(|&(a, b)| {
            if b < c {
                std::cmp::Ordering::Less
            } else if a > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Width of `s` set in Times New Roman (Liberation Serif metrics), points.
/// Characters outside the table count as 0.7 em.
pub fn text_width_pt(s: &str, size_pt: f32, bold: bool) -> f32 {
    let units: u32 = s
        .chars()
        .map(
            |c| match metrics::WIDTHS.binary_search_by(|(k, _, _)| k.cmp(&c)) {
                Ok(i) => {
                    let (_, r, b) = metrics::WIDTHS[i];
                    (if bold { b } else { r }) as u32
                }
                Err(_) => 1434,
            },
        )
        .sum();
    units as f32 / 2048.0 * size_pt
}

/// The same in millimetres.
pub fn text_width_mm(s: &str, size_pt: f32, bold: bool) -> f32 {
    text_width_pt(s, size_pt, bold) * 25.4 / 72.0
}

pub const BUNDLED: &[&[u8]] = &[
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
    include_bytes!("../fonts/DejaVuSans.ttf"),
];

#[cfg(test)]
mod tests {
    /// Both tables are searched by halves: out of order, a character is
    /// not found («№» was not, and counted as 0.7 em).
    #[test]
    fn the_metrics_tables_are_sorted() {
        for w in super::metrics::WIDTHS.windows(2) {
            assert!(w[0].0 < w[1].0, "{:?} before {:?}", w[0].0, w[1].0);
        }
        for w in super::metrics::COVERED.windows(2) {
            assert!(w[0].1 < w[1].0, "{w:?}");
        }
        assert_eq!(
            super::text_width_pt("№", 2048.0, true),
            2058.0,
            "«№» is found"
        );
    }

    #[test]
    fn the_quick_answers_are_the_fonts_answers() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            if c.is_ascii_graphic() || crate::letters::is_letter(c) {
                assert!(super::covered(c), "{c:?}");
            }
        }
    }
}
