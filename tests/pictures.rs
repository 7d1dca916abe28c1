//! Pictures: `svcx explain -o html|dot` and `svcx trace -o html|dot`. The DOT
//! is snapshotted and parsed by Graphviz's `dot`; the HTML page is snapshotted
//! and rendered by headless Chromium, and the test asserts on the page it
//! rendered (the DOM: SVG boxes with their texts and verdict classes; the
//! screenshot: its size and pixels in the verdict colours). Untrusted names
//! must come out as text. .ci/run installs Graphviz and Chromium; without
//! them those tests are ignored (build.rs detects both), except in CI.

use crate::common;

use common::{Run, root, settings, svcx};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HOSTILE: &str = "tests/fixtures/pictures/hostile.yaml";

fn ok(args: &[&str]) -> Run {
    let run = svcx(args);
    assert!(run.code == 0 || run.code == 1, "{args:?}: {run}");
    run
}

#[test]
fn trace_dot_snapshot() {
    let run = ok(&["trace", "--demo", "shop/storefront", "-o", "dot"]);
    settings().bind(|| insta::assert_snapshot!("trace_storefront_dot", run.stdout));
}

#[test]
fn explain_dot_snapshot() {
    let run = ok(&["explain", "--demo", "shop/storefront", "-o", "dot"]);
    settings().bind(|| insta::assert_snapshot!("explain_storefront_dot", run.stdout));
}

#[test]
fn explain_gateway_dot_snapshot() {
    let run = ok(&[
        "explain",
        "--demo",
        "--gateway",
        "infra/public",
        "-o",
        "dot",
    ]);
    settings().bind(|| insta::assert_snapshot!("explain_gateway_dot", run.stdout));
}

/// A Gateway's picture: its listeners, the routes each admits, the
/// Services they send to, and the refused route, broken, from the Gateway.
#[test]
fn gateway_picture_shows_listeners_routes_and_refusals() {
    let html = ok(&[
        "explain",
        "--demo",
        "--gateway",
        "infra/public",
        "-o",
        "html",
    ])
    .stdout;
    let boxes: Vec<&str> = html.split("<g class=\"node ").skip(1).collect();
    let kinds = |kind: &str| {
        boxes
            .iter()
            .filter(|b| b.contains(&format!("data-kind=\"{kind}\"")))
            .count()
    };
    assert_eq!(kinds("gateway"), 1);
    assert_eq!(kinds("listener"), 2);
    assert_eq!(kinds("route"), 4);
    assert_eq!(kinds("backend-ref"), 3);
    let refused = boxes
        .iter()
        .find(|b| b.contains("HTTPRoute payments/pay"))
        .unwrap();
    assert!(refused.starts_with("broken\""), "{refused}");
    // Its finding is listed once under the picture.
    assert_eq!(html.matches("<li class=\"error\">").count(), 1);
}

#[test]
fn trace_html_snapshot() {
    let run = ok(&["trace", "--demo", "payments/payments-api", "-o", "html"]);
    settings().bind(|| insta::assert_snapshot!("trace_payments_api_html", run.stdout));
}

#[test]
fn explain_html_snapshot() {
    let run = ok(&["explain", "--demo", "shop/checkout", "-o", "html"]);
    settings().bind(|| insta::assert_snapshot!("explain_checkout_html", run.stdout));
}

/// The page stands alone: no script, no link, no URL to fetch.
#[test]
fn html_is_self_contained() {
    for args in [
        ["trace", "--demo", "-o", "html"],
        ["explain", "--demo", "-o", "html"],
    ] {
        let html = ok(&args).stdout;
        assert!(html.starts_with("<!DOCTYPE html>"), "{args:?}");
        assert!(html.trim_end().ends_with("</html>"), "{args:?}");
        for banned in ["<script", "<link", "src=", "@import", "<iframe", "<object"] {
            assert!(!html.contains(banned), "{args:?} contains {banned}");
        }
        // Links and references (SVG markers) stay on the page.
        for reference in ["href=\"", "url("] {
            for link in html.split(reference).skip(1) {
                assert!(link.starts_with('#'), "{args:?} refers out: {link:.40}");
            }
        }
        assert!(html.contains("<svg"), "{args:?}");
    }
}

