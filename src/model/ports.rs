//! Resolving a Service port's `targetPort` against a pod, the way the
//! EndpointSlice controller does: a number is used as is (declaring it as a
//! `containerPort` is optional), a name is looked up among the pod's container
//! ports with the same protocol, per pod, so pods of one Service may resolve one
//! name to different numbers.

use super::slim::{SlimContainer, SlimPort};
use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

/// A Service's ports, in `spec.ports` order: what a route's, an Ingress's
/// or a trace target's port is looked up in, by position.
pub(crate) fn service_ports(svc: &Service) -> &[ServicePort] {
    svc.spec
        .as_ref()
        .and_then(|s| s.ports.as_deref())
        .unwrap_or_default()
}

/// How one Service port's targetPort lands on one pod.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct TargetResolution {
    /// The port number traffic is sent to, if it could be resolved.
    pub(crate) port: Option<i32>,
    /// The container that declares that port, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) container: Option<String>,
    #[serde(flatten)]
    pub(crate) status: TargetStatus,
}

/// Whether the resolution is sound.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub(crate) enum TargetStatus {
    /// A container declares this port with the Service port's protocol.
    Declared,
    /// A numeric targetPort no container declares. Traffic still goes there:
    /// containerPort declarations are informational for numeric ports.
    Undeclared,
    /// A named targetPort that no container of this pod declares: the pod gets
    /// no endpoint for this port.
    NameNotFound { name: String },
    /// A container declares the port, but with another protocol.
    ProtocolMismatch { declared: String },
    /// The EndpointSlice gives the number; the pod's spec was not read, so
    /// its declared ports cannot be checked.
    Unchecked,
    /// The backend's EndpointSlice has no port named like the Service port,
    /// so kube-proxy has no endpoint there for it.
    SlicePortMissing,
}

/// Whether the API server takes `n` as a port number (`IsValidPortNum` in
/// k8s.io/apimachinery/pkg/util/validation: 1-65535).
pub(crate) fn is_port_number(n: i32) -> bool {
    (1..=65535).contains(&n)
}

/// Reads a Service's port fields as the API server stores them. `nodePort`
/// and `healthCheckNodePort` are plain int32 fields whose unset value is 0,
/// so a manifest's `nodePort: 0` asks for what leaving it out asks for: the
/// API server allocates one at creation (`initNodePorts` and
/// `allocHealthCheckNodePort` in pkg/registry/core/service/storage/alloc.go
/// allocate when the field is 0). Read as unset, every consumer (layers,
/// trace, lint's node port checks) agrees with the cluster.
pub(crate) fn read_as_stored(svc: &mut Service) {
    let Some(spec) = svc.spec.as_mut() else {
        return;
    };
    for p in spec.ports.iter_mut().flatten() {
        if p.node_port == Some(0) {
            p.node_port = None;
        }
    }
    if spec.health_check_node_port == Some(0) {
        spec.health_check_node_port = None;
    }
}

/// The protocol of a Service port or container port (TCP when unset).
pub(crate) fn protocol(p: Option<&String>) -> &str {
    p.map(String::as_str).unwrap_or("TCP")
}

/// The targetPort a Service port sends to: its `targetPort`, or `port` when
/// unset, 0 or empty (the API server defaults it that way).
pub(crate) fn target_port(sp: &ServicePort) -> IntOrString {
    match &sp.target_port {
        None => IntOrString::Int(sp.port),
        Some(IntOrString::Int(0)) => IntOrString::Int(sp.port),
        Some(IntOrString::String(s)) if s.is_empty() => IntOrString::Int(sp.port),
        Some(t) => t.clone(),
    }
}

/// Resolves a Service port on a pod.
pub(crate) fn resolve_on_pod(sp: &ServicePort, pod: &super::slim::SlimPod) -> TargetResolution {
    resolve_target_port(sp, pod.containers())
}

/// Resolves a Service port on a workload's pod template.
pub(crate) fn resolve_on_template(sp: &ServicePort, w: &super::Workload) -> TargetResolution {
    resolve_target_port(sp, &w.containers)
}

