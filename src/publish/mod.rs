//! `batmi publish`: make a production build and ship it to a directory, a git branch or
//! S3-compatible storage, changing only the files whose bytes changed.
//!
//! Every target follows the same steps: find out what the target holds now, compare it with
//! the fresh build ([`plan::Plan`]), refuse a suspiciously large `--delete`, then either print
//! the plan (`--dry-run`) or carry it out in the order that keeps readers safe: assets, then
//! HTML, then feeds and the sitemap, deletions last.

pub mod dir;
pub mod git;
pub mod local;
pub mod plan;
pub mod progress;
pub mod s3;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::config::Config;
use crate::diag::{Diagnostic, SiteErrors};
pub use progress::Progress;

/// Where a site is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A directory, e.g. a web server's document root.
    Dir(PathBuf),
    /// A branch of a git remote (GitHub, GitLab or Codeberg Pages).
    Git { remote: String, branch: String },
    /// A bucket and key prefix of S3-compatible storage.
    S3 {
        bucket: String,
        prefix: String,
        endpoint: Option<String>,
    },
}

/// The forms a target can be written in, for help texts.
pub const TARGET_FORMS: &str = "dir:PATH, git:REMOTE#BRANCH or s3://BUCKET/PREFIX";

impl Target {
    /// Parses `dir:PATH`, `git:REMOTE#BRANCH` or `s3://BUCKET/PREFIX`; the endpoint applies to
    /// S3 only.
    pub fn parse(spec: &str, endpoint: Option<&str>) -> Result<Target, String> {
        let spec = spec.trim();
        let target = if let Some(path) = spec.strip_prefix("dir:") {
            if path.is_empty() {
                return Err("dir: needs a path, as in dir:/var/www/news".into());
            }
            Target::Dir(PathBuf::from(path))
        } else if let Some(rest) = spec.strip_prefix("git:") {
            let Some((remote, branch)) = rest.rsplit_once('#') else {
                return Err(format!(
                    "git target \"{spec}\" names no branch; write git:REMOTE#BRANCH, as in git:git@github.com:me/site.git#gh-pages"
                ));
            };
            if remote.is_empty() || branch.is_empty() {
                return Err(format!(
                    "git target \"{spec}\" needs both a remote and a branch, as in git:../site.git#gh-pages"
                ));
            }
            git::check_remote(remote)?;
            git::check_branch(branch)?;
            Target::Git {
                remote: remote.to_string(),
                branch: branch.to_string(),
            }
        } else if let Some(rest) = spec.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(format!(
                    "s3 target \"{spec}\" names no bucket; write s3://BUCKET/PREFIX"
                ));
            }
            Target::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
                endpoint: None,
            }
        } else {
            return Err(format!(
                "\"{spec}\" is not a publish target; write {TARGET_FORMS}"
            ));
        };
        match (target, endpoint) {
            (Target::S3 { bucket, prefix, .. }, endpoint) => Ok(Target::S3 {
                bucket,
                prefix,
                endpoint: endpoint.map(str::to_string),
            }),
            (_, Some(_)) => Err("--endpoint and endpoint = apply to s3:// targets only".into()),
            (t, None) => Ok(t),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Dir(p) => write!(f, "dir:{}", p.display()),
            Target::Git { remote, branch } => write!(f, "git:{remote}#{branch}"),
            Target::S3 { bucket, prefix, .. } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            Target::S3 { bucket, prefix, .. } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

/// The most files `--delete` removes without `--yes` when config.toml says nothing.
pub const DEFAULT_MAX_DELETES: usize = 256;

/// What `batmi publish` was asked to do.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The site's folder.
    pub root: PathBuf,
    pub target: Target,
    /// Print the plan, change nothing.
    pub dry_run: bool,
    /// Remove files the build no longer produces.
    pub delete: bool,
    /// Allow `--delete` to remove more than `max_deletes` files.
    pub yes: bool,
    pub max_deletes: usize,
    /// Hashes of the built files, from the build manifest (empty: hash every file).
    pub known: local::Known,
}

impl PublishOptions {
    pub fn new(root: impl Into<PathBuf>, target: Target) -> Self {
        PublishOptions {
            root: root.into(),
            target,
            dry_run: false,
            delete: false,
            yes: false,
            max_deletes: DEFAULT_MAX_DELETES,
            known: local::Known::new(),
        }
    }
}

/// A target chosen on the command line or in config.toml, with its settings.
#[derive(Debug, Clone)]
pub struct ResolvedTarget {
    pub target: Target,
    pub max_deletes: usize,
}