/// With no TARGET the page opens with every Service, worst first, each
/// linked to its section.
#[test]
fn trace_page_of_every_service_opens_with_an_overview() {
    let html = ok(&["trace", "--demo", "-o", "html"]).stdout;
    let table = html
        .split("<table class=\"overview\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("an overview table");
    let verdicts: Vec<&str> = table
        .split("<span class=\"badge ")
        .skip(1)
        .map(|b| b.split('"').next().unwrap())
        .collect();
    assert_eq!(verdicts.len(), 14);
    let rank = |v: &str| {
        ["ok", "warn", "broken"]
            .iter()
            .position(|w| *w == v)
            .unwrap()
    };
    assert!(
        verdicts.windows(2).all(|w| rank(w[0]) >= rank(w[1])),
        "{verdicts:?}"
    );
    for target in table.split("href=\"#").skip(1) {
        let id = target.split('"').next().unwrap();
        assert!(html.contains(&format!("id=\"{id}\"")), "#{id} exists");
    }
}

/// Names, labels and ports from a manifest are text: `<script>` in a
/// Service name is escaped in the page, and quotes cannot end a DOT string.
#[test]
fn hostile_names_are_escaped() {
    let html = ok(&["trace", "-f", HOSTILE, "-A", "-o", "html"]).stdout;
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("p&lt;/text&gt;&lt;script&gt;"));
    let html = ok(&["explain", "-f", HOSTILE, "-A", "-o", "html"]).stdout;
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("a&quot;b/&lt;script&gt;alert(1)&lt;/script&gt;"));

    let dot = ok(&["trace", "-f", HOSTILE, "-A", "-o", "dot"]).stdout;
    assert!(dot.contains(r#"label="a\"b/<script>alert(1)</script> port h\"} -> evil; {"#));
    // Every statement line is a node, an edge, an attribute or a brace: the
    // quotes in names did not open new statements.
    let edges = dot.lines().filter(|l| l.contains(" -> d")).count();
    assert_eq!(edges, 4, "{dot}");
}

/// `--concepts` prints the guide as text: pictures are refused, with a hint.
#[test]
fn concepts_refuse_pictures() {
    let run = svcx(&["explain", "--concepts", "-o", "html"]);
    assert_eq!(run.code, 2, "{run}");
    settings().bind(|| insta::assert_snapshot!("concepts_refuse_html", run.to_string()));
}

/// Runs `dot -Tsvg` on `text`; Graphviz's own parser is the judge.
fn dot_parses(name: &str, text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.dot"));
    std::fs::write(&file, text).unwrap();
    let out = Command::new("dot")
        .arg("-Tsvg")
        .arg(&file)
        .output()
        .expect("dot runs");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "dot rejected {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

#[test]
#[cfg_attr(not(svcx_dot), ignore = "needs Graphviz's `dot` on PATH")]
fn dot_output_parses_with_graphviz() {
    let cases: [(&str, &[&str]); 6] = [
        ("trace-demo", &["trace", "--demo"]),
        ("explain-demo", &["explain", "--demo"]),
        (
            "explain-gateway",
            &["explain", "--demo", "--gateway", "infra/public"],
        ),
        ("trace-gateway", &["trace", "--demo", "203.0.113.40:443"]),
        ("trace-hostile", &["trace", "-f", HOSTILE, "-A"]),
        ("explain-hostile", &["explain", "-f", HOSTILE, "-A"]),
    ];
    for (name, args) in cases {
        let mut args = args.to_vec();
        args.extend(["-o", "dot"]);
        dot_parses(name, &ok(&args).stdout);
    }
}

/// The check above must be able to fail: `dot` rejects a broken graph.
#[test]
#[cfg_attr(not(svcx_dot), ignore = "needs Graphviz's `dot` on PATH")]
fn graphviz_rejects_broken_dot() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.dot");
    std::fs::write(&file, "digraph { a -> ; \"b }").unwrap();
    let out = Command::new("dot")
        .arg("-Tsvg")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// Headless Chromium with nothing from the network and a throwaway profile;
/// `args` add what to do (`--dump-dom`, `--screenshot=...`). Killed after a
/// minute, so a stuck browser fails the test instead of hanging it.
fn chromium(profile: &Path, args: &[String], page: &Path) -> std::process::Output {
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .env("HOME", profile)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium runs");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// The page Chromium rendered, as its DOM.
fn rendered_dom(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, ok(args).stdout).unwrap();
    let out = chromium(&dir.path().join("profile"), &["--dump-dom".into()], &page);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[cfg_attr(
    not(svcx_chromium),
    ignore = "needs Debian's chromium (/usr/bin/chromium)"
)]
fn chromium_renders_the_trace_diagram() {
    let dom = rendered_dom(&["trace", "--demo", "shop/storefront", "-o", "html"]);
    assert_eq!(dom.matches("<svg").count(), 2, "one diagram per port");
    // The warn node of the first path, with its address and its verdict word.
    let warn_node = dom
        .split("<g ")
        .find(|g| g.contains("10.0.0.13:30080"))
        .expect("node-c is drawn");
    assert!(
        warn_node.starts_with(r#"class="node warn" data-kind="node""#),
        "{warn_node}"
    );
    assert!(warn_node.contains(">warn</text>"));
    // The Gateway path and the Service's own layers, with real addresses.
    for text in [
        "infra/public 203.0.113.40:443",
        "HTTPRoute shop/shop rule 1",
        "203.0.113.10:80",
        "10.96.10.20:80",
        "container web 8080/TCP",
    ] {
        assert!(dom.contains(text), "{text} in the rendered page");
    }
    assert!(dom.matches(r#"class="node ok""#).count() >= 10);
}

#[test]
#[cfg_attr(
    not(svcx_chromium),
    ignore = "needs Debian's chromium (/usr/bin/chromium)"
)]
fn chromium_renders_explain_layers() {
    let dom = rendered_dom(&["explain", "--demo", "shop/storefront", "-o", "html"]);
    for kind in [
        "load-balancer",
        "node-port",
        "cluster-ip",
        "endpoint",
        "gateway",
        "route",
    ] {
        assert!(
            dom.contains(&format!(r#"data-kind="{kind}""#)),
            "{kind} box in the rendered page"
        );
    }
    assert!(dom.contains("203.0.113.10:{80,443}"));
    assert!(dom.contains("nodePort 30080, 30443"));
}

/// Chromium builds no element from a hostile name: the `<script>` stays text.
#[test]
#[cfg_attr(
    not(svcx_chromium),
    ignore = "needs Debian's chromium (/usr/bin/chromium)"
)]
fn chromium_shows_hostile_names_as_text() {
    let dom = rendered_dom(&["trace", "-f", HOSTILE, "-A", "-o", "html"]);
    assert!(!dom.contains("<script"), "{dom}");
    assert!(!dom.contains("<img"), "{dom}");
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

/// The screenshot has the window's size and the verdict colours of the
/// boxes: ok green and warn orange (the page's palette).
#[test]
#[cfg_attr(
    not(svcx_chromium),
    ignore = "needs Debian's chromium (/usr/bin/chromium)"
)]
fn chromium_screenshot_shows_verdict_colours() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let shot = dir.path().join("shot.png");
    let html = ok(&["trace", "--demo", "shop/storefront", "-o", "html"]).stdout;
    std::fs::write(&page, html).unwrap();
    let out = chromium(
        &dir.path().join("profile"),
        &[
            "--window-size=2100,700".into(),
            format!("--screenshot={}", shot.display()),
        ],
        &page,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (2100, 700));
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let near = |p: &[u8], rgb: [u8; 3]| (0..3).all(|i| p[i].abs_diff(rgb[i]) <= 4);
    let count = |rgb: [u8; 3]| pixels.iter().filter(|p| near(p, rgb)).count();
    // The boxes' fills (large areas, unlike their antialiased borders): a
    // box is 236 pixels wide and at least 46 high.
    let ok_fill = count([0xe6, 0xf4, 0xea]);
    let warn_fill = count([0xfe, 0xf7, 0xe0]);
    let white = count([0xff, 0xff, 0xff]);
    assert!(ok_fill > 10 * 236 * 40, "ok boxes drawn: {ok_fill} pixels");
    assert!(
        warn_fill > 236 * 40,
        "the warn box drawn: {warn_fill} pixels"
    );
    assert!(white < pixels.len(), "not a blank page");
}

/// CI installs Graphviz and Chromium (.ci/run), so there the checks above
/// must run rather than be ignored.
#[test]
#[cfg_attr(not(svcx_ci), ignore = "checks CI's setup (runs where CI is set)")]
fn ci_runs_the_picture_checks() {
    let missing: Vec<&str> = [
        (cfg!(svcx_dot), "Graphviz (dot)"),
        (cfg!(svcx_chromium), "chromium"),
    ]
    .into_iter()
    .filter_map(|(present, what)| (!present).then_some(what))
    .collect();
    assert!(missing.is_empty(), "CI must provide {missing:?}");
}

/// The README's screenshot is made by the command docs/img/README.md shows.
#[test]
fn readme_screenshot_exists() {
    let png = root().join("docs/img/trace-storefront.png");
    let bytes = std::fs::read(&png).expect("docs/img/trace-storefront.png");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("docs/img/trace-storefront.png"));
}

/// Offline, pod templates stand in for pods: their readiness is unknown,
/// and the picture says so with its own class (not `ok`).
#[test]
fn templates_are_drawn_unknown() {
    let fixture = "tests/fixtures/explain/offline-templates.yaml";
    let html = ok(&["trace", "-f", fixture, "-A", "-o", "html"]).stdout;
    assert!(html.contains(r#"<g class="node unknown" data-kind="endpoints">"#));
    assert!(html.contains(r#"<g class="node unknown" data-kind="endpoint">"#));
    let html = ok(&["explain", "-f", fixture, "-A", "-o", "html"]).stdout;
    assert!(html.contains(r#"<g class="node unknown" data-kind="endpoint">"#));
}

/// Every manifest of the third-party corpus is drawn without a failure:
/// the pages are complete and escape what they show, and Graphviz parses
/// every graph.
#[test]
#[cfg_attr(
    not(all(svcx_corpus, svcx_dot)),
    ignore = "needs ../shared/corpus and Graphviz's `dot` on PATH"
)]
fn corpus_pictures_are_complete() {
    let mut files: Vec<std::path::PathBuf> = ["manifests", "live"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root().join(common::corpus(dir))).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the corpus has manifests");
    // Files on threads of their own: four runs of svcx and two of dot each.
    let drawn: usize = common::parallel(&files, |file| {
        let path = file.to_str().unwrap();
        let mut drawn = 0;
        for sub in ["explain", "trace"] {
            let html = svcx(&[sub, "-f", path, "-A", "-o", "html"]);
            // A manifest svcx refuses (exit 2) says why; no picture is due.
            assert!(matches!(html.code, 0..=2), "{sub} {path}: {html}");
            if html.code == 2 {
                assert!(
                    html.stdout.is_empty() && html.stderr.starts_with("svcx: error"),
                    "{html}"
                );
                continue;
            }
            assert!(html.stdout.trim_end().ends_with("</html>"), "{sub} {path}");
            assert!(!html.stdout.contains("<script"), "{sub} {path}");
            let dot = svcx(&[sub, "-f", path, "-A", "-o", "dot"]);
            assert_eq!(dot.code, html.code, "{sub} {path}: {dot}");
            dot_parses(
                &format!("{sub}-{}", file.file_name().unwrap().to_string_lossy()),
                &dot.stdout,
            );
            drawn += 1;
        }
        drawn
    })
    .into_iter()
    .sum();
    assert!(drawn >= files.len(), "most of the corpus is drawn: {drawn}");
}
