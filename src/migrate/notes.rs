//! What a migration says to its reviewer: one note per thing it could not
//! carry over, or decided for the user, each with its object and what to
//! do instead. Every code is declared once below, with its name, whether it
//! says what is lost, a summary and a doc; `svcx rule NAME` prints the doc,
//! as it does a lint rule's.

use serde::Serialize;

/// Declares every note code: the enum (in this order, which is the order
/// notes are listed in), its names, its lost/decided split and its docs.
macro_rules! note_codes {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $name:literal, $kind:ident, $summary:literal;
    )*) => {
        /// What cannot be carried over, or was decided for the user: each is
        /// named with its object and what to do instead.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
        pub enum NoteCode {
            $(
                #[doc = $summary]
                #[serde(rename = $name)]
                $variant,
            )*
        }

        impl NoteCode {
            /// Every code, in listing order.
            pub const ALL: &'static [NoteCode] = &[$(NoteCode::$variant),*];

            /// Its name, as JSON and `svcx rule` spell it.
            pub fn name(self) -> &'static str {
                match self { $(NoteCode::$variant => $name,)* }
            }

            /// Whether the note says what the Gateway cannot carry over (or
            /// carries differently), rather than what svcx decided for the
            /// user: each code says which where it is declared.
            pub(crate) fn lost(self) -> bool {
                match self { $(NoteCode::$variant => note_codes!(@lost $kind),)* }
            }

            /// One line on what the note says.
            pub(crate) fn summary(self) -> &'static str {
                match self { $(NoteCode::$variant => $summary,)* }
            }

            /// The doc, one line per line of its doc comment.
            fn doc_lines(self) -> &'static [&'static str] {
                match self { $(NoteCode::$variant => &[$($doc),*],)* }
            }
        }
    };
    (@lost lost) => { true };
    (@lost decided) => { false };
}

impl NoteCode {
    /// The code named `name` (its kebab-case name).
    pub(crate) fn parse(name: &str) -> Option<NoteCode> {
        NoteCode::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The doc in Markdown.
    pub(crate) fn doc(self) -> String {
        let mut out = String::new();
        for line in self.doc_lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// Which section of the report lists it.
    pub(crate) fn section(self) -> Section {
        if self == NoteCode::RoutingDiffers {
            Section::RoutedDifferently
        } else if self.lost() {
            Section::NotCarriedOver
        } else {
            Section::DecidedForYou
        }
    }
}

/// The sections of a migration's report, in the order it lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    /// What the Gateway cannot carry over, or carries differently.
    NotCarriedOver,
    /// What svcx decided for the user.
    DecidedForYou,
    /// Requests the routing check found routed elsewhere.
    RoutedDifferently,
}

impl Section {
    /// Every section, in listing order.
    pub(crate) const ALL: [Section; 3] = [
        Section::NotCarriedOver,
        Section::DecidedForYou,
        Section::RoutedDifferently,
    ];

    /// Its heading in MIGRATION.md.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Section::NotCarriedOver => "Not carried over",
            Section::DecidedForYou => "Decided for you",
            Section::RoutedDifferently => "Routed differently",
        }
    }

    /// Its name in the text report, `svcx rule` and JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Section::NotCarriedOver => "not carried over",
            Section::DecidedForYou => "decided for you",
            Section::RoutedDifferently => "routed differently",
        }
    }
}

