//! Findings: every problem svcx can detect, as data. A finding has a stable
//! code (`SVC` + three digits; the hundreds name the family), a severity, the
//! object it is about, the field path and, for objects read from text, the
//! position of that field. Messages say *what*, hints say *what to do*.
//!
//! The semantic model ([`super::view`]) raises findings; trace turns them into
//! hop verdicts and explain into notes, so both say the same thing. Codes are
//! declared once, each in its rule's file under `rules/` with its name,
//! default severity and doc ([`Code`] is generated from that table); never
//! reuse or renumber one.
//!
//! Families: `SVC0xx` input, `SVC1xx` reachability (selectors, endpoints,
//! traffic policies, load balancers), `SVC2xx` ports, `SVC3xx` exposure,
//! `SVC4xx` conventions, `SVC5xx` routes (Gateway API, Ingress).

use super::origin::{Located, Origin, Span};
use kube::ResourceExt;
use serde::Serialize;
use std::fmt;

pub(crate) use crate::rules::Code;

/// The annotation by which an object silences codes for itself (lint's
/// per-object opt-out, `lint::suppress`): the readers keep it when they slim
/// an object's metadata.
pub(crate) const IGNORE_ANNOTATION: &str = "svcx/ignore";

/// [`IGNORE_ANNOTATION`]'s field path, as findings name it.
pub(crate) const IGNORE_FIELD: &str = "metadata.annotations.svcx/ignore";

/// How bad a finding is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; traffic is as intended.
    Info,
    /// Traffic gets through, but only partly or with a caveat.
    Warning,
    /// Traffic does not get through.
    Error,
}

impl Severity {
    /// The word printed for it.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A typed reference to the object a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub(crate) struct ObjectRef {
    pub(crate) kind: String,
    /// Empty for cluster-scoped objects.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) namespace: String,
    pub(crate) name: String,
}

impl ObjectRef {
    /// A reference to a namespaced or cluster-scoped object.
    pub(crate) fn new(kind: &str, namespace: &str, name: &str) -> Self {
        ObjectRef {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// A reference to a typed Kubernetes object.
    pub(crate) fn of<T: kube::Resource<DynamicType = ()>>(object: &T) -> Self {
        ObjectRef {
            kind: T::kind(&()).to_string(),
            namespace: object.namespace().unwrap_or_default(),
            name: object.name_any(),
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// One problem, with where it is and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    /// The rule's kebab-case name (serialised for readers of JSON).
    pub(crate) name: &'static str,
    pub severity: Severity,
    pub(crate) object: ObjectRef,
    /// Field path in the object (`spec.ports[1].targetPort`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Where the object came from.
    pub(crate) origin: Origin,
    /// Where the field sits in the source text, when read from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) span: Option<Span>,
    /// The Service port it concerns (position in `spec.ports`), if one.
    #[serde(skip)]
    pub(crate) port: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hint: Option<String>,
}

impl Finding {
    /// A finding about `object` at `field`, with the code's default severity.
    pub(crate) fn new<T>(
        code: Code,
        object: &Located<T>,
        field: &str,
        message: impl Into<String>,
    ) -> Self
    where
        T: kube::Resource<DynamicType = ()>,
    {
        Finding {
            code,
            name: code.name(),
            severity: code.default_severity(),
            object: ObjectRef::of(&object.object),
            field: (!field.is_empty()).then(|| field.to_string()),
            origin: object.origin.clone(),
            span: object.span_of(field),
            port: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A finding about an object known by reference only (the reader's input
    /// problems, annotations), at the default severity.
    pub(crate) fn about(
        code: Code,
        object: ObjectRef,
        origin: Origin,
        field: &str,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            name: code.name(),
            severity: code.default_severity(),
            object,
            field: (!field.is_empty()).then(|| field.to_string()),
            origin,
            span,
            port: None,
            message: message.into(),
            hint: None,
        }
    }

    /// The same, with a hint.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same, at another severity.
    pub(crate) fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The same, about one Service port.
    pub(crate) fn port(mut self, index: usize) -> Self {
        self.port = Some(index);
        self
    }

    /// `file:line:col`, `demo:line:col`, or `context NAME` plus the field path.
    pub(crate) fn location(&self) -> String {
        let field = self.field.as_deref().unwrap_or("");
        match (&self.origin, self.span) {
            (Origin::File { path, .. }, Some(s)) => format!("{path}:{}:{}", s.line, s.column),
            (Origin::Demo { .. }, Some(s)) => format!("demo:{}:{}", s.line, s.column),
            (Origin::Live { context }, _) => format!("{context}/{}#{field}", self.object),
            (other, None) => other.to_string(),
        }
    }
}
