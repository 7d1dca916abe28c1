//! Which Gateway API release and channel a migration writes for, and what
//! each serves: the kinds and `apiVersion`s per release, read from the
//! releases' CRDs (v1.0 to v1.6, standard and experimental channels).

use serde::Serialize;
use std::fmt;

/// The newest Gateway API release svcx knows (its minor version, v1.x).
pub(crate) const NEWEST_MINOR: u8 = 6;

/// The Gateway API group.
pub(crate) const GROUP: &str = "gateway.networking.k8s.io";

/// A release channel of the Gateway API CRDs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// The stable kinds only.
    #[default]
    Standard,
    /// The stable kinds plus the experimental ones of the release.
    Experimental,
}

/// The Gateway API a migration writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Release {
    /// The release's minor version: 5 for v1.5.
    pub minor: u8,
    pub channel: Channel,
}

/// A kind a migration may write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) enum ApiKind {
    Gateway,
    #[serde(rename = "HTTPRoute")]
    HttpRoute,
    #[serde(rename = "GRPCRoute")]
    GrpcRoute,
    #[serde(rename = "TLSRoute")]
    TlsRoute,
    #[serde(rename = "TCPRoute")]
    TcpRoute,
    #[serde(rename = "UDPRoute")]
    UdpRoute,
    ReferenceGrant,
}

impl ApiKind {
    /// The kind as Kubernetes spells it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ApiKind::Gateway => "Gateway",
            ApiKind::HttpRoute => "HTTPRoute",
            ApiKind::GrpcRoute => "GRPCRoute",
            ApiKind::TlsRoute => "TLSRoute",
            ApiKind::TcpRoute => "TCPRoute",
            ApiKind::UdpRoute => "UDPRoute",
            ApiKind::ReferenceGrant => "ReferenceGrant",
        }
    }
}

impl fmt::Display for ApiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Release {
    /// The newest release svcx knows, on the standard channel.
    pub(crate) fn newest() -> Self {
        Release {
            minor: NEWEST_MINOR,
            channel: Channel::Standard,
        }
    }

    /// Reads `v1.5` (or `1.5`, `v1.5.1`: the patch does not change the kinds).
    pub(crate) fn parse_release(s: &str) -> Result<u8, String> {
        let bare = s.trim().trim_start_matches('v');
        let mut parts = bare.split('.');
        let (major, minor) = (parts.next(), parts.next());
        let patch_ok = parts.all(|p| p.parse::<u32>().is_ok());
        match (major, minor.map(str::parse::<u8>)) {
            (Some("1"), Some(Ok(minor))) if minor <= NEWEST_MINOR && patch_ok => Ok(minor),
            _ => Err(format!(
                "`{s}` is not a Gateway API release svcx knows; use v1.0 to v1.{NEWEST_MINOR}"
            )),
        }
    }

    /// The `apiVersion` this target serves `kind` at, or `None` when the
    /// target's CRDs do not serve it. Prefers `v1` wherever it is served.
    pub(crate) fn api_version(self, kind: ApiKind) -> Option<String> {
        let experimental = self.channel == Channel::Experimental;
        let version = match kind {
            ApiKind::Gateway | ApiKind::HttpRoute => "v1",
            // GRPCRoute became v1 (standard) in v1.1.
            ApiKind::GrpcRoute if self.minor >= 1 => "v1",
            // TLSRoute v1 is standard from v1.5; v1alpha2 before, experimental only.
            ApiKind::TlsRoute if self.minor >= 5 => "v1",
            // TCPRoute and UDPRoute v1 are standard from v1.6.
            ApiKind::TcpRoute | ApiKind::UdpRoute if self.minor >= 6 => "v1",
            ApiKind::GrpcRoute | ApiKind::TlsRoute | ApiKind::TcpRoute | ApiKind::UdpRoute
                if experimental =>
            {
                "v1alpha2"
            }
            ApiKind::GrpcRoute | ApiKind::TlsRoute | ApiKind::TcpRoute | ApiKind::UdpRoute => {
                return None;
            }
            // Served as v1 (and v1beta1) from v1.5; v1beta1 only up to v1.4.
            ApiKind::ReferenceGrant if self.minor >= 5 => "v1",
            ApiKind::ReferenceGrant => "v1beta1",
        };
        Some(format!("{GROUP}/{version}"))
    }

    /// The first target that serves `kind`, counting from this release and
    /// channel: what the user could choose instead. Experimental first at
    /// this release, else the first later standard release.
    pub(crate) fn first_serving(self, kind: ApiKind) -> Option<Release> {
        if self.api_version(kind).is_some() {
            return Some(self);
        }
        let experimental = Release {
            minor: self.minor,
            channel: Channel::Experimental,
        };
        if self.channel == Channel::Standard && experimental.api_version(kind).is_some() {
            return Some(experimental);
        }
        (self.minor..=NEWEST_MINOR)
            .map(|minor| Release {
                minor,
                channel: Channel::Standard,
            })
            .find(|t| t.api_version(kind).is_some())
    }
}

/// What decides the kinds and `apiVersion`s a migration writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Writes {
    /// A release and channel: `--gateway-api-version`, or the newest.
    Release(Release),
    /// What a live cluster serves, from discovery: `(kind, version)` pairs.
    Served(Vec<(String, String)>),
}

