//! The id of a hop within its path: typed, so that the analysis that links
//! hops (`next`) and the renderers that follow the links or group the ways in
//! read one grammar instead of each building and taking apart strings. It is
//! written as the `id` and `next` strings of docs/json.md (`## trace`,
//! `hops[]`), unchanged since schema 3.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Which hop of a path. `K` numbers the ways in that routes give a Service
/// port (one chain per route entry); other numbers are positions in the
/// Service's own lists.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HopId {
    /// `gw:NS/NAME:PORT` (`-` without a port): a Gateway's address, shared
    /// by every chain through it.
    Gateway { gateway: String, port: Option<i32> },
    /// `gwK:NS/NAME:-`: a parent Gateway of chain `K` that was not read.
    UnreadGateway { chain: usize, gateway: String },
    /// `lsK:NS/NAME:LISTENER` (`-` when no listener admits the route).
    Listener {
        chain: usize,
        gateway: String,
        listener: Option<String>,
    },
    /// `rtK`: the route rule (or Ingress rule) of chain `K`.
    Route(usize),
    /// `brK`: the backendRef of chain `K`.
    BackendRef(usize),
    /// `icK`: the Ingress controller of chain `K`.
    IngressController(usize),
    /// `ilbK.J`: the `J`th address of the load balancer in front of chain
    /// `K`'s Ingress controller.
    IngressLoadBalancer { chain: usize, index: usize },
    /// `lbI`: the Service's load balancer, its `I`th ingress address.
    LoadBalancer(usize),
    /// `eipI`: the Service's `I`th externalIP.
    ExternalIp(usize),
    /// `node:NAME`: one node.
    Node(String),
    /// `node:all`: every node, when no Nodes were read.
    AllNodes,
    /// `node:others`: the nodes folded into one hop.
    OtherNodes,
    /// `cluster-ip`.
    ClusterIp,
    /// `dns`: a headless Service's name.
    Dns,
    /// `external-name`.
    ExternalName,
    /// `endpoints`: the endpoint set of the port.
    Endpoints,
    /// `epI`: the Service's `I`th backend.
    Endpoint(usize),
    /// `ctrI`: the container port of backend `I`.
    Container(usize),
}

impl HopId {
    /// The route chain a hop belongs to: `Some(Some(K))` for chain `K`,
    /// `Some(None)` for a Gateway hop that several chains share, `None` for
    /// the Service's own layers.
    pub(crate) fn chain(&self) -> Option<Option<usize>> {
        match *self {
            HopId::Gateway { .. } => Some(None),
            HopId::UnreadGateway { chain, .. }
            | HopId::Listener { chain, .. }
            | HopId::IngressLoadBalancer { chain, .. }
            | HopId::Route(chain)
            | HopId::BackendRef(chain)
            | HopId::IngressController(chain) => Some(Some(chain)),
            _ => None,
        }
    }
}

/// Writes `-` for an absent part, as the ids have always done.
fn or_dash<T: fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

impl fmt::Display for HopId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HopId::Gateway { gateway, port } => write!(f, "gw:{gateway}:{}", or_dash(*port)),
            HopId::UnreadGateway { chain, gateway } => write!(f, "gw{chain}:{gateway}:-"),
            HopId::Listener {
                chain,
                gateway,
                listener,
            } => write!(f, "ls{chain}:{gateway}:{}", or_dash(listener.as_ref())),
            HopId::Route(k) => write!(f, "rt{k}"),
            HopId::BackendRef(k) => write!(f, "br{k}"),
            HopId::IngressController(k) => write!(f, "ic{k}"),
            HopId::IngressLoadBalancer { chain, index } => write!(f, "ilb{chain}.{index}"),
            HopId::LoadBalancer(i) => write!(f, "lb{i}"),
            HopId::ExternalIp(i) => write!(f, "eip{i}"),
            HopId::Node(name) => write!(f, "node:{name}"),
            HopId::AllNodes => f.write_str("node:all"),
            HopId::OtherNodes => f.write_str("node:others"),
            HopId::ClusterIp => f.write_str("cluster-ip"),
            HopId::Dns => f.write_str("dns"),
            HopId::ExternalName => f.write_str("external-name"),
            HopId::Endpoints => f.write_str("endpoints"),
            HopId::Endpoint(i) => write!(f, "ep{i}"),
            HopId::Container(i) => write!(f, "ctr{i}"),
        }
    }
}

impl Serialize for HopId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A string that is no hop id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadHopId(pub String);

impl fmt::Display for BadHopId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a hop id", self.0)
    }
}

impl std::error::Error for BadHopId {}

/// Reads an id as a script would find it in `-o json`. `node:all` and
/// `node:others` read as the groups: a node named `all` or `others` writes
/// the same id as they do (its path then has only one of them).
impl FromStr for HopId {
    type Err = BadHopId;