/// Picks the target: `--to` as given, or `[publish.<name>]` of config.toml for `--target`
/// (or the only one there when neither is given). `--endpoint` overrides the config's.
pub fn resolve_target(
    root: &Path,
    to: Option<&str>,
    name: Option<&str>,
    endpoint: Option<&str>,
) -> Result<ResolvedTarget> {
    let config_path = root.join("config.toml");
    if let Some(to) = to {
        let target = Target::parse(to, endpoint).map_err(|e| anyhow::anyhow!("--to: {e}"))?;
        return Ok(ResolvedTarget {
            target,
            max_deletes: DEFAULT_MAX_DELETES,
        });
    }
    let config = Config::load(&config_path).map_err(SiteErrors)?;
    let text = std::fs::read_to_string(&config_path).unwrap_or_default();
    let names: Vec<&str> = config.publish.keys().map(String::as_str).collect();
    let name = match name {
        Some(n) => n,
        None if names.len() == 1 => names[0],
        None if names.is_empty() => bail!(
            "say where to publish: --to {TARGET_FORMS}\n  help: or name targets in config.toml, as in\n        [publish.live]\n        to = \"s3://news-bucket/site\"\n      and choose one with --target live"
        ),
        None => bail!(
            "config.toml names several publish targets ({}); choose one with --target NAME",
            names.join(", ")
        ),
    };
    let Some(entry) = config.publish.get(name) else {
        let known = if names.is_empty() {
            "config.toml has no [publish.<name>] tables".to_string()
        } else {
            format!("config.toml has: {}", names.join(", "))
        };
        return Err(SiteErrors(vec![
            Diagnostic::error(
                &config_path,
                format!("there is no publish target \"{name}\""),
            )
            .help(format!(
                "{known}; add [publish.{name}] with to = \"...\", or pass --to {TARGET_FORMS}"
            )),
        ])
        .into());
    };
    let endpoint = endpoint.or(entry.endpoint.as_deref());
    let target = Target::parse(&entry.to, endpoint).map_err(|e| {
        let header = format!("[publish.{name}]");
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(&header))
            .map_or(1, |i| i + 1);
        let to_line = text
            .lines()
            .enumerate()
            .skip(line)
            .find(|(_, l)| l.trim_start().starts_with("to"))
            .map_or(line, |(i, _)| i + 1);
        SiteErrors(vec![
            Diagnostic::error(&config_path, e)
                .at_line(to_line)
                .help(format!("set to = to one of {TARGET_FORMS}")),
        ])
    })?;
    // Paths written in config.toml are relative to the site's folder, not to where batmi runs.
    let target = match target {
        Target::Dir(p) if p.is_relative() => Target::Dir(root.join(p)),
        Target::Git { remote, branch }
            if Path::new(&remote).is_relative() && root.join(&remote).exists() =>
        {
            Target::Git {
                remote: root.join(&remote).to_string_lossy().into_owned(),
                branch,
            }
        }
        t => t,
    };
    Ok(ResolvedTarget {
        target,
        max_deletes: entry.max_deletes,
    })
}

/// What a publish did (or, for a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Files written to the target, with their sizes, in the order they were written.
    pub uploaded: Vec<(String, u64)>,
    /// Files removed from the target.
    pub deleted: Vec<String>,
    /// Files on the target that the build no longer produces, kept because `--delete` was
    /// not given.
    pub kept: Vec<String>,
    /// Files already on the target with the same bytes.
    pub unchanged: usize,
    /// True for `--dry-run`: nothing was changed.
    pub dry_run: bool,
    pub elapsed: Duration,
    /// Warnings from the build.
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    pub fn uploaded_bytes(&self) -> u64 {
        self.uploaded.iter().map(|(_, n)| n).sum()
    }

    fn from_plan(plan: &plan::Plan, dry_run: bool) -> Report {
        Report {
            uploaded: plan
                .uploads
                .iter()
                .map(|u| (u.path.clone(), u.size))
                .collect(),
            deleted: plan.deletes.clone(),
            kept: plan.kept.clone(),
            unchanged: plan.unchanged,
            dry_run,
            ..Report::default()
        }
    }
}

/// Builds the site into its output folder (`public/`, incrementally, as `batmi build` does)
/// and publishes that build. The build manifest's hashes stand in for hashing every file.
pub fn publish(opts: &PublishOptions, progress: &Progress) -> Result<Report> {
    let start = Instant::now();
    let build = crate::BuildOptions::new(&opts.root);
    let summary = crate::build(&build)?;
    let mut opts = opts.clone();
    opts.known = summary
        .outputs
        .iter()
        .map(|w| (w.path.clone(), (w.size, w.sha256.clone())))
        .collect();
    let mut report = deploy(&build.output, &opts, progress)?;
    report.warnings = summary.warnings;
    report.elapsed = start.elapsed();
    Ok(report)
}

/// Publishes an already built site folder. Git targets add `.nojekyll` to it.
pub fn deploy(site: &Path, opts: &PublishOptions, progress: &Progress) -> Result<Report> {
    let start = Instant::now();
    let mut report = match &opts.target {
        Target::Dir(dest) => dir::deploy(site, dest, opts, progress)?,
        Target::Git { remote, branch } => git::deploy(site, remote, branch, opts, progress)?,
        Target::S3 {
            bucket,
            prefix,
            endpoint,
        } => s3::deploy(site, bucket, prefix, endpoint.as_deref(), opts, progress)?,
    };
    report.elapsed = start.elapsed();
    Ok(report)
}

/// A folder under the system's temporary directory, removed when dropped.
/// A private temporary folder, made with `tempfile`: a fresh name created atomically with
/// owner-only permissions, so nothing planted in the temporary directory beforehand is used.
pub(crate) struct TempDir(tempfile::TempDir);

impl TempDir {
    pub(crate) fn new(what: &str) -> Result<TempDir> {
        tempfile::Builder::new()
            .prefix(&format!("batmi-publish-{what}-"))
            .tempdir()
            .map(TempDir)
            .context("cannot create a temporary folder")
    }

    pub(crate) fn path(&self) -> &Path {
        self.0.path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_in_their_three_forms() {
        assert_eq!(
            Target::parse("dir:/srv/www", None),
            Ok(Target::Dir("/srv/www".into()))
        );
        assert_eq!(
            Target::parse("git:git@example.com:me/site.git#gh-pages", None),
            Ok(Target::Git {
                remote: "git@example.com:me/site.git".into(),
                branch: "gh-pages".into()
            })
        );
        assert_eq!(
            Target::parse("s3://news/site/", Some("http://127.0.0.1:9000")),
            Ok(Target::S3 {
                bucket: "news".into(),
                prefix: "site".into(),
                endpoint: Some("http://127.0.0.1:9000".into())
            })
        );
        assert!(Target::parse("ftp://x", None).is_err());
        assert!(Target::parse("git:../site.git", None).is_err());
        assert!(Target::parse("dir:/x", Some("http://e")).is_err());
    }
}
