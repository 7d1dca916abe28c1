//! Where an object came from: a file and line, a live cluster context, or the
//! built-in demo. Every object in a [`Snapshot`](super::Snapshot) carries one, so
//! that every report and every finding can point back at its source; objects
//! read from text also carry the position of each of their fields.

use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

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
/// of the whole file (not of the document it sits in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
}

/// Where each field of one object sits in its source text, keyed by field
/// path in the form Kubernetes uses in its own messages:
/// `spec.ports[1].targetPort`, `metadata.labels.app`. The key of a mapping
/// entry points at the key itself (where a reader's eye goes), an element of a
/// sequence at its first character.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSpans {
    spans: HashMap<String, Span>,
}

impl FieldSpans {
    /// Records the position of one field.
    pub fn insert(&mut self, path: impl Into<String>, span: Span) {
        self.spans.insert(path.into(), span);
    }

    /// The position of exactly this field.
    pub fn get(&self, path: &str) -> Option<Span> {
        self.spans.get(path).copied()
    }

    /// The position of this field, or of its nearest ancestor that was
    /// written (a defaulted `targetPort` points at its port entry).
    pub fn nearest(&self, path: &str) -> Option<Span> {
        let mut p = path;
        loop {
            if let Some(s) = self.get(p) {
                return Some(s);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// How many fields are recorded.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether no field is recorded.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// An object together with where it came from.
#[derive(Clone, Debug)]
pub struct Located<T> {
    pub origin: Origin,
    pub object: T,
    /// Field positions, for objects read from text (files, the demo); `None`
    /// for live objects, which are pointed at by field path alone.
    pub spans: Option<Arc<FieldSpans>>,
}

impl<T> Located<T> {
    pub fn new(object: T, origin: Origin) -> Self {
        Located {
            origin,
            object,
            spans: None,
        }
    }

    /// The same, with the positions of its fields.
    pub fn with_spans(mut self, spans: Arc<FieldSpans>) -> Self {
        self.spans = Some(spans);
        self
    }

    /// Where a field of this object was written (or its nearest written
    /// ancestor), when the object was read from text.
    pub fn span_of(&self, path: &str) -> Option<Span> {
        self.spans.as_ref()?.nearest(path)
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
    }
}
