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
    /// Build the site in memory, serve it on 127.0.0.1 and rebuild on every save.
    Serve(crate::cmd::serve::ServeArgs),
    /// Make a production build and ship it to a directory, a git branch or S3.
    Publish(crate::cmd::publish::PublishArgs),
    /// Check the whole site (links, images, translations) without writing anything.
    Check(crate::cmd::check::CheckArgs),
    /// Create a new story as a Marathi + English pair of drafts.
    New(crate::cmd::new::NewArgs),
    /// Create a new, working bilingual site in an empty folder.
    Init(crate::cmd::init::InitArgs),
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
