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
#[cfg(test)]
pub(crate) const DOC_SECTIONS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## How to fix",
    "## Known limitations",
    "## References",
];

/// Who raises a rule's findings.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// The semantic model (`model::view_findings`, `model::routes`,
    /// `model::policy`): explain and trace show these findings too. The rule
    /// names the functions in `raised_in`.
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
    pub(crate) code: &'static str,
    /// Kebab-case, naming the problem ("allow selector-matches-no-pods").
    pub(crate) name: &'static str,
    /// The severity its findings have unless the model knows better.
    pub(crate) severity: Severity,
    /// One line, for `svcx rule --all` and SARIF's shortDescription.
    pub(crate) summary: &'static str,
    /// Whether `svcx migrate-to-gateway` is the fix (it rewrites the
    /// exposure this rule is about).
    pub(crate) migrate: bool,
    /// Who raises it.
    pub(crate) check: Check,
    /// The functions that raise it, as Rust paths (`crate::model::...`):
    /// required of the rules the model raises, checked by the compiler and
    /// linked from the rule's rustdoc; empty for lint's own checks, whose
    /// function is in the rule's file.
    pub(crate) raised_in: &'static [&'static str],
    /// The doc comment as written, one `#[doc]` line per line.
    pub(crate) doc_lines: &'static [&'static str],
}

impl Rule {
    /// The doc in Markdown: the doc comment without its leading space.
    pub(crate) fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.doc_lines {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The text of one `## ` section of the doc, trimmed (`None` if absent).
    pub(crate) fn section(&self, heading: &str) -> Option<String> {
        let doc = self.doc();
        let start = doc.find(&format!("{heading}\n"))? + heading.len() + 1;
        let rest = &doc[start..];
        let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
        Some(rest[..end].trim().to_string())
    }

    /// The family, from the hundreds digit.
    pub(crate) fn family(&self) -> CodeFamily {
        CodeFamily::of(self.code)
    }

    /// Where it is raised: [`Rule::raised_in`] without the `crate::` prefix
    /// (`model::view_findings::endpoints::readiness`).
    pub(crate) fn raised_in(&self) -> Vec<&'static str> {
        self.raised_in
            .iter()
            .map(|p| p.strip_prefix("crate::").unwrap_or(p))
            .collect()
    }

    /// Who raises it, in words.
    pub(crate) fn raised_by(&self) -> &'static str {
        match self.check {
            Check::Model => "the semantic model (explain, trace and lint show it)",
            Check::Input => "the manifest reader",
            Check::Service(_) | Check::Run(_) => "lint",
        }
    }
}

/// The families of codes, by hundreds digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CodeFamily {
    Input,
    Reachability,
    Ports,
    Exposure,
    Conventions,
    Routes,
}

impl CodeFamily {
    /// The family of `SVCnxx`.
    pub(crate) fn of(code: &str) -> CodeFamily {
        match code.as_bytes().get(3) {
            Some(b'0') => CodeFamily::Input,
            Some(b'1') => CodeFamily::Reachability,
            Some(b'2') => CodeFamily::Ports,
            Some(b'3') => CodeFamily::Exposure,
            Some(b'4') => CodeFamily::Conventions,
            _ => CodeFamily::Routes,
        }
    }

    /// A short tag for it (SARIF rule tags).
    pub(crate) fn tag(self) -> &'static str {
        match self {
            CodeFamily::Input => "input",
            CodeFamily::Reachability => "reachability",
            CodeFamily::Ports => "ports",
            CodeFamily::Exposure => "exposure",
            CodeFamily::Conventions => "conventions",
            CodeFamily::Routes => "routes",
        }
    }

    /// What the family is about.
    pub(crate) fn about(self) -> &'static str {
        match self {
            CodeFamily::Input => "input: what svcx read and how",
            CodeFamily::Reachability => {
                "reachability: selectors, endpoints, traffic policies, load balancers, DNS"
            }
            CodeFamily::Ports => {
                "ports: targetPort, container ports, EndpointSlice ports, nodePorts"
            }
            CodeFamily::Exposure => "exposure: what a Service opens to the outside",
            CodeFamily::Conventions => "conventions: how svcx itself is configured in the objects",
            CodeFamily::Routes => "routes: Gateway API and Ingress",
        }
    }
}

