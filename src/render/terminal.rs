//! Terminal safety: the one place where text svcx did not write itself (names,
//! labels, annotations, status messages, file paths, error messages that quote
//! input) is kept from driving the terminal. Everything svcx prints, on stdout
//! in every format and on stderr, goes through [`SafeWriter`]; text handed to
//! other printers (the prompts of `--interactive`) goes through [`neutralise`].
//!
//! A control character is replaced by its `\uXXXX` escape, as visible text:
//! C0 controls but newline and tab (so ESC, and with it every CSI, OSC and DCS
//! sequence, BEL, backspace, CR), DEL, the C1 controls U+0080–U+009F (8-bit
//! CSI is U+009B), the bidirectional overrides and isolates that reorder what
//! is shown (U+202A–U+202E, U+2066–U+2069) and the Unicode line and paragraph
//! separators. This is the class of bug behind CVE-2021-25743 in kubectl.
//!
//! The escape is JSON's: serde_json already escapes C0 controls, so in JSON
//! and SARIF output the replacement of DEL, C1 and bidi characters is the
//! same string value, and the document stays valid. In JUnit XML, where those
//! characters are not allowed at all, the replacement makes the file valid.
//!
//! svcx's own colour is the one escape sequence let through. [`Style`] writes
//! each of its sequences tagged with a key drawn at random once per process
//! (`ESC [ KEY ; 32 m`); the writer removes the key, and any escape without
//! it, which is what input can hold, is neutralised. Input cannot guess the
//! key, so it cannot colour, hide or move text.
//!
//! [`Style`]: super::Style

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::sync::LazyLock;

/// The start of svcx's own escape sequences: `ESC [`, the key, `;`.
static COLOUR_KEY: LazyLock<String> = LazyLock::new(|| {
    // std's RandomState is seeded from the operating system's randomness.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::process::id().into());
    format!("\u{1b}[{};", h.finish())
});

/// Rewrites an escape sequence written by svcx's colour code (it starts with
/// `ESC [`) into the keyed form that [`SafeWriter`] lets through.
pub(crate) fn key_colour(sequence: &str) -> String {
    sequence.replace("\u{1b}[", &COLOUR_KEY)
}

/// Whether `c` must not reach a terminal raw. Newline and tab are layout.
fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}')
}

/// Whether `text` holds a character [`is_unsafe`] matches, judged first by
/// bytes: every such character is an ASCII control or DEL, or is encoded in
/// UTF-8 as 0xC2 0x80–0x9F (U+0080–U+009F) or as 0xE2 0x80 or 0xE2 0x81
/// followed by one more byte (U+2028–U+2069). Scanning bytes is several times
/// faster than decoding every character; the few texts it cannot clear (an
/// em dash also starts with 0xE2 0x80) are checked character by character.
fn may_be_unsafe(text: &str) -> bool {
    let bytes = text.as_bytes();
    let suspect = bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\n' | b'\t' => false,
        0..=0x1f | 0x7f => true,
        0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => matches!(bytes.get(i + 1), Some(0x80 | 0x81)),
        _ => false,
    });
    suspect && text.chars().any(is_unsafe)
}

fn push_escape(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{:04x}", c as u32);
}

/// `text` with every unsafe character replaced by its `\uXXXX` escape
/// (newline and tab kept). Borrowed when nothing needed replacing.
pub(crate) fn neutralise(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// Like [`neutralise`], and newlines escaped too: for a value shown where the
/// layout expects one line (a heading, a line of an error message, a prompt
/// item), so that input cannot start a line of its own.
pub(crate) fn one_line(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c == '\n' || is_unsafe(c))
}

