//! Empty signature fields added to a PDF that typst-pdf wrote: Typst has no
//! form fields, so the field (`/FT /Sig`, merged with its widget) is laid over
//! the area the template marked, after the export.
//!
//! The file is rewritten whole, not updated incrementally: it stays one
//! revision, and a signing program's signature (an incremental update of its
//! own) is then the only update the file ever has. The objects typst-pdf wrote
//! keep their bytes but for the few entries added to the catalog (`/AcroForm`),
//! the pages that get a field (`/Annots`, `/Tabs /S`) and, in a tagged PDF, the
//! structure tree (a `/Form` element per field, the parent tree's entry for its
//! widget); the new objects follow them, then a new cross-reference table.
//!
//! Reading is hayro-syntax's (the PDF parser Typst already builds), which gives
//! each dictionary and array as the exact bytes it spans; writing is
//! pdf-writer's (typst-pdf's own), so names and strings are escaped as in any
//! PDF typst-pdf writes. Both are in the build already.
//!
//! What PDF/A-2b asks of a widget is kept: the print flag (`/F 4`), an
//! appearance stream (`/AP /N`, an empty form XObject the size of the field),
//! no `NeedAppearances`; the catalog's `/AcroForm` has `/Fields` and
//! `/SigFlags 1`; each field has a name of its own.

use hayro_syntax::Pdf;
use hayro_syntax::object::{Array, Dict, MaybeRef, ObjRef, ObjectIdentifier};
use pdf_writer::types::{AnnotationFlags, FieldType, SigFlags, StructRole};
use pdf_writer::{Chunk, Finish, Rect, Ref, TextStr};
use std::collections::BTreeMap;

/// A signature field to add: its page (from 0), its rectangle in PDF
/// coordinates (points from the bottom left: x0, y0, x1, y1), its name (no
/// «.») and its description (who signs there).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub page: usize,
    pub rect: [f32; 4],
    pub name: String,
    pub description: String,
}

/// An edit of the original bytes: `cut` bytes at `at` replaced by `insert`.
struct Edit {
    at: usize,
    cut: usize,
    insert: Vec<u8>,
}

fn insert(at: usize, bytes: impl Into<Vec<u8>>) -> Edit {
    Edit {
        at,
        cut: 0,
        insert: bytes.into(),
    }
}

