use super::args::{Format, Inputs, MapArgs, MapMetric, ReportArgs, StatsArgs};
use super::output;
use anyhow::Context;
use sigmap::stats::StatsReport;
use sigmap::values::{ValueColumns, Values};
use sigmap::{Areas, Denominators, Error, LayerOptions, Location, Petition, Report, ReportOptions};
use std::io::Write;
use std::path::Path;

pub fn report(args: &ReportArgs) -> anyhow::Result<()> {
    let report = load(&args.inputs, args.clustering.options())?;
    let written = report.write_to_dir(&args.out)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.inputs.format {
        Format::Table => output::print_summary(&mut out, &report, &written)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report.summary)?;
            writeln!(out)?;
        }
        Format::Csv => sigmap::export::write_csv(&report.table, &mut out)?,
    }
    out.flush()?;
    Ok(())
}

pub fn map(args: &MapArgs) -> anyhow::Result<()> {
    let report = load(&args.inputs, args.clustering.options())?;
    let path = &args.output;
    let map = report.map().classes(args.classes);
    let svg = match args.metric {
        MapMetric::Metric(m) => map.metric(m),
        MapMetric::Lisa => map.lisa(),
    }
    .render();
    std::fs::write(path, svg).with_context(|| format!("{}: cannot write", path.display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.inputs.format {
        Format::Table => writeln!(out, "Wrote {}", path.display())?,
        Format::Json => writeln!(out, "{}", serde_json::json!({ "written": [path] }))?,
        Format::Csv => writeln!(out, "written\n{}", path.display())?,
    }
    Ok(())
}

/// Reads the petition, the layer and the denominators the arguments name (the shipped ones
/// by default) and joins them.
fn load(inputs: &Inputs, options: ReportOptions) -> anyhow::Result<Report> {
    let petition = read_petition(&inputs.petition)?;
    let report = match (&inputs.areas, &inputs.denominators) {
        (None, None) if inputs.area_id.is_none() => {
            Report::with_shipped_data_and_options(petition, options)?
        }
        (areas_path, denominators_path) => {
            let areas = match areas_path {
                Some(p) => {
                    let mut options = LayerOptions::new();
                    if let Some(id) = &inputs.area_id {
                        options = options.code_property(id);
                    }
                    options.from_path(p)?
                }
                None => {
                    let vintage = Report::with_shipped_data(petition.clone())?
                        .table
                        .completeness
                        .vintage;
                    Areas::shipped(vintage.context("cannot tell the petition's constituency set")?)?
                }
            };
            let denominators = match denominators_path {
                Some(p) => Denominators::from_path(p)?,
                None => {
                    let vintage = areas.vintage().ok_or_else(|| Error::NeedsDenominators {
                        at: Location::file(areas_path.as_deref().unwrap_or(Path::new("-"))),
                    })?;
                    Denominators::shipped(vintage)?
                }
            };
            Report::with_options(petition, areas, &denominators, options)?
        }
    };
    Ok(report)
}

fn read_petition(arg: &str) -> anyhow::Result<Petition> {
    let path = Path::new(arg);
    if arg != "-" && !path.exists() && !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::NotAFile {
            arg: arg.to_string(),
        }
        .into());
    }
    Ok(Petition::from_path(path)?)
}

pub fn stats(args: &StatsArgs) -> anyhow::Result<()> {
    let mut options = LayerOptions::new();
    if let Some(id) = &args.area_id {
        options = options.code_property(id);
    }
    let areas = options.from_path(&args.areas)?;
    let columns = ValueColumns {
        id: args.id.clone(),
        count: args.count.clone(),
        population: args.population.clone(),
    };
    let values = Values::from_path(&args.values, &columns, &areas)?;
    let o = args.clustering.options();
    let w = o
        .weights
        .build(&areas)?
        .with_island_policy(o.islands, &areas)?;
    let result = StatsReport::compute(&areas, &values, &w, o.weights, o.permutations, o.alpha)?;
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&result)? + "\n";
        std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Table => output::print_stats(&mut out, &result)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &result)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            for row in &result.local {
                w.serialize(row)?;
            }
            w.flush()?;
        }
    }
    Ok(())
}
