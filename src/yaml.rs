//! The only module that names the YAML crates (serde-saphyr, and serde_norway
//! for the fast path; see docs/decisions.md for why). It splits a stream into
//! documents, keeping each one's place in the file, decodes a document into a
//! JSON value (reporting parse errors with line and column in the whole file),
//! and walks the parser's events (serde-saphyr's own parser, granit) for
//! positions: of the items of a `List`, and of every field of an object.

use crate::model::{FieldSpans, Span};
use serde_json::Value;
use serde_saphyr::granit_parser::{Event, Marker, Parser};
use std::fmt::Write as _;
use std::ops::Range;

pub mod fast;
pub mod head;

/// One document of a multi-document stream.
#[derive(Debug, PartialEq, Eq)]
pub struct Document<'a> {
    /// The document's text, without its `---` line.
    pub text: &'a str,
    /// 1-based line in the file where `text` starts.
    pub first_line: usize,
    /// 1-based column where `text` starts: 1, or 4 after a `--- ` that
    /// keeps content on its line.
    pub first_column: usize,
    /// Byte offset of `text` in the file.
    pub offset: usize,
}

impl Document<'_> {
    /// The line of the first line that holds content (not blank, not a
    /// comment): where the object "starts" for a reader of the file.
    pub(crate) fn content_line(&self) -> usize {
        self.text
            .lines()
            .position(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            })
            .map_or(self.first_line, |i| self.first_line + i)
    }

    /// Where `text` starts in the file.
    pub(crate) fn start(&self) -> Span {
        Span {
            line: self.first_line,
            column: self.first_column,
        }
    }

    /// Whether the document holds nothing but blanks and comments.
    pub fn is_empty(&self) -> bool {
        self.text.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#')
        })
    }
}

/// A YAML syntax error at a place in the file.
#[derive(Debug, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct SyntaxError {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
    /// The document went past the parser's limits (aliases expanded, nesting,
    /// scalar or comment bytes): bounded memory, not a typo.
    pub(crate) over_limit: bool,
}

/// The offset of each line of a text, the first at 0 (a text ending with a
/// newline has an empty last line, at its length). Found with SIMD searches: reading a
/// large manifest, most lines are looked at for nothing but where they
/// start.
pub(crate) fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|p| p + 1))
}

/// Splits a YAML stream at `---` (and `...`) lines at column 0. Splitting
/// before parsing lets each document be decoded, and fail, on its own.
pub fn split_documents(text: &str) -> Vec<Document<'_>> {
    let mut docs = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1usize;
    let mut start_column = 1usize;
    // Every marker starts with `-` or `.`: only those lines are looked at.
    let bytes = text.as_bytes();
    for (i, offset) in line_starts(text).enumerate() {
        if !matches!(bytes.get(offset), Some(b'-' | b'.')) {
            continue;
        }
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |e| offset + e + 1);
        let line = &text[offset..end];
        let bare = line.trim_end_matches(['\n', '\r']);
        let is_marker = bare == "---"
            || bare.starts_with("--- ")
            || bare.starts_with("---\t")
            || bare == "..."
            || bare.starts_with("... ");
        if is_marker {
            docs.push(Document {
                text: &text[start..offset],
                first_line: start_line,
                first_column: start_column,
                offset: start,
            });
            // `--- value` keeps content on the marker line; keep it in the next document.
            let rest = bare
                .strip_prefix("---")
                .filter(|r| !r.trim().is_empty() && !bare.starts_with("..."));
            match rest {
                Some(_) => {
                    start = offset + 3;
                    start_line = i + 1;
                    start_column = 4;
                }
                None => {
                    start = offset + line.len();
                    start_line = i + 2;
                    start_column = 1;
                }
            }
        }
    }
    docs.push(Document {
        text: &text[start..],
        first_line: start_line,
        first_column: start_column,
        offset: start,
    });
    docs.retain(|d| !d.is_empty());
    docs
}

fn options() -> serde_saphyr::Options {
    // Keep the crate's alias and depth limits (billion-laughs protection); a
    // single document of a real manifest never comes near them.
    serde_saphyr::Options::default()
}

