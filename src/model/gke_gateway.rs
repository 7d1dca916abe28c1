//! GKE's GatewayClasses (GKE docs, "GatewayClass capabilities"; controller
//! `networking.gke.io/gateway`): which load balancer each is, and so where
//! its requests reach the pods from. A GKE Gateway is a Google Cloud load
//! balancer, not pods of the cluster: the global external ones send from
//! Google's front ends, the regional and internal ones from the region's
//! proxy-only subnet (cloud.google.com/load-balancing/docs/firewall-rules;
//! .../proxy-only-subnets).

/// The controller of GKE's GatewayClasses.
pub(crate) const CONTROLLER: &str = "networking.gke.io/gateway";

/// GKE's internal classes: reachable only inside the VPC.
pub(crate) const INTERNAL_CLASSES: &[&str] = &[
    "gke-l7-rilb",
    "gke-l7-rilb-mc",
    "gke-l7-cross-regional-internal-managed-mc",
];

/// GKE's global external classes: their requests come from Google's front
/// ends.
const GLOBAL_EXTERNAL_CLASSES: &[&str] = &[
    "gke-l7-global-external-managed",
    "gke-l7-global-external-managed-mc",
    "gke-l7-gxlb",
    "gke-l7-gxlb-mc",
];

/// GKE's regional external classes.
const REGIONAL_EXTERNAL_CLASSES: &[&str] = &[
    "gke-l7-regional-external-managed",
    "gke-l7-regional-external-managed-mc",
];

/// Whether `class` is one of GKE's own GatewayClasses, which GKE creates
/// in every cluster with Gateway API enabled: a Gateway of that class is
/// GKE's even when the GatewayClass was not read.
pub(crate) fn is_gke_class(class: &str) -> bool {
    [
        INTERNAL_CLASSES,
        GLOBAL_EXTERNAL_CLASSES,
        REGIONAL_EXTERNAL_CLASSES,
    ]
    .iter()
    .any(|list| list.contains(&class))
}

/// The source ranges of Google's front ends (and health checks), which
/// backends must admit behind a global external load balancer.
pub(crate) const FRONT_END_RANGES: &[&str] = &["35.191.0.0/16", "130.211.0.0/22"];

/// Where a GKE class's requests reach the pods from: Google's front ends'
/// ranges, or `None` where it is the region's proxy-only subnet, whose
/// range is the VPC's, not the cluster's.
pub(crate) fn source_ranges(class: &str) -> Option<&'static [&'static str]> {
    GLOBAL_EXTERNAL_CLASSES
        .contains(&class)
        .then_some(FRONT_END_RANGES)
}
