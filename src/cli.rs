//! Command-line definitions. The doc comments are the `--help` text, so they
//! teach: every flag says what it does and what it is for.

pub(crate) mod examples;
mod parse;

use crate::{lint, render};
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
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
///
/// Output: -o after the subcommand, e.g. `svcx explain -o json`; each
/// subcommand lists its formats in its --help.
#[derive(Debug, Parser)]
#[command(
    name = "svcx",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = examples::SVCX
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,

    /// How svcx was invoked: usage errors name the command as typed.
    #[arg(skip)]
    pub(crate) invocation: Invocation,

    /// `-o` given before the subcommand. Each subcommand has its own formats,
    /// so it is refused with where to put it (see [`Cli::refusal`]).
    #[arg(short = 'o', long = "output", hide = true, value_name = "FORMAT")]
    pub(crate) misplaced_output: Option<String>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Flags every subcommand understands. In a subcommand's `--help` they come
/// after the subcommand's own.
#[derive(Debug, Clone, Args)]
#[command(next_display_order = 100)]
pub(crate) struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use (default: the current context). Repeatable
    /// for explain, trace and lint: the clusters of all the contexts named
    /// are read at once, and the answer is grouped by context.
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) context: Vec<String>,

    /// Read the cluster of every context in the kubeconfig, all at once
    /// (explain, trace and lint); the answer is grouped by context.
    #[arg(long, global = true, conflicts_with = "context")]
    pub(crate) all_contexts: bool,

    /// Namespace to look in (default: the context's namespace, or `default`;
    /// with -f or --demo, every namespace in the input).
    #[arg(short = 'n', long, global = true, value_name = "NS")]
    pub(crate) namespace: Option<String>,

    /// Look in every namespace.
    #[arg(short = 'A', long, global = true, conflicts_with = "namespace")]
    pub(crate) all_namespaces: bool,

    /// Read manifests instead of a cluster: a file, a directory (read
    /// recursively for .yaml, .yml and .json), or - for stdin. Repeatable.
    /// Accepts multi-document YAML, JSON, `kind: List` (kubectl get -o yaml)
    /// and `kubectl cluster-info dump --output-directory` folders.
    #[arg(short = 'f', long = "filename", global = true, value_name = "PATH")]
    pub(crate) filenames: Vec<PathBuf>,

    /// Use the demo cluster built into svcx (no cluster needed).
    #[arg(long, global = true, conflicts_with = "filenames")]
    pub(crate) demo: bool,

    /// When to use colour (NO_COLOR in the environment also turns it off).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,

    /// How long to wait for the cluster before giving up, e.g. 10s, 500ms, 1m
    /// (default: 30s).
    #[arg(long, global = true, value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) request_timeout: Option<Duration>,
}

impl GlobalArgs {
    /// The flag that asks for several clusters (`--all-contexts`, or
    /// `--context` given with two or more names), if any.
    pub(crate) fn several_contexts(&self) -> Option<&'static str> {
        let mut named: Vec<&String> = self.context.iter().collect();
        named.sort();
        named.dedup();
        if self.all_contexts {
            Some("--all-contexts")
        } else if named.len() > 1 {
            Some("--context")
        } else {
            None
        }
    }

    /// The flag that picks an offline source (`--demo` or `-f`), if any.
    fn offline_flag(&self) -> Option<&'static str> {
        if self.demo {
            Some("--demo")
        } else if !self.filenames.is_empty() {
            Some("-f")
        } else {
            None
        }
    }
}

/// How `svcx explain` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExplainOutput {
    /// Tables and text for people.
    Human,
    /// The same, listing every node of each NodePort and every endpoint
    /// (human output counts them past a few).
    Wide,
    /// JSON with a versioned schema (docs/json.md).
    Json,
    /// The same document as YAML.
    Yaml,
    /// A self-contained HTML page with a diagram of each Service's layers.
    Html,
    /// A Graphviz DOT graph of each Service's layers.
    Dot,
}

