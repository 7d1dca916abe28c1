//! Live reads against a faulty API server: slow, busy (429, 503 with
//! Retry-After), failing (500), cutting the connection mid-answer, sending
//! truncated or invalid JSON, expiring `continue` tokens, and large lists.
//! svcx retries only what is safe to retry, a bounded number of times,
//! within `--request-timeout` for the whole read; otherwise it fails fast
//! naming the resource and the status; a kind the answer can do without
//! degrades it with a notice. Ctrl-C during a read exits 130 at once.

use crate::common;
use crate::support;

use common::{Cluster, json_out};
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{ApiServer, ApiServerBuilder, Fault, Hold, objects};
use svcx::demo::MANIFEST;

/// The demo cluster, with faults added by `faulty`.
fn demo(faulty: impl FnOnce(ApiServerBuilder) -> ApiServerBuilder) -> Cluster {
    Cluster::start(faulty(ApiServer::builder().yaml(MANIFEST)).start())
}

fn notices(report: &Value) -> Vec<String> {
    report["notices"]
        .as_array()
        .expect("notices is a list")
        .iter()
        .map(|n| n["message"].as_str().expect("a message").to_string())
        .collect()
}

/// The fault first seen by a new user: a 503 on the Services list made
/// `svcx explain -A` wait the whole 30 s timeout and then name neither the
/// resource nor the status. Now it retries three times, honouring
/// Retry-After, and stops with both.
#[test]
fn unavailable_services_fail_fast_naming_resource_and_status() {
    let cluster = demo(|b| b.fault("services", Fault::unavailable(Some(1))));
    let (run, took) = cluster.svcx_timed(&["explain", "-A"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        took >= Duration::from_secs(3),
        "three waits of 1s: {took:?}"
    );
    assert_eq!(
        cluster.hits("/api/v1/services"),
        4,
        "one try, three retries"
    );
    // What failed, where, and the status, as the user reads it.
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("faults_services_unavailable_stderr", run.stderr));
}

