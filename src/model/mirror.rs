//! v1 Endpoints, turned into the EndpointSlices the EndpointSlice mirroring
//! controller writes for them. A Service without a selector gets no
//! endpoints from Kubernetes; whoever manages its backends may write an
//! Endpoints object (of the Service's name) instead of EndpointSlices, and
//! the mirroring controller copies it into slices, which kube-proxy reads.
//!
//! What the controller does (kubernetes/kubernetes
//! `pkg/controller/endpointslicemirroring`):
//! - it mirrors only for a Service that exists and whose `spec.selector` is
//!   nil (`syncEndpoints`; a selector written `{}` is stored without
//!   entries, omitted like a nil map, and read back as nil), and skips
//!   Endpoints labelled
//!   `endpointslice.kubernetes.io/skip-mirror: "true"` or carrying the
//!   leader-election annotation (`shouldMirror`);
//! - each address becomes an endpoint with `ready: true` (`addresses`) or
//!   `ready: false` (`notReadyAddresses`), its nodeName, hostname and
//!   targetRef kept; an address that is not an IP is skipped
//!   (`addressToEndpoint` in `utils.go`);
//! - at most 1000 addresses per subset are mirrored, ready ones first
//!   (`reconcile` in `reconciler.go`; the controller's
//!   `--mirroring-max-endpoints-per-subset` default);
//! - slices are grouped by address family and port set, labelled
//!   `kubernetes.io/service-name` with the Endpoints' name.

use super::index::SERVICE_NAME_LABEL;
use k8s_openapi::api::core::v1::{EndpointAddress, Endpoints, Service};
use k8s_openapi::api::discovery::v1::{EndpointConditions, EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::ResourceExt;

/// The label that keeps an Endpoints object from being mirrored.
pub(crate) const SKIP_MIRROR_LABEL: &str = "endpointslice.kubernetes.io/skip-mirror";
/// The annotation of Endpoints used as leader-election locks (never mirrored).
const LEADER_ANNOTATION: &str = "control-plane.alpha.kubernetes.io/leader";
/// Addresses mirrored per subset.
pub(crate) const MAX_PER_SUBSET: usize = 1000;

/// Whether the mirroring controller copies Endpoints for this Service: it has
/// no selector (none written, or an empty one, which is stored as none).
pub(crate) fn mirrors_for(svc: &Service) -> bool {
    svc.spec.as_ref().is_some_and(|s| {
        s.selector.as_ref().is_none_or(|m| m.is_empty())
            && s.type_.as_deref() != Some("ExternalName")
    })
}

/// The slices the mirroring controller writes for `endpoints`; none when it
/// does not mirror them.
pub(crate) fn mirror(endpoints: &Endpoints) -> Vec<EndpointSlice> {
    let labels = endpoints.labels();
    if labels.get(SKIP_MIRROR_LABEL).is_some_and(|v| v == "true")
        || endpoints.annotations().contains_key(LEADER_ANNOTATION)
    {
        return Vec::new();
    }
    let name = endpoints.name_any();
    let mut slices: Vec<EndpointSlice> = Vec::new();
    for subset in endpoints.subsets.iter().flatten() {
        let ports: Vec<EndpointPort> = subset
            .ports
            .iter()
            .flatten()
            .map(|p| EndpointPort {
                name: Some(p.name.clone().unwrap_or_default()),
                port: Some(p.port),
                protocol: Some(p.protocol.clone().unwrap_or_else(|| "TCP".into())),
                app_protocol: p.app_protocol.clone(),
            })
            .collect();
        let ready = subset.addresses.iter().flatten().map(|a| (a, true));
        let not_ready = subset
            .not_ready_addresses
            .iter()
            .flatten()
            .map(|a| (a, false));
        let mut added = 0;
        for (address, ready) in ready.chain(not_ready) {
            if added >= MAX_PER_SUBSET {
                break;
            }
            let Some((ip, family)) = canonical(&address.ip) else {
                continue;
            };
            added += 1;
            let slice = match slices
                .iter_mut()
                .find(|s| s.address_type == family && s.ports.as_ref() == Some(&ports))
            {
                Some(s) => s,
                None => {
                    slices.push(new_slice(endpoints, &name, family, ports.clone()));
                    slices.last_mut().expect("just pushed")
                }
            };
            slice
                .endpoints
                .get_or_insert_with(Vec::new)
                .push(endpoint(address, ip, ready));
        }
    }
    slices
}

fn new_slice(
    endpoints: &Endpoints,
    name: &str,
    family: String,
    ports: Vec<EndpointPort>,
) -> EndpointSlice {
    let mut labels = endpoints.labels().clone();
    labels.insert(SERVICE_NAME_LABEL.to_string(), name.to_string());
    labels.insert(
        "endpointslice.kubernetes.io/managed-by".to_string(),
        "endpointslicemirroring-controller.k8s.io".to_string(),
    );
    EndpointSlice {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: endpoints.metadata.namespace.clone(),
            labels: Some(labels),
            ..ObjectMeta::default()
        },
        address_type: family,
        endpoints: Some(Vec::new()),
        ports: Some(ports),
    }
}