    fn from_str(s: &str) -> Result<Self, BadHopId> {
        let bad = || BadHopId(s.to_string());
        let number = |t: &str| -> Result<usize, BadHopId> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            t.parse().map_err(|_| bad())
        };
        // `NS/NAME:LAST` after a prefix; LAST `-` is none.
        let tail = |t: &str| -> Result<(String, Option<String>), BadHopId> {
            let (gateway, last) = t.rsplit_once(':').ok_or_else(bad)?;
            if gateway.is_empty() || last.is_empty() {
                return Err(bad());
            }
            Ok((gateway.to_string(), (last != "-").then(|| last.to_string())))
        };
        // `K:REST` after a prefix.
        let chained = |t: &str| -> Result<(usize, (String, Option<String>)), BadHopId> {
            let (k, rest) = t.split_once(':').ok_or_else(bad)?;
            Ok((number(k)?, tail(rest)?))
        };
        Ok(match s {
            "node:all" => HopId::AllNodes,
            "node:others" => HopId::OtherNodes,
            "cluster-ip" => HopId::ClusterIp,
            "dns" => HopId::Dns,
            "external-name" => HopId::ExternalName,
            "endpoints" => HopId::Endpoints,
            _ => {
                if let Some(t) = s.strip_prefix("gw:") {
                    let (gateway, port) = tail(t)?;
                    let port = match port {
                        Some(p) => Some(p.parse().map_err(|_| bad())?),
                        None => None,
                    };
                    HopId::Gateway { gateway, port }
                } else if let Some(t) = s.strip_prefix("gw") {
                    match chained(t)? {
                        (chain, (gateway, None)) => HopId::UnreadGateway { chain, gateway },
                        _ => return Err(bad()),
                    }
                } else if let Some(t) = s.strip_prefix("ls") {
                    let (chain, (gateway, listener)) = chained(t)?;
                    HopId::Listener {
                        chain,
                        gateway,
                        listener,
                    }
                } else if let Some(t) = s.strip_prefix("node:") {
                    if t.is_empty() {
                        return Err(bad());
                    }
                    HopId::Node(t.to_string())
                } else if let Some(t) = s.strip_prefix("ilb") {
                    let (k, j) = t.split_once('.').ok_or_else(bad)?;
                    HopId::IngressLoadBalancer {
                        chain: number(k)?,
                        index: number(j)?,
                    }
                } else if let Some(t) = s.strip_prefix("rt") {
                    HopId::Route(number(t)?)
                } else if let Some(t) = s.strip_prefix("br") {
                    HopId::BackendRef(number(t)?)
                } else if let Some(t) = s.strip_prefix("ic") {
                    HopId::IngressController(number(t)?)
                } else if let Some(t) = s.strip_prefix("lb") {
                    HopId::LoadBalancer(number(t)?)
                } else if let Some(t) = s.strip_prefix("eip") {
                    HopId::ExternalIp(number(t)?)
                } else if let Some(t) = s.strip_prefix("ep") {
                    HopId::Endpoint(number(t)?)
                } else if let Some(t) = s.strip_prefix("ctr") {
                    HopId::Container(number(t)?)
                } else {
                    return Err(bad());
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form docs/json.md lists for `hops[].id`, written as it says and
    /// read back to the same hop.
    #[test]
    fn ids_are_written_as_docs_json_says_and_read_back() {
        let cases = [
            (
                HopId::Gateway {
                    gateway: "infra/public".into(),
                    port: Some(443),
                },
                "gw:infra/public:443",
            ),
            (
                HopId::Gateway {
                    gateway: "infra/public".into(),
                    port: None,
                },
                "gw:infra/public:-",
            ),
            (
                HopId::UnreadGateway {
                    chain: 1,
                    gateway: "infra/gone".into(),
                },
                "gw1:infra/gone:-",
            ),
            (
                HopId::Listener {
                    chain: 2,
                    gateway: "infra/public".into(),
                    listener: Some("https".into()),
                },
                "ls2:infra/public:https",
            ),
            (
                HopId::Listener {
                    chain: 0,
                    gateway: "infra/public".into(),
                    listener: None,
                },
                "ls0:infra/public:-",
            ),
            (HopId::Route(3), "rt3"),
            (HopId::BackendRef(3), "br3"),
            (HopId::IngressController(0), "ic0"),
            (HopId::IngressLoadBalancer { chain: 2, index: 0 }, "ilb2.0"),
            (HopId::LoadBalancer(0), "lb0"),
            (HopId::ExternalIp(1), "eip1"),
            (HopId::Node("node-a".into()), "node:node-a"),
            (HopId::AllNodes, "node:all"),
            (HopId::OtherNodes, "node:others"),
            (HopId::ClusterIp, "cluster-ip"),
            (HopId::Dns, "dns"),
            (HopId::ExternalName, "external-name"),
            (HopId::Endpoints, "endpoints"),
            (HopId::Endpoint(12), "ep12"),
            (HopId::Container(12), "ctr12"),
        ];
        for (id, text) in cases {
            assert_eq!(id.to_string(), text);
            assert_eq!(
                serde_json::to_value(&id).unwrap(),
                serde_json::Value::String(text.into())
            );
            assert_eq!(text.parse::<HopId>(), Ok(id), "{text}");
        }
    }

    #[test]
    fn strings_that_are_no_id_are_refused() {
        for text in [
            "",
            "lb",
            "lbx",
            "ep-1",
            "ilb2",
            "ilb.0",
            "gw:infra",
            "ls:infra/x:y",
            "gw1:infra/x:80",
            "node:",
            "route0",
            "rt1a",
        ] {
            assert_eq!(
                text.parse::<HopId>(),
                Err(BadHopId(text.to_string())),
                "{text}"
            );
        }
    }

    #[test]
    fn chains_are_the_numbers_the_ids_carry() {
        assert_eq!(HopId::Route(2).chain(), Some(Some(2)));
        assert_eq!(
            HopId::IngressLoadBalancer { chain: 4, index: 1 }.chain(),
            Some(Some(4))
        );
        assert_eq!(
            HopId::Gateway {
                gateway: "a/b".into(),
                port: None
            }
            .chain(),
            Some(None)
        );
        assert_eq!(HopId::LoadBalancer(0).chain(), None);
        assert_eq!(HopId::Endpoint(0).chain(), None);
    }
}
