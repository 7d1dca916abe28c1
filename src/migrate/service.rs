//! The rewritten Service: ClusterIP, with every field of the node port and
//! load balancer layers removed, and what the API server set (status, uid,
//! resourceVersion, the load balancer finalizer...) stripped, so that
//! `kubectl apply` of the result changes the type cleanly.

use super::is_lb_annotation;
use crate::model::slim::LAST_APPLIED;
use crate::model::view::ServiceView;
use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// The Service as ClusterIP: selector, ports (without nodePort) and cluster
/// IPs kept; node port and load balancer fields, externalIPs and load
/// balancer annotations removed.
pub(crate) fn rewrite(view: &ServiceView) -> Service {
    let original = &view.located.object;
    let annotations = original.metadata.annotations.as_ref().map(|a| {
        a.iter()
            .filter(|(k, _)| k.as_str() != LAST_APPLIED && !is_lb_annotation(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    });
    let metadata = ObjectMeta {
        name: original.metadata.name.clone(),
        namespace: original.metadata.namespace.clone(),
        labels: original.metadata.labels.clone(),
        annotations: annotations.filter(|a: &std::collections::BTreeMap<_, _>| !a.is_empty()),
        ..ObjectMeta::default()
    };
    let spec = ServiceSpec {
        type_: Some("ClusterIP".into()),
        ports: view.spec.ports.as_ref().map(|ports| {
            ports
                .iter()
                .map(|p| ServicePort {
                    node_port: None,
                    ..p.clone()
                })
                .collect()
        }),
        external_ips: None,
        external_traffic_policy: None,
        health_check_node_port: None,
        allocate_load_balancer_node_ports: None,
        load_balancer_class: None,
        load_balancer_ip: None,
        load_balancer_source_ranges: None,
        ..view.spec.clone()
    };
    Service {
        metadata,
        spec: Some(spec),
        status: None,
    }
}
