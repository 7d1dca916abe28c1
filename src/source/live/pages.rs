//! Reading a list page's `continue` token from its first bytes, so that the
//! next page is asked for while this one is still arriving and then
//! decoded.
//!
//! A large list is a chain of pages: each request names the token the page
//! before it ended with. Waiting for a whole page, or for its decoding,
//! before asking for the next one puts the transfer and the decoding of
//! every page on the chain, one after another (200 pages of Pods at 100k
//! pods). The API server writes a list's `metadata`, which holds the token,
//! before its `items` (and since Kubernetes 1.33 streams the items after
//! it), so the token is read as soon as the page's first bytes are in; the
//! next page is then on its way while the rest of this one arrives and is
//! decoded. The asking is a chain of its own ([`chain`]), so that it does
//! not wait for the decoding either.

use super::fetch::{Failed, Progress, Reader};
use bytes::Bytes;
use kube::api::ListParams;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// A page's bytes, and how many tries it took to get them.
pub(super) type Fetched = Result<(Bytes, usize), Failed>;

/// One page of the list at `url`, asked for in a task of its own
/// ([`Reader::get_body`]: retried where that is safe); what its first bytes
/// say of the next page is sent on as soon as they are in.
pub(super) struct Asked {
    page: JoinHandle<Fetched>,
    head: oneshot::Receiver<Next>,
}

impl Asked {
    pub(super) fn spawn(
        reader: Reader,
        url: String,
        params: ListParams,
        progress: Arc<Progress>,
    ) -> Asked {
        let (told, head) = oneshot::channel();
        let mut told = Some(told);
        let page = tokio::spawn(async move {
            let request = kube::core::Request::new(url);
            // Shown the page's bytes so far; true once it has said what
            // they hold (on this try or an earlier one).
            let mut watch = |bytes: &[u8]| {
                let Some(tell) = told.take() else {
                    return true;
                };
                match next_page(bytes) {
                    Some(next) => {
                        let _ = tell.send(next);
                        true
                    }
                    None => {
                        told = Some(tell);
                        false
                    }
                }
            };
            reader
                .get_body(|| request.list(&params), &progress, &mut watch)
                .await
        });
        Asked { page, head }
    }

    /// What the start of the page says of the next one: [`Next::Unknown`]
    /// when the page failed or ended before saying.
    pub(super) async fn head(&mut self) -> Next {
        (&mut self.head).await.unwrap_or(Next::Unknown)
    }

    /// The whole page.
    pub(super) async fn answer(mut self) -> Fetched {
        (&mut self.page)
            .await
            .expect("a page's request does not panic")
    }
}

/// Dropped unread (the list failed or ran out of time), a page's request is
/// dropped with it.
impl Drop for Asked {
    fn drop(&mut self) {
        self.page.abort();
    }
}

/// How many pages the chain may ask for beyond the one being decoded: the
/// next pages keep arriving while a page is decoded, and a decoder slower
/// than the server holds at most this many pages' bytes.
const PAGES_AHEAD: usize = 2;

/// A list's pages, asked for one after another from `params` on, each as
/// soon as the start of the one before it holds its token, whatever the
/// decoding of earlier pages is doing. The pages come out in order, each
/// with what its start said of the next; the chain ends after a page that
/// names no next one (or does not say), and stops when the receiver is
/// dropped.
pub(super) fn chain(
    reader: Reader,
    url: String,
    mut params: ListParams,
    progress: Arc<Progress>,
) -> Chain {
    let (pages, out) = mpsc::channel(PAGES_AHEAD);
    let asking = tokio::spawn(async move {
        loop {
            let mut asked = Asked::spawn(
                reader.clone(),
                url.clone(),
                params.clone(),
                progress.clone(),
            );
            let next = asked.head().await;
            let token = match &next {
                Next::Page(token) => Some(token.clone()),
                Next::Last | Next::Unknown => None,
            };
            if pages.send((asked, next)).await.is_err() {
                return;
            }
            match token {
                Some(token) => params = params.continue_token(&token),
                None => return,
            }
        }
    });
    Chain { asking, out }
}

