//! The rule registry's building blocks: what one rule declares ([`Rule`]),
//! who raises its findings ([`Check`]), and [`declare_rule!`], which captures a
//! rule's doc comment together with its code, name, default severity and
//! summary, so that all of a rule's metadata sits in its one file under
//! `rules/`. The table of every rule (and the [`Code`](super::Code)
//! enum generated from it) is in `rules/mod.rs`.
//!
//! `svcx rule`, docs/rules/, SARIF's rule metadata, `--select` and the
//! model's `Code::name()` all read these declarations; nothing repeats them.

use crate::lint::Context;
use crate::model::finding::{Finding, Severity};
use crate::model::view::ServiceView;

/// The sections every rule doc has, in this order ("Use instead:" sits in
/// the Example section).
pub const DOC_SECTIONS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## How to fix",
    "## Known limitations",
    "## References",
];

/// Who raises a rule's findings.
#[derive(Clone, Copy)]
pub enum Check {
    /// The semantic model (`model::view_findings`): explain and trace show
    /// these findings too.
    Model,
    /// The reading of the input, before any object exists (see
    /// [`crate::source::files`]).
    Input,
    /// lint, once per Service (in scope or not: a rule may compare Services).
    Service(for<'a, 's> fn(&'a Context<'a, 's>, &'a ServiceView<'s>, &mut Vec<Finding>)),
    /// lint, once per run, over the whole snapshot.
    Run(for<'a, 's> fn(&'a Context<'a, 's>, &mut Vec<Finding>)),
}

/// One rule: a code, a name, a default severity, a summary and a doc.
pub struct Rule {
    /// `SVC` + three digits; the hundreds give the family. Permanent.
    pub code: &'static str,
    /// Kebab-case, naming the problem ("allow selector-matches-no-pods").
    pub name: &'static str,
    /// The severity its findings have unless the model knows better.
    pub severity: Severity,
    /// One line, for `svcx rule --all` and SARIF's shortDescription.
    pub summary: &'static str,
    /// Whether `svcx migrate-to-gateway` is the fix (it rewrites the
    /// exposure this rule is about).
    pub migrate: bool,
    /// Who raises it.
    pub check: Check,
    /// The doc comment as written, one `#[doc]` line per line.
    pub doc_lines: &'static [&'static str],
}

impl Rule {
    /// The doc in Markdown: the doc comment without its leading space.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.doc_lines {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The text of one `## ` section of the doc, trimmed (`None` if absent).
    pub fn section(&self, heading: &str) -> Option<String> {
        let doc = self.doc();
        let start = doc.find(&format!("{heading}\n"))? + heading.len() + 1;
        let rest = &doc[start..];
        let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
        Some(rest[..end].trim().to_string())
    }

    /// The family, from the hundreds digit.
    pub fn family(&self) -> Family {
        Family::of(self.code)
    }

    /// Who raises it, in words.
    pub fn raised_by(&self) -> &'static str {
        match self.check {
            Check::Model => "the semantic model (explain, trace and lint show it)",
            Check::Input => "the manifest reader",
            Check::Service(_) | Check::Run(_) => "lint",
        }
    }
}

/// The families of codes, by hundreds digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Input,
    Reachability,
    Ports,
    Exposure,
    Conventions,
    Routes,
}

impl Family {
    /// The family of `SVCnxx`.
    pub fn of(code: &str) -> Family {
        match code.as_bytes().get(3) {
            Some(b'0') => Family::Input,
            Some(b'1') => Family::Reachability,
            Some(b'2') => Family::Ports,
            Some(b'3') => Family::Exposure,
            Some(b'4') => Family::Conventions,
            _ => Family::Routes,
        }
    }

    /// A short tag for it (SARIF rule tags).
    pub fn tag(self) -> &'static str {
        match self {
            Family::Input => "input",
            Family::Reachability => "reachability",
            Family::Ports => "ports",
            Family::Exposure => "exposure",
            Family::Conventions => "conventions",
            Family::Routes => "routes",
        }
    }

    /// What the family is about.
    pub fn about(self) -> &'static str {
        match self {
            Family::Input => "input: what svcx read and how",
            Family::Reachability => {
                "reachability: selectors, endpoints, traffic policies, load balancers, DNS"
            }
            Family::Ports => "ports: targetPort, container ports, EndpointSlice ports, nodePorts",
            Family::Exposure => "exposure: what a Service opens to the outside",
            Family::Conventions => "conventions: how svcx itself is configured in the objects",
            Family::Routes => "routes: Gateway API and Ingress",
        }
    }
}

/// Declares a rule in its file: the doc comment, then the metadata.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     code: "SVC301",
///     name: "node-port-service",
///     severity: Info,
///     summary: "a NodePort Service opens a port on every node",
///     migrate: true,
///     check: Check::Service(check),
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        code: $code:literal,
        name: $name:literal,
        severity: $sev:ident,
        summary: $summary:literal,
        migrate: $migrate:literal,
        check: $check:expr $(,)?
    ) => {
        /// This rule's declaration (see the doc in `doc_lines`).
        pub const RULE: $crate::rules::registry::Rule = $crate::rules::registry::Rule {
            code: $code,
            name: $name,
            severity: $crate::model::finding::Severity::$sev,
            summary: $summary,
            migrate: $migrate,
            check: $check,
            doc_lines: &[$($doc),*],
        };
    };
}

pub(crate) use declare_rule;
