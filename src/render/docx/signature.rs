//! DOCX signature block: position at the left, the name flush right, and the
//! electronic-signature stamp between them, or Word's signature line where
//! the PDF has its signature field.

use super::*;
use crate::model::SignField;

impl Writer<'_> {
    /// Position lines at the left, the name flush right on the last position
    /// line, the e-signature stamp (if any) boxed in the middle: a borderless
    /// table with bottom-aligned cells, as the template's grid.
    pub(super) fn signature(&mut self, s: &Signature) {
        let l = self.l;
        let body = self.body_hp();
        let gutter = tw(l.signature_gutter);
        // The name never wraps: its own width plus the slack.
        let name_w =
            tw(text_width_mm(&s.name, l.body_size, false) + l.name_slack).min(self.text_w / 2);
        // Word's signature line where the PDF has its signature field.
        let field = s.field.as_ref().filter(|_| self.sign_fields);
        let stamp_w = if field.is_some() {
            tw(l.sign_field.width).min(self.text_w / 2)
        } else if s.esign.is_empty() {
            0
        } else {
            let longest = s
                .esign
                .iter()
                .map(|x| text_width_mm(x, l.small_size, false))
                .fold(0.0_f32, f32::max);
            // Text, the inset each side (as the template), and the frame lines.
            let frame = 2.0 * (l.stamp.inset + l.stamp.stroke * 25.4 / 72.0);
            tw(longest + frame).min(self.text_w / 2)
        };
        let mut widths = vec![0, gutter];
        if stamp_w > 0 {
            widths.extend([stamp_w, gutter]);
        }
        widths.push(name_w);
        let rest = self.text_w - widths.iter().sum::<i32>();
        widths[0] = rest.max(self.text_w / 5);

        let plain = |w: i32| {
            TableCell::new()
                .width(utw(w), WidthType::Dxa)
                .vertical_align(VAlignType::Bottom)
                .set_borders(super::columns::no_borders())
        };
        let mut cells = vec![
            plain(widths[0]).add_paragraph(
                self.text_par(&s.position.join("\n"), body, false)
                    .style(NO_HYPHENS)
                    .align(AlignmentType::Left)
                    .keep_lines(true),
            ),
            plain(gutter).add_paragraph(self.par(body)),
        ];
        if let Some(f) = field {
            let cell = self.sign_line_cell(f, &s.position, stamp_w);
            cells.push(cell.set_borders(super::columns::no_borders()));
            cells.push(plain(gutter).add_paragraph(self.par(body)));
        } else if stamp_w > 0 {
            let small = hp(l.small_size);
            let line = |pos| {
                TableCellBorder::new(pos)
                    .border_type(BorderType::Single)
                    .size(eighths(l.stamp.stroke))
                    .color(&l.stamp.color)
            };
            let pad = utw(tw(l.stamp.inset));
            // Lines centred, as the template's grid cell aligns them.
            let mut p = self
                .par(small)
                .style(NO_HYPHENS)
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Auto)
                        .line(line_value(l.pitch_factor(l.stamp.leading))),
                );
            p = self.add_text(
                p,
                &s.esign.join("\n"),
                &Fmt {
                    size: small,
                    bold: false,
                    color: Some(&l.stamp.color),
                },
            );
            let mut stamp = TableCell::new();
            // The coat of arms above the lines (ГОСТ §5.23 allows it), as the template.
            if s.esign_emblem
                && let Some(png) = &self.emblem
            {
                let w_emu = (l.stamp.emblem_width as f64 * EMU_PER_MM).round().max(1.0);
                let h_emu = (w_emu * png.height as f64 / png.width.max(1) as f64).round();
                let pic = Pic::new_with_dimensions(png.png.clone(), png.width, png.height)
                    .id("rIdStampEmblem")
                    .size(w_emu as u32, h_emu.max(1.0) as u32);
                stamp = stamp.add_paragraph(
                    self.par(small)
                        .align(AlignmentType::Center)
                        .add_run(Run::new().add_image(pic)),
                );
            }
            let mut stamp = stamp
                .width(utw(stamp_w), WidthType::Dxa)
                .vertical_align(VAlignType::Bottom)
                .set_borders(
                    TableCellBorders::with_empty()
                        .set(line(TableCellBorderPosition::Top))
                        .set(line(TableCellBorderPosition::Left))
                        .set(line(TableCellBorderPosition::Bottom))
                        .set(line(TableCellBorderPosition::Right)),
                )
                .add_paragraph(p);
            stamp.property = stamp
                .property
                .margin_top(pad, WidthType::Dxa)
                .margin_bottom(pad, WidthType::Dxa)
                .margin_left(pad, WidthType::Dxa)
                .margin_right(pad, WidthType::Dxa);
            cells.push(stamp);
            cells.push(plain(gutter).add_paragraph(self.par(body)));
        }
        cells.push(
            plain(*widths.last().unwrap_or(&0)).add_paragraph(
                self.text_par(&s.name, body, false)
                    .style(NO_HYPHENS)
                    .align(AlignmentType::Right),
            ),
        );
        self.header_rows.push(false);
        let row = TableRow::new(cells).cant_split();
        self.push_t(super::columns::borderless(vec![row], &widths));
    }

    /// A cell `width` twips wide holding Word's signature line for `f`
    /// (`o:signatureline`): a picture here, made a VML signature line by
    /// the package ([`package::SignLine`]). Its size is the PDF field's.
    fn sign_line_cell(&mut self, f: &SignField, position: &[String], width: i32) -> TableCell {
        let l = self.l;
        let id = format!("rIdSignLine{}", self.sign_lines.len() + 1);
        let (w_mm, h_mm) = (l.sign_field.width, l.sign_field.height);
        let picture = sign_line_picture(l, w_mm, h_mm);
        let pic = Pic::new_with_dimensions(picture.png, picture.width, picture.height)
            .id(&id)
            .size(
                (w_mm as f64 * EMU_PER_MM).round() as u32,
                (h_mm as f64 * EMU_PER_MM).round() as u32,
            );
        self.sign_lines.push(package::SignLine {
            rid: id,
            signer: f.signer.replace('\u{a0}', " "),
            position: position.join(" "),
            width_mm: w_mm,
            height_mm: h_mm,
            key: f.name.clone(),
        });
        let body = self.body_hp();
        TableCell::new()
            .width(utw(width), WidthType::Dxa)
            .vertical_align(VAlignType::Bottom)
            .add_paragraph(
                self.par(body)
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_image(pic)),
            )
    }
}

