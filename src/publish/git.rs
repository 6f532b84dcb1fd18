//! Publishing to a git branch (GitHub, GitLab or Codeberg Pages): the built site becomes one
//! new commit on top of the branch's tip, pushed without force, so a branch that moved in
//! the meantime is never overwritten. Other branches are never touched.
//!
//! Runs the `git` program in a private repository whose work tree is the built site; only the
//! branch's tip is fetched (`--depth 1`).

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::{Context, Result, bail};

use super::local;
use super::plan::Plan;
use super::{Progress, PublishOptions, Report, TempDir};

/// Refuses a remote git would read as something other than a repository address: one
/// that starts with `-` (an option such as `--upload-pack=...`, which runs a command) or
/// that names a transport that runs commands (`ext::`, `fd::`).
pub fn check_remote(remote: &str) -> Result<(), String> {
    if remote.starts_with('-') {
        return Err(format!(
            "the git remote \"{remote}\" starts with \"-\", which git would read as an option; write the repository's address or path (use ./{remote} for a folder of that name)"
        ));
    }
    let transport = remote.split_once("::").map(|(t, _)| t.to_ascii_lowercase());
    if matches!(transport.as_deref(), Some("ext" | "fd")) {
        return Err(format!(
            "the git remote \"{remote}\" uses a transport that runs commands; write an https://, ssh:// or git@host: address, or a path"
        ));
    }
    if remote.chars().any(char::is_control) {
        return Err("the git remote contains a control character".into());
    }
    Ok(())
}

/// Refuses a branch name git would not take as a branch, or would read as an option.
pub fn check_branch(branch: &str) -> Result<(), String> {
    let bad = branch.starts_with('-')
        || branch.starts_with('/')
        || branch.ends_with('/')
        || branch.ends_with(".lock")
        || branch.ends_with('.')
        || branch.contains("..")
        || branch.contains("@{")
        || branch.contains("//")
        || branch
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c));
    if bad {
        return Err(format!(
            "\"{branch}\" cannot be a git branch name; use letters, digits, - and / such as gh-pages (not starting with -)"
        ));
    }
    Ok(())
}

