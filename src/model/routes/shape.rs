//! One shape for every Gateway API route kind. HTTPRoute, GRPCRoute,
//! TLSRoute, TCPRoute and UDPRoute share their field names (`parentRefs`,
//! `hostnames`, `rules[].backendRefs`, `status.parents`), but the typed
//! crate gives each kind its own structs; reading them through their JSON
//! into this shape lets attachment be written once. Also: how matches and
//! filters are said in plain words.

use super::super::finding::{Code, Finding};
use super::super::{Located, Origin};
use crate::model::routes::l4::{TcpRoute, UdpRoute};
use gateway_api::apis::standard::{
    grpcroutes::GrpcRoute, httproutes::HttpRoute, tlsroutes::TlsRoute,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The Gateway API group: the default group of parentRefs and route kinds.
pub(crate) const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

/// The route kinds svcx reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RouteKind {
    #[serde(rename = "HTTPRoute")]
    Http,
    #[serde(rename = "GRPCRoute")]
    Grpc,
    #[serde(rename = "TLSRoute")]
    Tls,
    #[serde(rename = "TCPRoute")]
    Tcp,
    #[serde(rename = "UDPRoute")]
    Udp,
}

/// What sends a Service its traffic in a [`ServiceRoute`](super::ServiceRoute):
/// a route rule of a Gateway API kind, or an Ingress path. Written as the
/// kind: `HTTPRoute` ... `UDPRoute`, `Ingress`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ServiceRouteKind {
    Route(RouteKind),
    Ingress,
}

impl ServiceRouteKind {
    /// The kind as the API names it: `HTTPRoute`, `Ingress`.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            ServiceRouteKind::Route(k) => k.kind(),
            ServiceRouteKind::Ingress => "Ingress",
        }
    }

    /// What one of its rules carries to the Service: TCP and TLS routes
    /// forward connections, UDP routes datagrams, the others requests.
    pub(crate) fn carries(self) -> &'static str {
        match self {
            ServiceRouteKind::Route(RouteKind::Tcp | RouteKind::Tls) => "connections",
            ServiceRouteKind::Route(RouteKind::Udp) => "datagrams",
            ServiceRouteKind::Route(RouteKind::Http | RouteKind::Grpc)
            | ServiceRouteKind::Ingress => "requests",
        }
    }
}

impl std::fmt::Display for ServiceRouteKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind())
    }
}

impl Serialize for ServiceRouteKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.kind())
    }
}

/// The kind a route's parentRef names (`Gateway` when it names none). Only
/// a Gateway API Gateway is followed; any other kind (a Service for a
/// mesh, a ListenerSet, a `Gateway` of another API group) is kept as
/// written. Written as the kind, with its group when that is neither the
/// core group nor Gateway API's (`Gateway.example.com`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParentKind {
    Gateway,
    Other(String),
}

impl ParentKind {
    /// The parent kind named `group` and `kind`.
    pub(crate) fn of(group: &str, kind: &str) -> ParentKind {
        match (group, kind) {
            (GATEWAY_GROUP, "Gateway") => ParentKind::Gateway,
            ("" | GATEWAY_GROUP, other) => ParentKind::Other(other.to_string()),
            (group, other) => ParentKind::Other(format!("{other}.{group}")),
        }
    }

    /// The kind as written: `Gateway`, `Service`.
    pub(crate) fn kind(&self) -> &str {
        match self {
            ParentKind::Gateway => "Gateway",
            ParentKind::Other(k) => k,
        }
    }
}

impl std::fmt::Display for ParentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind())
    }
}

impl Serialize for ParentKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.kind())
    }
}

