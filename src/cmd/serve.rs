//! `batmi serve`: live preview while editors write.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::term::Out;

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address exposes the preview to the network.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include stories marked draft = true.
    #[arg(long)]
    pub drafts: bool,
    /// Include stories dated in the future (to preview a scheduled story).
    #[arg(long)]
    pub future: bool,
}

pub fn run(args: &ServeArgs, out: &Out) -> Result<()> {
    if !args.bind.is_loopback() {
        // Said even with --quiet: it is about who can read the drafts.
        crate::term::always(&format!(
            "warning: listening on {}: anyone who can reach this machine can read the preview, drafts included",
            args.bind
        ));
    }
    let mut build = batmi::BuildOptions::new(&args.root);
    build.drafts = args.drafts;
    build.future = args.future;
    let opts = batmi::serve::ServeOptions {
        build,
        addr: SocketAddr::new(args.bind, args.port),
        quiet: out.quiet(),
    };
    let open = args.open;
    let out = *out;
    batmi::serve::run(opts, move |url| {
        out.say(format!(
            "serving {url}/ (Ctrl-C to stop); watching content/, templates/, static/ and config.toml"
        ));
        if open {
            open_browser(&format!("{url}/"));
        }
    })
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        crate::term::always(&format!(
            "warning: could not open a browser; open {url} yourself"
        ));
    }
}
