//! The whole job for one petition: join, metrics, rankings and every output file.

use crate::areas::{Areas, GeometryIssue, LayerInfo};
use crate::denominators::Denominators;
use crate::error::{Error, Result};
use crate::export::{self, Classes, SvgMap};
use crate::join::{Completeness, Table};
use crate::metrics::Metric;
use crate::petition::{Petition, Schema, SignatureCount};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// How many seats the summary lists.
pub const TOP_N: usize = 10;

/// What `summary.json` holds: the petition, the accounting, the layer and the top seats.
/// No timestamps: the same inputs give the same bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// sigmap's version.
    pub sigmap_version: &'static str,
    /// The petition.
    pub petition: PetitionInfo,
    /// Signature accounting.
    pub completeness: Completeness,
    /// Counts under codes that match no area.
    pub unmatched: Vec<SignatureCount>,
    /// The boundary layer (name, hash, properties, vintage).
    pub layer: LayerInfo,
    /// Areas with invalid or empty geometry (kept, and measured as they are).
    pub geometry_issues: Vec<GeometryIssue>,
    /// The denominators' source.
    pub denominators: String,
    /// The election the denominators come from, for the constituency sets.
    pub election: Option<&'static str>,
    /// Signatures per 1,000 electors over all areas.
    pub overall_per_1k_electors: f64,
    /// Signatures per 1,000 voters over all areas.
    pub overall_per_1k_voters: f64,
    /// The top seats by signatures per 1,000 voters.
    pub top_per_1k_voters: Vec<TopSeat>,
}

/// The petition, as the summary describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PetitionInfo {
    /// Petition number.
    pub id: Option<u64>,
    /// Title.
    pub title: String,
    /// State.
    pub state: String,
    /// From a past Parliament.
    pub archived: bool,
    /// For archived petitions, the Parliament's period.
    pub parliament: Option<String>,
    /// Its page.
    pub url: Option<String>,
    /// Opening time.
    pub opened_at: Option<String>,
    /// When the counts were saved.
    pub updated_at: Option<String>,
    /// Input layout.
    pub schema: Schema,
    /// The file read.
    pub source: String,
}

/// One seat of the top list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TopSeat {
    /// Rank by signatures per 1,000 voters.
    pub rank: u32,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Signatures.
    pub signatures: u64,
    /// Electorate.
    pub electorate: u64,
    /// Valid votes.
    pub valid_votes: u64,
    /// Signatures per 1,000 voters.
    pub per_1k_voters: f64,
    /// Signatures per 1,000 electors.
    pub per_1k_electors: f64,
    /// Exact Poisson 95% interval on `per_1k_electors`.
    pub ci95_low: f64,
    /// Upper bound.
    pub ci95_high: f64,
}

/// A petition analysed against a boundary layer: the table of every area, the summary, and
/// the writers of `areas.geojson`, `areas.csv`, `summary.json` and `map.svg`.
#[derive(Debug, Clone)]
pub struct Report {
    /// The petition.
    pub petition: Petition,
    /// The boundary layer.
    pub areas: Areas,
    /// One row per area.
    pub table: Table,
    /// The summary.
    pub summary: Summary,
}

impl Report {
    /// Joins and measures a petition against the given layer and denominators.
    ///
    /// # Errors
    /// As [`Table::join`].
    pub fn new(petition: Petition, areas: Areas, denominators: &Denominators) -> Result<Report> {
        let table = Table::join(&petition, &areas, denominators)?;
        let summary = summarise(&petition, &areas, &table);
        Ok(Report {
            petition,
            areas,
            table,
            summary,
        })
    }

