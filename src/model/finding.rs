//! Findings: every problem svcx can detect, as data. A finding has a stable
//! code (`SVC` + three digits; the hundreds name the family), a severity, the
//! object it is about, the field path and, for objects read from text, the
//! position of that field. Messages say *what*, hints say *what to do*.
//!
//! The semantic model ([`super::view`]) raises findings; trace turns them into
//! hop verdicts and explain into notes, so both say the same thing. Codes are
//! declared once, in [`codes!`]; never reuse or renumber one.
//!
//! Families: `SVC0xx` input, `SVC1xx` reachability (selectors, endpoints,
//! traffic policies, load balancers), `SVC2xx` ports, `SVC3xx` exposure,
//! `SVC4xx` conventions, `SVC5xx` routes (Gateway API, Ingress).

use super::origin::{Located, Origin, Span};
use kube::ResourceExt;
use serde::Serialize;
use std::fmt;

/// How bad a finding is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; traffic is as intended.
    Info,
    /// Traffic gets through, but only partly or with a caveat.
    Warning,
    /// Traffic does not get through.
    Error,
}

impl Severity {
    /// The word printed for it.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $sev:ident; )*) => {
        /// Every finding svcx can raise.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in code order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// `SVC101`.
            pub fn code(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// `selector-matches-no-pods`: names the problem.
            pub fn name(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The severity a finding of this code has unless the model knows better.
            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }
        }
    };
}

codes! {
    /// The selector matches no pod (live) or no pod template (manifests).
    SelectorMatchesNoPods = "SVC101", "selector-matches-no-pods", Error;
    /// Offline: nothing in the input carries the selector's labels; the pods
    /// may be created by objects that were not given.
    BackendsNotInInput = "SVC102", "backends-not-in-input", Warning;
    /// The workload that backs the Service asks for zero replicas.
    WorkloadScaledToZero = "SVC103", "workload-scaled-to-zero", Error;
    /// No endpoint of a port is ready, and none can take traffic.
    NoReadyEndpoints = "SVC104", "no-ready-endpoints", Error;
    /// Some endpoints of a port are not ready.
    EndpointsNotReady = "SVC105", "endpoints-not-ready", Warning;
    /// No endpoint is ready; terminating endpoints that still serve take the
    /// traffic (KEP-1669).
    OnlyTerminatingEndpoints = "SVC106", "only-terminating-endpoints", Warning;
    /// A Service without selector and without EndpointSlices.
    SelectorlessWithoutEndpoints = "SVC107", "selectorless-without-endpoints", Error;
    /// externalTrafficPolicy Local, and no node has a ready local endpoint:
    /// every node fails the load balancer's health check.
    NoNodeWithLocalEndpoint = "SVC108", "no-node-with-local-endpoint", Error;
    /// externalTrafficPolicy Local: some nodes have no ready local endpoint
    /// and drop external traffic.
    NodesWithoutLocalEndpoint = "SVC109", "nodes-without-local-endpoint", Warning;
    /// internalTrafficPolicy Local: clients on some nodes reach no endpoint.
    InternalLocalNodesWithoutEndpoint = "SVC110", "internal-local-nodes-without-endpoint", Warning;
    /// An endpoint runs on a node that is NotReady.
    EndpointOnNotReadyNode = "SVC111", "endpoint-on-not-ready-node", Warning;
    /// The load balancer has not been provisioned (status.loadBalancer.ingress empty).
    LoadBalancerPending = "SVC112", "load-balancer-pending", Error;
    /// spec.loadBalancerIP asks for an address the load balancer does not have.
    LoadBalancerIpNotHonoured = "SVC113", "load-balancer-ip-not-honoured", Warning;
    /// An ExternalName that cluster DNS cannot serve (an IP address, empty, invalid).
    ExternalNameNotDnsName = "SVC114", "external-name-not-dns-name", Error;
    /// A named targetPort that some (or all) backends do not declare.
    TargetPortNameNotFound = "SVC201", "target-port-name-not-found", Error;
    /// A numeric targetPort no container declares (informational: traffic still goes there).
    TargetPortNotDeclared = "SVC202", "target-port-not-declared", Warning;
    /// The container declares the target port with another protocol.
    ProtocolMismatch = "SVC203", "protocol-mismatch", Warning;
    /// A Service port that no EndpointSlice port matches by name.
    SlicePortMissing = "SVC204", "slice-port-missing", Error;
    /// A nodePort outside the default range 30000-32767.
    NodePortOutsideDefaultRange = "SVC206", "node-port-outside-default-range", Info;
    /// A headless Service whose port differs from its targetPort: DNS gives
    /// clients pod IPs, not ports.
    HeadlessPortDiffers = "SVC208", "headless-port-differs", Warning;
    /// externalIPs are set (CVE-2020-8554; deprecated since Kubernetes 1.36).
    ExternalIpsSet = "SVC304", "external-ips-set", Warning;
    /// spec.loadBalancerIP is set (deprecated since Kubernetes 1.24).
    LoadBalancerIpDeprecated = "SVC307", "load-balancer-ip-deprecated", Info;
    /// A route's parentRef names a Gateway that does not exist.
    RouteParentNotFound = "SVC501", "route-parent-not-found", Error;
    /// A route's parentRef names a listener (sectionName, port) the Gateway does not have.
    RouteListenerNotFound = "SVC502", "route-listener-not-found", Error;
    /// No listener admits routes from the route's namespace (allowedRoutes.namespaces).
    RouteNamespaceNotAllowed = "SVC503", "route-namespace-not-allowed", Error;
    /// No listener admits routes of this kind (allowedRoutes.kinds, or its protocol).
    RouteKindNotAllowed = "SVC504", "route-kind-not-allowed", Error;
    /// The route's hostnames and the listener's hostname do not intersect.
    RouteHostnameMismatch = "SVC505", "route-hostname-mismatch", Error;
    /// A backendRef names a Service that does not exist.
    BackendServiceNotFound = "SVC506", "backend-service-not-found", Error;
    /// A backendRef has no port, or one the Service does not have.
    BackendPortNotFound = "SVC507", "backend-port-not-found", Error;
    /// A backendRef to another namespace without a ReferenceGrant there that allows it.
    BackendRefNotPermitted = "SVC508", "backend-ref-not-permitted", Error;
    /// An Ingress backend names a Service that does not exist (or no Service at all).
    IngressServiceNotFound = "SVC509", "ingress-service-not-found", Error;
    /// An Ingress backend names a port the Service does not have.
    IngressPortNotFound = "SVC510", "ingress-port-not-found", Error;
    /// The route's status, as its controller wrote it, disagrees with svcx's reading.
    RouteStatusDisagrees = "SVC511", "route-status-disagrees", Warning;
    /// A parentRef or backend of a kind svcx does not follow (a mesh Service
    /// parent, a ListenerSet, an InferencePool backend...).
    RefKindNotFollowed = "SVC512", "ref-kind-not-followed", Info;
    /// An Ingress names an IngressClass that does not exist, or none and no class is the default.
    IngressClassNotFound = "SVC513", "ingress-class-not-found", Warning;
    /// A Gateway with no address in status.addresses: its controller has
    /// assigned none yet (an error), or says it is Programmed without one (a warning).
    GatewayAddressPending = "SVC514", "gateway-address-pending", Error;
    /// A route without parentRefs attaches to nothing.
    RouteWithoutParents = "SVC515", "route-without-parents", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A typed reference to the object a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    pub kind: String,
    /// Empty for cluster-scoped objects.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    pub name: String,
}

