//! `batmi check` (not implemented yet).

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &CheckArgs) -> Result<()> {
    let _ = &args.root;
    bail!("batmi check is not implemented yet")
}