/// `8080` or `http`, for display.
pub(crate) fn format_int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// Container ports a pod exposes, with the container declaring each. The
/// containers are a pod's regular containers and its sidecars (init
/// containers with `restartPolicy: Always`, which keep running and whose ports
/// the endpoint controller resolves too).
fn container_ports(containers: &[SlimContainer]) -> impl Iterator<Item = (&str, &SlimPort)> {
    containers
        .iter()
        .flat_map(|c| c.ports.iter().map(move |p| (c.name.as_str(), p)))
}

/// Resolves a Service port's targetPort on one pod's containers.
pub(crate) fn resolve_target_port(
    sp: &ServicePort,
    containers: &[SlimContainer],
) -> TargetResolution {
    let proto = protocol(sp.protocol.as_ref());
    match target_port(sp) {
        IntOrString::Int(n) => {
            let mut other_proto = None;
            for (container, cp) in container_ports(containers) {
                if cp.port == n {
                    let cproto = cp.protocol.as_str();
                    if cproto == proto {
                        return TargetResolution {
                            port: Some(n),
                            container: Some(container.to_string()),
                            status: TargetStatus::Declared,
                        };
                    }
                    other_proto = Some((container.to_string(), cproto.to_string()));
                }
            }
            match other_proto {
                Some((container, declared)) => TargetResolution {
                    port: Some(n),
                    container: Some(container),
                    status: TargetStatus::ProtocolMismatch { declared },
                },
                None => TargetResolution {
                    port: Some(n),
                    container: None,
                    status: TargetStatus::Undeclared,
                },
            }
        }
        IntOrString::String(name) => {
            // A numeric string ("8080") is treated as the number by the API's
            // defaulting; honour that rather than calling it a missing name.
            if let Ok(n) = name.parse::<i32>() {
                let numeric = ServicePort {
                    target_port: Some(IntOrString::Int(n)),
                    ..sp.clone()
                };
                return resolve_target_port(&numeric, containers);
            }
            let mut other_proto = None;
            for (container, cp) in container_ports(containers) {
                if cp.name.as_deref() == Some(name.as_str()) {
                    let cproto = cp.protocol.as_str();
                    if cproto == proto {
                        return TargetResolution {
                            port: Some(cp.port),
                            container: Some(container.to_string()),
                            status: TargetStatus::Declared,
                        };
                    }
                    other_proto = Some((container.to_string(), cproto.to_string()));
                }
            }
            match other_proto {
                Some((container, declared)) => TargetResolution {
                    port: None,
                    container: Some(container),
                    status: TargetStatus::ProtocolMismatch { declared },
                },
                None => TargetResolution {
                    port: None,
                    container: None,
                    status: TargetStatus::NameNotFound { name },
                },
            }
        }
    }
}

/// What a Service port carries, from its protocol, appProtocol, name and
/// number: the route kind it moves to behind a Gateway, and whether it is
/// the kind of port clients outside reach (HTTP, gRPC, TLS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PortKind {
    Http,
    Grpc,
    Tls,
    Tcp,
    Udp,
    Sctp,
}

