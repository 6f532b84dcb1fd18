//! Watching the site's sources and rebuilding on every change.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result};
use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use super::Shared;
use crate::BuildOptions;
use crate::incremental::Incremental;

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watcher {
    _debouncer: Box<dyn std::any::Any + Send>,
}

/// Starts watching `content/`, `templates/`, `static/` and `config.toml`; rebuilds on a
/// thread of its own and tells the browsers.
pub fn start(opts: BuildOptions, inc: Option<Incremental>, shared: Arc<Shared>) -> Result<Watcher> {
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let mut debouncer = new_debouncer(
        Duration::from_millis(60),
        None,
        move |res: DebounceEventResult| {
            let Ok(events) = res else { return };
            let mut paths = Vec::new();
            for e in events {
                // Reading a file to serve it raises access events: reacting to those would loop.
                let relevant = matches!(
                    e.event.kind,
                    EventKind::Create(_)
                        | EventKind::Remove(_)
                        | EventKind::Modify(
                            ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any
                        )
                );
                if relevant {
                    paths.extend(e.event.paths.iter().cloned());
                }
            }
            if !paths.is_empty() {
                tx.send(paths).ok();
            }
        },
    )
    .context("cannot start watching files")?;
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    for dir in ["content", "templates", "static"] {
        let d = root.join(dir);
        if d.is_dir() {
            debouncer
                .watch(&d, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", d.display()))?;
        }
    }
    // The root itself, not recursively: config.toml, and folders created later.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", root.display()))?;
    let mut opts = opts;
    opts.root = root.clone();
    std::thread::spawn(move || rebuild_loop(opts, inc, shared, rx));
    Ok(Watcher {
        _debouncer: Box::new(debouncer),
    })
}

fn rebuild_loop(
    opts: BuildOptions,
    mut inc: Option<Incremental>,
    shared: Arc<Shared>,
    rx: mpsc::Receiver<Vec<PathBuf>>,
) {
    let root = opts.root.clone();
    // Outputs no open page shows (search indexes, sitemap) are brought up to date once the
    // editor pauses, so a burst of saves is not slowed by them.
    let mut deferred = false;
    loop {
        let mut paths = if deferred {
            match rx.recv_timeout(std::time::Duration::from_millis(300)) {
                Ok(paths) => paths,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    deferred = false;
                    if let Some(i) = inc.as_mut() {
                        match i.finish_deferred() {
                            Ok(r) if r.written > 0 && !shared.quiet => println!(
                                "updated {}: in {:.0} ms",
                                r.paths.join(", "),
                                r.elapsed.as_secs_f64() * 1000.0
                            ),
                            Ok(_) => {}
                            Err(e) => eprintln!("{}", crate::error_text(&e)),
                        }
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(paths) => paths,
                Err(_) => return,
            }
        };
        // Take every change that arrived meanwhile: one rebuild for a burst of saves.
        while let Ok(more) = rx.try_recv() {
            paths.extend(more);
        }
        let rel: Vec<PathBuf> = paths
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap_or(p).to_path_buf())
            .filter(|p| {
                p == std::path::Path::new("config.toml")
                    || p.starts_with("content")
                    || p.starts_with("templates")
                    || p.starts_with("static")
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if rel.is_empty() {
            continue;
        }
        let what = rel
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let result = match inc.as_mut() {
            Some(i) => i.rebuild(&rel),
            None => Incremental::start(opts.clone()).map(|(i, report)| {
                inc = Some(i);
                report
            }),
        };
        match result {
            Ok(report) => {
                if !shared.quiet {
                    for w in &report.warnings {
                        eprintln!("{w}");
                    }
                    println!(
                        "changed {what}: rewrote {} files, removed {}, in {:.0} ms",
                        report.written,
                        report.removed,
                        report.elapsed.as_secs_f64() * 1000.0
                    );
                }
                let only_css = !report.paths.is_empty()
                    && report.paths.iter().all(|p| p.ends_with(".css"))
                    && shared.error.lock().map(|e| e.is_none()).unwrap_or(false);
                if let Ok(mut e) = shared.error.lock() {
                    *e = None;
                }
                shared
                    .events
                    .send(if only_css {
                        "css".into()
                    } else {
                        "reload".into()
                    })
                    .ok();
                deferred = true;
            }
            Err(e) => {
                let text = crate::error_text(&e);
                eprintln!(
                    "changed {what}: the site did not build; still serving the last good version\n{text}"
                );
                if let Ok(mut slot) = shared.error.lock() {
                    *slot = Some(text.clone());
                }
                shared.events.send(format!("error\n{text}")).ok();
            }
        }
    }
}
