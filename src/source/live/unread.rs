//! Cutting what svcx never reads out of a list page before it is decoded.
//!
//! Two members weigh most in the objects the API server sends and are
//! dropped as soon as they are decoded ([`crate::model::slim`]): every
//! object's `metadata.managedFields` (an array of nested field sets, often
//! a third of a Pod) and kubectl's last-applied annotation (the whole object
//! again, as a string). Decoding them anyway builds and frees a tree of maps
//! per object. Here they are found with a byte search and their spans cut
//! from the page, so the decoder never sees them.
//!
//! Only a member at a key position is cut: the key's opening quote follows
//! `{` or `,` (whitespace aside), which inside a JSON string cannot happen
//! (a quote there is escaped), and its value is skipped by brackets and
//! strings, so a bracket or quote inside a string does not end it. A page
//! that is not well-formed JSON where a cut would be is left as it is from
//! there on, for the decoder to report.

use crate::model::slim::LAST_APPLIED;
use memchr::{memchr2, memchr3, memmem};
use std::borrow::Cow;
use std::sync::LazyLock;

/// The keys of the members cut, each with its quotes and colon as the API
/// server writes them (compact JSON): `managedFields`, and the annotation
/// as a member of `metadata.annotations`.
static KEYS: LazyLock<[memmem::Finder<'static>; 2]> = LazyLock::new(|| {
    [
        memmem::Finder::new(b"\"managedFields\":").into_owned(),
        memmem::Finder::new(format!("\"{LAST_APPLIED}\":").as_bytes()).into_owned(),
    ]
});

/// `page` without the members of [`KEYS`], or `page` itself when it has
/// none.
pub(super) fn cut(page: &[u8]) -> Cow<'_, [u8]> {
    let mut spans = Vec::new();
    for finder in KEYS.iter() {
        let key_len = finder.needle().len();
        let mut from = 0;
        while let Some(at) = finder.find(&page[from..]).map(|i| from + i) {
            from = at + key_len;
            if let Some(span) = member_span(page, at, key_len) {
                from = span.1;
                spans.push(span);
            }
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(page);
    }
    spans.sort_unstable();
    let mut kept = Vec::with_capacity(page.len());
    let mut from = 0;
    for (start, end) in spans {
        // Spans of different keys never overlap (one member's value holds
        // no other member at a key position, being skipped whole), but a
        // page written otherwise keeps its bytes rather than losing some.
        if start < from {
            continue;
        }
        kept.extend_from_slice(&page[from..start]);
        from = end;
    }
    kept.extend_from_slice(&page[from..]);
    Cow::Owned(kept)
}

/// The bytes to cut for the member whose key starts at `at`: with the comma
/// before it, or after it when it is the object's first member. `None` when
/// the key is not at a key position or its value does not end.
fn member_span(page: &[u8], at: usize, key_len: usize) -> Option<(usize, usize)> {
    let before = page[..at].iter().rposition(|b| !b.is_ascii_whitespace())?;
    let end = skip_value(page, at + key_len)?;
    match page[before] {
        b',' => Some((before, end)),
        b'{' => {
            let next = skip_space(page, end);
            Some((
                at,
                if page.get(next) == Some(&b',') {
                    next + 1
                } else {
                    end
                },
            ))
        }
        _ => None,
    }
}

