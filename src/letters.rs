//! The letters the text patterns (typography, lints, references, batch
//! placeholders) know, and the one way those patterns are compiled.
//!
//! Patterns are written with the usual classes (`\p{Lu}`, `\p{Ll}`, `\p{L}`,
//! `\p{Cyrillic}`, `\d`) and compiled by [`regex`], which spells each class
//! out as the letters of Russian, of the other Cyrillic alphabets of Russia
//! and its neighbours, and of Latin. Unicode's full classes cost about half a
//! millisecond each to compile, and twenty of them were most of a `check`'s
//! time; letters outside these alphabets do not occur in Russian acts.

use regex::Regex;

/// Capital letters.
pub const UPPER: &str = "A-ZА-ЯЁІЇЄҐЎӘӨҮҖҢҺҚҒҰ";
/// Small letters.
pub const LOWER: &str = "a-zа-яёіїєґўәөүҗңһқғұ";
/// Cyrillic letters, both cases.
const CYRILLIC: &str = "А-Яа-яЁёІЇЄҐЎӘӨҮҖҢҺҚҒҰіїєґўәөүҗңһқғұ";

/// `pattern` with its classes spelt out (see the module's note).
pub fn spell_out(pattern: &str) -> String {
    pattern
        .replace(r"\p{Lu}", &format!("[{UPPER}]"))
        .replace(r"\p{Ll}", &format!("[{LOWER}]"))
        .replace(r"\p{L}", &format!("[{UPPER}{LOWER}]"))
        .replace(r"\p{Cyrillic}", &format!("[{CYRILLIC}]"))
        .replace(r"\p{N}", "[0-9]")
        .replace(r"\d", "[0-9]")
}

/// Compile one of the program's own patterns (a bad one is a bug, caught by
/// any test that uses it).
pub fn regex(pattern: &str) -> Regex {
    Regex::new(&spell_out(pattern)).expect("a valid built-in pattern")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelt_out_classes_match_what_unicode_classes_matched_in_acts() {
        let name = regex(r"^\p{Lu}\.\p{Lu}\. \p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?$");
        for ok in [
            "И.И. Иванов",
            "Ё.Ж. Ёлкина",
            "А.Р. Хабибуллина",
            "Ә.Ү. Гыйләҗева",
            "J.R. Smith",
            "А.А. Римский-Корсаков",
        ] {
            assert!(name.is_match(ok), "{ok}");
        }
        for bad in ["и.и. Иванов", "И.И. иванов", "И.И. ИВАНОВ", "1.1. Иванов"]
        {
            assert!(!name.is_match(bad), "{bad}");
        }
        let word = regex(r"(?i)\bпункт\p{L}*");
        assert_eq!(
            word.find("согласно Пункту 3").map(|m| m.as_str()),
            Some("Пункту")
        );
        let digits = regex(r"^\d{4}$");
        assert!(digits.is_match("2024"));
        assert!(
            !digits.is_match("２０２４"),
            "full-width digits are not years"
        );
    }
}
