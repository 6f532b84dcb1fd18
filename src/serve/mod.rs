//! `batmi serve`: the site built into a private directory, served over HTTP, rebuilt on
//! every save with only the affected pages rewritten, and open browsers told to refresh.

pub mod files;
mod watch;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use crate::BuildOptions;
use crate::incremental::Incremental;
use files::Resolved;

/// What the server needs: where the site is, and a channel to the browsers.
pub struct Shared {
    pub out_dir: PathBuf,
    pub events: broadcast::Sender<String>,
    /// The current build error, shown to browsers that connect while it lasts.
    pub error: Mutex<Option<String>>,
    /// `--quiet`: say nothing but errors.
    pub quiet: bool,
}

/// How to serve.
pub struct ServeOptions {
    pub build: BuildOptions,
    pub addr: SocketAddr,
    /// Print errors only: no summary of each rebuild, no warnings.
    pub quiet: bool,
}

/// Builds, serves and watches until Ctrl-C. `ready` is called with the URL once listening.
pub fn run(opts: ServeOptions, ready: impl FnOnce(&str)) -> Result<()> {
    let out = tempfile::Builder::new()
        .prefix("batmi-serve-")
        .tempdir()
        .context("cannot create a private directory for the preview")?;
    let url = format!("http://{}", opts.addr);
    let mut build = opts.build;
    build.output = out.path().join("site");
    build.base_url = Some(url.clone());
    let (events, _) = broadcast::channel(64);
    let (inc, error) = match Incremental::start(build.clone()) {
        Ok((inc, report)) => {
            if !opts.quiet {
                for w in &report.warnings {
                    eprintln!("{w}");
                }
                println!(
                    "built {} files in {:.0} ms",
                    report.written,
                    report.elapsed.as_secs_f64() * 1000.0
                );
            }
            (Some(inc), None)
        }
        Err(e) => {
            let text = crate::error_text(&e);
            eprintln!("{text}");
            std::fs::create_dir_all(&build.output)?;
            (None, Some(text))
        }
    };
    let shared = Arc::new(Shared {
        out_dir: build.output.clone(),
        events,
        error: Mutex::new(error),
        quiet: opts.quiet,
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .context("cannot start the server runtime")?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(opts.addr))
        .with_context(|| {
            format!(
                "cannot listen on {}: is another server using the port? try --port",
                opts.addr
            )
        })?;
    let watcher = watch::start(build, inc, Arc::clone(&shared))?;
    ready(&url);
    let app = axum::Router::new()
        .route("/__batmi/events", get(events_handler))
        .fallback(file_handler)
        .with_state(shared);
    runtime.block_on(async {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                tokio::signal::ctrl_c().await.ok();
            })
            .await
    })?;
    drop(watcher);
    drop(out);
    if !opts.quiet {
        println!("stopped; the preview directory is removed");
    }
    Ok(())
}

async fn events_handler(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.events.subscribe();
    let current = shared
        .error
        .lock()
        .ok()
        .and_then(|e| e.clone())
        .map(|e| format!("error\n{e}"))
        .unwrap_or_else(|| "hello".into());
    let first = stream::once(async move { Ok(Event::default().data(current)) });
    let rest = stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(msg) => return Some((Ok(Event::default().data(msg)), rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
}

async fn file_handler(State(shared): State<Arc<Shared>>, req: Request<Body>) -> Response {
    let raw = req.uri().path().to_string();
    let shared2 = Arc::clone(&shared);
    let resolved = tokio::task::spawn_blocking(move || files::resolve(&shared2.out_dir, &raw))
        .await
        .unwrap_or(Resolved::NotFound);
    match resolved {
        Resolved::File(path) => send(&path, StatusCode::OK).await,
        Resolved::Redirect(to) => {
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
        }
        Resolved::Forbidden => (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
        Resolved::NotFound => {
            // The 404 page of the language the path is under (`/en/...` → `en/404.html`),
            // looked up in the output as it is now: a language added or a first build that
            // failed and was fixed later is served like any other.
            let first = req.uri().path().trim_start_matches('/');
            let first = first.split('/').next().unwrap_or("");
            let own = (crate::paths::segment_problem(first).is_none())
                .then(|| shared.out_dir.join(first).join("404.html"))
                .filter(|p| p.is_file());
            let page = own.unwrap_or_else(|| shared.out_dir.join("404.html"));
            if page.is_file() {
                send(&page, StatusCode::NOT_FOUND).await
            } else {
                (StatusCode::NOT_FOUND, "not found\n").into_response()
            }
        }
    }
}

async fn send(path: &std::path::Path, status: StatusCode) -> Response {
    let bytes = match tokio::fs::read(path).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::NOT_FOUND, "not found\n").into_response(),
    };
    let ctype = crate::mime::content_type(&path.to_string_lossy());
    let body = if ctype.starts_with("text/html") {
        Body::from(files::inject(&String::from_utf8_lossy(&bytes)))
    } else {
        Body::from(bytes)
    };
    let mut res = (status, body).into_response();
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&ctype) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    res
}