fn skip_space(page: &[u8], mut i: usize) -> usize {
    while page.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// The end of the JSON value starting at `i` (after whitespace): an array,
/// an object, a string or `null`; `None` for anything else or a value that
/// does not end.
fn skip_value(page: &[u8], i: usize) -> Option<usize> {
    let i = skip_space(page, i);
    match *page.get(i)? {
        b'"' => skip_string(page, i),
        open @ (b'[' | b'{') => {
            // Only this kind of bracket counts: the other kind nests inside
            // it in balanced pairs.
            let close = if open == b'[' { b']' } else { b'}' };
            let (mut depth, mut at) = (1usize, i + 1);
            loop {
                at += memchr3(b'"', open, close, &page[at..])?;
                match page[at] {
                    b'"' => at = skip_string(page, at)?,
                    b if b == open => {
                        depth += 1;
                        at += 1;
                    }
                    _ => {
                        depth -= 1;
                        at += 1;
                        if depth == 0 {
                            return Some(at);
                        }
                    }
                }
            }
        }
        b'n' if page[i..].starts_with(b"null") => Some(i + 4),
        _ => None,
    }
}

/// The end of the string whose opening quote is at `i`, escapes skipped.
fn skip_string(page: &[u8], i: usize) -> Option<usize> {
    let mut at = i + 1;
    loop {
        at += memchr2(b'"', b'\\', &page[at..])?;
        if page[at] == b'"' {
            return Some(at + 1);
        }
        // A backslash escapes the byte after it (`\"`, `\\`, `\u…`'s `u`).
        at += 2;
        if at > page.len() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// `value` without the members [`cut`] removes, at any depth.
    fn without_unread(mut value: Value) -> Value {
        match &mut value {
            Value::Object(map) => {
                map.remove("managedFields");
                map.remove(LAST_APPLIED);
                for v in map.values_mut() {
                    *v = without_unread(v.take());
                }
            }
            Value::Array(items) => {
                for v in items {
                    *v = without_unread(v.take());
                }
            }
            _ => {}
        }
        value
    }

    /// A page as the API server writes it: a Service applied with kubectl
    /// (its last-applied copy holds brackets, quotes and the other key's
    /// name, escaped), and an EndpointSlice whose managed fields come first.
    fn page() -> Value {
        let applied = json!({"metadata": {"name": "web", "managedFields": "]\"["},
                             "spec": {"ports": [{"port": 80}]}});
        json!({
            "kind": "List", "apiVersion": "v1",
            "metadata": {"resourceVersion": "7", "continue": "tok"},
            "items": [
                {"metadata": {
                    "name": "web", "namespace": "shop",
                    "annotations": {
                        LAST_APPLIED: applied.to_string(),
                        "metallb.universe.tf/allow-shared-ip": "key \\ \"[{"
                    },
                    "managedFields": [
                        {"manager": "kubectl", "operation": "Update",
                         "fieldsV1": {"f:metadata": {"f:annotations": {
                             ".": {}, format!("f:{LAST_APPLIED}"): {}}},
                             "f:spec": {"f:ports": {"k:{\"port\":80,\"protocol\":\"TCP\"}": {}}}}}
                    ]},
                 "spec": {"ports": [{"port": 80, "name": "]}"}]}},
                {"metadata": {"managedFields": [{"manager": "endpointslice-controller.k8s.io",
                                                  "fieldsV1": {"f:endpoints": {}}}],
                              "name": "web-1"},
                 "addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"]}]},
                {"metadata": {"name": "only", "annotations": {LAST_APPLIED: "{}"}}},
                {"metadata": {"managedFields": null, "name": "null"}}
            ]
        })
    }

    #[test]
    fn the_members_are_cut_and_nothing_else() {
        let page = page();
        for text in [
            serde_json::to_vec(&page).unwrap(),
            serde_json::to_vec_pretty(&page).unwrap(),
        ] {
            let cut = cut(&text);
            assert!(matches!(cut, Cow::Owned(_)));
            assert!(cut.len() < text.len());
            let read: Value = serde_json::from_slice(&cut).expect("still JSON");
            assert_eq!(read, without_unread(page.clone()));
        }
    }

    /// Strings that hold the keys' text, escaped, are not members: nothing
    /// is cut.
    #[test]
    fn the_keys_inside_strings_are_left_alone() {
        let text = json!({
            "a": "\"managedFields\":[1]",
            "b": format!("{{\"{LAST_APPLIED}\":\"x\"}}"),
            "c": ["\"managedFields\":", 1]
        })
        .to_string();
        assert!(matches!(cut(text.as_bytes()), Cow::Borrowed(_)));
        // The key's text at the end of another key: found by the search,
        // but its quote is escaped, not at a key position.
        let text = br#"{"x\"managedFields":[1],"y":2}"#;
        assert!(matches!(cut(text), Cow::Borrowed(_)));
    }

    /// A page cut short stays a page cut short: cutting members never
    /// makes it decode (which would hide the truncation), whatever byte it
    /// ends at. A value of another type than the members have is kept.
    #[test]
    fn a_page_cut_short_stays_undecodable() {
        let whole = serde_json::to_vec(&page()).unwrap();
        for end in 0..whole.len() {
            let part = &whole[..end];
            assert!(
                serde_json::from_slice::<Value>(&cut(part)).is_err(),
                "{}",
                String::from_utf8_lossy(part)
            );
        }
        let odd = br#"{"metadata":{"managedFields":7,"name":"a"}}"#;
        assert!(matches!(cut(odd), Cow::Borrowed(_)));
    }
}
