//! Unit tests of the command line.

use super::*;

#[test]
fn durations() {
    assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
    assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
    assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
    assert!(parse_duration("0s").is_err());
    assert!(parse_duration("5h").is_err());
}

/// The flag refused for a command line, if any.
fn refused(args: &[&str]) -> Option<&'static str> {
    let cli = Cli::try_parse_from(std::iter::once("svcx").chain(args.iter().copied()))
        .expect("the command line parses");
    cli.refusal().map(|r| r.flag)
}

#[test]
fn refuses_flags_that_cannot_apply() {
    assert_eq!(refused(&["explain", "--concepts", "x"]), Some("SERVICE"));
    assert_eq!(
        refused(&["explain", "--concepts", "-o", "html"]),
        Some("--output")
    );
    assert_eq!(
        refused(&["explain", "--concepts", "-A"]),
        Some("--all-namespaces")
    );
    assert_eq!(
        refused(&["explain", "--concepts", "-f", "a"]),
        Some("--filename")
    );
    assert_eq!(
        refused(&["--demo", "explain", "--concepts"]),
        Some("--demo")
    );
    assert_eq!(
        refused(&["explain", "-f", "a", "--context", "c"]),
        Some("--context")
    );
    assert_eq!(
        refused(&["trace", "--demo", "--kubeconfig", "k"]),
        Some("--kubeconfig")
    );
    assert_eq!(
        refused(&["trace", "--demo", "--request-timeout", "1s"]),
        Some("--request-timeout")
    );
    assert_eq!(refused(&["trace", "-f", "a", "--probe"]), Some("--probe"));
    assert_eq!(
        refused(&["trace", "--probe-timeout", "1s"]),
        Some("--probe-timeout")
    );
    assert_eq!(refused(&["-o", "json", "trace"]), Some("--output"));
    assert_eq!(
        refused(&["explain", "--demo", "--all-contexts"]),
        Some("--all-contexts")
    );
    assert_eq!(
        refused(&["migrate-to-gateway", "--context", "a", "--context", "b"]),
        Some("--context")
    );
    assert_eq!(
        refused(&["migrate-to-gateway", "--all-contexts"]),
        Some("--all-contexts")
    );
    assert_eq!(
        refused(&["migrate-to-gateway", "--output-dir", "d", "-o", "json"]),
        Some("--output-dir")
    );
}

#[test]
fn accepts_flags_that_apply() {
    assert_eq!(
        refused(&["explain", "--concepts", "-o", "json", "--color", "never"]),
        None
    );
    assert_eq!(
        refused(&["explain", "--demo", "-n", "shop", "cart", "-o", "yaml"]),
        None
    );
    assert_eq!(
        refused(&[
            "trace",
            "--probe",
            "--probe-timeout",
            "1s",
            "--context",
            "c"
        ]),
        None
    );
    assert_eq!(refused(&["trace", "-f", "a", "-A", "-o", "mermaid"]), None);
    assert_eq!(
        refused(&["lint", "--context", "a", "--context", "b", "-o", "sarif"]),
        None
    );
    assert_eq!(
        refused(&["migrate-to-gateway", "--context", "a", "--context", "a"]),
        None
    );
    assert_eq!(
        refused(&["--kubeconfig", "k", "--request-timeout", "5s", "explain"]),
        None
    );
}

#[test]
fn each_subcommand_parses_only_its_formats() {
    assert!(Cli::try_parse_from(["svcx", "trace", "-o", "mermaid"]).is_ok());
    let err = Cli::try_parse_from(["svcx", "explain", "-o", "mermaid"]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
}

#[test]
fn refusals_are_usage_errors() {
    let cli = Cli::try_parse_from(["svcx", "trace", "--demo", "--probe"]).unwrap();
    let refusal = cli.refusal().expect("refused");
    let err = cli.usage_error(&refusal);
    assert_eq!(err.kind(), ErrorKind::ArgumentConflict);
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn every_help_ends_with_examples_that_parse() {
    let cmd = command(Invocation::Svcx);
    let mut named: Vec<Option<&str>> = vec![None];
    named.extend(cmd.get_subcommands().map(|s| Some(s.get_name())));
    let listed: Vec<Option<&str>> = examples::ALL.iter().map(|(sub, _)| *sub).collect();
    assert_eq!(named, listed, "every subcommand has its Examples, in order");
    for (sub, text) in examples::ALL {
        let help = match sub {
            None => cmd.get_after_help(),
            Some(name) => cmd.find_subcommand(name).and_then(|s| s.get_after_help()),
        };
        assert_eq!(help.map(|h| h.to_string()).as_deref(), Some(*text));
        assert!(text.starts_with("Examples:\n"), "{sub:?}");
        let lines = examples::command_lines(text);
        assert!(lines.len() >= 2, "{sub:?} has at least two examples");
        for args in lines {
            let cli = Cli::try_parse_from(&args)
                .unwrap_or_else(|e| panic!("example `{}` parses: {e}", args.join(" ")));
            if let Some(name) = sub {
                assert_eq!(cli.command.name(), *name, "{args:?}");
            }
            assert_eq!(
                cli.refusal(),
                None,
                "example `{}` is refused",
                args.join(" ")
            );
        }
    }
}

#[test]
fn the_kubectl_plugin_names_itself_kubectl_svcx() {
    let mut cmd = command(Invocation::KubectlPlugin);
    cmd.build();
    let explain = cmd.find_subcommand_mut("explain").expect("explain");
    let usage = explain.render_usage().to_string();
    assert!(usage.starts_with("Usage: kubectl svcx explain "), "{usage}");
    let examples = explain.get_after_help().expect("examples").to_string();
    let commands = examples::command_lines(&examples);
    assert!(!commands.is_empty());
    for line in examples.lines().filter(|l| l.contains("svcx ")) {
        assert!(line.contains("kubectl svcx "), "{line}");
    }
}

#[test]
fn commands_without_input_refuse_input_flags() {
    assert_eq!(refused(&["completions", "bash", "--demo"]), Some("--demo"));
    assert_eq!(refused(&["man", "-n", "shop"]), Some("--namespace"));
    assert_eq!(refused(&["completions", "zsh"]), None);
}

#[test]
fn cli_is_well_formed() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
}
