//! `batch` and `mp_profile`: the jobs over many petitions (`sigmap batch`, `sigmap mp`),
//! built on the library's `Batch` and `Analyser`, so the layer and its weights are built
//! once per constituency set whatever the number of petitions.

use std::path::PathBuf;

use pyo3::prelude::*;

use sigmap::export::ColumnType;

use sigmap::{
    Analysed, Analyser, Areas, Batch, Crosswalk, CsvSink, Denominators, Error, IoAction,
    PetitionRow, SeatProfile, Sink, Vintage, find_constituency,
};

use crate::report::{crosswalked, parse_to, report_options};
use crate::{InternalError, Petition, to_py};

/// The long table as CSV text, and a pending Ctrl-C checked after every petition.
struct Collect {
    csv: CsvSink<Vec<u8>>,
    interrupted: Option<PyErr>,
}

impl Sink for Collect {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> sigmap::Result<()> {
        self.accept_all(&[(row, table)])
    }

    /// The chunk's lines are made in parallel (`CsvSink::accept_all`), after a look for
    /// Ctrl-C.
    fn accept_all(
        &mut self,
        results: &[(&PetitionRow, Option<Analysed<'_>>)],
    ) -> sigmap::Result<()> {
        // a KeyboardInterrupt stops the batch between chunks of petitions
        if let Err(e) = Python::attach(|py| py.check_signals()) {
            self.interrupted = Some(e);
            return Err(Error::Io {
                path: PathBuf::from("batch"),
                action: IoAction::Write,
                source: std::io::Error::from(std::io::ErrorKind::Interrupted),
            });
        }
        self.csv.accept_all(results)
    }
}

/// `sigmap batch PATHS...`: the long table (CSV text: petition, seat, every column of
/// `areas.csv`) and one row per petition (JSON text), failures included as rows.
#[pyfunction]
#[pyo3(signature = (
    paths, *, weights = "queen", islands = "keep", permutations = 999, seed = 12345,
    rank_draws = sigmap::DEFAULT_DRAWS, rank_method = "pairwise", engine = "shared", to = None, crosswalk = "population"
))]
#[allow(clippy::too_many_arguments)]
fn batch(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    weights: &str,
    islands: &str,
    permutations: usize,
    seed: u64,
    rank_draws: usize,
    rank_method: &str,
    engine: &str,
    to: Option<&Bound<'_, PyAny>>,
    crosswalk: &str,
) -> PyResult<(String, String)> {
    let options = report_options(
        weights,
        islands,
        permutations,
        seed,
        rank_draws,
        rank_method,
        engine,
    )?;
    let to = to.map(parse_to).transpose()?;
    let mut sink = Collect {
        csv: CsvSink::new(Vec::new()),
        interrupted: None,
    };
    let result = py.detach(|| -> sigmap::Result<Vec<PetitionRow>> {
        let files = sigmap::expand_inputs(&paths)?;
        let mut batch = Batch::new(options);
        if let Some(to) = to {
            batch = batch.crosswalk(Crosswalk::onto(to, crosswalk)?);
        }
        batch.run(&files, &mut sink)
    });
    if let Some(e) = sink.interrupted.take() {
        return Err(e);
    }
    let rows = result.map_err(|e| to_py(py, e))?;
    let rows =
        serde_json::to_string(&rows).map_err(|e| InternalError::new_err(format!("batch: {e}")))?;
    let csv = String::from_utf8(sink.csv.into_inner())
        .map_err(|e| InternalError::new_err(format!("batch: {e}")))?;
    Ok((csv, rows))
}

/// `sigmap mp SEAT PETITIONS...`: the seat's profile across the petitions (JSON text),
/// each petition re-expressed on the seat's constituency set where it needs to be.
#[pyfunction]
#[pyo3(signature = (
    seat, petitions, *, weights = "queen", islands = "keep", permutations = 999,
    seed = 12345, rank_draws = sigmap::DEFAULT_DRAWS, rank_method = "pairwise", engine = "shared",
    crosswalk = "population"
))]
#[allow(clippy::too_many_arguments)]
fn mp_profile(
    py: Python<'_>,
    seat: &str,
    petitions: Vec<PyRef<'_, Petition>>,
    weights: &str,
    islands: &str,
    permutations: usize,
    seed: u64,
    rank_draws: usize,
    rank_method: &str,
    engine: &str,
    crosswalk: &str,
) -> PyResult<String> {
    let options = report_options(
        weights,
        islands,
        permutations,
        seed,
        rank_draws,
        rank_method,
        engine,
    )?;
    let petitions: Vec<sigmap::Petition> = petitions.iter().map(|p| p.inner.clone()).collect();
    let result = py.detach(|| -> sigmap::Result<SeatProfile> {
        let (new, old) = (
            Areas::shipped(Vintage::Pcon2024)?,
            Areas::shipped(Vintage::Pcon2010)?,
        );
        let found = find_constituency(seat, &[&new, &old])?;
        let petitions = petitions
            .into_iter()
            .map(|p| crosswalked(p, Some(found.vintage), crosswalk))
            .collect::<sigmap::Result<Vec<_>>>()?;
        let areas = if found.vintage == Vintage::Pcon2024 {
            new
        } else {
            old
        };
        let analyser = Analyser::new(areas, Denominators::shipped(found.vintage)?, options)?;
        SeatProfile::new(&found, &analyser, &petitions)
    });
    let profile = result.map_err(|e| to_py(py, e))?;
    serde_json::to_string(&profile).map_err(|e| InternalError::new_err(format!("mp_profile: {e}")))
}

/// The columns of `areas.csv` (and of the long table after its petition columns), each
/// `(name, kind, nullable)` with kind `str`, `int`, `float` or `bool`.
#[pyfunction]
fn column_kinds() -> PyResult<Vec<(&'static str, &'static str, bool)>> {
    sigmap::export::COLUMNS
        .iter()
        .map(|c| {
            let kind = match c.ty {
                ColumnType::Str => "str",
                ColumnType::U64 | ColumnType::U32 => "int",
                ColumnType::F64 => "float",
                ColumnType::Bool => "bool",
                other => {
                    return Err(InternalError::new_err(format!(
                        "column {}: a type the bindings do not know: {other:?}",
                        c.name
                    )));
                }
            };
            Ok((c.name, kind, c.nullable))
        })
        .collect()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(column_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(batch, m)?)?;
    m.add_function(wrap_pyfunction!(mp_profile, m)?)?;
    Ok(())
}
