//! A lint report as SARIF 2.1.0, with what GitHub code scanning requires:
//! `$schema`, `version`, the driver's name and its `rules[]` (id, name,
//! short and full descriptions, help text), and `results[]` with message,
//! locations (a file and a region with start and end line and column; a
//! logical location for objects read from a cluster or the demo) and
//! `partialFingerprints`. A test validates the output against the official
//! schema (tests/fixtures/sarif/).

use crate::lint::report::LintReport;
use crate::model::Origin;
use crate::model::finding::{Code, Finding, Severity};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io;

/// The schema URI SARIF files name.
pub(crate) const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Fingerprints {
    /// The finding's identity without its position: code, object and field,
    /// so a finding keeps its identity when lines move.
    #[serde(rename = "svcxFinding/v1")]
    finding: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    object: &'a crate::model::finding::ObjectRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI reference: separators kept, the characters a
/// URI cannot hold percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.trim_start_matches("./").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn descriptor(code: Code) -> RuleDescriptor {
    let rule = code.rule();
    let section = |h: &str| rule.section(h).unwrap_or_default();
    let full = format!(
        "{}\n\n{}",
        section("## What it does"),
        section("## Why is this bad?")
    );
    let doc = rule.doc();
    let mut tags = vec![rule.family().tag()];
    if rule.migrate {
        tags.push("migrate-to-gateway");
    }
    RuleDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text {
            text: rule.summary.to_string(),
        },
        full_description: Text {
            text: full.replace('\n', " ").replace("  ", "\n\n"),
        },
        help: Help {
            text: section("## How to fix"),
            markdown: doc,
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties { tags },
    }
}

fn location(f: &Finding, end: Option<(usize, usize)>) -> Location {
    let object = &f.object;
    let qualified = |prefix: &str| {
        let mut parts = vec![prefix.to_string()];
        if !object.namespace.is_empty() {
            parts.push(object.namespace.clone());
        }
        parts.push(object.kind.clone());
        parts.push(object.name.clone());
        parts.join("/")
    };
    let logical = |prefix: &str| LogicalLocation {
        name: object.name.clone(),
        fully_qualified_name: match &f.field {
            Some(field) => format!("{} .{field}", qualified(prefix)),
            None => qualified(prefix),
        },
        kind: "resource",
    };
    match &f.origin {
        Origin::File { path, line } => Location {
            physical_location: Some(PhysicalLocation {
                artifact_location: ArtifactLocation { uri: uri(path) },
                region: match f.span {
                    Some(s) => Region {
                        start_line: s.line,
                        start_column: Some(s.column),
                        end_line: Some(end.map_or(s.line, |e| e.0)),
                        end_column: Some(end.map_or(s.column + 1, |e| e.1)),
                    },
                    None => Region {
                        start_line: *line,
                        start_column: None,
                        end_line: None,
                        end_column: None,
                    },
                },
            }),
            logical_locations: Vec::new(),
        },
        Origin::Demo { .. } => Location {
            physical_location: None,
            logical_locations: vec![logical("demo")],
        },
        Origin::Live { context } => Location {
            physical_location: None,
            logical_locations: vec![logical(context)],
        },
    }
}

/// Writes the report as one SARIF log with one run.
pub fn write(report: &LintReport, out: &mut dyn io::Write) -> io::Result<()> {
    let used: BTreeSet<Code> = report.findings.iter().map(|f| f.code).collect();
    let used: Vec<Code> = used.into_iter().collect();
    let results = report
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            // SARIF's endColumn is one past the last character.
            let end = report
                .snippets
                .get(i)
                .and_then(Option::as_ref)
                .map(|s| (s.line, s.end + 1));
            let mut text = f.message.clone();
            if let Some(h) = &f.hint {
                text.push_str(&format!("\nhelp: {h}"));
            }
            SarifResult {
                rule_id: f.code.code(),
                rule_index: used.binary_search(&f.code).unwrap_or_default(),
                level: level(f.severity),
                message: Text { text },
                locations: vec![location(f, end)],
                partial_fingerprints: Fingerprints {
                    finding: format!(
                        "{}:{}:{}",
                        f.code,
                        f.object,
                        f.field.as_deref().unwrap_or("")
                    ),
                },
                properties: ResultProperties {
                    object: &f.object,
                    field: f.field.as_deref(),
                },
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "svcx",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: used.iter().map(|&c| descriptor(c)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    super::json(&log, out)
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("./deploy/web svc.yaml"), "deploy/web%20svc.yaml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("../shared/a#b.yaml"), "../shared/a%23b.yaml");
    }
}
