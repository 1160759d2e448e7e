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

pub const BUNDLED: &[&[u8]] = &[
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
    include_bytes!("../fonts/DejaVuSans.ttf"),
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_quick_answers_are_the_fonts_answers() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            if c.is_ascii_graphic() || crate::letters::is_letter(c) {
                assert!(super::covered(c), "{c:?}");
            }
        }
    }
}
