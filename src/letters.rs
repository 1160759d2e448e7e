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

/// A letter of the alphabets above: what `\p{L}` stands for in these patterns.
pub fn is_letter(c: char) -> bool {
    is_upper(c) || is_lower(c)
}

/// A capital letter: what `\p{Lu}` stands for in these patterns ([`UPPER`]
/// spelt out; a test holds the two equal).
pub fn is_upper(c: char) -> bool {
    matches!(
        c,
        'A'..='Z'
            | 'А'..='Я'
            | 'Ё'
            | 'І'
            | 'Ї'
            | 'Є'
            | 'Ґ'
            | 'Ў'
            | 'Ә'
            | 'Ө'
            | 'Ү'
            | 'Җ'
            | 'Ң'
            | 'Һ'
            | 'Қ'
            | 'Ғ'
            | 'Ұ'
    )
}

/// A small letter: what `\p{Ll}` stands for in these patterns ([`LOWER`]
/// spelt out).
pub fn is_lower(c: char) -> bool {
    matches!(
        c,
        'a'..='z'
            | 'а'..='я'
            | 'ё'
            | 'і'
            | 'ї'
            | 'є'
            | 'ґ'
            | 'ў'
            | 'ә'
            | 'ө'
            | 'ү'
            | 'җ'
            | 'ң'
            | 'һ'
            | 'қ'
            | 'ғ'
            | 'ұ'
    )
}

/// `char::is_alphabetic`, answered at once for the letters above (most of
/// any act) and by Unicode's table for the rest.
pub fn is_alphabetic(c: char) -> bool {
    is_letter(c) || (!c.is_ascii() && c.is_alphabetic())
}

/// `c` in lower case where that is one character (else `c`): at once for the
/// Russian and Latin letters, by Unicode's table for the rest.
fn lower(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        'Ё' => 'ё',
        _ if c.is_ascii() || is_lower(c) => c,
        _ => {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        }
    }
}

/// A regex `\w` character (letters, digits, marks, `_`): what a word
/// boundary `\b` looks at. Quick for the letters of these alphabets, which
/// are most of any act; Unicode's table for the rest.
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        is_letter(c) || regex_syntax::is_word_character(c)
    }
}

/// Leftmost, non-overlapping matches over positions `0..len`, as a regex's
/// `find_iter` gives them: `at(i)` tries a match starting at `i` and says
/// where it ends; the search goes on after a match, or at the next position
/// without one. The scanners of the lints and the typography share it.
pub fn leftmost<T>(len: usize, mut at: impl FnMut(usize) -> Option<(T, usize)>) -> Vec<T> {
    let mut out = vec![];
    let mut i = 0;
    while i < len {
        match at(i) {
            Some((m, end)) => {
                out.push(m);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// The property tests that hold each scanner to the regex it replaced:
/// `cases` generated texts, and nothing written into the checkout (a
/// failure is shown with its smallest case).
#[cfg(test)]
pub fn oracle_config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..Default::default()
    }
}

/// The characters of a text with their byte offsets, for the hand-written
/// scanners of the lints (dates, academic years) where a regex with Unicode
/// word boundaries cost more to compile and run than the rest of a `check`.
/// Positions are character indices; [`Scan::offset`] turns one into bytes.
pub struct Scan {
    chars: Vec<(usize, char)>,
    len: usize,
}

impl Scan {
    pub fn new(s: &str) -> Self {
        Scan {
            chars: s.char_indices().collect(),
            len: s.len(),
        }
    }

    /// The number of characters.
    pub fn end(&self) -> usize {
        self.chars.len()
    }

    pub fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    /// Whether the character at `i` is one of `set`.
    pub fn is(&self, i: usize, set: &[char]) -> bool {
        self.at(i).is_some_and(|c| set.contains(&c))
    }

    /// The byte offset of character `i` (the text's length at the end).
    pub fn offset(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.len, |&(o, _)| o)
    }

    /// Where the run of characters `f` accepts that starts at `i` ends.
    pub fn run(&self, i: usize, f: impl Fn(char) -> bool) -> usize {
        let mut j = i;
        while self.at(j).is_some_and(&f) {
            j += 1;
        }
        j
    }

    /// A regex `\w` character at `i` (letters, digits, marks, `_`).
    pub fn is_word(&self, i: usize) -> bool {
        self.at(i).is_some_and(regex_syntax::is_word_character)
    }

    /// A word boundary (`\b`) before character `i`, which is a word character.
    pub fn starts_word(&self, i: usize) -> bool {
        i == 0 || !self.is_word(i - 1)
    }

    /// `word` (lowercase) at `i`, in any case: where it ends.
    pub fn word_at(&self, i: usize, word: &str) -> Option<usize> {
        let mut j = i;
        for w in word.chars() {
            let c = self.at(j)?;
            if c != w && lower(c) != lower(w) {
                return None;
            }
            j += 1;
        }
        Some(j)
    }

    /// The text of characters `from..to`.
    pub fn text<'s>(&self, s: &'s str, from: usize, to: usize) -> &'s str {
        &s[self.offset(from)..self.offset(to)]
    }
}

