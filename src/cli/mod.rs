//! The command line: arguments (clap), one function per subcommand, terminal output.
//! Everything it computes comes from the library's public API.

mod args;
mod commands;
mod live;
mod many;
mod output;

use clap::Parser;

/// Parses the arguments and runs the subcommand.
pub fn run() -> anyhow::Result<()> {
    let cli = args::Cli::parse();
    live::set_api(cli.api.clone(), cli.timeout);
    // a user's layer is checked for overlaps and gaps once, not on every run
    sigmap::LayerTopology::set_cache_dir(sigmap::LayerTopology::default_cache_dir());
    match cli.command {
        args::Command::Report(a) => commands::report(&a),
        args::Command::Map(a) => commands::map(&a),
        args::Command::Stats(a) => commands::stats(&a),
        args::Command::Locate(a) => commands::locate(&a),
        args::Command::JoinPoints(a) => commands::join_points(&a),
        args::Command::Batch(a) => many::batch(&a),
        args::Command::Compare(a) => many::compare(&a),
        args::Command::Mp(a) => many::mp(&a),
        args::Command::Site(a) => many::site(&a),
        args::Command::Fetch(a) => live::fetch(&a),
        args::Command::List(a) => live::list(&a),
        args::Command::Watch(a) => live::watch(&a),
        args::Command::Velocity(a) => live::velocity(&a),
    }
}
