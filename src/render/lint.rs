//! Rendering a lint report: for people, rustc/ruff-style diagnostics (the
//! code, the message, where, the source line with the field underlined, the
//! help) and a summary; for machines, JSON, SARIF ([`super::sarif`]), GitHub
//! Actions workflow commands and JUnit XML. Machine formats get no summary
//! and no colour.

use super::Options;
use super::style::{Style, Tone};
use super::terminal::one_line;
use crate::lint::report::{LintReport, Snippet};
use crate::model::Origin;
use crate::model::finding::{Code, Finding, Severity};
use std::collections::{BTreeMap, BTreeSet};
use std::io;

/// The formats a lint report can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// Diagnostics with code frames and a summary, for people.
    Human,
    /// JSON with a versioned schema (docs/json.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// JUnit XML, for CI systems that show test reports.
    Junit,
}

/// Writes the report in the chosen format.
pub(crate) fn render(
    report: &LintReport,
    opts: &Options<Format>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match opts.format {
        Format::Human => human(report, opts.style, out),
        Format::Json => super::json(report, out),
        Format::Sarif => super::sarif::write(report, out),
        Format::Github => github(report, out),
        Format::Junit => junit(report, out),
    }
}

fn tone(s: Severity) -> Tone {
    match s {
        Severity::Error => Tone::Bad,
        Severity::Warning => Tone::Warn,
        Severity::Info => Tone::Good,
    }
}

/// Where a finding is, as people read it: `file:line:col`, `demo:line:col`,
/// or, live, `context/namespace/Kind/name .field.path`.
pub(crate) fn location(f: &Finding) -> String {
    let field = f
        .field
        .as_deref()
        .map(|p| format!(" .{p}"))
        .unwrap_or_default();
    match (&f.origin, f.span) {
        (Origin::File { path, .. }, Some(s)) => format!("{path}:{}:{}", s.line, s.column),
        (Origin::File { path, line }, None) => format!("{path}:{line}"),
        (Origin::Demo { .. }, Some(s)) => format!("demo:{}:{}", s.line, s.column),
        (Origin::Demo { line }, None) => format!("demo:{line}"),
        (Origin::Live { context }, _) => {
            let o = &f.object;
            if o.namespace.is_empty() {
                format!("{context}/{}/{}{field}", o.kind, o.name)
            } else {
                format!("{context}/{}/{}/{}{field}", o.namespace, o.kind, o.name)
            }
        }
    }
}

/// `Service shop/web`.
fn object_words(f: &Finding) -> String {
    let o = &f.object;
    if o.namespace.is_empty() {
        format!("{} {}", o.kind, o.name)
    } else {
        format!("{} {}/{}", o.kind, o.namespace, o.name)
    }
}