/// How `svcx trace` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TraceOutput {
    /// A path diagram for people.
    Human,
    /// JSON with a versioned schema (docs/json.md).
    Json,
    /// The same document as YAML.
    Yaml,
    /// A Mermaid flowchart, to paste into a PR or README.
    Mermaid,
    /// A self-contained HTML page with a diagram of each path, hop by hop.
    Html,
    /// A Graphviz DOT graph of each path.
    Dot,
}

impl From<ExplainOutput> for render::explain::Format {
    fn from(o: ExplainOutput) -> Self {
        match o {
            ExplainOutput::Human => Self::Human,
            ExplainOutput::Wide => Self::Wide,
            ExplainOutput::Json => Self::Json,
            ExplainOutput::Yaml => Self::Yaml,
            ExplainOutput::Html => Self::Html,
            ExplainOutput::Dot => Self::Dot,
        }
    }
}

impl From<TraceOutput> for render::trace::Format {
    fn from(o: TraceOutput) -> Self {
        match o {
            TraceOutput::Human => Self::Human,
            TraceOutput::Json => Self::Json,
            TraceOutput::Yaml => Self::Yaml,
            TraceOutput::Mermaid => Self::Mermaid,
            TraceOutput::Html => Self::Html,
            TraceOutput::Dot => Self::Dot,
        }
    }
}

/// How `svcx lint` writes its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LintOutput {
    /// Diagnostics with the source line, for people, and a summary.
    Human,
    /// JSON with a versioned schema (docs/json.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

/// How `svcx rule` writes rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RuleOutput {
    /// The doc, for people.
    Human,
    /// JSON.
    Json,
}

/// From which severity `svcx lint` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOnArg {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever is found.
    Never,
}

impl From<LintOutput> for render::lint::Format {
    fn from(o: LintOutput) -> Self {
        match o {
            LintOutput::Human => Self::Human,
            LintOutput::Json => Self::Json,
            LintOutput::Sarif => Self::Sarif,
            LintOutput::Github => Self::Github,
            LintOutput::Junit => Self::Junit,
        }
    }
}

impl From<RuleOutput> for render::rule::Format {
    fn from(o: RuleOutput) -> Self {
        match o {
            RuleOutput::Human => Self::Human,
            RuleOutput::Json => Self::Json,
        }
    }
}

impl From<FailOnArg> for lint::FailOn {
    fn from(f: FailOnArg) -> Self {
        match f {
            FailOnArg::Error => Self::Error,
            FailOnArg::Warning => Self::Warning,
            FailOnArg::Info => Self::Info,
            FailOnArg::Never => Self::Never,
        }
    }
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// The renderers' style for this choice, fitting the output's width
    /// (the terminal's, or `COLUMNS`; none on a pipe).
    pub(crate) fn style(self) -> render::Style {
        let style = match self {
            ColorChoice::Auto => render::Style::auto(),
            ColorChoice::Always => render::Style::new(true),
            ColorChoice::Never => render::Style::new(false),
        };
        style.with_width(render::style::output_width())
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Show each Service's layers (LoadBalancer ⊃ NodePort ⊃ ClusterIP ⊃ pods)
    /// with real addresses and ports, and what each setting does to traffic.
    #[command(after_help = examples::EXPLAIN)]
    Explain(ExplainArgs),
    /// Follow the path external IP → node:nodePort → ClusterIP:port →
    /// pod:targetPort and say, hop by hop, what works and what is broken.
    #[command(after_help = examples::TRACE)]
    Trace(TraceArgs),
    /// Check Services (and what exposes them) against svcx's rules: in CI on
    /// manifests (`helm template . | svcx lint -f -`), or on a live cluster.
    /// Exits 1 when a finding is at least as severe as --fail-on.
    #[command(after_help = examples::LINT)]
    Lint(LintArgs),
    /// Show what a lint rule checks and why: `svcx rule SVC101`, or a name;
    /// `svcx rule --all` lists every rule.
    #[command(after_help = examples::RULE)]
    Rule(RuleArgs),
    /// Write the manifests that move NodePort and LoadBalancer Services behind
    /// one Gateway: a Gateway, a route per Service port, and the Services as
    /// ClusterIP. Writes YAML to stdout and what changes to stderr; never
    /// changes the cluster.
    #[command(after_help = examples::MIGRATE)]
    MigrateToGateway(MigrateArgs),
    /// Write a shell's completion script for svcx to stdout: bash, zsh, fish,
    /// powershell or elvish. Generated from the same definitions as --help.
    #[command(after_help = examples::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Write svcx's manual page (roff) to stdout, or with --dir one page per
    /// subcommand into a directory. Generated from the same definitions as
    /// --help.
    #[command(after_help = examples::MAN)]
    Man(ManArgs),
}

impl Command {
    /// The subcommand's name, as typed.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Command::Explain(_) => "explain",
            Command::Trace(_) => "trace",
            Command::Lint(_) => "lint",
            Command::Rule(_) => "rule",
            Command::MigrateToGateway(_) => "migrate-to-gateway",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
        }
    }

    /// For subcommands that read no cluster and no manifests: what they do
    /// instead, and where the input flags would apply.
    fn reads_no_input(&self) -> Option<&'static str> {
        match self {
            Command::Rule(_) => Some("prints the built-in rule docs"),
            Command::Completions(_) => Some("writes a shell's completion script"),
            Command::Man(_) => Some("writes svcx's manual pages"),
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write `svcx.1` and one page per subcommand (`svcx-explain.1`, ...) into
    /// this directory (created if missing) instead of the main page to stdout.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
}

