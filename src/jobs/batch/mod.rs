//! Many petitions at once: one long table (petition x seat, every metric) and one row per
//! petition, in bounded memory.
//!
//! [`Batch`] loads each constituency set's boundaries, denominators and weights once and
//! analyses petitions in parallel chunks; each chunk is handed to the sink in input order
//! before the next is read, so memory depends on the chunk size, not on the number of
//! petitions, and the output does not depend on the number of threads.

mod sinks;

pub use sinks::CsvSink;
#[cfg(feature = "polars")]
pub use sinks::{HIVE_NULL, ParquetSink, PartitionedParquetSink};

use crate::error::{IoAction, Result};
use crate::inputs::code::Vintage;
use crate::inputs::crosswalk::Crosswalk;
use crate::inputs::petition::Petition;
use crate::jobs::analysis::{Analyser, Analysis, ReportOptions};
use crate::jobs::summary::Summary;
use crate::table::analysis::Analysed;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

/// One petition of a batch, summarised (a row of `petitions.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[non_exhaustive]
pub struct PetitionRow {
    /// The file read.
    pub source: String,
    /// Petition number.
    pub petition_id: Option<u64>,
    /// Title.
    pub title: String,
    /// State.
    pub state: String,
    /// Constituency set of the analysis (`2010`, `2024`).
    pub vintage: Option<String>,
    /// Total signatures.
    pub total: u64,
    /// Signatures from the UK.
    pub uk_total: u64,
    /// Signatures in a constituency of the layer.
    pub assigned: u64,
    /// `uk_total - assigned`.
    pub unassigned: i64,
    /// Seats the petition lists.
    pub areas_listed: usize,
    /// Signatures per 1,000 voters over all seats.
    pub overall_per_1k_voters: f64,
    /// Moran's I of signatures per 1,000 voters.
    pub moran_i: Option<f64>,
    /// Its pseudo p-value.
    pub moran_p_sim: Option<f64>,
    /// Number of hot-spot regions.
    pub hot_spots: Option<usize>,
    /// Seats with unusually high support.
    pub unusually_high: Option<usize>,
    /// The top seat by signatures per 1,000 voters.
    pub top_code: Option<String>,
    /// Its name.
    pub top_name: Option<String>,
    /// Its rate.
    pub top_per_1k_voters: Option<f64>,
    /// Why the petition could not be analysed, if it could not.
    pub error: Option<String>,
}

impl PetitionRow {
    fn new(petition: &Petition, summary: &Summary) -> PetitionRow {
        let c = &summary.completeness;
        let top = summary.top_per_1k_voters.first();
        let clustering = summary.clustering.as_ref();
        PetitionRow {
            source: petition.source.clone(),
            petition_id: petition.id,
            title: petition.title.clone(),
            state: petition.state.clone(),
            vintage: c.vintage.map(|v| v.label().to_string()),
            total: c.total,
            uk_total: c.uk_total,
            assigned: c.assigned,
            unassigned: c.unassigned,
            areas_listed: c.areas_listed,
            overall_per_1k_voters: summary.overall_per_1k_voters,
            moran_i: clustering.map(|c| c.moran.i),
            moran_p_sim: clustering.and_then(|c| c.moran.p_sim),
            hot_spots: clustering.map(|c| c.hot_spots.len()),
            unusually_high: summary.unusual.map(|u| u.high),
            top_code: top.map(|t| t.code.clone()),
            top_name: top.map(|t| t.name.clone()),
            top_per_1k_voters: top.map(|t| t.per_1k_voters),
            error: None,
        }
    }

    fn failed(source: &Path, error: &crate::Error) -> PetitionRow {
        PetitionRow {
            source: source.display().to_string(),
            error: Some(error.to_string()),
            ..PetitionRow::default()
        }
    }
}

/// What a batch hands its sink for each petition: the summary row, and the table with the
/// analysis of its seats when the petition could be analysed.
pub trait Sink {
    /// Takes one petition's results, in input order.
    ///
    /// # Errors
    /// Whatever writing fails with; the batch stops.
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()>;

