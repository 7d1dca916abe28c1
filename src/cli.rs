//! Command-line definitions. The doc comments are the `--help` text, so they
//! teach: every flag says what it does and what it is for.

pub mod examples;

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
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    /// How svcx was invoked: usage errors name the command as typed.
    #[arg(skip)]
    pub invocation: Invocation,

    /// `-o` given before the subcommand. Each subcommand has its own formats,
    /// so it is refused with where to put it (see [`Cli::refusal`]).
    #[arg(short = 'o', long = "output", hide = true, value_name = "FORMAT")]
    pub misplaced_output: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand understands. In a subcommand's `--help` they come
/// after the subcommand's own.
#[derive(Debug, Clone, Args)]
#[command(next_display_order = 100)]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use (default: the current context). Repeatable
    /// for explain, trace and lint: the clusters of all the contexts named
    /// are read at once, and the answer is grouped by context.
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Vec<String>,

    /// Read the cluster of every context in the kubeconfig, all at once
    /// (explain, trace and lint); the answer is grouped by context.
    #[arg(long, global = true, conflicts_with = "context")]
    pub all_contexts: bool,

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

    /// When to use colour (NO_COLOR in the environment also turns it off).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// How long to wait for the cluster before giving up, e.g. 10s, 500ms, 1m
    /// (default: 30s).
    #[arg(long, global = true, value_parser = parse_duration, value_name = "DURATION")]
    pub request_timeout: Option<Duration>,
}

impl GlobalArgs {
    /// The flag that asks for several clusters (`--all-contexts`, or
    /// `--context` given with two or more names), if any.
    pub fn several_contexts(&self) -> Option<&'static str> {
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
pub enum ExplainOutput {
    /// Tables and text for people.
    Human,
    /// The same, listing every node of each NodePort (human output counts
    /// them past a few).
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
pub enum TraceOutput {
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
pub enum LintOutput {
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
pub enum RuleOutput {
    /// The doc, for people.
    Human,
    /// JSON.
    Json,
}

/// From which severity `svcx lint` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
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
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// The renderers' style for this choice, fitting the output's width
    /// (the terminal's, or `COLUMNS`; none on a pipe).
    pub fn style(self) -> render::Style {
        let style = match self {
            ColorChoice::Auto => render::Style::auto(),
            ColorChoice::Always => render::Style::new(true),
            ColorChoice::Never => render::Style::new(false),
        };
        style.with_width(render::style::output_width())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
    pub fn name(&self) -> &'static str {
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
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `svcx.1` and one page per subcommand (`svcx-explain.1`, ...) into
    /// this directory (created if missing) instead of the main page to stdout.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
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

impl Invocation {
    /// The command as the user types it.
    pub fn display_name(self) -> &'static str {
        match self {
            Invocation::Svcx => "svcx",
            Invocation::KubectlPlugin => "kubectl svcx",
        }
    }
}

/// svcx's clap command as invoked: help and usage name `kubectl svcx` for
/// the plugin, and `--version` also names the Kubernetes and Gateway API
/// versions svcx knows.
pub fn command(invocation: Invocation) -> clap::Command {
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
pub struct ExplainArgs {
    /// Services to explain, as NAME or NAMESPACE/NAME (default: every Service
    /// and Gateway in scope). `gateway/NAME` or `gateway/NAMESPACE/NAME`
    /// names a Gateway instead.
    #[arg(value_name = "SERVICE")]
    pub services: Vec<String>,

    /// A Gateway to explain, as NAME or NAMESPACE/NAME: its addresses, its
    /// listeners, and which routes each admits and why others are not.
    /// Repeatable.
    #[arg(long = "gateway", value_name = "GATEWAY")]
    pub gateways: Vec<String>,

    /// Print the guide to the three Service types, side by side. Reads no
    /// cluster and no manifests.
    #[arg(long)]
    pub concepts: bool,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = ExplainOutput::Human, value_name = "FORMAT")]
    pub output: ExplainOutput,
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

    /// Trace from one source inside the cluster, with its own egress network
    /// policies applied too: NAMESPACE (some pod of it), NAMESPACE/POD, or
    /// NAMESPACE/KEY=VALUE[,KEY=VALUE] (a pod with these labels). Paths then
    /// start at the cluster IP.
    #[arg(long, value_name = "SOURCE")]
    pub from: Option<String>,

    /// Also try TCP connections to the hops reachable from here (load balancer
    /// and node ports) and show what was observed beside the computed verdict.
    /// Live clusters only: addresses read from manifests are never connected to.
    #[arg(long)]
    pub probe: bool,