/// How the user invoked svcx, which decides the name that help, usage and
/// examples show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Invocation {
    /// As `svcx`.
    #[default]
    Svcx,
    /// As `kubectl svcx`: kubectl ran the `kubectl-svcx` executable.
    KubectlPlugin,
}

impl Invocation {}

/// svcx's clap command as invoked: help and usage name `kubectl svcx` for
/// the plugin, and `--version` also names the Kubernetes and Gateway API
/// versions svcx knows.
pub(crate) fn command(invocation: Invocation) -> clap::Command {
    let mut cmd = Cli::command().long_version(crate::version::long());
    if invocation == Invocation::KubectlPlugin {
        cmd = cmd
            .name("kubectl-svcx")
            .bin_name("kubectl svcx")
            .display_name("kubectl svcx");
        if let Some(help) = cmd.get_after_help().map(|h| h.to_string()) {
            cmd = cmd.after_help(examples::for_invocation(&help, invocation));
        }
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for name in names {
            cmd = cmd.mut_subcommand(name, |sub| {
                match sub.get_after_help().map(|h| h.to_string()) {
                    Some(help) => sub.after_help(examples::for_invocation(&help, invocation)),
                    None => sub,
                }
            });
        }
    }
    cmd
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Services to explain, as NAME or NAMESPACE/NAME (default: every Service
    /// and Gateway in scope). `gateway/NAME` or `gateway/NAMESPACE/NAME`
    /// names a Gateway instead.
    #[arg(value_name = "SERVICE")]
    pub(crate) services: Vec<String>,

    /// A Gateway to explain, as NAME or NAMESPACE/NAME: its addresses, its
    /// listeners, and which routes each admits and why others are not.
    /// Repeatable.
    #[arg(long = "gateway", value_name = "GATEWAY")]
    pub(crate) gateways: Vec<String>,

    /// Print the guide to the three Service types, side by side. Reads no
    /// cluster and no manifests.
    #[arg(long)]
    pub(crate) concepts: bool,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = ExplainOutput::Human, value_name = "FORMAT")]
    pub(crate) output: ExplainOutput,
}

#[derive(Debug, Args)]
pub(crate) struct TraceArgs {
    /// What to trace: a Service (NAME or NAMESPACE/NAME) or an address a client
    /// would use: a load balancer IP or hostname, NODE-IP:NODEPORT,
    /// CLUSTER-IP:PORT or an externalIP, with an optional :PORT.
    /// Default: every Service in scope.
    #[arg(value_name = "TARGET")]
    pub(crate) target: Option<String>,

    /// Only this Service port (number or name).
    #[arg(long, value_name = "PORT")]
    pub(crate) port: Option<String>,

