//! One layer in every format sigmap reads gives one table (#13, point 3): the fixtures in
//! `tests/fixtures/layers/` are 40 seats of the shipped 2024 layer written by GDAL
//! (`scripts/make_layer_fixtures.py`) as GeoJSON, Shapefile (WGS84 and British National
//! Grid), zipped Shapefile, a Windows-1252 Shapefile and GeoPackages.
//!
//! WGS84 files hold the same doubles (the source has 6 decimals, which every format keeps
//! exactly), so areas and centroids agree to 1e-9 relative. The BNG files were converted
//! with OSTN15 (convertbng 2.0.0 = lonlat_bng 0.9.0, sigmap's own transformation) and rounded
//! to the millimetre; sigmap converts them back with the OSTN15 inverse. A vertex thus comes
//! back within about a millimetre, a seat's area moves by at most its perimeter times that
//! (here < 2e-6 relative for the smallest seat) and in practice far less: the test allows
//! 1e-6 relative (areas) and 1e-7 degrees (centroids, ~1 cm) and asserts the shared vertices
//! stayed shared (same queen neighbours).
//!
//! See: #13

#[cfg(feature = "cli")]
use crate::cli::{sigmap, stderr, stdout};
use crate::util;
use sigmap::{Areas, LayerOptions, SpatialIndex, Weights};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    util::fixture(&format!("layers/{name}"))
}

