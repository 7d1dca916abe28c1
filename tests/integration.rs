//! svcx's integration tests, one binary: each module below was a test crate
//! of its own, and each linked svcx and the kube stack again. One crate root
//! (as ripgrep's tests/tests.rs) links them once.

mod common;
mod support;

mod cli;
mod contexts;
mod ecosystem;
mod explain;
mod faults;
mod fuzz_regressions;
mod hostile;
mod k9s;
mod licenses;
mod lint;
mod lint_live;
mod live;
mod live_elsewhere;
mod many_nodes;
mod mermaid;
mod migrate;
mod migrate_crds;
mod migrate_interactive;
mod migrate_live;
mod migrate_policies;
mod migrate_routing;
mod migrate_validate;
mod official;
mod pictures;
mod probe;
mod readme;
mod robustness;
mod routes;
mod rules;
mod secrets;
mod semantics;
mod spans;
mod trace;
mod trace_live;
mod yaml_paths;
