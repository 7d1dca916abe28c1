//! Gateways and their listeners as the Gateway API defines them: addresses
//! (assigned in `status.addresses`, pending, or not created yet), and for
//! each listener what it admits (`allowedRoutes`: namespaces `from: Same`
//! by default, `All` or `Selector`; kinds, by default those of its
//! protocol) and which hostnames it serves.
//!
//! Sources: `gateway-api` 0.22 `gateways.rs` (the spec's own doc comments:
//! "Namespaces indicates namespaces from which Routes may be attached to
//! this Listener. This is restricted to the namespace of this Gateway by
//! default"; "When unspecified or empty, the kinds of Routes selected are
//! determined using the Listener protocol"), and the CRD's CEL rules
//! (../shared/gateway-api-crds: no hostname on TCP/UDP listeners; `tls.mode`
//! defaults to `Terminate`, a default the API server applies before it
//! validates). Which route kinds a TLS listener in Terminate mode carries is
//! the implementation's choice where the Gateway does not say: Gateway API's
//! route summary table (site/content/en/docs/concepts/api-overview.md at
//! kubernetes-sigs/gateway-api 4564255) gives TCPRoute "Passthrough or
//! Terminated" listener TLS, and Envoy Gateway admits TCPRoute and TLSRoute
//! there (envoyproxy/gateway d32f282 `internal/gatewayapi/listener.go`,
//! "Terminate mode or unspecified defaults to accept both TCP and TLS
//! routes").

use super::super::finding::{Code, Finding, Severity};
use super::super::selector::label_selector_text as selector_text;
use super::super::view::source_is_cluster;
use super::super::{Located, Origin, Snapshot};
use super::hostnames::intersect;
use super::shape::{GATEWAY_GROUP, RouteKind};
use gateway_api::apis::standard::gateways::{
    Gateway, GatewayListeners, GatewayListenersAllowedRoutesNamespacesFrom as From,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::ResourceExt;
use serde::Serialize;

pub(crate) use super::super::namespaces::NAMESPACE_NAME_LABEL;
pub(super) use super::super::namespaces::NamespaceLabels;

/// Whether a Gateway has addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressState {
    /// `status.addresses` lists addresses.
    Assigned,
    /// The Gateway exists, but its controller has assigned no address yet.
    Pending,
    /// Its controller says it is Programmed, but reports no address: where
    /// clients connect is up to the implementation (a NodePort, DNS...).
    Unreported,
    /// A manifest without status: not created yet, so neither.
    NotCreated,
}

/// A Gateway's addresses.
#[derive(Clone, Debug, Serialize)]
pub struct GatewayAddresses {
    pub state: AddressState,
    /// From `status.addresses`: where clients connect.
    pub assigned: Vec<String>,
    /// From `spec.addresses`: what was asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) requested: Vec<String>,
}

/// Where a listener admits routes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AllowedFrom {
    /// The Gateway's own namespace (the default).
    Same,
    All,
    /// Namespaces whose labels match a selector.
    Selector,
}

/// What a listener admits.
#[derive(Clone, Debug, Serialize)]
pub struct AllowedRoutes {
    pub from: AllowedFrom,
    /// The namespace selector, as `k=v,k2 in (a,b)`, for `from: Selector`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// The route kinds it admits: `allowedRoutes.kinds` when set, else those
    /// of its protocol; empty for a protocol svcx does not know.
    pub kinds: Vec<String>,
    /// Whether `kinds` comes from `allowedRoutes.kinds` (else from the protocol).
    pub(crate) kinds_set: bool,
    /// Kinds the protocol can carry that the implementation may or may not
    /// admit when `allowedRoutes.kinds` is not set (TCPRoute on a TLS
    /// listener in Terminate mode, for an implementation svcx does not know).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) kinds_depend: Vec<String>,
    /// `allowedRoutes.kinds` as written (`group/kind`, the group left out
    /// when it is the Gateway API's), for the check of invalid kinds.
    #[serde(skip)]
    pub(crate) written_kinds: Vec<(String, String)>,
}

