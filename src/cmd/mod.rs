//! One module per subcommand: its arguments and its `run`.

pub mod build;
pub mod check;
pub mod completions;
pub mod init;
pub mod new;
pub mod publish;
pub mod serve;
