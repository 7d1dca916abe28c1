//! Parsing a command line as a whole: clap's usage errors in svcx's format,
//! `--concepts` given to the wrong subcommand, and the flags that parse but
//! cannot apply to this run ([`Refusal`]).

use super::*;

/// A flag that parsed but cannot apply to this run: a usage error (exit 2)
/// that says why and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The flag refused, as typed in its long form (`--probe`, `SERVICE`).
    pub(crate) flag: &'static str,
    /// Why it cannot apply.
    pub(crate) why: String,
    /// What to do instead.
    pub(crate) tip: String,
}

impl Cli {
    /// Parses the process's arguments; a usage error or a [`Refusal`] prints
    /// clap's usage message and exits with status 2.
    pub(crate) fn parse_or_exit(invocation: Invocation) -> Cli {
        let parsed = command(invocation)
            .try_get_matches()
            .and_then(|mut m| Cli::from_arg_matches_mut(&mut m));
        let mut cli = match parsed {
            Ok(cli) => cli,
            Err(e) => exit_usage(misplaced_concepts(invocation, &e).unwrap_or(e)),
        };
        cli.invocation = invocation;
        if let Some(r) = cli.refusal() {
            exit_usage(cli.usage_error(&r));
        }
        cli
    }

    /// The first flag given that cannot apply, if any. Pure: the answer
    /// depends only on what was typed.
    pub(crate) fn refusal(&self) -> Option<Refusal> {
        let g = &self.global;
        let sub = self.command.name();
        if let Some(value) = &self.misplaced_output {
            return Some(Refusal {
                flag: "--output",
                why: format!(
                    "-o/--output goes after the subcommand, since each subcommand has its own formats \
                     (`svcx {sub} --help` lists them)"
                ),
                tip: format!("svcx {sub} -o {value} ..."),
            });
        }
        if let Some(what) = self.command.reads_no_input()
            && let Some(flag) = input_flag(g)
        {
            return Some(Refusal {
                flag,
                why: format!(
                    "`svcx {sub}` {what} and reads no input, so {flag} has nothing to apply to"
                ),
                tip: format!("drop {flag}; `svcx lint {flag} ...` lints that input"),
            });
        }
        if let Command::Explain(args) = &self.command
            && args.concepts
        {
            if !args.gateways.is_empty() {
                return Some(Refusal {
                    flag: "--gateway",
                    why:
                        "--concepts prints the built-in guide to Service types and reads no Gateway"
                            .into(),
                    tip:
                        "run `svcx explain --concepts` on its own, or `svcx explain --gateway NAME`"
                            .into(),
                });
            }
            if !args.services.is_empty() {
                return Some(Refusal {
                    flag: "SERVICE",
                    why: "--concepts prints the built-in guide to Service types and reads no Service, \
                          so it takes no SERVICE names"
                        .into(),
                    tip: "run `svcx explain --concepts` on its own, or `svcx explain NAME` to explain a Service"
                        .into(),
                });
            }
            if matches!(args.output, ExplainOutput::Html | ExplainOutput::Dot) {
                return Some(Refusal {
                    flag: "--output",
                    why: "--concepts prints the built-in guide as text, JSON or YAML; pictures \
                          (html, dot) are drawn of the Services svcx reads"
                        .into(),
                    tip: "svcx explain --concepts -o human, or `svcx explain --demo -o html` for pictures"
                        .into(),
                });
            }
            if let Some(flag) = input_flag(g) {
                return Some(Refusal {
                    flag,
                    why: format!(
                        "--concepts prints the built-in guide to Service types and needs no input, \
                         so {flag} has nothing to apply to"
                    ),
                    tip: format!(
                        "drop {flag} to print the guide, or drop --concepts to explain the Services it reads"
                    ),
                });
            }
        }
        if let Some(offline) = g.offline_flag() {
            let live_flags = [
                ("--kubeconfig", g.kubeconfig.is_some()),
                ("--context", !g.context.is_empty()),
                ("--all-contexts", g.all_contexts),
                ("--request-timeout", g.request_timeout.is_some()),
            ];
            if let Some((flag, _)) = live_flags.into_iter().find(|(_, given)| *given) {
                let what = if offline == "--demo" {
                    "the demo cluster built into svcx"
                } else {
                    "manifests"
                };
                return Some(Refusal {
                    flag,
                    why: format!(
                        "{flag} applies to a live cluster, but {offline} reads {what}: no cluster is contacted"
                    ),
                    tip: format!("drop {flag}, or drop {offline} to read the live cluster"),
                });
            }
        }
        if let Command::MigrateToGateway(_) = &self.command
            && let Some(flag) = g.several_contexts()
        {
            return Some(Refusal {
                flag,
                why: "migrate-to-gateway plans one Gateway for the Services of one cluster, \
                      so it reads one context"
                    .into(),
                tip: "run it once per context: `svcx migrate-to-gateway --context NAME`".into(),
            });
        }
        if let Command::MigrateToGateway(args) = &self.command
            && args.output_dir.is_some()
            && args.output == MigrateOutput::Json
        {
            return Some(Refusal {
                flag: "--output-dir",
                why: "--output-dir writes YAML files and MIGRATION.md; -o json writes one document to stdout".into(),
                tip: "drop -o json to write the directory, or drop --output-dir for JSON on stdout".into(),
            });
        }
        if let Command::Trace(args) = &self.command {
            if let (true, Some(offline)) = (args.probe, g.offline_flag()) {
                return Some(Refusal {
                    flag: "--probe",
                    why: format!(
                        "--probe connects to the addresses a live cluster reports; with {offline} they are \
                         data from the input, and svcx never connects to them"
                    ),
                    tip: format!(
                        "drop --probe for the computed verdicts, or drop {offline} to probe a live cluster"
                    ),
                });
            }
            if args.probe_timeout.is_some() && !args.probe {
                return Some(Refusal {
                    flag: "--probe-timeout",
                    why: "--probe-timeout is the connect timeout of --probe, which is not on"
                        .into(),
                    tip: "add --probe, or drop --probe-timeout".into(),
                });
            }
        }
        None
    }

