//! Checking external links: many at once, a few per host, each with a time limit.
//!
//! ureq (with rustls) is a small blocking client; a handful of threads share one queue, and
//! a worker takes the first URL whose host has fewer than `per_host` requests in flight, so
//! one slow site never holds up the others and no site gets a burst of requests.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// Most requests in flight at once, over all hosts.
const WORKERS: usize = 16;

/// What an external URL answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkStatus {
    /// 2xx (after redirects) or another answer that is not a failure.
    Ok(u16),
    /// 404 or 410: the page is not there.
    Gone(u16),
    /// Another 4xx or 5xx: possibly a server refusing robots, or down for now.
    Failing(u16),
    /// No answer: DNS, connection, TLS or the time limit.
    Unreachable(String),
}

struct Queue {
    pending: VecDeque<usize>,
    in_flight: HashMap<String, usize>,
}

/// Requests every URL and returns their statuses in the same order.
pub fn check_urls(urls: &[String], timeout: Duration, per_host: usize) -> Vec<LinkStatus> {
    let per_host = per_host.max(1);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("batmi-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let hosts: Vec<String> = urls.iter().map(|u| host_of(u)).collect();
    let queue = Mutex::new(Queue {
        pending: (0..urls.len()).collect(),
        in_flight: HashMap::new(),
    });
    let wake = Condvar::new();
    let results: Mutex<Vec<Option<LinkStatus>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|s| {
        for _ in 0..WORKERS.min(urls.len()) {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                        loop {
                            if q.pending.is_empty() {
                                return;
                            }
                            let Queue { pending, in_flight } = &mut *q;
                            let free = pending.iter().position(|&i| {
                                in_flight.get(&hosts[i]).copied().unwrap_or(0) < per_host
                            });
                            if let Some(pos) = free {
                                let i = pending.remove(pos).expect("position is in range");
                                *in_flight.entry(hosts[i].clone()).or_default() += 1;
                                break i;
                            }
                            q = wake.wait(q).unwrap_or_else(|e| e.into_inner());
                        }
                    };
                    let status = fetch(&agent, &urls[i]);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(status);
                    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                    if let Some(n) = q.in_flight.get_mut(&hosts[i]) {
                        *n -= 1;
                    }
                    wake.notify_all();
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or_else(|| LinkStatus::Unreachable("not checked".into())))
        .collect()
}

fn fetch(agent: &ureq::Agent, url: &str) -> LinkStatus {
    match agent.get(url).call() {
        Ok(response) => {
            let code = response.status().as_u16();
            // The body is dropped unread: only the status matters.
            match code {
                404 | 410 => LinkStatus::Gone(code),
                400.. => LinkStatus::Failing(code),
                _ => LinkStatus::Ok(code),
            }
        }
        Err(ureq::Error::Timeout(_)) => {
            LinkStatus::Unreachable("no answer within the time limit".into())
        }
        Err(e) => LinkStatus::Unreachable(e.to_string()),
    }
}

/// `https://user@Example.com:8443/x` → `example.com:8443`: what the per-host limit counts.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    authority.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_ignore_user_and_path() {
        assert_eq!(
            host_of("https://u:p@Example.com:8443/x?y"),
            "example.com:8443"
        );
        assert_eq!(host_of("http://127.0.0.1:9/a"), "127.0.0.1:9");
    }
}