impl AllowedRoutes {
    /// The kinds admitted, joined with `sep`, then those the implementation
    /// decides on: `TLSRoute (TCPRoute: up to the implementation)`.
    pub(crate) fn kinds_text(&self, sep: &str) -> String {
        let mut text = self.kinds.join(sep);
        if !self.kinds_depend.is_empty() {
            text.push_str(&format!(
                " ({}: up to the implementation)",
                self.kinds_depend.join(sep)
            ));
        }
        text
    }
}

/// A route attached to a listener.
#[derive(Clone, Debug, Serialize)]
pub struct AttachedRoute {
    pub(crate) kind: RouteKind,
    pub(crate) namespace: String,
    pub(crate) name: String,
    /// The hostnames it serves there (empty: any).
    pub(crate) hostnames: Vec<String>,
}

/// One listener.
#[derive(Clone, Debug, Serialize)]
pub struct ListenerFacts {
    pub name: String,
    pub protocol: String,
    pub port: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// `Terminate` or `Passthrough`, for HTTPS and TLS listeners.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tls_mode: Option<String>,
    pub allowed_routes: AllowedRoutes,
    /// Routes svcx finds attached.
    pub attached: Vec<AttachedRoute>,
    /// `status.listeners[].attachedRoutes`, as the controller counts them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) status_attached_routes: Option<i32>,
    /// The ListenerSet (`namespace/name`) that adds this listener to the
    /// Gateway; routes reach it only by naming the ListenerSet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) listener_set: Option<String>,
    /// Why the listener is not accepted, when it conflicts with another on
    /// its port ([`super::listeners`]): it admits no route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) conflicted: Option<String>,
    #[serde(skip)]
    selector: Option<LabelSelector>,
}

impl ListenerFacts {
    /// The namespace its `allowedRoutes` `from: Same` means: the
    /// ListenerSet's for a listener it adds, else the Gateway's.
    pub(crate) fn home<'a>(&'a self, gateway_ns: &'a str) -> &'a str {
        self.listener_set
            .as_deref()
            .and_then(|s| s.split_once('/'))
            .map_or(gateway_ns, |(ns, _)| ns)
    }
}

/// A route that names a Gateway none of whose listeners admit it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RejectedRoute {
    pub(crate) kind: RouteKind,
    pub(crate) namespace: String,
    pub(crate) name: String,
    /// Why (codes SVC502 to SVC505).
    pub(crate) findings: Vec<Finding>,
}

/// One Gateway, its addresses and listeners.
#[derive(Clone, Debug, Serialize)]
pub struct GatewayFacts {
    /// Position in [`Snapshot::gateways`].
    #[serde(skip)]
    pub(crate) index: usize,
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) origin: Origin,
    /// `spec.gatewayClassName`.
    pub(crate) class: String,
    /// The GatewayClass's `controllerName`, when the class was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) controller: Option<String>,
    pub addresses: GatewayAddresses,
    pub listeners: Vec<ListenerFacts>,
    /// Routes that name it and that no listener admits.
    pub(crate) rejected: Vec<RejectedRoute>,
    /// Findings about the Gateway itself (SVC514).
    pub findings: Vec<Finding>,
}

impl GatewayFacts {
    /// `namespace/name`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The listeners that would admit a route of `kind` in `route_ns` with
    /// these hostnames, by the rules routes that exist are read with (kind,
    /// namespace, hostname); one that svcx cannot be sure of (a Namespace's
    /// labels not read) counts, with why.
    pub(crate) fn admitting(
        &self,
        snap: &Snapshot,
        kind: RouteKind,
        route_ns: &str,
        hostnames: &[String],
    ) -> Vec<(&ListenerFacts, Option<String>)> {
        let namespaces = NamespaceLabels::read(snap);
        self.listeners
            .iter()
            .filter_map(|l| {
                match l.admits(
                    kind,
                    route_ns,
                    hostnames,
                    l.home(&self.namespace),
                    &namespaces,
                ) {
                    Admission::Admitted(_) => Some((l, None)),
                    Admission::Unsure(_, doubt) => Some((l, Some(doubt.why))),
                    Admission::Refused(..) => None,
                }
            })
            .collect()
    }
}

