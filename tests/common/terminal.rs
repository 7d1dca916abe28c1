//! svcx on a pseudo-terminal: util-linux `script` runs it on a pty, and the
//! test types each key only once the question it answers is on the screen,
//! as a user would. Waiting for the question rather than sleeping a fixed
//! while is faster when the machine is idle and still right when it is
//! loaded (a key typed before its question would go to the one before).

use super::piped;
use std::io::{Read, Write};
use std::process::Child;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long a whole run may take, questions and answers included: far more
/// than any takes, so that only a run that is stuck (a question that never
/// comes, an answer that went astray) fails here, with the screen so far.
const DEADLINE: Duration = Duration::from_secs(60);

/// What the terminal has shown so far, and whether it has closed.
#[derive(Default)]
struct Screen {
    shown: Mutex<(Vec<u8>, bool)>,
    changed: Condvar,
}

impl Screen {
    /// Copies everything `from` prints onto the screen until it closes.
    fn record(self: Arc<Self>, mut from: impl Read + Send + 'static) {
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                let n = from.read(&mut buf).unwrap_or(0);
                let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
                if n == 0 {
                    shown.1 = true;
                } else {
                    shown.0.extend_from_slice(&buf[..n]);
                }
                self.changed.notify_all();
                if n == 0 {
                    break;
                }
            }
        });
    }

    /// Waits until `text` shows at or after byte `from` (returns where it
    /// ends) or, with `text` empty, until the terminal closes; `Err` with
    /// the screen so far when `deadline` passes, or when the terminal closes
    /// before `text` showed.
    fn wait_for(&self, text: &str, from: usize, deadline: Instant) -> Result<usize, String> {
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let (bytes, closed) = &*shown;
            if text.is_empty() && *closed {
                return Ok(bytes.len());
            }
            if !text.is_empty()
                && let Some(at) = bytes[from.min(bytes.len())..]
                    .windows(text.len())
                    .position(|w| w == text.as_bytes())
            {
                return Ok(from + at + text.len());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if *closed || left.is_zero() {
                return Err(String::from_utf8_lossy(bytes).into_owned());
            }
            shown = self
                .changed
                .wait_timeout(shown, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

/// Runs `svcx ARGS` on a pseudo-terminal with these variables added to a
/// cleared environment; for each `(question, keys)` in turn, waits until
/// `question` shows on the screen (after the previous one) and then types
/// `keys`. Returns the exit code and everything the terminal showed.
pub fn on_a_terminal(
    args: &[&str],
    env: &[(&str, &str)],
    answers: &[(&str, &str)],
) -> (i32, String) {
    let command = std::iter::once(env!("CARGO_BIN_EXE_svcx").to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .collect::<Vec<_>>()
        .join(" ");
    let env = [&[("TERM", "xterm")], env].concat();
    let mut child = piped("script", &["-q", "-e", "-c", &command, "/dev/null"], &env)
        .spawn()
        .expect("script runs");
    let deadline = Instant::now() + DEADLINE;
    let screen = Arc::new(Screen::default());
    screen
        .clone()
        .record(child.stdout.take().expect("stdout is piped"));
    // Open until svcx is done: a closed input would end the questions.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut at = 0;
    for (question, keys) in answers {
        assert!(!question.is_empty(), "each answer waits for its question");
        at = screen
            .wait_for(question, at, deadline)
            .unwrap_or_else(|so_far| {
                stuck(&mut child, &format!("waiting for {question:?}"), &so_far)
            });
        stdin
            .write_all(keys.as_bytes())
            .expect("the terminal takes keys");
        stdin.flush().expect("the terminal takes keys");
    }
    screen
        .wait_for("", at, deadline)
        .unwrap_or_else(|so_far| stuck(&mut child, "waiting for svcx to finish", &so_far));
    drop(stdin);
    let status = child.wait().expect("script is waited for");
    let shown = screen.shown.lock().unwrap_or_else(|e| e.into_inner());
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&shown.0).into_owned(),
    )
}

/// Ends a run that did not go as the test expected, and fails the test with
/// what the terminal showed.
fn stuck(child: &mut Child, doing: &str, screen: &str) -> ! {
    // The child is ours; it may have ended already.
    let _ = child.kill();
    let _ = child.wait();
    panic!("svcx on a terminal: {doing}; the screen so far:\n{screen}");
}
