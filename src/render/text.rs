//! Small text helpers shared by the human renderers: tables with one look,
//! and word wrapping for explanations.

use super::style::Style;
use comfy_table::{ContentArrangement, Table, presets};
use std::fmt::Display;

/// A borderless table with a header row, never wrapped (stable output for
/// pipes and snapshots; terminals scroll).
pub fn table<I, S>(header: I) -> Table
where
    I: IntoIterator<Item = S>,
    S: Into<comfy_table::Cell>,
{
    let mut t = Table::new();
    t.load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    t
}

/// Indents every line of a rendered table.
pub fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{}\n", l.trim_end()))
        .collect()
}

/// Wraps `text` at `width` columns, prefixing the first line with `first`
/// and the rest with spaces of the same width.
pub fn bullet(first: &str, text: &str, width: usize) -> String {
    let pad = " ".repeat(first.chars().count());
    let mut out = String::new();
    let mut line = String::from(first);
    let mut line_len = first.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let wl = word.chars().count();
        if !empty && line_len + 1 + wl > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = pad.clone();
            line_len = pad.len();
            empty = true;
        }
        if !empty {
            line.push(' ');
            line_len += 1;
        }
        line.push_str(word);
        line_len += wl;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// The heading line of one Service: `ns/name  Type  (origin)`.
pub fn service_heading(
    style: Style,
    namespace: &str,
    name: &str,
    service_type: &str,
    origin: &impl Display,
) -> String {
    format!(
        "{}  {service_type}  ({origin})\n",
        style.bold(&format!("{namespace}/{name}"))
    )
}

/// A finding as people read it: `warning[SVC105] message (where)`, then its
/// hint, wrapped under the first line.
pub fn finding(
    f: &crate::model::finding::Finding,
    style: Style,
    pad: &str,
    width: usize,
) -> String {
    use super::style::Tone;
    use crate::model::finding::Severity;
    let tone = match f.severity {
        Severity::Error => Tone::Bad,
        Severity::Warning => Tone::Warn,
        Severity::Info => Tone::Good,
    };
    let head = style.tone(&format!("{}[{}]", f.severity.word(), f.code), tone);
    let mut out = bullet(
        &format!("{pad}{head} "),
        &format!("{} ({})", f.message, f.location()),
        width,
    );
    if let Some(h) = &f.hint {
        out.push_str(&bullet(&format!("{pad}  hint: "), h, width));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::bullet;

    #[test]
    fn wraps_with_hanging_indent() {
        let got = bullet("  • ", "one two three four five", 14);
        assert_eq!(got, "  • one two\n    three four\n    five\n");
    }
}
