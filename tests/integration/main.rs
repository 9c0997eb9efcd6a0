//! sigmap's integration tests: one binary (ripgrep's layout).

#[cfg(feature = "cli")]
mod cli;
#[cfg(feature = "cli")]
mod cli_maps;
#[cfg(feature = "cli")]
mod cli_points;
mod correctness;
mod data;
#[cfg(feature = "cli")]
mod examples;
mod golden;
mod inputs;
mod maps;
mod points;
mod props;
mod pysal;
mod util;
mod weights;
