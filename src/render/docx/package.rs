//! The DOCX package: patches to the parts docx-rs built, and a deterministic zip.
//!
//! docx-rs cannot write, so we patch:
//! - `w:sectPr` of every part (docx-rs puts header references only in the
//!   body's last section and writes children out of schema order): replaced by
//!   [`section_xml`], in document order;
//! - `w:tblHeader` on repeated header rows (no docx-rs API);
//! - `w:lang` ru-RU in the default run properties, `w:suppressAutoHyphens` in
//!   our no-hyphenation style;
//! - `settings.xml` (`w:autoHyphenation`) and `docProps/core.xml` (title,
//!   author, fixed dates) are written here;
//! - property children in schema order ([`super::xml::normalize`]), no
//!   `w:rPr` in the `w:pPr` of styles and numbering levels, no `w:type` on
//!   `w:gridCol`, `w:vSpace` spelt right;
//! - `w14:paraId` renumbered from 1 (docx-rs counts per thread, so two runs
//!   in one process would differ);
//! - the zip: fixed order, fixed timestamps (1980-01-01), no directory entries.

use super::xml;
use crate::layout::Margins;
use crate::model::Meta;
use std::io::Write;

/// Page setup of one section.
pub(super) struct Section {
    /// Paper (width, height), millimetres, already turned for landscape.
    pub page: (f32, f32),
    pub landscape: bool,
    pub margins: Margins,
    /// Top edge of the header (page number), millimetres from the paper edge.
    pub header_from_top: f32,
    pub header_rid: &'static str,
    pub first_header_rid: &'static str,
    /// Footers (default, first page) where the document has them: the QR code
    /// in the act's first-page footer, an empty footer everywhere else.
    pub footers: Option<(&'static str, &'static str)>,
    /// Bottom edge of the footer, millimetres from the paper edge.
    pub footer_from_bottom: f32,
    /// The first page has its own (empty) header: no number on it.
    pub title_page: bool,
    /// Page numbers start again at 1.
    pub restart_numbering: bool,
}

/// `w:sectPr` of a section, children in schema order.
pub(super) fn section_xml(s: &Section) -> String {
    let tw = super::tw;
    let m = &s.margins;
    let mut x = String::from("<w:sectPr>");
    x.push_str(&format!(
        r#"<w:headerReference w:type="default" r:id="{}" />"#,
        s.header_rid
    ));
    x.push_str(&format!(
        r#"<w:headerReference w:type="first" r:id="{}" />"#,
        s.first_header_rid
    ));
    if let Some((default, first)) = s.footers {
        x.push_str(&format!(
            r#"<w:footerReference w:type="default" r:id="{default}" />"#
        ));
        x.push_str(&format!(
            r#"<w:footerReference w:type="first" r:id="{first}" />"#
        ));
    }
    x.push_str(r#"<w:type w:val="nextPage" />"#);
    x.push_str(&format!(
        r#"<w:pgSz w:w="{}" w:h="{}"{} />"#,
        tw(s.page.0).max(1),
        tw(s.page.1).max(1),
        if s.landscape {
            r#" w:orient="landscape""#
        } else {
            ""
        }
    ));
    x.push_str(&format!(
        r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{}" w:footer="{}" w:gutter="0" />"#,
        tw(m.top),
        tw(m.right),
        tw(m.bottom),
        tw(m.left),
        tw(s.header_from_top).max(0),
        tw(s.footer_from_bottom).max(0),
    ));
    if s.restart_numbering {
        x.push_str(r#"<w:pgNumType w:start="1" />"#);
    }
    x.push_str(r#"<w:cols w:space="708" />"#);
    if s.title_page {
        x.push_str("<w:titlePg />");
    }
    x.push_str("</w:sectPr>");
    x
}

/// The act's date as a W3CDTF timestamp (midnight UTC).
fn timestamp(meta: &Meta) -> String {
    let ok = meta.date.len() == 10
        && meta.date.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if ok {
        format!("{}T00:00:00Z", meta.date)
    } else {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            meta.year.clamp(1, 9999),
            meta.month.clamp(1, 12),
            meta.day.clamp(1, 31)
        )
    }
}

/// `docProps/core.xml`: title, author, fixed creation date.
pub(super) fn core_xml(meta: &Meta) -> String {
    let title = xml::escape(&super::clean(&meta.title).replace('\n', " "));
    let author = xml::escape(&super::clean(&meta.author).replace('\n', " "));
    let date = timestamp(meta);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title>",
            "<dc:creator>{author}</dc:creator>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy>",
            "<cp:revision>1</cp:revision>",
            "<dc:language>ru-RU</dc:language>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        title = title,
        author = author,
        date = date
    )
}

/// `word/settings.xml`: automatic hyphenation, Word 2013+ layout, Russian.
pub(super) fn settings_xml(default_tab_twips: i32) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            r#"<w:zoom w:percent="100" />"#,
            r#"<w:defaultTabStop w:val="{tab}" />"#,
            "<w:autoHyphenation />",
            // Words in capitals (abbreviations) are not hyphenated, as in the PDF.
            "<w:doNotHyphenateCaps />",
            r#"<w:characterSpacingControl w:val="doNotCompress" />"#,
            "<w:compat>",
            r#"<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15" />"#,
            "</w:compat>",
            r#"<w:themeFontLang w:val="ru-RU" />"#,
            r#"<w:decimalSymbol w:val="," />"#,
            r#"<w:listSeparator w:val=";" />"#,
            "</w:settings>"
        ),
        tab = default_tab_twips.max(1)
    )
}

