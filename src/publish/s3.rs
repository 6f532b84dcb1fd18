//! Publishing to S3-compatible storage (AWS S3, Cloudflare R2, MinIO, ...) with `object_store`.
//!
//! Only files whose bytes changed are uploaded. What the bucket holds is known from a manifest
//! object (`PREFIX/.batmi-manifest.json`: SHA-256, size and ETag per file) checked against a
//! listing: an object whose size or ETag no longer matches the manifest (changed by someone
//! else, or uploaded by a run that was cut off before it wrote the manifest) is looked at with
//! a HEAD request, since every upload also carries its SHA-256 in `x-amz-meta-batmi-sha256`.
//! ETags are only compared, never taken for an MD5: they are not one for multipart or
//! encrypted uploads. The manifest is written last, so a run that dies half-way leaves it
//! describing the old objects, and the next run finishes the job.

use std::collections::BTreeMap;
use std::path::Path as FsPath;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, GetOptions, ObjectStore, ObjectStoreExt,
    PutOptions, PutPayload, RetryConfig,
};
use serde::{Deserialize, Serialize};

use super::local::{self, LocalFile};
use super::plan::{self, Kind, Plan, RemoteFile};
use super::{Progress, PublishOptions, Report};

/// Uploads (and deletions, and HEADs) in flight at once.
const PARALLEL: usize = 8;
/// The manifest's name under the prefix.
pub const MANIFEST: &str = ".batmi-manifest.json";
/// The user metadata key holding an object's SHA-256 (`x-amz-meta-batmi-sha256`).
pub const HASH_METADATA: &str = "batmi-sha256";

/// What batmi knows it put in the bucket.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    files: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    sha256: String,
    size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
}

/// One object found by listing the prefix.
struct Listed {
    size: u64,
    etag: Option<String>,
}

/// Publishes the built `site` folder to `s3://bucket/prefix`.
pub fn deploy(
    site: &FsPath,
    bucket: &str,
    prefix: &str,
    endpoint: Option<&str>,
    opts: &PublishOptions,
    progress: &Progress,
) -> Result<Report> {
    let files = local::scan(site, &opts.known)?;
    // Each alias object gets its own client, whose every request carries (and signs) the
    // object's website-redirect header: object_store has no per-object header for it.
    let mut redirects = BTreeMap::new();
    for (rel, to) in redirect_objects(site)? {
        let mut headers = http::HeaderMap::new();
        let value = http::HeaderValue::from_str(&to)
            .map_err(|_| anyhow!("the redirect target {to} of {rel} cannot be sent to S3"))?;
        headers.insert(WEBSITE_REDIRECT, value);
        redirects.insert(rel, connect(bucket, endpoint, Some(headers))?);
    }
    let bucket_store = Bucket {
        store: connect(bucket, endpoint, None)?,
        redirects,
        prefix: prefix.trim_matches('/').to_string(),
        shown: opts.target.to_string(),
        endpoint: endpoint
            .map(str::to_string)
            .or_else(env_endpoint)
            .unwrap_or_else(|| "AWS S3".into()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime for S3")?;
    runtime.block_on(bucket_store.deploy(&files, opts, progress))
}

/// Credentials and region come from the standard AWS environment variables. Instance
/// metadata is never asked: without keys in the environment this fails at once instead of
/// waiting on a network address that is not there.
fn connect(
    bucket: &str,
    endpoint: Option<&str>,
    headers: Option<http::HeaderMap>,
) -> Result<AmazonS3> {
    let has = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    let keys = has("AWS_ACCESS_KEY_ID") && has("AWS_SECRET_ACCESS_KEY");
    let other = has("AWS_WEB_IDENTITY_TOKEN_FILE")
        || has("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        || has("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if !keys && !other {
        bail!(
            "no S3 credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set\n  help: export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... (and AWS_REGION, or AWS_ENDPOINT_URL / --endpoint for R2, MinIO and other S3-compatible services)"
        );
    }
    let endpoint = endpoint.map(str::to_string).or_else(env_endpoint);
    let http = endpoint
        .as_deref()
        .is_some_and(|e| e.starts_with("http://"))
        || std::env::var("AWS_ALLOW_HTTP").is_ok_and(|v| v == "true");
    let mut options = ClientOptions::new()
        .with_allow_http(http)
        .with_connect_timeout(Duration::from_secs(5))
        .with_timeout(Duration::from_secs(60));
    if let Some(h) = headers {
        options = options.with_default_headers(h);
    }
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_client_options(options)
        // A few quick retries ride out a hiccup; a server that is down fails in seconds.
        .with_retry(RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(200),
                max_backoff: Duration::from_secs(2),
                base: 2.0,
            },
            max_retries: 3,
            retry_timeout: Duration::from_secs(30),
        });
    if let Some(e) = &endpoint {
        builder = builder.with_endpoint(e.trim_end_matches('/'));
    }
    builder
        .build()
        .map_err(|e| anyhow!("cannot set up S3 access to bucket {bucket}: {e}"))
}

fn env_endpoint() -> Option<String> {
    ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// The header that makes an S3 website answer an object's URL with a 301 to its value.
pub const WEBSITE_REDIRECT: &str = "x-amz-website-redirect-location";

/// The alias objects of the built site and where each redirects to, read from its
/// `_redirects` (`/news/old/ /news/new/ 301` → `news/old/index.html` → `/news/new/`).
fn redirect_objects(site: &FsPath) -> Result<BTreeMap<String, String>> {
    let text = match std::fs::read_to_string(site.join("_redirects")) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(e).context("cannot read _redirects"),
    };
    let mut out = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(from), Some(to)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Some(rel) = from.strip_prefix('/') else {
            continue;
        };
        let key = match rel.ends_with('/') || rel.is_empty() {
            true => format!("{rel}index.html"),
            false => rel.to_string(),
        };
        out.insert(key, to.to_string());
    }
    Ok(out)
}

