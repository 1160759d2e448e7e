//! DOCX text blocks: the act's header requisites, title, body and executor
//! note, the appendix marks and titles, paragraphs, points and lists.

use super::*;

impl Writer<'_> {
    /// A bold centred requisite of the header; on a pre-printed blank only
    /// its height (the lines it would take), with nothing printed.
    /// `zone` is the width of the header's block (twips, from the left margin).
    pub(super) fn requisite(&mut self, text: &str, blank: bool, bold: bool, zone: i32) {
        let right = (self.text_w - zone).max(0);
        let p = self.requisite_par(text, blank, bold, zone);
        self.push_p(zoned(p.align(AlignmentType::Center), right));
    }

    /// The paragraph of [`Writer::requisite`], `width` twips wide, not yet
    /// placed or aligned.
    pub(super) fn requisite_par(
        &self,
        text: &str,
        blank: bool,
        bold: bool,
        width: i32,
    ) -> Paragraph {
        let body = self.body_hp();
        let p = if blank {
            let size = self.l.body_size;
            let width = width as f32 / 20.0;
            let lines: usize = text
                .split('\n')
                .map(|line| wrapped_lines(line, size, width))
                .sum();
            let h = (lines as f32 * self.line_twips()).round().max(1.0) as i32;
            self.par(body)
                .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(h))
        } else {
            self.text_par(text, body, bold)
        };
        p.style(NO_HYPHENS)
    }

    /// The coat of arms, centred; on a pre-printed blank only its height.
    pub(super) fn emblem_par(&self, png: &Raster, blank: bool) -> Paragraph {
        let l = self.l;
        let w_emu = (l.emblem_width as f64 * EMU_PER_MM).round().max(1.0);
        let h_emu = (w_emu * png.height as f64 / png.width.max(1) as f64).round();
        let p = self
            .par(self.body_hp())
            .style(NO_HYPHENS)
            .align(AlignmentType::Center);
        if blank {
            // The blank has the coat of arms: its height, nothing drawn.
            let h = (h_emu / EMU_PER_MM * 1440.0 / 25.4).round().max(1.0) as i32;
            p.line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(h))
        } else {
            let pic = Pic::new_with_dimensions(png.png.clone(), png.width, png.height)
                .id("rIdEmblem")
                .size(w_emu as u32, h_emu.max(1.0) as u32);
            p.add_run(Run::new().add_image(pic))
        }
    }

    /// «ПРИКАЗ № 15-од» on a pre-printed blank: the kind is on the paper,
    /// the number is printed where it stands in the centred line.
    fn number_on_blank(&mut self, kind: &str, number: &str, zone: i32) {
        let size = self.l.body_size;
        let zone_pt = zone as f32 / 20.0;
        let whole = text_width_pt(&format!("{kind} {number}"), size, true);
        let before = text_width_pt(&format!("{kind} "), size, true);
        let left_pt = if whole <= zone_pt {
            (zone_pt - whole) / 2.0 + before
        } else {
            (zone_pt - text_width_pt(number, size, true)).max(0.0) / 2.0
        };
        let p = self
            .text_par(number, self.body_hp(), true)
            .style(NO_HYPHENS)
            .align(AlignmentType::Left)
            .indent(Some((left_pt * 20.0).round() as i32), None, None, None);
        self.push_p(p);
    }

    /// The header in one language: the coat of arms, the authority, the
    /// kind, the date line, the place, across the page or in the corner zone
    /// (`zone` twips wide, `right` twips clear of the right margin).
    fn one_language_head(&mut self, a: &ActPart, emblem: Option<&Raster>, zone: i32, right: i32) {
        let l = self.l;
        let body = self.body_hp();
        if let Some(png) = emblem {
            let p = self.emblem_par(png, a.blank);
            self.push_p(p);
        }
        let authority = a.authority.join("\n");
        self.requisite(&authority, a.blank, true, zone);
        self.gap(l.gap_after_authority, false);
        if a.kind_number.is_empty() {
            self.requisite(&a.kind, a.blank, true, zone);
        } else if a.blank {
            self.number_on_blank(&a.kind, &a.kind_number, zone);
        } else {
            self.requisite(&format!("{} {}", a.kind, a.kind_number), false, true, zone);
        }
        if let Some(s) = &a.subject {
            self.requisite(s, a.blank, false, zone);
        }
        self.gap(l.gap_after_kind, false);
        // Date at the left margin, number flush right: a right tab at the text width.
        let f = Fmt {
            size: body,
            bold: false,
            color: None,
        };
        let p = zoned(
            self.par(body).style(NO_HYPHENS).align(AlignmentType::Left),
            right,
        )
        .add_tab(Tab::new().val(TabValueType::Right).pos(utw(zone)));
        let mut p = self.add_text(p, &a.date, &f);
        if !a.number.is_empty() {
            p = p.add_run(self.new_run(&f, false).add_tab());
            p = self.add_text(p, &a.number, &f);
        }
        self.push_p(p);
        if let Some(place) = &a.place {
            let p = zoned(
                self.text_par(place, body, false)
                    .style(NO_HYPHENS)
                    .align(AlignmentType::Center),
                right,
            );
            self.push_p(p);
        }
    }

    pub(super) fn act(&mut self, a: &ActPart, emblem: Option<&Raster>) {
        let l = self.l;
        let body = self.body_hp();
        // The header's block: the text width, or the corner zone (угловой бланк).
        let zone = match a.header_zone {
            Some(mm) => tw(mm).min(self.text_w),
            None => self.text_w,
        };
        let right = (self.text_w - zone).max(0);
        if let Some(local) = &a.local {
            self.local_head(a, local);
        } else if let Some(b) = &a.bilingual {
            self.bilingual_head(a, b, emblem);
        } else {
            self.one_language_head(a, emblem, zone, right);
        }
        self.gap(l.gap_after_header, false);
        if a.local.is_some() {
            // «ПОЛОЖЕНИЕ» over its title.
            self.requisite(&a.kind, false, true, self.text_w);
        }
        let mut p = self.text_par(&a.title, body, true).style(NO_HYPHENS);
        if a.title_centered {
            // A narrow block in the middle: as wide as the PDF's, centred.
            let side = ((self.text_w - tw(l.centered_title_width)) / 2).max(0);
            p = p
                .align(AlignmentType::Center)
                .indent(Some(side), None, Some(side), None);
        } else {
            let right = (self.text_w - tw(l.requisite_width)).max(0);
            p = p
                .align(AlignmentType::Left)
                .indent(Some(0), None, Some(right), None);
        }
        self.push_p(p);
        if let Some(local) = &a.local {
            self.place_year(local);
        }
        self.gap(l.gap_after_title, false);

        if a.local.is_some() {
            // The head signed the «УТВЕРЖДАЮ»: no signature at the foot.
            self.blocks(&a.body, false);
        } else {
            // The last block goes with the signature (as the template's unbreakable block).
            let keep_last = a.body.last().is_some_and(|b| !matches!(b, Block::Table(_)));
            self.blocks(&a.body, keep_last);
            self.gap(l.gap_before_signature, true);
            self.signature(&a.signature);
        }

        if let Some(d) = &a.distribution {
            self.gap(l.gap_before_distribution, false);
            let p = self
                .text_par(d, body, false)
                .align(AlignmentType::Both)
                .indent(Some(0), None, None, None);
            self.push_p(p);
        }
        if !a.executor.is_empty() || !a.visas.is_empty() {
            self.foot(&a.visas, &a.executor);
        }
    }

    /// The foot of the act's last page: the visas (position, room for the
    /// signature before the name, date), then the executor lines in the small
    /// size; one frame at the foot of the page, as the template's float.
    pub(super) fn foot(&mut self, visas: &[Visa], executor: &[String]) {
        let size = hp(self.l.small_size);
        let vsize = hp(self.l.visa_size);
        let visa_fmt = Fmt {
            size: vsize,
            bold: false,
            color: None,
        };
        let small = Fmt {
            size,
            bold: false,
            color: None,
        };
        let br = |w: &Self, f: &Fmt| w.new_run(f, false).add_break(BreakType::TextWrapping);
        // A blank line as high as `gap_between_visas` lines of the visa size:
        // a line of only a break, whose size sets its height.
        let gap = Fmt {
            size: hp(self.l.visa_size * self.l.gap_between_visas),
            bold: false,
            color: None,
        };
        let mut p = self.par(if visas.is_empty() { size } else { vsize });
        if !visas.is_empty() {
            // The name stands after the room for the signature.
            p = p.add_tab(
                Tab::new()
                    .val(TabValueType::Left)
                    .pos(utw(tw(self.l.visa_sign_width))),
            );
        }
        for (i, v) in visas.iter().enumerate() {
            if i > 0 {
                p = p.add_run(br(self, &visa_fmt)).add_run(br(self, &gap));
            }
            p = self.add_text(p, &v.position.join("\n"), &visa_fmt);
            p = p
                .add_run(br(self, &visa_fmt))
                .add_run(self.new_run(&visa_fmt, false).add_tab());
            p = self.add_text(p, &v.name, &visa_fmt);
            for extra in std::iter::once(&v.date)
                .filter(|d| !d.is_empty())
                .chain(v.remarks.iter())
            {
                p = p.add_run(br(self, &visa_fmt));
                p = self.add_text(p, extra, &visa_fmt);
            }
        }
        if !executor.is_empty() {
            if !visas.is_empty() {
                p = p.add_run(br(self, &visa_fmt)).add_run(br(self, &gap));
            }
            p = self.add_text(p, &executor.join("\n"), &small);
        }
        // The template's leading, as a line pitch against Word's single line.
        let p = p
            .style(NO_HYPHENS)
            .align(AlignmentType::Left)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line(line_value(self.l.pitch_factor(self.l.executor_leading))),
            )
            .wrap("around")
            .v_anchor("margin")
            .h_anchor("margin")
            .x_align("left")
            .y_align("bottom")
            .frame_width(utw(self.text_w) as u32)
            .v_space((self.l.executor_clearance * self.l.body_size * 20.0).round() as i32);
        self.items.push(Item::P(Box::new(p), false));
    }

    /// A лист согласования or ознакомления: the heading (its first line bold),
    /// centred, then the table.
    pub(super) fn sheet(&mut self, s: &Sheet) {
        let body = self.body_hp();
        let mut p = self
            .par(body)
            .style(NO_HYPHENS)
            .align(AlignmentType::Center)
            .keep_next(true);
        for (i, line) in s.heading.iter().enumerate() {
            let f = Fmt {
                size: body,
                bold: i == 0,
                color: None,
            };
            if i > 0 {
                p = p.add_run(self.new_run(&f, false).add_break(BreakType::TextWrapping));
            }
            p = self.add_text(p, line, &f);
        }
        self.push_p(p);
        self.gap(self.l.gap_after_sheet_heading, true);
        let t = self.table(&s.table);
        self.push_t(t);
    }

    pub(super) fn appendix(&mut self, ap: &AppendixPart) {
        let l = self.l;
        let body = self.body_hp();
        let left = (self.text_w - tw(l.requisite_width)).max(0);
        let p = self
            .text_par(&ap.mark.join("\n"), body, false)
            .style(NO_HYPHENS)
            .align(AlignmentType::Left)
            .indent(Some(left), None, None, None);
        self.push_p(p);
        self.gap(l.gap_after_mark, false);
        if !ap.title.is_empty() {
            let p = self
                .text_par(&ap.title.join("\n"), body, true)
                .style(NO_HYPHENS)
                .align(AlignmentType::Center)
                .keep_next(true);
            self.push_p(p);
            self.gap(l.gap_after_appendix_title, false);
        }
        self.blocks(&ap.body, false);
    }

    pub(super) fn blocks(&mut self, blocks: &[Block], keep_last: bool) {
        // Word counts every numbered paragraph of a list: one number typed by
        // hand would put its count out of step, so then all stay literal.
        self.literal_points = blocks
            .iter()
            .any(|b| matches!(b, Block::Point { number, .. } if number.explicit));
        let n = blocks.len();
        for (i, b) in blocks.iter().enumerate() {
            let start = self.items.len();
            self.block(b);
            if keep_last && i + 1 == n {
                for item in &mut self.items[start..] {
                    if let Item::P(p, _) = item {
                        **p = (**p).clone().keep_next(true).keep_lines(true);
                    }
                }
            }
        }
    }

    pub(super) fn body_par(&self, text: &str) -> Paragraph {
        self.text_par(text, self.body_hp(), false)
            .align(AlignmentType::Both)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(tw(self.l.indent))),
                None,
                None,
            )
    }

    pub(super) fn block(&mut self, b: &Block) {
        let body = self.body_hp();
        match b {
            Block::Para { text, style } => match style {
                ParaStyle::Body => {
                    let p = self.body_par(text);
                    self.push_p(p);
                }
                ParaStyle::Flush => {
                    let p = self
                        .text_par(text, body, false)
                        .align(AlignmentType::Both)
                        .indent(Some(0), None, None, None);
                    self.push_p(p);
                }
                ParaStyle::Left => {
                    let p = self
                        .text_par(text, body, false)
                        .align(AlignmentType::Left)
                        .indent(Some(0), None, None, None);
                    self.push_p(p);
                }
                ParaStyle::Center => {
                    let p = self
                        .text_par(text, body, false)
                        .align(AlignmentType::Center)
                        .indent(Some(0), None, None, None);
                    self.push_p(p);
                }
                ParaStyle::Heading => {
                    self.gap(self.l.gap_around_heading, true);
                    let p = self
                        .text_par(text, body, true)
                        .style(NO_HYPHENS)
                        .align(AlignmentType::Center)
                        .indent(Some(0), None, None, None)
                        .keep_next(true);
                    self.push_p(p);
                    self.gap(self.l.gap_around_heading, true);
                }
            },
            Block::Point {
                number,
                text,
                section,
            } => self.point(number, text, *section),
            Block::List { items } => {
                for it in items {
                    let p = self.list_item(it);
                    self.push_p(p);
                }
            }
            Block::Table(t) => {
                self.gap(self.l.gap_around_table, false);
                let t = self.table(t);
                self.push_t(t);
                self.gap(self.l.gap_around_table, false);
            }
            Block::Signature(s) => {
                self.gap(self.l.gap_before_signature, true);
                self.signature(s);
            }
            Block::PageBreak => self.pending_break = true,
        }
    }

    pub(super) fn list_item(&self, it: &ListItem) -> Paragraph {
        let indent = self.l.indent + it.level as f32 * self.l.list_indent;
        self.text_par(&format!("{} {}", it.marker, it.text), self.body_hp(), false)
            .align(AlignmentType::Both)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(tw(indent))),
                None,
                None,
            )
    }
}

/// How many lines `line` takes, bold at `size` pt, wrapped at spaces in a
/// column `width` pt wide (as Word and Typst wrap a line without hyphenation).
fn wrapped_lines(line: &str, size: f32, width: f32) -> usize {
    let space = text_width_pt(" ", size, true);
    let mut lines = 1;
    let mut used = 0.0;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let w = text_width_pt(word, size, true);
        if used > 0.0 && used + space + w > width {
            lines += 1;
            used = w;
        } else {
            used += if used > 0.0 { space + w } else { w };
        }
    }
    lines
}

/// A header paragraph kept `right` twips clear of the right margin (the corner
/// zone); across the page, no indent at all.
fn zoned(p: Paragraph, right: i32) -> Paragraph {
    if right > 0 {
        p.indent(Some(0), None, Some(right), None)
    } else {
        p
    }
}