/// Publishes the built `site` folder as the new tip of `branch` on `remote`.
pub fn deploy(
    site: &Path,
    remote: &str,
    branch: &str,
    opts: &PublishOptions,
    progress: &Progress,
) -> Result<Report> {
    check_remote(remote).map_err(anyhow::Error::msg)?;
    check_branch(branch).map_err(anyhow::Error::msg)?;
    let remote = resolve_remote(remote, &opts.root);
    // What the site's own repository names the remote must pass the same check.
    check_remote(&remote).map_err(anyhow::Error::msg)?;
    // GitHub Pages runs sites through Jekyll unless told not to, which hides `_`-files.
    // Replaced rather than written into, as every output file (`write::write_file`).
    crate::output::write::write_file(site, ".nojekyll", b"")
        .map_err(|d| crate::diag::SiteErrors(vec![d]))?;
    let tmp = TempDir::new("git")?;
    let git = Git {
        git_dir: tmp.path().join("repo"),
        work_tree: site.to_path_buf(),
        identity: has_identity(site),
    };
    run(
        Command::new("git")
            .arg("init")
            .arg("-q")
            .arg("--bare")
            .arg(&git.git_dir),
        "git init",
    )?;

    let old_tip = match remote_tip(&git, &remote, branch)? {
        None => None,
        Some(_) => {
            let fetch = |depth: &[&str]| {
                let mut args = vec!["fetch", "-q", "--no-tags"];
                args.extend(depth);
                let refspec = format!("+refs/heads/{branch}:refs/batmi/tip");
                args.extend(["--", remote.as_str(), refspec.as_str()]);
                git.run(args, "cannot fetch the branch's tip")
            };
            fetch(&["--depth=1"]).or_else(|_| fetch(&[]))?;
            let tip = git.run(["rev-parse", "refs/batmi/tip"], "git rev-parse")?;
            let tip = tip.trim().to_string();
            git.run(["read-tree", &tip], "cannot read the branch's files")?;
            Some(tip)
        }
    };
    if opts.delete {
        git.run(["add", "-A", "-f", "--", "."], "git add")?;
    } else {
        git.run(["add", "-f", "--ignore-removal", "--", "."], "git add")?;
    }

    let changes = match &old_tip {
        Some(tip) => git.run(
            [
                "diff",
                "--cached",
                "--name-status",
                "-z",
                "--no-renames",
                tip,
            ],
            "git diff",
        )?,
        None => git
            .run(["ls-files", "-z"], "git ls-files")?
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(|p| format!("A\0{p}\0"))
            .collect(),
    };
    let mut uploads = Vec::new();
    let mut deletes = Vec::new();
    let mut fields = changes.split('\0').filter(|s| !s.is_empty());
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        if status.starts_with('D') {
            deletes.push(path.to_string());
        } else {
            let size = fs::metadata(site.join(path)).map_or(0, |m| m.len());
            uploads.push((path.to_string(), size));
        }
    }
    let kept: Vec<String> = if old_tip.is_some() && !opts.delete {
        git.run(["ls-files", "-z", "--deleted"], "git ls-files")?
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    } else {
        Vec::new()
    };
    let built = local::walk(site)?.len();
    let unchanged = built.saturating_sub(uploads.len());
    let plan = Plan::from_parts(uploads, deletes, kept, unchanged);
    let shown = format!("git:{remote}#{branch}");
    plan.check_deletes(opts.max_deletes, opts.yes, &shown)?;
    if opts.dry_run || plan.is_empty() {
        return Ok(Report::from_plan(&plan, opts.dry_run));
    }
    progress.begin(plan.uploads.len() + plan.deletes.len());

    let tree = git.run(["write-tree"], "git write-tree")?;
    let message = format!(
        "Publish with batmi: {} files written, {} deleted",
        plan.uploads.len(),
        plan.deletes.len()
    );
    let mut commit = vec!["commit-tree", tree.trim(), "-m", &message];
    if let Some(tip) = &old_tip {
        commit.extend(["-p", tip]);
    }
    let commit = git.run(commit, "git commit-tree")?;
    let commit = commit.trim();

    let out = git
        .command([
            "push",
            "--porcelain",
            "--",
            &remote,
            &format!("{commit}:refs/heads/{branch}"),
        ])
        .output()
        .context("cannot run git push")?;
    if !out.status.success() {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        bail!("{}", explain_push_failure(&remote, branch, &text));
    }
    for u in &plan.uploads {
        progress.uploaded(&u.path, u.size);
    }
    for d in &plan.deletes {
        progress.deleted(d);
    }
    Ok(Report::from_plan(&plan, false))
}

/// A local path stays usable from the private repository's folder: it is made absolute.
/// A bare word that names a remote of the site's own repository (`origin`) becomes its URL.
fn resolve_remote(remote: &str, root: &Path) -> String {
    let as_path = Path::new(remote);
    if as_path.exists() {
        return fs::canonicalize(as_path)
            .unwrap_or_else(|_| as_path.to_path_buf())
            .to_string_lossy()
            .into_owned();
    }
    let bare_word = !remote.contains(['/', ':', '\\']) && !remote.is_empty();
    if bare_word {
        let url = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["remote", "get-url", "--", remote])
            .stdin(Stdio::null())
            .output();
        if let Ok(out) = url {
            let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && !url.is_empty() {
                return url;
            }
        }
    }
    remote.to_string()
}

/// The commit `branch` points at on `remote`, or None when the branch does not exist yet.
fn remote_tip(git: &Git, remote: &str, branch: &str) -> Result<Option<String>> {
    let out = git
        .command([
            "ls-remote",
            "--heads",
            "--",
            remote,
            &format!("refs/heads/{branch}"),
        ])
        .output()
        .context("cannot run git ls-remote")?;
    if !out.status.success() {
        bail!(
            "cannot reach the git remote {remote}:\n{}\n  help: check the address and that you can `git fetch` from it; a local bare repository is given by its path",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(_, r)| *r == format!("refs/heads/{branch}"))
        .map(|(sha, _)| sha.to_string()))
}

