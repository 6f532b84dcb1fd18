//! Writes the project's deterministic corpus (bench/corpus.rs) into a folder.
//!
//! `cargo run --release --example gen_corpus -- --pairs N [--seed S] [--images]
//! [--layout batmi|hugo] OUT`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[path = "corpus.rs"]
mod corpus;

const USAGE: &str = "usage: gen_corpus --pairs N [--seed S] [--images] [--layout batmi|hugo] OUT";

fn parse() -> Result<(corpus::Options, PathBuf), String> {
    let mut opts = corpus::Options::new(0);
    let mut pairs = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--pairs" => {
                let v = value("--pairs")?;
                pairs = Some(
                    v.parse()
                        .map_err(|_| format!("--pairs {v}: not a number"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                opts.seed = v.parse().map_err(|_| format!("--seed {v}: not a number"))?;
            }
            "--images" => opts.images = true,
            "--layout" => {
                opts.layout = match value("--layout")?.as_str() {
                    "batmi" => corpus::Layout::Batmi,
                    "hugo" => corpus::Layout::Hugo,
                    other => return Err(format!("--layout {other}: batmi or hugo")),
                }
            }
            "-h" | "--help" => return Err(String::new()),
            a if a.starts_with('-') => return Err(format!("unknown option {a}")),
            _ if out.is_some() => return Err(format!("one output folder only, not also {arg}")),
            _ => out = Some(PathBuf::from(arg)),
        }
    }
    opts.pairs = pairs.ok_or("--pairs is required")?;
    Ok((opts, out.ok_or("the output folder is required")?))
}

fn main() -> ExitCode {
    let (opts, out) = match parse() {
        Ok(v) => v,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen_corpus: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let t = Instant::now();
    match corpus::generate(&out, &opts) {
        Ok(sum) => {
            eprintln!(
                "gen_corpus: {} pairs, {:?} layout, seed {}{} -> {}: {} files, {:.1} MB in {:.2} s",
                opts.pairs,
                opts.layout,
                opts.seed,
                if opts.images { ", images" } else { "" },
                out.display(),
                sum.files,
                sum.bytes as f64 / 1e6,
                t.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
