use super::args::{
    CrosswalkArgs, Format, Inputs, JoinPointsArgs, LayerArgs, LocateArgs, MapArgs, MapMetric,
    ReportArgs, StatsArgs,
};
use super::output;
use anyhow::Context;
use sigmap::crs::PointCrs;
use sigmap::export::{GeoJsonWriter, HexJson};
use sigmap::stats::StatsReport;
use sigmap::{
    Areas, Denominators, Error, IoAction, LayerOptions, Location, Petition, PointCounts, Report,
    ReportOptions, SpatialIndex, Vintage, Weights, WeightsFormat, WeightsKind,
};
use sigmap::{
    Crosswalk, LayerTopology, PointColumns, PointConverter, PointReader, ValueColumns, Values,
};
use std::io::Write;
use std::path::Path;

pub fn report(args: &ReportArgs) -> anyhow::Result<()> {
    let inputs = args.inputs.paths();
    for name in sigmap::Report::FILES {
        refuse_input_as_output(&args.out.join(name), &inputs)?;
    }
    if let Some(path) = &args.weights_out {
        refuse_input_as_output(path, &inputs)?;
    }
    let report = load(&args.inputs, args.clustering.options())?;
    let written = report.write_to_dir(&args.out)?;
    if let Some(path) = &args.weights_out {
        write_weights(&report.weights, &report.areas, path)?;
    }
    let mut out = output::terminal(args.inputs.format);
    match args.inputs.format {
        Format::Table => output::print_summary(&mut out, &report, &written)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report.summary)?;
            writeln!(out)?;
        }
        Format::Csv => sigmap::export::write_csv(report.analysed(), &mut out)?,
    }
    out.flush()?;
    Ok(())
}

pub fn map(args: &MapArgs) -> anyhow::Result<()> {
    let path = &args.output;
    let extension = map_extension(path)?;
    let mut inputs = args.inputs.paths();
    inputs.extend(args.hexjson.as_deref());
    refuse_input_as_output(path, &inputs)?;
    let report = load(&args.inputs, args.clustering.options())?;
    let hex_layout = hex_layout(args, &report, extension == "hexjson")?;
    let write = |f: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>| {
        sigmap::export::write_atomically(path, f)
    };
    match extension.as_str() {
        "geojson" | "json" => {
            let mut writer = GeoJsonWriter::new(report.analysed(), &report.areas);
            if let Some(p) = args.precision {
                writer = writer.precision(p);
            }
            if let Some(km) = args.simplify {
                writer = writer.simplify(km);
            }
            write(&|w| writer.write_to(w))?;
        }
        "topojson" => {
            let mut writer = sigmap::export::TopoJsonWriter::new(report.analysed(), &report.areas);
            if let Some(p) = args.precision {
                writer = writer.precision(p);
            }
            if let Some(km) = args.simplify {
                writer = writer.simplify(km);
            }
            write(&|w| writer.write_to(w))?;
        }
        "hexjson" => {
            let layout = hex_layout.as_ref().context("no hex layout")?;
            write(&|w| sigmap::export::write_hexjson(report.analysed(), layout, w))?;
        }
        "csv" => write(&|w| sigmap::export::write_csv(report.analysed(), w))?,
        "html" | "htm" => html_map(&report, args, hex_layout).save(path)?,
        #[cfg(feature = "polars")]
        "parquet" => {
            let mut file = sigmap::export::Staged::new(path)?;
            sigmap::export::write_parquet(report.analysed(), &mut file)?;
            file.commit()?;
        }
        _ => {
            // svg or png; the insets asked for, not the report's defaults
            let map = report
                .map()
                .classes(args.classes.clone())
                .palette(args.palette)
                .centre(args.centre)
                .insets(&args.inset)
                .labels(args.labels);
            let mut map = match args.metric {
                MapMetric::Metric(m) => map.metric(m),
                MapMetric::Lisa => map.lisa(report.analysed()),
                MapMetric::GiStar => map.gi_star(report.analysed()),
            };
            if let Some(t) = &args.title {
                map = map.title(t.clone());
            }
            if let Some(layout) = &hex_layout {
                map = map.hex(layout);
            }
            map.save_scaled(path, args.scale)?;
        }
    }
    let mut out = output::terminal(args.inputs.format);
    match args.inputs.format {
        Format::Table => writeln!(out, "Wrote {}", path.display())?,
        Format::Json => writeln!(out, "{}", serde_json::json!({ "written": [path] }))?,
        Format::Csv => writeln!(out, "written\n{}", path.display())?,
    }
    Ok(())
}

