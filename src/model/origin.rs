//! Where an object came from: a file and line, a live cluster context, or the
//! built-in demo. Every object in a [`Snapshot`](super::Snapshot) carries one, so
//! that every report and every later finding can point back at its source.

use serde::Serialize;
use std::fmt;

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

/// An object together with where it came from.
#[derive(Clone, Debug)]
pub struct Located<T> {
    pub origin: Origin,
    pub object: T,
}

impl<T> Located<T> {
    pub fn new(object: T, origin: Origin) -> Self {
        Located { origin, object }
    }
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.object
    }
}
