//! Point location against geopandas: seeded points regenerated bit for bit from the golden
//! files' generator, counted per seat, compared with `geopandas.sjoin(predicate="within")`
//! (scripts/golden/make_golden_points.py); and real postcodes located by lon/lat and by
//! National Grid coordinates.

use crate::util::{data, root, shared};
use serde_json::Value;
use sigmap::points::{PointColumns, PointCrs, PointReader};
use sigmap::{Areas, LayerOptions, SpatialIndex};
use std::path::Path;

/// SplitMix64, as the golden script draws its points.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 * 2f64.powi(-53)
    }
}

/// The golden file's points, checked against the first points it records.
fn golden_points(golden: &Value) -> Vec<(f64, f64)> {
    let env = &golden["envelope"];
    let f = |k: &str| env[k].as_f64().unwrap();
    let (lon0, lon1, lat0, lat1) = (f("lon_min"), f("lon_max"), f("lat_min"), f("lat_max"));
    let mut rng = SplitMix64(golden["seed"].as_u64().unwrap());
    let n = golden["n"].as_u64().unwrap() as usize;
    let points: Vec<(f64, f64)> = (0..n)
        .map(|_| {
            let (u1, u2) = (rng.uniform(), rng.uniform());
            (lon0 + u1 * (lon1 - lon0), lat0 + u2 * (lat1 - lat0))
        })
        .collect();
    for first in golden["first_points"].as_array().unwrap() {
        let i = first["i"].as_u64().unwrap() as usize;
        let bits = |k: &str| u64::from_str_radix(&first[k].as_str().unwrap()[2..], 16).unwrap();
        assert_eq!(
            points[i].0.to_bits(),
            bits("lon_bits"),
            "point {i} longitude"
        );
        assert_eq!(
            points[i].1.to_bits(),
            bits("lat_bits"),
            "point {i} latitude"
        );
    }
    points
}

fn check_against_sjoin(golden_file: &str, layer: &Path) {
    let path = root().join("tests/golden/points").join(golden_file);
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let areas = LayerOptions::new()
        .check_geometry(false)
        .from_path(layer)
        .unwrap();
    assert_eq!(
        areas.layer.sha256,
        golden["layer_sha256"].as_str().unwrap(),
        "{golden_file}: the layer changed since the golden file was made"
    );
    let points = golden_points(&golden);
    let index = SpatialIndex::new(&areas);
    let counts = index.join_points(points.iter().copied(), None);
    let expected = golden["counts"].as_object().unwrap();
    assert_eq!(expected.len(), areas.len());
    let mut wrong = Vec::new();
    for (area, &got) in areas.iter().zip(&counts.counts) {
        let want = expected[&area.code].as_u64().unwrap();
        if want != got {
            wrong.push(format!(
                "{} {}: sjoin {want}, sigmap {got}",
                area.code, area.name
            ));
        }
    }
    assert!(wrong.is_empty(), "{golden_file}: {}", wrong.join("; "));
    assert_eq!(counts.unmatched, golden["unmatched"].as_u64().unwrap());
    assert_eq!(counts.overlaps, golden["multi"]["count"].as_u64().unwrap());
    assert_eq!(counts.points, points.len() as u64);
}

#[test]
fn million_points_match_geopandas_sjoin_on_the_2024_layer() {
    check_against_sjoin(
        "pcon2024_20pct_uk.json",
        &data("boundaries/pcon2024_bgc_20pct.geojson"),
    );
}

#[test]
fn london_points_match_geopandas_sjoin_on_both_layers() {
    check_against_sjoin(
        "pcon2024_20pct_london.json",
        &data("boundaries/pcon2024_bgc_20pct.geojson"),
    );
    check_against_sjoin(
        "pcon2010_20pct_london.json",
        &data("boundaries/pcon2010_bgc_20pct.geojson"),
    );
}

#[test]
fn million_points_match_geopandas_sjoin_on_the_2010_layer() {
    check_against_sjoin(
        "pcon2010_20pct_uk.json",
        &data("boundaries/pcon2010_bgc_20pct.geojson"),
    );
}

#[test]
#[ignore = "needs ../shared"]
fn points_match_geopandas_sjoin_on_the_full_resolution_layer() {
    let layer = shared("pcon2024_bgc.geojson");
    check_against_sjoin("pcon2024_full_uk.json", &layer);
    check_against_sjoin("pcon2024_full_london.json", &layer);
}

/// Distance in metres from a National Grid point to the nearest boundary of an area.
fn boundary_distance_m(area: &sigmap::Area, e: f64, n: f64) -> f64 {
    use geo::{Distance, Euclidean, Point};
    let bng = sigmap::crs::multipolygon_to_bng(&area.geometry).unwrap();
    bng.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|ring| Euclidean.distance(&Point::new(e, n), ring))
        .fold(f64::INFINITY, f64::min)
}

#[test]
#[ignore = "needs ../shared"]
fn postcodes_land_in_the_same_seat_by_lon_lat_and_by_national_grid() {
    let file = shared("postcodes_cb_codepo.csv");
    let areas = Areas::shipped(sigmap::Vintage::Pcon2024).unwrap();
    let index = SpatialIndex::new(&areas);
    let read = |columns: PointColumns, crs| {
        let mut reader = PointReader::from_path(&file, &columns, Some(crs)).unwrap();
        let mut points = Vec::new();
        while reader.read_batch(&mut points).unwrap() > 0 {}
        points
    };
    let by_lonlat = read(PointColumns::default(), PointCrs::Wgs84);
    let en_columns = PointColumns {
        x: Some("Eastings".into()),
        y: Some("Northings".into()),
    };
    let by_grid = read(en_columns.clone(), PointCrs::Bng);
    let mut raw = csv::Reader::from_path(&file).unwrap();
    let rows: Vec<csv::StringRecord> = raw.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 10_970);
    let a = index.locate_many(&by_lonlat);
    let b = index.locate_many(&by_grid);
    // every postcode is in a seat by the file's lon/lat, exactly as geopandas finds
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(
            root().join("tests/golden/points/postcodes_cb_pcon2024_20pct.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let codes = golden["codes_lonlat"].as_array().unwrap();
    for (i, (found, want)) in a.iter().zip(codes).enumerate() {
        assert_eq!(
            found.map(|id| areas[id].code.as_str()),
            want.as_str(),
            "row {}",
            i + 1
        );
    }
    let mut disagreements = Vec::new();
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        if x != y {
            let (e, n): (f64, f64) = (rows[i][2].parse().unwrap(), rows[i][3].parse().unwrap());
            let d = [x, y]
                .iter()
                .filter_map(|id| id.map(|id| boundary_distance_m(&areas[id], e, n)))
                .fold(f64::INFINITY, f64::min);
            disagreements.push((rows[i][0].to_string(), *x, *y, d));
        }
    }
    // listed, so a failing run shows them
    for (postcode, x, y, d) in &disagreements {
        let code = |id: &Option<usize>| id.map_or("-", |id| areas[id].code.as_str());
        println!(
            "{postcode}: lon/lat {} vs grid {}, {d:.2} m from the boundary",
            code(x),
            code(y)
        );
    }
    let agree = 1.0 - disagreements.len() as f64 / rows.len() as f64;
    assert!(agree >= 0.999, "only {:.4} agree", agree);
    // the file's lon/lat come from a Helmert transformation, OSTN15 differs by 1-4 m
    assert!(disagreements.iter().all(|d| d.3 < 5.0), "{disagreements:?}");
}
