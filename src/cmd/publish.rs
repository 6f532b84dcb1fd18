//! `batmi publish`: a production build shipped to a directory, a git branch or S3.

use std::path::PathBuf;

use anyhow::Result;
use batmi::publish::{self, Progress, PublishOptions, Report};
use clap::Args;

use crate::term::Out;

#[derive(Args, Debug, Clone)]
pub struct PublishArgs {
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to publish: dir:PATH, git:REMOTE#BRANCH or s3://BUCKET/PREFIX.
    #[arg(long, value_name = "TARGET", conflicts_with = "target")]
    pub to: Option<String>,
    /// A target named in config.toml as [publish.NAME].
    #[arg(long, value_name = "NAME")]
    pub target: Option<String>,
    /// S3 endpoint of an S3-compatible service (R2, MinIO); default: AWS_ENDPOINT_URL or AWS.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Print what would be uploaded and deleted; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Remove files from the target that the build no longer produces.
    #[arg(long)]
    pub delete: bool,
    /// Let --delete remove more files than max_deletes.
    #[arg(long)]
    pub yes: bool,
    /// Most files --delete may remove without --yes (default: max_deletes of the target, or 256).
    #[arg(long, value_name = "N")]
    pub max_deletes: Option<usize>,
}

pub fn run(args: &PublishArgs, out: &Out) -> Result<()> {
    let resolved = publish::resolve_target(
        &args.root,
        args.to.as_deref(),
        args.target.as_deref(),
        args.endpoint.as_deref(),
    )?;
    let mut opts = PublishOptions::new(&args.root, resolved.target);
    opts.dry_run = args.dry_run;
    opts.delete = args.delete;
    opts.yes = args.yes;
    opts.max_deletes = args.max_deletes.unwrap_or(resolved.max_deletes);

    // A dry run lists its files itself, after the plan is made.
    let progress = if args.dry_run || out.quiet() {
        Progress::quiet()
    } else if out.verbose() {
        Progress::lines()
    } else {
        Progress::for_stdout()
    };
    let result = publish::publish(&opts, &progress);
    progress.finish();
    let report = result?;
    for w in &report.warnings {
        out.note(w.to_string());
    }
    if !out.quiet() || args.dry_run {
        print_report(&opts, &report);
    }
    Ok(())
}

fn print_report(opts: &PublishOptions, r: &Report) {
    if r.dry_run {
        for (path, size) in &r.uploaded {
            println!("upload {path} ({size} bytes)");
        }
        for path in &r.deleted {
            println!("delete {path}");
        }
        println!(
            "dry run for {}: would upload {} files ({} bytes), delete {} files; {} unchanged; nothing was changed",
            opts.target,
            r.uploaded.len(),
            r.uploaded_bytes(),
            r.deleted.len(),
            r.unchanged
        );
        if r.deleted.len() > opts.max_deletes && !opts.yes {
            crate::term::always(&format!(
                "warning: that is more than max_deletes ({}): the real run needs --yes",
                opts.max_deletes
            ));
        }
    } else {
        println!(
            "published to {}: uploaded {} files ({} bytes), deleted {} files, {} unchanged, in {:.2} s",
            opts.target,
            r.uploaded.len(),
            r.uploaded_bytes(),
            r.deleted.len(),
            r.unchanged,
            r.elapsed.as_secs_f64()
        );
    }
    if !r.kept.is_empty() {
        println!(
            "{} files on the target are no longer built and were kept; pass --delete to remove them",
            r.kept.len()
        );
    }
}
