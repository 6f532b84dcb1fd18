//! `batmi publish` (not implemented yet).

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct PublishArgs {
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &PublishArgs) -> Result<()> {
    let _ = &args.root;
    bail!("batmi publish is not implemented yet")
}
