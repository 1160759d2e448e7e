//! Writers: the resolved document model → output formats.
//!
//! Each writer takes the same [`crate::model::Document`] and the same layout
//! parameters (inside it); neither reads YAML nor decides wording.

pub mod docx;
pub mod typst;
