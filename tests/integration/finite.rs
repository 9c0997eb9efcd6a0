//! No silent NaN (#13): every number of every output, on every shipped and test layer, is
//! finite, or empty where the docs say so and the summary names the seat and the reason.

use crate::util::{data, fixture, shipped_petitions, write};
use sigmap::stats::{Permutations, StatsReport};
use sigmap::{
    Areas, Denominators, LayerOptions, Petition, Report, ReportOptions, Vintage, WeightsKind,
};
use sigmap::{Crosswalk, CrosswalkWeighting, ValueColumns, Values};
use std::path::Path;

/// NaN or infinity in a value's `Debug` text (`: NaN,`, `[inf, `, `-inf)`): strings are
/// quoted there, so a seat called "Inf..." is never taken for a number.
fn non_finite_in_debug(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    for token in ["NaN", "inf"] {
        for (at, _) in text.match_indices(token) {
            let before = text[..at].trim_end_matches('-').chars().last();
            let after = bytes.get(at + token.len()).copied();
            let number_before = matches!(before, Some(' ' | '[' | '(' | ','));
            let number_after = !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'"');
            if number_before && number_after {
                return Some(text[at.saturating_sub(80)..(at + 20).min(text.len())].to_string());
            }
        }
    }
    None
}

/// Every cell of a CSV that reads as a number is finite.
fn assert_csv_finite(path: &Path) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        for (h, cell) in headers.iter().zip(record.iter()) {
            if let Ok(v) = cell.trim().parse::<f64>() {
                assert!(
                    v.is_finite(),
                    "{}: row {}, {h} = {cell}",
                    path.display(),
                    i + 1
                );
            }
        }
    }
}

/// A GeoJSON property is null exactly where the CSV's cell is empty (serde_json writes a
/// NaN as null, so a null the CSV does not have would be a NaN in disguise).
fn assert_geojson_nulls_match_csv(geojson: &Path, csv_path: &Path) {
    let fc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(geojson).unwrap()).unwrap();
    let mut reader = csv::Reader::from_path(csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    for (feature, record) in fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .zip(reader.records())
    {
        let record = record.unwrap();
        for (h, cell) in headers.iter().zip(record.iter()) {
            if let Some(v) = feature["properties"].get(h) {
                assert_eq!(
                    v.is_null(),
                    cell.is_empty(),
                    "{}: {h} of {}: {v} against `{cell}`",
                    geojson.display(),
                    feature["properties"]["code"]
                );
            }
        }
    }
}

fn quick() -> ReportOptions {
    ReportOptions::default()
        .permutations(sigmap::stats::Permutations::new(99))
        .ranks(sigmap::RankSimulation::new(50))
}

