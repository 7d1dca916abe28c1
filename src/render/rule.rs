//! Rendering rules for `svcx rule`: one rule's doc, or the list of every
//! rule, for people (Markdown-like text) or as JSON; and likewise the notes
//! of `svcx migrate-to-gateway`. docs/rules/ is written by [`page`],
//! [`index`] and [`notes_page`], so the pages and `svcx rule CODE` say the
//! same thing.

use super::Options;
use super::style::Style;
use crate::migrate::NoteCode;
use crate::rules::Code;
use crate::rules::registry::Rule;
use serde::Serialize;
use std::io;

/// The formats `svcx rule` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// The doc, for people.
    Human,
    /// JSON: every field of the rule, its doc in Markdown.
    Json,
}

/// A rule as JSON.
#[derive(Serialize)]
pub(crate) struct RuleJson {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) severity: &'static str,
    pub(crate) family: &'static str,
    pub(crate) summary: &'static str,
    pub(crate) raised_by: &'static str,
    /// The functions that raise it (`model::view_findings::ports::target_port`);
    /// empty for lint's own checks.
    pub(crate) raised_in: Vec<&'static str>,
    pub(crate) fixed_by_migrate_to_gateway: bool,
    /// The doc, in Markdown.
    pub(crate) doc: String,
}

impl RuleJson {
    /// The JSON form of a rule.
    pub(crate) fn of(rule: &Rule) -> Self {
        RuleJson {
            code: rule.code,
            name: rule.name,
            severity: rule.severity.word(),
            family: rule.family().tag(),
            summary: rule.summary,
            raised_by: rule.raised_by(),
            raised_in: rule.raised_in(),
            fixed_by_migrate_to_gateway: rule.migrate,
            doc: rule.doc(),
        }
    }
}

/// One rule's page, in Markdown: what `svcx rule CODE` prints and what
/// docs/rules/CODE.md holds.
pub fn page(rule: &Rule) -> String {
    let raised_in = rule.raised_in();
    let raised_in = if raised_in.is_empty() {
        String::new()
    } else {
        let paths: Vec<String> = raised_in.iter().map(|p| format!("`{p}`")).collect();
        format!("- Raised in: {}\n", paths.join(", "))
    };
    format!(
        "# {} ({})\n\n- Summary: {}\n- Default severity: {}\n- Raised by: {}\n{raised_in}- Fixed by `svcx migrate-to-gateway`: {}\n\n{}",
        rule.name,
        rule.code,
        rule.summary,
        rule.severity.word(),
        rule.raised_by(),
        if rule.migrate { "yes" } else { "no" },
        rule.doc()
    )
}

/// The index of every rule, in Markdown (docs/rules/README.md).
pub fn index() -> String {
    let mut out = String::from(
        "# Rules\n\nEvery finding svcx raises, by code. Generated from the rule registry \
         (`src/rules/`): do not edit by hand; `svcx rule CODE` prints the same pages.\n\n\
         | code | name | severity | summary |\n|---|---|---|---|\n",
    );
    for c in Code::ALL {
        let r = c.rule();
        out.push_str(&format!(
            "| [{}]({}.md) | `{}` | {} | {} |\n",
            r.code,
            r.code,
            r.name,
            r.severity.word(),
            r.summary.replace('|', "\\|")
        ));
    }
    out
}

/// A migrate note as JSON.
#[derive(Serialize)]
pub(crate) struct NoteJson {
    pub(crate) note: &'static str,
    /// The report section that lists it: `not carried over`, `decided for
    /// you` or `routed differently`.
    pub(crate) section: &'static str,
    pub(crate) summary: &'static str,
    /// The doc, in Markdown.
    pub(crate) doc: String,
}

impl NoteJson {
    /// The JSON form of a note code.
    pub(crate) fn of(code: NoteCode) -> Self {
        NoteJson {
            note: code.name(),
            section: code.section().name(),
            summary: code.summary(),
            doc: code.doc(),
        }
    }
}

/// One note code's section, in Markdown, its doc's headings one level down.
fn note_section(code: NoteCode) -> String {
    format!(
        "## {}\n\n- Summary: {}\n- Listed under: {}\n\n{}",
        code.name(),
        code.summary(),
        code.section().name(),
        code.doc().replace("## ", "### ")
    )
}

/// Every note `svcx migrate-to-gateway` writes, in Markdown
/// (docs/rules/migrate-notes.md).
pub fn notes_page() -> String {
    let mut out = String::from(
        "# Notes of `svcx migrate-to-gateway`\n\nEvery note a migration's report can hold, by name, in the \
         order reports list them. Generated from `src/migrate/notes.rs`: do not edit by hand; `svcx rule NAME` \
         prints the same section.\n\n",
    );
    for &c in NoteCode::ALL {
        out.push_str(&note_section(c));
        out.push('\n');
    }
    out
}

/// Writes one migrate note code.
pub(crate) fn note(
    code: NoteCode,
    opts: &Options<Format>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match opts.format {
        Format::Human => {
            let page = format!(
                "# {} (note of svcx migrate-to-gateway)\n\n- Summary: {}\n- Listed under: {}\n\n{}",
                code.name(),
                code.summary(),
                code.section().name(),
                code.doc()
            );
            out.write_all(styled(&page, opts.style).as_bytes())
        }
        Format::Json => super::json(&NoteJson::of(code), out),
    }
}

/// Writes one rule.
pub(crate) fn one(rule: &Rule, opts: &Options<Format>, out: &mut dyn io::Write) -> io::Result<()> {
    match opts.format {
        Format::Human => out.write_all(styled(&page(rule), opts.style).as_bytes()),
        Format::Json => super::json(&RuleJson::of(rule), out),
    }
}

/// Writes the list of every rule.
pub(crate) fn all(opts: &Options<Format>, out: &mut dyn io::Write) -> io::Result<()> {
    match opts.format {
        Format::Json => {
            let rules: Vec<RuleJson> = Code::ALL.iter().map(|c| RuleJson::of(c.rule())).collect();
            super::json(&rules, out)
        }
        Format::Human => {
            let width = Code::ALL.iter().map(|c| c.name().len()).max().unwrap_or(0);
            let mut family = None;
            for c in Code::ALL {
                let r = c.rule();
                if family != Some(r.family()) {
                    if family.is_some() {
                        out.write_all(b"\n")?;
                    }
                    family = Some(r.family());
                    writeln!(out, "{}", opts.style.bold(r.family().about()))?;
                }
                writeln!(
                    out,
                    "  {}  {:width$}  {:7}  {}",
                    r.code,
                    r.name,
                    r.severity.word(),
                    r.summary
                )?;
            }
            writeln!(
                out,
                "\n{}",
                opts.style.bold("notes of svcx migrate-to-gateway")
            )?;
            let width = NoteCode::ALL
                .iter()
                .map(|c| c.name().len())
                .max()
                .unwrap_or(0);
            for &c in NoteCode::ALL {
                writeln!(out, "  {:width$}  {}", c.name(), c.summary())?;
            }
            writeln!(
                out,
                "\n`svcx rule CODE` (or NAME) shows a rule's doc, `svcx rule NOTE` a note's."
            )
        }
    }
}

/// Headings in bold, when colour is on.
fn styled(page: &str, style: Style) -> String {
    let mut in_code = false;
    page.lines()
        .map(|l| {
            in_code ^= l.starts_with("```");
            if !in_code && l.starts_with('#') {
                format!("{}\n", style.bold(l))
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}
