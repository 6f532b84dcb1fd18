//! The command line as users meet it, through the real binary: completions and man pages that
//! cover every command and flag, `--version`, `--quiet`, `NO_COLOR`, the progress of long builds.
//!
//! The lists of commands and flags are walked from the clap definitions themselves (the
//! binary's `cli.rs`, compiled in here), so these tests grow with the CLI.

mod common;

#[allow(dead_code)]
#[path = "../build.rs"]
mod build_script;
#[allow(dead_code)]
#[path = "../src/cli.rs"]
mod cli;
#[allow(dead_code)]
#[path = "../src/cmd/mod.rs"]
mod cmd;
#[allow(dead_code)]
#[path = "../src/term.rs"]
mod term;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use clap::CommandFactory;
use common::Fixture;

/// Every subcommand (but clap's `help`) with its long flags, globals included.
fn commands() -> Vec<(String, Vec<String>)> {
    let mut top = cli::Cli::command();
    top.build();
    let mut all = vec![("".to_string(), long_flags(&top))];
    for sub in top.get_subcommands() {
        if sub.get_name() != "help" {
            all.push((sub.get_name().to_string(), long_flags(sub)));
        }
    }
    all
}

fn long_flags(cmd: &clap::Command) -> Vec<String> {
    cmd.get_arguments()
        .filter_map(|a| a.get_long())
        .map(str::to_string)
        .collect()
}

fn batmi(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("BATMI_PROGRESS_AFTER_MS")
        .stdin(Stdio::null())
        .output()
        .expect("batmi runs")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(out: &Output) -> String {
    let (stdout, stderr) = text(out);
    assert!(out.status.success(), "batmi failed:\n{stdout}\n{stderr}");
    stdout
}

#[test]
fn the_walked_cli_has_the_commands_the_readme_lists() {
    let names: Vec<String> = commands().into_iter().map(|(n, _)| n).collect();
    for name in [
        "build",
        "serve",
        "publish",
        "check",
        "new",
        "init",
        "completions",
        "man",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} missing: {names:?}");
    }
    let build = &commands()
        .into_iter()
        .find(|(n, _)| n == "build")
        .unwrap()
        .1;
    for flag in [
        "root", "output", "base-url", "drafts", "quiet", "verbose", "color",
    ] {
        assert!(
            build.iter().any(|f| f == flag),
            "--{flag} missing: {build:?}"
        );
    }
}

#[test]
fn completions_for_every_shell_name_every_command_and_long_flag() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = ok(&batmi(&["completions", shell], dir.path()));
        for (name, flags) in commands() {
            assert!(
                name.is_empty() || script.contains(&name),
                "{shell} completions lack the command {name}"
            );
            for flag in flags {
                // fish writes `-l root`; the others spell the flag out.
                let form = if shell == "fish" {
                    format!("-l {flag}")
                } else {
                    format!("--{flag}")
                };
                assert!(
                    script.contains(&form),
                    "{shell} completions lack {form} of `batmi {name}`"
                );
            }
        }
    }
}

/// What bash offers after `words`, by running the generated completion function.
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let words_q: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
         _batmi batmi '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words_q.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .expect("bash runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_each_commands_own_flags() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("batmi.bash");
    std::fs::write(&script, ok(&batmi(&["completions", "bash"], dir.path()))).unwrap();
    let top = bash_complete(&script, &["batmi", ""]);
    for (name, flags) in commands() {
        if name.is_empty() {
            continue;
        }
        assert!(top.contains(&name), "`batmi <TAB>` lacks {name}: {top:?}");
        let offered = bash_complete(&script, &["batmi", &name, "--"]);
        for flag in flags {
            let flag = format!("--{flag}");
            assert!(
                offered.contains(&flag),
                "`batmi {name} --<TAB>` lacks {flag}: {offered:?}"
            );
        }
    }
    let build = bash_complete(&script, &["batmi", "build", "--"]);
    assert!(
        !build.iter().any(|f| f == "--dry-run"),
        "publish's --dry-run offered for build: {build:?}"
    );
}

/// roff to plain words: `\-` is a hyphen, `\fB` and friends switch fonts.
fn unroff(page: &str) -> String {
    page.replace("\\-", "-")
        .replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\fP", "")
}

