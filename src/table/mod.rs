//! One row per seat: a petition joined to a layer and its denominators
//! ([`join`]), the metrics and ranks on it ([`metrics`]), how sure each rank is
//! ([`ranking`]) and where support is unusually high or low ([`unusual`]); what a report
//! adds to each seat, beside its row ([`analysis`]), and the output columns, listed once
//! ([`columns`]).

pub mod analysis;
pub mod columns;
pub mod join;
pub mod metrics;
mod pairwise_ranks;
pub mod ranking;
pub mod unusual;
