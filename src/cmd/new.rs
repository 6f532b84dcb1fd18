//! `batmi new` (not implemented yet).

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct NewArgs {
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &NewArgs) -> Result<()> {
    let _ = &args.root;
    bail!("batmi new is not implemented yet")
}
