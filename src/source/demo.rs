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
    snap.namespaces_known = true;
    snap.network_policies_known = true;
    snap.ingress_classes_known = true;
    Ok(snap.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;

    /// The demo's EndpointSlices are what the EndpointSlice controller would
    /// write for its pods (`pkg/controller/endpointslice`, podToEndpoint):
    /// the same pods, the same conditions, the same port numbers. A demo that
    /// contradicts itself would teach the wrong thing.
    #[test]
    fn demo_slices_are_what_the_controller_would_write() {
        let snap = load(Scope::AllNamespaces).expect("demo loads");
        let mut checked = 0;
        for svc in &snap.services {
            let from_pods = snap.endpoints_from_pods(svc);
            if from_pods.is_empty() {
                continue;
            }
            let from_slices = snap.backends(svc).items;
            let key = |b: &crate::model::endpoints::Backend| {
                (
                    b.pod.clone(),
                    b.conditions,
                    b.node.clone(),
                    b.ports
                        .iter()
                        .map(|p| p.resolution.port)
                        .collect::<Vec<_>>(),
                )
            };
            let mut want: Vec<_> = from_pods.iter().map(key).collect();
            let mut got: Vec<_> = from_slices.iter().map(key).collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "slices of {:?}", svc.object.metadata.name);
            checked += 1;
        }
        assert!(checked >= 8, "only {checked} Services checked");
    }
}
