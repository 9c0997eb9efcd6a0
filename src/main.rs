//! The `sigmap` command line: parse arguments, run, map errors to exit codes.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // a closed pipe (`sigmap ... | head`) is not a failure
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("sigmap: {err:#}");
            let input = err
                .downcast_ref::<sigmap::Error>()
                .is_some_and(sigmap::Error::is_input);
            ExitCode::from(if input { 2 } else { 1 })
        }
    }
}