fn syntax_error(err: &serde_saphyr::Error, first_line: usize) -> SyntaxError {
    let (line, column) = err
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((1, 1));
    // The crate's Display repeats the location and may add a snippet; the
    // first line is the message.
    let full = err.to_string();
    let first = full.lines().next().unwrap_or("invalid YAML");
    // Drop the crate's own "error: line N column M: " prefix: its numbers are
    // relative to the document, and ours are in file coordinates.
    let message = first
        .strip_prefix("error: ")
        .map(|rest| match rest.split_once(": ") {
            Some((loc, msg)) if loc.starts_with("line ") => msg,
            _ => rest,
        })
        .unwrap_or(first);
    // Advice meant for programs that use the crate, not for svcx's users.
    let message = message
        .strip_suffix(", set DuplicateKeyPolicy in Options if acceptable")
        .unwrap_or(message);
    let over_limit = message.starts_with("budget breached");
    let message = match message.strip_prefix("budget breached: ") {
        Some(limit) => format!("beyond svcx's reading limits ({limit})"),
        None => message.to_string(),
    };
    SyntaxError {
        over_limit,
        line: first_line + line.saturating_sub(1),
        column,
        message,
    }
}

/// Decodes one document into a JSON value: by the fast path where it is
/// known to agree with serde-saphyr ([`fast`]), else by serde-saphyr, which
/// gives every error.
pub fn parse_document(doc: &Document<'_>) -> Result<Value, SyntaxError> {
    match fast::parse(doc.text) {
        Some(value) => Ok(value),
        None => parse_document_exact(doc),
    }
}

/// Decodes one document into a JSON value with serde-saphyr alone: the
/// reading every other path must agree with.
pub fn parse_document_exact(doc: &Document<'_>) -> Result<Value, SyntaxError> {
    serde_saphyr::from_str_with_options::<Value>(doc.text, options())
        .map_err(|e| syntax_error(&e, doc.first_line))
}

