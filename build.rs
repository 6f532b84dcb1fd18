//! Build script: the version `batmi --version` prints, with the commit it was built from.
//!
//! From a git checkout of batmi itself, the commit comes from `git`; from a crate packaged by
//! `cargo package` (crates.io, `cargo install`), from the `.cargo_vcs_info.json` cargo wrote
//! into it; a packager without either may set `BATMI_COMMIT`. If none of them says anything,
//! the version is the bare package version: a missing git is never an error.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=BATMI_COMMIT");
    let from_env = std::env::var("BATMI_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty());
    let commit = match from_env {
        Some(c) => Some(Commit {
            hash: c.trim().to_string(),
            date: None,
        }),
        None => match git_commit(&dir) {
            Some((commit, watch)) => {
                for path in watch {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
                Some(commit)
            }
            None => vcs_info_commit(&dir),
        },
    };
    println!(
        "cargo:rustc-env=BATMI_VERSION={}",
        version_text(&version, commit.as_ref())
    );
}

/// The commit a build comes from: a short hash, and its date where known.
#[derive(Debug, PartialEq, Eq)]
pub struct Commit {
    pub hash: String,
    pub date: Option<String>,
}

/// `0.1.0 (1a2b3c4 2026-12-01)`, or `0.1.0` alone.
pub fn version_text(version: &str, commit: Option<&Commit>) -> String {
    match commit {
        Some(Commit {
            hash,
            date: Some(date),
        }) => format!("{version} ({hash} {date})"),
        Some(Commit { hash, date: None }) => format!("{version} ({hash})"),
        None => version.to_string(),
    }
}

/// HEAD of the git repository whose top level is `dir`, and the files whose change moves HEAD.
/// A crate unpacked inside some other repository (a vendor folder, a distribution's packaging
/// repository) is not that repository's commit, so the top level must be `dir` itself.
pub fn git_commit(dir: &Path) -> Option<(Commit, Vec<PathBuf>)> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    let hash = git(dir, &["rev-parse", "--short", "HEAD"])?;
    let date = git(dir, &["log", "-1", "--format=%cs", "HEAD"]);
    let mut watch = Vec::new();
    // HEAD lives in the worktree's git dir; the branch it points to, in the common one.
    if let Some(git_dir) = git(dir, &["rev-parse", "--absolute-git-dir"]) {
        watch.push(PathBuf::from(&git_dir).join("HEAD"));
        let common = git(dir, &["rev-parse", "--git-common-dir"])
            .map(|c| dir.join(c))
            .unwrap_or_else(|| PathBuf::from(&git_dir));
        if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
            watch.push(common.join(branch));
        }
        watch.push(common.join("packed-refs"));
    }
    // A path that does not exist would make cargo rerun this script on every build.
    watch.retain(|p| p.exists());
    Some((Commit { hash, date }, watch))
}

/// The commit `cargo package` recorded in `.cargo_vcs_info.json`.
pub fn vcs_info_commit(dir: &Path) -> Option<Commit> {
    let path = dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let start = after.find('"')? + 1;
    let len = after[start..].find('"')?;
    let sha1 = &after[start..start + len];
    if sha1.len() < 7 || !sha1.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(Commit {
        hash: sha1[..7].to_string(),
        date: None,
    })
}

/// A git command's trimmed stdout, or None if git is missing or says no.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}