/// The extension of `map -o F` (lower case), if it is one `map` writes.
fn map_extension(path: &Path) -> Result<String, Error> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if MAP_EXTENSIONS.contains(&extension.as_str()) {
        return Ok(extension);
    }
    Err(Error::BadOption {
        option: "--output",
        expected: MAP_EXTENSIONS_EXPECTED.to_string(),
        found: format!(
            "{} ({})",
            sigmap::printable(&path.display().to_string(), false),
            if extension.is_empty() {
                "no extension".to_string()
            } else {
                format!("`.{}`", sigmap::excerpt(&extension))
            }
        ),
    })
}

/// The hex layout of `map`: `--hexjson F`, else (with `--hex` or a `.hexjson` output) the
/// shipped layout of the layer's constituency set; checked to cover the report's seats.
fn hex_layout(
    args: &MapArgs,
    report: &Report,
    hexjson_out: bool,
) -> sigmap::Result<Option<HexJson>> {
    let layout = match (&args.hexjson, args.hex || hexjson_out) {
        (Some(p), _) => HexJson::from_path(p)?,
        (None, true) => {
            let vintage = report.table.layer.vintage.ok_or_else(|| Error::BadOption {
                option: "--hex",
                expected:
                    "a layer of the 2010 or 2024 constituencies, or a layout given with --hexjson F"
                        .into(),
                found: format!("the layer {}", report.table.layer.name),
            })?;
            HexJson::shipped(vintage)?
        }
        (None, false) => return Ok(None),
    };
    layout.check_covers(&report.table)?;
    Ok(Some(layout))
}

/// The interactive map `map -o F.html` writes: the report's, with the options given (the
/// hex view on the layout given or shipped; the metric, classes, palette and title).
fn html_map<'a>(
    report: &'a Report,
    args: &MapArgs,
    hex_layout: Option<HexJson>,
) -> sigmap::export::HtmlMap<'a> {
    let mut map = report
        .html_map()
        .classes(args.classes.clone())
        .palette(args.palette);
    map = match args.metric {
        MapMetric::Metric(m) => map.metric(m),
        MapMetric::Lisa => map.lisa(),
        MapMetric::GiStar => map.gi_star(),
    };
    if let Some(t) = &args.title {
        map = map.title(t.clone());
    }
    if let Some(layout) = hex_layout {
        map = map.hex(layout);
    }
    map
}