/// Whether a listener admits a route, and on which hostnames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Admitted; the hostnames it serves there (empty: any).
    Admitted(Vec<String>),
    /// Admitted as far as svcx can tell, but something could not be
    /// checked (the Namespace's labels were not read) or is the
    /// implementation's choice.
    Unsure(Vec<String>, Doubt),
    /// Refused, with the code of the rule that refuses it and why.
    Refused(Code, String),
}

/// Why an admission is not certain: the finding that says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Doubt {
    pub(crate) code: Code,
    pub(crate) severity: Severity,
    pub(crate) why: String,
}

/// The controller of Envoy Gateway's GatewayClasses.
pub(crate) const ENVOY_GATEWAY_CONTROLLER: &str = "gateway.envoyproxy.io/gatewayclass-controller";

/// The controller of Istio's GatewayClasses.
pub(crate) const ISTIO_CONTROLLER: &str = "istio.io/gateway-controller";

/// The controller of NGINX Gateway Fabric's GatewayClasses.
pub(crate) const NGINX_GATEWAY_FABRIC_CONTROLLER: &str =
    "gateway.nginx.org/nginx-gateway-controller";

/// The controller of Contour's GatewayClasses (its Gateway provisioner's).
pub(crate) const CONTOUR_CONTROLLER: &str = "projectcontour.io/gateway-controller";

/// The controller of kgateway's GatewayClasses.
pub(crate) const KGATEWAY_CONTROLLER: &str = "kgateway.dev/kgateway";

/// The controller of Traefik's Gateway provider's GatewayClasses.
pub(crate) const TRAEFIK_CONTROLLER: &str = "traefik.io/gateway-controller";

/// Implementations that make one Envoy virtual host per route hostname
/// and match a request only within the most specific one that covers its
/// host, so that a path no rule of it matches is a 404 even where a route
/// of a less specific hostname would match it: Envoy Gateway
/// (envoyproxy/gateway d32f282 internal/xds/translator/translator.go, "1:1
/// between IR HTTPRoute Hostname and xDS VirtualHost") and Istio
/// (istio/istio 86c9f01 pilot/pkg/config/kube/gateway/route_collections.go,
/// "Create one VS per hostname with a single hostname"); and NGINX Gateway
/// Fabric, one nginx `server` per route hostname (nginx/nginx-gateway-fabric
/// e55bfe3 internal/controller/state/dataplane/configuration.go, a
/// VirtualServer per `rulesPerHost` entry); Contour, an Envoy virtual
/// host per hostname (projectcontour/contour 31c4bb3
/// internal/dag/gatewayapi_processor.go `EnsureVirtualHost` for the route's
/// own hosts, internal/envoy/v3/route.go `Domains: []string{hostname}`);
/// kgateway, likewise (kgateway-dev/kgateway 06ff8b9, `routesByHost`).
/// Not Traefik: its routers of one entry point are one list, ranked by
/// priority across hostnames.
pub(crate) const VIRTUAL_HOST_PER_HOSTNAME: &[&str] = &[
    ENVOY_GATEWAY_CONTROLLER,
    ISTIO_CONTROLLER,
    NGINX_GATEWAY_FABRIC_CONTROLLER,
    CONTOUR_CONTROLLER,
    KGATEWAY_CONTROLLER,
];

/// Where an implementation ranks a RegularExpression path match, which
/// the specification leaves to it; a longer expression first in both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegexRank {
    /// Below Exact, above every PathPrefix.
    BetweenExactAndPrefix,
    /// Below every Exact and PathPrefix.
    BelowPrefix,
}

