//! Manifests: files, directories (recursive), stdin. Reads multi-document YAML,
//! JSON (one object or a stream), `kind: List` and typed lists such as
//! `ServiceList` (what `kubectl get -o yaml` and `kubectl cluster-info dump`
//! write), and records the file and line of every object.

use crate::error::Failure;
use crate::model::{Ingested, Origin, Scope, Snapshot, SourceInfo};
use crate::yaml::{self, Document};
use anyhow::Context;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Reads every path into one snapshot. `namespace` fills objects that have
/// none (default: `default`).
pub fn load(paths: &[PathBuf], scope: Scope, namespace: Option<&str>) -> anyhow::Result<Snapshot> {
    let labels = paths.iter().map(|p| p.display().to_string()).collect();
    let mut snap = Snapshot::new(SourceInfo::Files { paths: labels }, scope);
    let default_ns = namespace.unwrap_or("default");
    for path in paths {
        for file in expand(path)? {
            let (label, text) = read(&file)?;
            let origin = |line| Origin::File {
                path: label.clone(),
                line,
            };
            load_text(&mut snap, &text, &label, origin, default_ns)?;
        }
    }
    Ok(snap.finish())
}

/// A directory becomes its .yaml/.yml/.json files, sorted, recursively.
fn expand(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
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
    walk(path, &mut out)?;
    out.sort();
    if out.is_empty() {
        return Err(Failure::new(format!(
            "no .yaml, .yml or .json files in `{}`",
            path.display()
        ))
        .hint("point -f at a manifest file or a folder that holds some")
        .into());
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("could not list `{}`", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("could not list `{}`", dir.display()))?
            .path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

fn read(path: &Path) -> anyhow::Result<(String, String)> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("could not read manifests from stdin")?;
        return Ok(("<stdin>".to_string(), text));
    }
    let bytes =
        std::fs::read(path).with_context(|| format!("could not read `{}`", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Failure::new(format!(
            "`{}` is not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
        .hint("manifests must be YAML or JSON text")
    })?;
    Ok((path.display().to_string(), text))
}

/// Parses one file's text into the snapshot. `label` names the file in errors.
pub fn load_text(
    snap: &mut Snapshot,
    text: &str,
    label: &str,
    origin: impl Fn(usize) -> Origin,
    default_ns: &str,
) -> anyhow::Result<()> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return load_json(snap, text, label, &origin, default_ns);
    }
    for doc in yaml::split_documents(text) {
        let value = yaml::parse_document(&doc).map_err(|e| {
            Failure::new(format!("{label}:{}:{}: invalid YAML: {}", e.line, e.column, e.message))
                .hint("fix the document at that line; `kubectl apply --dry-run=client -f FILE` shows the same error")
        })?;
        let item_lines = || yaml::list_item_lines(&doc);
        add_value(
            snap,
            value,
            doc.content_line(),
            item_lines,
            label,
            &origin,
            default_ns,
        )?;
    }
    Ok(())
}

fn load_json(
    snap: &mut Snapshot,
    text: &str,
    label: &str,
    origin: &impl Fn(usize) -> Origin,
    default_ns: &str,
) -> anyhow::Result<()> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    // Lines are counted incrementally (offsets only grow), so a long stream
    // of objects costs one pass over the text, not one per object.
    let (mut counted_to, mut line_there) = (0usize, 1usize);
    let mut line_at = |offset: usize| {
        line_there += text[counted_to..offset].matches('\n').count();
        counted_to = offset;
        line_there
    };
    loop {
        let start = stream.byte_offset();
        let value = match stream.next() {
            None => break,
            Some(Ok(v)) => v,
            Some(Err(e)) => {
                return Err(Failure::new(format!(
                    "{label}:{}:{}: invalid JSON: {e}",
                    e.line(),
                    e.column()
                ))
                .hint("fix the JSON at that line")
                .into());
            }
        };
        let end = stream.byte_offset();
        let first_line = line_at(start);
        let skipped = text[start..end].len() - text[start..end].trim_start().len();
        let line = line_at(start + skipped);
        let item_lines = || {
            // JSON is YAML: the YAML reader gives element positions for free.
            let doc = Document {
                text: &text[start..end],
                first_line,
            };
            yaml::list_item_lines(&doc)
        };
        add_value(snap, value, line, item_lines, label, origin, default_ns)?;
    }
    Ok(())
}

/// Adds a decoded document: one object, or the items of a list.
fn add_value(
    snap: &mut Snapshot,
    value: Value,
    line: usize,
    item_lines: impl FnOnce() -> Vec<usize>,
    label: &str,
    origin: &impl Fn(usize) -> Origin,
    default_ns: &str,
) -> anyhow::Result<()> {
    let values = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items.into_iter().map(|v| (v, line)).collect(),
        Value::Object(mut map) => match list_items(&map) {
            Some((item_kind, api_version)) => {
                let lines = item_lines();
                let items = match map.remove("items") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut item)| {
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
                        (item, lines.get(i).copied().unwrap_or(line))
                    })
                    .collect()
            }
            None => vec![(Value::Object(map), line)],
        },
        _ => {
            return Err(Failure::new(format!(
                "{label}:{line}: expected a Kubernetes object, found a scalar"
            ))
            .hint("each document must be a mapping with apiVersion and kind")
            .into());
        }
    };
    for (v, line) in values {
        if !v.is_object() || v.get("kind").and_then(Value::as_str).is_none() {
            snap.notice(
                format!("{label}:{line}: skipped a document with no `kind`"),
                None,
            );
            continue;
        }
        match snap.ingest(v, origin(line), default_ns) {
            Ok(Ingested::Added | Ingested::Ignored | Ingested::OutOfScope) => {}
            Err(e) if e.is_skippable() => {
                snap.notice(format!("{label}:{line}: skipped: {e}"), None);
            }
            Err(e) => {
                return Err(Failure::new(format!("{label}:{line}: {e}"))
                    .hint("fix the field named above; the object does not match its Kubernetes schema")
                    .into());
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
