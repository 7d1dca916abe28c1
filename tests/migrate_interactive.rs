//! `svcx migrate-to-gateway --interactive` through a pseudo-terminal:
//! util-linux `script` runs svcx on a pty and passes it the keys the test
//! types, as a user would, one prompt at a time.

mod common;

use common::{root, svcx};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs `svcx ARGS` on a pseudo-terminal, typing `keys` one answer at a
/// time; returns everything the terminal showed (prompts and output).
fn on_a_terminal(args: &[&str], keys: &[&str]) -> (i32, String) {
    let command = std::iter::once(env!("CARGO_BIN_EXE_svcx").to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(root())
        .env_clear()
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script runs");
    let mut stdin = child.stdin.take().unwrap();
    // The prompts read keys in raw mode: give each its time to be asked.
    std::thread::sleep(Duration::from_millis(800));
    for k in keys {
        stdin.write_all(k.as_bytes()).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), out)
}

const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";

#[test]
#[cfg_attr(not(svcx_script), ignore = "needs util-linux `script` on PATH")]
fn the_choices_made_on_a_terminal_shape_the_migration() {
    let (code, screen) = on_a_terminal(
        &["migrate-to-gateway", "--demo", "--interactive"],
        &[
            " ",                             // untick the first Service, infra/edge-proxy
            ENTER,                           // accept the rest
            ENTER,                           // the only GatewayClass, envoy
            &format!("{DOWN}{DOWN}{ENTER}"), // v1.4
            ENTER,                           // standard channel
            "example.com\r",
        ],
    );
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Services to migrate"), "{screen}");
    assert!(
        screen.contains("for Gateway API v1.4 (standard channel)"),
        "{screen}"
    );
    assert!(
        screen.contains("hostname: promo.shop.example.com"),
        "{screen}"
    );
    assert!(
        !screen.contains("name: edge-proxy-https"),
        "edge-proxy was unticked: {screen}"
    );
    // v1.4 standard serves no TLSRoute: storefront's TLS port keeps it as it is.
    assert!(
        screen.contains("Service shop/storefront: port(s) https get no route"),
        "{screen}"
    );
}

#[test]
#[cfg_attr(not(svcx_script), ignore = "needs util-linux `script` on PATH")]
fn yes_takes_the_defaults_without_asking() {
    let (code, screen) = on_a_terminal(
        &["migrate-to-gateway", "--demo", "--interactive", "--yes"],
        &[],
    );
    assert_eq!(code, 0, "{screen}");
    assert!(!screen.contains("Services to migrate"), "{screen}");
    assert!(screen.contains("migrating 5 Service(s)"), "{screen}");
}

#[test]
fn interactive_needs_a_terminal() {
    let run = svcx(&["migrate-to-gateway", "--demo", "--interactive"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("--interactive needs a terminal"),
        "{run}"
    );
    assert!(run.stdout.is_empty());
}
