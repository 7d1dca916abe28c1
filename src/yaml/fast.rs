//! The fast path for decoding a document: serde_norway (libyaml) builds the
//! JSON value about three times as fast as serde-saphyr, and is used only where
//! it is known to give exactly what serde-saphyr gives. Anything else (an
//! error, a construct where the two crates could differ) answers `None`, and
//! the caller decodes the document with serde-saphyr, which then owns every
//! error message, position, budget and YAML 1.1 reading (docs/decisions.md,
//! "YAML: a fast path").
//!
//! Why the values agree where this path answers:
//! - Tags (`!`), anchors and aliases (`&`, `*`), merge keys (`<<`), directives
//!   (`%` at a line start) and byte-order marks are never taken: the text is
//!   checked for those characters before parsing, wherever they appear.
//! - A plain scalar that libyaml resolves to null, a boolean or an integer is
//!   one of `~ null Null NULL` or empty, `true True TRUE false False FALSE`,
//!   or a decimal, `0x`, `0o` or `0b` integer with an optional sign and no
//!   leading zero: serde-saphyr resolves each of those spellings to the same
//!   value (it reads more spellings, never these differently).
//! - Floats and integers beyond 64 bits are never taken.
//! - A string is taken only when no plain scalar with that text could be
//!   anything but a string to serde-saphyr (YAML 1.1 booleans such as `on`
//!   and `no`, `~`, numbers in any radix, with underscores or leading zeros,
//!   `.inf`, `.nan`, the empty string): a quoted `"on"` is a string to both
//!   crates, but the value alone does not say whether it was quoted.
//! - Keys are strings of at most [`MAX_KEY`] bytes (both parsers limit the
//!   length of an implicit key), each key once per mapping (serde-saphyr
//!   rejects duplicates).
//! - Nesting and the number of nodes stay far below serde-saphyr's budget
//!   (depth 64, 250,000 nodes), so a document it would refuse never passes.
//!
//! `tests/yaml_paths.rs` decodes every file of the shared corpus and a set of
//! tricky scalars both ways and checks that the fast path either declines or
//! gives the same value.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::fmt;

/// Deepest nesting taken (serde-saphyr's budget stops at 64).
const MAX_DEPTH: usize = 32;
/// Most nodes taken in one document (serde-saphyr's budget: 250,000).
const MAX_NODES: usize = 100_000;
/// Largest document taken, in bytes (serde-saphyr's budget: 64 MiB of scalars).
const MAX_BYTES: usize = 16 << 20;
/// Longest key taken, in bytes: a quoted key with escapes is several times
/// longer in the text, and both parsers stop an implicit key at 1,024
/// characters of text.
pub const MAX_KEY: usize = 100;

/// Decodes a document's text when the fast path is known to agree with
/// serde-saphyr; `None` otherwise, errors included.
pub fn parse(text: &str) -> Option<Value> {
    if text.len() > MAX_BYTES || needs_exact_reader(text) {
        return None;
    }
    let nodes = Cell::new(0);
    let de = serde_norway::Deserializer::from_str(text);
    Node {
        depth: 0,
        nodes: &nodes,
    }
    .deserialize(de)
    .ok()
}

/// Whether the text holds a character that may start a construct the fast
/// path leaves to serde-saphyr: a tag, an anchor, an alias, a merge key, a
/// directive or a byte-order mark. Inside a quoted string these are harmless,
/// and such a document merely takes the exact path.
fn needs_exact_reader(text: &str) -> bool {
    // Byte searches (SIMD, through memchr): every character looked for is
    // ASCII but the byte-order mark, searched as its UTF-8 bytes, and an
    // ASCII byte never occurs inside a longer character. A large manifest is
    // mostly long scalars, looked at here for nothing.
    let bytes = text.as_bytes();
    bytes.first() == Some(&b'%')
        || memchr::memchr3(b'!', b'&', b'*', bytes).is_some()
        || memchr::memmem::find(bytes, b"<<").is_some()
        || memchr::memmem::find(bytes, b"\n%").is_some()
        || memchr::memmem::find(bytes, "\u{feff}".as_bytes()).is_some()
        || deeper_than(text, MAX_DEPTH)
}