/// The picture of a signature line, as Word draws one: a cross and a line
/// to sign on, in the e-signature mark's colour and line, on a transparent
/// ground.
fn sign_line_picture(l: &Layout, w_mm: f32, h_mm: f32) -> crate::emblem::Raster {
    // Pixels a millimetre: sharp enough in print.
    const PX: f32 = 10.0;
    let (w, h) = ((w_mm * PX).round() as u32, (h_mm * PX).round() as u32);
    let Some(mut px) = tiny_skia::Pixmap::new(w.max(1), h.max(1)) else {
        return crate::emblem::Raster {
            png: vec![],
            width: 1,
            height: 1,
        };
    };
    let mut paint = tiny_skia::Paint::default();
    let rgb = u32::from_str_radix(&l.stamp.color, 16).unwrap_or(0);
    paint.set_color_rgba8((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8, 0xff);
    let stroke = tiny_skia::Stroke {
        width: l.stamp.stroke * 25.4 / 72.0 * PX,
        ..Default::default()
    };
    let (wf, hf) = (w as f32, h as f32);
    let line_y = hf * 0.75;
    let mut pb = tiny_skia::PathBuilder::new();
    pb.move_to(wf * 0.05, line_y);
    pb.line_to(wf * 0.95, line_y);
    // The cross above the line's start.
    let (cx, cy, r) = (wf * 0.08, line_y - hf * 0.12, hf * 0.06);
    pb.move_to(cx - r, cy - r);
    pb.line_to(cx + r, cy + r);
    pb.move_to(cx - r, cy + r);
    pb.line_to(cx + r, cy - r);
    if let Some(path) = pb.finish() {
        px.stroke_path(
            &path,
            &paint,
            &stroke,
            tiny_skia::Transform::identity(),
            None,
        );
    }
    crate::emblem::Raster {
        png: px.encode_png().unwrap_or_default(),
        width: w,
        height: h,
    }
}
