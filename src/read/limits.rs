//! Every budget on input, in one place: what costs memory and time is
//! counted before the work is done, and each budget is far above what real
//! acts reach. The largest real acts (data/, tests/fixtures) measured
//! 02.12.2026: 2 appendices, 6 table columns, 182 words in one text, a word
//! of 36 letters (a web address), 2.1 KB in one text, 0.5 KB in one cell.
//! The README's «Пределы» lists the same figures; change both together.

/// Limits on input, adjustable from the command line.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest YAML file, bytes; also a spreadsheet's file, the text all its
    /// cells hold together, and the text one batch variant adds to its act.
    pub max_input: u64,
    /// Most rows in one table (YAML and CSV together).
    pub max_rows: usize,
    /// Largest image file (coat of arms), bytes.
    pub max_image_bytes: u64,
    /// Most pixels in an image (width × height).
    pub max_image_pixels: u64,
    /// Most variants in one batch (`--max-variants`).
    pub max_variants: usize,
    /// Files named in the YAML (images, CSV) must lie inside this folder;
    /// `None`: the YAML file's own folder.
    pub root: Option<std::path::PathBuf>,
    /// Lint codes switched off for this run (`--allow P101`), besides those the file
    /// switches off itself.
    pub allow: Vec<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input: 4 * 1024 * 1024,
            max_rows: 10_000,
            max_image_bytes: 10 * 1024 * 1024,
            max_image_pixels: 40_000_000,
            max_variants: 10_000,
            root: None,
            allow: Vec::new(),
        }
    }
}

impl Limits {
    /// Most bytes a workbook (.xlsx, .ods: a zip) may unpack to, counted as
    /// they are unpacked, whatever its headers claim. A real plan of 300 rows
    /// unpacks to about 100 KB.
    pub fn max_unpacked(&self) -> u64 {
        self.max_input.saturating_mul(16)
    }
}

/// Most appendices in one act (real acts: 2). Each appendix is a section of
/// its own in the PDF: 3 000 of them took 2.8 GB.
pub const MAX_APPENDICES: usize = 100;

/// Most columns in one table (real acts: 6; an album page holds about 20
/// readable ones).
pub const MAX_COLUMNS: usize = 40;

/// Most words in one text: a point, a paragraph, a table cell (real acts:
/// 182). About 40 pages of a plan's narrow column.
pub const MAX_WORDS: usize = 10_000;

/// Most words in the whole act, its appendices and tables included (real
/// acts: up to 1 200). 100 000 words are some 200 pages, laid out in about
/// 15 s and 300 MB; what is larger is many acts in one.
pub const MAX_ACT_WORDS: usize = 100_000;

/// Most letters in one word, that is between two spaces (real acts: 36, a
/// web address). A word wider than its line or cell is broken where it
/// meets the edge; a longer one is refused by `check`, before the layout
/// (whose work on one word grows with the square of its length).
pub const MAX_WORD_LETTERS: usize = 500;

/// Most bytes in one spreadsheet cell (real plans: 0.5 KB).
pub const MAX_CELL_BYTES: usize = 64 * 1024;

/// Most filled cells on a spreadsheet's sheet, repeats included: a full
/// plan, `MAX_SHEET_ROWS` rows of ten columns.
pub const MAX_SHEET_CELLS: u64 = MAX_SHEET_ROWS as u64 * 10;

/// Most rows one CSV file or sheet may add to a table.
pub const MAX_SHEET_ROWS: usize = 20_000;

/// Rightmost column a plan's sheet may fill (ALM).
pub const MAX_SHEET_COLUMNS: u32 = 1000;

/// Steps of the template language per substituted batch value.
pub const MAX_SUBSTITUTION_STEPS: u64 = 100_000;

/// Years a date in the act may have (its date, a signature's validity):
/// a year 0 or 9999 is a slip of the keyboard, and Typst and the PDF's
/// metadata hold no year below 1 anyway.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2099;
