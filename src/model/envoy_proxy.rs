//! Envoy Gateway's EnvoyProxy (`gateway.envoyproxy.io/v1alpha1`), which a
//! GatewayClass or a Gateway names as its `parametersRef` to customise its
//! proxies. Most customise what they log, count or trace; a few change
//! where the proxies run or how policies name them, or whether their
//! Service keeps the client's address. Only those facts are read
//! (envoyproxy/gateway d32f282 api/v1alpha1/envoyproxy_types.go,
//! kubernetes_helpers.go; examples/kubernetes/merged-gateways.yaml and
//! mergepatch.yaml).

use serde_json::Value;

/// The group and kind.
pub(crate) const GROUP: &str = "gateway.envoyproxy.io";
pub(crate) const KIND: &str = "EnvoyProxy";

/// What an EnvoyProxy says of its Gateways' proxies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EnvoyProxy {
    pub(crate) namespace: String,
    pub(crate) name: String,
    /// Why the proxies may not run where, or be labelled as, Envoy Gateway
    /// places them by default: `mergeGateways` (one fleet per class,
    /// labelled only `owning-gatewayclass`), or a patch of the proxies'
    /// Deployment or DaemonSet (which can move them to the host network).
    pub(crate) moves: Option<&'static str>,
    /// Whether their Service keeps the client's address: its
    /// `externalTrafficPolicy`, `Local` unless set otherwise; `None` when a
    /// patch of the Service may change it.
    pub(crate) keeps_client_address: Option<bool>,
    /// The type of their Service, where it says one (`LoadBalancer` by
    /// default; `ClusterIP` keeps the Gateway inside the cluster).
    pub(crate) service_type: Option<String>,
}

impl EnvoyProxy {
    /// The facts of an object, if it is an EnvoyProxy.
    pub(crate) fn of(
        group: &str,
        kind: &str,
        namespace: &str,
        name: &str,
        value: &Value,
    ) -> Option<Self> {
        if group != GROUP || kind != KIND {
            return None;
        }
        let spec = value.get("spec");
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
        } else if at("/envoyDeployment/patch").is_some() || at("/envoyDaemonSet/patch").is_some() {
            Some(
                "it patches the proxies' Deployment or DaemonSet, which can move them to the host network",
            )
        } else {
            None
        };
        let keeps_client_address = if at("/envoyService/patch").is_some() {
            None
        } else {
            Some(
                at("/envoyService/externalTrafficPolicy")
                    .and_then(Value::as_str)
                    .is_none_or(|p| p == "Local"),
            )
        };
        Some(EnvoyProxy {
            namespace: namespace.to_string(),
            name: name.to_string(),
            moves,
            keeps_client_address,
            service_type: at("/envoyService/type")
                .and_then(Value::as_str)
                .map(str::to_string),
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
    /// Cluster` gives the client's address up.
    #[test]
    fn only_what_moves_or_relabels_the_proxies_counts() {
        let of = |spec| {
            EnvoyProxy::of(
                GROUP,
                KIND,
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
        assert!(EnvoyProxy::of("other.io", KIND, "ns", "p", &json!({})).is_none());
    }
}