/// Plain words for why git refused the push.
fn explain_push_failure(remote: &str, branch: &str, out: &str) -> String {
    let remote_lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("remote:"))
        .map(str::trim)
        .filter(|l| *l != "remote:")
        .collect();
    let said = if remote_lines.is_empty() {
        String::new()
    } else {
        format!("\n  the server said:\n    {}", remote_lines.join("\n    "))
    };
    let lower = out.to_ascii_lowercase();
    if lower.contains("[remote rejected]") {
        let reason = out
            .split("[remote rejected]")
            .nth(1)
            .and_then(|r| r.lines().next())
            .map(|r| r.trim().trim_start_matches('(').trim_end_matches(')'))
            .unwrap_or("no reason given");
        format!(
            "the git remote {remote} refused the push to branch {branch} ({reason}); nothing was changed there{said}\n  help: the branch may be protected, or a server hook refused it: allow pushes to {branch} in the host's settings, or publish to another branch"
        )
    } else if lower.contains("[rejected]")
        || lower.contains("non-fast-forward")
        || lower.contains("fetch first")
    {
        format!(
            "the git remote {remote} did not take the new version of branch {branch}: the branch changed there while batmi was publishing (someone or something else pushed to it), and batmi never overwrites that; nothing was changed\n  help: run the same batmi publish again: it starts from the branch's new tip"
        )
    } else if lower.contains("permission denied")
        || lower.contains("authentication failed")
        || lower.contains("could not read username")
        || lower.contains("terminal prompts disabled")
        || lower.contains("403")
    {
        format!(
            "the git remote {remote} did not accept your credentials for pushing to branch {branch}{said}\n  help: check that `git push` to {remote} works for you (an SSH key, or a token in a credential helper)"
        )
    } else {
        format!(
            "git push to {remote} (branch {branch}) failed:\n{}",
            out.trim()
        )
    }
}

/// The private repository, whose work tree is the built site.
struct Git {
    git_dir: PathBuf,
    work_tree: PathBuf,
    /// Whether the user's git config says who commits; if not, batmi signs as itself.
    identity: bool,
}

impl Git {
    fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = Command::new("git");
        c.arg("--git-dir")
            .arg(&self.git_dir)
            .arg("--work-tree")
            .arg(&self.work_tree)
            .args(["-c", "core.autocrlf=false", "-c", "core.safecrlf=false"])
            // Transports that run commands stay off whatever the user's git config says.
            .args([
                "-c",
                "protocol.ext.allow=never",
                "-c",
                "protocol.fd.allow=never",
            ])
            .args(args)
            .current_dir(&self.work_tree)
            .stdin(Stdio::null())
            // Messages are parsed; never wait for a password nobody can type.
            .env("LC_ALL", "C")
            .env("GIT_TERMINAL_PROMPT", "0");
        if !self.identity {
            for (k, v) in [
                ("GIT_AUTHOR_NAME", "batmi"),
                ("GIT_AUTHOR_EMAIL", "batmi@localhost"),
                ("GIT_COMMITTER_NAME", "batmi"),
                ("GIT_COMMITTER_EMAIL", "batmi@localhost"),
            ] {
                if std::env::var_os(k).is_none() {
                    c.env(k, v);
                }
            }
        }
        c
    }

    fn run<I, S>(&self, args: I, what: &str) -> Result<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run(&mut self.command(args), what)
    }
}

/// Whether git knows who commits (user.name and user.email set somewhere).
fn has_identity(dir: &Path) -> bool {
    ["user.name", "user.email"].iter().all(|key| {
        Command::new("git")
            .args(["config", "--get", key])
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn run(cmd: &mut Command, what: &str) -> Result<String> {
    let out: Output = match cmd.output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "git is not installed (or not on PATH)\n  help: install git to publish to a git branch"
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot run {what}")),
    };
    if !out.status.success() {
        bail!("{what}: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
