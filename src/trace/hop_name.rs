//! The name a hop shows: what it is called, or, for a hop with no name of
//! its own, which of the few stand-ins it is. Typed, so that what a
//! renderer does with a load balancer without an address or a group of
//! nodes follows the analysis, not the words; written as the `name` strings
//! of docs/json.md (`## trace`, `hops[]`).

use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum HopName {
    /// A node, pod, workload (`Deployment/x`), container, DNS name, route,
    /// Gateway or listener, as named.
    Named(String),
    /// `pending`: a load balancer the cluster has given no address yet.
    Pending,
    /// `not yet assigned`: a load balancer of a manifest, not created yet.
    NotYetAssigned,
    /// `requested address`: an address asked for that the load balancer did
    /// not get.
    RequestedAddress,
    /// `every node`: the node layer when no Nodes were read.
    EveryNode,
    /// `N other nodes`: nodes that behave alike, folded into one hop.
    OtherNodes(usize),
}

impl HopName {
    /// The name as written.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            HopName::Named(n) => Cow::Borrowed(n),
            HopName::Pending => Cow::Borrowed("pending"),
            HopName::NotYetAssigned => Cow::Borrowed("not yet assigned"),
            HopName::RequestedAddress => Cow::Borrowed("requested address"),
            HopName::EveryNode => Cow::Borrowed("every node"),
            HopName::OtherNodes(n) => Cow::Owned(format!("{n} other nodes")),
        }
    }
}

impl fmt::Display for HopName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl Serialize for HopName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

impl From<String> for HopName {
    fn from(name: String) -> Self {
        HopName::Named(name)
    }
}

impl From<&str> for HopName {
    fn from(name: &str) -> Self {
        HopName::Named(name.to_string())
    }
}

impl From<&String> for HopName {
    fn from(name: &String) -> Self {
        HopName::Named(name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stand-in names docs/json.md lists for `hops[].name`.
    #[test]
    fn stand_ins_are_written_as_docs_json_says() {
        let doc = include_str!("../../docs/json.md");
        let line = doc
            .lines()
            .find(|l| l.starts_with("| `name?` | string | node, pod, workload"))
            .expect("docs/json.md describes hop names");
        for (name, text) in [
            (HopName::Pending, "`pending`"),
            (HopName::NotYetAssigned, "`not yet assigned`"),
            (HopName::RequestedAddress, "`requested address`"),
            (HopName::EveryNode, "`every node`"),
        ] {
            assert!(line.contains(text), "{text}");
            assert_eq!(
                serde_json::to_value(&name).unwrap(),
                serde_json::Value::String(text.trim_matches('`').into())
            );
        }
        assert!(line.contains("`N other nodes`"));
        assert_eq!(HopName::OtherNodes(37).to_string(), "37 other nodes");
        assert_eq!(
            serde_json::to_value(HopName::from("node-a")).unwrap(),
            serde_json::Value::String("node-a".into())
        );
    }
}
