//! What follows from an act as written, worked out once after reading and
//! handed to validation, the lints and resolve alike: the numbering of its
//! points, appendices and rows ([`numbering`]), every piece of its text with
//! its field ([`crate::read::texts`]), and its source split into lines, for the
//! exact place of a word ([`crate::read::place`]). References inside text are
//! found by [`refs`].

pub mod numbering;
pub mod refs;

pub use numbering::Numbering;

use crate::read::input::Act;
use crate::read::place::Lines;
use crate::read::texts::{self, Text};

/// The facts of one act; they borrow its texts and its source.
pub struct Facts<'a> {
    pub numbering: Numbering,
    /// Every user text, in reading order.
    pub texts: Vec<Text<'a>>,
    /// The act's source, split into lines once.
    pub lines: Lines<'a>,
}

impl<'a> Facts<'a> {
    /// The facts of `act`, read from `source` (the YAML text), after its
    /// rows from spreadsheets are in.
    pub fn of(act: &'a Act, source: &'a str) -> Self {
        Facts {
            numbering: Numbering::of(act),
            texts: texts::collect(act),
            lines: Lines::new(source),
        }
    }
}