/// Reads the petition, the layer and the denominators the arguments name (the shipped ones
/// by default) and joins them.
fn load(inputs: &Inputs, options: ReportOptions) -> anyhow::Result<Report> {
    let petition = crosswalked(
        read_petition(&inputs.petition)?,
        inputs.crosswalk.to,
        &inputs.crosswalk.crosswalk,
    )?;
    let report = match (&inputs.areas, &inputs.denominators) {
        (None, None) if inputs.area_id.is_none() && inputs.areas_crs.is_none() => {
            Report::with_shipped_data_and_options(petition, options)?
        }
        (areas_path, denominators_path) => {
            let areas = match areas_path {
                Some(p) => layer_options(
                    LayerOptions::new(),
                    &inputs.area_id,
                    inputs.areas_crs,
                    &inputs.areas_layer,
                )
                .from_path(p)?,
                // the shipped layer of the petition's constituency set, as the report
                // without --denominators would pick
                None => Areas::shipped(petition.vintage()?)?,
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

/// The petition on the constituency set `to`, through the crosswalk `how` (`population`,
/// `area` or a CSV file) when it is counted on another one.
pub(super) fn crosswalked(
    petition: Petition,
    to: Option<Vintage>,
    how: &str,
) -> anyhow::Result<Petition> {
    match to {
        None => Ok(petition),
        Some(to) => Ok(Crosswalk::petition_on(petition, to, how).map_err(as_flags)?),
    }
}

/// The crosswalk `--to` asks for in a job over many petitions (`batch`, `site`): none, or
/// the one onto the 2024 seats (2010 counts can be re-expressed on them, not the other way).
pub(super) fn crosswalk_to(args: &CrosswalkArgs) -> anyhow::Result<Option<Crosswalk>> {
    let onto = |to| Crosswalk::onto(to, &args.crosswalk).map_err(as_flags);
    Ok(args.to.map(onto).transpose()?)
}

/// The library names its options as a Rust or Python caller passes them (`to`); the CLI's
/// messages name the flags (`--to`).
fn as_flags(e: sigmap::Error) -> sigmap::Error {
    match e {
        sigmap::Error::BadOption {
            option,
            expected,
            found,
        } => sigmap::Error::BadOption {
            option: match option {
                "to" => "--to",
                "crosswalk" => "--crosswalk",
                other => other,
            },
            expected,
            found,
        },
        e => e,
    }
}

/// A petition from a file, `-` (stdin), or a bare number that is not a file (fetched).
pub(super) fn read_petition(arg: &str) -> anyhow::Result<Petition> {
    let path = Path::new(arg);
    if arg != "-" && !path.exists() && !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_digit()) {
        return super::live::fetch_petition(arg);
    }
    Ok(Petition::from_path(path)?)
}

pub fn stats(args: &StatsArgs) -> anyhow::Result<()> {
    let mut inputs = vec![args.areas.as_path(), args.values.as_path()];
    inputs.extend(args.weights_file.as_deref());
    for path in args.json.iter().chain(&args.weights_out) {
        refuse_input_as_output(path, &inputs)?;
    }
    // the statistics need neither polygon validity nor geodesic areas: on a
    // full-resolution layer they were half of the command's time
    let areas = layer_options(
        LayerOptions::new().check_geometry(false).measure(false),
        &args.area_id,
        args.areas_crs,
        &args.areas_layer,
    )
    .from_path(&args.areas)?;
    let columns = ValueColumns {
        id: args.id.clone(),
        variable: args.count.clone(),
        population: args.population.clone(),
    };
    let values = Values::from_path(&args.values, &columns, &areas)?;
    let mut o = args.clustering.options();
    let w = match &args.weights_file {
        Some(path) => {
            o.weights = WeightsKind::File;
            if weights_format(path)? == WeightsFormat::Gwt {
                eprintln!(
                    "sigmap: note: {}: only the links are used, not the weight values (row-standardised: each of k neighbours 1/k)",
                    sigmap::printable(&path.display().to_string(), false)
                );
            }
            Weights::from_path(path, weights_format(path)?, &areas)?
        }
        None => o.weights.build(&areas)?,
    }
    .with_island_policy(o.islands, &areas)?;
    if let Some(path) = &args.weights_out {
        write_weights(&w, &areas, path)?;
    }
    let result = StatsReport::compute(&areas, &values, &w, o.weights, o.permutations, o.alpha)?;
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&result)? + "\n";
        sigmap::export::write_atomically(path, |w| w.write_all(text.as_bytes()))?;
    }
    if let (Some(note), false) = (&result.getis_ord_note, args.format == Format::Table) {
        // the table prints it; csv and json readers may not look for it
        eprintln!("sigmap: note: {}", sigmap::printable(note, true));
    }
    let mut out = output::terminal(args.format);
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

/// The weights file format its extension names.
fn weights_format(path: &Path) -> anyhow::Result<WeightsFormat> {
    Ok(
        WeightsFormat::from_path(path).ok_or_else(|| Error::BadField {
            at: Location::file(path),
            expected: "a weights file ending in .gal or .gwt",
            found: path.display().to_string(),
        })?,
    )
}

/// Writes weights as GAL or GWT, by the file's extension.
fn write_weights(weights: &Weights, areas: &Areas, path: &Path) -> anyhow::Result<()> {
    Ok(weights.write_to_path(path, weights_format(path)?, areas)?)
}

/// The extensions `map -o` knows.
const MAP_EXTENSIONS: [&str; 10] = [
    "svg", "png", "html", "htm", "geojson", "json", "topojson", "hexjson", "csv", "parquet",
];
const MAP_EXTENSIONS_EXPECTED: &str = "a file name ending in .svg, .png, .html, .geojson, .json, .topojson, .hexjson, .csv or .parquet";

/// Refuses an output that is one of the inputs (the same file after resolving links and
/// `..`), before anything is read or written: writing it would replace the input.
pub(super) fn refuse_input_as_output(output: &Path, inputs: &[&Path]) -> anyhow::Result<()> {
    let Some(out) = resolved(output) else {
        return Ok(());
    };
    for input in inputs {
        if input.as_os_str() == "-" {
            continue;
        }
        if std::fs::canonicalize(input).is_ok_and(|i| i == out) {
            return Err(Error::BadField {
                at: Location::file(output),
                expected: "an output that is not one of the inputs",
                found: format!("the input {}", input.display()),
            }
            .into());
        }
    }
    Ok(())
}

/// A path with links and `..` resolved, for a file that may not exist yet (its directory
/// must); `None` if its directory does not exist either (then it is no input).
fn resolved(path: &Path) -> Option<std::path::PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

/// The layer to locate points in: neither polygon validity (the even-odd rule treats
/// invalid polygons as geopandas does) nor areas and centroids are computed.
fn load_layer(layer: &LayerArgs) -> anyhow::Result<Areas> {
    let options = LayerOptions::new().check_geometry(false).measure(false);
    Ok(match &layer.areas {
        Some(path) => layer_options(options, &layer.area_id, layer.areas_crs, &layer.areas_layer)
            .from_path(path)?,
        None => options.shipped(layer.vintage)?,
    })
}

/// `options`, reading codes from `--area-id`, taking `--areas-crs` and the GeoPackage
/// table `--areas-layer` when they are given.
fn layer_options(
    options: LayerOptions,
    area_id: &Option<String>,
    crs: Option<PointCrs>,
    areas_layer: &Option<String>,
) -> LayerOptions {
    let options = match area_id {
        Some(id) => options.code_property(id),
        None => options,
    };
    let options = match crs {
        Some(crs) => options.crs(crs),
        None => options,
    };
    match areas_layer {
        Some(table) => options.table(table),
        None => options,
    }
}

pub fn locate(args: &LocateArgs) -> anyhow::Result<()> {
    let at = Location::argument("X Y");
    let converter = PointConverter::new(args.crs)?;
    let areas = load_layer(&args.layer)?;
    let converter = converter.with_envelope(SpatialIndex::point_envelope_of(&areas));
    let Some((lon, lat)) = converter.convert(args.x, args.y, &at)? else {
        anyhow::bail!(
            "({}, {}) is outside {} ({}), so in no area of {}",
            args.x,
            args.y,
            output::envelope_name(&converter.envelope()),
            converter.envelope(),
            areas.layer.name
        );
    };
    // one point: one pass over the edges, which costs less than building any index; the
    // R-tree alone (never the grid) only to look for the nearest area or a gap
    let index = std::cell::OnceCell::new();
    let index = || index.get_or_init(|| SpatialIndex::for_few_points(&areas));
    let found = match SpatialIndex::locate_without_index(&areas, lon, lat) {
        Some(area) => Some(sigmap::Nearest::inside(area)),
        None => args.nearest.and_then(|km| index().nearest(lon, lat, km)),
    };
    let Some(found) = found else {
        let within = args
            .nearest
            .map_or(String::new(), |km| format!(" or within {km} km of one"));
        let topology = LayerTopology::gaps_only(&areas, index());
        let gap = topology.gap_at(lon, lat).map_or(String::new(), |g| {
            format!(
                ", though inside its outline: in a gap between {}",
                g.around.join(", ")
            )
        });
        anyhow::bail!(
            "({}, {}) is in no area of {}{within}{gap}",
            args.x,
            args.y,
            areas.layer.name
        );
    };
    let area = &areas[found.area];
    let mut out = output::terminal(args.format);
    output::print_located(&mut out, args.format, area, found.distance_km)?;
    Ok(())
}

/// The points of `join-points`: stdin for `-`, else the file, with a progress bar of
/// bytes read unless `--quiet`.
fn points_input(
    args: &JoinPointsArgs,
) -> anyhow::Result<(Box<dyn std::io::Read>, Option<indicatif::ProgressBar>)> {
    if args.points.as_os_str() == "-" {
        return Ok((Box::new(std::io::stdin().lock()), None));
    }
    let path = &args.points;
    let file = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.clone(),
        action: IoAction::Read,
        source: e,
    })?;
    if args.quiet {
        return Ok((Box::new(file), None));
    }
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar =
        indicatif::ProgressBar::new(size).with_style(indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )?);
    Ok((Box::new(bar.wrap_read(file)), Some(bar)))
}