    /// Connect timeout for --probe (default: 2s).
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub probe_timeout: Option<Duration>,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = TraceOutput::Human, value_name = "FORMAT")]
    pub output: TraceOutput,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = LintOutput::Human, value_name = "FORMAT")]
    pub output: LintOutput,

    /// Exit 1 when a finding is at least this severe (default: error, or the
    /// config file's fail-on).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOnArg>,

    /// Run only these rules: codes (SVC101), names (selector-matches-no-pods)
    /// or families (SVC3), comma-separated. Replaces the config file's select.
    #[arg(long, value_delimiter = ',', value_parser = parse_selector, value_name = "RULES")]
    pub select: Vec<lint::Selector>,

    /// Do not run these rules (codes, names or families, comma-separated).
    /// Adds to the config file's ignore. To silence rules for one object,
    /// annotate it: `svcx/ignore: "SVC302,protocol-mismatch"`.
    #[arg(long, value_delimiter = ',', value_parser = parse_selector, value_name = "RULES")]
    pub ignore: Vec<lint::Selector>,

    /// The config file (default: .svcx.yaml in the working directory or the
    /// nearest directory above it).
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Read no config file.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule: its code (SVC101) or name (selector-matches-no-pods).
    #[arg(
        value_name = "CODE|NAME",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub rule: Option<String>,

    /// List every rule.
    #[arg(long)]
    pub all: bool,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = RuleOutput::Human, value_name = "FORMAT")]
    pub output: RuleOutput,
}

/// Parses a rule selector for --select and --ignore.
fn parse_selector(s: &str) -> Result<lint::Selector, String> {
    lint::Selector::parse(s).map_err(|e| format!("{e} (`svcx rule --all` lists the rules)"))
}

/// How `svcx migrate-to-gateway` writes its manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrateOutput {
    /// Multi-document YAML, ready for `kubectl apply -f -`; the report on stderr.
    Yaml,
    /// One JSON document: the objects and the report (docs/json.md).
    Json,
}

/// A Gateway API release channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    /// The stable kinds of the release.
    Standard,
    /// Also the experimental kinds of the release (TCPRoute, UDPRoute and
    /// TLSRoute before they were stable).
    Experimental,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Services to migrate, as NAME or NAMESPACE/NAME (default: every
    /// NodePort and LoadBalancer Service in scope, and ClusterIP Services
    /// with externalIPs). Other Services are left alone.
    #[arg(value_name = "SERVICE")]
    pub services: Vec<String>,

    /// The GatewayClass of the Gateway (default: the only GatewayClass read,
    /// if there is exactly one).
    #[arg(long, value_name = "NAME")]
    pub gateway_class: Option<String>,

    /// The Gateway's name.
    #[arg(long, value_name = "NAME", default_value = crate::migrate::DEFAULT_GATEWAY_NAME)]
    pub gateway_name: String,

    /// The Gateway's namespace (default: the migrated Services' namespace
    /// when they share one, else `default`).
    #[arg(long, value_name = "NS")]
    pub gateway_namespace: Option<String>,

    /// The Gateway API release installed where the manifests go, v1.0 to
    /// v1.6: it decides which route kinds and apiVersions are written
    /// (default: the newest, v1.6).
    #[arg(long, value_name = "vX.Y", value_parser = crate::migrate::target::Release::parse_release)]
    pub gateway_api_version: Option<u8>,

    /// The release channel installed.
    #[arg(long, value_enum, default_value_t = ChannelArg::Standard, value_name = "CHANNEL")]
    pub channel: ChannelArg,

    /// The hostname of a Service's HTTP, gRPC and TLS routes, as
    /// SERVICE=HOST (SERVICE is NAME or NAMESPACE/NAME). Repeatable.
    #[arg(long = "hostname", value_name = "SERVICE=HOST", value_parser = parse_hostname)]
    pub hostnames: Vec<(String, String)>,

    /// Serve a Service's HTTP and gRPC routes on HTTPS too, on port 443 of
    /// the Gateway, terminating TLS with this Secret (SERVICE=[NAMESPACE/]SECRET;
    /// the Secret's namespace defaults to the Service's). Needs a hostname.
    /// svcx never reads the Secret. Repeatable.
    #[arg(long = "tls-secret", value_name = "SERVICE=SECRET", value_parser = parse_hostname)]
    pub tls_secrets: Vec<(String, String)>,

    /// Give every HTTP, gRPC and TLS route the hostname
    /// `<service>.<namespace>.<DOMAIN>` (unless --hostname names one).
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,

    /// Attach the routes to this Gateway, as NAMESPACE/NAME, instead of
    /// writing a new one: its listeners are reused where they fit (protocol,
    /// port, hostname, allowedRoutes); a route that needs a listener it lacks
    /// is reported, and no listener is ever added.
    #[arg(long, value_name = "NS/NAME", value_parser = parse_namespaced,
          conflicts_with_all = ["gateway_class", "gateway_name", "gateway_namespace"])]
    pub existing_gateway: Option<(String, String)>,

    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = MigrateOutput::Yaml, value_name = "FORMAT")]
    pub output: MigrateOutput,

    /// Choose on a terminal: the Services to migrate, the GatewayClass, the
    /// Gateway API release and channel, a domain and each Service's hostname
    /// (each unless given as a flag). The answers act as the flags would.
    #[arg(long)]
    pub interactive: bool,

    /// With --interactive: take every default without asking (all the
    /// Services, the only GatewayClass, the newest release, no domain).
    #[arg(long, requires = "interactive")]
    pub yes: bool,

    /// Write, beside the routes, the NetworkPolicy that admits the Gateway's
    /// proxies on a backend's pod ports, for each backend whose network
    /// policies do not (the report notes each either way).
    #[arg(long)]
    pub allow_gateway_proxies: bool,

    /// Write one YAML file per object and the report as MIGRATION.md into
    /// this directory (created if missing; files already there are never
    /// overwritten), instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
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