fn escape_where(text: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if bad(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that neutralises what it is given (see the module's doc) before
/// it reaches `inner`. Bytes that could still become a character or svcx's
/// colour key are held until the next write; [`Write::flush`] writes them.
pub(crate) struct SafeWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
    scratch: String,
}

impl<W: Write> SafeWriter<W> {
    /// Neutralises everything written to `inner`.
    pub(crate) fn new(inner: W) -> Self {
        SafeWriter {
            inner,
            pending: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Writes what can be decided of `pending`; with `end`, all of it.
    fn drain(&mut self, end: bool) -> io::Result<()> {
        let mut done = 0;
        while done < self.pending.len() {
            let (valid, invalid) = match std::str::from_utf8(&self.pending[done..]) {
                Ok(s) => (s.len(), None),
                Err(e) => (e.valid_up_to(), e.error_len()),
            };
            let text = std::str::from_utf8(&self.pending[done..done + valid])
                .expect("checked to be UTF-8");
            let used = if may_be_unsafe(text) {
                self.scratch.clear();
                let used = escape_into(text, true, end, &mut self.scratch);
                self.inner.write_all(self.scratch.as_bytes())?;
                used
            } else {
                self.inner.write_all(text.as_bytes())?;
                text.len()
            };
            done += used;
            if used < valid {
                break; // the start of a keyed sequence: wait for the rest
            }
            match invalid {
                Some(n) => {
                    self.inner.write_all("\u{fffd}".as_bytes())?;
                    done += n;
                }
                None if end && done < self.pending.len() => {
                    // A character cut short at the very end of the output.
                    self.inner.write_all("\u{fffd}".as_bytes())?;
                    done = self.pending.len();
                }
                None => break,
            }
        }
        self.pending.drain(..done);
        Ok(())
    }
}

/// Appends `text` to `out` neutralised, svcx's keyed colour turned back into
/// plain escapes; newlines kept or escaped. Returns how many bytes of `text`
/// were used: fewer when it ends in what may be the start of the key and
/// more may come (`end` false).
fn escape_into(text: &str, newline: bool, end: bool, out: &mut String) -> usize {
    let key = COLOUR_KEY.as_str();
    let mut run_start = 0;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if !(is_unsafe(c) || (c == '\n' && !newline)) {
            continue;
        }
        out.push_str(&text[run_start..i]);
        let rest = &text[i..];
        if rest.starts_with(key) {
            out.push_str("\u{1b}[");
            run_start = i + key.len();
            // The key is ASCII: one char per byte after ESC.
            for _ in 1..key.len() {
                chars.next();
            }
            continue;
        }
        if !end && key.starts_with(rest) {
            return i;
        }
        push_escape(out, c);
        run_start = i + c.len_utf8();
    }
    out.push_str(&text[run_start..]);
    text.len()
}

/// A table cell: svcx's colour kept, everything else that could drive the
/// terminal escaped, newlines too (a cell is one line). Tables get their
/// cells this way, before comfy-table measures them, so that the columns
/// stay aligned and comfy-table sees no escape it did not get from svcx.
pub(crate) fn cell(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') && !may_be_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    escape_into(text, false, true, &mut out);
    // Keep the key: the writer turns it into colour on the way out.
    Cow::Owned(out.replace("\u{1b}[", &COLOUR_KEY))
}

/// How much [`SafeWriter`] gathers before it checks and passes text on.
/// Serializers write a token at a time; checking each on its own cost a
/// fifth of a large `-o json` run.
const GATHER: usize = 64 * 1024;

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= GATHER {
            self.drain(false)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for SafeWriter<W> {
    fn drop(&mut self) {
        let _ = self.drain(true);
    }
}

/// Writes `text` to stderr, neutralised. Errors writing to stderr are
/// ignored: there is nowhere left to report them.
pub(crate) fn eprint(text: &str) {
    let mut err = SafeWriter::new(io::stderr().lock());
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through_writer(chunks: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut w = SafeWriter::new(&mut out);
            for c in chunks {
                w.write_all(c).unwrap();
            }
            w.flush().unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn control_characters_become_visible_escapes() {
        let hostile = "a\u{1b}]52;c;aGk=\u{7}b\u{1b}[2Jc\rd\u{8}e\u{7f}f\u{9b}31mg\u{202e}h\n\ti";
        let want =
            "a\\u001b]52;c;aGk=\\u0007b\\u001b[2Jc\\u000dd\\u0008e\\u007ff\\u009b31mg\\u202eh\n\ti";
        assert_eq!(neutralise(hostile), want);
        assert_eq!(through_writer(&[hostile.as_bytes()]), want);
        assert_eq!(one_line("a\nb"), "a\\u000ab");
        assert!(matches!(neutralise("plain ✓ text\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn only_keyed_colour_passes() {
        let green = key_colour("\u{1b}[32m");
        let reset = key_colour("\u{1b}[39m");
        let text = format!("{green}ok{reset} \u{1b}[31mforged");
        assert_eq!(
            through_writer(&[text.as_bytes()]),
            "\u{1b}[32mok\u{1b}[39m \\u001b[31mforged"
        );
        // Cut anywhere, a keyed sequence still passes and a character is
        // still whole.
        let bytes = format!("é{green}x\u{9b}").into_bytes();
        for cut in 0..bytes.len() {
            let (a, b) = bytes.split_at(cut);
            assert_eq!(through_writer(&[a, b]), "é\u{1b}[32mx\\u009b", "cut {cut}");
        }
    }

    #[test]
    fn a_cell_is_one_line_and_keeps_svcx_colour() {
        let green = key_colour("\u{1b}[32m");
        let got = cell(&format!("{green}a\nb\u{1b}[2J")).into_owned();
        assert_eq!(got, format!("{green}a\\u000ab\\u001b[2J"));
        assert_eq!(
            through_writer(&[got.as_bytes()]),
            "\u{1b}[32ma\\u000ab\\u001b[2J"
        );
    }

    #[test]
    fn json_stays_the_same_value() {
        let value = serde_json::json!({"name": "a\u{1b}[2J\u{7f}\u{9b}\u{202e}b"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = through_writer(&[text.as_bytes()]);
        assert!(!safe.chars().any(is_unsafe), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn the_byte_scan_finds_every_unsafe_character() {
        // Every character of the Basic Multilingual Plane and a few beyond,
        // alone and between others: the byte scan must never clear a text
        // that holds an unsafe one.
        for c in ('\u{0}'..='\u{ffff}').chain(['\u{1f600}', '\u{10ffff}']) {
            for text in [c.to_string(), format!("a{c}é→")] {
                assert_eq!(
                    may_be_unsafe(&text),
                    text.chars().any(is_unsafe),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    /// Counts the writes it is given.
    #[derive(Default)]
    struct Counted {
        bytes: Vec<u8>,
        writes: usize,
    }

    impl Write for Counted {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn output_is_passed_on_in_large_pieces_and_whole_at_the_end() {
        let pieces = GATHER / 4;
        let mut w = SafeWriter::new(Counted::default());
        for _ in 0..pieces {
            // A character cut between two writes, and an unsafe one.
            w.write_all(b"ab\xc2").unwrap();
            w.write_all(b"\x9b\n").unwrap();
        }
        w.flush().unwrap();
        let inner = std::mem::take(&mut w.inner);
        assert_eq!(
            String::from_utf8(inner.bytes).unwrap(),
            "ab\\u009b\n".repeat(pieces)
        );
        // 2 × 16,384 writes of 3 and 2 bytes reach the inner writer as a few
        // large ones.
        assert!(inner.writes <= 4, "{} writes", inner.writes);
    }

    #[test]
    fn invalid_utf8_is_replaced_not_dropped() {
        assert_eq!(through_writer(&[b"a\xffb"]), "a\u{fffd}b");
        assert_eq!(through_writer(&[b"a\xc3"]), "a\u{fffd}");
    }
}
