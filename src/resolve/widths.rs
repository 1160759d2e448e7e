//! Column widths that hold what may not break. Russian typesetting does not
//! hyphenate a person's name and keeps the initials with it («Жукова О.П.»,
//! joined by a non-breaking space), nor an abbreviation («МАДОУ»), so a
//! column too narrow for the widest such word in its cells is widened to
//! hold it, and the other columns give up the room in proportion to their
//! widths. Where they cannot all fit the text width, the widths stay as
//! written.

use crate::model::{CellBlock, Row};

/// Room a cell's text needs besides its padding, mm: rounding, and the
/// difference between the two writers' line fitting.
const SLACK_MM: f32 = 1.0;

/// An abbreviation the writers never hyphenate: two capitals or more with
/// only letters between, at most `short` letters, punctuation around (the
/// rule of `abbreviation` in templates/act.typ, which sets it whole).
fn abbreviation(word: &str, short: u32) -> bool {
    let letters = |c: char| crate::letters::is_alphabetic(c);
    let core = word.trim_matches(|c: char| !letters(c));
    core.chars().count() <= short as usize
        && core.chars().all(letters)
        && core.chars().filter(|c| c.is_uppercase()).count() >= 2
        && core.chars().next().is_some_and(char::is_uppercase)
}

/// The width the widest word of `text` that may not break takes set at
/// `size_pt`, mm: a name with its initials, an abbreviation; 0 when none.
fn widest_unbroken_mm(text: &str, size_pt: f32, short: u32) -> f32 {
    let names = crate::persons::names_to_keep_whole(text);
    text.split([' ', '\n'])
        .filter(|w| names.iter().any(|n| w.contains(n.as_str())) || abbreviation(w, short))
        .map(|w| crate::fonts::text_width_mm(w, size_pt, false))
        .fold(0.0, f32::max)
}

/// What each of `columns` columns needs for its words that may not break,
/// mm, padding included (0: nothing to hold); `short`: the longest
/// abbreviation kept whole (`layout.short_word`).
pub fn needs(titles: &[&str], rows: &[Row], size_pt: f32, padding_mm: f32, short: u32) -> Vec<f32> {
    let columns = titles.len();
    // A column title's words of at most `short` letters are never broken
    // (bold; templates/act.typ, `wrap-word`), and a title that short in all
    // («№ п/п», «Срок») stays one line.
    let mut need: Vec<f32> = titles
        .iter()
        .map(|t| {
            if t.chars().count() <= short as usize && !t.contains('\n') {
                return crate::fonts::text_width_mm(t, size_pt, true);
            }
            t.split([' ', '\n'])
                .filter(|w| w.chars().count() <= short as usize)
                .map(|w| crate::fonts::text_width_mm(w, size_pt, true))
                .fold(0.0, f32::max)
        })
        .map(|w| {
            if w > 0.0 {
                w + 2.0 * padding_mm + SLACK_MM
            } else {
                0.0
            }
        })
        .collect();
    for r in rows {
        let Row::Cells { cells, .. } = r else {
            continue;
        };
        for (i, cell) in cells.iter().enumerate().take(columns) {
            for b in cell {
                let w = match b {
                    CellBlock::Para { text } => widest_unbroken_mm(text, size_pt, short),
                    CellBlock::List { items } => items
                        .iter()
                        .map(|it| {
                            widest_unbroken_mm(
                                &format!("{} {}", it.marker, it.text),
                                size_pt,
                                short,
                            )
                        })
                        .fold(0.0, f32::max),
                };
                if w > 0.0 {
                    need[i] = need[i].max(w + 2.0 * padding_mm + SLACK_MM);
                }
            }
        }
    }
    need
}

/// Relative `widths` of a table `text_mm` wide, changed only where a column
/// is narrower than it `needs`.
pub fn fit(widths: &mut [f32], needs: &[f32], text_mm: f32) {
    let total: f32 = widths.iter().sum();
    if total <= 0.0 || widths.len() != needs.len() || needs.iter().sum::<f32>() > text_mm {
        return;
    }
    let mut mm: Vec<f32> = widths.iter().map(|w| w / total * text_mm).collect();
    if mm.iter().zip(needs).all(|(m, n)| m >= n) {
        return;
    }
    let mut fixed = vec![false; widths.len()];
    for _ in 0..=widths.len() {
        let mut changed = false;
        for i in 0..mm.len() {
            if !fixed[i] && mm[i] < needs[i] {
                mm[i] = needs[i];
                fixed[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        let free = text_mm
            - (0..mm.len())
                .filter(|&i| fixed[i])
                .map(|i| mm[i])
                .sum::<f32>();
        let share: f32 = (0..mm.len())
            .filter(|&i| !fixed[i])
            .map(|i| widths[i])
            .sum();
        if share <= 0.0 {
            break;
        }
        for i in (0..mm.len()).filter(|&i| !fixed[i]) {
            mm[i] = widths[i] / share * free;
        }
    }
    widths.copy_from_slice(&mm);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_column_takes_room_from_the_others() {
        let mut w = [1.0, 1.0, 6.0];
        fit(&mut w, &[0.0, 40.0, 0.0], 160.0);
        assert!((w[1] - 40.0).abs() < 1e-3, "{w:?}");
        assert!((w.iter().sum::<f32>() - 160.0).abs() < 1e-3);
        assert!(
            (w[2] / w[0] - 6.0).abs() < 1e-3,
            "the others keep their ratio: {w:?}"
        );
    }

    #[test]
    fn widths_that_hold_the_names_stay_as_written() {
        let mut w = [1.0, 3.0];
        fit(&mut w, &[0.0, 30.0], 160.0);
        assert_eq!(w, [1.0, 3.0]);
        let mut w = [1.0, 1.0];
        fit(&mut w, &[100.0, 100.0], 160.0);
        assert_eq!(w, [1.0, 1.0], "impossible: as written");
    }

    #[test]
    fn a_name_with_its_initials_is_measured_whole() {
        let w = widest_unbroken_mm("Ответственный: Константинопольская\u{a0}Е.В.", 12.0, 12);
        let alone = crate::fonts::text_width_mm("Константинопольская", 12.0, false);
        assert!(w > alone, "{w} {alone}");
        assert_eq!(widest_unbroken_mm("школа №\u{a0}1 города", 12.0, 12), 0.0);
        let abbr = widest_unbroken_mm("МАДОУ «Детский сад №\u{a0}105»", 12.0, 12);
        assert_eq!(abbr, crate::fonts::text_width_mm("МАДОУ", 12.0, false));
    }
}