/// `pdf` with `fields` added. `Err` says what in the file was not as
/// typst-pdf writes it (a program error, not a clerk's).
pub fn add(pdf: &[u8], fields: &[Field]) -> Result<Vec<u8>, String> {
    if fields.is_empty() {
        return Ok(pdf.to_vec());
    }
    let xref = Xref::read(pdf)?;
    let parsed = Pdf::new(pdf.to_vec()).map_err(|e| format!("PDF не читается: {e:?}"))?;
    let file = Bytes(parsed.data().as_ref());

    let root_id = parsed.xref().root_id();
    let catalog: Dict = parsed
        .xref()
        .get(root_id)
        .ok_or("в PDF нет каталога документа")?;
    if catalog.contains_key(b"AcroForm") {
        return Err("в PDF уже есть форма (/AcroForm)".into());
    }
    let pages = parsed.pages();
    // A tagged PDF: each field is a /Form element of the document, its widget
    // the parent tree's next entry. A structure tree of another shape than
    // typst-pdf's gets no elements (the fields stay, untagged).
    let tree = catalog
        .get::<Dict>(b"StructTreeRoot")
        .and_then(|root| StructTree::read(&parsed, &root, &file));

    let mut next = xref.offsets.len() as i32;
    let mut new_ref = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let mut edits: Vec<Edit> = vec![];
    let mut objects: Vec<(Ref, Chunk)> = vec![];

    let form_ref = new_ref();
    let mut widgets = vec![];
    let mut by_page: BTreeMap<usize, Vec<Ref>> = BTreeMap::new();
    let mut elements = vec![];
    let mut key = tree.as_ref().map_or(0, |t| t.next_key);
    for f in fields {
        let page = pages
            .get(f.page)
            .ok_or_else(|| format!("в PDF нет страницы {}", f.page + 1))?;
        let page_ref = to_ref(page.raw().obj_id().ok_or("страница PDF не объект")?);
        let widget = new_ref();
        let appearance = new_ref();
        let [x0, y0, x1, y1] = f.rect;
        let mut c = Chunk::new();
        let mut field = c.indirect(widget).start::<pdf_writer::writers::Field>();
        field.field_type(FieldType::Signature);
        field.partial_name(TextStr(&f.name));
        field.alternate_name(TextStr(&f.description));
        let mut annot = field.into_annotation();
        annot.rect(Rect::new(x0, y0, x1, y1));
        annot.flags(AnnotationFlags::PRINT);
        annot.page(page_ref);
        annot.contents(TextStr(&f.description));
        if tree.is_some() {
            annot.struct_parent(key);
            elements.push((key, new_ref(), widget, page_ref, f.description.as_str()));
            key += 1;
        }
        annot.appearance().normal().stream(appearance);
        annot.finish();
        objects.push((widget, c));
        // An empty appearance: a PDF/A widget must have one; the signing
        // program draws its own.
        let mut c = Chunk::new();
        c.form_xobject(appearance, b"")
            .bbox(Rect::new(0.0, 0.0, x1 - x0, y1 - y0))
            .finish();
        objects.push((appearance, c));
        widgets.push(widget);
        by_page.entry(f.page).or_default().push(widget);
    }

    // The catalog gets the form.
    edits.push(insert(
        file.dict_end(&catalog)?,
        format!(" /AcroForm {} 0 R ", form_ref.get()),
    ));
    let mut c = Chunk::new();
    let mut form = c.indirect(form_ref).start::<pdf_writer::writers::Form>();
    form.fields(widgets.iter().copied());
    form.sig_flags(SigFlags::SIGNATURES_EXIST);
    form.finish();
    objects.push((form_ref, c));

    // Each page gets its widgets, and in a tagged PDF the tab order of its
    // structure (PDF/UA).
    for (index, refs) in &by_page {
        let dict = pages[*index].raw();
        let list = ref_list(refs.iter().copied());
        match dict.get_raw::<Array>(b"Annots") {
            Some(MaybeRef::NotRef(a)) => edits.push(insert(file.array_end(&a)?, list)),
            Some(MaybeRef::Ref(r)) => {
                let a: Array = parsed
                    .xref()
                    .get(r.into())
                    .ok_or("список аннотаций страницы не читается")?;
                edits.push(insert(file.array_end(&a)?, list));
            }
            None => edits.push(insert(file.dict_end(dict)?, format!(" /Annots [{list} ] "))),
        }
        if tree.is_some() && !dict.contains_key(b"Tabs") {
            edits.push(insert(file.dict_end(dict)?, " /Tabs /S "));
        }
    }

    // The structure tree: the /Form elements under the document element,
    // each widget's entry in the parent tree, the parent tree's next key.
    if let Some(t) = &tree {
        let mut nums = String::new();
        for (k, element, widget, page, description) in &elements {
            let mut c = Chunk::new();
            let mut e = c.struct_element(*element);
            e.kind(StructRole::Form);
            e.parent(t.document);
            e.page(*page);
            e.alt(TextStr(description));
            e.object_child().object(*widget).page(*page);
            e.finish();
            objects.push((*element, c));
            nums.push_str(&format!(" {k} {} 0 R", element.get()));
        }
        edits.push(insert(
            t.document_kids_end,
            ref_list(elements.iter().map(|e| e.1)),
        ));
        edits.push(insert(t.nums_end, nums));
        match t.next_key_at {
            Some((at, cut)) => edits.push(Edit {
                at,
                cut,
                insert: key.to_string().into_bytes(),
            }),
            None => edits.push(insert(t.root_end, format!(" /ParentTreeNextKey {key} "))),
        }
    }

    xref.rewrite(pdf, edits, objects)
}

/// « 5 0 R 6 0 R».
fn ref_list(refs: impl Iterator<Item = Ref>) -> String {
    refs.map(|r| format!(" {} 0 R", r.get())).collect()
}

fn to_ref(id: ObjectIdentifier) -> Ref {
    let r: ObjRef = id.into();
    Ref::new(r.obj_number)
}

