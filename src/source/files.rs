//! Manifests: files, directories (recursive), stdin. Reads multi-document YAML,
//! JSON (one object or a stream), `kind: List` and typed lists such as
//! `ServiceList` (what `kubectl get -o yaml` and `kubectl cluster-info dump`
//! write), and records the file, line and field positions of every object.
//!
//! Each file's text is kept (shared, `Arc<String>`) for as long as its objects
//! live, with the byte range each object was read from: field positions are
//! computed from it only when asked for (see [`crate::model::ObjectSpans`]).

use crate::error::Failure;
use crate::model::finding::{Code, Finding, ObjectRef};
use crate::model::{
    Ingested, ObjectSpans, Origin, Prepared, Scope, Snapshot, SourceInfo, SourceText, Span,
};
use crate::yaml;
use anyhow::Context;
use serde_json::Value;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Reads every path into one snapshot. `namespace` fills objects that have
/// none (default: `default`).
pub fn load(paths: &[PathBuf], scope: Scope, namespace: Option<&str>) -> anyhow::Result<Snapshot> {
    let labels = paths.iter().map(|p| p.display().to_string()).collect();
    let mut snap = Snapshot::new(SourceInfo::Files { paths: labels }, scope);
    let default_ns = namespace.unwrap_or("default");
    let mut skipped = Vec::new();
    for path in paths {
        for file in expand(path, &mut skipped)? {
            let (label, text) = read(&file)?;
            snap.stats.files += 1;
            let origin = |line| Origin::File {
                path: label.clone(),
                line,
            };
            load_text(&mut snap, text, &label, origin, default_ns)?;
        }
    }
    for path in skipped {
        snap.notice(
            format!(
                "skipped `{}`: not a regular file (a FIFO, socket or device)",
                path.display()
            ),
            Some("name it with -f to read it anyway, e.g. a pipe from another command".into()),
        );
    }
    Ok(snap.finish())
}

/// A directory becomes its .yaml/.yml/.json files, sorted, recursively. The
/// walk follows symbolic links (manifests are often linked in) but never a
/// link back to a directory it is inside. A directory that holds no such
/// file gives no file: the command then says it read nothing. Manifests in
/// the tree that are not regular files go to `skipped`.
fn expand(path: &Path, skipped: &mut Vec<PathBuf>) -> anyhow::Result<Vec<PathBuf>> {
    if path == Path::new("-") {
        return Ok(vec![path.to_path_buf()]);
    }
    let meta = std::fs::metadata(path).map_err(|e| {
        anyhow::Error::new(e).context(
            Failure::new(format!("could not read `{}`", path.display()))
                .hint("-f takes a file, a directory of .yaml/.yml/.json files, or - for stdin"),
        )
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(path).follow_links(true) {
        let entry = match entry {
            Ok(entry) => entry,
            // A link to one of its own ancestors: everything under it is
            // read already, on the way down.
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                let at = e.path().unwrap_or(path).display().to_string();
                // The I/O error itself, once (walkdir's own message repeats it).
                let cause = match e.into_io_error() {
                    Some(io) => anyhow::Error::new(io),
                    None => anyhow::anyhow!("the directory walk failed"),
                };
                return Err(cause.context(Failure::new(format!("could not read `{at}`")).hint(
                    "check that it exists (a symbolic link may point nowhere) and can be read, or point -f at the files that can be read",
                )));
            }
        };
        let manifest = matches!(
            entry.path().extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        // Regular files only: a FIFO or a device named `x.yaml` in a tree
        // would block the read forever, or never end. (Named with -f, a
        // pipe is read: that is how `-f <(helm template ...)` works.)
        if manifest && entry.file_type().is_file() {
            out.push(entry.into_path());
        } else if manifest && !entry.file_type().is_dir() {
            skipped.push(entry.into_path());
        }
    }
    out.sort();
    Ok(out)
}

fn read(path: &Path) -> anyhow::Result<(String, String)> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("could not read manifests from stdin")?;
        return Ok(("<stdin>".to_string(), text));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        anyhow::Error::new(e).context(
            Failure::new(format!("could not read `{}`", path.display()))
                .hint("check that the file exists and can be read"),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = utf8_error_at(e.as_bytes(), e.utf8_error().valid_up_to());
        Failure::new(format!(
            "{}:{}:{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            at.line,
            at.column,
            e.utf8_error().valid_up_to()
        ))
        .hint("manifests must be YAML or JSON text in UTF-8; a binary file or another encoding is not read")
    })?;
    Ok((path.display().to_string(), text))
}

