//! One module per subcommand: load the snapshot, run the pure analysis, hand
//! the report to a renderer, and turn the answer into an exit status.

pub mod explain;
pub mod trace;
