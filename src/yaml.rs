//! The only module that names the YAML crate (serde-saphyr; see
//! docs/decisions.md for why). It splits a stream into documents, keeping each
//! one's first line, and decodes a document into a JSON value, reporting parse
//! errors with line and column in the whole file.

use serde::Deserialize;
use serde_json::Value;

/// One document of a multi-document stream.
#[derive(Debug, PartialEq, Eq)]
pub struct Document<'a> {
    /// The document's text, without its `---` line.
    pub text: &'a str,
    /// 1-based line in the file where `text` starts.
    pub first_line: usize,
}

impl Document<'_> {
    /// The line of the first line that holds content (not blank, not a
    /// comment): where the object "starts" for a reader of the file.
    pub fn content_line(&self) -> usize {
        self.text
            .lines()
            .position(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            })
            .map_or(self.first_line, |i| self.first_line + i)
    }

    /// Whether the document holds nothing but blanks and comments.
    pub fn is_empty(&self) -> bool {
        self.text.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#')
        })
    }
}

/// A YAML syntax error at a place in the file.
#[derive(Debug, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Splits a YAML stream at `---` (and `...`) lines at column 0. Splitting
/// before parsing lets each document be decoded, and fail, on its own.
pub fn split_documents(text: &str) -> Vec<Document<'_>> {
    let mut docs = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1usize;
    let mut offset = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let is_marker = bare == "---"
            || bare.starts_with("--- ")
            || bare.starts_with("---\t")
            || bare == "..."
            || bare.starts_with("... ");
        if is_marker {
            docs.push(Document {
                text: &text[start..offset],
                first_line: start_line,
            });
            // `--- value` keeps content on the marker line; keep it in the next document.
            let rest = bare
                .strip_prefix("---")
                .filter(|r| !r.trim().is_empty() && !bare.starts_with("..."));
            match rest {
                Some(_) => {
                    start = offset + 3;
                    start_line = i + 1;
                }
                None => {
                    start = offset + line.len();
                    start_line = i + 2;
                }
            }
        }
        offset += line.len();
    }
    docs.push(Document {
        text: &text[start..],
        first_line: start_line,
    });
    docs.retain(|d| !d.is_empty());
    docs
}

fn options() -> serde_saphyr::Options {
    // Keep the crate's alias and depth limits (billion-laughs protection); a
    // single document of a real manifest never comes near them.
    serde_saphyr::Options::default()
}

fn syntax_error(err: &serde_saphyr::Error, first_line: usize) -> SyntaxError {
    let (line, column) = err
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((1, 1));
    // The crate's Display repeats the location and may add a snippet; the
    // first line is the message.
    let full = err.to_string();
    let first = full.lines().next().unwrap_or("invalid YAML");
    // Drop the crate's own "error: line N column M: " prefix: its numbers are
    // relative to the document, and ours are in file coordinates.
    let message = first
        .strip_prefix("error: ")
        .map(|rest| match rest.split_once(": ") {
            Some((loc, msg)) if loc.starts_with("line ") => msg,
            _ => rest,
        })
        .unwrap_or(first)
        .to_string();
    SyntaxError {
        line: first_line + line.saturating_sub(1),
        column,
        message,
    }
}

/// Decodes one document into a JSON value.
pub fn parse_document(doc: &Document<'_>) -> Result<Value, SyntaxError> {
    serde_saphyr::from_str_with_options::<Value>(doc.text, options())
        .map_err(|e| syntax_error(&e, doc.first_line))
}

#[derive(Deserialize)]
struct ListLines {
    #[serde(default)]
    items: Vec<serde_saphyr::Spanned<serde::de::IgnoredAny>>,
}

/// The file line of each element of a `kind: List` document's `items`.
pub fn list_item_lines(doc: &Document<'_>) -> Vec<usize> {
    serde_saphyr::from_str_with_options::<ListLines>(doc.text, options())
        .map(|l| {
            l.items
                .iter()
                .map(|i| doc.first_line + (i.referenced.line() as usize).saturating_sub(1))
                .collect()
        })
        .unwrap_or_default()
}

/// Decodes a whole text into a typed value (a config file), with the
/// position of the first error.
pub fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, SyntaxError> {
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| syntax_error(&e, 1))
}

/// Writes a value as YAML (for `-o yaml`).
pub fn to_string<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    serde_saphyr::to_string(value).map_err(|e| anyhow::anyhow!("could not write YAML: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_lines() {
        let text = "# header\n---\na: 1\n---\n\n# c\nb: 2\n...\n";
        let docs = split_documents(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].content_line(), 3);
        assert_eq!(docs[1].content_line(), 7);
    }

    #[test]
    fn error_line_is_in_file_coordinates() {
        let text = "a: 1\n---\nb: 2\nc: [1, 2\n";
        let docs = split_documents(text);
        let err = parse_document(&docs[1]).unwrap_err();
        assert!(err.line >= 4, "{err}");
    }

    #[test]
    fn list_items_have_lines() {
        let text = "---\napiVersion: v1\nkind: List\nitems:\n- kind: A\n  x: 1\n- kind: B\n";
        let docs = split_documents(text);
        assert_eq!(list_item_lines(&docs[0]), vec![5, 7]);
    }
}
