//! SVC203: the container declares the target port with another protocol
//! (raised by the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service port whose target port is declared by the container
    /// with another protocol (TCP, UDP, SCTP).
    ///
    /// ## Why is this bad?
    /// With a named targetPort, the name is looked up together with the
    /// protocol, so it does not resolve and the backend is no endpoint of the
    /// port (an error when no backend is left). With a numeric one, packets
    /// are still sent there, in a protocol the app may not speak.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - port: 53
    ///     protocol: UDP
    ///     targetPort: dns    # declared as TCP in the container
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - name: dns-udp
    ///     port: 53
    ///     protocol: UDP
    ///     targetPort: dns-udp
    ///   - name: dns-tcp
    ///     port: 53
    ///     protocol: TCP
    ///     targetPort: dns-tcp
    /// ```
    ///
    /// ## How to fix
    /// Declare the container port with the Service port's protocol (a port
    /// served on both needs two declarations), or change the Service port's
    /// protocol.
    ///
    /// ## Known limitations
    /// From manifests, only the workloads in the input are checked.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/networking/service-protocols/
    code: "SVC203",
    name: "protocol-mismatch",
    severity: Warning,
    summary: "the container declares the target port with another protocol",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::view_findings::ports::target_port,
        crate::model::view::unresolved_code,
    ],
}
