//! The `gatecheck` binary: parses the command line, runs the command, prints any error with its
//! whole chain, and maps the outcome to the exit status (0 passed, 1 a gate failed, 2 error).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(cli::Exit::Passed) => ExitCode::SUCCESS,
        Ok(cli::Exit::Failed) => ExitCode::from(1),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            #[expect(clippy::print_stderr, reason = "main reports errors")]
            {
                eprintln!("gatecheck: error: {err:#}");
            }
            ExitCode::from(2)
        }
    }
}

/// A reader that stops early (`gatecheck check | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
