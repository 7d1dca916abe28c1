//! Rendering rules for `svcx rule`: one rule's doc, or the list of every
//! rule, for people (Markdown-like text) or as JSON. docs/rules/ is written
//! by [`page`], so the pages and `svcx rule CODE` say the same thing.

use super::Options;
use super::style::Style;
use crate::rules::Code;
use crate::rules::registry::Rule;
use serde::Serialize;
use std::io;

/// The formats `svcx rule` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The doc, for people.
    Human,
    /// JSON: every field of the rule, its doc in Markdown.
    Json,
}

/// A rule as JSON.
#[derive(Serialize)]
pub struct RuleJson {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub family: &'static str,
    pub summary: &'static str,
    pub raised_by: &'static str,
    pub fixed_by_migrate_to_gateway: bool,
    /// The doc, in Markdown.
    pub doc: String,
}

impl RuleJson {
    /// The JSON form of a rule.
    pub fn of(rule: &Rule) -> Self {
        RuleJson {
            code: rule.code,
            name: rule.name,
            severity: rule.severity.word(),
            family: rule.family().tag(),
            summary: rule.summary,
            raised_by: rule.raised_by(),
            fixed_by_migrate_to_gateway: rule.migrate,
            doc: rule.doc(),
        }
    }
}

/// One rule's page, in Markdown: what `svcx rule CODE` prints and what
/// docs/rules/CODE.md holds.
pub fn page(rule: &Rule) -> String {
    format!(
        "# {} ({})\n\n- Summary: {}\n- Default severity: {}\n- Raised by: {}\n- Fixed by `svcx migrate-to-gateway`: {}\n\n{}",
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

/// Writes one rule.
pub fn one(rule: &Rule, opts: &Options<Format>, out: &mut dyn io::Write) -> io::Result<()> {
    match opts.format {
        Format::Human => out.write_all(styled(&page(rule), opts.style).as_bytes()),
        Format::Json => super::json(&RuleJson::of(rule), out),
    }
}

/// Writes the list of every rule.
pub fn all(opts: &Options<Format>, out: &mut dyn io::Write) -> io::Result<()> {
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
            writeln!(out, "\n`svcx rule CODE` (or NAME) shows a rule's doc.")
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