/// What [`finish`] patches in.
pub(super) struct Patch {
    /// `w:sectPr` of each part, in document order.
    pub sections: Vec<String>,
    /// One flag per table row in document order.
    pub header_rows: Vec<bool>,
    pub core: String,
    pub settings: String,
    /// Style id that gets `w:suppressAutoHyphens`.
    pub no_hyphens_style: &'static str,
    /// Character style id that gets `w:noProof` and `w:lang` «zxx».
    pub name_style: &'static str,
    /// Word's signature lines, each where its picture stands.
    pub sign_lines: Vec<SignLine>,
}

/// A signature line (`o:signatureline`): docx-rs has none, so the writer
/// places a picture (relationship `rid`) and [`finish`] makes that drawing a
/// VML shape with the signature line, as Word writes one (Insert → Signature
/// Line), the picture its image.
pub(super) struct SignLine {
    pub rid: String,
    /// «Е.А. Глуховская», «Начальник управления образования».
    pub signer: String,
    pub position: String,
    pub width_mm: f32,
    pub height_mm: f32,
    /// Unique in the document (the field's name): the line's id is made from it.
    pub key: String,
}

/// `doc` with each signature line's drawing made a VML signature line.
fn sign_lines(doc: &str, lines: &[SignLine]) -> Result<String, String> {
    let mut doc = doc.to_string();
    for (i, s) in lines.iter().enumerate() {
        let embed = format!(r#"r:embed="{}""#, s.rid);
        let start = xml::find_elements(&doc, "w:drawing")
            .into_iter()
            .find(|&at| xml::element_end(&doc, at).is_some_and(|end| doc[at..end].contains(&embed)))
            .ok_or("внутренняя ошибка: нет рисунка строки подписи")?;
        let end = xml::element_end(&doc, start).ok_or("внутренняя ошибка: рисунок не закрыт")?;
        // A GUID of the line, fixed by its key: the same act, the same bytes.
        let h = fnv(s.key.as_bytes());
        let guid = format!(
            "{{{:08X}-{:04X}-{:04X}-{:04X}-{:012X}}}",
            (h >> 32) as u32,
            (h >> 16) as u16,
            h as u16,
            (h >> 48) as u16,
            h & 0xFFFF_FFFF_FFFF
        );
        let pt = |mm: f32| mm * 72.0 / 25.4;
        let vml = format!(
            concat!(
                r#"<w:pict>"#,
                r#"<v:shapetype id="_x0000_t75" coordsize="21600,21600" o:spt="75" o:preferrelative="t" path="m@4@5l@4@11@9@11@9@5xe" filled="f" stroked="f">"#,
                r#"<v:stroke joinstyle="miter"/><v:formulas>"#,
                r#"<v:f eqn="if lineDrawn pixelLineWidth 0"/><v:f eqn="sum @0 1 0"/><v:f eqn="sum 0 0 @1"/><v:f eqn="prod @2 1 2"/>"#,
                r#"<v:f eqn="prod @3 21600 pixelWidth"/><v:f eqn="prod @3 21600 pixelHeight"/><v:f eqn="sum @0 0 1"/>"#,
                r#"<v:f eqn="prod @6 1 2"/><v:f eqn="prod @7 21600 pixelWidth"/><v:f eqn="sum @8 21600 0"/>"#,
                r#"<v:f eqn="prod @7 21600 pixelHeight"/><v:f eqn="sum @10 21600 0"/></v:formulas>"#,
                r#"<v:path o:extrusionok="f" gradientshapeok="t" o:connecttype="rect"/><o:lock v:ext="edit" aspectratio="t"/>"#,
                r#"</v:shapetype>"#,
                r##"<v:shape id="_x0000_i{n}" type="#_x0000_t75" alt="Строка подписи: {signer}" style="width:{w:.1}pt;height:{h:.1}pt">"##,
                r#"<v:imagedata r:id="{rid}" o:title=""/>"#,
                r#"<o:lock v:ext="edit" ungrouping="t" rotation="t" cropping="t" verticies="t" text="t" grouping="t"/>"#,
                r#"<o:signatureline v:ext="edit" id="{guid}" provid="{{00000000-0000-0000-0000-000000000000}}" o:suggestedsigner="{signer}" o:suggestedsigner2="{position}" issignatureline="t"/>"#,
                r#"</v:shape></w:pict>"#
            ),
            n = 1025 + i,
            signer = xml::escape(&s.signer),
            position = xml::escape(&s.position),
            w = pt(s.width_mm),
            h = pt(s.height_mm),
            rid = s.rid,
            guid = guid,
        );
        doc.replace_range(start..end, &vml);
    }
    Ok(doc)
}

/// FNV-1a, 64 bits: a fixed hash for the signature line's id.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

fn utf8(name: &str, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| format!("часть {name} не в UTF-8"))
}

