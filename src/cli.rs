//! The command line: one subcommand per use of batmi.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "batmi",
    version,
    about = "A fast static news-site generator for bilingual (Marathi + English) newsrooms"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into public/ (or --output).
    Build(BuildArgs),
}

#[derive(Args, Debug, Clone)]
pub struct BuildArgs {
    /// The site's folder (holding config.toml, content/, templates/, static/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site; default: public/ inside the root.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Use this base URL instead of base_url from config.toml (e.g. for a staging host).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include stories marked draft = true.
    #[arg(long)]
    pub drafts: bool,
}

impl BuildArgs {
    pub fn options(&self) -> batmi::BuildOptions {
        let mut o = batmi::BuildOptions::new(&self.root);
        if let Some(out) = &self.output {
            o.output = out.clone();
        }
        o.base_url = self.base_url.clone();
        o.drafts = self.drafts;
        o
    }
}