struct Bucket {
    store: AmazonS3,
    /// Clients for alias objects, by site path: each sends that object's redirect.
    redirects: BTreeMap<String, AmazonS3>,
    prefix: String,
    /// `s3://bucket/prefix`, for messages.
    shown: String,
    endpoint: String,
}

impl Bucket {
    fn key(&self, rel: &str) -> Result<Path> {
        let key = if self.prefix.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.prefix)
        };
        Path::parse(&key).map_err(|e| anyhow!("{rel} cannot be an object name: {e}"))
    }

    fn rel<'a>(&self, key: &'a str) -> &'a str {
        if self.prefix.is_empty() {
            key
        } else {
            key.strip_prefix(&self.prefix)
                .and_then(|k| k.strip_prefix('/'))
                .unwrap_or(key)
        }
    }

    async fn deploy(
        &self,
        files: &[LocalFile],
        opts: &PublishOptions,
        progress: &Progress,
    ) -> Result<Report> {
        let listed = self.list().await?;
        let mut manifest = self.read_manifest().await?;
        let recorded = manifest.files.clone();
        let remote = self.what_is_there(files, &listed, &mut manifest).await?;
        let plan = Plan::new(files, &remote, opts.delete);
        plan.check_deletes(opts.max_deletes, opts.yes, &self.shown)?;
        if opts.dry_run {
            return Ok(Report::from_plan(&plan, true));
        }
        // Entries of objects that are gone, or that nobody can vouch for, are dropped.
        manifest
            .files
            .retain(|p, _| remote.get(p).is_some_and(|r| r.hash.is_some()));
        if plan.is_empty() {
            if manifest.files != recorded {
                self.write_manifest(&manifest).await?;
            }
            return Ok(Report::from_plan(&plan, false));
        }
        progress.begin(plan.uploads.len() + plan.deletes.len());

        let by_path: BTreeMap<&str, &LocalFile> =
            files.iter().map(|f| (f.path.as_str(), f)).collect();
        let total = plan.uploads.len();
        let mut done = 0;
        for kind in [Kind::Asset, Kind::Html, Kind::Feed] {
            let group: Vec<&LocalFile> =
                plan.group(kind).map(|u| by_path[u.path.as_str()]).collect();
            let mut uploads = futures_util::stream::iter(group)
                .map(|f| self.upload(f))
                .buffer_unordered(PARALLEL);
            while let Some(result) = uploads.next().await {
                match result {
                    Ok((f, etag)) => {
                        done += 1;
                        progress.uploaded(&f.path, f.size);
                        manifest.files.insert(
                            f.path.clone(),
                            Entry {
                                sha256: f.hash.clone(),
                                size: f.size,
                                etag,
                            },
                        );
                    }
                    Err(e) => {
                        drop(uploads);
                        // Remember what did get uploaded, if the server still listens.
                        self.write_manifest(&manifest).await.ok();
                        return Err(self.stopped(e, &format!("{done} of {total} uploads"), true));
                    }
                }
            }
        }

        let mut deletes = futures_util::stream::iter(&plan.deletes)
            .map(|rel| async move {
                let key = self.key(rel)?;
                self.store
                    .delete(&key)
                    .await
                    .map_err(|e| self.explain(format!("cannot delete {rel}"), e))?;
                Ok::<_, anyhow::Error>(rel)
            })
            .buffer_unordered(PARALLEL);
        let mut deleted = 0;
        while let Some(result) = deletes.next().await {
            match result {
                Ok(rel) => {
                    deleted += 1;
                    progress.deleted(rel);
                    manifest.files.remove(rel);
                }
                Err(e) => {
                    drop(deletes);
                    self.write_manifest(&manifest).await.ok();
                    return Err(self.stopped(
                        e,
                        &format!(
                            "all {total} uploads and {deleted} of {} deletions",
                            plan.deletes.len()
                        ),
                        false,
                    ));
                }
            }
        }
        self.write_manifest(&manifest)
            .await
            .map_err(|e| self.stopped(e, &format!("all {total} uploads"), false))?;
        Ok(Report::from_plan(&plan, false))
    }

    /// Every object under the prefix but the manifest, by site path.
    async fn list(&self) -> Result<BTreeMap<String, Listed>> {
        let prefix = if self.prefix.is_empty() {
            None
        } else {
            Some(Path::parse(&self.prefix).map_err(|e| anyhow!("bad prefix: {e}"))?)
        };
        let mut stream = self.store.list(prefix.as_ref());
        let mut out = BTreeMap::new();
        while let Some(meta) = stream.next().await {
            let meta =
                meta.map_err(|e| self.failed(self.explain("cannot list the objects".into(), e)))?;
            let rel = self.rel(meta.location.as_ref()).to_string();
            if rel == MANIFEST {
                continue;
            }
            out.insert(
                rel,
                Listed {
                    size: meta.size,
                    etag: meta.e_tag.as_deref().map(clean_etag),
                },
            );
        }
        Ok(out)
    }

    async fn read_manifest(&self) -> Result<Manifest> {
        let key = self.key(MANIFEST)?;
        let bytes = match self.store.get(&key).await {
            Ok(got) => got
                .bytes()
                .await
                .map_err(|e| self.failed(self.explain(format!("cannot read {MANIFEST}"), e)))?,
            Err(object_store::Error::NotFound { .. }) => return Ok(Manifest::default()),
            Err(e) => return Err(self.failed(self.explain(format!("cannot read {MANIFEST}"), e))),
        };
        // A manifest batmi cannot read is no worse than none: objects are checked one by one.
        Ok(serde_json::from_slice(&bytes).unwrap_or_default())
    }

    async fn write_manifest(&self, manifest: &Manifest) -> Result<()> {
        let key = self.key(MANIFEST)?;
        let body = serde_json::to_vec_pretty(&Manifest {
            version: 1,
            files: manifest.files.clone(),
        })?;
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, "application/json".into());
        attributes.insert(Attribute::CacheControl, "no-store".into());
        let put = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&key, PutPayload::from(body), put)
            .await
            .map_err(|e| self.explain(format!("cannot write {MANIFEST}"), e))?;
        Ok(())
    }

    /// What the bucket holds, by site path. The manifest vouches for an object while its size
    /// and ETag are the ones it recorded; other objects the build also has (same size) are
    /// asked for their hash metadata, and the manifest learns the answer.
    async fn what_is_there(
        &self,
        files: &[LocalFile],
        listed: &BTreeMap<String, Listed>,
        manifest: &mut Manifest,
    ) -> Result<BTreeMap<String, RemoteFile>> {
        let sizes: BTreeMap<&str, u64> = files.iter().map(|f| (f.path.as_str(), f.size)).collect();
        let mut remote = BTreeMap::new();
        let mut ask = Vec::new();
        for (rel, l) in listed {
            let vouched = manifest.files.get(rel).filter(|e| {
                e.size == l.size
                    && match (&e.etag, &l.etag) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    }
            });
            let hash = vouched.map(|e| e.sha256.clone());
            if hash.is_none() && sizes.get(rel.as_str()) == Some(&l.size) {
                ask.push(rel.as_str());
            }
            remote.insert(rel.clone(), RemoteFile { size: l.size, hash });
        }
        let mut heads = futures_util::stream::iter(ask)
            .map(|rel| async move {
                let key = self.key(rel)?;
                let got = self
                    .store
                    .get_opts(
                        &key,
                        GetOptions {
                            head: true,
                            ..GetOptions::default()
                        },
                    )
                    .await
                    .map_err(|e| self.failed(self.explain(format!("cannot look at {rel}"), e)))?;
                let hash = got
                    .attributes
                    .get(&Attribute::Metadata(HASH_METADATA.into()))
                    .map(|v| v.to_string());
                Ok::<_, anyhow::Error>((rel, hash, got.meta.e_tag.as_deref().map(clean_etag)))
            })
            .buffer_unordered(PARALLEL);
        while let Some(result) = heads.next().await {
            let (rel, hash, etag) = result?;
            if let Some(hash) = hash {
                let size = listed[rel].size;
                manifest.files.insert(
                    rel.to_string(),
                    Entry {
                        sha256: hash.clone(),
                        size,
                        etag,
                    },
                );
                remote.insert(
                    rel.to_string(),
                    RemoteFile {
                        size,
                        hash: Some(hash),
                    },
                );
            }
        }
        Ok(remote)
    }

    /// Puts one file with its type, cache lifetime and hash. Returns its ETag.
    async fn upload<'f>(&self, f: &'f LocalFile) -> Result<(&'f LocalFile, Option<String>)> {
        let key = self.key(&f.path)?;
        let bytes =
            std::fs::read(&f.abs).with_context(|| format!("cannot read {}", f.abs.display()))?;
        if local::hash_bytes(&bytes) != f.hash {
            bail!("{} changed while publishing", f.abs.display());
        }
        let mut attributes = Attributes::new();
        attributes.insert(
            Attribute::ContentType,
            crate::mime::content_type(&f.path).into(),
        );
        attributes.insert(Attribute::CacheControl, plan::cache_control(&f.path).into());
        attributes.insert(
            Attribute::Metadata(HASH_METADATA.into()),
            f.hash.clone().into(),
        );
        let put = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        let store = self.redirects.get(&f.path).unwrap_or(&self.store);
        let result = store
            .put_opts(&key, PutPayload::from(bytes), put)
            .await
            .map_err(|e| self.explain(format!("cannot upload {}", f.path), e))?;
        Ok((f, result.e_tag.as_deref().map(clean_etag)))
    }

    /// An S3 error in plain words: what batmi was doing, what the server said, and the
    /// likely cause.
    fn explain(&self, what: String, e: object_store::Error) -> anyhow::Error {
        let endpoint = &self.endpoint;
        let target = &self.shown;
        let message = condense(&e.to_string());
        let m = message.to_ascii_lowercase();
        let hint = if dropped(&e) {
            format!(
                "the storage server at {endpoint} could not be reached or dropped the connection: check the endpoint and the network"
            )
        } else if m.contains("nosuchbucket") || m.contains("bucket does not exist") {
            format!(
                "the bucket of {target} does not exist at {endpoint}: create it, or check its name and the endpoint"
            )
        } else if m.contains("status code: 403")
            || m.contains("accessdenied")
            || m.contains("signaturedoesnotmatch")
            || m.contains("invalidaccesskeyid")
        {
            format!(
                "{endpoint} refused the request: check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and that they may write to {target}"
            )
        } else {
            format!("the storage server at {endpoint} refused the request")
        };
        anyhow!("{what}: {message}\n  help: {hint}")
    }

    /// An error before anything was changed.
    fn failed(&self, e: anyhow::Error) -> anyhow::Error {
        e.context(format!("cannot publish to {}", self.shown))
    }

    /// An error part-way through: what was done, and that a rerun finishes the job.
    fn stopped(&self, e: anyhow::Error, done: &str, before_deletes: bool) -> anyhow::Error {
        let state = if before_deletes {
            "nothing was deleted; "
        } else {
            ""
        };
        anyhow!("{e:#}\n  help: {state}run the same batmi publish again to finish the job")
            .context(format!("publishing to {} stopped after {done}", self.shown))
    }
}