/// The implementations whose RegularExpression rank svcx knows: Envoy
/// Gateway (envoyproxy/gateway d32f282 internal/gatewayapi/sort.go, path
/// type then the value's length), Cilium (cilium/cilium
/// operator/pkg/model/translation `SortableRoute`, the same order for its
/// Ingress and its Gateway) and Istio (istio/istio 86c9f01
/// pilot/pkg/config/kube/gateway/conversion.go `sortHTTPRoutes`: Exact 3,
/// Prefix 2, Regex 1; its route-precedence golden test); NGINX Gateway
/// Fabric (nginx's own order: `=` locations, then `~` regex locations in
/// the order written, which NGF sorts longest first,
/// internal/controller/state/dataplane/sort.go `sortPathRules`, then the
/// longest prefix); Contour (internal/sorter/sorter.go `routeSorter.Less`:
/// Exact, then regular expressions longer first, then prefixes).
pub(crate) const REGEX_RANKS: &[(&str, RegexRank)] = &[
    (CONTOUR_CONTROLLER, RegexRank::BetweenExactAndPrefix),
    (ENVOY_GATEWAY_CONTROLLER, RegexRank::BetweenExactAndPrefix),
    (
        NGINX_GATEWAY_FABRIC_CONTROLLER,
        RegexRank::BetweenExactAndPrefix,
    ),
    (
        crate::model::cilium::GATEWAY_CONTROLLER,
        RegexRank::BetweenExactAndPrefix,
    ),
    (ISTIO_CONTROLLER, RegexRank::BelowPrefix),
];

/// Implementations that rank a PathPrefix by its length without a
/// trailing `/` (the specification: "a trailing `/` is ignored"), so that
/// `/docs` and `/docs/` tie: Istio (`createURIMatch` trims it before
/// `sortHTTPRoutes` compares lengths).
pub(crate) const PREFIX_RANKED_WITHOUT_TRAILING_SLASH: &[&str] = &[ISTIO_CONTROLLER];

/// Implementations that pick a request's location by its path alone, as
/// nginx does, and only then weigh the method, header and query matches of
/// the rules with that very path: where none of them is met, the answer is
/// a 404, not a rule of a shorter path. NGINX Gateway Fabric: the rules of
/// one hostname are grouped by path and path type into one nginx location
/// each (internal/controller/state/dataplane/configuration.go), whose njs
/// match module answers 404 when no match of the group is met
/// (internal/controller/nginx/modules/src/httpmatches.js, `redirect`). Its
/// regular expressions are nginx's `~ ^PATTERN`, anchored at the start
/// only (internal/controller/nginx/config/servers.go), and a PathPrefix
/// without a trailing `/` is also the exact location `= PATH`, which nginx
/// takes before any regular expression.
pub(crate) const PATH_FIRST: &[&str] = &[NGINX_GATEWAY_FABRIC_CONTROLLER];

/// Whether NGINX Gateway Fabric accepts a RegularExpression path: it must
/// start with `/` and hold no whitespace, `{`, `}` or `;`, the shape of an
/// nginx location path (internal/controller/nginx/config/validation/
/// common.go, `validatePathInRegexMatch`); a rule with a match it refuses
/// is dropped (internal/controller/state/dataplane/configuration.go, `if
/// !rule.ValidMatches`). So `(?i)^/a` and `/a{3}` are refused, `/(?i)a`
/// is not.
pub(crate) fn nginx_gateway_fabric_accepts_regex_path(path: &str) -> bool {
    path.starts_with('/') && !path.chars().any(|c| c.is_whitespace() || "{};".contains(c))
}

/// What implementations answer for a rule whose backendRefs all have
/// weight 0: Envoy Gateway 500 ("all valid destinations having 0 weight",
/// envoyproxy/gateway d32f282 internal/gatewayapi/route.go); NGINX Gateway
/// Fabric 500 (its `split_clients` sends them all to the invalid backend,
/// internal/controller/nginx/config/split_clients.go); Contour 500
/// (projectcontour/contour 31c4bb3 internal/dag/gatewayapi_processor.go
/// `clusterRoutes`, a direct response when the total weight is 0); Traefik
/// 503 (traefik/traefik fd5a576 pkg/provider/kubernetes/gateway, a
/// weighted round robin of no weight).
pub(crate) const ZERO_WEIGHTS_ANSWER: &[(&str, u16)] = &[
    (ENVOY_GATEWAY_CONTROLLER, 500),
    (NGINX_GATEWAY_FABRIC_CONTROLLER, 500),
    (CONTOUR_CONTROLLER, 500),
    (TRAEFIK_CONTROLLER, 503),
];

