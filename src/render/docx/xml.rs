//! Small tools for the XML docx-rs writes: escaping, walking elements, and
//! putting the children of property elements into the order the schema asks
//! for (docx-rs writes e.g. `w:rPr` first in `w:pPr`, `w:sz` first in `w:rPr`).
//!
//! The walker relies on what docx-rs produces: no comments or CDATA, text never
//! contains `<` (it is escaped), attribute values are quoted.

/// Escape text or an attribute value.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Index just past the `>` of the tag that starts at `start` (a `<`), skipping
/// quoted attribute values.
fn tag_end(xml: &str, start: usize) -> Option<usize> {
    let bytes = xml.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = start + 1;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(i + 1),
            None => {}
        }
        i += 1;
    }
    None
}

/// Name of the element whose start tag begins at `start`.
fn tag_name(xml: &str, start: usize) -> &str {
    let rest = &xml[start + 1..];
    let end = rest
        .find(|c: char| c == ' ' || c == '>' || c == '/' || c.is_whitespace())
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Index just past the element that starts at `start` (its end tag included).
pub(super) fn element_end(xml: &str, start: usize) -> Option<usize> {
    let first = tag_end(xml, start)?;
    if xml[..first].ends_with("/>") {
        return Some(first);
    }
    let mut depth = 1usize;
    let mut i = first;
    while depth > 0 {
        let lt = i + xml[i..].find('<')?;
        let end = tag_end(xml, lt)?;
        let tag = &xml[lt..end];
        if tag.starts_with("</") {
            depth -= 1;
        } else if tag.starts_with("<?") || tag.starts_with("<!") || tag.ends_with("/>") {
        } else {
            depth += 1;
        }
        i = end;
    }
    Some(i)
}

/// Positions of the start tags of elements named `name` (exact name).
pub(super) fn find_elements(xml: &str, name: &str) -> Vec<usize> {
    let pat = format!("<{name}");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(off) = xml[from..].find(&pat) {
        let at = from + off;
        let next = xml[at + pat.len()..].chars().next();
        if matches!(next, Some(' ' | '>' | '/')) {
            out.push(at);
        }
        from = at + pat.len();
    }
    out
}

/// Reorder the children of every `name` element by their position in `order`
/// (unknown names keep their relative order at the end). Elements with text
/// content are left alone.
pub(super) fn reorder(xml: &str, name: &str, order: &[&str]) -> Result<String, String> {
    let rank = |n: &str| order.iter().position(|o| *o == n).unwrap_or(order.len());
    let mut out = String::with_capacity(xml.len());
    let mut pos = 0;
    for start in find_elements(xml, name) {
        if start < pos {
            // Nested inside one already copied (does not happen with docx-rs).
            continue;
        }
        let open_end = tag_end(xml, start).ok_or("незакрытый тег")?;
        out.push_str(&xml[pos..start]);
        if xml[..open_end].ends_with("/>") {
            out.push_str(&xml[start..open_end]);
            pos = open_end;
            continue;
        }
        let end = element_end(xml, start).ok_or("незакрытый элемент")?;
        let close_start = xml[..end].rfind("</").ok_or("нет закрывающего тега")?;
        let mut children: Vec<(usize, &str)> = Vec::new();
        let mut i = open_end;
        let mut plain = true;
        while i < close_start {
            if !xml[i..].starts_with('<') {
                plain = false;
                break;
            }
            let e = element_end(xml, i).ok_or("незакрытый элемент")?;
            children.push((rank(tag_name(xml, i)), &xml[i..e]));
            i = e;
        }
        if plain {
            children.sort_by_key(|(r, _)| *r);
            out.push_str(&xml[start..open_end]);
            for (_, c) in &children {
                out.push_str(c);
            }
            out.push_str(&xml[close_start..end]);
        } else {
            out.push_str(&xml[start..end]);
        }
        pos = end;
    }
    out.push_str(&xml[pos..]);
    Ok(out)
}

/// Schema order (ECMA-376, transitional) of the property elements docx-rs writes.
pub(super) const PPR_ORDER: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
];

pub(super) const RPR_ORDER: &[&str] = &[
    "w:ins",
    "w:del",
    "w:moveFrom",
    "w:moveTo",
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
];

pub(super) const TBLPR_ORDER: &[&str] = &[
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
];

pub(super) const TCPR_ORDER: &[&str] = &[
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
];

pub(super) const BORDERS_ORDER: &[&str] = &[
    "w:top",
    "w:left",
    "w:start",
    "w:bottom",
    "w:right",
    "w:end",
    "w:insideH",
    "w:insideV",
    "w:tl2br",
    "w:tr2bl",
];

pub(super) const MAR_ORDER: &[&str] =
    &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"];

pub(super) const NUMPR_ORDER: &[&str] = &["w:ilvl", "w:numId", "w:numberingChange", "w:ins"];

pub(super) const LVL_ORDER: &[&str] = &[
    "w:start",
    "w:numFmt",
    "w:lvlRestart",
    "w:pStyle",
    "w:isLgl",
    "w:suff",
    "w:lvlText",
    "w:lvlPicBulletId",
    "w:legacy",
    "w:lvlJc",
    "w:pPr",
    "w:rPr",
];

pub(super) const STYLE_ORDER: &[&str] = &[
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

/// Put the property elements of a part into schema order.
pub(super) fn normalize(xml: &str) -> Result<String, String> {
    let mut s = xml.to_string();
    for (name, order) in [
        ("w:style", STYLE_ORDER),
        ("w:lvl", LVL_ORDER),
        ("w:pPr", PPR_ORDER),
        ("w:numPr", NUMPR_ORDER),
        ("w:rPr", RPR_ORDER),
        ("w:tblPr", TBLPR_ORDER),
        ("w:tcPr", TCPR_ORDER),
        ("w:tblBorders", BORDERS_ORDER),
        ("w:tcBorders", BORDERS_ORDER),
        ("w:tblCellMar", MAR_ORDER),
        ("w:tcMar", MAR_ORDER),
    ] {
        s = reorder(&s, name, order)?;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reorders_children() {
        let x = r#"<w:p><w:pPr><w:rPr><w:sz w:val="28" /><w:b /></w:rPr><w:jc w:val="left" /><w:pStyle w:val="A" /></w:pPr><w:r><w:t xml:space="preserve">a&lt;b</w:t></w:r></w:p>"#;
        let y = normalize(x).unwrap();
        assert_eq!(
            y,
            r#"<w:p><w:pPr><w:pStyle w:val="A" /><w:jc w:val="left" /><w:rPr><w:b /><w:sz w:val="28" /></w:rPr></w:pPr><w:r><w:t xml:space="preserve">a&lt;b</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn finds_exact_names() {
        let x = "<w:tblPr><w:tblPrEx/></w:tblPr><w:tblPr/>";
        assert_eq!(find_elements(x, "w:tblPr"), vec![0, 31]);
        assert_eq!(element_end(x, 0), Some(31));
    }
}
