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
    S: AsRef<str>,
{
    let mut t = Table {
        rows: Vec::new(),
        fit: style
            .width()
            .map(|width| u16::try_from(width.saturating_sub(indent)).unwrap_or(u16::MAX)),
    };
    t.add_row(header);
    t
}

/// A table of the human renderers, every cell passed through
/// [`terminal::cell`] first, so that a value from input can neither drive
/// the terminal nor break the table's lines. The first row is the header.
pub(crate) struct Table {
    rows: Vec<Vec<String>>,
    /// The columns to fit, when there is a limit.
    fit: Option<u16>,
}

impl Table {
    /// Adds a row of cells.
    pub(crate) fn add_row<I, S>(&mut self, row: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.rows.push(
            row.into_iter()
                .map(|c| terminal::cell(c.as_ref()).into_owned())
                .collect(),
        );
        self
    }

    /// The table as comfy-table lays it out to fit `width` columns, wrapping
    /// cells where it must.
    fn fitted(&self, width: u16) -> String {
        let mut t = comfy_table::Table::new();
        t.load_style(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
        let mut rows = self.rows.iter();
        if let Some(header) = rows.next() {
            t.set_header(header);
        }
        for row in rows {
            t.add_row(row);
        }
        // comfy-table ends each styled piece of a wrapped cell with a reset
        // of its own; the cells hold no escape but svcx's, so that reset is
        // svcx's too.
        const RESET: &str = "\u{1b}[0m";
        let text = t.to_string();
        if text.contains(RESET) {
            text.replace(RESET, &terminal::key_colour(RESET))
        } else {
            text
        }
    }

    /// The table with nothing wrapped: each column as wide as its widest
    /// cell, every cell padded by a space on each side, as comfy-table lays
    /// out a borderless table without a width (`fitted_and_unwrapped_agree`
    /// holds the two to one layout). Laid out here because comfy-table
    /// measures each cell through an escape-sequence parser, which took
    /// half of a large cluster's human output.
    fn unwrapped(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; columns];
        let measured: Vec<Vec<usize>> = self
            .rows
            .iter()
            .map(|row| row.iter().map(|c| columns_of(c)).collect())
            .collect();
        for row in &measured {
            for (w, &m) in widths.iter_mut().zip(row) {
                *w = (*w).max(m);
            }
        }
        let mut out = String::new();
        for (r, (row, measured)) in self.rows.iter().zip(&measured).enumerate() {
            if r > 0 {
                out.push('\n');
            }
            for (c, &width) in widths.iter().enumerate() {
                let (cell, used) = row
                    .get(c)
                    .map_or(("", 0), |cell| (cell.as_str(), measured[c]));
                out.push(' ');
                out.push_str(cell);
                out.extend(std::iter::repeat_n(' ', width - used + 1));
            }
        }
        out
    }
}

impl Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.fit {
            Some(width) => f.write_str(&self.fitted(width)),
            None => f.write_str(&self.unwrapped()),
        }
    }
}

/// Indents every line of a rendered table.
pub(crate) fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(&pad);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Wraps `text` at `width` columns, prefixing the first line with `first`
/// and the rest with spaces of the same width.
pub(crate) fn bullet(first: &str, text: &str, width: usize) -> String {
    let pad = " ".repeat(columns_of(first));
    let mut out = String::new();
    let mut line = String::from(first);
    let mut line_len = columns_of(first);
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

/// How many columns `text` takes on a terminal: the display width of its
/// characters (a CJK character takes two), less svcx's colour escapes
/// (`ESC [ ... m`), which take none.
fn columns_of(text: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    if !text.contains('\u{1b}') {
        return text.width();
    }
    let mut shown = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // A CSI sequence ends at its final byte, @ to ~.
            chars.find(|c| ('@'..='~').contains(c) && *c != '[');
        } else {
            shown.push(c);
        }
    }
    shown.width()
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

    /// comfy-table's own layout of the same cells without a width, less
    /// the reset it appends to a cell holding colour (svcx's colour closes
    /// itself, so the reset changes nothing on screen).
    fn comfy_unwrapped(t: &Table) -> String {
        let mut c = comfy_table::Table::new();
        c.load_style(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(&t.rows[0]);
        for row in &t.rows[1..] {
            c.add_row(row);
        }
        c.to_string().replace("\u{1b}[0m", "")
    }

    #[test]
    fn fitted_and_unwrapped_agree() {
        let colour = Style::new(true);
        let green = colour.tone("ready", super::super::style::Tone::Good);
        let cases: Vec<(Vec<&str>, Vec<Vec<String>>)> = vec![
            (
                vec!["NAME", "WHY"],
                vec![vec!["web".into(), "a reason".into()]],
            ),
            // Ragged rows, empty cells, an empty header cell.
            (
                vec!["", "A", "B"],
                vec![
                    vec!["x".into()],
                    vec!["".into(), "".into(), "longer cell".into(), "extra".into()],
                ],
            ),
            // Wide and combining characters, arrows, emoji, colour, and
            // input that tries to drive the terminal.
            (
                vec!["ENDPOINT", "→ http", "STATE"],
                vec![
                    vec!["日本語".into(), "e\u{301}t\u{e9}".into(), green.clone()],
                    vec!["🚀 pod".into(), "a\u{1b}[2Jb\nc".into(), "-".into()],
                ],
            ),
        ];
        for (header, rows) in cases {
            let mut t = table(header, Style::plain(), 0);
            for row in &rows {
                t.add_row(row);
            }
            assert_eq!(t.to_string(), comfy_unwrapped(&t), "{rows:?}");
        }
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
        assert_eq!(super::columns_of(&head), 4);
        let got = bullet(&head, "one two three", 12);
        assert!(got.ends_with("\n    three\n"), "{got:?}");
    }
}
