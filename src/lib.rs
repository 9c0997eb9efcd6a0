//! # sigmap: the geography of UK Parliament petition signatures
//!
//! UK Parliament e-petitions publish, for every petition, its signatures per Westminster
//! constituency. sigmap joins those counts to constituency boundaries and election results
//! and turns them into evidence: density, rates per 1,000 electors and per 1,000 voters
//! (turnout-normalised), exact Poisson intervals, rankings, and maps.
//!
//! ## Quick start
//! ```
//! use sigmap::{Metric, Petition, Report};
//!
//! // A petition: API JSON (open, closed or archived; 2015 or current schema) or code,count CSV
//! let petition = Petition::from_str_named("code,count\nE14001063,120\nE14001064,80\n", "mine.csv")?;
//! // Joined to the shipped 2024 boundaries and GE2024 results, zero-filled to 650 seats
//! let report = Report::with_shipped_data(petition)?;
//! let table = &report.table;
//! assert_eq!(table.rows.len(), 650);
//! assert_eq!(table.completeness.assigned, 200);
//! let top = table.top(Metric::Per1kVoters, 1)[0];
//! assert_eq!(top.rank_per_1k_voters, 1);
//! // report.write_to_dir("out")? writes areas.geojson, areas.csv, summary.json, map.svg
//! # Ok::<(), sigmap::Error>(())
//! ```
//!
//! ## Modules
//! - [`petition`]: the e-petitions API model, JSON and CSV parsing.
//! - [`areas`]: boundary layers: code/name detection, ellipsoidal area, centroid, validity.
//! - [`batch`]: many petitions: one long table (petition x seat) and one row per petition.
//! - [`compare`]: two petitions seat by seat: correlation, bivariate Moran's I.
//! - [`crosswalk`]: 2010 seats to 2024 seats, population- or area-weighted.
//! - [`crs`]: WGS84 <-> British National Grid (OSTN15), the map projection, PROJ (feature).
//! - [`denominators`]: electorate and valid votes per seat.
//! - [`join`]: the code join, zero-fill, unmatched codes, signature accounting.
//! - [`metrics`]: rates, intervals, ranks and percentiles.
//! - [`export`]: GeoJSON, CSV, HexJSON, SVG maps (choropleth, hex cartogram, LISA, Gi*),
//!   PNG (feature) and Parquet / polars (feature).
//! - [`profile`]: one seat across petitions, for an MP's office; forgiving name search.
//! - [`ranking`]: rank intervals by simulation ("ranked 3rd, plausibly 1st-9th").
//! - [`unusual`]: observed against expected signatures: unusually high or low support.
//! - [`report`]: the whole job for one petition.
//! - [`index`]: which area holds a point: R-tree and edge grid, exact, parallel.
//! - [`points`]: points from CSV: coordinate columns, WGS84 / National Grid / EPSG, mistakes.
//! - [`weights`]: sparse spatial weights (queen, rook, k nearest, distance band), islands,
//!   components, GAL and GWT files.
//! - [`values`]: per-area values from a CSV, aligned to a layer (for `sigmap stats`).
//! - [`api`]: the petitions API over HTTP: fetch by number, archived petitions, lists, politely.
//! - [`snapshots`]: a petition's counts over time (an append-only store) and bursts of signing.
//! - [`stats`]: Moran's I, Geary's C, General G, local Moran and Gi*, as esda computes them.
//!
//! ## Features
//! | feature | default | what it adds |
//! |---|---|---|
//! | `cli` | ☑ | the `sigmap` binary (clap, anyhow) |
//! | `polars` | ☑ | `export::to_dataframe` (a polars DataFrame), Parquet output |
//! | `png` | ☑ | PNG maps (`SvgMap::render_png`, `export::svg_to_png`) through resvg, pure Rust, with an embedded OFL font |
//! | `proj` | ☐ | any EPSG code through PROJ (`crs::ToWgs84`); builds PROJ from source, needs cmake |
//!
//! ## Data and licences
//! The shipped boundaries (ONS), election results (House of Commons Library) and petitions
//! (petition.parliament.uk) are Crown copyright or Parliamentary copyright, reused under the
//! Open Government Licence v3.0 and the Open Parliament Licence v3.0; `data/MANIFEST` has
//! the source and checksum of every file.

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod api;
pub mod areas;
pub mod batch;
pub mod code;
pub mod compare;
pub mod crosswalk;
pub mod crs;
pub mod denominators;
pub mod error;
pub mod export;
pub mod index;
pub mod join;
pub mod metrics;
pub mod petition;
pub mod points;
pub mod profile;
pub mod ranking;
pub mod report;
pub mod snapshots;
pub mod stats;
pub mod unusual;
pub mod values;
pub mod weights;

// geo's polygon validity without its quadratic loops (used by `areas`)
mod validity;

pub use areas::{Area, Areas, GeometryIssue, LayerInfo, LayerOptions};
pub use code::{Vintage, VintageDetection};
pub use denominators::{Denominator, Denominators};
pub use error::{Error, Location, Result, excerpt, printable};
pub use export::{Centre, Classes, HexJson, Inset, Palette, Scheme, SvgMap};
pub use index::{AreaId, Nearest, PointCounts, SpatialIndex};
pub use join::{Completeness, Row, Table};
pub use metrics::Metric;
pub use petition::{Petition, Schema, SignatureCount};
pub use report::{Clustering, Report, ReportOptions, Summary};
pub use weights::{
    Contiguity, IslandPolicy, Transform, Weights, WeightsFormat, WeightsKind, WeightsSummary,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