    /// Trace from one source inside the cluster, with its own egress network
    /// policies applied too: NAMESPACE (some pod of it), NAMESPACE/POD, or
    /// NAMESPACE/KEY=VALUE[,KEY=VALUE] (a pod with these labels). Paths then
    /// start at the cluster IP.
    #[arg(long, value_name = "SOURCE")]
    pub(crate) from: Option<String>,

    /// Also try TCP connections to the hops reachable from here (load balancer
    /// and node ports) and show what was observed beside the computed verdict.
    /// Live clusters only: addresses read from manifests are never connected to.
    #[arg(long)]
    pub(crate) probe: bool,

    /// Connect timeout for --probe (default: 2s).
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) probe_timeout: Option<Duration>,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = TraceOutput::Human, value_name = "FORMAT")]
    pub(crate) output: TraceOutput,
}

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = LintOutput::Human, value_name = "FORMAT")]
    pub(crate) output: LintOutput,

    /// Exit 1 when a finding is at least this severe (default: error, or the
    /// config file's fail-on).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub(crate) fail_on: Option<FailOnArg>,

    /// Run only these rules: codes (SVC101), names (selector-matches-no-pods)
    /// or families (SVC3), comma-separated. Replaces the config file's select.
    #[arg(long, value_delimiter = ',', value_parser = parse_selector, value_name = "RULES")]
    pub(crate) select: Vec<lint::Selector>,

    /// Do not run these rules (codes, names or families, comma-separated).
    /// Adds to the config file's ignore. To silence rules for one object,
    /// annotate it: `svcx/ignore: "SVC302,protocol-mismatch"`.
    #[arg(long, value_delimiter = ',', value_parser = parse_selector, value_name = "RULES")]
    pub(crate) ignore: Vec<lint::Selector>,

    /// The config file (default: .svcx.yaml in the working directory or the
    /// nearest directory above it).
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub(crate) config: Option<PathBuf>,

    /// Read no config file.
    #[arg(long)]
    pub(crate) no_config: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RuleArgs {
    /// The rule: its code (SVC101) or name (selector-matches-no-pods).
    #[arg(
        value_name = "CODE|NAME",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub(crate) rule: Option<String>,

    /// List every rule.
    #[arg(long)]
    pub(crate) all: bool,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = RuleOutput::Human, value_name = "FORMAT")]
    pub(crate) output: RuleOutput,
}

/// Parses a rule selector for --select and --ignore.
fn parse_selector(s: &str) -> Result<lint::Selector, String> {
    lint::Selector::parse(s).map_err(|e| format!("{e} (`svcx rule --all` lists the rules)"))
}

/// How `svcx migrate-to-gateway` writes its manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MigrateOutput {
    /// Multi-document YAML, ready for `kubectl apply -f -`; the report on stderr.
    Yaml,
    /// One JSON document: the objects and the report (docs/json.md).
    Json,
}

/// A Gateway API release channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ChannelArg {
    /// The stable kinds of the release.
    Standard,
    /// Also the experimental kinds of the release (TCPRoute, UDPRoute and
    /// TLSRoute before they were stable).
    Experimental,
}

#[derive(Debug, Args)]
pub(crate) struct MigrateArgs {
    /// Services to migrate, as NAME or NAMESPACE/NAME (default: every
    /// NodePort and LoadBalancer Service in scope, and ClusterIP Services
    /// with externalIPs). Other Services are left alone.
    #[arg(value_name = "SERVICE")]
    pub(crate) services: Vec<String>,

    /// The GatewayClass of the Gateway (default: the only GatewayClass read,
    /// if there is exactly one).
    #[arg(long, value_name = "NAME")]
    pub(crate) gateway_class: Option<String>,

    /// The Gateway's name.
    #[arg(long, value_name = "NAME", default_value = crate::migrate::DEFAULT_GATEWAY_NAME)]
    pub(crate) gateway_name: String,

    /// The Gateway's namespace (default: the migrated Services' namespace
    /// when they share one, else `default`).
    #[arg(long, value_name = "NS")]
    pub(crate) gateway_namespace: Option<String>,