pub fn join_points(args: &JoinPointsArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.output {
        let mut inputs = vec![args.points.as_path()];
        inputs.extend(args.layer.areas.as_deref());
        refuse_input_as_output(path, &inputs)?;
    }
    let clock = std::time::Instant::now();
    let areas = load_layer(&args.layer)?;
    let load_s = clock.elapsed().as_secs_f64();
    let columns = PointColumns {
        x: args.lon.clone(),
        y: args.lat.clone(),
    };
    let (input, progress) = points_input(args)?;
    let clock = std::time::Instant::now();
    let index = SpatialIndex::new(&areas);
    let index_s = clock.elapsed().as_secs_f64();
    let mut reader = PointReader::from_reader(input, &args.points, &columns, args.crs)?
        .with_envelope(index.point_envelope());
    let mut counts = PointCounts::new(areas.len());
    let mut batch = Vec::new();
    // points in no area inside the layer's box: are they in gaps between areas?
    let mut unmatched = Vec::new();
    // the gaps' thread's own time (it runs while points are read and located)
    let (mut read_s, mut locate_s, mut gaps_s) = (0.0, 0.0, 0.0);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        // the gaps (a union of the layer, unless it ships with them) are computed on
        // another thread from the first point in no area on, while points are read
        let mut gaps = None;
        loop {
            batch.clear();
            let clock = std::time::Instant::now();
            let n = reader.read_batch(&mut batch)?;
            read_s += clock.elapsed().as_secs_f64();
            if n == 0 {
                break;
            }
            let clock = std::time::Instant::now();
            let keep = (!args.no_gaps).then_some(&mut unmatched);
            index.count_points_keeping(&batch, args.snap, &mut counts, keep);
            locate_s += clock.elapsed().as_secs_f64();
            if gaps.is_none() && !unmatched.is_empty() {
                gaps = Some(scope.spawn(|| {
                    let clock = std::time::Instant::now();
                    let topology = LayerTopology::gaps_only(&areas, &index);
                    (topology, clock.elapsed().as_secs_f64())
                }));
            }
        }
        if let Some(gaps) = gaps {
            let topology;
            (topology, gaps_s) = gaps.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            counts.in_gaps = topology.count_in_gaps(&unmatched);
        }
        Ok(())
    })?;
    if args.timings {
        eprintln!(
            "{}",
            serde_json::json!({"load_s": load_s, "index_s": index_s, "read_s": read_s, "locate_s": locate_s, "gaps_s": gaps_s})
        );
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if !args.no_swap_check {
        reader.check_axis_order(|lon, lat| index.locate(lon, lat).is_some())?;
    }
    let joined = output::JoinedPoints {
        areas: &areas,
        counts: &counts,
        outside: reader.outside(),
        envelope: reader.envelope(),
        crs: reader.crs(),
        columns: reader.column_names(),
        gaps_searched: !args.no_gaps,
    };
    if let Some(path) = &args.output {
        let mut file = sigmap::export::Staged::new(path)?;
        joined.write_csv(&mut file)?;
        file.commit()?;
    }
    let mut out = output::terminal(args.format);
    match args.format {
        Format::Table => joined.print_table(&mut out, args.output.as_deref())?,
        Format::Csv => {
            joined.write_csv(&mut out)?;
            eprintln!("{}", joined.accounting());
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &joined.to_json())?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}
