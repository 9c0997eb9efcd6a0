//! One row per seat: a petition joined to a layer and its denominators
//! ([`join`]), the metrics and ranks on it ([`metrics`]), how sure each rank is
//! ([`ranking`]) and where support is unusually high or low ([`unusual`]).

pub mod join;
pub mod metrics;
pub mod ranking;
pub mod unusual;
