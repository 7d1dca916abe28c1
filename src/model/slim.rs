//! What svcx keeps of the objects that come in large numbers. A real cluster's
//! Pods carry managed fields, environment, volumes and container statuses, and
//! its Nodes list every image they hold; none of that bears on how traffic
//! reaches a pod, and at 100k pods it is most of the memory. Sources call
//! these as each page arrives, so the full objects never pile up.

use k8s_openapi::api::core::v1::{Container, Node, Pod};

/// Drops what no analysis reads from a Pod: keeps names, labels, deletion
/// time, node, containers' names and ports (and sidecar restart policy), pod
/// IPs, phase and conditions.
pub fn slim_pod(pod: &mut Pod) {
    pod.metadata.managed_fields = None;
    pod.metadata.annotations = None;
    if let Some(spec) = pod.spec.as_mut() {
        spec.volumes = None;
        spec.affinity = None;
        spec.tolerations = None;
        spec.containers.iter_mut().for_each(slim_container);
        spec.init_containers
            .iter_mut()
            .flatten()
            .for_each(slim_container);
        spec.ephemeral_containers = None;
    }
    if let Some(status) = pod.status.as_mut() {
        status.container_statuses = None;
        status.init_container_statuses = None;
        status.ephemeral_container_statuses = None;
    }
}

fn slim_container(c: &mut Container) {
    *c = Container {
        name: std::mem::take(&mut c.name),
        ports: c.ports.take(),
        restart_policy: c.restart_policy.take(),
        ..Default::default()
    };
}

/// Drops what no analysis reads from a Node: keeps names, labels, addresses
/// and conditions.
pub fn slim_node(node: &mut Node) {
    node.metadata.managed_fields = None;
    node.metadata.annotations = None;
    if let Some(status) = node.status.as_mut() {
        status.images = None;
        status.volumes_attached = None;
        status.volumes_in_use = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ContainerPort, EnvVar, PodSpec};

    #[test]
    fn slim_pod_keeps_what_traffic_needs() {
        let mut pod = Pod {
            spec: Some(PodSpec {
                node_name: Some("node-a".into()),
                containers: vec![Container {
                    name: "web".into(),
                    image: Some("example/web:1".into()),
                    env: Some(vec![EnvVar {
                        name: "X".into(),
                        ..Default::default()
                    }]),
                    ports: Some(vec![ContainerPort {
                        container_port: 8080,
                        name: Some("http".into()),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        };
        slim_pod(&mut pod);
        let spec = pod.spec.as_ref().unwrap();
        assert_eq!(spec.node_name.as_deref(), Some("node-a"));
        assert_eq!(spec.containers[0].name, "web");
        assert_eq!(
            spec.containers[0].ports.as_ref().unwrap()[0].container_port,
            8080
        );
        assert!(spec.containers[0].env.is_none());
        assert!(spec.containers[0].image.is_none());
    }
}