    /// Takes several petitions' results, in input order: by default one by one through
    /// [`Sink::accept`]; a sink with work that can be done in parallel (the Parquet sink
    /// builds each petition's frame) overrides it.
    ///
    /// # Errors
    /// As [`Sink::accept`].
    fn accept_all(&mut self, results: &[(&PetitionRow, Option<Analysed<'_>>)]) -> Result<()> {
        for &(row, table) in results {
            self.accept(row, table)?;
        }
        Ok(())
    }
}

/// Analyses many petitions against the shipped layers of their constituency sets.
pub struct Batch {
    options: ReportOptions,
    crosswalk: Option<Crosswalk>,
    chunk: usize,
    layers: [OnceLock<Analyser>; 2],
    /// Held while a layer loads, so that parallel petitions load it once (one lock a
    /// layer: the two load at the same time).
    loading: [Mutex<()>; 2],
}

impl Batch {
    /// A batch with these report options (the default: 999 permutations, pairwise rank
    /// intervals).
    pub fn new(options: ReportOptions) -> Batch {
        Batch {
            options,
            crosswalk: None,
            chunk: 8 * rayon::current_num_threads().max(1),
            layers: [OnceLock::new(), OnceLock::new()],
            loading: [Mutex::new(()), Mutex::new(())],
        }
    }

    /// Re-expresses 2010 petitions on the 2024 seats through this crosswalk.
    #[must_use]
    pub fn crosswalk(mut self, crosswalk: Crosswalk) -> Batch {
        self.crosswalk = Some(crosswalk);
        self
    }

    /// Petitions analysed in parallel at a time (default eight per thread); the next two
    /// chunks are analysed while one is handed to the sink.
    #[must_use]
    pub fn chunk(mut self, chunk: usize) -> Batch {
        self.chunk = chunk.max(1);
        self
    }

    fn layer(&self, vintage: Vintage) -> Result<&Analyser> {
        let which = usize::from(vintage == Vintage::Pcon2024);
        let slot = &self.layers[which];
        if let Some(layer) = slot.get() {
            return Ok(layer);
        }
        let _loading = self.loading[which]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(layer) = slot.get() {
            return Ok(layer);
        }
        // a shipped layer that fails to load is that error (with its file), petition by
        // petition: nothing is kept of a failure
        let layer = Analyser::shipped(vintage, self.options)?;
        Ok(slot.get_or_init(|| layer))
    }

    /// Reads and analyses one petition file: its summary row and its analysis.
    ///
    /// # Errors
    /// As [`Petition::from_path`] and [`crate::Report::with_shipped_data`].
    pub fn analyse(&self, path: &Path) -> Result<(PetitionRow, Analysis)> {
        self.analyse_read(&self.read(path)?)
    }

    /// Reads one petition file, re-expressed through the crosswalk if it has one, with its
    /// constituency set (found once: it takes a look-up of every code).
    fn read(&self, path: &Path) -> Result<(Petition, Vintage)> {
        let mut petition = Petition::from_path(path)?;
        let mut vintage = petition.vintage()?;
        if let Some(cw) = &self.crosswalk
            && vintage == cw.from
        {
            petition = cw.apply(&petition)?;
            vintage = petition.vintage()?;
        }
        Ok((petition, vintage))
    }

    fn analyse_read(
        &self,
        (petition, vintage): &(Petition, Vintage),
    ) -> Result<(PetitionRow, Analysis)> {
        let analysis = self.layer(*vintage)?.analyse(petition)?;
        Ok((PetitionRow::new(petition, &analysis.summary), analysis))
    }

    /// Analyses every file, in order, handing each result to `sink`; a petition that fails
    /// is reported in its row's `error` and the batch goes on. Returns the rows.
    ///
    /// # Errors
    /// The sink's errors; options that cannot work (see [`crate::stats::Permutations::check`])
    /// before any petition is read.
    pub fn run(&self, paths: &[PathBuf], sink: &mut dyn Sink) -> Result<Vec<PetitionRow>> {
        self.options.permutations.check()?;
        let mut rows = Vec::with_capacity(paths.len());
        // Chunks are analysed on another thread, up to AHEAD chunks ahead of the sink, so
        // that writing (a Parquet row group is compressed on one thread) does not leave the
        // other threads idle. The sink stays on the caller's thread (Python checks for
        // Ctrl-C there); at most AHEAD + 2 chunks are held, however long the batch.
        const AHEAD: usize = 2;
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel(AHEAD);
            let analyser = scope.spawn(move || {
                for chunk in paths.chunks(self.chunk) {
                    // the sink failed: stop
                    if tx.send(self.analyse_all(chunk)).is_err() {
                        break;
                    }
                }
            });
            for analysed in rx {
                let results: Vec<_> = analysed
                    .iter()
                    .map(|(row, analysis)| (row, analysis.as_ref().map(Analysis::analysed)))
                    .collect();
                sink.accept_all(&results)?;
                drop(results);
                let (chunk_rows, analyses): (Vec<_>, Vec<_>) = analysed.into_iter().unzip();
                rows.extend(chunk_rows);
                // freed on the pool: this thread's work is the batch's one serial part
                rayon::spawn(move || drop(analyses));
            }
            // every chunk was sent, unless the analysing thread panicked
            analyser
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            Ok(rows)
        })
    }