#[test]
fn man_pages_cover_every_command_and_flag() {
    let dir = tempfile::tempdir().unwrap();
    let top = unroff(&ok(&batmi(&["man"], dir.path())));
    assert!(
        top.starts_with(".ie") || top.contains(".TH batmi 1"),
        "{top}"
    );
    for (name, flags) in commands() {
        let page = if name.is_empty() {
            top.clone()
        } else {
            assert!(
                top.contains(&format!("batmi-{name}(1)")),
                "batmi(1) does not list batmi-{name}(1)"
            );
            unroff(&ok(&batmi(&["man", &name], dir.path())))
        };
        assert!(page.contains(".SH OPTIONS"), "batmi {name}: no OPTIONS");
        for flag in flags {
            assert!(
                page.contains(&format!("--{flag}")),
                "the man page of `batmi {name}` lacks --{flag}"
            );
        }
    }

    let out_dir = dir.path().join("man1");
    ok(&batmi(&["man", "--dir", "man1", "--quiet"], dir.path()));
    for (name, _) in commands() {
        let file = if name.is_empty() {
            "batmi.1".to_string()
        } else {
            format!("batmi-{name}.1")
        };
        let page = std::fs::read_to_string(out_dir.join(&file))
            .unwrap_or_else(|e| panic!("{file} not written: {e}"));
        assert!(page.contains(".TH"), "{file} is not a man page");
    }

    let wrong = batmi(&["man", "biuld"], dir.path());
    assert!(!wrong.status.success());
    assert!(text(&wrong).1.contains("build"), "{}", text(&wrong).1);
}

/// The commit git reports for this checkout, if it is one.
fn checkout_commit() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    build_script::git_commit(dir).map(|(c, _)| c.hash)
}

#[test]
fn version_names_the_commit_of_a_git_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&batmi(&["--version"], dir.path()));
    let expected = concat!("batmi ", env!("CARGO_PKG_VERSION"));
    let line = out.trim_end();
    match checkout_commit() {
        Some(hash) => {
            let prefix = format!("{expected} ({hash} ");
            assert!(line.starts_with(&prefix), "{line:?} vs {prefix:?}");
            let date = line[prefix.len()..].trim_end_matches(')');
            assert_eq!(date.len(), 10, "not a date: {line:?}");
            assert!(
                date.chars().all(|c| c.is_ascii_digit() || c == '-'),
                "{line:?}"
            );
        }
        None => assert_eq!(line, expected),
    }
    // Every command answers --version with the same version.
    let build = ok(&batmi(&["build", "--version"], dir.path()));
    assert_eq!(build.strip_prefix("batmi-build"), out.strip_prefix("batmi"));
}

#[test]
fn version_text_without_a_commit_is_the_bare_version() {
    use build_script::{Commit, version_text};
    assert_eq!(version_text("0.1.0", None), "0.1.0");
    let c = Commit {
        hash: "1a2b3c4".into(),
        date: Some("2026-12-01".into()),
    };
    assert_eq!(
        version_text("0.1.0", Some(&c)),
        "0.1.0 (1a2b3c4 2026-12-01)"
    );
}

fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn build_script_finds_no_commit_outside_git_or_inside_another_repository() {
    let dir = tempfile::tempdir().unwrap();
    let krate = dir.path().join("batmi-0.1.0");
    std::fs::create_dir_all(&krate).unwrap();
    // A packaged crate in a folder that is no repository: no commit, and no failure.
    assert!(build_script::git_commit(&krate).is_none());
    assert!(build_script::vcs_info_commit(&krate).is_none());

    // cargo package records the commit it was made from; the build reads it from there.
    std::fs::write(
        krate.join(".cargo_vcs_info.json"),
        "{\n  \"git\": {\n    \"sha1\": \"e439717c0ffee0123456789abcdef0123456789a\",\n    \"dirty\": true\n  },\n  \"path_in_vcs\": \"\"\n}",
    )
    .unwrap();
    let c = build_script::vcs_info_commit(&krate).expect("sha1 read");
    assert_eq!(c.hash, "e439717");

    if !git(dir.path(), &["--version"]) {
        eprintln!("git is not installed: the repository cases are skipped");
        return;
    }
    // The crate unpacked inside somebody else's repository is not that repository's commit.
    assert!(git(dir.path(), &["init", "-q"]));
    assert!(git(
        dir.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "x"
        ]
    ));
    assert!(build_script::git_commit(&krate).is_none());
    let (top, watch) = build_script::git_commit(dir.path()).expect("the repository's own commit");
    assert!(top.hash.len() >= 7, "{top:?}");
    assert!(top.date.is_some());
    assert!(watch.iter().all(|p| p.exists()), "{watch:?}");
    assert!(watch.iter().any(|p| p.ends_with("HEAD")), "{watch:?}");
}

