//! sigmap's integration tests: one binary (ripgrep's layout).

mod architecture;
#[cfg(feature = "cli")]
mod cli;
#[cfg(feature = "cli")]
mod cli_many;
#[cfg(feature = "cli")]
mod cli_maps;
#[cfg(feature = "cli")]
mod cli_points;
#[cfg(feature = "cli")]
mod cli_site;
mod compare;
mod correctness;
mod crosswalk;
mod data;
#[cfg(feature = "cli")]
mod examples;
mod fairness;
mod finite;
mod fuzz_corpus;
mod golden;
#[cfg(feature = "cli")]
mod hardening;
mod inputs;
mod layer_crs;
#[cfg(all(feature = "shapefile", feature = "geopackage"))]
mod layers;
mod live;
mod maps;
#[cfg(feature = "cli")]
mod outputs;
mod points;
mod props;
mod pysal;
mod server;
mod util;
mod weights;
