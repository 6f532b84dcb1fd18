//! `batmi build`: the site into public/.

use anyhow::Result;

use crate::cli::BuildArgs;
use crate::term::Out;

pub fn run(args: &BuildArgs, out: &Out) -> Result<()> {
    let mut opts = args.options();
    let progress = std::sync::Arc::new(batmi::progress::Progress::default());
    opts.progress = Some(progress.clone());
    out.detail(format!(
        "building {} into {}{}{}",
        opts.root.display(),
        opts.output.display(),
        opts.base_url
            .as_deref()
            .map(|u| format!(" for {u}"))
            .unwrap_or_default(),
        if opts.drafts { ", drafts included" } else { "" }
    ));
    let summary = out.with_progress("building the site", Some(progress), || batmi::build(&opts))?;
    for w in &summary.warnings {
        out.note(w.to_string());
    }
    let langs: Vec<String> = summary
        .pages_per_lang
        .iter()
        .map(|(l, n)| format!("{n} {l}"))
        .collect();
    if let Some(why) = &summary.full {
        out.detail(format!("a full build: {why}"));
    }
    let changed = match summary.full {
        Some(_) => String::new(),
        None => format!(
            " ({} written, {} removed, the rest unchanged)",
            summary.written, summary.removed
        ),
    };
    out.say(format!(
        "built {} pages ({}), {} tags, {} feeds, {} files{changed} in {:.2} s{}",
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
    ));
    Ok(())
}
