//! Command-line definitions. The doc comments are the `--help` text, so they
//! teach: every flag says what it does and what it is for.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// svcx: see what your Kubernetes Services really do.
///
/// A ClusterIP Service is a virtual IP inside the cluster; a NodePort Service is
/// also a ClusterIP Service plus a port on every node; a LoadBalancer Service is
/// also a NodePort Service plus an external load balancer. svcx shows each
/// layer with its real addresses and ports, traces the path a packet takes,
/// and points at what is broken.
///
/// Sources: a live cluster (your kubeconfig, read-only), manifests (-f), or the
/// built-in demo cluster (--demo).
#[derive(Debug, Parser)]
#[command(name = "svcx", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand understands.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use (default: the current context).
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// Namespace to look in (default: the context's namespace, or `default`;
    /// with -f or --demo, every namespace in the input).
    #[arg(short = 'n', long, global = true, value_name = "NS")]
    pub namespace: Option<String>,

    /// Look in every namespace.
    #[arg(short = 'A', long, global = true, conflicts_with = "namespace")]
    pub all_namespaces: bool,

    /// Read manifests instead of a cluster: a file, a directory (read
    /// recursively for .yaml, .yml and .json), or - for stdin. Repeatable.
    /// Accepts multi-document YAML, JSON, `kind: List` (kubectl get -o yaml)
    /// and `kubectl cluster-info dump --output-directory` folders.
    #[arg(short = 'f', long = "filename", global = true, value_name = "PATH")]
    pub filenames: Vec<PathBuf>,

    /// Use the demo cluster built into svcx (no cluster needed).
    #[arg(long, global = true, conflicts_with = "filenames")]
    pub demo: bool,

    /// Output format.
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Human)]
    pub output: OutputFormat,

    /// When to use colour (NO_COLOR in the environment also turns it off).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// How long to wait for the cluster before giving up, e.g. 10s, 500ms, 1m.
    #[arg(long, global = true, value_parser = parse_duration, default_value = "30s", value_name = "DURATION")]
    pub request_timeout: Duration,
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Tables and text for people.
    Human,
    /// JSON with a versioned schema (docs/json.md).
    Json,
    /// The same document as YAML.
    Yaml,
    /// A Mermaid flowchart (trace only), to paste into a PR or README.
    Mermaid,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show each Service's layers (LoadBalancer ⊃ NodePort ⊃ ClusterIP ⊃ pods)
    /// with real addresses and ports, and what each setting does to traffic.
    Explain(ExplainArgs),
    /// Follow the path external IP → node:nodePort → ClusterIP:port →
    /// pod:targetPort and say, hop by hop, what works and what is broken.
    Trace(TraceArgs),
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Services to explain, as NAME or NAMESPACE/NAME (default: every Service in scope).
    #[arg(value_name = "SERVICE")]
    pub services: Vec<String>,

    /// Print the guide to the three Service types, side by side. Needs no cluster.
    #[arg(long)]
    pub concepts: bool,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// What to trace: a Service (NAME or NAMESPACE/NAME) or an address a client
    /// would use: a load balancer IP or hostname, NODE-IP:NODEPORT,
    /// CLUSTER-IP:PORT or an externalIP, with an optional :PORT.
    /// Default: every Service in scope.
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,

    /// Only this Service port (number or name).
    #[arg(long, value_name = "PORT")]
    pub port: Option<String>,

    /// Also try TCP connections to the hops reachable from here (load balancer
    /// and node ports) and show what was observed beside the computed verdict.
    #[arg(long)]
    pub probe: bool,

    /// Connect timeout for --probe.
    #[arg(long, value_parser = parse_duration, default_value = "2s", value_name = "DURATION")]
    pub probe_timeout: Duration,
}

/// Parses `10s`, `500ms`, `2m` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration; try 10s, 500ms or 1m"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(format!("unknown unit `{unit}` in `{s}`; use ms, s or m")),
    };
    if !(secs > 0.0 && secs.is_finite()) {
        return Err(format!("`{s}` must be more than zero"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("5h").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
