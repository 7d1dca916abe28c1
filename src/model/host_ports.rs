//! hostPort as a way in: a container port published with `hostPort` is
//! opened on the node the pod runs on, at the node's own addresses, so
//! clients that reach the node reach the pod there, past its Services and
//! any Gateway ("hostPort: Number of port to expose on the host", the
//! Kubernetes API's ContainerPort; kubernetes.io/docs/concepts/configuration/overview/,
//! "When you bind a Pod to a hostPort ... the Pod is exposed on the node").

use super::view::ServiceView;
use serde::Serialize;

/// One container port of a Service's backend published on its node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct HostPort {
    /// The pod, or the workload whose template stands in for its pods.
    pub(crate) backend: String,
    /// The node the pod runs on, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) node: Option<String>,
    pub(crate) host_port: i32,
    pub(crate) container_port: i32,
    pub(crate) protocol: String,
}

impl ServiceView<'_> {
    /// The host ports of its backends' containers that publish a port the
    /// Service sends to: another way in to the same pods.
    pub(crate) fn host_ports(&self, snap: &super::Snapshot) -> Vec<HostPort> {
        let mut out = Vec::new();
        for b in &self.backends.items {
            let targets: Vec<i32> = b.ports.iter().filter_map(|p| p.resolution.port).collect();
            let containers = match (&b.pod, &b.workload) {
                (Some(p), _) => snap
                    .pod(&self.namespace, p)
                    .map_or(&[][..], |pod| pod.object.containers()),
                (None, Some(w)) => snap
                    .workloads_in(&self.namespace)
                    .find(|x| format!("{}/{}", x.kind, x.name) == *w)
                    .map_or(&[][..], |x| x.containers.as_slice()),
                (None, None) => &[][..],
            };
            for port in containers.iter().flat_map(|c| c.ports.iter()) {
                if let Some(h) = port.host_port.filter(|_| targets.contains(&port.port)) {
                    out.push(HostPort {
                        backend: b.label(),
                        node: b.node.clone(),
                        host_port: h,
                        container_port: port.port,
                        protocol: port.protocol.clone(),
                    });
                }
            }
        }
        out.dedup();
        out
    }
}
