//! `svcx lint`: read the config file, load the snapshot, lint (pure),
//! render, and exit 1 when a finding reaches --fail-on.

use super::clusters::{self, Output};
use super::{load, source_options, to_stdout};
use crate::cli::{GlobalArgs, LintArgs};
use crate::exit::ExitStatus;
use crate::lint::config::{self, Config};
use crate::lint::report::LintReport;
use crate::render::{self, Options};

/// Runs `svcx lint`: 0 when nothing reaches --fail-on, 1 when something
/// does; failures (unreadable input or config) are errors.
pub(crate) async fn run(global: &GlobalArgs, args: &LintArgs) -> anyhow::Result<ExitStatus> {
    let config = match (&args.config, args.no_config) {
        (Some(path), _) => config::read(path)?,
        (None, true) => Config::default(),
        (None, false) => match std::env::current_dir().ok().and_then(|d| config::find(&d)) {
            Some(path) => config::read(&path)?,
            None => Config::default(),
        },
    };
    let mut settings = config.settings;
    if !args.select.is_empty() {
        settings.select = args.select.clone();
    }
    settings.ignore.extend(args.ignore.iter().cloned());
    let fail_on = args
        .fail_on
        .map(Into::into)
        .or(config.fail_on)
        .unwrap_or_default();
    let opts = Options {
        format: args.output.into(),
        style: global.color.style(),
    };
    let status = |report: &LintReport| {
        if report.findings.iter().any(|f| fail_on.fails(f.severity)) {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    };
    let sources = source_options(global);
    if let Some(each) = crate::source::clusters(&sources)? {
        let output = Output {
            human: opts.format == render::lint::Format::Human,
            style: opts.style,
            render: &|report, out| render::lint::render(report, &opts, out),
            status: &status,
        };
        return clusters::run(
            each,
            async |_, snap, context| {
                super::print_notices(&snap, context);
                let mut report = crate::lint::lint(&snap, &settings);
                report.fail_on = fail_on;
                Ok(report)
            },
            output,
        )
        .await;
    }
    let mut snap = load(&sources).await?;
    // No object at all from files or stdin: say so, as explain and trace
    // do, and exit with a status of its own.
    // (An unrendered template is something: SVC001 says what.)
    let nothing = matches!(snap.source, crate::model::SourceInfo::Files { .. })
        && snap.stats.total() == 0
        && snap.input_findings.is_empty();
    if nothing && let Some(n) = snap.nothing_in_scope("lint") {
        snap.notices.push(n);
    }
    super::print_notices(&snap, None);
    let mut report = crate::lint::lint(&snap, &settings);
    report.fail_on = fail_on;
    to_stdout(|out| render::lint::render(&report, &opts, out))?;
    Ok(if nothing {
        ExitStatus::NothingRead
    } else {
        status(&report)
    })
}
