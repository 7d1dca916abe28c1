//! Colour and width, decided once per run. Colour: on, off, or (`auto`)
//! from `NO_COLOR` and whether stdout is a terminal; it is never the only
//! carrier of meaning: the words are always printed. Width: a terminal's
//! (or `COLUMNS`), which tables and prose fit; a pipe has none, so it gets
//! every table row whole, on one line.
//!
//! Colour escapes are written keyed ([`super::terminal`]), so that the
//! terminal-safe writer lets svcx's own colour through and nothing else.

use owo_colors::OwoColorize;
use std::io::IsTerminal;

/// How to colour human output.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    color: bool,
    /// The columns output must fit, or `None` (a pipe): tables unwrapped.
    width: Option<usize>,
}

/// Prose wraps here even on a wider terminal: longer lines read badly.
pub(crate) const PROSE_WIDTH: usize = 100;
/// Below this, wrapping would break every word: use it as the least width.
const MIN_WIDTH: usize = 40;

/// A verdict's tone, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tone {
    Good,
    Warn,
    Bad,
    Muted,
}

impl Style {
    /// Colour on or off, explicitly (tests use `Style::plain()`).
    pub fn new(color: bool) -> Self {
        Style { color, width: None }
    }

    /// The same style, fitting output into `width` columns (`None`: no limit).
    pub(crate) fn with_width(self, width: Option<usize>) -> Self {
        Style {
            width: width.map(|w| w.max(MIN_WIDTH)),
            ..self
        }
    }

    /// No colour.
    pub fn plain() -> Self {
        Style::new(false)
    }

    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub(crate) fn auto() -> Self {
        Style::new(
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal(),
        )
    }

    /// The columns tables must fit, if any.
    pub(crate) fn width(&self) -> Option<usize> {
        self.width
    }

    /// Where prose wraps: the terminal's width, at most [`PROSE_WIDTH`].
    pub(crate) fn prose_width(&self) -> usize {
        self.width.map_or(PROSE_WIDTH, |w| w.min(PROSE_WIDTH))
    }

    /// Text in a tone.
    pub(crate) fn tone(&self, text: &str, tone: Tone) -> String {
        match tone {
            Tone::Good => self.paint(text, |t| t.green().to_string()),
            Tone::Warn => self.paint(text, |t| t.yellow().to_string()),
            Tone::Bad => self.paint(text, |t| t.red().bold().to_string()),
            Tone::Muted => self.paint(text, |t| t.dimmed().to_string()),
        }
    }

    /// A heading.
    pub(crate) fn bold(&self, text: &str) -> String {
        self.paint(text, |t| t.bold().to_string())
    }

    /// `text` between the escapes `paint` puts around a placeholder, keyed.
    /// `text` itself is left as it is: whatever it holds is neutralised on
    /// the way out, and only the keyed escapes pass.
    fn paint(&self, text: &str, paint: impl Fn(&str) -> String) -> String {
        if !self.color {
            return text.to_string();
        }
        let painted = paint("\0");
        let (before, after) = painted.split_once('\0').unwrap_or((&painted, ""));
        format!(
            "{}{text}{}",
            super::terminal::key_colour(before),
            super::terminal::key_colour(after)
        )
    }
}

/// The width of this run's output: `COLUMNS` when set to a number (what the
/// user asks for, terminal or not), else the terminal's when stdout is one,
/// else none (a pipe or a file gets whole lines).
pub(crate) fn output_width() -> Option<usize> {
    width_from(std::env::var("COLUMNS").ok().as_deref(), || {
        let stdout = std::io::stdout();
        stdout
            .is_terminal()
            .then(|| terminal_size::terminal_size_of(&stdout))
            .flatten()
            .map(|(w, _)| usize::from(w.0))
    })
}

/// [`output_width`] from its inputs.
fn width_from(columns: Option<&str>, terminal: impl FnOnce() -> Option<usize>) -> Option<usize> {
    match columns.and_then(|c| c.trim().parse::<usize>().ok()) {
        Some(w) if w > 0 => Some(w),
        _ => terminal(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_wins_then_the_terminal_then_no_limit() {
        assert_eq!(width_from(Some("72"), || Some(200)), Some(72));
        assert_eq!(width_from(Some("wide"), || Some(200)), Some(200));
        assert_eq!(width_from(Some("0"), || None), None);
        assert_eq!(width_from(None, || None), None);
    }

    #[test]
    fn prose_fits_a_narrow_terminal_and_stays_readable_on_a_wide_one() {
        assert_eq!(Style::plain().prose_width(), PROSE_WIDTH);
        assert_eq!(Style::plain().with_width(Some(60)).prose_width(), 60);
        assert_eq!(
            Style::plain().with_width(Some(300)).prose_width(),
            PROSE_WIDTH
        );
        assert_eq!(Style::plain().with_width(Some(5)).width(), Some(MIN_WIDTH));
    }
}
