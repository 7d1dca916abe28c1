//! Cilium's Ingress controller and Gateway API implementation: what svcx
//! knows of them, in one place.
//!
//! Both are served by the Envoy that runs on every node inside Cilium's
//! agent, not by pods of their own (docs.cilium.io,
//! network/servicemesh/ingress-reference: eBPF hands the traffic of the
//! ingress Services to that Envoy). Its requests to the backends carry
//! Cilium's reserved identity `ingress` (network/servicemesh/
//! ingress-and-network-policy). Cilium turns a NetworkPolicy into its own
//! rules (cilium/cilium 0a0f0d9 pkg/k8s/network_policy.go,
//! `ParseNetworkPolicy`): a rule without `from` selects every identity
//! (`WildcardEndpointSelector`), while a podSelector peer is narrowed to
//! its namespace's label, an empty namespaceSelector requires a namespace
//! label, and an ipBlock selects addresses; the `ingress` identity has no
//! namespace and is no address, so only a rule without peers admits it.

/// The controller of Cilium's IngressClass (its chart's
/// templates/cilium-ingress-class.yaml).
pub(crate) const INGRESS_CONTROLLER: &str = "cilium.io/ingress-controller";

/// The IngressClass Cilium's chart installs, also accepted in the
/// `kubernetes.io/ingress.class` annotation.
pub(crate) const INGRESS_CLASS: &str = "cilium";

/// The controllerName of Cilium's GatewayClass.
pub(crate) const GATEWAY_CONTROLLER: &str = "io.cilium/gateway-controller";

/// Why a NetworkPolicy peer cannot name Cilium's proxies.
pub(crate) const IDENTITY: &str = "Cilium's Envoy is not a pod: its requests carry Cilium's reserved identity \
     `ingress`, which only a NetworkPolicy rule without `from` admits (a CiliumNetworkPolicy admits it with \
     `fromEntities: [ingress]`)";

/// How to admit Cilium's proxies to a backend: no NetworkPolicy peer
/// names them.
pub(crate) const ADMIT: &str = "Cilium's proxies carry its reserved identity `ingress`, which no NetworkPolicy \
     peer names: admit it with a CiliumNetworkPolicy rule `fromEntities: [ingress]`, or with a NetworkPolicy rule \
     that has no `from`";

/// The label of the Services of Cilium's Ingress: the shared
/// `cilium-ingress` its chart installs
/// (install/kubernetes/cilium/templates/cilium-ingress-service.yaml at
/// 02515d1) and the `cilium-ingress-NAME` its operator writes for an
/// Ingress in dedicated mode (operator/pkg/model/translation/ingress/
/// dedicated_ingress.go). Neither has a selector: their Endpoints hold the
/// placeholder 192.192.192.192:9999, and Cilium's datapath hands their
/// traffic to the Envoy on each node (network/servicemesh/
/// ingress-reference), so those endpoints never receive it.
pub(crate) const INGRESS_SERVICE_LABEL: &str = "cilium.io/ingress";

/// Whether a Service is one of Cilium's Ingress Services
/// ([`INGRESS_SERVICE_LABEL`]).
pub(crate) fn is_ingress_service(svc: &k8s_openapi::api::core::v1::Service) -> bool {
    svc.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(INGRESS_SERVICE_LABEL))
        .is_some_and(|v| v == "true")
}

/// Whether Cilium's Ingress controller serves an Ingress of this
/// IngressClass controller (when the class was read) or class name.
pub(crate) fn serves_ingress(controller: Option<&str>, class: Option<&str>) -> bool {
    match controller {
        Some(c) => c == INGRESS_CONTROLLER,
        None => class == Some(INGRESS_CLASS),
    }
}

/// The annotation that puts an Ingress on its own load balancer
/// (`dedicated`) or on the shared one (`shared`); its alias
/// `io.cilium.ingress/loadbalancer-mode` is read too
/// (operator/pkg/ingress/annotations, `GetAnnotationIngressLoadbalancerMode`).
pub(crate) const LOADBALANCER_MODE: &str = "ingress.cilium.io/loadbalancer-mode";
const LOADBALANCER_MODE_ALIAS: &str = "io.cilium.ingress/loadbalancer-mode";

/// Whether an Ingress is on Cilium's shared load balancer: only when it
/// asks, since the chart's `ingressController.loadbalancerMode` is
/// `dedicated` by default (one `cilium-ingress-NAME` Service per Ingress).
pub(crate) fn shared<'a>(annotation: impl Fn(&str) -> Option<&'a str>) -> bool {
    annotation(LOADBALANCER_MODE)
        .or_else(|| annotation(LOADBALANCER_MODE_ALIAS))
        .is_some_and(|m| m == "shared")
}

/// The annotation that turns plain HTTP to an Ingress's TLS hosts into a
/// redirect to https, or not.
pub(crate) const FORCE_HTTPS: &str = "ingress.cilium.io/force-https";

/// Whether Cilium redirects plain HTTP to an Ingress's TLS hosts: the
/// annotation's `enabled`/`disabled` or boolean, else the operator's
/// `enforce-ingress-https`, which the chart's `ingressController.enforceHttps`
/// sets, true by default (operator/pkg/model/ingestion/ingress.go:
/// `forceHTTPs` is the annotation when set, else the operator's setting).
pub(crate) fn force_https(annotation: Option<&str>) -> bool {
    match annotation {
        Some("enabled") => true,
        Some("disabled") => false,
        // Go's strconv.ParseBool; anything else is as if unset.
        Some("1" | "t" | "T" | "TRUE" | "true" | "True") => true,
        Some("0" | "f" | "F" | "FALSE" | "false" | "False") => false,
        _ => true,
    }
}