    /// A refusal as clap's usage error, under the subcommand's usage line.
    pub(crate) fn usage_error(&self, refusal: &Refusal) -> clap::Error {
        let mut cmd = command(self.invocation);
        cmd.build();
        let message = format!("{}\n\n  tip: {}", refusal.why, refusal.tip);
        match cmd.find_subcommand_mut(self.command.name()) {
            Some(sub) => sub.error(ErrorKind::ArgumentConflict, message),
            None => cmd.error(ErrorKind::ArgumentConflict, message),
        }
    }
}

/// `--concepts` given to another subcommand than explain: clap would
/// suggest the nearest flag of that subcommand (`--context`) under a usage
/// line built around it; say where `--concepts` belongs, under the
/// subcommand's own usage line.
fn misplaced_concepts(invocation: Invocation, err: &clap::Error) -> Option<clap::Error> {
    use clap::error::{ContextKind, ContextValue};
    if err.kind() != ErrorKind::UnknownArgument
        || !matches!(err.get(ContextKind::InvalidArg), Some(ContextValue::String(a)) if a == "--concepts")
    {
        return None;
    }
    let mut cmd = command(invocation);
    cmd.build();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let sub = std::env::args().skip(1).find(|a| names.contains(a))?;
    let sub_cmd = cmd.find_subcommand_mut(&sub)?;
    Some(sub_cmd.error(
        ErrorKind::UnknownArgument,
        format!(
            "unexpected argument '--concepts' found: it is an option of explain, not of {sub}\n\n  tip: \
             `svcx explain --concepts` prints the guide to Service types"
        ),
    ))
}

/// Prints a usage error (or the help or version asked for) and exits. Usage
/// errors take svcx's one error format, `svcx: error: ...` on stderr with
/// exit 2, as failures do; help and version go to stdout with exit 0, as
/// clap writes them.
pub(crate) fn exit_usage(err: clap::Error) -> ! {
    match crate::error::render_usage(&err) {
        Some(text) => {
            crate::render::terminal::eprint(&text);
            std::process::exit(err.exit_code())
        }
        None => err.exit(),
    }
}

/// The first flag given that picks or narrows an input, if any.
fn input_flag(g: &GlobalArgs) -> Option<&'static str> {
    let input_flags = [
        ("--demo", g.demo),
        ("--filename", !g.filenames.is_empty()),
        ("--kubeconfig", g.kubeconfig.is_some()),
        ("--context", !g.context.is_empty()),
        ("--all-contexts", g.all_contexts),
        ("--request-timeout", g.request_timeout.is_some()),
        ("--namespace", g.namespace.is_some()),
        ("--all-namespaces", g.all_namespaces),
    ];
    input_flags
        .into_iter()
        .find(|(_, given)| *given)
        .map(|(flag, _)| flag)
}
