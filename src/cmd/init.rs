//! `batmi init <DIR>`: a new, working bilingual site in a new or empty folder.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::term::Out;

#[derive(Args, Debug, Clone)]
pub struct InitArgs {
    /// The folder to create the site in; it must not exist yet, or be empty.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

pub fn run(args: &InitArgs, out: &Out) -> Result<()> {
    let written = batmi::scaffold::init(&args.dir)?;
    for path in &written {
        out.detail(format!("wrote {}", path.display()));
    }
    if out.quiet() {
        return Ok(());
    }
    let dir = args.dir.display();
    println!("created a new site in {dir} ({} files):", written.len());
    println!("  config.toml            title, languages, time zone, tag names");
    println!(
        "  content/news/          stories, one file per language (welcome.mr.md, welcome.en.md)"
    );
    println!("  content/pages/         plain pages (about)");
    println!("  templates/, static/    the theme, yours to edit");
    println!();
    println!("next:");
    println!("  batmi serve --root {dir}      preview while you write");
    println!("  batmi new my-first-story --root {dir}");
    println!("  batmi check --root {dir}      links, images, translations");
    println!("  batmi build --root {dir}      the site, in {dir}/public");
    Ok(())
}
