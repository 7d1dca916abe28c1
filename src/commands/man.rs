//! `svcx man [--dir DIR]`: manual pages rendered by clap_mangen from the
//! same definitions as `--help`, Examples sections included.

use crate::cli::{self, Invocation, ManArgs};
use crate::error::Failure;
use crate::exit::ExitStatus;
use anyhow::Context;

/// Writes the main page to stdout, or every page into `--dir`.
pub(crate) fn run(args: &ManArgs) -> anyhow::Result<ExitStatus> {
    let cmd = cli::command(Invocation::Svcx);
    match &args.dir {
        None => super::to_stdout(|out| clap_mangen::Man::new(cmd).render(out))?,
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                Failure::new(format!("could not create `{}`: {e}", dir.display()))
                    .hint("check the path and that you may write there")
            })?;
            clap_mangen::generate_to(cmd, dir).with_context(|| {
                format!("could not write manual pages into `{}`", dir.display())
            })?;
        }
    }
    Ok(ExitStatus::Clean)
}
