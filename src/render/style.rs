//! Colour, decided once per run: on, off, or (`auto`) from `NO_COLOR` and
//! whether stdout is a terminal. Colour is never the only carrier of meaning:
//! the words are always printed.

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
        if !self.color {
            return text.to_string();
        }
        match tone {
            Tone::Good => text.green().to_string(),
            Tone::Warn => text.yellow().to_string(),
            Tone::Bad => text.red().bold().to_string(),
            Tone::Muted => text.dimmed().to_string(),
        }
    }

    /// A heading.
    pub fn bold(&self, text: &str) -> String {
        if self.color {
            text.bold().to_string()
        } else {
            text.to_string()
        }
    }
}
