//! The `batmi` binary: parses the command line, runs the command, prints errors, sets the exit code.

mod cli;
mod cmd;
mod term;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: rendering allocates many short-lived strings on several threads, where it
/// measured clearly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let out = term::Out::new(&cli.output);
    let result = match &cli.command {
        cli::Command::Build(args) => cmd::build::run(args, &out),
        cli::Command::Serve(args) => cmd::serve::run(args, &out),
        cli::Command::Publish(args) => cmd::publish::run(args, &out),
        cli::Command::Check(args) => cmd::check::run(args, &out),
        cli::Command::New(args) => cmd::new::run(args, &out),
        cli::Command::Init(args) => cmd::init::run(args, &out),
        cli::Command::Completions(args) => cmd::completions::completions(args),
        cli::Command::Man(args) => cmd::completions::man(args, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            term::error(&e);
            ExitCode::FAILURE
        }
    }
}