    /// The rows and analyses of some petitions, in order, analysed in parallel.
    ///
    /// The petitions are read first, then the layers they need are loaded, both at once,
    /// before any is analysed: a pool thread that waited on another's layer would leave its
    /// core idle.
    fn analyse_all(&self, paths: &[PathBuf]) -> Vec<(PetitionRow, Option<Analysis>)> {
        let petitions: Vec<Result<(Petition, Vintage)>> =
            paths.par_iter().map(|p| self.read(p)).collect();
        let needs = |vintage| {
            petitions
                .iter()
                .any(|p| p.as_ref().is_ok_and(|&(_, v)| v == vintage))
        };
        // a layer that fails to load is reported by each of its petitions below
        let load = |vintage| {
            if needs(vintage) {
                let _ = self.layer(vintage);
            }
        };
        rayon::join(|| load(Vintage::Pcon2010), || load(Vintage::Pcon2024));
        paths
            .par_iter()
            .zip(petitions)
            .map(|(path, petition)| {
                match petition.and_then(|petition| self.analyse_read(&petition)) {
                    Ok((row, analysis)) => (row, Some(analysis)),
                    Err(e) => (PetitionRow::failed(path, &e), None),
                }
            })
            .collect()
    }
}

/// The petition files of a list of files and directories: a directory stands for its
/// `.json` and `.csv` entries, sorted by name. Nothing is dropped in silence: a path that
/// does not exist, and a dangling symbolic link in a directory, are kept, so that
/// [`Batch::run`] gives each an error row (the file cannot be read) and the batch goes on.
///
/// # Errors
/// [`crate::Error::Io`] for a directory that cannot be read.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut files = Vec::new();
            for entry in
                std::fs::read_dir(input).map_err(|e| crate::Error::io(input, IoAction::Read, e))?
            {
                let entry = entry.map_err(|e| crate::Error::io(input, IoAction::Read, e))?;
                let p = entry.path();
                let petition_like = p.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("csv")
                });
                // a file, or a link to one, or a link to nothing (an error row, not silence)
                let dangling = entry.file_type().is_ok_and(|t| t.is_symlink()) && !p.exists();
                if petition_like && (p.is_file() || dangling) {
                    files.push(p);
                }
            }
            files.sort();
            out.extend(files);
        } else {
            // a file, or a path that does not exist: its row will say so
            out.push(input.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what it is handed, and fails on the `fail_at`-th petition.
    struct Record {
        seen: Vec<(String, Option<usize>)>,
        fail_at: Option<usize>,
    }

    impl Sink for Record {
        fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()> {
            if self.fail_at == Some(self.seen.len()) {
                return Err(crate::Error::io(
                    "sink",
                    IoAction::Write,
                    std::io::ErrorKind::StorageFull.into(),
                ));
            }
            self.seen
                .push((row.source.clone(), table.map(|t| t.table().rows.len())));
            Ok(())
        }
    }

    /// Chunks analysed ahead of the sink reach it in input order, whatever their size; a
    /// failing sink stops the batch with its error.
    #[test]
    fn the_sink_sees_every_petition_in_order_and_can_stop_the_batch() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/petitions");
        let mut paths = expand_inputs(&[dir]).unwrap();
        paths.push("missing.json".into());
        let options = ReportOptions::default()
            .permutations(crate::stats::Permutations::new(0))
            .ranks(crate::RankSimulation::new(0));
        let run = |chunk: usize, fail_at: Option<usize>| {
            let mut sink = Record {
                seen: Vec::new(),
                fail_at,
            };
            let rows = Batch::new(options).chunk(chunk).run(&paths, &mut sink);
            (rows, sink.seen)
        };
        let (rows, seen) = run(1, None);
        let rows = rows.unwrap();
        let sources: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            rows.iter().map(|r| r.source.clone()).collect::<Vec<_>>(),
            sources
        );
        assert_eq!(
            seen.iter().map(|s| s.0.clone()).collect::<Vec<_>>(),
            sources
        );
        assert_eq!(
            seen.last().unwrap().1,
            None,
            "the missing file has no table"
        );
        assert!(seen[..seen.len() - 1].iter().all(|s| s.1 == Some(650)));
        for chunk in [2, 3, 100] {
            assert_eq!(run(chunk, None).1, seen, "chunk {chunk}");
        }
        let (failed, seen) = run(2, Some(3));
        assert!(failed.unwrap_err().to_string().contains("sink"));
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn nothing_is_dropped_in_silence() {
        // See: #15
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.json"), "{}").unwrap();
        std::fs::write(d.join("notes.txt"), "x").unwrap();
        std::fs::create_dir(d.join("sub.json")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(d.join("gone.json"), d.join("b.json")).unwrap();
        let missing = d.join("missing.csv");
        let got = expand_inputs(&[d.to_path_buf(), missing.clone()]).unwrap();
        let mut want = vec![d.join("a.json")];
        #[cfg(unix)]
        want.push(d.join("b.json"));
        want.push(missing);
        assert_eq!(got, want);
    }
}
