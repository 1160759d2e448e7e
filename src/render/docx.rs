//! DOCX writer: the document model → a Word document (docx-rs).
//!
//! Placeholder until the writer lands (issue 5); `--format docx` reports it.

use crate::diag::Diagnostic;
use crate::model::Document;

/// Build the DOCX bytes of `doc`. `emblem` is the coat of arms image, if any.
pub fn write(_doc: &Document, _emblem: Option<&[u8]>) -> Result<Vec<u8>, Diagnostic> {
    Err(Diagnostic::error(
        "E031",
        "формат DOCX пока не поддерживается",
    ))
}
