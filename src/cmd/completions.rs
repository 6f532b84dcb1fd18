//! `batmi completions <shell>` and `batmi man`: shell completions and manual pages, both
//! generated from the clap definitions in `cli.rs`, so they follow every new command and flag.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::term::Out;

#[derive(Args, Debug, Clone)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Args, Debug, Clone)]
pub struct ManArgs {
    /// Print the page of this command (batmi-build(1), ...) instead of batmi(1).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
    /// Write batmi.1 and one page per command (batmi-build.1, ...) into this folder instead.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

pub fn completions(args: &CompletionsArgs) -> Result<()> {
    let mut cmd = Cli::command();
    let mut stdout = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "batmi", &mut stdout);
    stdout
        .flush()
        .context("cannot write the completions to stdout")
}

pub fn man(args: &ManArgs, out: &Out) -> Result<()> {
    let mut top = Cli::command();
    // Propagates the global flags into every subcommand and names them batmi-build etc.
    top.build();
    if let Some(dir) = &args.dir {
        let written = write_pages(&top, dir)?;
        for path in &written {
            out.detail(format!("wrote {}", path.display()));
        }
        out.say(format!(
            "wrote {} manual pages to {}",
            written.len(),
            dir.display()
        ));
        return Ok(());
    }
    let page = match &args.command {
        None => top,
        Some(name) => match top.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = top.get_subcommands().map(|c| c.get_name()).collect();
                bail!(
                    "there is no command \"{name}\"; the commands are {}",
                    names.join(", ")
                );
            }
        },
    };
    let mut stdout = std::io::stdout().lock();
    clap_mangen::Man::new(page)
        .render(&mut stdout)
        .context("cannot write the manual page to stdout")?;
    stdout
        .flush()
        .context("cannot write the manual page to stdout")
}

/// batmi.1 and batmi-<command>.1 for each command, in `dir`.
fn write_pages(top: &clap::Command, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    let pages =
        std::iter::once(top).chain(top.get_subcommands().filter(|c| c.get_name() != "help"));
    for page in pages {
        let name = page
            .get_display_name()
            .unwrap_or_else(|| page.get_name())
            .to_string();
        let path = dir.join(format!("{name}.1"));
        let mut bytes = Vec::new();
        clap_mangen::Man::new(page.clone()).render(&mut bytes)?;
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