impl ObjectRef {
    /// A reference to a namespaced or cluster-scoped object.
    pub fn new(kind: &str, namespace: &str, name: &str) -> Self {
        ObjectRef {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// A reference to a typed Kubernetes object.
    pub fn of<T: kube::Resource<DynamicType = ()>>(object: &T) -> Self {
        ObjectRef {
            kind: T::kind(&()).to_string(),
            namespace: object.namespace().unwrap_or_default(),
            name: object.name_any(),
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// One problem, with where it is and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    /// The rule's kebab-case name (serialised for readers of JSON).
    pub name: &'static str,
    pub severity: Severity,
    pub object: ObjectRef,
    /// Field path in the object (`spec.ports[1].targetPort`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Where the object came from.
    pub origin: Origin,
    /// Where the field sits in the source text, when read from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The Service port it concerns (position in `spec.ports`), if one.
    #[serde(skip)]
    pub port: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Finding {
    /// A finding about `object` at `field`, with the code's default severity.
    pub fn new<T>(code: Code, object: &Located<T>, field: &str, message: impl Into<String>) -> Self
    where
        T: kube::Resource<DynamicType = ()>,
    {
        Finding {
            code,
            name: code.name(),
            severity: code.default_severity(),
            object: ObjectRef::of(&object.object),
            field: (!field.is_empty()).then(|| field.to_string()),
            origin: object.origin.clone(),
            span: object.span_of(field),
            port: None,
            message: message.into(),
            hint: None,
        }
    }

    /// The same, with a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same, at another severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The same, about one Service port.
    pub fn port(mut self, index: usize) -> Self {
        self.port = Some(index);
        self
    }

    /// `file:line:col`, `demo:line:col`, or `context NAME` plus the field path.
    pub fn location(&self) -> String {
        let field = self.field.as_deref().unwrap_or("");
        match (&self.origin, self.span) {
            (Origin::File { path, .. }, Some(s)) => format!("{path}:{}:{}", s.line, s.column),
            (Origin::Demo { .. }, Some(s)) => format!("demo:{}:{}", s.line, s.column),
            (Origin::Live { context }, _) => format!("{context}/{}#{field}", self.object),
            (other, None) => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let codes: HashSet<_> = Code::ALL.iter().map(|c| c.code()).collect();
        let names: HashSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(codes.len(), Code::ALL.len());
        assert_eq!(names.len(), Code::ALL.len());
        for c in Code::ALL {
            let digits = c.code().strip_prefix("SVC").expect("SVC prefix");
            assert!(digits.len() == 3 && digits.chars().all(|d| d.is_ascii_digit()));
            assert!(
                c.name()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-')
            );
        }
    }
}
