//! Point location against geopandas: seeded points regenerated bit for bit from the golden
//! files' generator, counted per seat, compared with `geopandas.sjoin(predicate="within")`
//! (scripts/golden/make_golden_points.py); and real postcodes located by lon/lat and by
//! National Grid coordinates.

use crate::util::{data, root, shared};
use serde_json::Value;
use sigmap::crs::PointCrs;
use sigmap::{Areas, LayerOptions, PointColumns, PointReader, SpatialIndex};
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
            // both points on the grid: the file's Eastings/Northings, and its lon/lat
            // projected with OSTN15
            let grid: (f64, f64) = (rows[i][2].parse().unwrap(), rows[i][3].parse().unwrap());
            let lonlat = sigmap::crs::wgs84_to_bng(by_lonlat[i].0, by_lonlat[i].1).unwrap();
            let to_boundary = |(e, n): (f64, f64)| {
                [x, y]
                    .iter()
                    .filter_map(|id| id.map(|id| boundary_distance_m(&areas[id], e, n)))
                    .fold(f64::INFINITY, f64::min)
            };
            let apart = (grid.0 - lonlat.0).hypot(grid.1 - lonlat.1);
            disagreements.push((
                rows[i][0].to_string(),
                *x,
                *y,
                to_boundary(grid),
                to_boundary(lonlat),
                apart,
            ));
        }
    }
    // The list is committed (tests/golden/points/postcode_disagreements.csv): a change of
    // OSTN15, the layer or the boundary rule shows up here. Re-bless with SIGMAP_BLESS=1.
    let code = |id: &Option<usize>| id.map_or("-", |id| areas[id].code.as_str());
    let mut got = String::from(
        "postcode,seat_by_lon_lat,seat_by_grid,grid_point_to_boundary_m,lon_lat_point_to_boundary_m,points_apart_m\n",
    );
    for (postcode, x, y, grid, lonlat, apart) in &disagreements {
        got.push_str(&format!(
            "{postcode},{},{},{grid:.2},{lonlat:.2},{apart:.2}\n",
            code(x),
            code(y)
        ));
    }
    let golden = root().join("tests/golden/points/postcode_disagreements.csv");
    if std::env::var_os("SIGMAP_BLESS").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap();
    crate::util::assert_same_text(&expected, &got, "postcode_disagreements.csv");
    let agree = 1.0 - disagreements.len() as f64 / rows.len() as f64;
    assert!(agree >= 0.999, "only {:.4} agree", agree);
    // the file's lon/lat come from a Helmert transformation, OSTN15 differs by 1-4 m
    assert!(
        disagreements.iter().all(|d| d.3 < 5.0 && d.4 < 5.0),
        "{disagreements:?}"
    );
    // and with Eastings and Northings exchanged, the whole file is refused
    let swapped_columns = PointColumns {
        x: Some("Northings".into()),
        y: Some("Eastings".into()),
    };
    let mut reader = PointReader::from_path(&file, &swapped_columns, Some(PointCrs::Bng)).unwrap();
    let mut points = Vec::new();
    while reader.read_batch(&mut points).unwrap() > 0 {}
    let counts = index.join_points(points, None);
    assert_eq!(counts.unmatched + counts.matched, 10_970);
    let e = reader
        .check_axis_order(|lon, lat| index.locate(lon, lat).is_some())
        .unwrap_err();
    assert!(matches!(e, sigmap::Error::SwappedAxes { .. }), "{e}");
}

/// The shipped Code-Point Open sample, read with `columns` as British National Grid.
fn read_sample(columns: &PointColumns) -> sigmap::Result<PointReader<std::fs::File>> {
    let mut reader = PointReader::from_path(
        data("points/postcodes_cb_sample.csv"),
        columns,
        Some(PointCrs::Bng),
    )?;
    let mut points = Vec::new();
    while reader.read_batch(&mut points)? > 0 {}
    Ok(reader)
}