#[test]
fn quiet_commands_print_nothing_when_they_succeed() {
    let site = Fixture::bilingual();
    let root = site.root();
    let silent = |args: &[&str]| {
        let out = batmi(args, root);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{args:?} failed:\n{stdout}\n{stderr}");
        assert_eq!(stdout, "", "{args:?} printed on stdout");
        assert_eq!(stderr, "", "{args:?} printed on stderr");
    };
    // Without --quiet these all say something, so an empty output means --quiet worked.
    assert_ne!(ok(&batmi(&["build"], root)), "");
    silent(&["build", "--quiet"]);
    silent(&["-q", "build", "--output", "elsewhere"]);
    assert!(root.join("elsewhere/index.html").exists());
    assert_ne!(ok(&batmi(&["check"], root)), "");
    silent(&["check", "-q"]);
    silent(&["new", "monsoon", "--tags", "Weather", "-q"]);
    assert!(root.join("content/news/monsoon.mr.md").exists());
    silent(&["publish", "--to", "dir:published", "--quiet"]);
    assert!(root.join("published/index.html").exists());
    silent(&["init", "fresh", "--quiet"]);
    assert!(root.join("fresh/config.toml").exists());
}

#[test]
fn quiet_still_prints_errors() {
    let site = Fixture::bilingual();
    site.write("config.toml", "title = \"x\"\nbase_url = 3\n");
    let out = batmi(&["build", "--quiet"], site.root());
    assert!(!out.status.success());
    let (stdout, stderr) = text(&out);
    assert_eq!(stdout, "");
    assert!(stderr.contains("config.toml:2"), "{stderr}");
}

#[test]
fn verbose_says_where_the_build_goes_and_publish_lists_each_file() {
    let site = Fixture::bilingual();
    let (_, stderr) = text(&batmi(&["build", "--verbose"], site.root()));
    assert!(stderr.contains("into ./public"), "{stderr}");
    let stdout = ok(&batmi(&["publish", "--to", "dir:www", "-v"], site.root()));
    assert!(stdout.contains("uploaded index.html"), "{stdout}");
    let clash = batmi(&["build", "-q", "-v"], site.root());
    assert!(!clash.status.success(), "--quiet with --verbose accepted");
}

fn has_sgr(s: &str) -> bool {
    // Select Graphic Rendition: ESC [ digits/semicolons m, the codes that colour text.
    let bytes = s.as_bytes();
    bytes.windows(2).enumerate().any(|(i, w)| {
        w == b"\x1b["
            && bytes[i + 2..]
                .iter()
                .find(|b| !(b.is_ascii_digit() || **b == b';'))
                .is_some_and(|b| *b == b'm')
    })
}

#[test]
fn errors_are_coloured_only_when_asked_and_never_under_no_color() {
    let site = Fixture::bilingual();
    site.write(
        "content/news/bad.mr.md",
        "+++\ntitle = \"x\"\ndate = \"29/08/2025\"\n+++\n",
    );
    let run = |env: &[(&str, &str)], extra: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_batmi"));
        c.arg("build")
            .args(extra)
            .current_dir(site.root())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(stderr.contains("invalid date"), "{stderr}");
        stderr
    };
    // A pipe: no colour. Forced: colour, so the checks below can fail.
    assert!(!has_sgr(&run(&[], &[])));
    assert!(has_sgr(&run(&[("CLICOLOR_FORCE", "1")], &[])));
    assert!(has_sgr(&run(&[], &["--color", "always"])));
    // NO_COLOR wins over CLICOLOR_FORCE; --color never over everything.
    assert!(!has_sgr(&run(
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
        &[]
    )));
    assert!(!has_sgr(&run(
        &[("CLICOLOR_FORCE", "1")],
        &["--color", "never"]
    )));
}

