//! Reference values: per-seat metrics and areas from the Python scientific stack (scipy,
//! pyproj's Karney geodesics; `scripts/golden/make_golden_metrics.py`), and byte-for-byte
//! output goldens of `sigmap report` (re-bless with `SIGMAP_BLESS=1 cargo test`).

use crate::util;
use approx::assert_relative_eq;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sigmap::{Areas, Denominators, Petition, Report, Table, Vintage};

fn golden(name: &str) -> Value {
    let path = util::root().join("tests/golden/metrics").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn check_metrics(petition_file: &str, golden_file: &str) {
    let g = golden(golden_file);
    let p = Petition::from_path(util::data(petition_file)).unwrap();
    let t = Table::join(
        &p,
        &Areas::shipped(Vintage::Pcon2010).unwrap(),
        &Denominators::shipped(Vintage::Pcon2010).unwrap(),
    )
    .unwrap();
    let rows = g["rows"].as_array().unwrap();
    assert_eq!(rows.len(), t.rows.len());
    let ours = serde_json::to_value(&t.rows).unwrap();
    for (want, got) in rows.iter().zip(ours.as_array().unwrap()) {
        assert_eq!(want["code"], got["code"]);
        for (key, w) in want.as_object().unwrap() {
            let g = &got[key.as_str()];
            match (w.as_f64(), g.as_f64()) {
                (Some(w), Some(g)) if key.starts_with("rank_") || key == "signatures" => {
                    assert_eq!(w, g, "{} {key}", want["code"])
                }
                (Some(0.0), Some(g)) => {
                    assert!(g.abs() < 1e-12, "{} {key}: {g}", want["code"])
                }
                (Some(w), Some(g)) => assert_relative_eq!(w, g, max_relative = 1e-9),
                _ => assert_eq!(w, g, "{} {key}", want["code"]),
            }
        }
    }
}

#[test]
fn metrics_match_scipy_and_pyproj_petition_241584() {
    check_metrics("petitions/petition_241584.json", "petition_241584.json");
}

#[test]
fn metrics_match_scipy_and_pyproj_petition_105868_zero_filled() {
    check_metrics("petitions/petition_105868.json", "petition_105868.json");
}

#[test]
fn areas_2024_match_pyproj_geodesic_and_bng() {
    let g = golden("areas_pcon2024.json");
    let areas = Areas::shipped(Vintage::Pcon2024).unwrap();
    for (want, area) in g["rows"].as_array().unwrap().iter().zip(areas.iter()) {
        assert_eq!(want["code"], area.code.as_str());
        assert_relative_eq!(
            want["area_km2"].as_f64().unwrap(),
            area.area_km2,
            max_relative = 1e-9
        );
        // pyproj's offline BNG is a Helmert transformation, ours OSTN15: metres apart
        if let Ok(bng) = sigmap::crs::multipolygon_to_bng(&area.geometry) {
            let ours = geo::Area::unsigned_area(&bng) / 1e6;
            assert_relative_eq!(
                want["bng_area_km2"].as_f64().unwrap(),
                ours,
                max_relative = 1e-4
            );
        }
    }
}

/// Compares `got` with the golden file, or rewrites it under SIGMAP_BLESS=1.
fn compare_or_bless(name: &str, got: &str) {
    let path = util::root().join("tests/golden/report").join(name);
    if std::env::var_os("SIGMAP_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (make it with SIGMAP_BLESS=1 cargo test)",
            path.display()
        )
    });
    util::assert_same_text(&expected, got, name);
}

#[test]
fn report_outputs_match_goldens() {
    let name = "data/petitions/petition_105868.json";
    let text = std::fs::read_to_string(util::root().join(name)).unwrap();
    let report =
        Report::with_shipped_data(Petition::from_reader(text.as_bytes(), name).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    report.write_to_dir(dir.path()).unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    compare_or_bless("petition_105868/areas.csv", &read("areas.csv"));
    compare_or_bless("petition_105868/summary.json", &read("summary.json"));
    // the big files: a line per feature or element, so a change shows where it is, and a
    // hash of every byte
    compare_or_bless(
        "petition_105868/areas.geojson.txt",
        &geojson_outline(&read("areas.geojson")),
    );
    compare_or_bless(
        "petition_105868/map.svg.txt",
        &svg_outline(&read("map.svg")),
    );
    let hashes: String = ["areas.geojson", "map.svg"]
        .iter()
        .map(|f| format!("{}  {f}\n", sha256_hex(read(f).as_bytes())))
        .collect();
    compare_or_bless("petition_105868/SHA256SUMS", &hashes);
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The property names of a GeoJSON FeatureCollection's first feature, then one line per
/// feature: its code, a hash of its properties (their values are areas.csv's golden), its
/// geometry's type, rings, vertices and a hash of its coordinates.
fn geojson_outline(text: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let features = v["features"].as_array().unwrap();
    let mut out = match features.first().and_then(|f| f["properties"].as_object()) {
        Some(p) => format!(
            "properties: {}\n",
            p.keys().cloned().collect::<Vec<_>>().join(",")
        ),
        None => String::new(),
    };
    for (i, f) in features.iter().enumerate() {
        let g = &f["geometry"];
        let coords = g["coordinates"].to_string();
        let rings = coords.matches("[[").count();
        let vertices = coords.matches('[').count() - coords.matches("[[").count();
        out.push_str(&format!(
            "{i} {} properties={} | {} rings={rings} vertices={vertices} coords={}\n",
            f["properties"]["code"].as_str().unwrap_or("?"),
            &sha256_hex(f["properties"].to_string().as_bytes())[..16],
            g["type"].as_str().unwrap_or("null"),
            &sha256_hex(coords.as_bytes())[..16]
        ));
    }
    out
}

/// One line per SVG element, indented by depth: its name, its attributes (a path's `d` as
/// its length and a hash) and its text.
fn svg_outline(text: &str) -> String {
    let doc = roxmltree::Document::parse(text).unwrap();
    let mut out = String::new();
    for node in doc.root().descendants().filter(|n| n.is_element()) {
        let depth = node.ancestors().filter(|a| a.is_element()).count() - 1;
        let attrs: Vec<String> = node
            .attributes()
            .map(|a| match a.name() {
                "d" => format!(
                    "d=<{} bytes {}>",
                    a.value().len(),
                    &sha256_hex(a.value().as_bytes())[..16]
                ),
                name => format!("{name}={:?}", a.value()),
            })
            .collect();
        let own_text: String = node
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect::<String>()
            .trim()
            .to_string();
        out.push_str(&format!(
            "{}{} {}{}\n",
            "  ".repeat(depth),
            node.tag_name().name(),
            attrs.join(" "),
            if own_text.is_empty() {
                String::new()
            } else {
                format!(" | {own_text}")
            }
        ));
    }
    out
}
