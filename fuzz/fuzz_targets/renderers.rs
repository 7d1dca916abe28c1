//! Every renderer (explain: human, json, yaml, html, dot; trace: human,
//! json, yaml, mermaid, html, dot; lint: human, json, sarif, github, junit;
//! migrate: the report, MIGRATION.md, json, yaml) in both colour styles,
//! over the reports of structured snapshots. A renderer fails only on a
//! failed write; what migrate-to-gateway writes must read back, with every
//! port a port number.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: svcx_fuzz::Input| {
    let svcx_fuzz::Input { cluster, choices } = input;
    if let Some(snap) = svcx_fuzz::load(&cluster.text(), choices.scope()) {
        svcx_fuzz::render_all(&svcx_fuzz::analyse(&snap, &choices));
    }
});
