//! `batmi check`: every problem of the site at once, without writing anything.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};

use batmi::check::{CheckOptions, Report, StoryRow};

use crate::term::{Out, paint};

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// How to print the result: readable text, or one JSON document for other tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Instead of the problems, list every story with its status in each language
    /// (ok, missing, outdated, draft).
    #[arg(long)]
    pub translations: bool,
    /// Also request every external http(s) link and image (a few at a time per host).
    #[arg(long)]
    pub external: bool,
    /// Seconds an external request may take.
    #[arg(long, default_value_t = 10, requires = "external")]
    pub timeout: u64,
    /// Check drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Check stories dated in the future as if they were published.
    #[arg(long)]
    pub future: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: &CheckArgs, out: &Out) -> Result<()> {
    if args.translations {
        let rows = batmi::check::translation_table(&args.root)?;
        match args.format {
            Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
            Format::Text => print_table(&rows),
        }
        return Ok(());
    }
    let mut opts = batmi::BuildOptions::new(&args.root);
    opts.drafts = args.drafts;
    opts.future = args.future;
    let what = CheckOptions {
        external: args.external,
        timeout: Duration::from_secs(args.timeout.max(1)),
        ..CheckOptions::default()
    };
    let report = out.while_working("checking the site", || batmi::check::check(&opts, &what))?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report.diagnostics)?),
        Format::Text => print_report(&report, out),
    }
    let errors = report.errors();
    if errors > 0 {
        bail!(
            "{errors} error{} found; fix {} before publishing",
            plural(errors),
            if errors == 1 { "it" } else { "them" }
        );
    }
    Ok(())
}

/// Diagnostics grouped by file, a blank line between files, then one summary line. With
/// `--quiet`, the errors only: no warnings, no summary.
fn print_report(report: &Report, out: &Out) {
    let shown: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| !out.quiet() || d.is_error())
        .collect();
    let mut last: Option<&std::path::Path> = None;
    for d in &shown {
        if last.is_some_and(|p| p != d.path) {
            println!();
        }
        last = Some(&d.path);
        anstream::println!("{}", paint(&d.to_string()));
    }
    if out.quiet() {
        return;
    }
    if !shown.is_empty() {
        println!();
    }
    for (path, date) in &report.expired {
        println!(
            "expired: {} left the lists and feeds at {date}",
            path.display()
        );
    }
    if !report.expired.is_empty() {
        println!();
    }
    let files = {
        let mut paths: Vec<_> = report.diagnostics.iter().map(|d| &d.path).collect();
        paths.dedup();
        paths.len()
    };
    let (e, w) = (report.errors(), report.warnings());
    if !report.loaded {
        println!(
            "the site could not be loaded: {e} error{} in {files} file{}; fix them, then check again (links and images are checked once the site loads)",
            plural(e),
            plural(files)
        );
    } else if e + w == 0 {
        println!(
            "checked {} pages and {} output files: no problems found",
            report.pages, report.outputs
        );
    } else {
        println!(
            "checked {} pages and {} output files: {e} error{}, {w} warning{} in {files} file{}",
            report.pages,
            report.outputs,
            plural(e),
            plural(w),
            plural(files)
        );
    }
}

fn print_table(rows: &[StoryRow]) {
    let Some(first) = rows.first() else {
        println!("no stories in content/news");
        return;
    };
    let width = rows
        .iter()
        .map(|r| r.stem.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut header = format!("{:width$}", "story");
    for l in &first.languages {
        header.push_str(&format!("  {:9}", l.lang));
    }
    println!("{}", header.trim_end());
    for r in rows {
        let mut line = format!("{:width$}", r.stem);
        for l in &r.languages {
            line.push_str(&format!("  {:9}", l.status.as_str()));
        }
        println!("{}", line.trim_end());
    }
    let complete = rows
        .iter()
        .filter(|r| r.languages.iter().all(|l| l.status.as_str() == "ok"))
        .count();
    println!();
    println!(
        "{} stor{}, {complete} complete in every language",
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" }
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
