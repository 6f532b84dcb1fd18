//! The `batmi` binary: parses the command line, runs the command, prints errors, sets the exit code.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: rendering allocates many short-lived strings on several threads, where it
/// measured clearly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match &cli.command {
        cli::Command::Build(args) => cmd::build::run(args),
        cli::Command::Serve(args) => cmd::serve::run(args),
        cli::Command::Publish(args) => cmd::publish::run(args),
        cli::Command::Check(args) => cmd::check::run(args),
        cli::Command::New(args) => cmd::new::run(args),
        cli::Command::Init(args) => cmd::init::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(site) = e.downcast_ref::<batmi::SiteErrors>() {
                eprintln!("{site}");
            } else {
                eprintln!("error: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}
