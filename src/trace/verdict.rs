//! Verdicts: whether traffic gets through a hop (`ok`), gets through with a
//! caveat or only partly (`warn`), or does not get through (`broken`); and the
//! rules that turn endpoint conditions and targetPort resolutions into one.
//! Hop builders decide reasons; the thresholds live here, in one place.

use super::report::EndpointCounts;
use crate::model::ports::TargetStatus;
use serde::Serialize;

/// Whether traffic gets through. Ordered from best to worst, so `max` is the
/// worst of several.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Traffic gets through.
    #[default]
    Ok,
    /// Traffic gets through, but only partly or with a caveat worth knowing.
    Warn,
    /// Traffic does not get through this hop.
    Broken,
}

impl Verdict {
    /// The word printed for it (always printed; colour only adds to it).
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Broken => "broken",
        }
    }

    /// The worst of several verdicts (`ok` for none).
    pub fn worst(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        verdicts.into_iter().max().unwrap_or_default()
    }
}

/// How the endpoints of one Service port add up.
///
/// - none at all: broken (the caller says why: selector, no slices, ...);
/// - none resolves the targetPort: broken;
/// - no ready one: broken, unless terminating endpoints still serve (kube-proxy
///   falls back to them) or DNS publishes not-ready addresses: warn;
/// - some not ready, terminating or unresolved: warn;
/// - readiness unknown (pod templates): ok, the caller says it cannot know.
pub fn endpoints_verdict(c: &EndpointCounts, publish_not_ready: bool) -> Verdict {
    let resolved = c.total - c.unresolved;
    if c.total == 0 || resolved == 0 {
        return Verdict::Broken;
    }
    if c.ready == 0 && c.unknown == 0 {
        return if c.terminating > 0 || publish_not_ready {
            Verdict::Warn
        } else {
            Verdict::Broken
        };
    }
    if c.not_ready + c.terminating + c.unresolved > 0 {
        return Verdict::Warn;
    }
    Verdict::Ok
}

/// How a targetPort resolution on one pod affects traffic to it.
///
/// A numeric targetPort that no container declares is only a warning:
/// declaring a `containerPort` is optional, and traffic is sent to the number
/// regardless (kubernetes/website#26790). A named one that does not resolve
/// gives the pod no endpoint; a protocol mismatch sends packets where nothing
/// listens for that protocol.
pub fn target_verdict(status: &TargetStatus) -> Verdict {
    match status {
        TargetStatus::Declared => Verdict::Ok,
        TargetStatus::Undeclared => Verdict::Warn,
        TargetStatus::NameNotFound { .. } | TargetStatus::ProtocolMismatch { .. } => {
            Verdict::Broken
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(
        total: usize,
        ready: usize,
        not_ready: usize,
        terminating: usize,
        unresolved: usize,
    ) -> EndpointCounts {
        EndpointCounts {
            total,
            ready,
            not_ready,
            terminating,
            unresolved,
            unknown: 0,
        }
    }

    #[test]
    fn worst_is_the_maximum() {
        assert_eq!(
            Verdict::worst([Verdict::Ok, Verdict::Broken, Verdict::Warn]),
            Verdict::Broken
        );
        assert_eq!(Verdict::worst([]), Verdict::Ok);
    }

    #[test]
    fn endpoints_by_how_many_remain() {
        assert_eq!(
            endpoints_verdict(&counts(0, 0, 0, 0, 0), false),
            Verdict::Broken
        );
        assert_eq!(
            endpoints_verdict(&counts(2, 2, 0, 0, 0), false),
            Verdict::Ok
        );
        assert_eq!(
            endpoints_verdict(&counts(2, 1, 1, 0, 0), false),
            Verdict::Warn
        );
        assert_eq!(
            endpoints_verdict(&counts(2, 0, 2, 0, 0), false),
            Verdict::Broken
        );
        assert_eq!(
            endpoints_verdict(&counts(2, 0, 1, 1, 0), false),
            Verdict::Warn
        );
        assert_eq!(
            endpoints_verdict(&counts(2, 0, 2, 0, 0), true),
            Verdict::Warn
        );
        assert_eq!(
            endpoints_verdict(&counts(2, 0, 0, 0, 2), false),
            Verdict::Broken
        );
        assert_eq!(
            endpoints_verdict(&counts(3, 2, 0, 0, 1), false),
            Verdict::Warn
        );
        let templates = EndpointCounts {
            total: 1,
            unknown: 1,
            ..Default::default()
        };
        assert_eq!(endpoints_verdict(&templates, false), Verdict::Ok);
    }

    #[test]
    fn numeric_undeclared_port_is_only_a_warning() {
        assert_eq!(target_verdict(&TargetStatus::Undeclared), Verdict::Warn);
        assert_eq!(
            target_verdict(&TargetStatus::NameNotFound {
                name: "http".into()
            }),
            Verdict::Broken
        );
        assert_eq!(
            target_verdict(&TargetStatus::ProtocolMismatch {
                declared: "TCP".into()
            }),
            Verdict::Broken
        );
    }
}