/// Reads what a Service port carries. gRPC: appProtocol `grpc`, or a port
/// named `grpc`/`grpc-*`. HTTP: appProtocol `http`, `kubernetes.io/h2c`,
/// `kubernetes.io/ws`, or names `http`, `http2`, `web`, `http-*`, or ports
/// 80, 8000 and 8080. TLS: appProtocol `https`, `tls`, `kubernetes.io/wss`,
/// names `https`, `tls`, `https-*`, `tls-*`, or ports 443 and 8443.
pub(crate) fn port_kind(sp: &ServicePort) -> PortKind {
    match sp.protocol.as_deref() {
        Some("UDP") => return PortKind::Udp,
        Some("SCTP") => return PortKind::Sctp,
        _ => {}
    }
    let app = sp
        .app_protocol
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = sp.name.as_deref().unwrap_or_default();
    let named = |prefix: &str| name == prefix || name.starts_with(&format!("{prefix}-"));
    if app == "grpc" || named("grpc") {
        return PortKind::Grpc;
    }
    match app.as_str() {
        "http" | "http2" | "kubernetes.io/h2c" | "kubernetes.io/ws" => return PortKind::Http,
        "https" | "tls" | "kubernetes.io/wss" => return PortKind::Tls,
        _ => {}
    }
    if named("https") || named("tls") {
        return PortKind::Tls;
    }
    if named("http") || named("http2") || named("web") {
        return PortKind::Http;
    }
    match sp.port {
        80 | 8000 | 8080 => PortKind::Http,
        443 | 8443 => PortKind::Tls,
        _ => PortKind::Tcp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(ports: &[(&str, i32, &str)]) -> Vec<SlimContainer> {
        vec![SlimContainer {
            name: "app".into(),
            image: String::new(),
            ports: ports
                .iter()
                .map(|(n, p, proto)| SlimPort {
                    name: (!n.is_empty()).then(|| n.to_string()),
                    port: *p,
                    protocol: proto.to_string(),
                    host_port: None,
                })
                .collect(),
            sidecar: false,
        }]
    }

    fn sp(port: i32, target: Option<IntOrString>, proto: &str) -> ServicePort {
        ServicePort {
            port,
            target_port: target,
            protocol: Some(proto.into()),
            ..Default::default()
        }
    }

    #[test]
    fn named_port_resolves_per_pod() {
        let p = sp(80, Some(IntOrString::String("http".into())), "TCP");
        assert_eq!(
            resolve_target_port(&p, &spec(&[("http", 8080, "TCP")])).port,
            Some(8080)
        );
        assert_eq!(
            resolve_target_port(&p, &spec(&[("http", 8081, "TCP")])).port,
            Some(8081)
        );
        let missing = resolve_target_port(&p, &spec(&[("web", 8080, "TCP")]));
        assert_eq!(
            missing.status,
            TargetStatus::NameNotFound {
                name: "http".into()
            }
        );
        assert_eq!(missing.port, None);
    }

    #[test]
    fn numeric_port_need_not_be_declared() {
        let r = resolve_target_port(&sp(80, Some(IntOrString::Int(9000)), "TCP"), &spec(&[]));
        assert_eq!(r.status, TargetStatus::Undeclared);
        assert_eq!(r.port, Some(9000));
    }

    #[test]
    fn unset_target_port_defaults_to_port() {
        let r = resolve_target_port(&sp(8443, None, "TCP"), &spec(&[("", 8443, "TCP")]));
        assert_eq!(r.status, TargetStatus::Declared);
    }

    #[test]
    fn protocol_mismatch_is_reported() {
        let r = resolve_target_port(&sp(53, None, "UDP"), &spec(&[("dns", 53, "TCP")]));
        assert_eq!(
            r.status,
            TargetStatus::ProtocolMismatch {
                declared: "TCP".into()
            }
        );
        let named = resolve_target_port(
            &sp(53, Some(IntOrString::String("dns".into())), "UDP"),
            &spec(&[("dns", 53, "TCP")]),
        );
        assert_eq!(named.port, None);
    }

    #[test]
    fn named_port_resolves_on_a_sidecar() {
        let mut containers = spec(&[("http", 8080, "TCP")]);
        containers.push(SlimContainer {
            name: "proxy".into(),
            image: String::new(),
            ports: vec![SlimPort {
                name: Some("admin".into()),
                port: 15000,
                protocol: "TCP".into(),
                host_port: None,
            }],
            sidecar: true,
        });
        let r = resolve_target_port(
            &sp(15000, Some(IntOrString::String("admin".into())), "TCP"),
            &containers,
        );
        assert_eq!(r.port, Some(15000));
        assert_eq!(r.container.as_deref(), Some("proxy"));
        assert_eq!(r.status, TargetStatus::Declared);
    }
}
