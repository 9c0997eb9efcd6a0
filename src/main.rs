//! The `sigmap` command line: parse arguments, run, map errors to exit codes.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // a closed pipe (`sigmap ... | head`) is not a failure
            if err.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            // a message may quote a file or a server: no raw control characters
            eprintln!("sigmap: {}", sigmap::printable(&format!("{err:#}"), true));
            let input = err
                .downcast_ref::<sigmap::Error>()
                .is_some_and(sigmap::Error::is_input);
            ExitCode::from(if input { 2 } else { 1 })
        }
    }
}

/// Whether an error is a write to a closed pipe, however wrapped: an I/O error, or one
/// inside a CSV or JSON writer's error (which do not give it as their source).
fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    let csv_pipe =
        |c: &csv::Error| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe);
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return io.kind() == BrokenPipe || io.get_ref().is_some_and(|inner| is_broken_pipe(inner));
    }
    if let Some(c) = e.downcast_ref::<csv::Error>() {
        return csv_pipe(c);
    }
    e.downcast_ref::<serde_json::Error>()
        .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
}