/// A flag that parsed but cannot apply to this run: a usage error (exit 2)
/// that says why and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The flag refused, as typed in its long form (`--probe`, `SERVICE`).
    pub flag: &'static str,
    /// Why it cannot apply.
    pub why: String,
    /// What to do instead.
    pub tip: String,
}

impl Cli {
    /// Parses the process's arguments; a usage error or a [`Refusal`] prints
    /// clap's usage message and exits with status 2.
    pub fn parse_or_exit(invocation: Invocation) -> Cli {
        let parsed = command(invocation)
            .try_get_matches()
            .and_then(|mut m| Cli::from_arg_matches_mut(&mut m));
        let mut cli = match parsed {
            Ok(cli) => cli,
            Err(e) => exit_usage(misplaced_concepts(invocation, &e).unwrap_or(e)),
        };
        cli.invocation = invocation;
        if let Some(r) = cli.refusal() {
            exit_usage(cli.usage_error(&r));
        }
        cli
    }

    /// The first flag given that cannot apply, if any. Pure: the answer
    /// depends only on what was typed.
    pub fn refusal(&self) -> Option<Refusal> {
        let g = &self.global;
        let sub = self.command.name();
        if let Some(value) = &self.misplaced_output {
            return Some(Refusal {
                flag: "--output",
                why: format!(
                    "-o/--output goes after the subcommand, since each subcommand has its own formats \
                     (`svcx {sub} --help` lists them)"
                ),
                tip: format!("svcx {sub} -o {value} ..."),
            });
        }
        if let Some(what) = self.command.reads_no_input()
            && let Some(flag) = input_flag(g)
        {
            return Some(Refusal {
                flag,
                why: format!(
                    "`svcx {sub}` {what} and reads no input, so {flag} has nothing to apply to"
                ),
                tip: format!("drop {flag}; `svcx lint {flag} ...` lints that input"),
            });
        }
        if let Command::Explain(args) = &self.command
            && args.concepts
        {
            if !args.gateways.is_empty() {
                return Some(Refusal {
                    flag: "--gateway",
                    why:
                        "--concepts prints the built-in guide to Service types and reads no Gateway"
                            .into(),
                    tip:
                        "run `svcx explain --concepts` on its own, or `svcx explain --gateway NAME`"
                            .into(),
                });
            }
            if !args.services.is_empty() {
                return Some(Refusal {
                    flag: "SERVICE",
                    why: "--concepts prints the built-in guide to Service types and reads no Service, \
                          so it takes no SERVICE names"
                        .into(),
                    tip: "run `svcx explain --concepts` on its own, or `svcx explain NAME` to explain a Service"
                        .into(),
                });
            }
            if matches!(args.output, ExplainOutput::Html | ExplainOutput::Dot) {
                return Some(Refusal {
                    flag: "--output",
                    why: "--concepts prints the built-in guide as text, JSON or YAML; pictures \
                          (html, dot) are drawn of the Services svcx reads"
                        .into(),
                    tip: "svcx explain --concepts -o human, or `svcx explain --demo -o html` for pictures"
                        .into(),
                });
            }
            if let Some(flag) = input_flag(g) {
                return Some(Refusal {
                    flag,
                    why: format!(
                        "--concepts prints the built-in guide to Service types and needs no input, \
                         so {flag} has nothing to apply to"
                    ),
                    tip: format!(
                        "drop {flag} to print the guide, or drop --concepts to explain the Services it reads"
                    ),
                });
            }
        }
        if let Some(offline) = g.offline_flag() {
            let live_flags = [
                ("--kubeconfig", g.kubeconfig.is_some()),
                ("--context", !g.context.is_empty()),
                ("--all-contexts", g.all_contexts),
                ("--request-timeout", g.request_timeout.is_some()),
            ];
            if let Some((flag, _)) = live_flags.into_iter().find(|(_, given)| *given) {
                let what = if offline == "--demo" {
                    "the demo cluster built into svcx"
                } else {
                    "manifests"
                };
                return Some(Refusal {
                    flag,
                    why: format!(
                        "{flag} applies to a live cluster, but {offline} reads {what}: no cluster is contacted"
                    ),
                    tip: format!("drop {flag}, or drop {offline} to read the live cluster"),
                });
            }
        }
        if let Command::MigrateToGateway(_) = &self.command
            && let Some(flag) = g.several_contexts()
        {
            return Some(Refusal {
                flag,
                why: "migrate-to-gateway plans one Gateway for the Services of one cluster, \
                      so it reads one context"
                    .into(),
                tip: "run it once per context: `svcx migrate-to-gateway --context NAME`".into(),
            });
        }
        if let Command::MigrateToGateway(args) = &self.command
            && args.output_dir.is_some()
            && args.output == MigrateOutput::Json
        {
            return Some(Refusal {
                flag: "--output-dir",
                why: "--output-dir writes YAML files and MIGRATION.md; -o json writes one document to stdout".into(),
                tip: "drop -o json to write the directory, or drop --output-dir for JSON on stdout".into(),
            });
        }
        if let Command::Trace(args) = &self.command {
            if let (true, Some(offline)) = (args.probe, g.offline_flag()) {
                return Some(Refusal {
                    flag: "--probe",
                    why: format!(
                        "--probe connects to the addresses a live cluster reports; with {offline} they are \
                         data from the input, and svcx never connects to them"
                    ),
                    tip: format!(
                        "drop --probe for the computed verdicts, or drop {offline} to probe a live cluster"
                    ),
                });
            }
            if args.probe_timeout.is_some() && !args.probe {
                return Some(Refusal {
                    flag: "--probe-timeout",
                    why: "--probe-timeout is the connect timeout of --probe, which is not on"
                        .into(),
                    tip: "add --probe, or drop --probe-timeout".into(),
                });
            }
        }
        None
    }