fn load(name: &str) -> Areas {
    LayerOptions::new()
        .from_path(fixture(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load_err(path: &Path) -> sigmap::Error {
    match LayerOptions::new().from_path(path) {
        Ok(a) => panic!(
            "{}: read {} areas, expected an error",
            path.display(),
            a.len()
        ),
        Err(e) => e,
    }
}

/// Queen neighbours of each area, as codes.
fn neighbours(areas: &Areas) -> Vec<BTreeSet<String>> {
    let w = Weights::queen(areas);
    (0..areas.len())
        .map(|i| {
            w.neighbours(i)
                .iter()
                .map(|&j| areas[j as usize].code.clone())
                .collect()
        })
        .collect()
}

/// `n` points from a fixed seed, each in the bounding box of an area taken in turn (so that
/// many fall near boundaries): splitmix64, to depend on no RNG crate's stream.
fn points(areas: &Areas, n: usize) -> Vec<(f64, f64)> {
    use geo::BoundingRect;
    let mut state: u64 = 13;
    let mut unit = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|i| {
            let b = areas[i % areas.len()].geometry.bounding_rect().unwrap();
            (
                b.min().x + unit() * b.width(),
                b.min().y + unit() * b.height(),
            )
        })
        .collect()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs())
}

/// Asserts `got` is the same table as `want`: codes and names in order, queen neighbours,
/// point locations; areas within `area_rel`, centroids within `centroid_deg`.
fn assert_same_layer(want: &Areas, got: &Areas, what: &str, area_rel: f64, centroid_deg: f64) {
    let codes = |a: &Areas| {
        a.iter()
            .map(|x| (x.code.clone(), x.name.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(want), codes(got), "{what}: codes and names");
    assert_eq!(
        neighbours(want),
        neighbours(got),
        "{what}: queen neighbours"
    );
    let (iw, ig) = (SpatialIndex::new(want), SpatialIndex::new(got));
    let pts = points(want, 400);
    let located: Vec<_> = pts.iter().map(|&(x, y)| iw.locate(x, y)).collect();
    assert!(
        located.iter().filter(|l| l.is_some()).count() > 200,
        "{what}: too few points in an area to test anything"
    );
    for (&(x, y), l) in pts.iter().zip(&located) {
        assert_eq!(*l, ig.locate(x, y), "{what}: point ({x}, {y})");
    }
    for (a, b) in want.iter().zip(got.iter()) {
        assert!(
            rel(a.area_km2, b.area_km2) <= area_rel,
            "{what}: {} area {} vs {} ({:e} relative)",
            a.code,
            a.area_km2,
            b.area_km2,
            rel(a.area_km2, b.area_km2)
        );
        let d = (a.centroid.x() - b.centroid.x())
            .abs()
            .max((a.centroid.y() - b.centroid.y()).abs());
        assert!(
            d <= centroid_deg,
            "{what}: {} centroid off by {d:e} degrees",
            a.code
        );
    }
    assert_eq!(
        want.issues.iter().map(|i| &i.code).collect::<Vec<_>>(),
        got.issues.iter().map(|i| &i.code).collect::<Vec<_>>(),
        "{what}: geometry issues"
    );
}

#[test]
fn every_format_gives_the_same_table() {
    let geojson = load("pcon24_subset.geojson");
    assert_eq!(geojson.len(), 40);
    assert_eq!(geojson.get("W07000112").unwrap().name, "Ynys Môn");
    // holes and islands survive: York Outer has York Central as a hole, North West Norfolk
    // has 33 parts
    let york = &geojson.get("E14001605").unwrap().geometry;
    assert_eq!(york.0.iter().map(|p| p.interiors().len()).sum::<usize>(), 1);
    assert_eq!(geojson.get("E14001405").unwrap().geometry.0.len(), 33);
    for name in [
        "pcon24_wgs84.shp",
        "pcon24_wgs84.zip",
        "pcon24_wgs84.gpkg",
        "pcon24_cp1252.shp",
    ] {
        let layer = load(name);
        assert_same_layer(&geojson, &layer, name, 1e-9, 1e-9);
        assert_eq!(layer.layer.converted_from, None, "{name}");
        assert_eq!(layer.layer.code_property, "PCON24CD", "{name}");
        assert_eq!(
            layer.layer.name_property.as_deref(),
            Some("PCON24NM"),
            "{name}"
        );
    }
    for name in ["pcon24_bng.shp", "pcon24_bng.gpkg"] {
        let layer = load(name);
        assert_same_layer(&geojson, &layer, name, 1e-6, 1e-7);
        assert_eq!(
            layer.layer.converted_from.as_deref(),
            Some("EPSG:27700"),
            "{name}"
        );
    }
}

#[test]
fn layer_hash_is_the_files() {
    // the zip's hash is the zip's, the shapefile's its .shp's: results name what was given
    let zip = load("pcon24_wgs84.zip");
    let shp = load("pcon24_wgs84.shp");
    assert_ne!(zip.layer.sha256, shp.layer.sha256);
    assert_eq!(zip.layer.name, "pcon24_wgs84.zip");
    assert_eq!(shp.layer.sha256.len(), 64);
}

/// Copies the fixture `stem.*` with the extensions `exts` into `dir` as `to.EXT`.
fn copy_shapefile(dir: &Path, stem: &str, exts: &[&str], to: &str) -> PathBuf {
    for ext in exts {
        std::fs::copy(
            fixture(&format!("{stem}.{}", ext.to_ascii_lowercase())),
            dir.join(format!("{to}.{ext}")),
        )
        .unwrap();
    }
    dir.join(format!("{to}.{}", exts[0]))
}

#[test]
fn dbf_encoding_from_the_cpg_or_the_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let ynys_mon = |areas: &Areas| areas.get("W07000112").unwrap().name.clone();
    // the .cpg says 1252 (GDAL writes `CP1252`)
    assert_eq!(
        std::fs::read_to_string(fixture("pcon24_cp1252.cpg")).unwrap(),
        "CP1252"
    );
    assert_eq!(ynys_mon(&load("pcon24_cp1252.shp")), "Ynys Môn");
    // no .cpg, no language driver id: not UTF-8, so Windows-1252
    let p = copy_shapefile(dir.path(), "pcon24_cp1252", &["shp", "dbf"], "latin");
    assert_eq!(
        ynys_mon(&LayerOptions::new().from_path(&p).unwrap()),
        "Ynys Môn"
    );
    // no .cpg over UTF-8 bytes: UTF-8
    let p = copy_shapefile(dir.path(), "pcon24_wgs84", &["shp", "dbf"], "utf8");
    assert_eq!(
        ynys_mon(&LayerOptions::new().from_path(&p).unwrap()),
        "Ynys Môn"
    );
    // other spellings of the same code page
    for label in ["1252", "ANSI 1252", "windows-1252", "ISO-8859-1"] {
        let p = copy_shapefile(dir.path(), "pcon24_cp1252", &["shp", "dbf"], "label");
        std::fs::write(dir.path().join("label.cpg"), label).unwrap();
        assert_eq!(
            ynys_mon(&LayerOptions::new().from_path(&p).unwrap()),
            "Ynys Môn",
            "{label}"
        );
    }
    // a .cpg that says UTF-8 over Windows-1252 bytes: refused at the value, not garbled
    let p = copy_shapefile(dir.path(), "pcon24_cp1252", &["shp", "dbf"], "wrong");
    std::fs::write(dir.path().join("wrong.cpg"), "UTF-8").unwrap();
    let e = load_err(&p);
    assert!(e.is_input());
    let record = 1 + load("pcon24_subset.geojson").index_of("W07000112").unwrap();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: record {record}, field PCON24NM: the .cpg says UTF-8 but this value is not valid UTF-8: correct the .cpg (e.g. `1252` for Windows Latin)",
            p.display()
        )
    );
}