/// Declares a rule in its file: the doc comment, then the metadata. A rule
/// the model raises (`check: Check::Model`) names the functions that raise
/// it in `raised_in`, one path or a list: the build fails without it, or if
/// a path names no function, and the rule's rustdoc links to them (which
/// `cargo doc` checks in CI). A lint rule may name them too, when its check
/// only collects what the model computed.
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
///
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     code: "SVC105",
///     name: "endpoints-not-ready",
///     severity: Warning,
///     summary: "some endpoints of a Service port are not ready and get no traffic",
///     migrate: false,
///     check: Check::Model,
///     raised_in: crate::model::view_findings::endpoints::readiness,
/// }
/// ```
macro_rules! declare_rule {
    // The one place the declaration is built; `extra` is the rustdoc that
    // says where the rule is raised.
    (
        @rule [$(#[$extra:meta])*]
        $(#[doc = $doc:literal])*
        code: $code:literal,
        name: $name:literal,
        severity: $sev:ident,
        summary: $summary:literal,
        migrate: $migrate:literal,
        check: $check:expr,
        raised_in: [$($path:path),*]
    ) => {
        /// This rule's declaration (see the doc in `doc_lines`).
        $(#[$extra])*
        pub(crate) const RULE: $crate::rules::registry::Rule = $crate::rules::registry::Rule {
            code: $code,
            name: $name,
            severity: $crate::model::finding::Severity::$sev,
            summary: $summary,
            migrate: $migrate,
            check: $check,
            raised_in: &[$(stringify!($path)),*],
            doc_lines: &[$($doc),*],
        };
    };
    (
        $(#[doc = $doc:literal])*
        code: $code:literal,
        name: $name:literal,
        severity: $sev:ident,
        summary: $summary:literal,
        migrate: $migrate:literal,
        check: $check:expr,
        raised_in: [$($path:path),+ $(,)?] $(,)?
    ) => {
        $crate::rules::registry::declare_rule! {
            @rule [
                #[doc = ""]
                #[doc = "Raised in:"]
                $(#[doc = concat!("- [`", stringify!($path), "`]")])+
            ]
            $(#[doc = $doc])*
            code: $code,
            name: $name,
            severity: $sev,
            summary: $summary,
            migrate: $migrate,
            check: $check,
            raised_in: [$($path),+]
        }

        // Each path must name a function: a renamed or moved one fails the
        // build here, not just the docs.
        const _: () = {
            $(let _ = $path;)+
        };
    };
    (
        $(#[doc = $doc:literal])*
        code: $code:literal,
        name: $name:literal,
        severity: $sev:ident,
        summary: $summary:literal,
        migrate: $migrate:literal,
        check: $check:expr,
        raised_in: $path:path $(,)?
    ) => {
        $crate::rules::registry::declare_rule! {
            $(#[doc = $doc])*
            code: $code,
            name: $name,
            severity: $sev,
            summary: $summary,
            migrate: $migrate,
            check: $check,
            raised_in: [$path],
        }
    };
    (
        $(#[doc = $doc:literal])*
        code: $code:literal,
        name: $name:literal,
        severity: $sev:ident,
        summary: $summary:literal,
        migrate: $migrate:literal,
        check: $check:expr $(,)?
    ) => {
        $crate::rules::registry::declare_rule! {
            @rule []
            $(#[doc = $doc])*
            code: $code,
            name: $name,
            severity: $sev,
            summary: $summary,
            migrate: $migrate,
            check: $check,
            raised_in: []
        }

        // A rule the model raises says where (`raised_in`).
        const _: () = assert!(
            !matches!(RULE.check, $crate::rules::registry::Check::Model),
            "a rule with check: Check::Model must name the functions that raise it: raised_in"
        );
    };
}

pub(crate) use declare_rule;
