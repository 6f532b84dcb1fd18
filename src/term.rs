//! How the binary talks to the person running it: how much it says (`--quiet`, `--verbose`),
//! colour (`--color`, `NO_COLOR`, off when not a terminal) and a progress bar on long builds.
//!
//! Colour goes through `anstream`, which clap already uses for its help: it drops the escape
//! codes when the stream is not a terminal, when `NO_COLOR` is set, or with `--color never`,
//! so nothing here decides per message whether to colour.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use batmi::progress::Progress;

use crate::cli::{ColorWhen, OutputArgs};

/// A build shorter than this shows no spinner: it would only flicker.
const SPINNER_AFTER: Duration = Duration::from_secs(2);

/// The wait before the spinner shows: `SPINNER_AFTER`, or `BATMI_PROGRESS_AFTER_MS`, which
/// lets the tests see the spinner on a small site.
fn spinner_after() -> Duration {
    std::env::var("BATMI_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(SPINNER_AFTER, Duration::from_millis)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Quiet,
    Normal,
    Verbose,
}

/// What the commands print through; made once from the global flags.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    level: Level,
}

impl Out {
    /// Reads the global flags and sets the colour choice for the whole process.
    pub fn new(args: &OutputArgs) -> Out {
        let choice = match args.color {
            ColorWhen::Auto => ColorChoice::Auto,
            ColorWhen::Always => ColorChoice::Always,
            ColorWhen::Never => ColorChoice::Never,
        };
        choice.write_global();
        let level = if args.quiet {
            Level::Quiet
        } else if args.verbose {
            Level::Verbose
        } else {
            Level::Normal
        };
        Out { level }
    }

    pub fn quiet(&self) -> bool {
        self.level == Level::Quiet
    }

    pub fn verbose(&self) -> bool {
        self.level == Level::Verbose
    }

    /// A result line on stdout (the summary of a build), unless `--quiet`.
    pub fn say(&self, line: impl AsRef<str>) {
        if !self.quiet() {
            anstream::println!("{}", line.as_ref());
        }
    }

    /// A line only `--verbose` shows, on stderr so that stdout stays the result.
    pub fn detail(&self, line: impl AsRef<str>) {
        if self.verbose() {
            anstream::eprintln!("{}", paint(line.as_ref()));
        }
    }

    /// A warning, note or hint on stderr, unless `--quiet`.
    pub fn note(&self, text: impl AsRef<str>) {
        if !self.quiet() {
            anstream::eprintln!("{}", paint(text.as_ref()));
        }
    }

    /// Runs `work`; if it is still running after two seconds and stderr is a terminal, a
    /// spinner with the elapsed time shows until it ends, then is cleared.
    pub fn while_working<T>(&self, what: &str, work: impl FnOnce() -> T) -> T {
        self.with_progress(what, None, work)
    }

    /// Like `while_working`; once `progress` has a plan, the spinner becomes a bar of the
    /// outputs written out of those planned. Nothing is drawn when stderr is not a terminal
    /// (a log gets the summary line only) or with `--quiet`.
    pub fn with_progress<T>(
        &self,
        what: &str,
        progress: Option<Arc<Progress>>,
        work: impl FnOnce() -> T,
    ) -> T {
        if self.quiet() || !std::io::stderr().is_terminal() {
            return work();
        }
        let (done, wait) = mpsc::channel::<()>();
        let what = what.to_string();
        let after = spinner_after();
        let start = Instant::now();
        let drawer = std::thread::spawn(move || {
            if wait.recv_timeout(after) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            // The time shown is the build's, not the bar's.
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_elapsed(start.elapsed());
            bar.set_style(style("{spinner} {msg} {elapsed}"));
            bar.set_message(what);
            bar.enable_steady_tick(Duration::from_millis(120));
            let mut counting = false;
            // Until `done` is dropped: the work has ended, however it ended.
            while wait.recv_timeout(Duration::from_millis(100)) == Err(RecvTimeoutError::Timeout) {
                let Some((written, planned)) = progress.as_ref().map(|p| p.get()) else {
                    continue;
                };
                if planned == 0 {
                    continue;
                }
                if !counting {
                    counting = true;
                    bar.set_style(style(
                        "{spinner} {msg} [{bar:30}] {pos}/{len} files {elapsed}",
                    ));
                }
                bar.set_length(planned as u64);
                bar.set_position(written.min(planned) as u64);
            }
            bar.finish_and_clear();
        });
        let result = work();
        drop(done);
        let _ = drawer.join();
        result
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// A message on stderr that `--quiet` does not hide (it is about safety, not progress).
pub fn always(text: &str) {
    anstream::eprintln!("{}", paint(text));
}

/// Prints a failed command's error on stderr: always, whatever the verbosity.
pub fn error(e: &anyhow::Error) {
    anstream::eprintln!("{}", paint(&batmi::error_text(e)));
}

/// Colours the severity words of diagnostics as batmi writes them (`path:1:2: error: ...`,
/// `warning: ...`, `  help: ...`); the text itself is left as it is.
pub fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&paint_line(line));
    }
    out
}

fn paint_line(line: &str) -> String {
    const WORDS: [(&str, AnsiColor); 4] = [
        ("error", AnsiColor::Red),
        ("warning", AnsiColor::Yellow),
        ("help", AnsiColor::Cyan),
        ("note", AnsiColor::Cyan),
    ];
    for (word, colour) in WORDS {
        let style = Style::new().bold().fg_color(Some(colour.into()));
        let painted = format!("{style}{word}{style:#}:");
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(word).and_then(|r| r.strip_prefix(':')) {
            let indent = &line[..line.len() - trimmed.len()];
            return format!("{indent}{painted}{rest}");
        }
        let marker = format!(": {word}:");
        if let Some(at) = line.find(&marker) {
            let (head, tail) = line.split_at(at);
            return format!("{head}: {painted}{}", &tail[marker.len()..]);
        }
    }
    line.to_string()
}

#[cfg(test)]
mod tests {
    use super::paint;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn painting_changes_only_the_escape_codes() {
        let text = "content/news/a.mr.md:4:1: error: invalid date: \"x\"\n  help: write 2025-08-29\nerror: cannot read config.toml\nwarning: slow\nplain: line";
        let painted = paint(text);
        assert_eq!(strip(&painted), text);
        // error, help, error, warning: each starts a style and resets it; "plain:" is left alone.
        assert_eq!(painted.matches("\x1b[0m").count(), 4, "{painted:?}");
        assert!(painted.ends_with("\nplain: line"), "{painted:?}");
    }
}
