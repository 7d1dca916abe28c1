//! `svcx rule`: print one rule's (or migrate note's) doc, or list every
//! rule and note. Reads no input.

use super::to_stdout;
use crate::cli::{GlobalArgs, RuleArgs};
use crate::error::Failure;
use crate::exit::ExitStatus;
use crate::lint::{Code, Selector};
use crate::migrate::NoteCode;
use crate::render::{self, Options};

/// Runs `svcx rule`: 0 when the rule exists; an unknown one is a failure.
pub(crate) fn run(global: &GlobalArgs, args: &RuleArgs) -> anyhow::Result<ExitStatus> {
    let opts = Options {
        format: args.output.into(),
        style: global.color.style(),
    };
    let Some(asked) = args.rule.as_deref().filter(|_| !args.all) else {
        to_stdout(|out| render::rule::all(&opts, out))?;
        return Ok(ExitStatus::Clean);
    };
    if let Some(note) = NoteCode::parse(&asked.to_ascii_lowercase()) {
        to_stdout(|out| render::rule::note(note, &opts, out))?;
        return Ok(ExitStatus::Clean);
    }
    let Some(code) = Code::parse(asked) else {
        let hint = match Selector::parse(asked) {
            Ok(Selector::Prefix(p)) => format!(
                "{p} is a family; its rules: {}",
                Code::ALL
                    .iter()
                    .filter(|c| c.code().starts_with(&p))
                    .map(|c| c.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Err(e) if e.contains("did you mean") => e
                .split_once("; ")
                .map_or(e.clone(), |(_, tip)| tip.to_string()),
            _ => "`svcx rule --all` lists every rule".to_string(),
        };
        return Err(Failure::new(format!("no rule `{asked}`")).hint(hint).into());
    };
    to_stdout(|out| render::rule::one(code.rule(), &opts, out))?;
    Ok(ExitStatus::Clean)
}