impl Writes {
    /// The `apiVersion` to write `kind` at, or `None` when it is not served.
    /// From a cluster's versions, the first svcx writes of `v1`, `v1beta1`
    /// and `v1alpha2`.
    pub(crate) fn api_version(&self, kind: ApiKind) -> Option<String> {
        match self {
            Writes::Release(t) => t.api_version(kind),
            Writes::Served(served) => ["v1", "v1beta1", "v1alpha2"]
                .into_iter()
                .find(|v| served.iter().any(|(k, sv)| k == kind.as_str() && sv == v))
                .map(|v| format!("{GROUP}/{v}")),
        }
    }

    /// The oldest release this can be: the target's own, or, from a
    /// cluster's discovery, the release that first served the newest
    /// version it serves (TCPRoute v1: v1.6; TLSRoute v1: v1.5; GRPCRoute
    /// v1: v1.1). Fields that came with a release (the HTTPRoute CORS
    /// filter, redirect codes 303/307/308 in v1.5) are written only from it.
    pub(crate) fn release_at_least(&self) -> u8 {
        match self {
            Writes::Release(t) => t.minor,
            Writes::Served(_) => {
                let v1 = |kind| {
                    self.api_version(kind).as_deref() == Some("gateway.networking.k8s.io/v1")
                };
                if v1(ApiKind::TcpRoute) || v1(ApiKind::UdpRoute) {
                    6
                } else if v1(ApiKind::TlsRoute) || v1(ApiKind::ReferenceGrant) {
                    5
                } else if v1(ApiKind::GrpcRoute) {
                    1
                } else {
                    0
                }
            }
        }
    }

    /// Where a kind that is not served could be had.
    pub(crate) fn would_serve(&self, kind: ApiKind) -> String {
        let target = match self {
            Writes::Release(t) => *t,
            Writes::Served(_) => Release::newest(),
        };
        match target.first_serving(kind) {
            Some(t) => format!("{t} serves it"),
            None => "no Gateway API release svcx knows serves it".into(),
        }
    }
}

impl fmt::Display for Writes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Writes::Release(t) => t.fmt(f),
            Writes::Served(_) => f.write_str("the cluster"),
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let channel = match self.channel {
            Channel::Standard => "standard",
            Channel::Experimental => "experimental",
        };
        write!(f, "Gateway API v1.{} ({channel} channel)", self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(minor: u8, channel: Channel) -> Release {
        Release { minor, channel }
    }

    fn version(target: Release, kind: ApiKind) -> Option<String> {
        target.api_version(kind).map(|v| {
            v.trim_start_matches("gateway.networking.k8s.io/")
                .to_string()
        })
    }

    #[test]
    fn releases_parse() {
        assert_eq!(Release::parse_release("v1.5"), Ok(5));
        assert_eq!(Release::parse_release("1.6.1"), Ok(6));
        assert_eq!(Release::parse_release("v1.0"), Ok(0));
        assert!(Release::parse_release("v1.7").is_err());
        assert!(Release::parse_release("v2.0").is_err());
        assert!(Release::parse_release("latest").is_err());
    }

    /// What the CRDs of each release serve (../shared/gateway-api-crds).
    #[test]
    fn kinds_per_release_follow_the_crds() {
        use ApiKind::*;
        use Channel::*;
        assert_eq!(version(t(4, Standard), TlsRoute), None);
        assert_eq!(
            version(t(4, Experimental), TlsRoute).as_deref(),
            Some("v1alpha2")
        );
        assert_eq!(version(t(5, Standard), TlsRoute).as_deref(), Some("v1"));
        assert_eq!(version(t(5, Standard), TcpRoute), None);
        assert_eq!(
            version(t(5, Experimental), TcpRoute).as_deref(),
            Some("v1alpha2")
        );
        assert_eq!(version(t(6, Standard), TcpRoute).as_deref(), Some("v1"));
        assert_eq!(version(t(6, Standard), UdpRoute).as_deref(), Some("v1"));
        assert_eq!(version(t(6, Experimental), UdpRoute).as_deref(), Some("v1"));
        assert_eq!(
            version(t(4, Standard), ReferenceGrant).as_deref(),
            Some("v1beta1")
        );
        assert_eq!(
            version(t(5, Standard), ReferenceGrant).as_deref(),
            Some("v1")
        );
        assert_eq!(version(t(0, Standard), GrpcRoute), None);
        assert_eq!(version(t(1, Standard), GrpcRoute).as_deref(), Some("v1"));
    }

    #[test]
    fn served_versions_prefer_v1() {
        let served = |pairs: &[(&str, &str)]| {
            Writes::Served(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        let cluster = served(&[
            ("TCPRoute", "v1alpha2"),
            ("TCPRoute", "v1"),
            ("TLSRoute", "v1alpha3"),
        ]);
        assert_eq!(
            cluster.api_version(ApiKind::TcpRoute).as_deref(),
            Some("gateway.networking.k8s.io/v1")
        );
        assert_eq!(
            cluster.api_version(ApiKind::TlsRoute),
            None,
            "v1alpha3 is not written"
        );
        assert_eq!(cluster.api_version(ApiKind::UdpRoute), None);
        assert_eq!(cluster.release_at_least(), 6, "TCPRoute v1 came with v1.6");
        let v1_5 = served(&[("TLSRoute", "v1"), ("GRPCRoute", "v1")]);
        assert_eq!(v1_5.release_at_least(), 5);
        assert_eq!(served(&[("HTTPRoute", "v1")]).release_at_least(), 0);
    }

    #[test]
    fn what_would_serve_a_kind() {
        assert_eq!(
            t(5, Channel::Standard).first_serving(ApiKind::UdpRoute),
            Some(t(5, Channel::Experimental))
        );
        assert_eq!(
            t(6, Channel::Standard).first_serving(ApiKind::UdpRoute),
            Some(t(6, Channel::Standard))
        );
    }
}