/// Implementations whose default kinds on a TLS listener in Terminate mode
/// svcx knows: whether they admit TCPRoute there. Envoy Gateway does
/// (envoyproxy/gateway d32f282 `internal/gatewayapi/listener.go`), and so
/// do Contour (projectcontour/contour 31c4bb3
/// internal/dag/gatewayapi_processor.go `getListenerRouteKinds`) and
/// kgateway (its listener validation); Traefik admits TLSRoute only
/// (traefik/traefik fd5a576 `pkg/provider/kubernetes/gateway/kubernetes.go`,
/// `supportedRouteKinds`).
const TLS_TERMINATE_CARRIES_TCP: &[(&str, bool)] = &[
    (ENVOY_GATEWAY_CONTROLLER, true),
    (CONTOUR_CONTROLLER, true),
    (KGATEWAY_CONTROLLER, true),
    (TRAEFIK_CONTROLLER, false),
];

/// The route kinds a protocol can carry: HTTP and HTTPS carry HTTPRoute and
/// GRPCRoute, TLS TLSRoute (and TCPRoute when it terminates TLS), TCP
/// TCPRoute, UDP UDPRoute. `None` for an implementation-specific protocol.
pub(super) fn protocol_kinds(
    protocol: &str,
    tls_mode: Option<&str>,
) -> Option<&'static [RouteKind]> {
    match (protocol, tls_mode) {
        ("HTTP" | "HTTPS", _) => Some(&[RouteKind::Http, RouteKind::Grpc]),
        ("TLS", Some("Passthrough")) => Some(&[RouteKind::Tls]),
        ("TLS", _) => Some(&[RouteKind::Tls, RouteKind::Tcp]),
        ("TCP", _) => Some(&[RouteKind::Tcp]),
        ("UDP", _) => Some(&[RouteKind::Udp]),
        _ => None,
    }
}

/// The kinds a listener admits when `allowedRoutes.kinds` is not set, and
/// those among the kinds it can carry that its implementation decides on
/// (TCPRoute on a TLS listener in Terminate mode, unless the controller is
/// one svcx knows to admit it).
fn default_kinds(
    protocol: &str,
    tls_mode: Option<&str>,
    controller: Option<&str>,
) -> (Vec<RouteKind>, Vec<RouteKind>) {
    let can = protocol_kinds(protocol, tls_mode)
        .unwrap_or_default()
        .to_vec();
    if protocol == "TLS" && tls_mode != Some("Passthrough") {
        let known = TLS_TERMINATE_CARRIES_TCP
            .iter()
            .find(|(c, _)| Some(*c) == controller)
            .map(|(_, tcp)| *tcp);
        return match known {
            Some(true) => (can, Vec::new()),
            Some(false) => (vec![RouteKind::Tls], Vec::new()),
            None => (vec![RouteKind::Tls], vec![RouteKind::Tcp]),
        };
    }
    (can, Vec::new())
}