#[test]
fn postcodes_with_easting_and_northing_swapped_are_refused_as_a_file() {
    let areas = Areas::shipped(sigmap::Vintage::Pcon2024).unwrap();
    let index = SpatialIndex::new(&areas);
    let columns = |x: &str, y: &str| PointColumns {
        x: Some(x.into()),
        y: Some(y.into()),
    };
    // as given: every point of the sample is read, and the check passes
    let right = read_sample(&columns("easting", "northing")).unwrap();
    assert_eq!(right.records(), 998);
    right
        .check_axis_order(|lon, lat| index.locate(lon, lat).is_some())
        .unwrap();
    // swapped: both numbers are below 700 km, so no single point is an error (each is a
    // plausible place in Great Britain), but the file as a whole is refused
    let swapped = read_sample(&columns("northing", "easting")).unwrap();
    let e = swapped
        .check_axis_order(|lon, lat| index.locate(lon, lat).is_some())
        .unwrap_err();
    let sigmap::Error::SwappedAxes {
        x_column,
        y_column,
        sample,
        located,
        located_swapped,
        ..
    } = &e
    else {
        panic!("{e}");
    };
    assert_eq!((&**x_column, &**y_column), ("northing", "easting"));
    // fewer than 1,024 records: the sample is the whole file
    assert_eq!((*sample, *located_swapped), (998, 998));
    assert!(*located < 900, "{e}");
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "{}: the coordinates look swapped: of 998 points sampled, {located} are in an area with x from `northing` and y from `easting`, 998 with the two exchanged",
            data("points/postcodes_cb_sample.csv").display()
        )),
        "{text}"
    );
    assert!(text.contains("--lon easting --lat northing"), "{text}");
    assert!(e.is_input());
}

#[test]
fn the_swap_check_leaves_files_of_points_outside_alone() {
    // Points all abroad (Paris, repeated): in no area either way round, so not swapped.
    let index = SpatialIndex::new(&Areas::shipped(sigmap::Vintage::Pcon2024).unwrap());
    let csv = format!("lon,lat\n{}", "2.35,48.86\n".repeat(500));
    let mut reader =
        PointReader::from_reader(csv.as_bytes(), "p.csv", &PointColumns::default(), None).unwrap();
    let mut points = Vec::new();
    while reader.read_batch(&mut points).unwrap() > 0 {}
    assert_eq!(reader.outside(), 500);
    reader
        .check_axis_order(|lon, lat| index.locate(lon, lat).is_some())
        .unwrap();
}

/// Points beyond `lonlat_bng`'s lon/lat box but on the National Grid: St Mary's (Isles of
/// Scilly), Hirta (St Kilda) and north Unst, with the seats that hold them.
const BEYOND_THE_BOX: [(f64, f64, &str); 3] = [
    (90_342.0, 10_462.0, "St Ives"),
    (9_221.0, 899_645.0, "Na h-Eileanan an Iar"),
    (460_645.0, 1_218_534.0, "Orkney and Shetland"),
];

#[test]
fn points_in_scilly_st_kilda_and_unst_land_in_their_seats_either_way() {
    use sigmap::Location;
    use sigmap::PointConverter;
    let areas = Areas::shipped(sigmap::Vintage::Pcon2024).unwrap();
    let index = SpatialIndex::new(&areas);
    let at = Location::file("test");
    let bng = PointConverter::new(PointCrs::Bng).unwrap();
    let wgs84 = PointConverter::new(PointCrs::Wgs84).unwrap();
    for (e, n, seat) in BEYOND_THE_BOX {
        // BNG -> lon/lat converts (OSTN15's inverse takes the whole grid) ...
        let (lon, lat) = bng.convert(e, n, &at).unwrap().expect("inside the UK");
        let by_grid = index.locate(lon, lat).map(|id| areas[id].name.as_str());
        assert_eq!(by_grid, Some(seat), "({e}, {n})");
        // ... the lon/lat point is located without any conversion ...
        assert_eq!(wgs84.convert(lon, lat, &at).unwrap(), Some((lon, lat)));
        let located = index.locate(lon, lat).map(|id| areas[id].name.as_str());
        assert_eq!(located, Some(seat));
        // ... and only lon/lat -> BNG refuses it, with a typed error
        let back = sigmap::crs::wgs84_to_bng(lon, lat);
        assert!(
            matches!(back, Err(sigmap::Error::Transform { .. })),
            "{back:?}"
        );
    }
}

