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
            if cli::output::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            gatecheck::note!("gatecheck: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