/// Whether brackets nest deeper than `limit`, counting every `[`/`{` and
/// `]`/`}` even inside quotes (an overestimate only sends a document to the
/// exact path). libyaml checks every open flow level at every token, so a
/// document nested a hundred thousand deep would take it minutes: such a
/// document goes straight to serde-saphyr, whose nesting budget refuses it.
fn deeper_than(text: &str, limit: usize) -> bool {
    let bytes = text.as_bytes();
    // Nesting deeper than `limit` needs more than `limit` opening brackets.
    let opening = memchr::memchr2_iter(b'[', b'{', bytes)
        .take(limit + 1)
        .count();
    if opening <= limit {
        return false;
    }
    let mut depth = 0usize;
    for b in bytes {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Whether a plain scalar with this text could be read by serde-saphyr as
/// something other than this string: null, a YAML 1.1 boolean, a number in
/// any spelling it accepts (signs, radix prefixes, underscores, exponents,
/// leading zeros, `.inf`, `.nan`). Wider than the exact rule on purpose: a
/// string that is merely made of the same characters (`cafe`, `1.2.3`) takes
/// the exact path too.
pub(crate) fn could_be_other_than_string(s: &str) -> bool {
    const WORDS: [&str; 13] = [
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", ".inf", ".nan", "",
    ];
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    WORDS
        .iter()
        .any(|w| s.eq_ignore_ascii_case(w) || unsigned.eq_ignore_ascii_case(w))
        || s.bytes().all(|b| {
            b.is_ascii_hexdigit()
                || matches!(b, b'x' | b'X' | b'o' | b'O' | b'.' | b'+' | b'-' | b'_')
        })
}

/// Why the fast path declined; never shown (the exact path then decides).
#[derive(Debug)]
struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the exact reader")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Declined
    }
}

/// One node of the document at a depth, counting nodes as it goes.
#[derive(Clone, Copy)]
struct Node<'a> {
    depth: usize,
    nodes: &'a Cell<usize>,
}

impl Node<'_> {
    /// The node one level down, within the depth taken.
    fn child(self) -> Result<Self, Declined> {
        if self.depth >= MAX_DEPTH {
            return Err(Declined);
        }
        Ok(Node {
            depth: self.depth + 1,
            ..self
        })
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        let nodes = self.nodes.get() + 1;
        self.nodes.set(nodes);
        if nodes > MAX_NODES {
            return Err(declined());
        }
        de.deserialize_any(self)
    }
}

fn declined<E: de::Error>() -> E {
    E::custom(Declined)
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML node")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        self.deserialize(de)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(Number::from(v)))
    }

    // Floats and 128-bit integers: serde-saphyr's reading of them (and its
    // refusal of the non-finite ones) is its own.
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
        Err(declined())
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Value, E> {
        Err(declined())
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Value, E> {
        Err(declined())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        if could_be_other_than_string(v) {
            return Err(declined());
        }
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        if could_be_other_than_string(&v) {
            return Err(declined());
        }
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let child = self.child().map_err(|_| declined::<A::Error>())?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(child)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let child = self.child().map_err(|_| declined::<A::Error>())?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(child)? {
            let Value::String(key) = key else {
                return Err(declined());
            };
            if key.len() > MAX_KEY {
                return Err(declined());
            }
            let value = map.next_value_seed(child)?;
            if out.insert(key, value).is_some() {
                return Err(declined());
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each construct the fast path leaves to serde-saphyr sends a document
    /// to the exact reader, wherever it stands (multi-byte characters
    /// around it included); a document without any is read fast, however
    /// many brackets it holds side by side.
    #[test]
    fn the_exact_reader_is_chosen_for_every_construct_it_owns() {
        let plain = "a: é\nb: [1, {c: ü}]\n";
        assert!(!needs_exact_reader(plain));
        for owned in [
            "%YAML 1.2\n---\na: 1",
            "a: 1\n%TAG ! tag:example.com,2000:\n",
            "a: !!str 1",
            "a: &x 1",
            "b: *x",
            "<<: {a: 1}",
            "\u{feff}a: 1",
            "a: é\u{feff}",
        ] {
            assert!(needs_exact_reader(owned), "{owned:?}");
            assert!(needs_exact_reader(&format!("ü: é\n{owned}")), "{owned:?}");
        }
        let shallow = "[1], ".repeat(1000);
        assert!(!needs_exact_reader(&shallow));
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(needs_exact_reader(&deep));
        let at_limit = format!("{}{}", "{".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert!(!needs_exact_reader(&at_limit));
    }
}
