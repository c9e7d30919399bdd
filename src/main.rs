//! The `planatlas` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use planatlas::serve::{default_output, serve, ServeOptions};
use planatlas::{BuildError, BuildOptions, BuildStats};

/// A build allocates many small values (page contexts, segmented words, reasons) on every
/// thread; mimalloc serves them faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "planatlas",
    version,
    about = "A static site generator for government development plans"
)]
struct Cli {
    /// The site folder, holding content/ and themes/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Where to write the site.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override base_url of content/site.toml, e.g. https://example.org/atlas/.
        #[arg(long)]
        base_url: Option<String>,
        /// Write HTML as rendered, without minifying.
        #[arg(long)]
        no_minify: bool,
        /// Print the time each phase took.
        #[arg(long)]
        timings: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Replace the output folder even if it is not empty and no build wrote it (never the
        /// site root, content/ or themes/).
        #[arg(long)]
        force: bool,
        /// Fail at once, instead of waiting, while another build writes the same output.
        #[arg(long)]
        no_wait: bool,
    },
    /// Build, serve on loopback, rebuild on change and reload open pages.
    Serve {
        #[arg(long, short, default_value = "127.0.0.1")]
        interface: IpAddr,
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Serve pages exactly as built, without the live-reload script.
        #[arg(long)]
        no_live_reload: bool,
        /// Where to write the site (by default a folder of serve's own in the system temp
        /// folder, never public/).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Validate the content and templates; write nothing. Exits 1 on any error.
    Check {
        /// Compare a plan with its official text: `<plan-slug>=<path>` (repeatable).
        #[arg(long = "source", value_name = "SLUG=PATH")]
        sources: Vec<String>,
        /// With --source: the least share of the source (percent) an extract must cover.
        #[arg(long, default_value_t = 97.0)]
        min_coverage: f64,
        /// Print the time each phase took (every phase of a build runs; nothing is written).
        #[arg(long)]
        timings: bool,
        /// With --timings: run the phases one at a time instead of side by side, so that each
        /// phase's time is its own (the check takes longer in all).
        #[arg(long, requires = "timings")]
        apart: bool,
    },
    /// Write a synthetic corpus for benchmarks, recombined from the site's own sentences.
    Synth {
        /// Number of plans.
        #[arg(long)]
        plans: usize,
        /// About how many measures each plan has.
        #[arg(long, default_value_t = 100)]
        measures: usize,
        /// The folder to create (a site root).
        #[arg(long)]
        out: PathBuf,
        /// The same seed gives the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Import an official plan text (text, pdftotext output, web page, .docx, PDF) as a draft
    /// plan folder content/plans/SLUG/ that builds; prints what it found and what to check.
    Import {
        /// The official text.
        source: PathBuf,
        /// The plan's folder name (lowercase ASCII letters, digits, `-`).
        #[arg(long)]
        slug: String,
        /// Prefix of the measure ids (default: the initials of the slug's words).
        #[arg(long)]
        id_prefix: Option<String>,
        /// national, joint, province, municipality or district (default: from the issuer).
        #[arg(long)]
        level: Option<String>,
        /// The region, e.g. 四川省 (default: from the issuer).
        #[arg(long)]
        region: Option<String>,
        /// Replace an existing plan folder of that slug.
        #[arg(long)]
        force: bool,
    },
    /// Create a new site: the default theme, the bundled themes and one small example plan.
    Init {
        /// The folder to create.
        dir: PathBuf,
    },
}

fn options(root: &PathBuf, output: Option<PathBuf>) -> BuildOptions {
    let mut o = BuildOptions::new(root);
    if let Some(out) = output {
        o.output = out;
    }
    o
}

fn summary(stats: &BuildStats, start: Instant) -> String {
    format!(
        "{} plans, {} measures, {} indicators: {} pages, {} files, {} KiB in {} ms",
        stats.plans,
        stats.measures,
        stats.indicators,
        stats.pages,
        stats.files,
        stats.bytes / 1024,
        start.elapsed().as_millis()
    )
}

/// The time of each phase, the pages the compiled templates wrote, and the peak memory (of
/// each phase too, where the phases ran one after another).
fn print_timings(stats: &BuildStats) {
    let phases: Vec<String> = stats
        .phases
        .iter()
        .map(|p| format!("{} {:.1} ms", p.name, p.took.as_secs_f64() * 1000.0))
        .collect();
    println!("Phases: {}", phases.join(", "));
    let peaks: Vec<String> = stats
        .phases
        .iter()
        .filter_map(|p| Some(format!("{} {:.1} MiB", p.name, p.peak_kib? as f64 / 1024.0)))
        .collect();
    if !peaks.is_empty() {
        println!("Phases' peak memory: {}", peaks.join(", "));
    }
    println!(
        "Pages written by Rust code: {} ({} of them in full, then minified)",
        stats.compiled_pages, stats.compiled_pages_in_full
    );
    if let Some(kib) = planatlas::phase::process_peak_kib() {
        println!("Peak memory: {:.1} MiB", kib as f64 / 1024.0);
    }
}

/// The one place errors are printed: the message, then its causes, one a line.
fn fail(e: &BuildError) -> ExitCode {
    eprintln!("{}", e.report());
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    planatlas::alloc::configure();
    let cli = Cli::parse();
    let start = Instant::now();
    match cli.command {
        Command::Build {
            output,
            base_url,
            no_minify,
            timings,
            quiet,
            force,
            no_wait,
        } => {
            use std::io::IsTerminal;
            let mut o = options(&cli.root, output);
            o.base_url = base_url;
            o.force = force;
            o.wait = !no_wait;
            o.minify = !no_minify;
            // Phases as they end, for long builds watched on a terminal; never in logs or pipes.
            o.progress = !quiet && std::io::stderr().is_terminal();
            match planatlas::build(&o) {
                Ok(_) if quiet => ExitCode::SUCCESS,
                Ok(stats) => {
                    for w in &stats.warnings {
                        eprintln!("{w}");
                    }
                    println!("Built {}: {}", o.output.display(), summary(&stats, start));
                    if timings {
                        print_timings(&stats);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Check {
            sources,
            min_coverage,
            timings,
            apart,
        } => {
            let mut o = options(&cli.root, None);
            o.phases_apart = apart;
            let stats = match planatlas::build_and_discard(&o) {
                Ok(stats) => stats,
                Err(e) => return fail(&e),
            };
            for w in &stats.warnings {
                eprintln!("{w}");
            }
            println!("No problems found: {}", summary(&stats, start));
            if timings {
                print_timings(&stats);
            }
            if sources.is_empty() {
                return ExitCode::SUCCESS;
            }
            match planatlas::cmd::check::check_sources(&cli.root, &sources, min_coverage) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(e) => fail(&e),
            }
        }
        Command::Serve {
            interface,
            port,
            output,
            no_live_reload,
        } => {
            // Not public/ unless asked: pages built for http://127.0.0.1 are not to deploy.
            let output = match output.map(Ok).unwrap_or_else(|| default_output(&cli.root)) {
                Ok(output) => output,
                Err(e) => return fail(&e),
            };
            let o = ServeOptions {
                build: options(&cli.root, Some(output)),
                interface,
                port,
                live_reload: !no_live_reload,
            };
            match serve(o) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
        Command::Synth {
            plans,
            measures,
            out,
            seed,
        } => match planatlas::cmd::synth::synth(&cli.root, &out, plans, measures, seed) {
            Ok(()) => {
                println!(
                    "Wrote {plans} plans of about {measures} measures to {} in {} ms",
                    out.display(),
                    start.elapsed().as_millis()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Import {
            source,
            slug,
            id_prefix,
            level,
            region,
            force,
        } => {
            let o = planatlas::import::ImportOptions {
                root: cli.root.clone(),
                source,
                slug,
                id_prefix,
                level,
                region,
                force,
            };
            match planatlas::cmd::import::run(&o) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
        Command::Init { dir } => match planatlas::cmd::init::init(&dir) {
            Ok(()) => {
                println!(
                    "Created a new site in {}. Build it with: planatlas --root {} build",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
    }
}
