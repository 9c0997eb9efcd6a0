//! Whole jobs composed from the parts: the analysis of a petition against a layer
//! ([`analysis`]), the report on one petition ([`report`]) and what it says
//! ([`summary`]), many petitions at once ([`batch`]), two petitions side by side
//! ([`compare`]), one seat across petitions ([`profile`]) and a publishable site of
//! petitions ([`site`]).

pub mod analysis;
pub mod batch;
// `Summary::caveats`, for the pages that show a report
mod caveats;
pub mod compare;
pub mod profile;
pub mod report;
pub mod site;
pub mod summary;
