//! The command line: one subcommand per use of batmi, and the flags every command takes.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "batmi",
    version = env!("BATMI_VERSION"),
    propagate_version = true,
    about = "A fast static news-site generator for bilingual (Marathi + English) newsrooms"
)]
pub struct Cli {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// How much batmi says and how: accepted by every command, before or after its name.
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Print errors only: no summary, progress, notes or warnings (for cron jobs and scripts).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: what a command reads and writes, and every file it publishes.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to colour messages: auto is on for a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", global = true, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
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
    /// Print the shell completion script for bash, zsh, fish, PowerShell or elvish.
    Completions(crate::cmd::completions::CompletionsArgs),
    /// Print the manual page (roff) of batmi or of one command, or write them all to a folder.
    Man(crate::cmd::completions::ManArgs),
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
    /// Include stories dated in the future (normally they appear with the first build after
    /// their time).
    #[arg(long)]
    pub future: bool,
    /// Build everything from scratch, ignoring what the previous build left (normally only
    /// what changed since is read, rendered and written).
    #[arg(long)]
    pub clean: bool,
}

impl BuildArgs {
    pub fn options(&self) -> batmi::BuildOptions {
        let mut o = batmi::BuildOptions::new(&self.root);
        if let Some(out) = &self.output {
            o.output = out.clone();
        }
        o.base_url = self.base_url.clone();
        o.drafts = self.drafts;
        o.future = self.future;
        o.clean = self.clean;
        o
    }
}