#[test]
fn a_layer_outside_the_uk_gets_its_own_envelope() {
    use sigmap::crs::{Envelope, UK_ENVELOPE};
    let areas = LayerOptions::new()
        .check_geometry(false)
        .code_property("POLYID")
        .from_path(crate::util::fixture("columbus.geojson"))
        .unwrap();
    let index = SpatialIndex::new(&areas);
    let envelope = index.point_envelope();
    assert!(!envelope.is_uk());
    let b = index.bounding_box().unwrap();
    assert!(envelope.covers(&b) && envelope.min_lon < b.min_lon);
    // the first polygon's first vertex, nudged inside; and a point far outside the layer
    let csv = "x,y\n8.8,14.5\n40,40\n";
    let read = |envelope: Envelope| {
        let mut r =
            PointReader::from_reader(csv.as_bytes(), "p.csv", &PointColumns::default(), None)
                .unwrap()
                .with_envelope(envelope);
        let mut points = Vec::new();
        r.read_batch(&mut points).unwrap();
        (index.join_points(points, None), r.outside())
    };
    let (counts, outside) = read(envelope);
    assert_eq!((counts.matched, counts.unmatched, outside), (1, 1, 1));
    // the UK envelope would have put both outside
    let (counts, outside) = read(UK_ENVELOPE);
    assert_eq!((counts.matched, outside), (0, 2));
    // swapped within the layer's envelope is caught point by point, as in the UK
    let mut r = PointReader::from_reader(
        "x,y\n14.5,8.8\n".as_bytes(),
        "p.csv",
        &PointColumns::default(),
        None,
    )
    .unwrap()
    .with_envelope(envelope);
    let e = r.read_batch(&mut Vec::new()).unwrap_err();
    assert!(e.to_string().contains("(swapped)"), "{e}");
}

#[test]
fn a_swap_plausible_point_by_point_is_caught_in_lon_lat_too() {
    // WGS84 swaps in the UK are caught point by point (UK longitudes and latitudes never
    // overlap); on a layer where x and y share a range they need the file-level check.
    // One triangle below the diagonal of a 10-degree square, and points above it.
    let layer = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
        "properties":{"code":"T"},"geometry":{"type":"Polygon",
        "coordinates":[[[0,0],[10,0],[10,10],[0,0]]]}}]}"#;
    let areas = LayerOptions::new()
        .check_geometry(false)
        .code_property("code")
        .from_reader(layer.as_bytes(), "triangle.geojson")
        .unwrap();
    let index = SpatialIndex::new(&areas);
    let envelope = index.point_envelope();
    let check = |csv: &str| {
        let mut reader =
            PointReader::from_reader(csv.as_bytes(), "p.csv", &PointColumns::default(), None)
                .unwrap()
                .with_envelope(envelope);
        let mut points = Vec::new();
        while reader.read_batch(&mut points).unwrap() > 0 {}
        reader.check_axis_order(|lon, lat| index.locate(lon, lat).is_some())
    };
    let mut above = String::from("lon,lat\n");
    let mut below = String::from("lon,lat\n");
    for i in 0..60 {
        let (a, b) = (1.0 + i as f64 / 10.0, 2.0 + i as f64 / 10.0);
        above.push_str(&format!("{a},{b}\n"));
        below.push_str(&format!("{b},{a}\n"));
    }
    check(&below).unwrap();
    let e = check(&above).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("p.csv: the coordinates look swapped: of 60 points sampled, 0 are in an area with x from `lon` and y from `lat`, 60 with the two exchanged"),
        "{e}"
    );
    // too few points to judge
    let few: String = above.lines().take(31).map(|l| format!("{l}\n")).collect();
    check(&few).unwrap();
}

#[cfg(feature = "proj")]
#[test]
fn a_file_of_irish_transverse_mercator_points_swapped_is_refused() {
    // A lattice over Belfast and south Antrim in ITM (EPSG:2157), 5 km apart. Swapped,
    // its points land in the Irish Sea, Anglesey and Snowdonia: each one plausible, the
    // file not.
    let index = SpatialIndex::new(&Areas::shipped(sigmap::Vintage::Pcon2024).unwrap());
    let mut right = String::from("x,y\n");
    let mut swapped = String::from("x,y\n");
    for x in (700_000..=760_000).step_by(5_000) {
        for y in (840_000..=900_000).step_by(5_000) {
            right.push_str(&format!("{x},{y}\n"));
            swapped.push_str(&format!("{y},{x}\n"));
        }
    }
    let check = |csv: &str| {
        let mut reader = PointReader::from_reader(
            csv.as_bytes(),
            "itm.csv",
            &PointColumns::default(),
            Some(PointCrs::Epsg(2157)),
        )
        .unwrap();
        let mut points = Vec::new();
        while reader.read_batch(&mut points).unwrap() > 0 {}
        // as read: 151 of 169 in a seat; swapped: 99 (in Welsh seats)
        reader.check_axis_order(|lon, lat| index.locate(lon, lat).is_some())
    };
    check(&right).unwrap();
    let e = check(&swapped).unwrap_err();
    assert!(
        e.to_string()
            .contains("of 169 points sampled, 99 are in an area with x from `x` and y from `y`, 151 with the two exchanged"),
        "{e}"
    );
}
