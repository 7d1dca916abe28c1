//! What a migration says to its reviewer: one note per thing it could not
//! carry over, or decided for the user, each with its object and what to
//! do instead.

use serde::Serialize;

/// What cannot be carried over, or was decided for the user: each is named
/// with its object and what to do instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteCode {
    /// No `--gateway-api-version`: the newest release was targeted.
    TargetDefaulted,
    /// The GatewayClass was the only one read.
    ClassInferred,
    /// No hostname for HTTP, gRPC or TLS routes.
    NoHostname,
    LoadBalancerSourceRanges,
    ExternalTrafficPolicyLocal,
    SessionAffinityClientIp,
    LoadBalancerIp,
    CloudLoadBalancerAnnotations,
    LoadBalancerClass,
    ExternalIps,
    FixedNodePorts,
    /// SCTP has no route kind.
    Sctp,
    /// The target does not serve the route kind the port needs.
    KindNotServed,
    /// TLS without a hostname: TLSRoute v1 requires hostnames.
    TlsWithoutHostname,
    /// The listener port was taken: the route got the next free one, and
    /// its clients must change port (reported as not carried over).
    PortMoved,
    /// A Service named on the command line that has nothing to migrate.
    NotExposed,
    /// A Service the API server refuses (SVC210): left out, since routes
    /// to its ports would be refused too.
    RefusedService,
    /// An ingress-nginx annotation with no Gateway API equivalent.
    IngressAnnotation,
    /// An Ingress path whose pathType is ImplementationSpecific (or none).
    ImplementationSpecificPath,
    /// An Ingress path that is a regular expression (use-regex).
    RegexPath,
    /// An Ingress backend that does not resolve to a Service port number.
    UnresolvedBackend,
    /// An Ingress TLS entry with no Secret: no HTTPS listener.
    TlsWithoutSecret,
    /// An Ingress controller's own Service: left alone, the Gateway replaces it.
    IngressController,
    /// A Gateway proxy's, mesh gateway's or Ingress controller's own Service
    /// (not replaced by this migration): already the shared way in, left alone.
    EntryPoint,
    /// A migrated Ingress: delete it once its routes are accepted.
    IngressReplaced,
    /// A Service with a port no route carries: not rewritten.
    ServiceKept,
    /// A load balancer setting the Gateway carries (spec.addresses,
    /// spec.infrastructure.annotations).
    CarriedToGateway,
    /// Internal and public load balancers migrated to one Gateway.
    MixedLoadBalancers,
    /// `--existing-gateway` has no listener that fits a route: none is
    /// added, the route is not written.
    ListenerMissing,
    /// A Gateway API object is written under a name that exists.
    NameTaken,
    /// `--tls-secret` for a port with no hostname: no HTTPS listener.
    TlsSecretWithoutHostname,
    /// An existing listener is reused, but whether it admits the route could
    /// not be checked.
    ListenerUnsure,
    /// An Ingress path the controller ignored (another Ingress, older,
    /// defines it; a canary with nothing to shadow): not written.
    IngressPathIgnored,
    /// A canary setting with no Gateway API form (cookie), or whose form
    /// is implementation-specific (header pattern).
    CanaryNotCarried,
    /// The redirect to https keeps another status code (308 → 301 before
    /// Gateway API v1.5).
    RedirectStatusChanged,
    /// An Ingress wildcard host (one label) became a Gateway API one (any
    /// number of labels).
    WildcardWidened,
    /// The controller decides, and the input does not say how (which
    /// certificate, whether http redirects, which default backend).
    ControllerChoice,
    /// An Ingress host that is not a DNS name: no route is written for it.
    InvalidHost,
    /// A request the written objects route elsewhere than the Ingresses
    /// did (the routing check).
    RoutingDiffers,
    /// A NodePort Service a GCE Ingress reaches through its node ports: no
    /// listener of its own.
    IngressBackendNodePort,
    /// A route joins a listener of `--existing-gateway` where routes that
    /// exist already serve the same hostnames.
    SharedListener,
    /// A backend whose network policies do not admit the Gateway's proxies.
    ProxiesNotAdmitted,
}

impl NoteCode {
    /// Whether the note says what the Gateway cannot carry over (or
    /// carries differently), rather than what svcx decided for the user.
    pub fn lost(self) -> bool {
        match self {
            NoteCode::LoadBalancerSourceRanges
            | NoteCode::ExternalTrafficPolicyLocal
            | NoteCode::SessionAffinityClientIp
            | NoteCode::LoadBalancerIp
            | NoteCode::CloudLoadBalancerAnnotations
            | NoteCode::LoadBalancerClass
            | NoteCode::ExternalIps
            | NoteCode::FixedNodePorts
            | NoteCode::Sctp
            | NoteCode::KindNotServed
            | NoteCode::IngressAnnotation
            | NoteCode::ImplementationSpecificPath
            | NoteCode::UnresolvedBackend
            | NoteCode::TlsWithoutSecret
            | NoteCode::ServiceKept
            | NoteCode::ListenerMissing
            | NoteCode::MixedLoadBalancers
            | NoteCode::NameTaken
            | NoteCode::PortMoved
            | NoteCode::RefusedService
            | NoteCode::CanaryNotCarried
            | NoteCode::RedirectStatusChanged
            | NoteCode::WildcardWidened
            | NoteCode::InvalidHost
            | NoteCode::RoutingDiffers
            | NoteCode::ProxiesNotAdmitted => true,
            NoteCode::TargetDefaulted
            | NoteCode::ClassInferred
            | NoteCode::NoHostname
            | NoteCode::NotExposed
            | NoteCode::RegexPath
            | NoteCode::IngressController
            | NoteCode::EntryPoint
            | NoteCode::IngressReplaced
            | NoteCode::CarriedToGateway
            | NoteCode::ListenerUnsure
            | NoteCode::TlsSecretWithoutHostname
            | NoteCode::TlsWithoutHostname
            | NoteCode::IngressPathIgnored
            | NoteCode::ControllerChoice
            | NoteCode::IngressBackendNodePort
            | NoteCode::SharedListener => false,
        }
    }
}

/// One thing the reviewer must know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub code: NoteCode,
    /// `Service ns/name`, or the Gateway.
    pub object: String,
    /// The Service port, by name or number, when the note is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// What happens.
    pub message: String,
    /// What to do instead.
    pub instead: String,
}