/// Replace the `w:sectPr` elements of `doc` with `sections`, in order.
fn replace_sections(doc: &str, sections: &[String]) -> Result<String, String> {
    let starts = xml::find_elements(doc, "w:sectPr");
    if starts.len() != sections.len() {
        return Err(format!(
            "внутренняя ошибка: {} разделов вместо {}",
            starts.len(),
            sections.len()
        ));
    }
    let mut out = String::with_capacity(doc.len() + 1024);
    let mut pos = 0;
    for (start, sect) in starts.into_iter().zip(sections) {
        let end = xml::element_end(doc, start).ok_or("незакрытый w:sectPr")?;
        out.push_str(&doc[pos..start]);
        out.push_str(sect);
        pos = end;
    }
    out.push_str(&doc[pos..]);
    Ok(out)
}

/// Mark header rows: `w:tblHeader` in their `w:trPr`.
fn mark_header_rows(doc: &str, flags: &[bool]) -> Result<String, String> {
    let rows = xml::find_elements(doc, "w:tr");
    if rows.len() != flags.len() {
        return Err(format!(
            "внутренняя ошибка: {} строк таблиц вместо {}",
            rows.len(),
            flags.len()
        ));
    }
    let mut out = String::with_capacity(doc.len() + 256);
    let mut pos = 0;
    for (start, header) in rows.into_iter().zip(flags) {
        if !header {
            continue;
        }
        let rel = doc[start..].find("<w:trPr>").ok_or("строка без w:trPr")?;
        let at = start + rel + "<w:trPr>".len();
        out.push_str(&doc[pos..at]);
        out.push_str("<w:tblHeader />");
        pos = at;
    }
    out.push_str(&doc[pos..]);
    Ok(out)
}

