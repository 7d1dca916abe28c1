//! The README and the tutorial show real output: every fenced block that
//! starts with `$ svcx ...` (on the demo, so it needs no cluster) is run, and
//! its lines must be what svcx prints on stdout, or on stderr when the
//! command ends with `2>&1 >/dev/null` (stderr only, as a shell would show
//! it). A line `...` stands for lines left out: the lines above it must open
//! the output and the lines below it must close it.

use crate::common;

use common::{root, svcx};

/// The shell suffix that shows a command's stderr and drops its stdout.
const STDERR_ONLY: &str = " 2>&1 >/dev/null";

/// `(command, expected lines)` for every `$ svcx` block of a Markdown file.
fn examples(doc: &str) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(root().join(doc)).expect(doc);
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("```") {
            continue;
        }
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        if let Some(cmd) = block.first().and_then(|l| l.strip_prefix("$ svcx ")) {
            out.push((
                cmd.to_string(),
                block[1..].iter().map(|l| l.to_string()).collect(),
            ));
        }
    }
    out
}

/// Runs every example of `doc` and compares its output; returns the
/// subcommands they ran.
fn check(doc: &str) -> Vec<String> {
    let examples = examples(doc);
    assert!(examples.len() >= 2, "{doc} shows svcx at work");
    let mut subcommands = Vec::new();
    for (cmd, expected) in examples {
        let (args, stderr) = match cmd.strip_suffix(STDERR_ONLY) {
            Some(args) => (args, true),
            None => (cmd.as_str(), false),
        };
        let args: Vec<&str> = args.split_whitespace().collect();
        assert!(
            args.contains(&"--demo"),
            "examples in {doc} run on the demo: {cmd}"
        );
        subcommands.extend(args.first().map(|s| s.to_string()));
        let run = svcx(&args);
        assert!(run.code == 0 || run.code == 1, "{cmd}: {run}");
        let shown = if stderr { &run.stderr } else { &run.stdout };
        let got: Vec<&str> = shown.lines().map(str::trim_end).collect();
        let want: Vec<&str> = expected.iter().map(|l| l.trim_end()).collect();
        match want.iter().position(|l| l.trim() == "...") {
            None => assert_eq!(got, want, "`svcx {cmd}` in {doc}"),
            Some(cut) => {
                let (head, tail) = (&want[..cut], &want[cut + 1..]);
                assert!(
                    got.len() >= head.len() + tail.len(),
                    "`svcx {cmd}` in {doc}: output too short"
                );
                assert_eq!(
                    &got[..head.len()],
                    head,
                    "`svcx {cmd}`: opening lines in {doc}"
                );
                assert_eq!(
                    &got[got.len() - tail.len()..],
                    tail,
                    "`svcx {cmd}`: closing lines in {doc}"
                );
            }
        }
    }
    subcommands
}

#[test]
fn readme_examples_are_real_output() {
    check("README.md");
}

/// The tutorial runs every command it teaches: explain, trace, lint and
/// migrate-to-gateway.
#[test]
fn tutorial_examples_are_real_output() {
    let ran = check("docs/tutorial.md");
    for sub in ["explain", "trace", "lint", "migrate-to-gateway"] {
        assert!(
            ran.iter().any(|s| s == sub),
            "docs/tutorial.md runs `svcx {sub}`"
        );
    }
}

/// The checks above can fail: a changed line, a wrong cut, or stdout where
/// stderr was meant is caught.
#[test]
fn a_wrong_example_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        "```\n$ svcx trace --demo shop/promo\nshop/promo  ClusterIP  (demo:269)\n...\n```\n",
        "```\n$ svcx trace --demo shop/promo\n...\nverdict: ok\n```\n",
        "```\n$ svcx trace --demo shop/promo 2>&1 >/dev/null\nshop/promo  LoadBalancer  (demo:269)\n...\n```\n",
    ];
    for (i, case) in cases.into_iter().enumerate() {
        let name = format!("case{i}.md");
        let path = dir.path().join(&name);
        // Two blocks: `check` wants at least two examples per page.
        std::fs::write(&path, format!("{case}{case}")).unwrap();
        let doc = path.to_str().unwrap().to_string();
        let caught = std::panic::catch_unwind(|| check(&doc)).is_err();
        assert!(caught, "case {i} passes but should not:\n{case}");
    }
}
