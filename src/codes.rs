//! The shape of a code's entry, shared by the two tables: the errors
//! (`errors::CODES`) and the warnings (`lint::codes::CODES`).

/// A code as the user sees it in `prikaz check --explain`: the same shape
/// for the errors (`errors::CODES`) and the warnings (`lint::codes::CODES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// Stable code: `E…`, `T…` or `P…`.
    pub code: &'static str,
    /// Short Russian name, for lists.
    pub name: &'static str,
    /// One line: why it matters (a warning's hint; why prikaz stops at an error).
    pub why: &'static str,
    /// What to look at and how to fix it.
    pub explain: &'static str,
}

/// A code as a clerk may type it (`e006`, ` Р101 `, Cyrillic letters that
/// look Latin) → the code as the tables write it.
pub fn normalize_code(code: &str) -> String {
    code.trim()
        .chars()
        .map(|c| match c {
            'Е' | 'е' => 'E',
            'Т' | 'т' => 'T',
            'Р' | 'р' => 'P',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}