/// Drop the `w:type` attribute of `w:gridCol` elements.
fn strip_grid_col_type(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    while let Some(i) = rest.find("<w:gridCol ") {
        let end = rest[i..].find('>').map(|e| i + e + 1).unwrap_or(rest.len());
        out.push_str(&rest[..i]);
        out.push_str(&rest[i..end].replace(r#" w:type="dxa""#, ""));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Renumber `w14:paraId` values from `next`.
fn renumber_para_ids(part: &str, next: &mut u32) -> String {
    renumber(part, "w14:paraId=\"", next, |n| format!("{n:08X}"))
}

/// Number the drawings' `wp:docPr` ids from `next`: docx-rs gives every
/// picture id 1, and the ids must be unique in the document (the coat of
/// arms, the one in the e-signature stamp, the QR code).
fn renumber_drawings(part: &str, next: &mut u32) -> String {
    renumber(part, "<wp:docPr id=\"", next, |n| n.to_string())
}

/// Replace the value after each `key` (up to the closing quote) with
/// `show(next)`, counting `next` up.
fn renumber(part: &str, key: &str, next: &mut u32, show: impl Fn(u32) -> String) -> String {
    let mut out = String::with_capacity(part.len());
    let mut rest = part;
    while let Some(i) = rest.find(key) {
        let v = i + key.len();
        out.push_str(&rest[..v]);
        let close = rest[v..].find('"').map(|c| v + c).unwrap_or(v);
        out.push_str(&show(*next));
        *next += 1;
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Insert `child` as the first child of the first element matching `open`
/// (an exact start tag) found after `anchor`.
fn insert_after(xml: &str, anchor: &str, open: &str, child: &str) -> Result<String, String> {
    let a = xml
        .find(anchor)
        .ok_or_else(|| format!("не найдено {anchor}"))?;
    let o = a + xml[a..]
        .find(open)
        .ok_or_else(|| format!("не найдено {open}"))?;
    let at = o + open.len();
    Ok(format!("{}{}{}", &xml[..at], child, &xml[at..]))
}

fn patch_styles(styles: &str, no_hyphens: &str, name: &str) -> Result<String, String> {
    // docx-rs writes `<w:rPrDefault><w:rPr>…` (or an empty `<w:rPr />`).
    let lang = r#"<w:lang w:val="ru-RU" w:eastAsia="ru-RU" w:bidi="ar-SA" />"#;
    let s = if styles.contains("<w:rPrDefault><w:rPr />") {
        styles.replacen(
            "<w:rPrDefault><w:rPr />",
            &format!("<w:rPrDefault><w:rPr>{lang}</w:rPr>"),
            1,
        )
    } else {
        insert_after(styles, "<w:rPrDefault>", "<w:rPr>", lang)?
    };
    let s = into_style(&s, no_hyphens, "w:pPr", "<w:suppressAutoHyphens />")?;
    into_style(
        &s,
        name,
        "w:rPr",
        r#"<w:noProof /><w:lang w:val="zxx" w:eastAsia="zxx" w:bidi="zxx" />"#,
    )
}

/// `styles` with `content` put first into the `tag` properties (`w:pPr`,
/// `w:rPr`) of the style `id`, made if the style has none.
fn into_style(styles: &str, id: &str, tag: &str, content: &str) -> Result<String, String> {
    let anchor = format!(r#"w:styleId="{id}""#);
    let a = styles.find(&anchor).ok_or(format!("нет стиля {id}"))?;
    let end = a + styles[a..]
        .find("</w:style>")
        .ok_or(format!("стиль {id} не закрыт"))?;
    let style = &styles[a..end];
    let (at, with) = if let Some(i) = style.find(&format!("<{tag}>")) {
        (a + i + tag.len() + 2, content.to_string())
    } else if let Some(i) = style.find(&format!("<{tag} />")) {
        let at = a + i;
        let rest = &styles[at + tag.len() + 4..];
        return Ok(format!("{}<{tag}>{content}</{tag}>{rest}", &styles[..at]));
    } else {
        (end, format!("<{tag}>{content}</{tag}>"))
    };
    Ok(format!("{}{with}{}", &styles[..at], &styles[at..]))
}

/// Patch the parts and zip them.
pub(super) fn finish(x: docx_rs::XMLDocx, p: &Patch) -> Result<Vec<u8>, String> {
    let mut next_id = 1u32;
    let doc = utf8("document.xml", x.document)?;
    let doc = replace_sections(&doc, &p.sections)?;
    let doc = mark_header_rows(&doc, &p.header_rows)?;
    let doc = sign_lines(&doc, &p.sign_lines)?;
    // docx-rs gives `w:gridCol` a `w:type` the schema does not have.
    let doc = strip_grid_col_type(&doc);
    // docx-rs misspells the frame's padding attributes.
    let doc = doc
        .replace(" w:v_space=", " w:vSpace=")
        .replace(" w:h_space=", " w:hSpace=");
    let doc = xml::normalize(&doc)?;
    let doc = renumber_para_ids(&doc, &mut next_id);
    let mut next_drawing = 1u32;
    let doc = renumber_drawings(&doc, &mut next_drawing);

    let mut styles = utf8("styles.xml", x.styles)?;
    if !styles.starts_with("<?xml") {
        styles.insert_str(
            0,
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        );
    }
    // In styles and numbering levels `w:pPr` may not hold `w:rPr` (CT_PPrGeneral:
    // Word's validator reports 18 errors in numbering.xml and 1 in styles.xml);
    // docx-rs writes an empty one there. Run properties of a level stand in
    // the level's own `w:rPr`, which is kept.
    let general = |s: String| s.replace("<w:rPr /></w:pPr>", "</w:pPr>");
    let styles = general(xml::normalize(&patch_styles(
        &styles,
        p.no_hyphens_style,
        p.name_style,
    )?)?);
    let numbering = general(xml::normalize(&utf8("numbering.xml", x.numberings)?)?);

    let mut headers = Vec::new();
    for (i, h) in x.headers.into_iter().enumerate() {
        let h = xml::normalize(&utf8("header.xml", h)?)?;
        headers.push((i + 1, renumber_para_ids(&h, &mut next_id)));
    }
    let mut footers = Vec::new();
    for (i, f) in x.footers.into_iter().enumerate() {
        let f = xml::normalize(&utf8("footer.xml", f)?)?;
        let f = renumber_para_ids(&f, &mut next_id);
        footers.push((i + 1, renumber_drawings(&f, &mut next_drawing)));
    }

    let mut entries: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), x.content_type),
        ("_rels/.rels".into(), x.rels),
        ("docProps/app.xml".into(), x.doc_props.app),
        ("docProps/core.xml".into(), p.core.clone().into_bytes()),
        ("docProps/custom.xml".into(), x.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), x.document_rels),
        ("word/document.xml".into(), doc.into_bytes()),
        ("word/styles.xml".into(), styles.into_bytes()),
        ("word/settings.xml".into(), p.settings.clone().into_bytes()),
        ("word/fontTable.xml".into(), x.font_table),
        ("word/comments.xml".into(), x.comments),
        ("word/numbering.xml".into(), numbering.into_bytes()),
        ("word/commentsExtended.xml".into(), x.comments_extended),
        ("word/footnotes.xml".into(), x.footnotes),
    ];
    for (n, h) in headers {
        entries.push((format!("word/header{n}.xml"), h.into_bytes()));
        if let Some(r) = x.header_rels.get(n - 1) {
            entries.push((format!("word/_rels/header{n}.xml.rels"), r.clone()));
        }
    }
    for (n, f) in footers {
        entries.push((format!("word/footer{n}.xml"), f.into_bytes()));
        if let Some(r) = x.footer_rels.get(n - 1) {
            entries.push((format!("word/_rels/footer{n}.xml.rels"), r.clone()));
        }
    }
    for (id, data) in x.media {
        entries.push((format!("word/media/{id}.png"), data));
    }
    zip(entries).map_err(|e| format!("ошибка упаковки: {e}"))
}

/// Deflate level of the package. Measured on the 500-variant batch benchmark
/// (scripts/bench.sh): level 6 took 3.5 ms a document and 15.5 KB, level 3
/// 3.2 ms and 16.0 KB, level 1 3.0 ms and 18.6 KB, level 9 3.7 ms and 15.4 KB.
/// Level 3 keeps nearly all of the size for most of the time saved.
const DEFLATE_LEVEL: i64 = 3;

/// Zip the entries in the given order with fixed metadata.
fn zip(entries: Vec<(String, Vec<u8>)>) -> zip::result::ZipResult<Vec<u8>> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(DEFLATE_LEVEL))
        .last_modified_time(zip::DateTime::DEFAULT)
        // Made "on Unix" whatever builds it: the Windows build used to say
        // FAT here and give other bytes.
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    for (name, data) in entries {
        z.start_file(name, options)?;
        z.write_all(&data)?;
    }
    Ok(z.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_are_marked() {
        let d = "<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl>";
        let out = mark_header_rows(d, &[true, false]).unwrap();
        assert_eq!(out.matches("<w:tblHeader />").count(), 1);
        assert!(out.starts_with("<w:tbl><w:tr><w:trPr><w:tblHeader />"));
        assert!(mark_header_rows(d, &[true]).is_err());
    }

    #[test]
    fn grid_cols_lose_type() {
        let d = r#"<w:tblGrid><w:gridCol w:w="830" w:type="dxa" /><w:gridCol w:w="5" w:type="dxa" /></w:tblGrid><w:tcW w:w="830" w:type="dxa" />"#;
        assert_eq!(
            strip_grid_col_type(d),
            r#"<w:tblGrid><w:gridCol w:w="830" /><w:gridCol w:w="5" /></w:tblGrid><w:tcW w:w="830" w:type="dxa" />"#
        );
    }

    #[test]
    fn para_ids_renumbered() {
        let mut n = 1;
        let s = renumber_para_ids(r#"<w:p w14:paraId="0000abcd"><w:p w14:paraId="x">"#, &mut n);
        assert_eq!(
            s,
            r#"<w:p w14:paraId="00000001"><w:p w14:paraId="00000002">"#
        );
    }
}