/// The line and column of byte `bad` in `bytes`, which are UTF-8 up to it.
fn utf8_error_at(bytes: &[u8], bad: usize) -> Span {
    let before = std::str::from_utf8(&bytes[..bad]).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Span {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Where one decoded document (or JSON value) sits in its file.
struct Place<'a> {
    /// The whole file.
    text: &'a Arc<String>,
    /// The document's bytes in the file.
    range: Range<usize>,
    /// Where the document's text starts.
    at: Span,
    /// Whether the text is a node inside a line (a JSON value) rather than a
    /// whole YAML document.
    node: bool,
    /// The line where the object starts, for its origin.
    line: usize,
    /// SVC001, should the document be a template that does not decode.
    template: Option<Finding>,
}

impl Place<'_> {
    fn source(&self) -> SourceText {
        if self.node {
            SourceText::node(self.text.clone(), self.range.clone(), self.at)
        } else {
            SourceText::document(self.text.clone(), self.range.clone(), self.at)
        }
    }
}

/// Parses one file's text into the snapshot. `label` names the file in
/// errors; `origin` makes an object's origin from its line. The text is
/// kept (shared by the file's objects) for their field positions.
pub fn load_text(
    snap: &mut Snapshot,
    text: impl Into<String>,
    label: &str,
    origin: impl Fn(usize) -> Origin,
    default_ns: &str,
) -> anyhow::Result<()> {
    // Moved, not copied: the objects share it.
    let text = Arc::new(text.into());
    snap.texts.insert(label.to_string(), text.clone());
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return load_json(snap, &text, label, &origin, default_ns);
    }
    // Decoded on other threads while the documents before are added, in
    // order (`yaml::for_each_parsed`).
    let docs = yaml::split_documents(&text);
    // A document of a kind svcx does not read is counted from its head and
    // not decoded: decoding a CRD's schema into a value to drop it cost most
    // of a CRD-heavy install's reading (docs/decisions.md, "Kinds svcx does
    // not read").
    let prepare = |doc: &yaml::Document<'_>| {
        if let Some(h) = yaml::head::head(doc.text).filter(|h| {
            !h.kind.ends_with("List") && crate::model::unused_kind(&h.api_version, &h.kind)
        }) {
            let mut metadata = serde_json::Map::new();
            for (key, value) in [("name", h.name), ("namespace", h.namespace)] {
                if let Some(v) = value {
                    metadata.insert(key.into(), Value::String(v));
                }
            }
            let head = serde_json::json!({
                "apiVersion": h.api_version, "kind": h.kind, "metadata": metadata,
            });
            return Ok(Decoded::Object(Prepared::new(head, default_ns)));
        }
        yaml::parse_document(doc).map(|value| Decoded::new(value, default_ns))
    };
    yaml::for_each_parsed(&docs, prepare, |n, doc, parsed| {
        let value = match parsed {
            Ok(value) => value,
            Err(e) => {
                // An unrendered Helm template rarely parses; say what it is.
                if let Some(at) = template_action(doc) {
                    snap.input_findings
                        .push(unrendered_template(n + 1, doc, at, &origin));
                    return Ok(());
                }
                let hint = if e.over_limit {
                    "svcx bounds what one document may expand to (aliases, nesting, sizes) so that no input can exhaust memory; no Kubernetes object comes near those bounds"
                } else {
                    "fix the document at that line; `kubectl apply --dry-run=client -f FILE` shows the same error"
                };
                return Err(Failure::new(format!(
                    "{label}:{}:{}: invalid YAML: {}",
                    e.line, e.column, e.message
                ))
                .hint(hint)
                .into());
            }
        };
        // A template that parses (its actions quoted, or where YAML allows
        // them) still fails to decode where a number or a name was
        // expected; only then is it taken for a template (`add_value`), so
        // that objects that carry `{{ }}` on purpose (alerting rules,
        // dashboards) are read as they are.
        let template = template_action(doc).map(|at| unrendered_template(n + 1, doc, at, &origin));
        let place = Place {
            text: &text,
            range: doc.offset..doc.offset + doc.text.len(),
            at: doc.start(),
            node: false,
            line: doc.content_line(),
            template,
        };
        add_value(snap, value, place, label, &origin, default_ns)
    })
}

/// A decoded document: one object already read ([`Prepared`], on the thread
/// that decoded it), or a value [`add_value`] takes apart (a list, a scalar,
/// a document with no `kind`).
enum Decoded {
    Object(Prepared),
    Value(Value),
}

impl Decoded {
    fn new(value: Value, default_ns: &str) -> Self {
        match &value {
            Value::Object(map)
                if list_items(map).is_none()
                    && map.get("kind").and_then(Value::as_str).is_some() =>
            {
                Decoded::Object(Prepared::new(value, default_ns))
            }
            _ => Decoded::Value(value),
        }
    }
}

