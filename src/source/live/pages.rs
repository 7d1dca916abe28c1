//! Reading a list page's `continue` token before its items, so that the
//! next page can be asked for while this one is decoded.
//!
//! A large list is a chain of pages: each request names the token the page
//! before it ended with. Waiting to decode a whole page before asking for
//! the next one puts the decoding of every page on the chain, one after
//! another (200 pages of Pods at 100k pods). The API server writes a list's
//! `metadata`, which holds the token, before its `items`, so the token can
//! be read from the page's first bytes; the page is then decoded while the
//! next one is on its way.

use super::fetch::{Failed, Progress, Reader};
use bytes::Bytes;
use kube::api::ListParams;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// A page's bytes, and how many tries it took to get them.
pub(super) type Fetched = Result<(Bytes, usize), Failed>;

/// GETs one page of the list at `url` ([`Reader::get_body`]: retried where
/// that is safe).
pub(super) async fn fetch_page(
    reader: Reader,
    url: String,
    params: ListParams,
    progress: Arc<Progress>,
) -> Fetched {
    let request = kube::core::Request::new(url);
    reader.get_body(|| request.list(&params), &progress).await
}

/// The next page, asked for while this one is decoded: a task of its own,
/// so that its answer is read while this task decodes. Dropped unread (the
/// list failed or ran out of time), its request is dropped with it.
pub(super) struct Ahead(JoinHandle<Fetched>);

impl Ahead {
    pub(super) fn spawn(fetch: impl Future<Output = Fetched> + Send + 'static) -> Ahead {
        Ahead(tokio::spawn(fetch))
    }

    pub(super) async fn answer(mut self) -> Fetched {
        (&mut self.0)
            .await
            .expect("a page's request does not panic")
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What the start of a page says of the next one.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Next {
    /// `metadata.continue`: the token of the next page.
    Page(String),
    /// `metadata` has no token: this is the last page.
    Last,
    /// The page does not start with its `metadata` (a server that writes
    /// `items` first), or is not a JSON object: the token is read with the
    /// items, when the page is decoded.
    Unknown,
}

/// Reads `metadata.continue` of a list page, stopping at `metadata` (or at
/// `items`, which then came first). Only the keys before `metadata` and
/// `metadata` itself are parsed.
pub(super) fn next_page(body: &[u8]) -> Next {
    let mut found = Next::Unknown;
    let mut de = serde_json::Deserializer::from_slice(body);
    // Reading stops as soon as the answer is known, which serde_json reports
    // as an error (the object was not read to its end); `found` holds what
    // was read by then.
    let _ = (&mut de).deserialize_map(Head { found: &mut found });
    found
}

/// The top-level object of a page, read up to its `metadata`.
struct Head<'a> {
    found: &'a mut Next,
}

impl<'de> Visitor<'de> for Head<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Kubernetes list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<&str>()? {
            match key {
                "metadata" => {
                    let meta: ListMeta = map.next_value()?;
                    *self.found = match meta.continue_ {
                        Some(token) if !token.is_empty() => Next::Page(token),
                        _ => Next::Last,
                    };
                    return Err(de::Error::custom("read up to metadata"));
                }
                "items" => return Err(de::Error::custom("items before metadata")),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Head<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

/// The one field of a list's `metadata` read here.
#[derive(serde::Deserialize)]
struct ListMeta {
    #[serde(rename = "continue")]
    continue_: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages as the API server writes them (kind, apiVersion, metadata,
    /// items), and the shapes where the token cannot be read ahead.
    #[test]
    fn the_token_is_read_from_the_start_of_the_page() {
        let page = |meta: &str| {
            format!(
                r#"{{"kind":"PodList","apiVersion":"v1","metadata":{meta},"items":[{{"metadata":{{"name":"a"}}}}]}}"#
            )
        };
        let next = |text: &str| next_page(text.as_bytes());
        assert_eq!(
            next(&page(
                r#"{"resourceVersion":"7","continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ","remainingItemCount":9}"#
            )),
            Next::Page("eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ".into())
        );
        assert_eq!(next(&page(r#"{"resourceVersion":"7"}"#)), Next::Last);
        assert_eq!(next(&page(r#"{"continue":""}"#)), Next::Last);
        // Items first: the token is read when the page is decoded.
        assert_eq!(
            next(r#"{"items":[],"metadata":{"continue":"x"}}"#),
            Next::Unknown
        );
        // Not a list at all, or cut short before metadata.
        assert_eq!(next("[1,2]"), Next::Unknown);
        assert_eq!(next(r#"{"kind":"PodList","apiVers"#), Next::Unknown);
        // Cut short after metadata: the token is known; the decoding of the
        // page reports the cut.
        assert_eq!(
            next(r#"{"metadata":{"continue":"x"},"items":[{"#),
            Next::Page("x".into())
        );
    }

    /// The token is read ahead without parsing the items: a page whose
    /// items are not even JSON still gives its token.
    #[test]
    fn the_items_are_not_parsed() {
        assert_eq!(
            next_page(br#"{"metadata":{"continue":"t"},"items":[not json at all"#),
            Next::Page("t".into())
        );
    }
}
