//! The head of a document, read without decoding it: its `apiVersion`,
//! `kind`, and `metadata.name` and `metadata.namespace`. A document of a kind
//! svcx does not read (a CustomResourceDefinition of hundreds of kilobytes)
//! is counted from its head, never decoded into a value that would be
//! dropped at once, nor checked for syntax: what svcx does not read, it does
//! not judge (docs/decisions.md, "Kinds svcx does not read: counted from
//! their heads").
//!
//! The head is read only from the plainest form of YAML: top-level keys at
//! column 0, each written once, simple scalars for the values read, and a
//! block `metadata` mapping. Anything else (flow style, quoting with
//! escapes, tags, anchors, tabs, a key written twice) answers `None`, and
//! the document is decoded as any other.

/// What identifies a document, read from its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

/// A value that is a simple string: plain (`v1`, `apps/v1`, `my-name`) and
/// read as nothing but a string, or quoted without escapes; a trailing
/// comment is left out.
fn scalar(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let value = match raw.split_once(" #") {
        Some((v, _)) => v.trim_end(),
        None => raw,
    };
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-' | b'_'))
    };
    if let Some(inner) = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
    {
        return plain(inner).then(|| inner.to_string());
    }
    // Unquoted, `null`, `true`, `1.0` and their kin are not strings.
    (plain(value) && !super::fast::could_be_other_than_string(value)).then(|| value.to_string())
}

/// A `key: value` line of a block mapping, at the line's start: the key, and
/// what follows the colon.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once(':')?;
    let simple = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'));
    (simple && (rest.is_empty() || rest.starts_with(' '))).then_some((key, rest))
}

/// Reads the head of a document's text, when it is written plainly enough.
pub fn head(text: &str) -> Option<Head> {
    let (mut api_version, mut kind, mut name, mut namespace) = (None, None, None, None);
    let (mut seen_metadata, mut seen_key) = (false, false);
    // Inside `metadata`: the indentation of its keys, once known.
    let mut in_metadata: Option<Option<usize>> = None;
    for start in super::line_starts(text) {
        // Most lines of a large document are indented ones outside
        // `metadata`: passed over on their first byte.
        if in_metadata.is_none() && text.as_bytes().get(start) == Some(&b' ') {
            continue;
        }
        let rest = &text[start..];
        // A block sequence may sit at column 0 under a top-level key
        // (`secrets:` then `- name: x`): an item of a value left unread.
        if rest.starts_with("- ") && in_metadata.is_none() && seen_key {
            continue;
        }
        let line = rest.split('\n').next().unwrap_or(rest);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.contains('\t') {
            return None;
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent > 0 {
            if let Some(level) = in_metadata.as_mut() {
                let level = *level.get_or_insert(indent);
                if indent == level {
                    let (key, rest) = key_value(trimmed)?;
                    let slot = match key {
                        "name" => &mut name,
                        "namespace" => &mut namespace,
                        _ => continue,
                    };
                    if slot.is_some() {
                        return None;
                    }
                    *slot = Some(scalar(rest)?);
                } else if indent < level {
                    return None;
                }
            }
            continue;
        }
        // A top-level line: a plain `key: value`, nothing else.
        let (key, rest) = key_value(line)?;
        seen_key = true;
        in_metadata = None;
        match key {
            "apiVersion" | "kind" => {
                let slot = if key == "kind" {
                    &mut kind
                } else {
                    &mut api_version
                };
                if slot.is_some() {
                    return None;
                }
                *slot = Some(scalar(rest)?);
            }
            "metadata" => {
                let rest = rest.trim();
                if seen_metadata || !(rest.is_empty() || rest.starts_with('#')) {
                    return None;
                }
                seen_metadata = true;
                in_metadata = Some(None);
            }
            _ => {}
        }
    }
    Some(Head {
        api_version: api_version?,
        kind: kind?,
        name,
        namespace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_heads_are_read() {
        let h = head(
            "# a CRD\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  annotations:\n    name: not-this\n  name: things.example.com # its name\nspec:\n  group: example.com\n",
        )
        .expect("a head");
        assert_eq!(h.api_version, "apiextensions.k8s.io/v1");
        assert_eq!(h.kind, "CustomResourceDefinition");
        assert_eq!(h.name.as_deref(), Some("things.example.com"));
        assert_eq!(h.namespace, None);
        let h = head(
            "kind: \"ConfigMap\"\napiVersion: 'v1'\nmetadata:\n    namespace: shop\n    name: settings\n",
        )
        .unwrap();
        assert_eq!(
            (h.kind.as_str(), h.namespace.as_deref()),
            ("ConfigMap", Some("shop"))
        );
        // A sequence at column 0 under a top-level key, and CRLF line ends.
        let h = head("apiVersion: v1\r\nkind: ServiceAccount\r\nsecrets:\r\n- name: s\r\nmetadata:\r\n  name: sa\r\n").unwrap();
        assert_eq!(
            (h.kind.as_str(), h.name.as_deref()),
            ("ServiceAccount", Some("sa"))
        );
    }

    #[test]
    fn anything_unusual_is_left_to_the_decoder() {
        for text in [
            "{apiVersion: v1, kind: ConfigMap}",
            "apiVersion: v1\nkind: ConfigMap\nkind: Secret\n",
            "apiVersion: v1\nkind: !!str ConfigMap\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: c\n",
            "apiVersion: v1\nkind: \"Config\\u004dap\"\n",
            "apiVersion: v1\n\"kind\": ConfigMap\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
            "- apiVersion: v1\n",
            "- a\napiVersion: v1\nkind: ConfigMap\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n- name: c\n",
            "apiVersion: v1\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: null\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 0x10\n",
        ] {
            assert_eq!(head(text), None, "{text}");
        }
    }
}