/// The pages of [`chain`], in order. Dropped, it stops asking, and the
/// pages asked for and not yet read are dropped with it.
pub(super) struct Chain {
    asking: JoinHandle<()>,
    out: mpsc::Receiver<(Asked, Next)>,
}

impl Chain {
    /// The next page and what its start said of the one after it; `None`
    /// after the last.
    pub(super) async fn next(&mut self) -> Option<(Asked, Next)> {
        self.out.recv().await
    }
}

impl Drop for Chain {
    fn drop(&mut self) {
        self.asking.abort();
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
/// `items`, which then came first); `None` when `body` ends before either
/// (more of the page is needed to say). Only the keys before `metadata` and
/// `metadata` itself are parsed.
pub(super) fn next_page(body: &[u8]) -> Option<Next> {
    let mut found = Next::Unknown;
    let mut de = serde_json::Deserializer::from_slice(body);
    // Reading stops as soon as the answer is known, which serde_json reports
    // as an error (the object was not read to its end); `found` holds what
    // was read by then.
    match (&mut de).deserialize_map(Head { found: &mut found }) {
        Err(e) if e.is_eof() => None,
        _ => Some(found),
    }
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

    fn next(text: &str) -> Option<Next> {
        next_page(text.as_bytes())
    }

    /// A page as the API server writes it: kind, apiVersion, metadata,
    /// items.
    fn page(meta: &str) -> String {
        format!(
            r#"{{"kind":"PodList","apiVersion":"v1","metadata":{meta},"items":[{{"metadata":{{"name":"a"}}}}]}}"#
        )
    }

    /// Pages as the API server writes them, and the shapes where the token
    /// cannot be read ahead.
    #[test]
    fn the_token_is_read_from_the_start_of_the_page() {
        assert_eq!(
            next(&page(
                r#"{"resourceVersion":"7","continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ","remainingItemCount":9}"#
            )),
            Some(Next::Page("eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ".into()))
        );
        assert_eq!(next(&page(r#"{"resourceVersion":"7"}"#)), Some(Next::Last));
        assert_eq!(next(&page(r#"{"continue":""}"#)), Some(Next::Last));
        // Items first: the token is read when the page is decoded.
        assert_eq!(
            next(r#"{"items":[],"metadata":{"continue":"x"}}"#),
            Some(Next::Unknown)
        );
        // Not a list at all.
        assert_eq!(next("[1,2]"), Some(Next::Unknown));
        assert_eq!(next("<html>"), Some(Next::Unknown));
        // Cut short after metadata: the token is known; the decoding of the
        // page reports the cut.
        assert_eq!(
            next(r#"{"metadata":{"continue":"x"},"items":[{"#),
            Some(Next::Page("x".into()))
        );
    }

    /// The page arrives in pieces: until its `metadata` is whole, more is
    /// needed; from then on every longer start says the same.
    #[test]
    fn a_start_too_short_to_say_asks_for_more() {
        let whole = page(r#"{"resourceVersion":"7","continue":"tok"}"#);
        let end_of_meta = whole.find(r#""items""#).unwrap();
        for cut in 0..whole.len() {
            let said = next(&whole[..cut]);
            if cut < end_of_meta - 1 {
                assert_eq!(said, None, "{}", &whole[..cut]);
            } else {
                assert_eq!(said, Some(Next::Page("tok".into())), "{}", &whole[..cut]);
            }
        }
        // Items first is known from the key alone.
        assert_eq!(next(r#"{"items":[{"metadata""#), Some(Next::Unknown));
        assert_eq!(next(r#"{"kind":"PodList","apiVers"#), None);
        assert_eq!(next(""), None);
    }

    /// The token is read ahead without parsing the items: a page whose
    /// items are not even JSON still gives its token.
    #[test]
    fn the_items_are_not_parsed() {
        assert_eq!(
            next(r#"{"metadata":{"continue":"t"},"items":[not json at all"#),
            Some(Next::Page("t".into()))
        );
    }
}
