//! `batmi init` (not implemented yet).

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct InitArgs {
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &InitArgs) -> Result<()> {
    let _ = &args.root;
    bail!("batmi init is not implemented yet")
}
