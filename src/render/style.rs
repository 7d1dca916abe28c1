//! Colour, decided once per run: on, off, or (`auto`) from `NO_COLOR` and
//! whether stdout is a terminal. Colour is never the only carrier of meaning:
//! the words are always printed.
//!
//! Colour escapes are written keyed ([`super::terminal`]), so that the
//! terminal-safe writer lets svcx's own colour through and nothing else.

use owo_colors::OwoColorize;
use std::io::IsTerminal;

/// How to colour human output.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    color: bool,
}

/// A verdict's tone, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Muted,
}

impl Style {
    /// Colour on or off, explicitly (tests use `Style::plain()`).
    pub fn new(color: bool) -> Self {
        Style { color }
    }

    /// No colour.
    pub fn plain() -> Self {
        Style { color: false }
    }

    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn auto() -> Self {
        Style {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal(),
        }
    }

    pub fn is_color(&self) -> bool {
        self.color
    }

    /// Text in a tone.
    pub fn tone(&self, text: &str, tone: Tone) -> String {
        match tone {
            Tone::Good => self.paint(text, |t| t.green().to_string()),
            Tone::Warn => self.paint(text, |t| t.yellow().to_string()),
            Tone::Bad => self.paint(text, |t| t.red().bold().to_string()),
            Tone::Muted => self.paint(text, |t| t.dimmed().to_string()),
        }
    }

    /// A heading.
    pub fn bold(&self, text: &str) -> String {
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