note_codes! {
    /// ## What it means
    /// No `--gateway-api-version` was given and no cluster said what it
    /// serves, so the objects are written for the newest Gateway API release
    /// svcx knows, standard channel.
    ///
    /// ## What to do
    /// Pass `--gateway-api-version` (and `--channel`) for the release whose
    /// CRDs your cluster has; a kind or field it lacks is then reported
    /// instead of written.
    TargetDefaulted = "target-defaulted", decided, "the newest Gateway API release was targeted";

    /// ## What it means
    /// No `--gateway-class` was given, and exactly one GatewayClass was read:
    /// the Gateway uses it.
    ///
    /// ## What to do
    /// Pass `--gateway-class` to choose another.
    ClassInferred = "class-inferred", decided, "the only GatewayClass read was chosen";

    /// ## What it means
    /// HTTP, gRPC and TLS routes share a Gateway port by hostname. Without
    /// one, each such route gets a listener of its own that matches any
    /// hostname, on a port no other route uses.
    ///
    /// ## What to do
    /// Pass `--domain` (hostnames `SERVICE.NAMESPACE.DOMAIN`) or
    /// `--hostname SERVICE=HOST` so routes share ports 80 and 443.
    NoHostname = "no-hostname", decided, "no hostname is known for some HTTP, gRPC or TLS ports";

    /// ## What it means
    /// `loadBalancerSourceRanges` limited which clients could connect to the
    /// Service's load balancer. Gateway API has no such field: the Gateway
    /// admits every client.
    ///
    /// ## What to do
    /// Restrict clients with your implementation's policy (Envoy Gateway's
    /// SecurityPolicy, for one) or on the Gateway's own Service, before
    /// applying.
    LoadBalancerSourceRanges = "load-balancer-source-ranges", lost, "the client address allow-list is not carried over";

    /// ## What it means
    /// `externalTrafficPolicy: Local` kept the client's source address and
    /// sent traffic only to nodes with a local endpoint. Behind the Gateway,
    /// connections to the backend come from the Gateway's proxies.
    ///
    /// ## What to do
    /// Read the client address from `X-Forwarded-For` on HTTP routes; set
    /// Local on the Gateway's own Service through the implementation's
    /// configuration if the proxies need the client address.
    ExternalTrafficPolicyLocal = "external-traffic-policy-local", lost, "the client's source address no longer reaches the pods";

    /// ## What it means
    /// `sessionAffinity: ClientIP` still holds for clients inside the
    /// cluster, but through the Gateway the client is a proxy, and Gateway
    /// API has no client-IP persistence.
    ///
    /// ## What to do
    /// Use cookie or header `sessionPersistence` (experimental channel)
    /// where your implementation supports it.
    SessionAffinityClientIp = "session-affinity-client-ip", lost, "client-IP session affinity does not hold through the Gateway";

    /// ## What it means
    /// `loadBalancerIP` asked for a fixed address, which the rewritten
    /// ClusterIP Service drops. When every migrated load balancer asks for
    /// the same one, it goes to the Gateway instead (`carried-to-gateway`).
    ///
    /// ## What to do
    /// Ask for the address on the Gateway (`spec.addresses`) if your
    /// implementation supports static addresses, and point DNS at it.
    LoadBalancerIp = "load-balancer-ip", lost, "a requested load balancer address is dropped";

    /// ## What it means
    /// Annotations configured the Service's cloud or bare-metal load
    /// balancer (its scheme, health checks, address pool...). The rewritten
    /// Service drops them.
    ///
    /// ## What to do
    /// Copy those that must survive to the Gateway's
    /// `spec.infrastructure.annotations` if your implementation propagates
    /// them to its load balancer.
    CloudLoadBalancerAnnotations = "cloud-load-balancer-annotations", lost, "load balancer annotations are dropped";

    /// ## What it means
    /// `loadBalancerClass` chose which controller provisions the load
    /// balancer. Gateway API has no such field: the Gateway's own Service
    /// is made by its implementation.
    ///
    /// ## What to do
    /// Set the class through the implementation's configuration (the
    /// GatewayClass's `parametersRef`).
    LoadBalancerClass = "load-balancer-class", lost, "the load balancer class is not carried over";

    /// ## What it means
    /// The Service's `externalIPs` (deprecated since Kubernetes 1.36) stop
    /// answering once it is ClusterIP-only behind the Gateway.
    ///
    /// ## What to do
    /// Point the clients of those addresses at the Gateway's address.
    ExternalIps = "external-ips", lost, "externalIPs stop answering";

    /// ## What it means
    /// The Service's node ports stop answering on every node once it is
    /// ClusterIP.
    ///
    /// ## What to do
    /// Point the clients of `NODE:PORT` at the Gateway's address and
    /// listener port.
    FixedNodePorts = "fixed-node-ports", lost, "node ports stop answering";

    /// ## What it means
    /// No Gateway API route carries SCTP: the port gets no route, and its
    /// Service keeps its type (`service-kept`).
    ///
    /// ## What to do
    /// Keep the SCTP port on a LoadBalancer Service of its own.
    Sctp = "sctp", lost, "an SCTP port has no route kind";

    /// ## What it means
    /// The port needs a route kind (TCPRoute, UDPRoute, TLSRoute, GRPCRoute)
    /// that the target release and channel do not serve, so no route is
    /// written for it.
    ///
    /// ## What to do
    /// Target a release or channel that serves the kind, or keep the port
    /// on a Service of its own.
    KindNotServed = "kind-not-served", lost, "the target does not serve the route kind a port needs";

    /// ## What it means
    /// The port carries TLS, and TLSRoute v1 requires hostnames (it routes
    /// by SNI). With none known, the connection is passed through by port
    /// with a TCPRoute instead.
    ///
    /// ## What to do
    /// Give the Service a hostname (`--hostname`, `--domain`) to route by
    /// SNI with a TLSRoute.
    TlsWithoutHostname = "tls-without-hostname", decided, "TLS without a hostname is passed through by port";

    /// ## What it means
    /// The Gateway port the Service port had was taken by another route for
    /// the same hostname (or with none), so the route is served on the next
    /// free port: its clients must change port.
    ///
    /// ## What to do
    /// Give the routes hostnames so they share the port, migrate the
    /// Service to a Gateway of its own, or tell its clients the new port.
    PortMoved = "port-moved", lost, "a port is served on another Gateway port";

    /// ## What it means
    /// A Service named on the command line has no load balancer, node port
    /// or externalIP: nothing reaches it from outside by itself, so there is
    /// nothing to move.
    ///
    /// ## What to do
    /// Route to it from the Gateway by hand if it should be reachable.
    NotExposed = "not-exposed", decided, "a Service named has nothing to migrate";

    /// ## What it means
    /// The API server refuses the Service (a port number outside 1-65535,
    /// SVC210); routes to its ports would be refused too, so it is left out.
    ///
    /// ## What to do
    /// Fix its port numbers (`svcx lint` points at each), then migrate it.
    RefusedService = "refused-service", lost, "a Service the API server refuses is left out";

    /// ## What it means
    /// The API server refuses the Ingress (a path without pathType, or an
    /// Exact or Prefix path that is not absolute or not canonical, SVC522;
    /// a host that is not a DNS name, such as a template placeholder):
    /// it never exists in a cluster and routes nothing, so writing routes
    /// for it would add what was never there. It is left out.
    ///
    /// ## What to do
    /// Fix it (`svcx lint` points at each path), then migrate it.
    RefusedIngress = "refused-ingress", lost, "an Ingress the API server refuses is left out";

    /// ## What it means
    /// An Ingress annotation (ingress-nginx's, GKE's...), or a GKE Ingress
    /// controller annotation on a backend Service (`app-protocols`,
    /// `backend-config`), configures something Gateway API has no standard
    /// form for (or the target release lacks): it is not written.
    ///
    /// ## What to do
    /// Configure it with your Gateway implementation's own policy, or check
    /// that the routes work without it.
    IngressAnnotation = "ingress-annotation", lost, "an Ingress annotation has no Gateway API equivalent";

    /// ## What it means
    /// An Ingress path with `pathType: ImplementationSpecific` (or none)
    /// matches as its controller decides (ingress-nginx: as a prefix of
    /// characters, so `/a` also serves `/ab`), which no Gateway API match
    /// says exactly. No rule is written for it; the routing check names the
    /// rule its requests now reach. (Also said of a gRPC Ingress path that
    /// names no gRPC service.)
    ///
    /// ## What to do
    /// Set `pathType: Prefix` or `Exact` on the Ingress, as the controller
    /// read it, then migrate again.
    ImplementationSpecificPath = "implementation-specific-path", lost, "a path's match was decided by its controller";

    /// ## What it means
    /// An Ingress path that ingress-nginx reads as a regular expression
    /// (`use-regex`, or a `rewrite-target` on its host) becomes a
    /// `RegularExpression` match, whose dialect each implementation chooses.
    ///
    /// ## What to do
    /// Check that your implementation's dialect reads the expression as
    /// PCRE does.
    RegexPath = "regex-path", decided, "a regular-expression path became a RegularExpression match";

    /// ## What it means
    /// An Ingress backend names a Service or port that does not resolve to a
    /// Service port number: no backendRef can be written for it.
    ///
    /// ## What to do
    /// Fix the backend (`svcx lint` names it), then migrate again.
    UnresolvedBackend = "unresolved-backend", lost, "an Ingress backend does not resolve to a Service port";

    /// ## What it means
    /// An Ingress TLS entry names no Secret: its controller serves its
    /// default certificate there, which a Gateway listener cannot name, so
    /// no HTTPS listener is written.
    ///
    /// ## What to do
    /// Name the certificate Secret in the Ingress, or add the HTTPS
    /// listener with the certificate you serve.
    TlsWithoutSecret = "tls-without-secret", lost, "an Ingress TLS entry without a Secret gets no HTTPS listener";

    /// ## What it means
    /// The Service is the Ingress controller's own way in. Its Ingresses
    /// become routes on the Gateway, which replaces it, so it is left as it
    /// is.
    ///
    /// ## What to do
    /// Remove the Ingress controller once the routes are accepted and
    /// traffic has moved.
    IngressController = "ingress-controller", decided, "the Ingress controller's own Service is left as it is";

    /// ## What it means
    /// The Service is the way in of a proxy (a Gateway implementation, an
    /// Ingress controller whose Ingresses are not migrated, a mesh gateway):
    /// routes through it already share its load balancer.
    ///
    /// ## What to do
    /// Route to the Services behind it from the Gateway, or keep the proxy
    /// as the way in.
    EntryPoint = "entry-point", decided, "a proxy's own Service is left as it is";

    /// ## What it means
    /// The Ingress becomes HTTPRoutes (or GRPCRoutes) on the Gateway.
    ///
    /// ## What to do
    /// Delete the Ingress once the routes are accepted and traffic has
    /// moved.
    IngressReplaced = "ingress-replaced", decided, "an Ingress becomes routes";

    /// ## What it means
    /// Some port of the Service gets no route, so the Service keeps its type
    /// (it is not rewritten): rewriting it would cut those ports off.
    ///
    /// ## What to do
    /// Give those ports a route, or move them to a Service of their own,
    /// then migrate again.
    ServiceKept = "service-kept", lost, "a Service with an unrouted port keeps its type";

    /// ## What it means
    /// A load balancer setting of the rewritten Services goes to the
    /// Gateway: a static address to `spec.addresses`, internal load balancer
    /// annotations to `spec.infrastructure.annotations`.
    ///
    /// ## What to do
    /// Check that your implementation honours static addresses and
    /// propagates infrastructure annotations.
    CarriedToGateway = "carried-to-gateway", decided, "a load balancer setting goes to the Gateway";

    /// ## What it means
    /// Some migrated Services asked for an internal load balancer and others
    /// for a public one (or all are internal, but not by one annotation the
    /// Gateway could carry); one Gateway cannot be both, so no internal
    /// annotation is carried over.
    ///
    /// ## What to do
    /// Migrate internal and public Services in separate runs, each to a
    /// Gateway of its own (`--gateway-name`).
    MixedLoadBalancers = "mixed-load-balancers", lost, "internal and public load balancers meet on one Gateway";

    /// ## What it means
    /// The Ingress's load balancer was internal (GKE's class
    /// `gce-internal`: reachable only inside the VPC), and the Gateway's
    /// class is not one of GKE's internal ones: a GKE external class faces
    /// the internet, and another implementation's is its configuration's
    /// to say.
    ///
    /// ## What to do
    /// Use an internal GatewayClass (on GKE, `gke-l7-rilb`), or migrate the
    /// internal Ingresses to a Gateway of their own.
    InternalIngress = "internal-ingress", lost, "an internal Ingress load balancer may become a public one";

    /// ## What it means
    /// With `--existing-gateway`, no listener of that Gateway admits the
    /// route (protocol, port, hostname, kind and namespace); svcx adds none,
    /// so the route is not written.
    ///
    /// ## What to do
    /// Add the listener the note describes, then migrate again.
    ListenerMissing = "listener-missing", lost, "the existing Gateway has no listener for a route";

    /// ## What it means
    /// An object written has the kind, namespace and name of one read:
    /// applying the manifests would replace it.
    ///
    /// ## What to do
    /// Choose another name (`--gateway-name`), attach to it with
    /// `--existing-gateway`, or check that replacing it is meant.
    NameTaken = "name-taken", lost, "an object written replaces one that exists";

    /// ## What it means
    /// `--tls-secret` names a certificate for a Service whose port has no
    /// hostname for an HTTPS listener to serve it for: it is served on HTTP
    /// only.
    ///
    /// ## What to do
    /// Give it a hostname (`--hostname`, `--domain`).
    TlsSecretWithoutHostname = "tls-secret-without-hostname", decided, "a certificate without a hostname is not used";

    /// ## What it means
    /// A listener of `--existing-gateway` is reused, but whether it admits
    /// the route's namespace could not be checked (its namespace selector
    /// needs labels that were not read).
    ///
    /// ## What to do
    /// Check that the namespace carries the labels the listener selects.
    ListenerUnsure = "listener-unsure", decided, "whether a reused listener admits the route is unknown";

    /// ## What it means
    /// The Ingress controller ignored this path (an older Ingress defines
    /// the same host and path, or a canary has no main Ingress to shadow),
    /// so no rule is written for it: the routes serve what the controller
    /// served.
    ///
    /// ## What to do
    /// Nothing, unless the ignored path was meant to be served.
    IngressPathIgnored = "ingress-path-ignored", decided, "an Ingress path its controller ignored is not written";

    /// ## What it means
    /// A canary setting has no Gateway API form (by cookie), or one whose
    /// matching is implementation-specific (a header pattern): requests it
    /// chose may go elsewhere.
    ///
    /// ## What to do
    /// Configure the split with your implementation's own policy, and
    /// check the routing check's requests.
    CanaryNotCarried = "canary-not-carried", lost, "a canary setting is not carried over";

    /// ## What it means
    /// The redirect to https answers with another status code than the
    /// controller's (308 becomes 301 before Gateway API v1.5, whose
    /// RequestRedirect offers 301 and 302 only).
    ///
    /// ## What to do
    /// Target v1.5 or later for 308, or check that clients follow 301 for
    /// the methods they send.
    RedirectStatusChanged = "redirect-status-changed", lost, "the redirect to https changes status code";

    /// ## What it means
    /// An Ingress wildcard host (`*.example.com`) matches one DNS label; a
    /// Gateway API one matches any number, so the route answers more hosts
    /// than the Ingress did.
    ///
    /// ## What to do
    /// List the deeper hosts that must not be served elsewhere, or accept
    /// the wider match.
    WildcardWidened = "wildcard-widened", lost, "a wildcard host matches more labels";

    /// ## What it means
    /// The Ingress controller decides something the input does not say
    /// (which certificate a host without one gets, whether http redirects,
    /// which default backend answers): svcx does not guess, and writes what
    /// the note says.
    ///
    /// ## What to do
    /// Check the controller's configuration and adjust the routes.
    ControllerChoice = "controller-choice", decided, "the controller decides, and the input does not say how";

    /// ## What it means
    /// The routing check found a request that the written objects route
    /// elsewhere than the Ingresses did, or answer differently.
    ///
    /// ## What to do
    /// Read the request and both answers in the report; change the routes
    /// (or the Ingresses) until none differs.
    RoutingDiffers = "routing-differs", lost, "a request routes elsewhere than before";

    /// ## What it means
    /// A GKE Ingress (without container-native load balancing) or an AWS
    /// ALB Ingress in instance mode reaches this NodePort Service through
    /// its node ports. The Service gets no
    /// listener of its own: with its Ingress migrated it becomes ClusterIP,
    /// else it is left as it is.
    ///
    /// ## What to do
    /// Migrate the Ingress with it, or keep both as they are.
    IngressBackendNodePort = "ingress-backend-node-port", decided, "a cloud Ingress backend's node ports are the Ingress's";

    /// ## What it means
    /// A route joins a listener of `--existing-gateway` where routes that
    /// exist already serve an overlapping hostname: requests go to whichever
    /// route matches best, then the older one.
    ///
    /// ## What to do
    /// Check the routing check's requests for those hostnames; give the
    /// new routes distinct hostnames or paths if they must not share.
    SharedListener = "shared-listener", decided, "a route shares a listener with routes that exist";

    /// ## What it means
    /// The backend's network policies do not admit the Gateway's proxies,
    /// so requests through the Gateway are dropped before they reach it.
    ///
    /// ## What to do
    /// Pass `--allow-gateway-proxies` to write the NetworkPolicy that admits
    /// exactly the proxies on the backend's pod ports, or write your own.
    ProxiesNotAdmitted = "proxies-not-admitted", lost, "the backend's network policies drop the Gateway's proxies";
}

/// One thing the reviewer must know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Note {
    pub(crate) code: NoteCode,
    /// `Service ns/name`, or the Gateway.
    pub(crate) object: String,
    /// The Service port, by name or number, when the note is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) port: Option<String>,
    /// What happens.
    pub(crate) message: String,
    /// What to do instead.
    pub(crate) instead: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_json_writes_and_parse_back() {
        for &c in NoteCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.name());
            assert_eq!(NoteCode::parse(c.name()), Some(c));
        }
    }

    #[test]
    fn every_doc_says_what_it_means_and_what_to_do() {
        for &c in NoteCode::ALL {
            let doc = c.doc();
            let meaning = doc.find("## What it means\n");
            let todo = doc.find("## What to do\n");
            assert!(
                matches!((meaning, todo), (Some(m), Some(t)) if m < t),
                "{}: {doc}",
                c.name()
            );
        }
    }
}