    /// A refusal as clap's usage error, under the subcommand's usage line.
    pub fn usage_error(&self, refusal: &Refusal) -> clap::Error {
        let mut cmd = command(self.invocation);
        cmd.build();
        let message = format!("{}\n\n  tip: {}", refusal.why, refusal.tip);
        match cmd.find_subcommand_mut(self.command.name()) {
            Some(sub) => sub.error(ErrorKind::ArgumentConflict, message),
            None => cmd.error(ErrorKind::ArgumentConflict, message),
        }
    }
}

/// `--concepts` given to another subcommand than explain: clap would
/// suggest the nearest flag of that subcommand (`--context`) under a usage
/// line built around it; say where `--concepts` belongs, under the
/// subcommand's own usage line.
fn misplaced_concepts(invocation: Invocation, err: &clap::Error) -> Option<clap::Error> {
    use clap::error::{ContextKind, ContextValue};
    if err.kind() != ErrorKind::UnknownArgument
        || !matches!(err.get(ContextKind::InvalidArg), Some(ContextValue::String(a)) if a == "--concepts")
    {
        return None;
    }
    let mut cmd = command(invocation);
    cmd.build();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let sub = std::env::args().skip(1).find(|a| names.contains(a))?;
    let sub_cmd = cmd.find_subcommand_mut(&sub)?;
    Some(sub_cmd.error(
        ErrorKind::UnknownArgument,
        format!(
            "unexpected argument '--concepts' found: it is an option of explain, not of {sub}\n\n  tip: \
             `svcx explain --concepts` prints the guide to Service types"
        ),
    ))
}

/// Prints a usage error (or the help or version asked for) and exits. Usage
/// errors take svcx's one error format, `svcx: error: ...` on stderr with
/// exit 2, as failures do; help and version go to stdout with exit 0, as
/// clap writes them.
pub fn exit_usage(err: clap::Error) -> ! {
    match crate::error::render_usage(&err) {
        Some(text) => {
            crate::render::terminal::eprint(&text);
            std::process::exit(err.exit_code())
        }
        None => err.exit(),
    }
}

/// The first flag given that picks or narrows an input, if any.
fn input_flag(g: &GlobalArgs) -> Option<&'static str> {
    let input_flags = [
        ("--demo", g.demo),
        ("--filename", !g.filenames.is_empty()),
        ("--kubeconfig", g.kubeconfig.is_some()),
        ("--context", !g.context.is_empty()),
        ("--all-contexts", g.all_contexts),
        ("--request-timeout", g.request_timeout.is_some()),
        ("--namespace", g.namespace.is_some()),
        ("--all-namespaces", g.all_namespaces),
    ];
    input_flags
        .into_iter()
        .find(|(_, given)| *given)
        .map(|(flag, _)| flag)
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
}
