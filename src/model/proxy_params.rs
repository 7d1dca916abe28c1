//! The objects a GatewayClass or a Gateway names as its `parametersRef` to
//! customise its proxies: Envoy Gateway's EnvoyProxy
//! (`gateway.envoyproxy.io`) and NGINX Gateway Fabric's NginxProxy
//! (`gateway.nginx.org`). Most customise what the proxies log, count or
//! trace; a few change where they run or how policies name them, whether
//! their Service keeps the client's address, or its type. Only those facts
//! are read: envoyproxy/gateway d32f282 api/v1alpha1/envoyproxy_types.go
//! and kubernetes_helpers.go (examples/kubernetes/merged-gateways.yaml,
//! mergepatch.yaml); nginx/nginx-gateway-fabric e55bfe3
//! apis/v1alpha2/nginxproxy_types.go (its install's NginxProxy:
//! `kubernetes.service`).

use serde_json::Value;

/// The kinds read, by group.
pub(crate) const KINDS: &[(&str, &str)] = &[
    ("gateway.envoyproxy.io", ENVOY_PROXY),
    ("gateway.nginx.org", NGINX_PROXY),
];
/// Envoy Gateway's kind.
pub(crate) const ENVOY_PROXY: &str = "EnvoyProxy";
/// NGINX Gateway Fabric's kind.
pub(crate) const NGINX_PROXY: &str = "NginxProxy";

/// Whether objects of this group and kind are proxy parameters.
pub(crate) fn is_parameters(group: &str, kind: &str) -> bool {
    KINDS.contains(&(group, kind))
}

/// What a proxies' parameters object says of its Gateways' proxies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ProxyParameters {
    /// [`ENVOY_PROXY`] or [`NGINX_PROXY`].
    pub(crate) kind: &'static str,
    pub(crate) namespace: String,
    pub(crate) name: String,
    /// Why the proxies may not run where, or be labelled as, their
    /// implementation places them by default: Envoy Gateway's
    /// `mergeGateways` (one fleet per class, labelled only
    /// `owning-gatewayclass`), or a patch of its proxies' Deployment or
    /// DaemonSet (which can move them to the host network).
    pub(crate) moves: Option<&'static str>,
    /// Whether their Service keeps the client's address: its
    /// `externalTrafficPolicy`, `Local` (both implementations' default)
    /// unless set otherwise; `None` when a patch of the Service may change
    /// it.
    pub(crate) keeps_client_address: Option<bool>,
    /// The type of their Service, where it says one (`LoadBalancer` by
    /// default; `ClusterIP` keeps the Gateway inside the cluster).
    pub(crate) service_type: Option<String>,
}

impl ProxyParameters {
    /// The facts of an object, if it is proxy parameters.
    pub(crate) fn of(
        group: &str,
        kind: &str,
        namespace: &str,
        name: &str,
        value: &Value,
    ) -> Option<Self> {
        let &(_, kind) = KINDS.iter().find(|(g, k)| *g == group && *k == kind)?;
        let spec = value.get("spec");
        let (service, moves) = if kind == ENVOY_PROXY {
            let k8s = spec.and_then(|s| s.pointer("/provider/kubernetes"));
            let at = |p: &str| k8s.and_then(|k| k.pointer(p));
            let moves = if spec
                .and_then(|s| s.get("mergeGateways"))
                .and_then(Value::as_bool)
                == Some(true)
            {
                Some(
                    "it merges the class's Gateways into one fleet of proxies, labelled only with the class",
                )
            } else if at("/envoyDeployment/patch").is_some()
                || at("/envoyDaemonSet/patch").is_some()
            {
                Some(
                    "it patches the proxies' Deployment or DaemonSet, which can move them to the host network",
                )
            } else {
                None
            };
            (at("/envoyService"), moves)
        } else {
            (spec.and_then(|s| s.pointer("/kubernetes/service")), None)
        };
        let field = |f: &str| service.and_then(|s| s.get(f));
        let keeps_client_address = if field("patch").is_some() || field("patches").is_some() {
            None
        } else {
            Some(
                field("externalTrafficPolicy")
                    .and_then(Value::as_str)
                    .is_none_or(|p| p == "Local"),
            )
        };
        Some(ProxyParameters {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
            moves,
            keeps_client_address,
            service_type: field("type").and_then(Value::as_str).map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Envoy Gateway's own examples: merged-gateways.yaml merges,
    /// mergepatch.yaml patches the Deployment onto the host network, an
    /// access-log EnvoyProxy changes neither; `externalTrafficPolicy:
    /// Cluster` gives the client's address up, `type: ClusterIP` keeps the
    /// Gateway inside.
    #[test]
    fn only_what_moves_or_relabels_the_proxies_counts() {
        let of = |spec| {
            ProxyParameters::of(
                "gateway.envoyproxy.io",
                ENVOY_PROXY,
                "envoy-gateway-system",
                "p",
                &json!({"spec": spec}),
            )
            .unwrap()
        };
        assert!(of(json!({"mergeGateways": true})).moves.is_some());
        let patch = json!({"provider": {"type": "Kubernetes", "kubernetes": {"envoyDeployment": {"patch": {
            "type": "StrategicMerge", "value": {"spec": {"template": {"spec": {"hostNetwork": true}}}}}}}}});
        assert!(of(patch).moves.is_some());
        let logs =
            of(json!({"telemetry": {"accessLog": {"settings": [{"format": {"type": "Text"}}]}}}));
        assert_eq!((logs.moves, logs.keeps_client_address), (None, Some(true)));
        let cluster = of(
            json!({"provider": {"type": "Kubernetes", "kubernetes": {"envoyService": {
            "externalTrafficPolicy": "Cluster"}}}}),
        );
        assert_eq!(cluster.keeps_client_address, Some(false));
        let inside = of(
            json!({"provider": {"type": "Kubernetes", "kubernetes": {"envoyService": {
            "type": "ClusterIP"}}}}),
        );
        assert_eq!(inside.service_type.as_deref(), Some("ClusterIP"));
        assert!(ProxyParameters::of("other.io", ENVOY_PROXY, "ns", "p", &json!({})).is_none());
    }

    /// NGINX Gateway Fabric's install's NginxProxy: a LoadBalancer Service
    /// with `externalTrafficPolicy: Local`.
    #[test]
    fn an_nginx_proxy_says_its_service() {
        let install = json!({"spec": {"kubernetes": {"service": {"externalTrafficPolicy": "Local", "type": "LoadBalancer"}}}});
        let p = ProxyParameters::of(
            "gateway.nginx.org",
            NGINX_PROXY,
            "nginx-gateway",
            "c",
            &install,
        )
        .unwrap();
        assert_eq!(
            (p.moves, p.keeps_client_address, p.service_type.as_deref()),
            (None, Some(true), Some("LoadBalancer"))
        );
    }
}