/// Runs `batmi args` with a terminal as stdin, stdout and stderr (util-linux `script`), and
/// returns all it wrote; None where `script` is missing.
fn in_terminal(dir: &Path, args: &str, env: &[(&str, &str)]) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        return None;
    }
    let mut c = Command::new("script");
    c.args([
        "-qefc",
        &format!("{} {args}", env!("CARGO_BIN_EXE_batmi")),
        "/dev/null",
    ])
    .current_dir(dir)
    .env_remove("NO_COLOR")
    .env_remove("CLICOLOR_FORCE")
    .env("TERM", "xterm-256color")
    .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_long_build_shows_a_spinner_on_a_terminal_and_plain_lines_elsewhere() {
    let site = Fixture::bilingual();
    // The spinner waits 2 s; the variable shortens that so a small site shows it.
    let fast = [("BATMI_PROGRESS_AFTER_MS", "0")];
    let Some(tty) = in_terminal(site.root(), "build", &fast) else {
        eprintln!("util-linux script is missing: the terminal case is skipped");
        return;
    };
    assert!(tty.contains("building the site"), "{tty:?}");
    assert!(tty.contains("built "), "{tty:?}");
    // Not a terminal: the summary line and nothing else.
    let mut c = Command::new(env!("CARGO_BIN_EXE_batmi"));
    let piped = c
        .arg("build")
        .current_dir(site.root())
        .env("BATMI_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&piped);
    assert!(!stderr.contains("building the site"), "{stderr:?}");
    assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
    assert!(!stdout.contains('\x1b'), "{stdout:?}");
    // A quick build on a terminal (the real 2 s wait) shows no spinner at all.
    let quick = in_terminal(site.root(), "build", &[]).unwrap();
    assert!(!quick.contains("building the site"), "{quick:?}");
    // --quiet on a terminal: nothing at all.
    let quiet = in_terminal(site.root(), "build --quiet", &fast).unwrap();
    assert_eq!(quiet, "", "{quiet:?}");
}

#[test]
fn no_color_on_a_terminal_has_no_colour_codes() {
    let site = Fixture::bilingual();
    site.write(
        "content/news/bad.mr.md",
        "+++\ntitle = \"x\"\ndate = \"29/08/2025\"\n+++\n",
    );
    let mut c = Command::new("script");
    if c.arg("--version").output().is_err() {
        return;
    }
    let run = |env: &[(&str, &str)]| {
        let mut c = Command::new("script");
        c.args([
            "-qc",
            &format!("{} build", env!("CARGO_BIN_EXE_batmi")),
            "/dev/null",
        ])
        .current_dir(site.root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null());
        for (k, v) in env {
            c.env(k, v);
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    };
    let coloured = run(&[]);
    assert!(coloured.contains("invalid date"), "{coloured:?}");
    assert!(has_sgr(&coloured), "a terminal gets colour: {coloured:?}");
    let plain = run(&[("NO_COLOR", "1")]);
    assert!(plain.contains("invalid date"), "{plain:?}");
    assert!(!has_sgr(&plain), "NO_COLOR still coloured: {plain:?}");
}

/// The `[===>   ] 120/2451 files` part of a progress bar line, if `line` has one:
/// (written, planned).
fn bar_count(line: &str) -> Option<(usize, usize)> {
    let bar = line.split_once(" [")?.1;
    let (inside, rest) = bar.split_once("] ")?;
    if !inside.chars().all(|c| matches!(c, '=' | '>' | ' ')) {
        return None;
    }
    let (count, _) = rest.split_once(" files")?;
    let (done, total) = count.split_once('/')?;
    Some((done.parse().ok()?, total.parse().ok()?))
}

#[test]
fn a_build_of_several_seconds_draws_a_bar_of_files_written_on_a_terminal_only() {
    // 1,500 generated pairs on one thread: several seconds even for a fast machine, so the
    // real 2 s wait passes and the bar has time to move.
    let site = Fixture::empty();
    common::corpus::generate(site.root(), &common::corpus::Options::new(1500)).unwrap();
    let one_thread = [("RAYON_NUM_THREADS", "1")];
    let Some(tty) = in_terminal(site.root(), "build", &one_thread) else {
        eprintln!("util-linux script is missing: the terminal case is skipped");
        return;
    };
    // The last line: the bar cleared (erase-line), then the summary.
    let last = tty.lines().last().unwrap_or_default();
    let summary = last
        .rsplit("\x1b[2K")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let secs: f64 = summary
        .rsplit_once(" in ")
        .and_then(|(_, t)| t.strip_suffix(" s"))
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no summary line: {summary:?}"));
    assert!(
        secs >= 2.5,
        "the build took {secs} s: use a bigger corpus for this test"
    );
    // Every redraw starts with a carriage return; the bar's counts only grow, up to the plan.
    let counts: Vec<(usize, usize)> = tty.split(['\r', '\n']).filter_map(bar_count).collect();
    assert!(counts.len() >= 3, "no progress bar drawn: {tty:?}");
    let planned = counts[0].1;
    assert!(planned > 3000, "{counts:?}");
    assert!(counts.iter().all(|&(_, p)| p == planned), "{counts:?}");
    assert!(counts.windows(2).all(|w| w[0].0 <= w[1].0), "{counts:?}");
    assert!(
        counts.iter().any(|&(d, _)| d > 0 && d < planned),
        "{counts:?}"
    );
    assert!(summary.starts_with("built "), "{summary:?}");
    assert!(
        last.contains("\x1b[2Kbuilt "),
        "the bar was not cleared: {last:?}"
    );
    // Not a terminal (a CI log): the summary line only, no bar, no escape codes.
    let piped = Command::new(env!("CARGO_BIN_EXE_batmi"))
        .arg("build")
        .current_dir(site.root())
        .env("RAYON_NUM_THREADS", "1")
        .env_remove("BATMI_PROGRESS_AFTER_MS")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&piped);
    assert!(piped.status.success(), "{stderr}");
    assert_eq!(
        stderr, "",
        "a build that is not on a terminal drew on stderr"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
    assert!(
        stdout.starts_with("built ") && !stdout.contains('\x1b'),
        "{stdout:?}"
    );
}
