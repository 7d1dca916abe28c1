//! Regular expressions in routing rules: Gateway API `RegularExpression`
//! matches (RE2 in Envoy-based implementations, whose syntax the `regex`
//! crate shares for what routes use) and nginx's `~*` locations (PCRE).
//! A pattern the crate cannot compile (backreferences, lookaround) has no
//! answer here: callers say the match depends on the implementation.

use std::collections::HashMap;
use std::sync::Mutex;

/// Compiled patterns, each compiled once per run (behind a lock: Services
/// are explained on every core, sharing them).
#[derive(Debug, Default)]
pub(crate) struct Regexes {
    compiled: Mutex<HashMap<(String, bool), Option<regex::Regex>>>,
}

/// The most a pattern may compile to: routing rules are short, and a
/// pattern in hostile input must not cost more than this.
const SIZE_LIMIT: usize = 1 << 20;

impl Regexes {
    /// Whether `pattern` matches `text`: `Some(true)` or `Some(false)`, or
    /// `None` when the pattern does not compile. `anchored`: the whole text
    /// must match (RE2 `FullMatch`, as Envoy's `safe_regex` does);
    /// otherwise a match anywhere counts, as nginx's `~` does (its
    /// locations are written `^PATH`, anchored at the start only).
    pub(super) fn matches(
        &self,
        pattern: &str,
        text: &str,
        case_insensitive: bool,
        anchored: bool,
    ) -> Option<bool> {
        let key = (
            if anchored {
                format!("^(?:{pattern})$")
            } else {
                pattern.to_string()
            },
            case_insensitive,
        );
        let mut cache = self.compiled.lock().unwrap_or_else(|p| p.into_inner());
        let re = cache.entry(key).or_insert_with_key(|(p, ci)| {
            regex::RegexBuilder::new(p)
                .case_insensitive(*ci)
                .size_limit(SIZE_LIMIT)
                .build()
                .ok()
        });
        re.as_ref().map(|re| re.is_match(text))
    }
}

/// Paths a pattern matches, for the requests that prove a migration: one
/// with every repetition at its least and every alternation at its first
/// branch, and one that takes each optional or unbounded part once more
/// (`/api/v[0-9]+/users`: `/api/v0/users`; `/foo/.*`: `/foo/` and
/// `/foo/a`). Its text before the first special character alone would
/// miss the location: `/api/v` is not matched by it. Only what the whole
/// pattern matches is returned, and nothing for one the crate cannot
/// parse.
pub(crate) fn witnesses(pattern: &str) -> Vec<String> {
    let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else {
        return Vec::new();
    };
    let Ok(whole) = regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(SIZE_LIMIT)
        .build()
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for more in [false, true] {
        let mut text = String::new();
        if witness(&hir, more, &mut text) && whole.is_match(&text) && !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// Appends to `text` what `hir` matches; false when it matches nothing
/// a request line can carry.
fn witness(hir: &regex_syntax::hir::Hir, more: bool, text: &mut String) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => {
                text.push_str(s);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(Class::Unicode(class)) => {
            let has = |c: char| {
                class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= c && c <= r.end())
            };
            match PREFERRED.chars().chain('!'..='~').find(|&c| has(c)) {
                Some(c) => {
                    text.push(c);
                    true
                }
                None => false,
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            let has = |b: u8| {
                class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= b && b <= r.end())
            };
            match PREFERRED.bytes().chain(b'!'..=b'~').find(|&b| has(b)) {
                Some(b) => {
                    text.push(char::from(b));
                    true
                }
                None => false,
            }
        }
        HirKind::Repetition(rep) => {
            let times = if more {
                rep.max.unwrap_or(u32::MAX).min(rep.min.max(1))
            } else {
                rep.min
            };
            (0..times.min(MAX_REPEAT)).all(|_| witness(&rep.sub, more, text))
        }
        HirKind::Capture(cap) => witness(&cap.sub, more, text),
        HirKind::Concat(parts) => parts.iter().all(|p| witness(p, more, text)),
        HirKind::Alternation(branches) => branches.iter().any(|b| {
            let mark = text.len();
            let ok = witness(b, more, text);
            if !ok {
                text.truncate(mark);
            }
            ok
        }),
    }
}

/// The characters a witness takes from a class, in this order: what a
/// path segment is usually made of.
const PREFERRED: &str = "abcdefghijklmnopqrstuvwxyz0123456789-_/.";
/// A repetition's least count past which a witness stops growing:
/// `a{1000}` in hostile input costs no more than this.
const MAX_REPEAT: u32 = 64;

#[cfg(test)]
mod tests {
    use super::*;

    /// ingress-nginx's path-matching guide: with `use-regex`, the path
    /// `/foo/bar/bar` is served by the location `~* ^/foo/bar/.+`, and
    /// locations are case-insensitive.
    #[test]
    fn nginx_locations_match_from_the_start_and_ignore_case() {
        let r = Regexes::default();
        assert_eq!(
            r.matches("^/foo/bar/.+", "/FOO/bar/bar", true, false),
            Some(true)
        );
        assert_eq!(
            r.matches("^/api(/|$)(.*)", "/api/v2/items", true, false),
            Some(true)
        );
        assert_eq!(r.matches("^/api(/|$)(.*)", "/API", true, false), Some(true));
        assert_eq!(r.matches("^/api", "/x/api", true, false), Some(false));
    }

    #[test]
    fn gateway_regexes_match_the_whole_path_and_bad_ones_have_no_answer() {
        let r = Regexes::default();
        assert_eq!(r.matches("/v[0-9]+", "/v2", false, true), Some(true));
        assert_eq!(r.matches("/v[0-9]+", "/v2/x", false, true), Some(false));
        assert_eq!(r.matches("(a)\\1", "aa", false, true), None);
    }

    /// A location's own paths: its text up to the first special character
    /// (`/api/v`) is not one of them.
    #[test]
    fn witnesses_are_paths_the_whole_pattern_matches() {
        assert_eq!(witnesses("/api/v[0-9]+/users"), ["/api/v0/users"]);
        assert_eq!(witnesses("/foo/.*"), ["/foo/", "/foo/a"]);
        assert_eq!(witnesses("/api(/|$)(.*)"), ["/api/", "/api/a"]);
        assert_eq!(witnesses("/(?:x|y)?z"), ["/z", "/xz"]);
        assert_eq!(witnesses("/[^a-z/]{2}"), ["/00"]);
        assert!(witnesses("(a)\\1").is_empty());
        assert!(witnesses("/a{100000}").is_empty());
        assert!(witnesses("/a\\bb").is_empty());
    }
}