/// Writes a report's outputs and sweeps them.
fn sweep(report: &Report, what: &str) {
    if let Some(bad) = non_finite_in_debug(&format!("{:?}", report.summary)) {
        panic!("{what}: summary has a non-finite number: {bad}");
    }
    if let Some(bad) = non_finite_in_debug(&format!("{:?}", report.table.rows)) {
        panic!("{what}: table has a non-finite number: {bad}");
    }
    let dir = tempfile::tempdir().unwrap();
    report.write_to_dir(dir.path()).unwrap();
    assert_csv_finite(&dir.path().join("areas.csv"));
    assert_geojson_nulls_match_csv(
        &dir.path().join("areas.geojson"),
        &dir.path().join("areas.csv"),
    );
    let svg = std::fs::read_to_string(dir.path().join("map.svg")).unwrap();
    assert!(
        !svg.contains("NaN") && !svg.contains("inf\""),
        "{what}: map.svg has NaN"
    );
    #[cfg(feature = "polars")]
    {
        use polars::prelude::*;
        let file = std::fs::File::open(dir.path().join("areas.parquet")).unwrap();
        let df = ParquetReader::new(file).finish().unwrap();
        for column in df.columns() {
            if let Ok(values) = column.f64() {
                for array in values.downcast_iter() {
                    for (i, v) in array.values().iter().enumerate() {
                        assert!(
                            array.validity().is_some_and(|m| !m.get_bit(i)) || v.is_finite(),
                            "{what}: areas.parquet column {} has {v}",
                            column.name()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn r13_every_output_of_every_shipped_petition_is_finite() {
    for path in shipped_petitions() {
        let petition = Petition::from_path(&path).unwrap();
        let report = Report::with_shipped_data_and_options(petition, quick()).unwrap();
        sweep(&report, &path.display().to_string());
    }
}

#[test]
fn r13_outputs_on_the_2024_layer_and_after_a_crosswalk_are_finite() {
    let petition = Petition::from_path(fixture("counts_2024_made_up.csv")).unwrap();
    sweep(
        &Report::with_shipped_data_and_options(petition, quick()).unwrap(),
        "counts_2024_made_up.csv",
    );
    let crosswalk = Crosswalk::shipped(CrosswalkWeighting::Population).unwrap();
    let petition = crosswalk
        .apply(&Petition::from_path(data("petitions/petition_241584.json")).unwrap())
        .unwrap();
    sweep(
        &Report::with_shipped_data_and_options(petition, quick()).unwrap(),
        "241584 on the 2024 seats",
    );
}

#[test]
fn r13_a_seat_without_geometry_has_an_empty_density_and_is_named() {
    let text = std::fs::read_to_string(data("boundaries/pcon2024_bgc_20pct.geojson")).unwrap();
    let mut layer: serde_json::Value = serde_json::from_str(&text).unwrap();
    let code = layer["features"][7]["properties"]["PCON24CD"]
        .as_str()
        .unwrap()
        .to_string();
    layer["features"][7]["geometry"] = serde_json::Value::Null;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hole.geojson", &layer.to_string());
    let areas = Areas::from_path(&path).unwrap();
    let petition = Petition::from_path(fixture("counts_2024_made_up.csv")).unwrap();
    let report = Report::with_options(
        petition,
        areas,
        &Denominators::shipped(Vintage::Pcon2024).unwrap(),
        quick(),
    )
    .unwrap();
    let row = report.table.rows.iter().find(|r| r.code == code).unwrap();
    assert_eq!(row.density_per_km2, None);
    assert!(
        report
            .summary
            .geometry_issues
            .iter()
            .any(|i| i.code == code && i.problem == "empty geometry"),
        "{:?}",
        report.summary.geometry_issues
    );
    assert!(
        report
            .summary
            .empty_values
            .iter()
            .any(|n| n.starts_with("density_per_km2")
                && n.contains(&format!("{code} (empty geometry)"))),
        "{:?}",
        report.summary.empty_values
    );
    sweep(&report, "a layer with an empty geometry");
    // nearest-neighbour weights need every centroid: refused, naming the seat
    let e = sigmap::Weights::knn(&report.areas, 5)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("record 8, field geometry") && e.contains(&code),
        "{e}"
    );
}

#[test]
fn r13_statistics_on_the_test_layers_are_finite() {
    // Columbus: planar units, rings clockwise as in its shapefile
    let areas = LayerOptions::new()
        .code_property("POLYID")
        .from_path(fixture("columbus.geojson"))
        .unwrap();
    assert!(
        areas
            .iter()
            .all(|a| a.area_km2.is_finite() && a.area_km2 > 0.0)
    );
    assert!(
        areas.iter().all(|a| a.area_km2 < 1e5),
        "clockwise rings measured as the Earth"
    );
    if let Some(bad) = non_finite_in_debug(&format!("{areas:?}")) {
        panic!("columbus: {bad}");
    }
    let layer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("columbus.geojson")).unwrap())
            .unwrap();
    let mut csv = String::from("POLYID,CRIME\n");
    for f in layer["features"].as_array().unwrap() {
        csv.push_str(&format!(
            "{},{}\n",
            f["properties"]["POLYID"], f["properties"]["CRIME"]
        ));
    }
    let columns = ValueColumns {
        id: "POLYID".into(),
        variable: "CRIME".into(),
        population: None,
    };
    let values = Values::from_reader(csv.as_bytes(), "columbus.csv", &columns, &areas).unwrap();
    for kind in [WeightsKind::Queen, WeightsKind::Rook, WeightsKind::Knn(4)] {
        let w = kind.build(&areas).unwrap();
        let r =
            StatsReport::compute(&areas, &values, &w, kind, Permutations::new(99), 0.05).unwrap();
        if let Some(bad) = non_finite_in_debug(&format!("{r:?}")) {
            panic!("columbus, {kind:?}: {bad}");
        }
    }

    // the 2024 layer with islands, distance bands that leave many
    let areas = Areas::shipped(Vintage::Pcon2024).unwrap();
    let mut csv = String::from("code,n\n");
    for (i, a) in areas.iter().enumerate() {
        csv.push_str(&format!("{},{}\n", a.code, (i * 7919) % 1000));
    }
    let columns = ValueColumns {
        id: "code".into(),
        variable: "n".into(),
        population: None,
    };
    let values = Values::from_reader(csv.as_bytes(), "n.csv", &columns, &areas).unwrap();
    for kind in [
        WeightsKind::Queen,
        WeightsKind::Distance(10.0),
        WeightsKind::Knn(5),
    ] {
        let w = kind.build(&areas).unwrap();
        let r =
            StatsReport::compute(&areas, &values, &w, kind, Permutations::new(99), 0.05).unwrap();
        if let Some(bad) = non_finite_in_debug(&format!("{r:?}")) {
            panic!("2024 layer, {kind:?}: {bad}");
        }
    }
}

#[test]
fn the_debug_scan_finds_what_it_should() {
    assert!(non_finite_in_debug("Row { a: NaN, b: 1 }").is_some());
    assert!(non_finite_in_debug("[1.0, -inf]").is_some());
    assert!(non_finite_in_debug("Some(inf)").is_some());
    assert!(non_finite_in_debug(r#"name: "Inverness", x: 1.0"#).is_none());
    assert!(non_finite_in_debug(r#"name: "inf", note: "NaN seats""#).is_none());
}

/// The test layers in every format: a report on each, swept.
#[cfg(all(feature = "shapefile", feature = "geopackage"))]
#[test]
fn r13_outputs_on_every_test_layer_are_finite() {
    let denominators = Denominators::shipped(Vintage::Pcon2024).unwrap();
    for name in [
        "pcon24_subset.geojson",
        "pcon24_wgs84.shp",
        "pcon24_bng.shp",
        "pcon24_cp1252.shp",
        "pcon24_wgs84.zip",
        "pcon24_wgs84.gpkg",
        "pcon24_bng.gpkg",
    ] {
        let areas = Areas::from_path(fixture(&format!("layers/{name}"))).unwrap();
        let csv: String = areas
            .iter()
            .enumerate()
            .map(|(i, a)| format!("{},{}\n", a.code, (i * 37) % 200))
            .collect();
        let petition =
            Petition::from_reader(format!("code,count\n{csv}").as_bytes(), "p.csv").unwrap();
        let report = Report::with_options(petition, areas, &denominators, quick()).unwrap();
        sweep(&report, name);
    }
}
