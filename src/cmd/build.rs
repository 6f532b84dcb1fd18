//! `batmi build`: the site into public/.

use anyhow::Result;

use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs) -> Result<()> {
    let summary = batmi::build(&args.options())?;
    for w in &summary.warnings {
        eprintln!("{w}");
    }
    let langs: Vec<String> = summary
        .pages_per_lang
        .iter()
        .map(|(l, n)| format!("{n} {l}"))
        .collect();
    println!(
        "built {} pages ({}), {} tags, {} feeds, {} files in {:.2} s{}",
        summary.pages_per_lang.iter().map(|(_, n)| n).sum::<usize>(),
        langs.join(", "),
        summary.tags,
        summary.feeds,
        summary.files,
        summary.elapsed.as_secs_f64(),
        if summary.warnings.is_empty() {
            String::new()
        } else {
            format!(", {} warnings", summary.warnings.len())
        }
    );
    Ok(())
}