/// One finding, rustc-style.
fn diagnostic(f: &Finding, snippet: Option<&Snippet>, style: Style) -> String {
    let head = style.tone(
        &format!("{}[{}]", f.severity.word(), f.code),
        tone(f.severity),
    );
    // Each part of a diagnostic has its line: the values it quotes cannot
    // start lines of their own.
    let mut out = format!("{head}: {}\n", style.bold(&one_line(&f.message)));
    let place = match f.origin {
        Origin::Live { .. } => location(f),
        _ => format!("{} ({})", location(f), object_words(f)),
    };
    let place = one_line(&place);
    let hint = f.hint.as_deref().map(one_line);
    match snippet {
        Some(s) => {
            let num = s.line.to_string();
            let pad = " ".repeat(num.len());
            out.push_str(&format!("{pad}--> {place}\n"));
            out.push_str(&format!("{pad} |\n"));
            out.push_str(&format!("{num} | {}\n", s.text.trim_end()));
            let carets = "^".repeat(s.end + 1 - s.start);
            out.push_str(&format!(
                "{pad} | {}{}\n",
                " ".repeat(s.start - 1),
                style.tone(&carets, tone(f.severity))
            ));
            out.push_str(&format!("{pad} |\n"));
            if let Some(h) = &hint {
                out.push_str(&format!("{pad} = help: {h}\n"));
            }
        }
        None => {
            out.push_str(&format!("  --> {place}\n"));
            if let Some(h) = &hint {
                out.push_str(&format!("   = help: {h}\n"));
            }
        }
    }
    out.push('\n');
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The report for people: every finding, then the summary and where to
/// read more. Written a finding at a time.
pub fn human(report: &LintReport, style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    for (i, f) in report.findings.iter().enumerate() {
        let snippet = report.snippets.get(i).and_then(Option::as_ref);
        out.write_all(diagnostic(f, snippet, style).as_bytes())?;
    }
    let s = &report.summary;
    let mut text = String::new();
    if report.findings.is_empty() {
        text.push_str("No findings");
    } else {
        let mut parts = Vec::new();
        for (n, one, many) in [
            (s.errors, "error", "errors"),
            (s.warnings, "warning", "warnings"),
            (s.infos, "info", "infos"),
        ] {
            if n > 0 {
                parts.push(plural(n, one, many));
            }
        }
        let last = parts.pop().unwrap_or_default();
        let list = if parts.is_empty() {
            last
        } else {
            format!("{} and {last}", parts.join(", "))
        };
        text.push_str(&format!("Found {list}"));
        if s.files_with_findings > 0 {
            text.push_str(&format!(
                " in {}",
                plural(s.files_with_findings, "file", "files")
            ));
        }
    }
    if s.suppressed > 0 {
        text.push_str(&format!(" ({} silenced by svcx/ignore)", s.suppressed));
    }
    text.push_str(".\n");
    let lb = s.load_balancers;
    if lb.services > 0 {
        text.push_str(&format!(
            "{} = {}.\n",
            plural(lb.services, "LoadBalancer Service", "LoadBalancer Services"),
            plural(
                lb.load_balancers,
                "cloud load balancer",
                "cloud load balancers"
            )
        ));
    }
    let codes: BTreeSet<Code> = report.findings.iter().map(|f| f.code).collect();
    if !codes.is_empty() {
        text.push_str("\nFor more information:\n");
        for c in codes {
            text.push_str(&format!("  svcx rule {c}  ({})\n", c.name()));
        }
    }
    out.write_all(style.bold(&text).as_bytes())
}

/// Escapes a workflow command's data (the message).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands, one line per finding: errors and
/// warnings as such, infos as notices.
pub fn github(report: &LintReport, out: &mut dyn io::Write) -> io::Result<()> {
    for (i, f) in report.findings.iter().enumerate() {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Origin::File { path, line } = &f.origin {
            props.push(format!("file={}", escape_property(path)));
            match (f.span, report.snippets.get(i).and_then(Option::as_ref)) {
                (Some(sp), Some(sn)) => props.push(format!(
                    "line={},col={},endLine={},endColumn={}",
                    sp.line,
                    sp.column,
                    sn.line,
                    sn.end + 1
                )),
                (Some(sp), None) => props.push(format!("line={},col={}", sp.line, sp.column)),
                (None, _) => props.push(format!("line={line}")),
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} {}", f.code, f.name))
        ));
        let mut message = format!("{}: {}", location(f), f.message);
        if let Some(h) = &f.hint {
            message.push_str(&format!("\nhelp: {h}"));
        }
        writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// Escapes text for XML (attributes and content).
fn xml(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// JUnit XML: one test suite per file (or per live context, or the demo),
/// one failed test case per finding; a run without findings is one passing
/// test case.
pub fn junit(report: &LintReport, out: &mut dyn io::Write) -> io::Result<()> {
    let mut suites: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        let name = match &f.origin {
            Origin::File { path, .. } => path.clone(),
            Origin::Demo { .. } => "demo".to_string(),
            Origin::Live { context } => context.clone(),
        };
        suites.entry(name).or_default().push(f);
    }
    // A finding below --fail-on does not fail the run: it is a skipped test
    // case (still listed, with its message), not a failure.
    let fails = |f: &Finding| report.fail_on.fails(f.severity);
    let total = report.findings.len();
    let failing = report.findings.iter().filter(|f| fails(f)).count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="svcx lint" tests="{}" failures="{failing}" errors="0" skipped="{}">"#,
        total.max(1),
        total - failing
    )?;
    if suites.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="svcx lint" tests="1" failures="0" errors="0">"#
        )?;
        writeln!(
            out,
            r#"    <testcase name="no findings" classname="svcx"/>"#
        )?;
        writeln!(out, "  </testsuite>")?;
    }
    for (name, findings) in suites {
        let failing = findings.iter().filter(|f| fails(f)).count();
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{n}" failures="{failing}" errors="0" skipped="{}">"#,
            xml(&name),
            findings.len() - failing,
            n = findings.len()
        )?;
        for f in findings {
            let (line, column) = match (f.span, &f.origin) {
                (Some(s), _) => (
                    format!(r#" line="{}""#, s.line),
                    format!(r#" column="{}""#, s.column),
                ),
                (None, Origin::File { line, .. }) => (format!(r#" line="{line}""#), String::new()),
                _ => (String::new(), String::new()),
            };
            writeln!(
                out,
                r#"    <testcase name="{}" classname="{}"{line}{column}>"#,
                xml(&format!("{} {} {}", f.code, f.name, object_words(f))),
                xml(&name)
            )?;
            let mut body = format!("{}: {}", location(f), f.message);
            if let Some(h) = &f.hint {
                body.push_str(&format!("\nhelp: {h}"));
            }
            if fails(f) {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    xml(&f.message),
                    f.severity.word(),
                    xml(&body)
                )?;
            } else {
                writeln!(
                    out,
                    r#"      <skipped message="{}">{}</skipped>"#,
                    xml(&format!(
                        "{}, below --fail-on: {}",
                        f.severity.word(),
                        f.message
                    )),
                    xml(&body)
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