/// Where the first Go template action (`{{`) of a document is, outside
/// comments, in file coordinates.
fn template_action(doc: &yaml::Document<'_>) -> Option<Span> {
    // One search of the whole text rules out nearly every document.
    if !doc.text.contains("{{") {
        return None;
    }
    doc.text.lines().enumerate().find_map(|(i, line)| {
        let content = line.split(" #").next().unwrap_or(line);
        if content.trim_start().starts_with('#') {
            return None;
        }
        let col = content.find("{{")?;
        let first = if i == 0 { doc.start().column - 1 } else { 0 };
        Some(Span {
            line: doc.first_line + i,
            column: first + content[..col].chars().count() + 1,
        })
    })
}

/// SVC001 for a document that is a template, about the document (its kind
/// when a line says it), pointing at its first action.
pub(crate) fn unrendered_template(
    number: usize,
    doc: &yaml::Document<'_>,
    at: Span,
    origin: &dyn Fn(usize) -> Origin,
) -> Finding {
    let kind = doc
        .text
        .lines()
        .find_map(|l| l.strip_prefix("kind:"))
        .map(|k| k.trim().trim_matches(['"', '\'']).to_string())
        .filter(|k| !k.is_empty() && !k.contains("{{"))
        .unwrap_or_else(|| "Document".to_string());
    let action = doc
        .text
        .lines()
        .nth(at.line - doc.first_line)
        .and_then(|l| {
            let start = l.find("{{")?;
            let end = l[start..].find("}}").map_or(l.len(), |e| start + e + 2);
            Some(l[start..end].to_string())
        })
        .unwrap_or_else(|| "{{".to_string());
    Finding::about(
        Code::UnrenderedTemplate,
        ObjectRef::new(&kind, "", &format!("document {number}")),
        origin(doc.content_line()),
        "",
        Some(at),
        format!("`{action}` is a template action: this is an unrendered Helm template, not a Kubernetes object"),
    )
    .hint("render it first: `helm template RELEASE CHART | svcx lint -f -`")
}

/// Positions of byte offsets in a text, asked for in increasing order: one
/// pass over the text, however many objects it holds (and however long its
/// lines: `jq -c` writes a stream on one line).
struct Cursor<'a> {
    text: &'a str,
    offset: usize,
    at: Span,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            text,
            offset: 0,
            at: Span { line: 1, column: 1 },
        }
    }

    fn position(&mut self, offset: usize) -> Span {
        let chunk = &self.text[self.offset..offset];
        match chunk.rfind('\n') {
            Some(last) => {
                self.at.line += chunk.matches('\n').count();
                self.at.column = chunk[last + 1..].chars().count() + 1;
            }
            None => self.at.column += chunk.chars().count(),
        }
        self.offset = offset;
        self.at
    }
}

fn load_json(
    snap: &mut Snapshot,
    text: &Arc<String>,
    label: &str,
    origin: &impl Fn(usize) -> Origin,
    default_ns: &str,
) -> anyhow::Result<()> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<super::json::Strict>();
    let mut cursor = Cursor::new(text);
    loop {
        let start = stream.byte_offset();
        let value = match stream.next() {
            None => break,
            Some(Ok(v)) => v.0,
            Some(Err(e)) => {
                // serde_json's message ends with the position, said first here.
                let full = e.to_string();
                let position = format!(" at line {} column {}", e.line(), e.column());
                let message = full.strip_suffix(&position).unwrap_or(&full);
                return Err(Failure::new(format!(
                    "{label}:{}:{}: invalid JSON: {message}",
                    e.line(),
                    e.column()
                ))
                .hint("fix the JSON at that line")
                .into());
            }
        };
        let end = stream.byte_offset();
        let skipped = text[start..end].len() - text[start..end].trim_start().len();
        let at = cursor.position(start + skipped);
        let place = Place {
            text,
            range: start + skipped..end,
            at,
            node: true,
            line: at.line,
            template: None,
        };
        add_value(
            snap,
            Decoded::Value(value),
            place,
            label,
            origin,
            default_ns,
        )?;
    }
    Ok(())
}