impl ListenerFacts {
    /// Reads a listener; `controller` is its GatewayClass's, when read.
    pub(super) fn read(l: &GatewayListeners, controller: Option<&str>) -> Self {
        let allowed = l.allowed_routes.as_ref();
        let namespaces = allowed.and_then(|a| a.namespaces.as_ref());
        let from = match namespaces.and_then(|n| n.from.as_ref()) {
            None | Some(From::Same) => AllowedFrom::Same,
            Some(From::All) => AllowedFrom::All,
            Some(From::Selector) => AllowedFrom::Selector,
        };
        // The selector has LabelSelector's fields: read it as one.
        let selector: Option<LabelSelector> = namespaces
            .and_then(|n| n.selector.as_ref())
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(|v| serde_json::from_value(v).ok());
        let written_kinds: Vec<(String, String)> = allowed
            .and_then(|a| a.kinds.as_ref())
            .into_iter()
            .flatten()
            .map(|k| {
                (
                    k.group.clone().unwrap_or(GATEWAY_GROUP.to_string()),
                    k.kind.clone(),
                )
            })
            .collect();
        let explicit: Vec<String> = written_kinds
            .iter()
            .filter(|(g, _)| g == GATEWAY_GROUP)
            .map(|(_, k)| k.clone())
            .collect();
        let kinds_set = !written_kinds.is_empty();
        // The API server defaults `tls.mode` to Terminate before validating.
        let tls_mode = l.tls.as_ref().map(|t| {
            t.mode
                .as_ref()
                .and_then(|m| serde_json::to_value(m).ok())
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "Terminate".to_string())
        });
        let (defaults, depend) = default_kinds(&l.protocol, tls_mode.as_deref(), controller);
        let names = |ks: Vec<RouteKind>| ks.into_iter().map(|k| k.kind().to_string()).collect();
        let (kinds, kinds_depend) = if kinds_set {
            (explicit, Vec::new())
        } else {
            (names(defaults), names(depend))
        };
        ListenerFacts {
            name: l.name.clone(),
            protocol: l.protocol.clone(),
            port: l.port,
            hostname: l.hostname.clone().filter(|h| !h.is_empty()),
            tls_mode,
            allowed_routes: AllowedRoutes {
                from,
                selector: selector.as_ref().map(selector_text),
                kinds,
                kinds_set,
                kinds_depend,
                written_kinds,
            },
            attached: Vec::new(),
            status_attached_routes: None,
            listener_set: None,
            conflicted: None,
            selector,
        }
    }

    /// Whether this listener admits a route of `kind` in `route_ns` with
    /// these hostnames; the Gateway is in `gateway_ns`. Checked in the order
    /// a reader would: kind, namespace, hostname.
    pub(crate) fn admits(
        &self,
        kind: RouteKind,
        route_ns: &str,
        route_hostnames: &[String],
        gateway_ns: &str,
        namespaces: &NamespaceLabels,
    ) -> Admission {
        let name = &self.name;
        let can = protocol_kinds(&self.protocol, self.tls_mode.as_deref());
        let compatible = can.is_none_or(|ks| ks.contains(&kind));
        let listed = !self.allowed_routes.kinds_set && can.is_none()
            || self.allowed_routes.kinds.iter().any(|k| k == kind.kind());
        let depends = self
            .allowed_routes
            .kinds_depend
            .iter()
            .any(|k| k == kind.kind());
        if let Some(why) = &self.conflicted {
            return Admission::Refused(Code::ListenerProtocolConflict, why.clone());
        }
        if !compatible {
            return Admission::Refused(
                Code::RouteKindNotAllowed,
                format!(
                    "listener {name} speaks {} and cannot carry a {}",
                    self.protocol,
                    kind.kind()
                ),
            );
        }
        let mut unsure = None;
        if depends {
            unsure = Some(Doubt {
                code: Code::RouteKindNotAllowed,
                severity: Severity::Info,
                why: format!(
                    "whether listener {name} ({} {}) carries a {} is up to the implementation when \
                     allowedRoutes.kinds does not list it",
                    self.protocol,
                    self.tls_mode.as_deref().unwrap_or_default(),
                    kind.kind()
                ),
            });
        } else if !listed
            && let Some(ks) = can
            && self.allowed_routes.kinds_set
            && self
                .allowed_routes
                .written_kinds
                .iter()
                .all(|(g, _)| g == GATEWAY_GROUP)
            && !self
                .allowed_routes
                .kinds
                .iter()
                .any(|k| ks.iter().any(|c| c.kind() == k))
        {
            // No kind listed is one the listener can carry: it admits no
            // route at all (ResolvedRefs False, InvalidRouteKinds; SVC518 on
            // the Gateway). Kinds of another group are the implementation's.
            return Admission::Refused(
                Code::RouteKindNotAllowed,
                format!(
                    "listener {name} admits no route: its allowedRoutes.kinds ({}) names no kind a {} listener \
                     carries (ResolvedRefs: False, InvalidRouteKinds)",
                    self.allowed_routes.kinds.join(", "),
                    self.protocol
                ),
            );
        } else if !listed {
            return Admission::Refused(
                Code::RouteKindNotAllowed,
                format!(
                    "listener {name} admits only {} ({})",
                    self.allowed_routes.kinds.join(", "),
                    if self.allowed_routes.kinds_set {
                        "allowedRoutes.kinds"
                    } else {
                        "what its implementation admits on this protocol by default"
                    }
                ),
            );
        }
        match self.allowed_routes.from {
            AllowedFrom::All => {}
            AllowedFrom::Same if route_ns == gateway_ns => {}
            AllowedFrom::Same => {
                return Admission::Refused(
                    Code::RouteNamespaceNotAllowed,
                    format!(
                        "listener {name} admits routes from its own namespace `{gateway_ns}` only (allowedRoutes \
                         from: Same, the default), and this route is in `{route_ns}`"
                    ),
                );
            }
            AllowedFrom::Selector => {
                let sel = self
                    .allowed_routes
                    .selector
                    .as_deref()
                    .unwrap_or("(no selector)");
                match self.selector_matches(route_ns, namespaces) {
                    Some(true) => {}
                    Some(false) => {
                        return Admission::Refused(
                            Code::RouteNamespaceNotAllowed,
                            format!(
                                "listener {name} admits routes from namespaces labelled {sel} only, and namespace \
                                 `{route_ns}` is not"
                            ),
                        );
                    }
                    None => {
                        unsure = Some(Doubt {
                            code: Code::RouteNamespaceNotAllowed,
                            severity: Severity::Warning,
                            why: format!(
                                "listener {name} admits routes from namespaces labelled {sel}; Namespace \
                                 `{route_ns}` was not read, so svcx cannot tell whether it is"
                            ),
                        });
                    }
                }
            }
        }
        let hostnames = if kind.has_hostnames() && self.protocol != "TCP" && self.protocol != "UDP"
        {
            match intersect(self.hostname.as_deref(), route_hostnames) {
                Some(h) => h,
                None => {
                    return Admission::Refused(
                        Code::RouteHostnameMismatch,
                        format!(
                            "listener {name} serves {} only, and none of the route's hostnames ({}) is within it",
                            self.hostname.as_deref().unwrap_or("any host"),
                            route_hostnames.join(", ")
                        ),
                    );
                }
            }
        } else {
            Vec::new()
        };
        match unsure {
            Some(why) => Admission::Unsure(hostnames, why),
            None => Admission::Admitted(hostnames),
        }
    }

    /// Whether the namespace selector selects `namespace`; `None` when that
    /// cannot be known (its labels were not read, and the selector asks
    /// about more than its name).
    fn selector_matches(&self, namespace: &str, namespaces: &NamespaceLabels) -> Option<bool> {
        // `from: Selector` without a selector selects nothing.
        let Some(sel) = &self.selector else {
            return Some(false);
        };
        namespaces.selects(sel, namespace)
    }
}