impl RouteKind {
    /// The kind as the API names it: `HTTPRoute`.
    pub fn kind(self) -> &'static str {
        match self {
            RouteKind::Http => "HTTPRoute",
            RouteKind::Grpc => "GRPCRoute",
            RouteKind::Tls => "TLSRoute",
            RouteKind::Tcp => "TCPRoute",
            RouteKind::Udp => "UDPRoute",
        }
    }

    /// The kind named by `kind`, in any case.
    pub(crate) fn parse(kind: &str) -> Option<RouteKind> {
        [
            RouteKind::Http,
            RouteKind::Grpc,
            RouteKind::Tls,
            RouteKind::Tcp,
            RouteKind::Udp,
        ]
        .into_iter()
        .find(|k| k.kind().eq_ignore_ascii_case(kind))
    }

    /// Whether routes of this kind carry hostnames (HTTP, gRPC, TLS SNI).
    pub(crate) fn has_hostnames(self) -> bool {
        matches!(self, RouteKind::Http | RouteKind::Grpc | RouteKind::Tls)
    }

    /// What the implementation does with the share of traffic a rule sends to
    /// a backendRef that does not resolve, as each route kind's
    /// `backendRefs` documentation says (kubernetes-sigs/gateway-api
    /// `apis/v1/*route_types.go`): HTTP 500; gRPC status UNAVAILABLE; TLS
    /// and TCP connections rejected; UDP packets dropped.
    pub(crate) fn invalid_backend_answer(self) -> &'static str {
        match self {
            RouteKind::Http => "answers 500 to the share of requests sent to it",
            RouteKind::Grpc => "answers gRPC status UNAVAILABLE to the requests sent to it",
            RouteKind::Tls | RouteKind::Tcp => "rejects the share of connections sent to it",
            RouteKind::Udp => "drops the share of packets sent to it",
        }
    }
}

