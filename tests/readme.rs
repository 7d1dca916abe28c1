//! The README shows real output: every fenced block that starts with
//! `$ svcx ...` (on the demo, so it needs no cluster) is run, and its lines
//! must be what svcx prints. A line `...` stands for lines left out: the lines
//! above it must open the output and the lines below it must close it.

mod common;

use common::{root, svcx};

/// `(command, expected lines)` for every `$ svcx` block of the README.
fn examples() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(root().join("README.md")).expect("README.md");
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

#[test]
fn readme_examples_are_real_output() {
    let examples = examples();
    assert!(examples.len() >= 2, "the README shows svcx at work");
    for (cmd, expected) in examples {
        let args: Vec<&str> = cmd.split_whitespace().collect();
        assert!(
            args.contains(&"--demo"),
            "README examples run on the demo: {cmd}"
        );
        let run = svcx(&args);
        assert!(run.code == 0 || run.code == 1, "{cmd}: {run}");
        let got: Vec<&str> = run.stdout.lines().map(str::trim_end).collect();
        let want: Vec<&str> = expected.iter().map(|l| l.trim_end()).collect();
        match want.iter().position(|l| l.trim() == "...") {
            None => assert_eq!(got, want, "`svcx {cmd}` in README.md"),
            Some(cut) => {
                let (head, tail) = (&want[..cut], &want[cut + 1..]);
                assert!(
                    got.len() >= head.len() + tail.len(),
                    "`svcx {cmd}`: output too short"
                );
                assert_eq!(
                    &got[..head.len()],
                    head,
                    "`svcx {cmd}`: opening lines in README.md"
                );
                assert_eq!(
                    &got[got.len() - tail.len()..],
                    tail,
                    "`svcx {cmd}`: closing lines in README.md"
                );
            }
        }
    }
}