    /// The Gateway API release installed where the manifests go, v1.0 to
    /// v1.6: it decides which route kinds and apiVersions are written
    /// (default: the newest, v1.6).
    #[arg(long, value_name = "vX.Y", value_parser = crate::migrate::target::Release::parse_release)]
    pub(crate) gateway_api_version: Option<u8>,

    /// The release channel installed.
    #[arg(long, value_enum, default_value_t = ChannelArg::Standard, value_name = "CHANNEL")]
    pub(crate) channel: ChannelArg,

    /// The hostname of a Service's HTTP, gRPC and TLS routes, as
    /// SERVICE=HOST (SERVICE is NAME or NAMESPACE/NAME). Repeatable.
    #[arg(long = "hostname", value_name = "SERVICE=HOST", value_parser = parse_hostname)]
    pub(crate) hostnames: Vec<(String, String)>,

    /// Serve a Service's HTTP and gRPC routes on HTTPS too, on port 443 of
    /// the Gateway, terminating TLS with this Secret (SERVICE=[NAMESPACE/]SECRET;
    /// the Secret's namespace defaults to the Service's). Needs a hostname.
    /// svcx never reads the Secret. Repeatable.
    #[arg(long = "tls-secret", value_name = "SERVICE=SECRET", value_parser = parse_hostname)]
    pub(crate) tls_secrets: Vec<(String, String)>,

    /// Give every HTTP, gRPC and TLS route the hostname
    /// `<service>.<namespace>.<DOMAIN>` (unless --hostname names one).
    #[arg(long, value_name = "DOMAIN")]
    pub(crate) domain: Option<String>,

    /// Attach the routes to this Gateway, as NAMESPACE/NAME, instead of
    /// writing a new one: its listeners are reused where they fit (protocol,
    /// port, hostname, allowedRoutes); a route that needs a listener it lacks
    /// is reported, and no listener is ever added.
    #[arg(long, value_name = "NS/NAME", value_parser = parse_namespaced,
          conflicts_with_all = ["gateway_class", "gateway_name", "gateway_namespace"])]
    pub(crate) existing_gateway: Option<(String, String)>,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = MigrateOutput::Yaml, value_name = "FORMAT")]
    pub(crate) output: MigrateOutput,

    /// Choose on a terminal: the Services to migrate, the GatewayClass, the
    /// Gateway API release and channel, a domain and each Service's hostname
    /// (each unless given as a flag). The answers act as the flags would.
    #[arg(long)]
    pub(crate) interactive: bool,

    /// With --interactive: take every default without asking (all the
    /// Services, the only GatewayClass, the newest release, no domain).
    #[arg(long, requires = "interactive")]
    pub(crate) yes: bool,

    /// Write, beside the routes, the NetworkPolicy that admits the Gateway's
    /// proxies on a backend's pod ports, for each backend whose network
    /// policies do not (the report notes each either way).
    #[arg(long)]
    pub(crate) allow_gateway_proxies: bool,

    /// Write one YAML file per object and the report as MIGRATION.md into
    /// this directory (created if missing; files already there are never
    /// overwritten), instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub(crate) output_dir: Option<PathBuf>,
}

/// Parses `NAMESPACE/NAME`.
fn parse_namespaced(s: &str) -> Result<(String, String), String> {
    match s.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
            Ok((ns.to_string(), name.to_string()))
        }
        _ => Err(format!(
            "`{s}` is not NAMESPACE/NAME; e.g. --existing-gateway infra/public"
        )),
    }
}

/// Parses `SERVICE=VALUE` (a host, a Secret).
fn parse_hostname(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((svc, value)) if !svc.is_empty() && !value.is_empty() => {
            Ok((svc.to_string(), value.to_string()))
        }
        _ => Err(format!(
            "`{s}` is not SERVICE=VALUE; e.g. --hostname shop/storefront=shop.example.com"
        )),
    }
}

/// Parses `10s`, `500ms`, `2m` or a bare number of seconds.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
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
mod tests;
