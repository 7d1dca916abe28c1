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
}
