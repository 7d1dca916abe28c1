//! `--probe`: try real TCP connections to the hops reachable from where svcx
//! runs (load balancer address:port, externalIP:port, node:nodePort) and put
//! what was observed beside the computed verdict. The only I/O in trace: it
//! runs after the pure analysis, never changes a verdict, connects to each
//! address:port once, at most [`CONCURRENCY`] at a time and at most
//! [`MAX_PROBES`] in all, each bounded by the timeout.

use super::report::{HopKind, ProbeObservation, ProbeResult, TraceReport};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::task::JoinSet;

/// Connections in flight at once.
pub(crate) const CONCURRENCY: usize = 16;
/// Addresses tried per run; the rest are marked skipped.
pub(crate) const MAX_PROBES: usize = 256;

type Key = (String, i32);

/// The distinct address:port pairs worth probing, in path order.
pub(crate) fn plan(report: &TraceReport) -> Vec<Key> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for path in report.services.iter().flat_map(|s| &s.paths) {
        if path.port.as_ref().is_some_and(|p| p.protocol != "TCP") {
            continue;
        }
        for hop in &path.hops {
            if !probeable(hop.kind) {
                continue;
            }
            if let (Some(a), Some(p)) = (&hop.address, hop.port)
                && seen.insert((a.clone(), p))
            {
                out.push((a.clone(), p));
            }
        }
    }
    out
}

fn probeable(kind: HopKind) -> bool {
    matches!(
        kind,
        HopKind::LoadBalancer
            | HopKind::ExternalIp
            | HopKind::Node
            | HopKind::Gateway
            | HopKind::IngressController
    )
}

/// Probes the report's reachable hops and records what was seen on each.
pub(crate) async fn probe(report: &mut TraceReport, timeout: Duration) {
    let targets = plan(report);
    let results = connect_all(targets.iter().take(MAX_PROBES).cloned().collect(), timeout).await;
    for path in report.services.iter_mut().flat_map(|s| s.paths.iter_mut()) {
        let tcp = path.port.as_ref().is_none_or(|p| p.protocol == "TCP");
        let proto = path
            .port
            .as_ref()
            .map(|p| p.protocol.clone())
            .unwrap_or_default();
        for hop in path.hops.iter_mut().filter(|h| probeable(h.kind)) {
            let skipped = |detail: String| ProbeObservation {
                result: ProbeResult::Skipped,
                detail,
            };
            hop.probe = Some(match (&hop.address, hop.port) {
                _ if !tcp => skipped(format!(
                    "not tried: {proto} cannot be checked with a TCP connect"
                )),
                (Some(a), Some(p)) => match results.get(&(a.clone(), p)) {
                    Some(o) => o.clone(),
                    None => skipped(format!(
                        "not tried: over the limit of {MAX_PROBES} probes per run"
                    )),
                },
                _ => skipped("not tried: no address or port to connect to".into()),
            });
        }
    }
    report.probed = true;
}

async fn connect_all(targets: Vec<Key>, timeout: Duration) -> HashMap<Key, ProbeObservation> {
    bounded(targets, move |(host, port)| async move {
        connect(&host, port, timeout).await
    })
    .await
}

/// Runs `attempt` on every target, at most [`CONCURRENCY`] at once: a new
/// attempt starts only when one in flight has ended. Split from the connect
/// so the cap can be checked without opening sockets.
async fn bounded<F, Fut>(targets: Vec<Key>, attempt: F) -> HashMap<Key, ProbeObservation>
where
    F: Fn(Key) -> Fut,
    Fut: std::future::Future<Output = ProbeObservation> + Send + 'static,
{
    let mut results = HashMap::new();
    let mut set = JoinSet::new();
    for key in targets {
        if set.len() >= CONCURRENCY
            && let Some(Ok((k, o))) = set.join_next().await
        {
            results.insert(k, o);
        }
        let running = attempt(key.clone());
        set.spawn(async move { (key, running.await) });
    }
    while let Some(done) = set.join_next().await {
        if let Ok((k, o)) = done {
            results.insert(k, o);
        }
    }
    results
}

/// One connect attempt, bounded by `timeout` (name resolution included).
pub(crate) async fn connect(host: &str, port: i32, timeout: Duration) -> ProbeObservation {
    let obs = |result, detail: String| ProbeObservation { result, detail };
    let Ok(port) = u16::try_from(port) else {
        return obs(
            ProbeResult::Skipped,
            format!("not tried: {port} is not a TCP port"),
        );
    };
    let attempt = async {
        let addr = match host.parse::<IpAddr>() {
            Ok(ip) => SocketAddr::new(ip, port),
            Err(_) => match tokio::net::lookup_host((host, port)).await {
                Ok(mut addrs) => match addrs.next() {
                    Some(a) => a,
                    None => {
                        return obs(ProbeResult::Error, format!("{host} resolves to no address"));
                    }
                },
                Err(e) => return obs(ProbeResult::Error, format!("could not resolve {host}: {e}")),
            },
        };
        match TcpStream::connect(addr).await {
            Ok(_) => obs(ProbeResult::Open, "connected".into()),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                obs(ProbeResult::Refused, "connection refused".into())
            }
            Err(e) => obs(ProbeResult::Error, e.to_string()),
        }
    };
    match tokio::time::timeout(timeout, attempt).await {
        Ok(o) => o,
        Err(_) => obs(
            ProbeResult::Timeout,
            format!("no answer within {}", show_duration(timeout)),
        ),
    }
}

/// `2s`, `500ms`.
fn show_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn open_and_refused_on_loopback() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let open = listener.local_addr().expect("bound address").port();
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
            l.local_addr().expect("bound address").port()
        };
        let t = Duration::from_secs(2);
        assert_eq!(
            connect("127.0.0.1", i32::from(open), t).await.result,
            ProbeResult::Open
        );
        assert_eq!(
            connect("127.0.0.1", i32::from(closed), t).await.result,
            ProbeResult::Refused
        );
        assert_eq!(
            connect("127.0.0.1", 70000, t).await.result,
            ProbeResult::Skipped
        );
        drop(listener);
    }

    /// The cap, in process: a fake attempt that counts how many run at
    /// once and holds each for a moment, so that without the cap all 40
    /// would be in flight together. At most, and exactly, 16 are; every
    /// target gets its result. (tests/probe.rs checks the same coarsely on
    /// real sockets.)
    #[tokio::test]
    async fn at_most_sixteen_attempts_are_in_flight() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let in_flight = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let targets: Vec<Key> = (0..40).map(|i| ("127.0.0.1".to_string(), i)).collect();
        let results = bounded(targets, |(_, port)| {
            let (in_flight, most) = (in_flight.clone(), most.clone());
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                ProbeObservation {
                    result: ProbeResult::Open,
                    detail: port.to_string(),
                }
            }
        })
        .await;
        assert_eq!(most.load(Ordering::SeqCst), CONCURRENCY);
        assert_eq!(CONCURRENCY, 16);
        assert_eq!(results.len(), 40);
        assert!(
            results
                .iter()
                .all(|((_, port), o)| o.detail == port.to_string()),
            "each target has its own result: {results:?}"
        );
    }

    #[test]
    fn durations_read_as_typed() {
        assert_eq!(show_duration(Duration::from_secs(2)), "2s");
        assert_eq!(show_duration(Duration::from_millis(300)), "300ms");
    }
}
