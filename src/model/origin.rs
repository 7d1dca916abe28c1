//! Where an object came from: a file and line, a live cluster context, or the
//! built-in demo. Every object in a [`Snapshot`](super::Snapshot) carries one, so
//! that every report and every finding can point back at its source; objects
//! read from text also carry the position of each of their fields.
//!
//! Field positions are computed lazily: an object read from text keeps a
//! handle on its file's text (shared by every object of the file) and the
//! byte range it was read from, and the first [`Located::span_of`] parses that
//! range once more, this time for positions, and caches the result. A run that
//! raises no finding about an object never pays for its positions.

use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// The place an object was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum Origin {
    /// A manifest file, with the 1-based line where the object starts.
    File { path: String, line: usize },
    /// A live cluster, named by its kubeconfig context.
    Live { context: String },
    /// The demo cluster compiled into svcx, with the line in its manifest.
    Demo { line: usize },
}

impl Origin {
    /// `file:line:col` (or `demo:line:col`) for a position in this origin's
    /// text; the origin itself when there is no position or no text.
    pub(crate) fn at(&self, span: Option<Span>) -> String {
        match (self, span) {
            (Origin::File { path, .. }, Some(s)) => format!("{path}:{}:{}", s.line, s.column),
            (Origin::Demo { .. }, Some(s)) => format!("demo:{}:{}", s.line, s.column),
            (other, _) => other.to_string(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path, line } => write!(f, "{path}:{line}"),
            Origin::Live { context } => write!(f, "context {context}"),
            Origin::Demo { line } => write!(f, "demo:{line}"),
        }
    }
}

/// A position in a source text: 1-based line and column, in the coordinates
/// of the whole file (not of the document it sits in). Columns count
/// characters, as editors and YAML parsers do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
}

/// Where one field sits: its key (where a reader's eye goes) and its value
/// (where a type error is). For a sequence element both are its first
/// character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FieldSpan {
    key: Span,
    value: Span,
}

/// Where each field of one object sits in its source text, keyed by field
/// path in the form Kubernetes uses in its own messages:
/// `spec.ports[1].targetPort`, `metadata.labels.app`. Mapping keys are joined
/// with `.` as written, so a key that itself holds dots is plain
/// concatenation (`metadata.labels.app.kubernetes.io/name`); should two
/// spellings collide, the first written wins. The object itself is the empty
/// path `""`. A mapping entry points at its key, a sequence element at its
/// first character.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSpans {
    spans: HashMap<String, FieldSpan>,
}

impl FieldSpans {
    /// Records the position of one field (key and value at the same place).
    /// A path already recorded keeps its first position.
    pub(crate) fn insert(&mut self, path: impl Into<String>, span: Span) {
        self.insert_entry(path, span, span);
    }

    /// Records the position of one mapping entry: its key and its value.
    /// A path already recorded keeps its first position.
    pub(crate) fn insert_entry(&mut self, path: impl Into<String>, key: Span, value: Span) {
        self.spans
            .entry(path.into())
            .or_insert(FieldSpan { key, value });
    }

    /// The position of exactly this field.
    pub(crate) fn get(&self, path: &str) -> Option<Span> {
        self.spans.get(path).map(|e| e.key)
    }

    /// The position of exactly this field's value.
    pub fn value(&self, path: &str) -> Option<Span> {
        self.spans.get(path).map(|e| e.value)
    }

    /// The position of this field, or of its nearest ancestor that was
    /// written (a defaulted `targetPort` points at its port entry), or of
    /// the object itself.
    pub(crate) fn nearest(&self, path: &str) -> Option<Span> {
        let mut p = path;
        loop {
            if let Some(s) = self.get(p) {
                return Some(s);
            }
            match p.rfind(['.', '[']) {
                Some(cut) => p = &p[..cut],
                None => return self.get(""),
            }
        }
    }

    /// Where an error about this field's content belongs: the field's value
    /// when it was written (`port: "eighty"` points at `"eighty"`), otherwise
    /// its nearest written ancestor's key (a missing field points at the
    /// mapping that lacks it).
    pub(crate) fn nearest_value(&self, path: &str) -> Option<Span> {
        self.value(path).or_else(|| self.nearest(path))
    }

    /// Whether no field is recorded.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// The text one object was read from: a byte range of its file's text, and
/// the position of that range's first character in the file.
#[derive(Clone)]
pub(crate) struct SourceText {
    text: Arc<String>,
    range: Range<usize>,
    at: Span,
    node: bool,
}

impl SourceText {
    /// A whole YAML document (it starts at a line's start, or after `---`).
    pub(crate) fn document(text: Arc<String>, range: Range<usize>, at: Span) -> Self {
        SourceText {
            text,
            range,
            at,
            node: false,
        }
    }