/// The file as hayro-syntax holds it: where a parsed object's bytes stand.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn at(&self, bytes: &[u8]) -> Result<usize, String> {
        let start = (bytes.as_ptr() as usize).wrapping_sub(self.0.as_ptr() as usize);
        if start <= self.0.len() && start + bytes.len() <= self.0.len() {
            Ok(start)
        } else {
            Err("объект PDF не лежит в файле как есть (поток объектов?)".into())
        }
    }

    /// Where the dictionary's closing «>>» stands.
    fn dict_end(&self, d: &Dict) -> Result<usize, String> {
        let data = d.data();
        if !data.ends_with(b">>") {
            return Err("словарь PDF без «>>»".into());
        }
        Ok(self.at(data)? + data.len() - 2)
    }

    /// Where the array's closing «]» stands.
    fn array_end(&self, a: &Array) -> Result<usize, String> {
        Ok(self.at(a.data())? + a.data().len())
    }
}

/// What the fields' structure elements hang on, as typst-pdf writes the tree.
struct StructTree {
    /// The document element, the root's one child.
    document: Ref,
    /// Where the document element's children end.
    document_kids_end: usize,
    /// Where the parent tree's `/Nums` array ends.
    nums_end: usize,
    next_key: i32,
    /// The number of `/ParentTreeNextKey`: where it stands, how long.
    next_key_at: Option<(usize, usize)>,
    /// Where the root's dictionary ends.
    root_end: usize,
}