fn endpoint(
    address: &EndpointAddress,
    ip: String,
    ready: bool,
) -> k8s_openapi::api::discovery::v1::Endpoint {
    k8s_openapi::api::discovery::v1::Endpoint {
        addresses: vec![ip],
        conditions: Some(EndpointConditions {
            ready: Some(ready),
            serving: None,
            terminating: None,
        }),
        hostname: address.hostname.clone().filter(|h| !h.is_empty()),
        node_name: address.node_name.clone(),
        target_ref: address.target_ref.clone(),
        ..Default::default()
    }
}

/// The IP as the controller writes it back (parsed and printed again), and
/// its slice address type; `None` for what is not an IP.
fn canonical(ip: &str) -> Option<(String, String)> {
    match ip.trim().parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v4) => Some((v4.to_string(), "IPv4".into())),
        std::net::IpAddr::V6(v6) => Some((v6.to_string(), "IPv6".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn endpoints(v: serde_json::Value) -> Endpoints {
        serde_json::from_value(v).expect("Endpoints")
    }

    #[test]
    fn addresses_become_ready_and_not_ready_endpoints() {
        let e = endpoints(json!({
            "metadata": {"name": "gluster", "namespace": "default"},
            "subsets": [
                {"addresses": [{"ip": "10.240.106.152"}, {"ip": "fd00::1"}], "notReadyAddresses": [{"ip": "10.0.0.9", "nodeName": "n1"}],
                 "ports": [{"port": 1}]},
                {"addresses": [{"ip": "not-an-ip"}], "ports": [{"port": 2, "name": "b"}]},
            ],
        }));
        let slices = mirror(&e);
        assert_eq!(
            slices.len(),
            2,
            "IPv4 and IPv6 of the first subset; the bad address is skipped"
        );
        let v4 = &slices[0];
        assert_eq!(v4.address_type, "IPv4");
        assert_eq!(v4.labels()[SERVICE_NAME_LABEL], "gluster");
        let v4_endpoints = v4.endpoints.as_deref().unwrap_or_default();
        let ready: Vec<Option<bool>> = v4_endpoints
            .iter()
            .map(|e| e.conditions.as_ref().and_then(|c| c.ready))
            .collect();
        assert_eq!(ready, [Some(true), Some(false)]);
        assert_eq!(v4_endpoints[1].node_name.as_deref(), Some("n1"));
        assert_eq!(v4.ports.as_ref().unwrap()[0].name.as_deref(), Some(""));
        assert_eq!(slices[1].address_type, "IPv6");
    }

    #[test]
    fn skip_mirror_and_leader_locks_are_not_mirrored() {
        let skip = endpoints(json!({
            "metadata": {"name": "x", "labels": {SKIP_MIRROR_LABEL: "true"}},
            "subsets": [{"addresses": [{"ip": "10.0.0.1"}]}],
        }));
        assert!(mirror(&skip).is_empty());
        let lock = endpoints(json!({
            "metadata": {"name": "x", "annotations": {LEADER_ANNOTATION: "{}"}},
            "subsets": [{"addresses": [{"ip": "10.0.0.1"}]}],
        }));
        assert!(mirror(&lock).is_empty());
    }

    #[test]
    fn at_most_a_thousand_addresses_per_subset() {
        let addresses: Vec<serde_json::Value> = (0..1200)
            .map(|i| json!({"ip": format!("10.1.{}.{}", i / 250, i % 250)}))
            .collect();
        let e =
            endpoints(json!({"metadata": {"name": "big"}, "subsets": [{"addresses": addresses}]}));
        assert_eq!(
            mirror(&e)[0].endpoints.as_ref().map(Vec::len),
            Some(MAX_PER_SUBSET)
        );
    }

    #[test]
    fn only_services_without_a_selector_are_mirrored() {
        let svc = |spec: serde_json::Value| -> Service {
            serde_json::from_value(json!({"metadata": {"name": "s"}, "spec": spec})).unwrap()
        };
        assert!(mirrors_for(&svc(json!({"ports": [{"port": 1}]}))));
        assert!(mirrors_for(&svc(json!({"selector": {}}))));
        assert!(!mirrors_for(&svc(json!({"selector": {"app": "a"}}))));
        assert!(!mirrors_for(&svc(
            json!({"type": "ExternalName", "externalName": "a.example"})
        )));
    }
}