/// Decodes documents in order on every core, each read by `read` (which
/// decodes it, or decides it needs no decoding) on one of the threads:
/// parsing is most of the cost of reading a large manifest, documents parse
/// independently, and work done there is off the caller's thread. Small
/// streams are parsed on the calling thread.
pub(crate) fn parse_documents_with<T: Send>(
    docs: &[Document<'_>],
    read: &(impl Fn(&Document<'_>) -> Result<T, SyntaxError> + Sync),
) -> Vec<Result<T, SyntaxError>> {
    /// Below this many documents, threads cost more than they save.
    const PARALLEL_FROM: usize = 64;
    let each = |doc: &Document<'_>| read(doc);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    if workers < 2 || docs.len() < PARALLEL_FROM {
        return docs.iter().map(each).collect();
    }
    let chunk = docs.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = docs
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(each).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(values) => values,
                // The parser does not panic on input; should it, say so as
                // a panic of this thread, where the panic hook reports it.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// Reads documents and hands each result to `each`, in order, together
/// with the document and its index. `prepare` reads one document (decoding
/// it with [`parse_document`] and typing it, or skipping what needs no
/// decoding); a long stream is read a batch at a time on other threads
/// ([`parse_documents_with`]) while `each` takes the batch before (adding it
/// to a snapshot): the two overlap, and at most three batches are held at
/// once.
/// The first error `each` returns stops the stream and is returned.
pub(crate) fn for_each_parsed<T: Send, E>(
    docs: &[Document<'_>],
    prepare: impl Fn(&Document<'_>) -> Result<T, SyntaxError> + Sync,
    mut each: impl FnMut(usize, &Document<'_>, Result<T, SyntaxError>) -> Result<(), E>,
) -> Result<(), E> {
    /// Documents decoded together; bounds the memory held by decoded values.
    const BATCH: usize = 1024;
    if docs.len() <= BATCH {
        for (n, (doc, parsed)) in docs
            .iter()
            .zip(parse_documents_with(docs, &prepare))
            .enumerate()
        {
            each(n, doc, parsed)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (batches, decoded) = std::sync::mpsc::sync_channel(1);
        let prepare = &prepare;
        scope.spawn(move || {
            for chunk in docs.chunks(BATCH) {
                // The receiver is gone once `each` has failed: stop.
                if batches.send(parse_documents_with(chunk, prepare)).is_err() {
                    break;
                }
            }
        });
        let mut n = 0;
        for batch in decoded {
            for parsed in batch {
                each(n, &docs[n], parsed)?;
                n += 1;
            }
        }
        Ok(())
    })
}

/// Where an event's marker sits in the file, for a text that starts at `at`
/// (positions on the text's first line are shifted by its column).
fn position(at: Span, m: &Marker) -> Span {
    Span {
        line: at.line + m.line().saturating_sub(1),
        column: if m.line() == 1 {
            at.column + m.col()
        } else {
            m.col() + 1
        },
    }
}

/// One element of a list's `items`: its bytes in the list's text and where
/// it starts in the file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) range: Range<usize>,
    pub(crate) start: Span,
}

/// The elements of the top-level `items` sequence of a `List` document (YAML,
/// or JSON, which is YAML), or of a document that is itself a sequence.
/// `text` starts at `at` in the file. Stops quietly at a syntax error: the
/// caller has parsed the text already.
pub(crate) fn list_items(text: &str, at: Span) -> Vec<Item> {
    let mut items = Vec::new();
    // Depth of open collections: the root is opened at depth 0.
    let mut depth = 0usize;
    // In the root mapping: whether the next node is a key, and whether the
    // key just read is `items`.
    let (mut key_next, mut items_key) = (true, false);
    // The depth at which the elements of the items sequence open.
    let mut items_depth: Option<usize> = None;
    let mut open: Option<(usize, Span)> = None;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        let byte = |m: &Marker| m.byte_offset().unwrap_or(0);
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let seq = matches!(event, Event::SequenceStart(..));
                if depth == 0 && seq {
                    items_depth = Some(1);
                } else if depth == 1 && items_depth.is_none() {
                    if items_key && !key_next && seq {
                        items_depth = Some(2);
                    }
                    (key_next, items_key) = (true, false);
                } else if items_depth == Some(depth) {
                    open = Some((byte(&span.start), position(at, &span.start)));
                }
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
                if items_depth == Some(depth) {
                    if let Some((start, pos)) = open.take() {
                        items.push(Item {
                            range: start..byte(&span.end).max(start),
                            start: pos,
                        });
                    }
                } else if items_depth == Some(depth + 1) {
                    items_depth = None;
                }
                if depth == 0 {
                    break;
                }
            }
            Event::Scalar(..) | Event::Alias(..) => {
                if items_depth == Some(depth) {
                    items.push(Item {
                        range: byte(&span.start)..byte(&span.end),
                        start: position(at, &span.start),
                    });
                } else if depth == 1 && items_depth.is_none() {
                    items_key = key_next && matches!(&event, Event::Scalar(v, ..) if v == "items");
                    key_next = !key_next;
                }
            }
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    items
}

/// One open collection while walking events for field positions.
enum Frame {
    /// A mapping; `key` holds the position of the key whose value comes next.
    Map { base: usize, key: Option<Span> },
    /// A sequence; `next` is the index of the next element.
    Seq { base: usize, next: usize },
}

impl Frame {
    fn base(&self) -> usize {
        match self {
            Frame::Map { base, .. } | Frame::Seq { base, .. } => *base,
        }
    }
}

/// The position of every field of the object in `text`, which starts at `at`
/// in its file. `node` says the text is a node cut out of a larger text (a
/// `List` item, a value of a JSON stream) rather than a whole document: its
/// first line is then indented to its column so that the block structure of
/// the lines below still parses. Paths follow [`FieldSpans`]. A syntax error
/// ends the walk with what was recorded so far.
pub(crate) fn field_spans(text: &str, at: Span, node: bool) -> FieldSpans {
    let padded;
    let (input, at) = if node && at.column > 1 {
        padded = format!("{:width$}{text}", "", width = at.column - 1);
        (padded.as_str(), Span { column: 1, ..at })
    } else {
        (text, at)
    };
    let mut spans = FieldSpans::default();
    let mut path = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    for event in Parser::new_from_str(input) {
        let Ok((event, span)) = event else { break };
        let here = position(at, &span.start);
        let opens = match event {
            Event::MappingStart(..) => Some(Frame::Map { base: 0, key: None }),
            Event::SequenceStart(..) => Some(Frame::Seq { base: 0, next: 0 }),
            Event::Scalar(..) | Event::Alias(..) => None,
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(frame) = stack.pop() {
                    path.truncate(frame.base());
                }
                if stack.is_empty() {
                    break;
                }
                continue;
            }
            Event::DocumentEnd => break,
            _ => continue,
        };
        match stack.last_mut() {
            None => spans.insert("", here),
            Some(Frame::Map { base, key }) => match key.take() {
                // The value of the entry whose key was just read.
                Some(key_at) => spans.insert_entry(path.as_str(), key_at, here),
                // A key: extend the path. Kubernetes keys are strings; any
                // other key (a mapping as key) is written `?`.
                None => {
                    path.truncate(*base);
                    if *base > 0 {
                        path.push('.');
                    }
                    match &event {
                        Event::Scalar(name, ..) => path.push_str(name),
                        _ => path.push('?'),
                    }
                    *key = Some(here);
                }
            },
            Some(Frame::Seq { base, next }) => {
                path.truncate(*base);
                let _ = write!(path, "[{next}]");
                *next += 1;
                spans.insert(path.as_str(), here);
            }
        }
        if let Some(mut frame) = opens {
            match &mut frame {
                Frame::Map { base, .. } | Frame::Seq { base, .. } => *base = path.len(),
            }
            stack.push(frame);
        }
    }
    spans
}

/// Decodes a whole text into a typed value (a config file), with the
/// position of the first error.
pub fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, SyntaxError> {
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| syntax_error(&e, 1))
}

/// Writes a value as YAML (for `-o yaml`).
pub fn to_string<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    serde_saphyr::to_string(value).map_err(|e| anyhow::anyhow!("could not write YAML: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_lines() {
        let text = "# header\n---\na: 1\n---\n\n# c\nb: 2\n...\n";
        let docs = split_documents(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].content_line(), 3);
        assert_eq!(docs[1].content_line(), 7);
    }

    #[test]
    fn error_line_is_in_file_coordinates() {
        let text = "a: 1\n---\nb: 2\nc: [1, 2\n";
        let docs = split_documents(text);
        let err = parse_document(&docs[1]).unwrap_err();
        assert!(err.line >= 4, "{err}");
    }

    fn at(line: usize, column: usize) -> Span {
        Span { line, column }
    }

    #[test]
    fn list_items_have_places() {
        let text = "---\napiVersion: v1\nkind: List\nitems:\n- kind: A\n  x: [1]\n\n# c\n- kind: B\nother: 1\n";
        let docs = split_documents(text);
        let items = list_items(docs[0].text, docs[0].start());
        let starts: Vec<Span> = items.iter().map(|i| i.start).collect();
        assert_eq!(starts, [at(5, 3), at(9, 3)]);
        let texts: Vec<&str> = items
            .iter()
            .map(|i| docs[0].text[i.range.clone()].trim_end())
            .collect();
        assert_eq!(texts, ["kind: A\n  x: [1]\n\n# c", "kind: B"]);
    }

    #[test]
    fn json_list_items_have_places() {
        let text = "{\"kind\": \"List\", \"items\": [\n  {\"kind\": \"A\"}, {\"kind\": \"B\",\n \"x\": 1}], \"z\": []}";
        let items = list_items(text, at(3, 5));
        let starts: Vec<Span> = items.iter().map(|i| i.start).collect();
        assert_eq!(starts, [at(4, 3), at(4, 18)]);
        assert_eq!(
            &text[items[1].range.clone()],
            "{\"kind\": \"B\",\n \"x\": 1}"
        );
        // A bare sequence of objects.
        let items = list_items("[{\"a\": 1},\n {\"b\": [2]}]", at(1, 1));
        let starts: Vec<Span> = items.iter().map(|i| i.start).collect();
        assert_eq!(starts, [at(1, 2), at(2, 2)]);
    }

    #[test]
    fn field_spans_of_a_document() {
        let text = "a: 1\n---\n# c\napiVersion: v1\nspec:\n  ports:\n  - name: http\n    port: eighty\n  selector: {app.kubernetes.io/name: web}\n";
        let docs = split_documents(text);
        let f = field_spans(docs[1].text, docs[1].start(), false);
        assert_eq!(f.get(""), Some(at(4, 1)));
        assert_eq!(f.get("apiVersion"), Some(at(4, 1)));
        assert_eq!(f.value("apiVersion"), Some(at(4, 13)));
        assert_eq!(f.get("spec.ports[0]"), Some(at(7, 5)));
        assert_eq!(f.get("spec.ports[0].port"), Some(at(8, 5)));
        assert_eq!(f.value("spec.ports[0].port"), Some(at(8, 11)));
        assert_eq!(
            f.get("spec.selector.app.kubernetes.io/name"),
            Some(at(9, 14))
        );
    }

    #[test]
    fn field_spans_of_a_node_inside_a_line() {
        // A block List item: lines below the first are indented to its column.
        let text = "kind: A\n  spec:\n    x: 1\n";
        let f = field_spans(text, at(10, 3), true);
        assert_eq!(f.get("kind"), Some(at(10, 3)));
        assert_eq!(f.get("spec.x"), Some(at(12, 5)));
        // A JSON value after another on the same line.
        let f = field_spans("{\"a\": {\"b\": [7, 8]}}", at(2, 20), true);
        assert_eq!(f.get("a"), Some(at(2, 21)));
        assert_eq!(f.get("a.b[1]"), Some(at(2, 36)));
    }

    #[test]
    fn field_spans_survive_bad_input() {
        let f = field_spans("a: [1, 2\n", at(1, 1), false);
        assert_eq!(f.get("a"), Some(at(1, 1)));
        assert!(field_spans("", at(1, 1), false).is_empty());
        let f = field_spans("? {x: 1}\n: y\nb: 2\n", at(1, 1), false);
        assert_eq!(f.get("b"), Some(at(3, 1)));
    }
}