impl StructTree {
    fn read(pdf: &Pdf, root: &Dict, file: &Bytes) -> Option<Self> {
        let document = match root.get_raw::<Array>(b"K")? {
            MaybeRef::NotRef(kids) => {
                let mut refs = kids.raw_iter();
                let first = match refs.next()? {
                    MaybeRef::Ref(r) => r,
                    MaybeRef::NotRef(_) => return None,
                };
                if refs.next().is_some() {
                    return None;
                }
                first
            }
            MaybeRef::Ref(r) => r,
        };
        let element: Dict = pdf.xref().get(document.into())?;
        let document_kids_end = match element.get_raw::<Array>(b"K")? {
            MaybeRef::NotRef(kids) => file.array_end(&kids).ok()?,
            MaybeRef::Ref(_) => return None,
        };
        let parent_tree: Dict = root.get(b"ParentTree")?;
        let nums = match parent_tree.get_raw::<Array>(b"Nums")? {
            MaybeRef::NotRef(a) => a,
            MaybeRef::Ref(_) => return None,
        };
        let nums_end = file.array_end(&nums).ok()?;
        let entries = nums.raw_iter().count() as i32 / 2;
        let root_data = root.data();
        let next_key_at = find(root_data, b"/ParentTreeNextKey").map(|i| {
            let mut s = i + b"/ParentTreeNextKey".len();
            while root_data.get(s).is_some_and(|b| b.is_ascii_whitespace()) {
                s += 1;
            }
            let len = root_data[s..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            (s, len)
        });
        let next_key = match next_key_at {
            Some((s, len)) => std::str::from_utf8(&root_data[s..s + len])
                .ok()?
                .parse()
                .ok()?,
            None => entries,
        };
        let root_at = file.at(root_data).ok()?;
        Some(StructTree {
            document: to_ref(document.into()),
            document_kids_end,
            nums_end,
            next_key,
            next_key_at: next_key_at.map(|(s, len)| (root_at + s, len)),
            root_end: file.dict_end(root).ok()?,
        })
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The classic cross-reference table typst-pdf writes.
struct Xref {
    /// Each object's offset and generation; `None` for a free entry.
    offsets: Vec<Option<(usize, u16)>>,
    /// Where the table starts (the body ends there).
    start: usize,
    /// The trailer dictionary, as written.
    trailer: Vec<u8>,
    /// What follows `startxref`'s number («\n%%EOF»).
    tail: Vec<u8>,
}

impl Xref {
    fn read(pdf: &[u8]) -> Result<Self, String> {
        let bad = || "в PDF нет таблицы перекрёстных ссылок, как её пишет typst-pdf".to_string();
        let sx = rfind(pdf, b"startxref").ok_or_else(bad)?;
        let after = &pdf[sx + b"startxref".len()..];
        let digits_from = after
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .ok_or_else(bad)?;
        let digits = after[digits_from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let start: usize = std::str::from_utf8(&after[digits_from..digits_from + digits])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        let tail = after[digits_from + digits..].to_vec();
        if !pdf.get(start..).is_some_and(|t| t.starts_with(b"xref")) {
            return Err(bad());
        }
        let trailer_at = start + find(&pdf[start..sx], b"trailer").ok_or_else(bad)?;
        let table = std::str::from_utf8(&pdf[start + 4..trailer_at]).map_err(|_| bad())?;
        let mut words = table.split_ascii_whitespace();
        let mut offsets: Vec<Option<(usize, u16)>> = vec![];
        while let Some(first) = words.next() {
            let first: usize = first.parse().map_err(|_| bad())?;
            let count: usize = words.next().and_then(|w| w.parse().ok()).ok_or_else(bad)?;
            for i in first..first + count {
                let (Some(off), Some(generation), Some(kind)) =
                    (words.next(), words.next(), words.next())
                else {
                    return Err(bad());
                };
                let off: usize = off.parse().map_err(|_| bad())?;
                let generation: u16 = generation.parse().map_err(|_| bad())?;
                if offsets.len() <= i {
                    offsets.resize(i + 1, None);
                }
                offsets[i] = (kind == "n").then_some((off, generation));
            }
        }
        Ok(Xref {
            offsets,
            start,
            trailer: pdf[trailer_at + b"trailer".len()..sx].to_vec(),
            tail,
        })
    }

    /// The file with `edits` made to its body, `objects` after it (numbered
    /// on from the old objects, in order), and a table for all of them.
    fn rewrite(
        &self,
        pdf: &[u8],
        mut edits: Vec<Edit>,
        mut objects: Vec<(Ref, Chunk)>,
    ) -> Result<Vec<u8>, String> {
        edits.sort_by_key(|e| e.at);
        let mut out = Vec::with_capacity(pdf.len() + 4096);
        let mut pos = 0;
        for e in &edits {
            if e.at < pos || e.at + e.cut > self.start {
                return Err("правки PDF перекрываются".into());
            }
            out.extend_from_slice(&pdf[pos..e.at]);
            out.extend_from_slice(&e.insert);
            pos = e.at + e.cut;
        }
        out.extend_from_slice(&pdf[pos..self.start]);
        // Where an old object now starts: no edit is at an object's start.
        let moved = |old: usize| -> usize {
            let mut shift: isize = 0;
            for e in edits.iter().take_while(|e| e.at < old) {
                shift += e.insert.len() as isize - e.cut as isize;
            }
            (old as isize + shift) as usize
        };
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        let mut entries: Vec<Option<(usize, u16)>> = self
            .offsets
            .iter()
            .map(|o| o.map(|(off, g)| (moved(off), g)))
            .collect();
        objects.sort_by_key(|(r, _)| r.get());
        for (r, chunk) in &objects {
            if r.get() as usize != entries.len() {
                return Err("номера новых объектов PDF не подряд".into());
            }
            entries.push(Some((out.len(), 0)));
            out.extend_from_slice(chunk.as_bytes());
        }
        let size = entries.len();
        let xref_at = out.len();
        out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
        for e in &entries {
            let line = match e {
                Some((off, g)) => format!("{off:010} {g:05} n\r\n"),
                None => "0000000000 65535 f\r\n".to_string(),
            };
            out.extend_from_slice(line.as_bytes());
        }
        out.extend_from_slice(b"trailer");
        out.extend_from_slice(&with_size(&self.trailer, size)?);
        out.extend_from_slice(format!("startxref\n{xref_at}").as_bytes());
        out.extend_from_slice(&self.tail);
        Ok(out)
    }
}

/// The trailer with its `/Size` set to `size`.
fn with_size(trailer: &[u8], size: usize) -> Result<Vec<u8>, String> {
    let i = find(trailer, b"/Size").ok_or("в трейлере PDF нет /Size")? + b"/Size".len();
    let mut s = i;
    while trailer.get(s).is_some_and(|b| b.is_ascii_whitespace()) {
        s += 1;
    }
    let len = trailer[s..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let mut out = trailer[..s].to_vec();
    out.extend_from_slice(size.to_string().as_bytes());
    out.extend_from_slice(&trailer[s + len..]);
    Ok(out)
}
