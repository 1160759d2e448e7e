//! DOCX numbering: points go into Word numbering on the level the model gave
//! them (the model decided every number; nothing is counted here).

use super::*;

impl Writer<'_> {
    /// A numbered point in Word numbering. The model numbered the points of a
    /// part in sequence, level under level, as Word's own counters do, so the
    /// level alone reproduces the label; numbers Word cannot count (a part with
    /// a hand-typed one, or deeper than its levels) stay literal text.
    ///
    /// A `section` heading of a local act is centred and bold, with the
    /// heading's blank lines around it, on its level like any point.
    pub(super) fn point(&mut self, number: &crate::model::Number, text: &str, section: bool) {
        if section {
            self.gap(self.l.gap_around_heading, true);
        }
        let ilvl = if number.item {
            Some(ITEM_LEVEL)
        } else {
            (1..=ITEM_LEVEL as u8)
                .contains(&number.level)
                .then(|| number.level as usize - 1)
        };
        let Some(ilvl) = ilvl.filter(|_| !self.literal_points) else {
            let p = self.point_par(&format!("{} {text}", number.label), section);
            self.push_p(p);
            if section {
                self.gap(self.l.gap_around_heading, true);
            }
            return;
        };
        let num_id = match self.points_num_id {
            Some(id) => id,
            None => {
                let id = FIRST_NUMBERING_ID + self.numberings.len();
                self.numberings.push(self.point_numbering(id));
                self.points_num_id = Some(id);
                id
            }
        };
        let p = self
            .point_par(text, section)
            .numbering(NumberingId::new(num_id), IndentLevel::new(ilvl));
        self.push_p(p);
        if section {
            self.gap(self.l.gap_around_heading, true);
        }
    }

    /// A point's paragraph: the body's, or a section heading's (centred,
    /// bold, no indent, kept with its first clause).
    fn point_par(&self, text: &str, section: bool) -> Paragraph {
        if section {
            // The paragraph mark bold: Word and LibreOffice set the number
            // in the mark's font.
            self.text_par(text, self.body_hp(), true)
                .bold()
                .style(NO_HYPHENS)
                .align(AlignmentType::Center)
                .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None)
                .keep_next(true)
        } else {
            self.body_par(text)
        }
    }

    /// Numbering of points: levels «%1.», «%1.%2.» …, items «%9)»; the number
    /// is followed by a space and sits at the first-line indent.
    pub(super) fn point_numbering(&self, id: usize) -> (AbstractNumbering, Numbering) {
        let mut a = AbstractNumbering::new(id);
        for ilvl in 0..=ITEM_LEVEL {
            let text = if ilvl == ITEM_LEVEL {
                format!("%{})", ilvl + 1)
            } else {
                let parts: Vec<String> = (1..=ilvl + 1).map(|i| format!("%{i}")).collect();
                format!("{}.", parts.join("."))
            };
            a = a.add_level(
                Level::new(
                    ilvl,
                    Start::new(1),
                    NumberFormat::new("decimal"),
                    LevelText::new(text),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(tw(self.l.indent))),
                    None,
                    None,
                )
                .suffix(LevelSuffixType::Space)
                .fonts(self.fonts())
                .size(self.body_hp()),
            );
        }
        (a, Numbering::new(id, id))
    }
}