/// Reads every Gateway: addresses, listeners and their rules.
pub(super) fn read(snap: &Snapshot) -> Vec<GatewayFacts> {
    let mut gateways: Vec<GatewayFacts> = snap
        .gateways
        .iter()
        .enumerate()
        .map(|(i, g)| one(snap, i, g))
        .collect();
    super::listener_sets::attach(snap, &mut gateways, &NamespaceLabels::read(snap));
    gateways
}

pub(crate) fn one(snap: &Snapshot, index: usize, g: &Located<Gateway>) -> GatewayFacts {
    let gw = &g.object;
    let namespace = gw.namespace().unwrap_or_default();
    let status = gw.status.as_ref();
    let assigned: Vec<String> = status
        .and_then(|s| s.addresses.as_ref())
        .into_iter()
        .flatten()
        .map(|a| a.value.clone())
        .filter(|a| !a.is_empty())
        .collect();
    let requested: Vec<String> = gw
        .spec
        .addresses
        .iter()
        .flatten()
        .filter_map(|a| a.value.clone())
        .filter(|a| !a.is_empty())
        .collect();
    let status_known =
        matches!(snap.source, super::super::SourceInfo::Live { .. }) || status.is_some();
    let programmed = status
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .any(|c| c.type_ == "Programmed" && c.status == "True");
    let state = if !assigned.is_empty() {
        AddressState::Assigned
    } else if programmed {
        AddressState::Unreported
    } else if status_known {
        AddressState::Pending
    } else {
        AddressState::NotCreated
    };
    let class = gw.spec.gateway_class_name.clone();
    let controller = snap.class_controller(&class).map(str::to_string);
    let mut listeners: Vec<ListenerFacts> = gw
        .spec
        .listeners
        .iter()
        .map(|l| ListenerFacts::read(l, controller.as_deref()))
        .collect();
    let mut findings = super::listeners::check(snap, g, &namespace, &mut listeners);
    for l in &mut listeners {
        l.status_attached_routes = status
            .and_then(|s| s.listeners.as_ref())
            .into_iter()
            .flatten()
            .find(|sl| sl.name == l.name)
            .map(|sl| sl.attached_routes);
    }
    if state == AddressState::Unreported {
        findings.push(
            Finding::new(
                Code::GatewayAddressPending,
                g,
                "status.addresses",
                format!(
                    "Gateway {namespace}/{} is Programmed but reports no address in status.addresses: svcx cannot say \
                     where its clients connect",
                    gw.name_any()
                ),
            )
            .severity(Severity::Warning)
            .hint("check the implementation's Service for the Gateway, or how it exposes Gateways without addresses"),
        );
    }
    if state == AddressState::Pending {
        let hint = match (&controller, source_is_cluster(snap)) {
            (Some(c), _) => format!(
                "check that the controller {c} of GatewayClass `{class}` runs, and the Gateway's Programmed condition"
            ),
            (None, true) => format!(
                "no GatewayClass `{class}` exists: install a Gateway API implementation, or name its class in \
                 spec.gatewayClassName"
            ),
            (None, false) => format!(
                "check that a controller serves GatewayClass `{class}`, and the Gateway's Programmed condition"
            ),
        };
        findings.push(
            Finding::new(
                Code::GatewayAddressPending,
                g,
                "status.addresses",
                format!(
                    "Gateway {namespace}/{} has no address yet: status.addresses is empty, so no client can reach it",
                    gw.name_any()
                ),
            )
            .hint(hint),
        );
    }
    GatewayFacts {
        index,
        name: gw.name_any(),
        namespace,
        origin: g.origin.clone(),
        class,
        controller,
        addresses: GatewayAddresses {
            state,
            assigned,
            requested,
        },
        listeners,
        rejected: Vec::new(),
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn listener(v: serde_json::Value) -> ListenerFacts {
        ListenerFacts::read(&serde_json::from_value(v).expect("a listener"), None)
    }

    fn no_namespaces() -> NamespaceLabels {
        NamespaceLabels::none()
    }

    #[test]
    fn kinds_default_by_protocol() {
        let http = listener(json!({"name": "h", "port": 80, "protocol": "HTTP"}));
        assert_eq!(http.allowed_routes.kinds, ["HTTPRoute", "GRPCRoute"]);
        let tcp = listener(json!({"name": "t", "port": 9000, "protocol": "TCP"}));
        assert_eq!(tcp.allowed_routes.kinds, ["TCPRoute"]);
        let ns = no_namespaces();
        assert!(matches!(
            tcp.admits(RouteKind::Http, "a", &[], "a", &ns),
            Admission::Refused(Code::RouteKindNotAllowed, _)
        ));
        assert_eq!(
            tcp.admits(RouteKind::Tcp, "a", &[], "a", &ns),
            Admission::Admitted(Vec::new())
        );
    }

    #[test]
    fn a_selector_on_the_name_label_needs_no_namespace() {
        let l = listener(
            json!({"name": "h", "port": 80, "protocol": "HTTP", "allowedRoutes": {"namespaces": {
            "from": "Selector", "selector": {"matchLabels": {"kubernetes.io/metadata.name": "shop"}}}}}),
        );
        let ns = no_namespaces();
        assert_eq!(
            l.admits(RouteKind::Http, "shop", &[], "infra", &ns),
            Admission::Admitted(Vec::new())
        );
        assert!(matches!(
            l.admits(RouteKind::Http, "ops", &[], "infra", &ns),
            Admission::Refused(Code::RouteNamespaceNotAllowed, _)
        ));
        let other = listener(
            json!({"name": "h", "port": 80, "protocol": "HTTP", "allowedRoutes": {"namespaces": {
            "from": "Selector", "selector": {"matchLabels": {"team": "shop"}}}}}),
        );
        assert!(matches!(
            other.admits(RouteKind::Http, "shop", &[], "infra", &ns),
            Admission::Unsure(..)
        ));
    }
}
