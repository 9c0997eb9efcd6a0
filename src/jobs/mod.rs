//! Whole jobs composed from the parts: the analysis of a petition against a layer
//! ([`analysis`]), the report on one petition ([`report`]) and what it says
//! ([`summary`]), many petitions at once ([`batch`]), two petitions side by side
//! ([`compare`]) and one seat across petitions ([`profile`]).

pub mod analysis;
pub mod batch;
pub mod compare;
pub mod profile;
pub mod report;
pub mod summary;
