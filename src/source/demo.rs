//! The demo cluster, compiled into the binary (`--demo`), so a new user can see
//! every layer, setting and failure with no cluster at hand. It is read through
//! the same manifest reader as `-f`, with demo origins.

use super::files::load_text;
use crate::model::{Origin, Scope, Snapshot, SourceInfo};

/// The demo manifest: nodes, pods, Services and EndpointSlices.
pub const MANIFEST: &str = include_str!("demo.yaml");

/// Reads the demo cluster.
pub fn load(scope: Scope) -> anyhow::Result<Snapshot> {
    let mut snap = Snapshot::new(SourceInfo::Demo, scope);
    load_text(
        &mut snap,
        MANIFEST,
        "demo",
        |line| Origin::Demo { line },
        "default",
    )?;
    // The demo is a whole cluster: every kind was "listed", so absence means absence.
    snap.nodes_known = true;
    snap.pods_known = true;
    snap.endpoint_slices_known = true;
    Ok(snap.finish())
}