/// An S3 error body is XML; its code and message say all that helps.
fn condense(message: &str) -> String {
    let Some(start) = message.find("<?xml") else {
        return message.to_string();
    };
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let from = message.find(&open)? + open.len();
        let len = message[from..].find(&format!("</{name}>"))?;
        Some(message[from..from + len].to_string())
    };
    match (tag("Code"), tag("Message")) {
        (Some(code), Some(text)) => format!("{}{code} ({text})", &message[..start]),
        (Some(code), None) => format!("{}{code}", &message[..start]),
        _ => message.to_string(),
    }
}

/// True when the request never got an answer: no connection, or one cut or timed out.
fn dropped(e: &object_store::Error) -> bool {
    use object_store::client::{HttpError, HttpErrorKind};
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(h) = s.downcast_ref::<HttpError>() {
            return matches!(
                h.kind(),
                HttpErrorKind::Connect
                    | HttpErrorKind::Request
                    | HttpErrorKind::Timeout
                    | HttpErrorKind::Interrupted
            );
        }
        source = s.source();
    }
    false
}

/// ETags come quoted (`"abc"`) in some answers and bare in others.
fn clean_etag(e: &str) -> String {
    e.trim_matches('"').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_error_bodies_are_condensed_to_code_and_message() {
        let m = "GET x - Server returned non-2xx status code: 404 Not Found: <?xml version=\"1.0\"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><RequestId>1</RequestId></Error>";
        assert_eq!(
            condense(m),
            "GET x - Server returned non-2xx status code: 404 Not Found: NoSuchBucket (The specified bucket does not exist)"
        );
        assert_eq!(condense("plain"), "plain");
    }
}
