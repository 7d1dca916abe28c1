//! What `svcx --version` says beyond svcx's own version: which Kubernetes
//! API svcx's types come from, and which Gateway API releases it knows.
//! Each is read from where the code decides it (k8s-openapi's version
//! feature in Cargo.toml, [`crate::migrate::target`]), not written twice.

use crate::migrate::target::NEWEST_MINOR;

// k8s-openapi compiles the API of exactly one Kubernetes release, chosen by a
// Cargo feature (`v1_32`, ...), and exports a `k8s_if_1_XX!` macro per release
// that keeps its contents only for the chosen one.
k8s_openapi::k8s_if_1_32! { const KUBERNETES_API: &str = "v1.32"; }
k8s_openapi::k8s_if_1_33! { const KUBERNETES_API: &str = "v1.33"; }
k8s_openapi::k8s_if_1_34! { const KUBERNETES_API: &str = "v1.34"; }
k8s_openapi::k8s_if_1_35! { const KUBERNETES_API: &str = "v1.35"; }
k8s_openapi::k8s_if_1_36! { const KUBERNETES_API: &str = "v1.36"; }

/// The Kubernetes API release svcx reads objects as (`v1.32`).
pub fn kubernetes_api() -> &'static str {
    KUBERNETES_API
}

/// The Kubernetes releases whose behaviour svcx's semantics follow: what
/// kube-proxy, the EndpointSlice controller and the API server do in them
/// (externalIPs deprecated in 1.36, trafficDistribution `PreferSameNode`
/// GA in 1.35, EndpointSlice `endpoints` optional from 1.33...).
pub const KUBERNETES_SEMANTICS: &str = "1.33 to 1.36";

/// The Gateway API releases svcx reads and writes for (`v1.0 to v1.6`).
pub fn gateway_api() -> String {
    format!("v1.0 to v1.{NEWEST_MINOR}")
}

/// The text of `svcx --version`, after the name: the version, then what svcx
/// knows of Kubernetes and of the Gateway API. Built once, and `'static` as
/// clap's version strings are.
pub(crate) fn long() -> &'static str {
    static LONG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LONG.get_or_init(|| {
        format!(
        "{}\nKubernetes API: {} (k8s-openapi); semantics of Kubernetes {KUBERNETES_SEMANTICS}\nGateway API: {}, standard and experimental channels",
        env!("CARGO_PKG_VERSION"),
        kubernetes_api(),
            gateway_api()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_apis_svcx_knows() {
        assert!(kubernetes_api().starts_with("v1."));
        assert!(gateway_api().ends_with(&format!("v1.{NEWEST_MINOR}")));
        let text = long();
        assert_eq!(text.lines().next(), Some(env!("CARGO_PKG_VERSION")));
        assert_eq!(text.lines().count(), 3);
    }
}
