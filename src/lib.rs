//! prikaz: Russian administrative acts (приказ, распоряжение, постановление) from
//! YAML to PDF and DOCX laid out per ГОСТ Р 7.0.97.
//!
//! The flow, one module per stage:
//! `read` (YAML → input model, every value with its place) → `validate` (errors)
//! and `lint` (warnings) → `resolve` (→ `model`, the final document: every
//! number, reference, date and word decided) → `render::typst` (PDF, PNG) and
//! `render::docx` (DOCX) → `output` (atomic writes). `batch` runs that flow for
//! many variants of one act; `watch` runs it again when an act's files
//! change; `serve` runs it for a local web editor with live pages. Layout
//! numbers live in `layout`, wording in `templates/wording/*.j2`, diagnostics
//! in `diag`, error codes in `errors`, the coat of arms in `emblem`, the
//! bundled fonts in `fonts`.

// Diagnostics are the error type throughout: they carry the place, the message and
// the hint, and travel only on the error path, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod batch;
pub mod budget;
pub mod calendar;
pub mod capped;
pub mod codes;
pub mod diag;
pub mod emblem;
pub mod errors;
pub mod facts;
pub mod fonts;
pub mod job;
pub mod layout;
pub mod letters;
pub mod lint;
pub mod model;
pub mod output;
pub mod persons;
pub mod qr;
pub mod read;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod starter;
pub mod templates;
pub mod timings;
pub mod validate;
pub mod watch;

pub use job::{Prepared, prepare, prepare_parsed};