#[test]
fn a_retry_after_longer_than_svcx_waits_fails_at_once() {
    let cluster = demo(|b| b.fault("services", Fault::unavailable(Some(120))));
    let (run, took) = cluster.svcx_timed(&["explain", "-n", "shop"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(cluster.hits("/api/v1/namespaces/shop/services"), 1);
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("faults_retry_after_too_long_stderr", run.stderr));
}

/// The API server answers 429 with Retry-After when API Priority and Fairness rejects a request
/// (KEP-1040), and client-go retries a GET on 429 or a 5xx that carries Retry-After (`checkWait`
/// in k8s.io/client-go/rest/request.go), a bounded number of times: svcx does the same.
#[test]
fn a_busy_server_is_retried_until_it_answers() {
    let cluster = demo(|b| b.fault_times("services", Fault::too_many(1), 2));
    let (run, took) = cluster.svcx_timed(&["explain", "-A", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(cluster.hits("/api/v1/services"), 3);
    assert!(
        took >= Duration::from_secs(2),
        "Retry-After honoured: {took:?}"
    );
    let report = json_out(&run);
    assert!(!report["services"].as_array().unwrap().is_empty());
    assert_eq!(notices(&report), Vec::<String>::new(), "a full answer");
}

#[test]
fn an_internal_error_is_not_retried() {
    let cluster = demo(|b| b.fault("services", Fault::internal()));
    let (run, took) = cluster.svcx_timed(&["explain", "-A"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(cluster.hits("/api/v1/services"), 1);
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("faults_internal_error_stderr", run.stderr));
}

#[test]
fn a_connection_reset_mid_answer_is_retried() {
    // Two servers, read at once: each run mostly waits out svcx's backoff.
    let (once, always) = std::thread::scope(|s| {
        let once = s.spawn(|| {
            let cluster = demo(|b| b.fault_times("services", Fault::ResetMidBody, 1));
            let (run, _) = cluster.svcx_timed(&["explain", "-A", "-o", "json"]);
            (cluster, run)
        });
        let always = s.spawn(|| {
            let cluster = demo(|b| b.fault("services", Fault::ResetMidBody));
            let (run, took) = cluster.svcx_timed(&["explain", "-A"]);
            (cluster, run, took)
        });
        let always = always
            .join()
            .expect("the run against a server that always resets");
        (
            once.join()
                .expect("the run against a server that resets once"),
            always,
        )
    });
    let (cluster, run) = once;
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(cluster.hits("/api/v1/services"), 2);

    let (cluster, run, took) = always;
    assert_eq!(run.code, 2, "{run}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(cluster.hits("/api/v1/services"), 4);
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("faults_reset_mid_answer_stderr", run.stderr));
}

#[test]
fn truncated_and_invalid_json_fail_clearly_without_retry() {
    for (fault, name) in [
        (Fault::TruncatedJson, "faults_truncated_json_stderr"),
        (Fault::InvalidJson, "faults_invalid_json_stderr"),
    ] {
        let cluster = demo(|b| b.fault("services", fault.clone()));
        let (run, _) = cluster.svcx_timed(&["explain", "-A"]);
        assert_eq!(run.code, 2, "{run}");
        assert_eq!(cluster.hits("/api/v1/services"), 1, "{fault:?}");
        cluster
            .settings()
            .bind(|| insta::assert_snapshot!(name, run.stderr));
    }
}

/// --request-timeout bounds the whole read: a server that never sends the
/// headers is given up on at the deadline, and the message says which list
/// was pending and where it stood.
#[test]
fn slow_headers_are_bounded_by_the_request_timeout() {
    let cluster = demo(|b| b.fault("services", Fault::Delay(Duration::from_secs(20))));
    let (run, took) = cluster.svcx_timed(&["explain", "-A", "--request-timeout", "1s"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("faults_slow_services_stderr", run.stderr));
}

/// Retries count against the same deadline: a server that keeps asking to
/// come back is not waited for past --request-timeout.
#[test]
fn retries_stay_within_the_request_timeout() {
    let cluster = demo(|b| b.fault("services", Fault::unavailable(Some(1))));
    let (run, took) = cluster.svcx_timed(&["explain", "-A", "--request-timeout", "1500ms"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(took < Duration::from_secs(4), "took {took:?}");
    // How many attempts fit in the deadline depends on the machine's pace.
    let mut settings = cluster.settings();
    settings.add_filter(r"\(\d+ attempts\)", "([N] attempts)");
    settings.bind(|| insta::assert_snapshot!("faults_retries_out_of_time_stderr", run.stderr));
}

#[test]
fn a_slow_body_within_the_timeout_is_read_whole() {
    let cluster = demo(|b| b.fault("pods", Fault::SlowBody(Duration::from_millis(700))));
    let (run, took) = cluster.svcx_timed(&["explain", "-A", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(took >= Duration::from_millis(700), "took {took:?}");
    assert_eq!(notices(&json_out(&run)), Vec::<String>::new());
}

/// Kinds the answer can do without (everything but Services) degrade it
/// with a notice that names the kind and the fault.
#[test]
fn optional_kinds_that_fail_degrade_the_answer() {
    let cluster = demo(|b| {
        b.fault("pods", Fault::internal())
            .fault("nodes", Fault::ResetMidBody)
            .fault("ingresses", Fault::Delay(Duration::from_secs(20)))
            .fault("ingressclasses", Fault::InvalidJson)
            .fault("/apis", Fault::unavailable(None))
    });
    // 1s: the Ingresses never come, so the run lasts the whole timeout;
    // and the backoff before a third retry (at least 200 + 400 + 800 ms)
    // never fits in it, so the nodes and discovery notices always end the
    // same way.
    let (run, took) =
        cluster.svcx_timed(&["explain", "-A", "-o", "json", "--request-timeout", "1s"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(took < Duration::from_secs(6), "took {took:?}");
    let report = json_out(&run);
    assert!(!report["services"].as_array().unwrap().is_empty());
    let notices = notices(&report);
    // One notice per kind that failed, naming the kind and the fault.
    // How many attempts fit in the deadline depends on the machine's pace.
    let mut settings = cluster.settings();
    settings.add_filter(r"\(\d+ attempts\)", "([N] attempts)");
    settings.bind(|| insta::assert_snapshot!("faults_optional_kinds_notices", notices.join("\n")));
    assert_eq!(cluster.hits("/api/v1/pods"), 1, "500 is not retried");
}

/// 1,200 pods paged 500 at a time; the `continue` token of page 2 has
/// expired: the list starts over once, and the answer is whole.
fn big() -> ApiServerBuilder {
    let pods = (0..1200).map(|i| {
        objects::pod(
            "big",
            &format!("web-{i:04}"),
            "web",
            &objects::ip(i + 1),
            "node-1",
        )
    });
    ApiServer::builder()
        .object(objects::node("node-1", "192.0.2.1"))
        .object(objects::service("big", "web"))
        .objects(pods)
        .max_page(500)
        .forbid("endpointslices")
}

/// The `continue` token of each request for the pods of `big`, in the order
/// the server saw them (`None`: a first page).
fn pod_pages(cluster: &Cluster) -> Vec<Option<String>> {
    cluster
        .server
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v1/namespaces/big/pods")
        .map(|r| r.param("continue"))
        .collect()
}

/// How many backends `big/web` has in a JSON run's report.
fn web_backends(run: &common::Run) -> usize {
    let report = json_out(run);
    common::service(&report, "big", "web")["backends"]["items"]
        .as_array()
        .expect("backends.items is a list")
        .len()
}

/// Kubernetes API concepts, "Retrieving large results sets in chunks": when a `continue` token
/// has expired the API server answers 410 Gone (Status reason `Expired`), and the client must
/// start the list again without it.
#[test]
fn an_expired_continue_token_restarts_the_list_once() {
    let cluster = Cluster::start(big().fault_times("pods", Fault::ExpiredContinue, 1).start());
    let (run, _) = cluster.svcx_timed(&["explain", "-n", "big", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let pages = pod_pages(&cluster);
    assert_eq!(
        pages.len(),
        5,
        "page 1, expired page 2, then 3 pages: {pages:?}"
    );
    assert_eq!(
        (pages[0].is_none(), pages[2].is_none()),
        (true, true),
        "{pages:?}"
    );
    assert_eq!(web_backends(&run), 1200);

    // Expired again after starting over: the pods cannot be read, and the
    // notice says why.
    let cluster = Cluster::start(big().fault("pods", Fault::ExpiredContinue).start());
    let (run, _) = cluster.svcx_timed(&["explain", "-n", "big", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let notices = notices(&json_out(&run));
    cluster.settings().bind(|| {
        insta::assert_snapshot!("faults_continue_expired_twice_notices", notices.join("\n"))
    });
    assert_eq!(cluster.hits("/api/v1/namespaces/big/pods"), 4);
}

#[test]
fn services_whose_list_keeps_expiring_fail_clearly() {
    let services = (0..1200).map(|i| objects::service("big", &format!("svc-{i:04}")));
    let cluster = Cluster::start(
        ApiServer::builder()
            .objects(services)
            .max_page(500)
            .fault("services", Fault::ExpiredContinue)
            .start(),
    );
    let (run, _) = cluster.svcx_timed(&["explain", "-A"]);
    assert_eq!(run.code, 2, "{run}");
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("faults_services_continue_expired_stderr", run.stderr));
}

/// The next page is asked for as soon as this one's `continue` token is
/// in, not once the whole page is: a server that holds the rest of each
/// page until the next request arrives (as one streaming a long list does,
/// in effect) is never waited out. Kubernetes writes a list's `metadata`
/// before its `items`: the list types declare them in that order and are
/// encoded in field order (kubernetes/api@10b39a3, core/v1/types.go:5816-5825,
/// `PodList`: `TypeMeta`, `ListMeta json:"metadata"`, `Items json:"items"`;
/// every list type alike), and since 1.33 the items are streamed after it
/// (KEP-5116, "Streaming Encoding for LIST Responses", beta in 1.33).
#[test]
fn the_next_page_is_asked_for_before_this_one_is_whole() {
    let hold = Hold::new(Duration::from_secs(20));
    let cluster = Cluster::start(
        big()
            .fault_times("pods", Fault::HeldUntilNext(hold.clone()), 2)
            .start(),
    );
    let (run, _) = cluster.svcx_timed(&["explain", "-n", "big", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(web_backends(&run), 1200);
    assert_eq!(cluster.hits("/api/v1/namespaces/big/pods"), 3);
    assert_eq!(hold.released_by_next(), 2, "pages 1 and 2 were held");
}

/// A server that writes a list's `items` before its `metadata` gives no
/// token at the start of a page: each page is then read whole, its token
/// taken with its items, and the list is still read whole.
#[test]
fn pages_whose_items_come_first_are_read_one_after_another() {
    let cluster = Cluster::start(big().fault("pods", Fault::ItemsFirst).start());
    let (run, _) = cluster.svcx_timed(&["explain", "-n", "big", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(web_backends(&run), 1200);
    assert_eq!(cluster.hits("/api/v1/namespaces/big/pods"), 3);
}

/// A page cut off after its token was read is asked for again, while the
/// page after it, already asked for, is not: each page is read once, and
/// the list is whole.
#[test]
fn a_page_cut_after_its_token_is_retried_alone() {
    let cluster = Cluster::start(big().fault_times("pods", Fault::ResetMidBody, 1).start());
    let (run, _) = cluster.svcx_timed(&["explain", "-n", "big", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(web_backends(&run), 1200);
    let mut pages = pod_pages(&cluster);
    pages.sort();
    assert_eq!(
        pages.len(),
        4,
        "page 1 twice, pages 2 and 3 once: {pages:?}"
    );
    assert_eq!((pages[0].is_none(), pages[1].is_none()), (true, true));
    assert_ne!(pages[2], pages[3], "{pages:?}");
}

/// A large cluster is read page by page, every page, within the timeout.
#[test]
fn a_large_list_is_read_whole_page_by_page() {
    let services =
        (0..6000).map(|i| objects::service(&format!("ns-{}", i % 40), &format!("svc-{i:05}")));
    let cluster = Cluster::start(ApiServer::builder().objects(services).max_page(500).start());
    let (run, _) = cluster.svcx_timed(&["explain", "-A", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(json_out(&run)["services"].as_array().unwrap().len(), 6000);
    assert_eq!(cluster.hits("/api/v1/services"), 12);
}

/// Ctrl-C while svcx waits for the cluster ends the run at once with 130
/// (128 + SIGINT), as shells expect.
#[test]
fn ctrl_c_during_a_live_read_exits_130_promptly() {
    let cluster = demo(|b| b.fault("services", Fault::Delay(Duration::from_secs(60))));
    let mut child = Command::new(env!("CARGO_BIN_EXE_svcx"))
        .args([
            "--kubeconfig",
            cluster.kubeconfig.to_str().unwrap(),
            "explain",
            "-A",
        ])
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("svcx starts");
    // Wait until the read is under way: the server has seen the list.
    let started = Instant::now();
    while cluster.hits("/api/v1/services") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "svcx never asked"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let status = loop {
        if let Some(status) = child.try_wait().expect("svcx is waited for") {
            break status;
        }
        assert!(sent.elapsed() < Duration::from_secs(3), "svcx did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130), "{status:?}");
}
