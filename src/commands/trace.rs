//! `svcx trace`. (Being written.)

use crate::cli::{GlobalArgs, TraceArgs};
use crate::exit::ExitStatus;

pub async fn run(_global: &GlobalArgs, _args: &TraceArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("trace is not available yet")
}
