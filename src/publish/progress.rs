//! Telling the user how a publish goes: a progress bar on a terminal, one plain line per file
//! otherwise (logs, CI), or nothing (tests that read the [`Report`](super::Report)).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
pub struct Progress {
    mode: Mode,
}

enum Mode {
    Bar(ProgressBar),
    Lines,
    Quiet,
}

impl Progress {
    /// A bar when stdout is a terminal, plain lines otherwise.
    pub fn for_stdout() -> Progress {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stdout());
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} files  {wide_msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            Progress {
                mode: Mode::Bar(bar),
            }
        } else {
            Progress::lines()
        }
    }

    /// One line per file on stdout.
    pub fn lines() -> Progress {
        Progress { mode: Mode::Lines }
    }

    pub fn quiet() -> Progress {
        Progress { mode: Mode::Quiet }
    }

    /// The work ahead: `files` uploads and deletions.
    pub fn begin(&self, files: usize) {
        if let Mode::Bar(bar) = &self.mode {
            bar.set_length(files as u64);
            bar.set_position(0);
        }
    }

    /// A line of news that is not about one file (shown above the bar).
    pub fn note(&self, msg: &str) {
        match &self.mode {
            Mode::Bar(bar) => bar.println(msg),
            Mode::Lines => println!("{msg}"),
            Mode::Quiet => {}
        }
    }

    pub fn uploaded(&self, path: &str, bytes: u64) {
        match &self.mode {
            Mode::Bar(bar) => {
                bar.set_message(path.to_string());
                bar.inc(1);
            }
            Mode::Lines => println!("uploaded {path} ({bytes} bytes)"),
            Mode::Quiet => {}
        }
    }

    pub fn deleted(&self, path: &str) {
        match &self.mode {
            Mode::Bar(bar) => {
                bar.set_message(format!("deleted {path}"));
                bar.inc(1);
            }
            Mode::Lines => println!("deleted {path}"),
            Mode::Quiet => {}
        }
    }

    /// Removes the bar, whether the publish worked or not.
    pub fn finish(&self) {
        if let Mode::Bar(bar) = &self.mode {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
