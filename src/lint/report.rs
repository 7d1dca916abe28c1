//! What `svcx lint` found, as plain data: the findings in reading order, the
//! counts, and what was missing from the input. Its serde form is the
//! `-o json` document (docs/json.md, "lint"); the other formats render the
//! same value.

use crate::model::finding::Finding;
use crate::model::{Notice, Scope, Snapshot, SourceInfo};
use serde::Serialize;

/// Version of the lint JSON schema: the finding object is explain's and
/// trace's (schema 2).
pub const SCHEMA: u32 = 2;

/// The lint report.
#[derive(Clone, Debug, Serialize)]
pub struct LintReport {
    pub schema: u32,
    pub source: SourceInfo,
    pub scope: Scope,
    /// What was found, in reading order (file and position, or object).
    pub findings: Vec<Finding>,
    pub summary: Summary,
    pub notices: Vec<Notice>,
}

/// Counts over the findings reported.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files that hold at least one finding.
    pub files_with_findings: usize,
    /// Findings silenced by `svcx/ignore` annotations.
    pub suppressed: usize,
    pub load_balancers: LoadBalancerCount,
}

/// "N LoadBalancer Services = M cloud load balancers": Services that report
/// one of the same addresses share one load balancer and count once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LoadBalancerCount {
    /// LoadBalancer Services in scope.
    pub services: usize,
    /// The load balancers they make.
    pub load_balancers: usize,
}

impl LintReport {
    /// A report on `snap` with these findings.
    pub fn new(snap: &Snapshot, findings: Vec<Finding>, summary: Summary) -> Self {
        LintReport {
            schema: SCHEMA,
            source: snap.source.clone(),
            scope: snap.scope.clone(),
            findings,
            summary,
            notices: snap.notices.clone(),
        }
    }
}