#[test]
fn sibling_extensions_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let p = copy_shapefile(
        dir.path(),
        "pcon24_bng",
        &["SHP", "DBF", "PRJ", "CPG"],
        "Seats",
    );
    let areas = LayerOptions::new().from_path(&p).unwrap();
    assert_eq!(areas.len(), 40);
    // the .PRJ was found: British National Grid from the file, not guessed from the range
    assert_eq!(areas.layer.converted_from.as_deref(), Some("EPSG:27700"));
    assert_eq!(areas.get("W07000112").unwrap().name, "Ynys Môn");
}

#[test]
fn malformed_shapefiles_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // no .dbf
    let p = copy_shapefile(dir.path(), "pcon24_wgs84", &["shp", "prj"], "nodbf");
    let e = load_err(&p);
    assert!(e.is_input());
    assert_eq!(
        e.to_string(),
        format!(
            "{}: no .dbf beside the .shp: a Shapefile's attributes (the area codes and names) are in the .dbf of the same name",
            p.display()
        )
    );
    // a .shp cut in the middle of a shape
    let p = copy_shapefile(dir.path(), "pcon24_wgs84", &["shp", "dbf"], "cut");
    let shp = std::fs::read(&p).unwrap();
    std::fs::write(&p, &shp[..shp.len() / 2]).unwrap();
    let e = load_err(&p);
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!("{}: record ", p.display())),
        "{msg}"
    );
    assert!(
        msg.ends_with(", field geometry: the .shp ends inside this shape (a truncated file?)"),
        "{msg}"
    );
    // a .shp of its header alone (the file length in it set to 100 bytes): no shape at
    // all, while the .dbf has 40 records
    let mut header = shp[..100].to_vec();
    header[24..28].copy_from_slice(&50u32.to_be_bytes());
    std::fs::write(&p, &header).unwrap();
    let msg = load_err(&p).to_string();
    assert!(
        msg.ends_with(
            "expected as many .dbf records as .shp shapes, found 40 record(s) and 0 shape(s)"
        ),
        "{msg}"
    );
    // a .dbf with fewer records than the .shp (its header says so), and one cut short
    let p = copy_shapefile(dir.path(), "pcon24_wgs84", &["shp", "dbf"], "short");
    let mut dbf = std::fs::read(dir.path().join("short.dbf")).unwrap();
    dbf[4..8].copy_from_slice(&39u32.to_le_bytes());
    std::fs::write(dir.path().join("short.dbf"), &dbf).unwrap();
    assert_eq!(
        load_err(&p).to_string(),
        format!(
            "{}: expected as many .dbf records as .shp shapes, found 39 record(s) and 40 shape(s)",
            p.display()
        )
    );
    dbf[4..8].copy_from_slice(&40u32.to_le_bytes());
    std::fs::write(dir.path().join("short.dbf"), &dbf[..dbf.len() / 2]).unwrap();
    let msg = load_err(&p).to_string();
    assert!(
        msg.starts_with(&format!(
            "{}: the .dbf header announces 40 record(s) but the file holds ",
            p.display()
        )),
        "{msg}"
    );
    // not a shapefile at all
    let p = dir.path().join("junk.shp");
    std::fs::write(&p, b"hello").unwrap();
    std::fs::copy(fixture("pcon24_wgs84.dbf"), dir.path().join("junk.dbf")).unwrap();
    let msg = load_err(&p).to_string();
    assert!(
        msg.starts_with(&format!(
            "{}: expected a Shapefile (.shp) header",
            p.display()
        )),
        "{msg}"
    );
}