/// A typed route of any kind, as the snapshot holds it, so that findings
/// point at the typed object.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RouteObject<'s> {
    Http(&'s Located<HttpRoute>),
    Grpc(&'s Located<GrpcRoute>),
    Tls(&'s Located<TlsRoute>),
    Tcp(&'s Located<TcpRoute>),
    Udp(&'s Located<UdpRoute>),
}

impl<'s> RouteObject<'s> {
    pub(super) fn kind(self) -> RouteKind {
        match self {
            RouteObject::Http(_) => RouteKind::Http,
            RouteObject::Grpc(_) => RouteKind::Grpc,
            RouteObject::Tls(_) => RouteKind::Tls,
            RouteObject::Tcp(_) => RouteKind::Tcp,
            RouteObject::Udp(_) => RouteKind::Udp,
        }
    }

    /// A finding about this route at `field`.
    pub(super) fn finding(self, code: Code, field: &str, message: String) -> Finding {
        match self {
            RouteObject::Http(o) => Finding::new(code, o, field, message),
            RouteObject::Grpc(o) => Finding::new(code, o, field, message),
            RouteObject::Tls(o) => Finding::new(code, o, field, message),
            RouteObject::Tcp(o) => Finding::new(code, o, field, message),
            RouteObject::Udp(o) => Finding::new(code, o, field, message),
        }
    }

    pub(super) fn origin(self) -> &'s Origin {
        match self {
            RouteObject::Http(o) => &o.origin,
            RouteObject::Grpc(o) => &o.origin,
            RouteObject::Tls(o) => &o.origin,
            RouteObject::Tcp(o) => &o.origin,
            RouteObject::Udp(o) => &o.origin,
        }
    }

    /// The route in the common shape. A route that does not serialise (it
    /// always does: it was deserialised from JSON) reads as empty.
    pub(super) fn shape(self) -> RouteShape {
        let value = match self {
            RouteObject::Http(o) => serde_json::to_value(&o.object),
            RouteObject::Grpc(o) => serde_json::to_value(&o.object),
            RouteObject::Tls(o) => serde_json::to_value(&o.object),
            RouteObject::Tcp(o) => serde_json::to_value(&o.object),
            RouteObject::Udp(o) => serde_json::to_value(&o.object),
        };
        value
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
    }
}

/// What svcx reads of any route.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RouteShape {
    pub(crate) metadata: Meta,
    pub(crate) spec: SpecShape,
    pub(crate) status: Option<StatusShape>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Meta {
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    pub(crate) generation: Option<i64>,
    pub(crate) creation_timestamp: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct SpecShape {
    pub(crate) parent_refs: Vec<ParentRefShape>,
    pub(crate) hostnames: Vec<String>,
    pub(crate) rules: Vec<RuleShape>,
}

/// A parentRef, also as `status.parents[].parentRef` repeats it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct ParentRefShape {
    pub(crate) group: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    pub(crate) section_name: Option<String>,
    pub(crate) port: Option<i32>,
}

impl ParentRefShape {
    /// `(group, kind)` with the API's defaults (a Gateway).
    pub(crate) fn group_kind(&self) -> (&str, &str) {
        (
            self.group.as_deref().unwrap_or(GATEWAY_GROUP),
            self.kind.as_deref().unwrap_or("Gateway"),
        )
    }

    /// Whether two references name the same parent section, the route's
    /// namespace standing in for an unset one.
    pub(crate) fn same_as(&self, other: &ParentRefShape, route_namespace: &str) -> bool {
        let ns = |p: &ParentRefShape| p.namespace.clone().unwrap_or(route_namespace.to_string());
        self.group_kind() == other.group_kind()
            && self.name == other.name
            && ns(self) == ns(other)
            && self.section_name == other.section_name
            && self.port == other.port
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RuleShape {
    pub(crate) name: Option<String>,
    pub(crate) matches: Vec<Value>,
    pub(crate) filters: Vec<Value>,
    pub(crate) backend_refs: Vec<BackendRefShape>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct BackendRefShape {
    pub(crate) group: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    pub(crate) port: Option<i32>,
    pub(crate) weight: Option<i32>,
    pub(crate) filters: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct StatusShape {
    pub(crate) parents: Vec<StatusParentShape>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct StatusParentShape {
    pub(crate) parent_ref: ParentRefShape,
    pub(crate) controller_name: String,
    pub(crate) conditions: Vec<Condition>,
}

/// One rule's matches in plain words, one string per match (the matches of
/// a rule are ORed, the conditions within one match ANDed).
pub(super) fn match_texts(kind: RouteKind, matches: &[Value]) -> Vec<String> {
    if matches.is_empty() {
        return match kind {
            // The API's default match: every path.
            RouteKind::Http => vec!["PathPrefix /".to_string()],
            RouteKind::Grpc => vec!["any method".to_string()],
            _ => Vec::new(),
        };
    }
    matches.iter().map(|m| match_text(kind, m)).collect()
}

fn match_text(kind: RouteKind, m: &Value) -> String {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let mut parts = Vec::new();
    match kind {
        RouteKind::Grpc => {
            if let Some(method) = m.get("method") {
                let service = s(method.get("service"));
                let name = s(method.get("method"));
                let regex = method.get("type").and_then(Value::as_str) == Some("RegularExpression");
                parts.push(format!(
                    "method {}{}/{}",
                    if regex { "~" } else { "" },
                    if service.is_empty() { "*" } else { &service },
                    if name.is_empty() { "*" } else { &name }
                ));
            }
        }
        _ => {
            let (path_type, value) = match_path(m);
            parts.push(format!("{path_type} {value}"));
            if let Some(method) = m.get("method").and_then(Value::as_str) {
                parts.push(format!("method {method}"));
            }
        }
    }
    for (field, word) in [("headers", "header"), ("queryParams", "query")] {
        for h in m.get(field).and_then(Value::as_array).into_iter().flatten() {
            let op = if h.get("type").and_then(Value::as_str) == Some("RegularExpression") {
                "~"
            } else {
                "="
            };
            parts.push(format!(
                "{word} {}{op}{}",
                s(h.get("name")),
                s(h.get("value"))
            ));
        }
    }
    if parts.is_empty() {
        "any request".to_string()
    } else {
        parts.join(", ")
    }
}

/// The types of a list of filters (`RequestRedirect`, `URLRewrite`...).
/// An HTTPRoute match's path type and value (PathPrefix `/` when it names
/// none, the API's default).
pub(crate) fn match_path(m: &Value) -> (&str, &str) {
    let p = m.get("path");
    let kind = p
        .and_then(|p| p.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("PathPrefix");
    let value = p
        .and_then(|p| p.get("value"))
        .and_then(Value::as_str)
        .unwrap_or("/");
    (kind, value)
}

pub(super) fn filter_names(filters: &[Value]) -> Vec<String> {
    filters
        .iter()
        .map(|f| {
            if is_external_auth(f) {
                return EXTERNAL_AUTH.to_string();
            }
            f.get("type")
                .and_then(Value::as_str)
                .unwrap_or("unnamed filter")
                .to_string()
        })
        .collect()
}

/// HTTPRoute's `ExternalAuth` filter, in the experimental channel from
/// Gateway API v1.3 (GEP-1494; the v1.6.1 experimental CRD's filter types
/// end with it). It is the one filter type of the CRDs that the typed
/// crate, standard channel only, lacks: a route using it would not be
/// read at all, though its requests go on to its backends once the
/// authorization service allows them.
const EXTERNAL_AUTH: &str = "ExternalAuth";

/// An HTTPRoute's JSON with each `ExternalAuth` filter (of its rules and
/// of their backendRefs) folded into the `ExtensionRef` shape the crate
/// knows, naming kind `ExternalAuth` in the Gateway API's own group, where
/// no extension lives: [`filter_names`] says it by its own name again.
/// What the filter configures (its authorization service) is not read.
pub(crate) fn fold_external_auth(mut route: Value) -> Value {
    let Some(rules) = route
        .pointer_mut("/spec/rules")
        .and_then(Value::as_array_mut)
    else {
        return route;
    };
    let fold = |filters: Option<&mut Value>| {
        for f in filters.and_then(Value::as_array_mut).into_iter().flatten() {
            if f.get("type").and_then(Value::as_str) == Some(EXTERNAL_AUTH) {
                *f = serde_json::json!({
                    "type": "ExtensionRef",
                    "extensionRef": {"group": GATEWAY_GROUP, "kind": EXTERNAL_AUTH, "name": "external-auth"},
                });
            }
        }
    };
    for rule in rules {
        if let Some(backends) = rule.get_mut("backendRefs").and_then(Value::as_array_mut) {
            for b in backends {
                fold(b.get_mut("filters"));
            }
        }
        fold(rule.get_mut("filters"));
    }
    route
}

/// Whether a filter is an `ExternalAuth` folded by [`fold_external_auth`].
fn is_external_auth(f: &Value) -> bool {
    f.get("type").and_then(Value::as_str) == Some("ExtensionRef")
        && f.pointer("/extensionRef/group").and_then(Value::as_str) == Some(GATEWAY_GROUP)
        && f.pointer("/extensionRef/kind").and_then(Value::as_str) == Some(EXTERNAL_AUTH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_in_plain_words() {
        assert_eq!(match_texts(RouteKind::Http, &[]), ["PathPrefix /"]);
        assert_eq!(
            match_texts(
                RouteKind::Http,
                &[
                    json!({"path": {"type": "Exact", "value": "/login"}, "method": "GET",
                          "headers": [{"name": "magic", "value": "foo"}]})
                ]
            ),
            ["Exact /login, method GET, header magic=foo"]
        );
        assert_eq!(
            match_texts(
                RouteKind::Grpc,
                &[json!({"method": {"service": "shop.v1.Cart"}})]
            ),
            ["method shop.v1.Cart/*"]
        );
        assert!(match_texts(RouteKind::Tcp, &[]).is_empty());
    }

    /// docs/json.md's `routes[].kind` values, in its order, are what the
    /// kinds of a Service's routes are written as.
    #[test]
    fn route_kinds_are_written_as_docs_json_lists_them() {
        let doc = include_str!("../../../docs/json.md");
        let line = doc
            .lines()
            .find(|l| l.starts_with("| `kind` | `HTTPRoute`"))
            .expect("docs/json.md lists the route kinds");
        let documented: Vec<&str> = line.split('`').skip(3).step_by(2).collect();
        let written: Vec<String> = [
            ServiceRouteKind::Route(RouteKind::Http),
            ServiceRouteKind::Route(RouteKind::Grpc),
            ServiceRouteKind::Route(RouteKind::Tls),
            ServiceRouteKind::Route(RouteKind::Tcp),
            ServiceRouteKind::Route(RouteKind::Udp),
            ServiceRouteKind::Ingress,
        ]
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
        assert_eq!(written, documented);
    }

    #[test]
    fn parent_kinds_are_written_as_named() {
        for (group, kind) in [
            (GATEWAY_GROUP, "Gateway"),
            ("", "Service"),
            (GATEWAY_GROUP, "ListenerSet"),
        ] {
            let parsed = ParentKind::of(group, kind);
            assert_eq!(parsed == ParentKind::Gateway, kind == "Gateway");
            assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(kind));
        }
        // Another API's Gateway is not Gateway API's.
        let foreign = ParentKind::of("networking.istio.io", "Gateway");
        assert_ne!(foreign, ParentKind::Gateway);
        assert_eq!(foreign.kind(), "Gateway.networking.istio.io");
    }
}
