//! Live clusters: read-only lists through kube-rs. (Being written.)

use crate::cli::GlobalArgs;
use crate::model::Snapshot;

/// Reads a snapshot from the cluster the kubeconfig points at.
pub async fn load(_args: &GlobalArgs) -> anyhow::Result<Snapshot> {
    anyhow::bail!("live mode is not available yet")
}