/// Adds a decoded document: one object, or the items of a list.
fn add_value(
    snap: &mut Snapshot,
    decoded: Decoded,
    place: Place<'_>,
    label: &str,
    origin: &impl Fn(usize) -> Origin,
    default_ns: &str,
) -> anyhow::Result<()> {
    let value = match decoded {
        Decoded::Object(prepared) => {
            snap.stats.documents += 1;
            let item = (Some(prepared), place.line, Some(place.source()));
            return add_objects(snap, vec![item], &place, false, label, origin);
        }
        Decoded::Value(value) => value,
    };
    if value.is_null() {
        return Ok(());
    }
    snap.stats.documents += 1;
    // The items of a list (or of a bare sequence), each with its own text.
    let items = |list: Vec<Value>| -> Vec<(Value, usize, Option<SourceText>)> {
        let mut places = yaml::list_items(&place.text[place.range.clone()], place.at).into_iter();
        list.into_iter()
            .map(|item| match places.next() {
                Some(p) => {
                    let range = place.range.start + p.range.start..place.range.start + p.range.end;
                    let source = SourceText::node(place.text.clone(), range, p.start);
                    (item, p.start.line, Some(source))
                }
                None => (item, place.line, None),
            })
            .collect()
    };
    // Whether the values are the items of a list: one bad item is skipped
    // (the answer says so), where a bad document fails the run.
    let mut in_list = true;
    let values = match value {
        Value::Array(list) => items(list),
        Value::Object(mut map) => match list_items(&map) {
            Some((item_kind, api_version)) => {
                let list = match map.remove("items") {
                    Some(Value::Array(list)) => list,
                    _ => Vec::new(),
                };
                let mut values = items(list);
                for (item, ..) in &mut values {
                    // Typed lists (PodList, ServiceList) omit kind and
                    // apiVersion on their items; restore them from the list.
                    if let Some(obj) = item.as_object_mut() {
                        if let Some(k) = &item_kind {
                            obj.entry("kind")
                                .or_insert_with(|| Value::String(k.clone()));
                        }
                        obj.entry("apiVersion")
                            .or_insert_with(|| Value::String(api_version.clone()));
                    }
                }
                values
            }
            None => {
                in_list = false;
                vec![(Value::Object(map), place.line, Some(place.source()))]
            }
        },
        _ => {
            return Err(Failure::new(format!(
                "{label}:{}: expected a Kubernetes object, found a scalar",
                place.line
            ))
            .hint("each document must be a mapping with apiVersion and kind")
            .into());
        }
    };
    let objects = values
        .into_iter()
        .map(|(v, line, source)| {
            let kind = v.is_object() && v.get("kind").and_then(Value::as_str).is_some();
            (kind.then(|| Prepared::new(v, default_ns)), line, source)
        })
        .collect();
    add_objects(snap, objects, &place, in_list, label, origin)
}

/// Adds a document's objects (the items of a list when `in_list`; `None`
/// for an item with no `kind`).
fn add_objects(
    snap: &mut Snapshot,
    objects: Vec<(Option<Prepared>, usize, Option<SourceText>)>,
    place: &Place<'_>,
    in_list: bool,
    label: &str,
    origin: &impl Fn(usize) -> Origin,
) -> anyhow::Result<()> {
    let mut template = place.template.clone();
    for (prepared, line, source) in objects {
        let Some(prepared) = prepared else {
            snap.notice(
                format!("{label}:{line}: skipped a document with no `kind`"),
                None,
            );
            continue;
        };
        let spans = source.map(|s| Arc::new(ObjectSpans::from_source(s)));
        match snap.ingest_prepared(prepared, origin(line), spans.clone()) {
            Ok(
                Ingested::Added
                | Ingested::Unused
                | Ingested::OldVersion
                | Ingested::OutOfScope
                | Ingested::Duplicate,
            ) => {}
            Err(_) if template.is_some() || place.template.is_some() => {
                // Once per document, however many of its items fail.
                snap.input_findings.extend(template.take());
            }
            Err(e) => {
                // Point at the field at fault: its value when it was
                // written, else the nearest mapping that should hold it.
                let span = spans.and_then(|s| s.fields().nearest_value(e.field()));
                let at = origin(line).at(span);
                if e.is_skippable() {
                    snap.notice(format!("{at}: skipped: {e}"), None);
                } else if in_list {
                    // `kubectl get -o json` of a whole cluster with one odd
                    // object still answers for the others.
                    snap.notice(
                        format!("{at}: skipped: {e}; the answer leaves this object out"),
                        Some(e.hint().to_string()),
                    );
                } else {
                    return Err(Failure::new(format!("{at}: {e}")).hint(e.hint()).into());
                }
            }
        }
    }
    Ok(())
}

/// For `kind: List` or `kind: XList` with `items`: the kind of the items (None
/// for a generic List) and the list's apiVersion.
fn list_items(map: &serde_json::Map<String, Value>) -> Option<(Option<String>, String)> {
    let kind = map.get("kind")?.as_str()?;
    map.get("items")?.as_array()?;
    let item_kind = match kind {
        "List" => None,
        k => Some(k.strip_suffix("List")?.to_string()),
    };
    let api_version = map
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("v1")
        .to_string();
    Some((item_kind, api_version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_counts_lines_and_columns_once() {
        let text = "ab\ncdé f\n{x}{y}";
        let mut c = Cursor::new(text);
        assert_eq!(c.position(0), Span { line: 1, column: 1 });
        assert_eq!(
            c.position(text.find('f').unwrap()),
            Span { line: 2, column: 5 }
        );
        assert_eq!(
            c.position(text.find('{').unwrap()),
            Span { line: 3, column: 1 }
        );
        assert_eq!(
            c.position(text.find("{y").unwrap()),
            Span { line: 3, column: 4 }
        );
    }
}