    /// Uses the boundaries and election results that ship with sigmap, for the constituency
    /// set detected from the petition's codes (the 2024 set if only the five codes both
    /// sets share appear).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Petition, Report, Vintage};
    /// let petition = Petition::from_str_named("E14000530,10\nS14000001,3\nXX,1\n", "p.csv")?;
    /// let report = Report::with_shipped_data(petition)?;
    /// assert_eq!(report.table.completeness.vintage, Some(Vintage::Pcon2010));
    /// assert_eq!(report.table.unmatched[0].code, "XX"); // reported, not dropped
    /// assert_eq!(report.summary.top_per_1k_voters.len(), 10);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownVintage`] if no code is a constituency of either set; else as
    /// [`Report::new`].
    pub fn with_shipped_data(petition: Petition) -> Result<Report> {
        let vintage = petition.vintage()?;
        let areas = Areas::shipped(vintage)?;
        let denominators = Denominators::shipped(vintage)?;
        Report::new(petition, areas, &denominators)
    }

    /// Writes `areas.geojson`, `areas.csv`, `summary.json` and `map.svg` (and, with the
    /// `polars` feature, `areas.parquet`) into `dir`, creating it if needed. Returns the
    /// paths written.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file that could not be written.
    pub fn write_to_dir(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create", e))?;
        let mut written = Vec::new();
        let mut file = |name: &str,
                        write: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>|
         -> Result<()> {
            let path = dir.join(name);
            export::to_file(&path, write)?;
            written.push(path);
            Ok(())
        };
        file("areas.geojson", &|w| {
            export::write_geojson(&self.table, &self.areas, w)
        })?;
        file("areas.csv", &|w| export::write_csv(&self.table, w))?;
        file("summary.json", &|w| {
            serde_json::to_writer_pretty(&mut *w, &self.summary)?;
            w.write_all(b"\n")
        })?;
        file("map.svg", &|w| self.map().write_to(w))?;
        #[cfg(feature = "polars")]
        {
            let path = dir.join("areas.parquet");
            let f = std::fs::File::create(&path).map_err(|e| Error::io(&path, "create", e))?;
            export::write_parquet(&self.table, f)?;
            written.push(path);
        }
        Ok(written)
    }

    /// The default map: signatures per 1,000 voters in 5 quantile classes, titled with the
    /// petition. Adjust it with the [`SvgMap`] builder methods.
    pub fn map(&self) -> SvgMap<'_> {
        let title = match self.petition.id {
            Some(id) => format!("{} (petition {id})", self.petition.title),
            None => self.petition.title.clone(),
        };
        SvgMap::new(&self.table, &self.areas)
            .metric(Metric::Per1kVoters)
            .classes(Classes::Quantile(5))
            .title(title)
    }
}

fn summarise(petition: &Petition, areas: &Areas, table: &Table) -> Summary {
    let electorate: u64 = table.rows.iter().map(|r| r.electorate).sum();
    let voters: u64 = table.rows.iter().map(|r| r.valid_votes).sum();
    let assigned = table.completeness.assigned as f64;
    Summary {
        sigmap_version: env!("CARGO_PKG_VERSION"),
        petition: PetitionInfo {
            id: petition.id,
            title: petition.title.clone(),
            state: petition.state.clone(),
            archived: petition.archived,
            parliament: petition.parliament.clone(),
            url: petition.url(),
            opened_at: petition.opened_at.clone(),
            updated_at: petition.updated_at.clone(),
            schema: petition.schema,
            source: petition.source.clone(),
        },
        completeness: table.completeness.clone(),
        unmatched: table.unmatched.clone(),
        layer: table.layer.clone(),
        geometry_issues: areas.issues.clone(),
        denominators: table.denominators.clone(),
        election: table.election,
        overall_per_1k_electors: if electorate > 0 {
            1000.0 * assigned / electorate as f64
        } else {
            0.0
        },
        overall_per_1k_voters: if voters > 0 {
            1000.0 * assigned / voters as f64
        } else {
            0.0
        },
        top_per_1k_voters: table
            .top(Metric::Per1kVoters, TOP_N)
            .into_iter()
            .map(|r| TopSeat {
                rank: r.rank_per_1k_voters,
                code: r.code.clone(),
                name: r.name.clone(),
                signatures: r.signatures,
                electorate: r.electorate,
                valid_votes: r.valid_votes,
                per_1k_voters: r.per_1k_voters,
                per_1k_electors: r.per_1k_electors,
                ci95_low: r.ci95_low,
                ci95_high: r.ci95_high,
            })
            .collect(),
    }
}