/// A cursor over a short text (a name, a reference), for the shapes the
/// people lints and the references look for: «И.О. Фамилия», «Фамилия И.О.»,
/// `{приложении:план}`. Hand-written like [`Scan`]: as regexes these shapes
/// cost a millisecond of every act to compile.
#[derive(Clone, Copy)]
pub struct Cursor<'a> {
    s: &'a str,
    /// The byte the cursor stands at.
    pub at: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(s: &'a str, at: usize) -> Self {
        Cursor { s, at }
    }

    pub fn peek(&self) -> Option<char> {
        self.s[self.at..].chars().next()
    }

    pub fn at_end(&self) -> bool {
        self.at == self.s.len()
    }

    /// One character `f` accepts: its text.
    pub fn one(&mut self, f: impl Fn(char) -> bool) -> Option<&'a str> {
        let c = self.peek().filter(|&c| f(c))?;
        let from = self.at;
        self.at += c.len_utf8();
        Some(&self.s[from..self.at])
    }

    pub fn char(&mut self, c: char) -> bool {
        self.one(|x| x == c).is_some()
    }

    /// As many characters as `f` accepts, at least `min`: their text.
    pub fn many(&mut self, min: usize, f: impl Fn(char) -> bool) -> Option<&'a str> {
        let from = self.at;
        let mut n = 0;
        while self.one(&f).is_some() {
            n += 1;
        }
        if n < min {
            self.at = from;
            return None;
        }
        Some(&self.s[from..self.at])
    }

    /// An initial, «И.»: its letter.
    pub fn initial(&mut self) -> Option<&'a str> {
        let back = *self;
        let letter = self.one(is_upper);
        match letter {
            Some(l) if self.char('.') => Some(l),
            _ => {
                *self = back;
                None
            }
        }
    }

    /// A capitalised word: a capital and at least `min` small letters.
    pub fn word(&mut self, min: usize) -> Option<&'a str> {
        let back = *self;
        let from = self.at;
        if self.one(is_upper).is_some() && self.many(min, is_lower).is_some() {
            Some(&self.s[from..self.at])
        } else {
            *self = back;
            None
        }
    }

    /// A surname: a capitalised word of at least `min` small letters, and
    /// perhaps a second after a hyphen, «Римский-Корсаков».
    pub fn surname(&mut self, min: usize) -> Option<&'a str> {
        let from = self.at;
        self.word(min)?;
        let back = *self;
        if !(self.char('-') && self.word(1).is_some()) {
            *self = back;
        }
        Some(&self.s[from..self.at])
    }
}

/// Stands for the «{» of a reference that must stay text: U+FDD0, a
/// noncharacter, which Unicode reserves for a program's internal use. Batch
/// values go into the act with it (`facts::refs::escape`); a message shows
/// it as the «{» the clerk typed.
pub const INERT_BRACE: char = '\u{FDD0}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_answers_are_unicode_ones() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            let mut l = c.to_lowercase();
            if let (Some(one), None) = (l.next(), l.next()) {
                assert_eq!(lower(c), one, "{c:?}");
            }
        }
    }

    #[test]
    fn is_word_is_the_regex_word_character() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_word(c), regex_syntax::is_word_character(c), "{c:?}");
        }
    }

    #[test]
    fn letter_tests_are_the_spelt_out_classes() {
        let (letter, upper, lower) = (regex(r"^\p{L}$"), regex(r"^\p{Lu}$"), regex(r"^\p{Ll}$"));
        for c in (0..0x3000).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(is_letter(c), letter.is_match(&s), "{c:?}");
            assert_eq!(is_upper(c), upper.is_match(&s), "{c:?}");
            assert_eq!(is_lower(c), lower.is_match(&s), "{c:?}");
        }
    }

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
