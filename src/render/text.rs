//! Small text helpers shared by the human renderers: tables with one look,
//! and word wrapping for explanations.

use super::style::Style;
use super::terminal;
use comfy_table::{ContentArrangement, presets};
use std::fmt::Display;

/// A borderless table with a header row. With a width (a terminal, or
/// `COLUMNS`), cells wrap so that the table, indented by `indent`, fits it;
/// without (a pipe), rows are never wrapped nor cut, so the whole text gets
/// through. Its cells are made terminal-safe as they are added
/// ([`terminal::cell`]).
pub(crate) fn table<I, S>(header: I, style: Style, indent: usize) -> Table
where
    I: IntoIterator<Item = S>,
    S: Into<comfy_table::Cell>,
{
    let mut t = comfy_table::Table::new();
    t.load_style(presets::NOTHING).set_header(header);
    match style.width() {
        Some(width) => {
            let fit = u16::try_from(width.saturating_sub(indent)).unwrap_or(u16::MAX);
            t.set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(fit);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    Table(t)
}

/// A table of the human renderers: comfy-table's, with every cell passed
/// through [`terminal::cell`] first, so that a value from input can neither
/// drive the terminal nor break the table's lines.
pub(crate) struct Table(comfy_table::Table);

impl Table {
    /// Adds a row of cells.
    pub(crate) fn add_row<I, S>(&mut self, row: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.0.add_row(
            row.into_iter()
                .map(|c| terminal::cell(c.as_ref()).into_owned()),
        );
        self
    }
}

impl Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // comfy-table ends each styled cell with a reset of its own; the
        // cells hold no escape but svcx's, so that reset is svcx's too.
        const RESET: &str = "\u{1b}[0m";
        let text = self.0.to_string();
        if text.contains(RESET) {
            f.write_str(&text.replace(RESET, &terminal::key_colour(RESET)))
        } else {
            f.write_str(&text)
        }
    }
}

/// Indents every line of a rendered table.
pub(crate) fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{}\n", l.trim_end()))
        .collect()
}

/// Wraps `text` at `width` columns, prefixing the first line with `first`
/// and the rest with spaces of the same width.
pub(crate) fn bullet(first: &str, text: &str, width: usize) -> String {
    let pad = " ".repeat(columns(first));
    let mut out = String::new();
    let mut line = String::from(first);
    let mut line_len = columns(first);
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

/// How many columns `text` takes: its characters, less svcx's colour
/// escapes (`ESC [ ... m`), which take none.
fn columns(text: &str) -> usize {
    let mut n = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // A CSI sequence ends at its final byte, @ to ~.
            chars.find(|c| ('@'..='~').contains(c) && *c != '[');
        } else {
            n += 1;
        }
    }
    n
}

/// The heading line of one Service: `ns/name  Type  (origin)`.
pub(crate) fn service_heading(
    style: Style,
    namespace: &str,
    name: &str,
    service_type: &str,
    origin: &impl Display,
) -> String {
    // A heading is one line, whatever the names hold.
    let name = terminal::one_line(name);
    let namespace = terminal::one_line(namespace);
    let origin = terminal::one_line(&origin.to_string()).into_owned();
    format!(
        "{}  {service_type}  ({origin})\n",
        style.bold(&format!("{namespace}/{name}"))
    )
}

/// A finding as people read it: `warning[SVC105] message (where)`, then its
/// hint, wrapped under the first line.
pub(crate) fn finding(
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
    use super::*;

    #[test]
    fn tables_fit_a_width_and_keep_every_word() {
        let long = "a reason long enough that it cannot fit on one narrow line of text";
        let rows = |style| {
            let mut t = table(["NAME", "WHY"], style, 2);
            t.add_row(vec!["web", long]);
            t.to_string()
        };
        let piped = rows(Style::plain());
        assert_eq!(piped.lines().count(), 2, "{piped}");
        assert!(piped.contains(long));
        let narrow = rows(Style::plain().with_width(Some(50)));
        assert!(narrow.lines().all(|l| l.chars().count() <= 48), "{narrow}");
        let words = |t: &str| t.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(words(&narrow), words(&piped));
    }

    #[test]
    fn wraps_with_hanging_indent() {
        let got = bullet("  • ", "one two three four five", 14);
        assert_eq!(got, "  • one two\n    three four\n    five\n");
    }

    #[test]
    fn colour_takes_no_columns() {
        let style = super::Style::new(true);
        let head = format!("  {} ", style.bold("x"));
        assert_eq!(super::columns(&head), 4);
        let got = bullet(&head, "one two three", 12);
        assert!(got.ends_with("\n    three\n"), "{got:?}");
    }
}
