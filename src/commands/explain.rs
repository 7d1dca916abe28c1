//! `svcx explain`. (Being written.)

use crate::cli::{ExplainArgs, GlobalArgs};
use crate::exit::ExitStatus;

pub async fn run(global: &GlobalArgs, _args: &ExplainArgs) -> anyhow::Result<ExitStatus> {
    let snap = crate::source::load(global).await?;
    println!("{} services", snap.services.len());
    Ok(ExitStatus::Clean)
}
