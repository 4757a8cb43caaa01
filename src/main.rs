//! The `plansearch` binary: parse the command line, run it, map errors to
//! exit codes (0 found, 1 nothing found, 2 error), as ripgrep does.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // lopdf warns of every encrypted PDF on its own; plansearch reports such a
    // file with its path and what to do, so lopdf's line would only repeat it.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn,lopdf=error"))
        .init();
    let cli =
        plansearch::cli::Cli::parse_from(plansearch::cli::exclusions_as_words(std::env::args_os()));
    match plansearch::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("plansearch: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Output piped into `head` that closes early is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
