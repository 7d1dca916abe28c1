//! explain, trace (Services, addresses, host/path through Gateways and
//! Ingresses), lint and the migration planning over structured snapshots:
//! Services, Pods, EndpointSlices, Nodes, workloads, Gateways, routes,
//! ReferenceGrants, Ingresses and classes built by `arbitrary`, written as
//! manifests and read by svcx's reader, with the flags of each command.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: svcx_fuzz::Input| {
    let svcx_fuzz::Input { cluster, choices } = input;
    if let Some(snap) = svcx_fuzz::load(&cluster.text(), choices.scope()) {
        let _ = svcx_fuzz::analyse(&snap, &choices);
    }
});