#[test]
fn zips_with_other_than_one_shapefile_are_refused() {
    let p = fixture("two_shapefiles.zip");
    let e = load_err(&p);
    assert!(e.is_input());
    assert_eq!(
        e.to_string(),
        format!(
            "{}: expected one Shapefile (.shp) in the zip, found 2: a.shp, b.shp; unzip it and give the one to read",
            p.display()
        )
    );
    // a zip without a Shapefile
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("readme.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("README.txt", stored).unwrap();
    std::io::Write::write_all(&mut z, b"boundaries").unwrap();
    z.finish().unwrap();
    assert_eq!(
        load_err(&p).to_string(),
        format!(
            "{}: expected one Shapefile (.shp) in the zip, found none (members: README.txt)",
            p.display()
        )
    );
    // a zip cut short (its central directory is at the end)
    let p = dir.path().join("cut.zip");
    let bytes = std::fs::read(fixture("pcon24_wgs84.zip")).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 3]).unwrap();
    let msg = load_err(&p).to_string();
    assert!(
        msg.starts_with(&format!("{}: not a readable zip archive", p.display())),
        "{msg}"
    );
}

#[test]
fn geopackage_tables_are_chosen_or_refused() {
    let p = fixture("two_tables.gpkg");
    let e = load_err(&p);
    assert!(e.is_input());
    assert_eq!(
        e.to_string(),
        format!(
            "{}: 2 polygon tables: england (MULTIPOLYGON), wales (MULTIPOLYGON); choose one with --areas-layer NAME",
            p.display()
        )
    );
    let wales = LayerOptions::new().table("wales").from_path(&p).unwrap();
    assert_eq!(wales.len(), 32);
    assert_eq!(wales.get("W07000112").unwrap().name, "Ynys Môn");
    let e = LayerOptions::new()
        .table("scotland")
        .from_path(&p)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: no feature table `scotland` (feature tables: england (MULTIPOLYGON), wales (MULTIPOLYGON))",
            p.display()
        )
    );

    let p = fixture("points.gpkg");
    assert_eq!(
        load_err(&p).to_string(),
        format!(
            "{}: expected a polygon feature table, found only seat_points (POINT)",
            p.display()
        )
    );
    let e = LayerOptions::new()
        .table("seat_points")
        .from_path(&p)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}!seat_points: field geom: expected polygons (POLYGON or MULTIPOLYGON), found POINT",
            p.display()
        )
    );
    // SQLite but not a GeoPackage, and not SQLite at all
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.gpkg");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(
        load_err(&junk)
            .to_string()
            .contains("found a file that is not SQLite")
    );
}

#[cfg(feature = "cli")]
#[test]
fn report_and_locate_take_shapefiles_and_geopackages() {
    let dir = tempfile::tempdir().unwrap();
    let areas = load("pcon24_subset.geojson");
    let mut csv = String::from("code,count\n");
    for (i, a) in areas.iter().enumerate() {
        csv.push_str(&format!("{},{}\n", a.code, 10 + i));
    }
    util::write(dir.path(), "petition.csv", &csv);
    let mut tables = Vec::new();
    for (layer, out) in [
        ("pcon24_wgs84.shp", "shp"),
        ("pcon24_subset.geojson", "geojson"),
    ] {
        let o = sigmap(
            &[
                "report",
                "petition.csv",
                "--areas",
                &fixture(layer).display().to_string(),
                "--permutations",
                "9",
                "--out",
                out,
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{layer}: {}", stderr(&o));
        let table = std::fs::read_to_string(dir.path().join(out).join("areas.csv")).unwrap();
        assert_eq!(table.lines().count(), 41, "{layer}");
        assert!(table.contains("W07000112,Ynys Môn,"), "{layer}");
        tables.push(table);
    }
    assert_eq!(
        tables[0], tables[1],
        "areas.csv from the Shapefile and the GeoJSON"
    );

    // a GeoPackage with two polygon tables: --areas-layer picks one, else exit 2
    let gpkg = fixture("two_tables.gpkg").display().to_string();
    let o = sigmap(
        &[
            "locate",
            "-4.35",
            "53.28",
            "--areas",
            &gpkg,
            "--areas-layer",
            "wales",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("W07000112"), "{}", stdout(&o));
    let o = sigmap(&["locate", "-4.35", "53.28", "--areas", &gpkg], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("choose one with --areas-layer NAME"),
        "{}",
        stderr(&o)
    );
}
