//! `batmi serve` (not implemented yet).

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &ServeArgs) -> Result<()> {
    let _ = &args.root;
    bail!("batmi serve is not implemented yet")
}