    /// A node inside a larger text (a `List` item, a value of a JSON
    /// stream), which may start anywhere in a line.
    pub(crate) fn node(text: Arc<String>, range: Range<usize>, at: Span) -> Self {
        SourceText {
            text,
            range,
            at,
            node: true,
        }
    }
}

impl fmt::Debug for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceText")
            .field("range", &self.range)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// The field positions of one object: computed from its [`SourceText`] on
/// first use, or given ready-made.
#[derive(Debug)]
pub struct ObjectSpans {
    source: Option<SourceText>,
    fields: OnceLock<Arc<FieldSpans>>,
}

impl ObjectSpans {
    /// Positions to be read from `source` when first asked for.
    pub(crate) fn from_source(source: SourceText) -> Self {
        ObjectSpans {
            source: Some(source),
            fields: OnceLock::new(),
        }
    }

    /// Every field's position (parsed on the first call, then cached).
    pub fn fields(&self) -> &FieldSpans {
        self.fields.get_or_init(|| {
            Arc::new(match &self.source {
                Some(s) => crate::yaml::field_spans(&s.text[s.range.clone()], s.at, s.node),
                None => FieldSpans::default(),
            })
        })
    }
}

/// An object together with where it came from.
#[derive(Clone, Debug)]
pub struct Located<T> {
    pub origin: Origin,
    pub object: T,
    /// Field positions, for objects read from text (files, the demo); `None`
    /// for live objects, which are pointed at by field path alone.
    pub spans: Option<Arc<ObjectSpans>>,
}

impl<T> Located<T> {
    pub fn new(object: T, origin: Origin) -> Self {
        Located {
            origin,
            object,
            spans: None,
        }
    }

    /// The same, with positions to be computed when first asked for.
    pub(crate) fn with_object_spans(mut self, spans: Option<Arc<ObjectSpans>>) -> Self {
        self.spans = spans;
        self
    }

    /// Where a field of this object was written (or its nearest written
    /// ancestor, or the object itself), when the object was read from text.
    pub fn span_of(&self, path: &str) -> Option<Span> {
        self.spans.as_ref()?.fields().nearest(path)
    }
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.object
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_walks_up_to_a_written_ancestor() {
        let mut f = FieldSpans::default();
        f.insert("spec.ports[1]", Span { line: 9, column: 5 });
        f.insert("spec", Span { line: 5, column: 1 });
        assert_eq!(
            f.nearest("spec.ports[1].targetPort"),
            Some(Span { line: 9, column: 5 })
        );
        assert_eq!(
            f.nearest("spec.selector.app"),
            Some(Span { line: 5, column: 1 })
        );
        assert_eq!(f.nearest("status"), None);
        f.insert("", Span { line: 1, column: 1 });
        assert_eq!(f.nearest("status"), Some(Span { line: 1, column: 1 }));
    }

    #[test]
    fn values_have_their_own_position() {
        let mut f = FieldSpans::default();
        let key = Span { line: 9, column: 5 };
        let value = Span {
            line: 9,
            column: 11,
        };
        f.insert_entry("spec.ports[0].port", key, value);
        f.insert("spec.ports[0]", Span { line: 8, column: 5 });
        assert_eq!(f.get("spec.ports[0].port"), Some(key));
        assert_eq!(f.nearest_value("spec.ports[0].port"), Some(value));
        // A missing field points at the key of the mapping that lacks it.
        assert_eq!(
            f.nearest_value("spec.ports[0].targetPort"),
            Some(Span { line: 8, column: 5 })
        );
    }

    #[test]
    fn lazy_spans_are_computed_once_from_the_source() {
        let text = Arc::new(String::from("a: 1\n---\nkind: X\nspec: {port: 80}\n"));
        let start = text.find("kind").unwrap();
        let source =
            SourceText::document(text.clone(), start..text.len(), Span { line: 3, column: 1 });
        let located = Located::new((), Origin::Demo { line: 3 })
            .with_object_spans(Some(Arc::new(ObjectSpans::from_source(source))));
        assert_eq!(
            located.span_of("spec.port"),
            Some(Span { line: 4, column: 8 })
        );
        let spans = located.spans.as_ref().unwrap();
        assert!(std::ptr::eq(spans.fields(), spans.fields()));
    }
}
