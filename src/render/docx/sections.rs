//! DOCX sections: each part of the document (the act, each appendix) is one
//! Word section with its own paper size, margins and page numbering; the page
//! number stands in the header from the second page of each part.

use super::*;

/// Paper size of a part, millimetres (width, height).
pub(super) fn portrait(l: &Layout) -> (f32, f32) {
    (l.page_width, l.page_height)
}

pub(super) fn landscape(l: &Layout) -> (f32, f32) {
    (l.page_height, l.page_width)
}

impl Writer<'_> {
    pub(super) fn begin_part(&mut self, page: (f32, f32), margins: Margins) {
        self.page = page;
        self.margins = margins;
        self.text_w = tw(page.0 - margins.left - margins.right).max(tw(20.0));
        self.items.clear();
        self.pending_break = false;
        self.points_num_id = None;
    }

    pub(super) fn end_part(&mut self, landscape: bool) -> Part {
        // The section break needs a paragraph of its own when the part ends
        // with a table or a frame: a tiny one, so it never makes a page.
        if !matches!(self.items.last(), Some(Item::P(_, true))) {
            let p = self.par(2).line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(20),
            );
            self.items.push(Item::P(Box::new(p), true));
        }
        Part {
            items: std::mem::take(&mut self.items),
            page: self.page,
            margins: self.margins,
            landscape,
        }
    }

    /// The header paragraph: the page number, centred.
    pub(super) fn page_number_paragraph(&self) -> Paragraph {
        let size = self.body_hp();
        let f = || Run::new().fonts(self.fonts()).size(size);
        self.par(size)
            .align(AlignmentType::Center)
            .add_run(f().add_field_char(FieldCharType::Begin, false))
            .add_run(f().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
            .add_run(f().add_field_char(FieldCharType::Separate, false))
            .add_run(f().add_text("2"))
            .add_run(f().add_field_char(FieldCharType::End, false))
    }
}
