//! Boundary layers as users have them (#13): any ring orientation, British National Grid,
//! coordinates that cannot be longitude/latitude.

use crate::util::{data, write};
use serde_json::Value;
use sigmap::{Areas, LayerOptions, SpatialIndex, Vintage, Weights};
use std::path::Path;

/// The shipped 2024 layer as JSON.
fn shipped_json() -> Value {
    let text = std::fs::read_to_string(data("boundaries/pcon2024_bgc_20pct.geojson")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every polygon (as its array of rings) of a feature's geometry.
fn polygons(geometry: &mut Value) -> Vec<&mut Vec<Value>> {
    let multi = geometry["type"] == "MultiPolygon";
    let coords = geometry["coordinates"].as_array_mut().unwrap();
    if multi {
        coords
            .iter_mut()
            .map(|p| p.as_array_mut().unwrap())
            .collect()
    } else {
        vec![coords]
    }
}

/// Applies `f(feature, polygon, ring, coords)` to every ring of the layer.
/// What [`each_ring`] does to a ring: (feature, polygon, ring (0 = exterior), coordinates).
type RingEdit<'a> = &'a dyn Fn(usize, usize, usize, &mut Vec<Value>);

fn each_ring(layer: &mut Value, f: RingEdit<'_>) {
    for (i, feature) in layer["features"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        for (p, rings) in polygons(&mut feature["geometry"]).into_iter().enumerate() {
            for (r, ring) in rings.iter_mut().enumerate() {
                f(i, p, r, ring.as_array_mut().unwrap());
            }
        }
    }
}

fn load(dir: &Path, name: &str, layer: &Value) -> Areas {
    let path = write(dir, name, &layer.to_string());
    Areas::from_path(path).unwrap()
}

/// Areas, centroids, issues, weights and point locations of two layers agree exactly.
fn assert_same_layer(a: &Areas, b: &Areas) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b.iter()) {
        assert_eq!(x.code, y.code);
        assert!(
            (x.area_km2 - y.area_km2).abs() <= 1e-9 * x.area_km2,
            "{}: {} vs {}",
            x.code,
            x.area_km2,
            y.area_km2
        );
        assert!((x.centroid.x() - y.centroid.x()).abs() < 1e-9, "{}", x.code);
        assert!((x.centroid.y() - y.centroid.y()).abs() < 1e-9, "{}", x.code);
    }
    assert_eq!(a.issues, b.issues);
    assert_eq!(Weights::queen(a), Weights::queen(b));
    assert_eq!(Weights::rook(a), Weights::rook(b));
    let (ia, ib) = (SpatialIndex::new(a), SpatialIndex::new(b));
    let mut state = 12345u64;
    for _ in 0..2000 {
        // a small LCG: points over Great Britain
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let lon = -6.0 + 8.0 * ((state >> 11) as f64 / (1u64 << 53) as f64);
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let lat = 50.0 + 8.5 * ((state >> 11) as f64 / (1u64 << 53) as f64);
        assert_eq!(ia.locate(lon, lat), ib.locate(lon, lat), "({lon}, {lat})");
    }
}

#[test]
fn r13_clockwise_layer_gives_the_same_areas_centroids_weights_and_joins() {
    let dir = tempfile::tempdir().unwrap();
    let original = Areas::shipped(Vintage::Pcon2024).unwrap();
    let mut layer = shipped_json();
    each_ring(&mut layer, &|_, _, _, ring| ring.reverse());
    let reversed = load(dir.path(), "clockwise.geojson", &layer);
    assert_same_layer(&original, &reversed);
    // and the area is a seat's, not the Earth's
    let ynys_mon = reversed.get("W07000112").unwrap();
    assert!(
        (ynys_mon.area_km2 - 720.0).abs() < 20.0,
        "{}",
        ynys_mon.area_km2
    );

    // the same report and map from both, the layer files named alike
    let other = tempfile::tempdir().unwrap();
    let original_file = write(
        other.path(),
        "clockwise.geojson",
        &shipped_json().to_string(),
    );
    let petition =
        sigmap::Petition::from_path(crate::util::fixture("counts_2024_made_up.csv")).unwrap();
    let denominators = sigmap::Denominators::shipped(Vintage::Pcon2024).unwrap();
    let report =
        |areas: Areas| sigmap::Report::new(petition.clone(), areas, &denominators).unwrap();
    let (a, b) = (
        report(Areas::from_path(&original_file).unwrap()),
        report(reversed),
    );
    assert_eq!(a.table.rows, b.table.rows);
    let svg = |r: &sigmap::Report| {
        let mut out = Vec::new();
        r.map().write_to(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    // Zero-area needles of the simplified layer have no orientation to restore, so they
    // keep the file's vertex order: compare every path as a set of rings, each up to its
    // starting vertex and direction.
    let (sa, sb) = (svg(&a), svg(&b));
    assert_eq!(canonical_paths(&sa), canonical_paths(&sb));
    let strip = |s: &str| {
        s.split(" d=\"")
            .map(|p| p.split_once('"').map_or(p, |x| x.1).to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&sa), strip(&sb), "the map outside the paths");
}

#[test]
fn r13_mixed_orientation_with_holes_and_multipolygons() {
    let original = Areas::shipped(Vintage::Pcon2024).unwrap();
    let mut layer = shipped_json();
    // every third ring reversed: exteriors and holes, parts of multipolygons
    each_ring(&mut layer, &|i, p, r, ring| {
        if (i + p + r) % 3 == 0 {
            ring.reverse();
        }
    });
    let counted = {
        let mut holes = 0;
        let mut multi = 0;
        for f in layer["features"].as_array_mut().unwrap() {
            let ps = polygons(&mut f["geometry"]);
            multi += usize::from(ps.len() > 1);
            holes += ps.iter().map(|rings| rings.len() - 1).sum::<usize>();
        }
        (holes, multi)
    };
    assert!(
        counted.0 > 0 && counted.1 > 0,
        "holes and multipolygons: {counted:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let mixed = load(dir.path(), "mixed.geojson", &layer);
    assert_same_layer(&original, &mixed);
}

/// The shipped 2024 layer in British National Grid metres (OSTN15), without the seats that
/// reach beyond the lon/lat box OSTN15 converts from (Scilly, St Kilda, Unst).
fn bng_layer(crs_member: Option<&str>) -> (Value, Vec<String>) {
    let mut layer = shipped_json();
    let mut dropped = Vec::new();
    let features = layer["features"].as_array_mut().unwrap();
    features.retain_mut(|f| {
        let ok = std::cell::Cell::new(true);
        for rings in polygons(&mut f["geometry"]) {
            for ring in rings.iter_mut() {
                for c in ring.as_array_mut().unwrap() {
                    let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
                    match sigmap::crs::wgs84_to_bng(lon, lat) {
                        Ok((e, n)) => *c = serde_json::json!([e, n]),
                        Err(_) => ok.set(false),
                    }
                }
            }
        }
        if !ok.get() {
            dropped.push(f["properties"]["PCON24CD"].as_str().unwrap().to_string());
        }
        ok.get()
    });
    if let Some(name) = crs_member {
        layer["crs"] = serde_json::json!({"type": "name", "properties": {"name": name}});
    }
    (layer, dropped)
}

#[test]
fn r13_british_national_grid_layers_are_converted_with_ostn15() {
    let dir = tempfile::tempdir().unwrap();
    let original = Areas::shipped(Vintage::Pcon2024).unwrap();
    for member in [
        Some("urn:ogc:def:crs:EPSG::27700"),
        Some("EPSG:27700"),
        None, // recognised from the range
    ] {
        let (layer, dropped) = bng_layer(member);
        assert_eq!(dropped.len(), 3, "{dropped:?}");
        let bng = load(dir.path(), "bng.geojson", &layer);
        assert_eq!(bng.layer.converted_from.as_deref(), Some("EPSG:27700"));
        assert_eq!(bng.len(), 647);
        for a in bng.iter() {
            let o = original.get(&a.code).unwrap();
            // OSTN15 rounds to the millimetre both ways: areas agree to about 1e-7
            assert!(
                (a.area_km2 - o.area_km2).abs() <= 1e-6 * o.area_km2,
                "{}: {} vs {}",
                a.code,
                a.area_km2,
                o.area_km2
            );
        }
        // Trafalgar Square
        let index = SpatialIndex::new(&bng);
        let id = index.locate(-0.1281, 51.5080).unwrap();
        assert_eq!(bng[id].name, "Cities of London and Westminster");
    }
}

#[test]
fn r13_coordinates_that_cannot_be_lon_lat_are_refused_by_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut layer = shipped_json();
    // one ring at longitude 400 in feature 12
    each_ring(&mut layer, &|i, _, _, ring| {
        if i == 11 {
            for c in ring.iter_mut() {
                c[0] = serde_json::json!(c[0].as_f64().unwrap() + 400.0);
            }
        }
    });
    let path = write(dir.path(), "lon400.geojson", &layer.to_string());
    let e = Areas::from_path(&path).unwrap_err();
    assert!(e.is_input());
    let msg = e.to_string();
    assert!(
        msg.contains("lon400.geojson: record 12, field geometry")
            && msg.contains("not a longitude/latitude"),
        "{msg}"
    );

    let mut layer = shipped_json();
    each_ring(&mut layer, &|i, _, r, ring| {
        if i == 4 && r == 0 {
            ring[1] = serde_json::json!([1e300, 51.0]);
        }
    });
    let path = write(dir.path(), "huge.geojson", &layer.to_string());
    let msg = Areas::from_path(&path).unwrap_err().to_string();
    assert!(
        msg.contains("huge.geojson: record 5, field geometry"),
        "{msg}"
    );

    // declared WGS84, but in metres
    let (mut layer, _) = bng_layer(None);
    layer["crs"] = serde_json::json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}});
    let path = write(dir.path(), "liar.geojson", &layer.to_string());
    let msg = Areas::from_path(&path).unwrap_err().to_string();
    assert!(
        msg.contains("liar.geojson: record 1, field geometry") && msg.contains("--areas-crs"),
        "{msg}"
    );
}

#[test]
fn r13_stated_crs_overrides_and_web_mercator_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (mut layer, _) = bng_layer(None);
    layer["crs"] = serde_json::json!({"type": "name", "properties": {"name": "EPSG:4326"}});
    let path = write(dir.path(), "wrong_member.geojson", &layer.to_string());
    let areas = LayerOptions::new()
        .crs(sigmap::crs::PointCrs::Bng)
        .from_path(&path)
        .unwrap();
    assert_eq!(areas.len(), 647);

    // Web Mercator metres: named, with the flag to state it
    let mut layer = shipped_json();
    each_ring(&mut layer, &|_, _, _, ring| {
        for c in ring.iter_mut() {
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            let x = lon.to_radians() * 6_378_137.0;
            let y = (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
                .tan()
                .ln()
                * 6_378_137.0;
            *c = serde_json::json!([x, y]);
        }
    });
    let path = write(dir.path(), "mercator.geojson", &layer.to_string());
    let msg = Areas::from_path(&path).unwrap_err().to_string();
    assert!(
        msg.contains("Web Mercator (EPSG:3857)") && msg.contains("--areas-crs 3857"),
        "{msg}"
    );
}

#[cfg(feature = "cli")]
#[test]
fn r13_every_command_takes_a_bng_layer() {
    use crate::cli::{data_arg, sigmap, stderr, stdout};
    let dir = tempfile::tempdir().unwrap();
    let (layer, _) = bng_layer(Some("urn:ogc:def:crs:EPSG::27700"));
    let bng = write(dir.path(), "bng.geojson", &layer.to_string());
    let bng = bng.to_str().unwrap();

    let o = sigmap(
        &["locate", "-0.1281", "51.5080", "--areas", bng],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Cities of London and Westminster"),
        "{}",
        stdout(&o)
    );

    let points = write(
        dir.path(),
        "p.csv",
        "lon,lat\n-0.1281,51.5080\n-3.1883,55.9533\n",
    );
    let o = sigmap(
        &[
            "join-points",
            points.to_str().unwrap(),
            "--areas",
            bng,
            "--format",
            "csv",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Cities of London and Westminster,1"),
        "{}",
        stdout(&o)
    );

    // a report needs the petition's seats: a CSV of the layer's codes
    let codes: Vec<String> = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            format!(
                "{},{}",
                f["properties"]["PCON24CD"].as_str().unwrap(),
                10 + i
            )
        })
        .collect();
    let petition = write(
        dir.path(),
        "p2024.csv",
        &format!("code,count\n{}\n", codes.join("\n")),
    );
    let denominators = data_arg("elections/ge2024_results.csv");
    let out = dir.path().join("out");
    let o = sigmap(
        &[
            "report",
            petition.to_str().unwrap(),
            "--areas",
            bng,
            "--denominators",
            &denominators,
            "--out",
            out.to_str().unwrap(),
            "--rank-draws",
            "0",
            "--permutations",
            "99",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["layer"]["converted_from"], "EPSG:27700",
        "{summary}"
    );
    let csv = std::fs::read_to_string(out.join("areas.csv")).unwrap();
    for cell in csv.lines().skip(1).flat_map(|l| l.split(',')) {
        assert!(cell.parse::<f64>().map_or(true, f64::is_finite), "{cell}");
    }

    let map = dir.path().join("m.svg");
    let o = sigmap(
        &[
            "map",
            petition.to_str().unwrap(),
            "--areas",
            bng,
            "--denominators",
            &denominators,
            "-o",
            map.to_str().unwrap(),
            "--rank-draws",
            "0",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let values = write(
        dir.path(),
        "v.csv",
        &format!("code,n\n{}\n", codes.join("\n")),
    );
    let o = sigmap(
        &[
            "stats",
            "--areas",
            bng,
            "--values",
            values.to_str().unwrap(),
            "--id",
            "code",
            "--count",
            "n",
            "--permutations",
            "99",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));

    // a Web Mercator layer: exit 2, named
    let mercator = write(
        dir.path(),
        "merc.geojson",
        &crate::util::unit_squares("code", [("E14001063".to_string(), 500_000.0, 6_700_000.0)]),
    );
    let o = sigmap(
        &[
            "locate",
            "-0.1",
            "51.5",
            "--areas",
            mercator.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--areas-crs"), "{}", stderr(&o));
}

/// A ring of eight 0.1-degree squares around a missing ninth (a gap), and a tenth square
/// overlapping the first by a fifth.
#[cfg(feature = "cli")]
fn gap_and_overlap_layer(dir: &Path) -> std::path::PathBuf {
    let square = |code: &str, x: f64, y: f64| {
        let (x1, y1) = (x + 0.1, y + 0.1);
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}","name":"Seat {code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}}}"#
        )
    };
    let mut features: Vec<String> = (0..9)
        .filter(|&i| i != 4)
        .map(|i| {
            square(
                &format!("E0600000{i}"),
                -1.0 + (i % 3) as f64 * 0.1,
                52.0 + (i / 3) as f64 * 0.1,
            )
        })
        .collect();
    features.push(square("E06000009", -1.08, 52.0));
    write(
        dir,
        "gappy.geojson",
        &format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
}

/// Election results for [`gap_and_overlap_layer`]'s seats, 100 electors each.
#[cfg(feature = "cli")]
fn gap_and_overlap_denominators(dir: &Path) -> std::path::PathBuf {
    write(
        dir,
        "d.csv",
        "code,electorate,valid_votes\nE06000000,100,60\nE06000001,100,60\nE06000002,100,60\nE06000003,100,60\nE06000005,100,60\nE06000006,100,60\nE06000007,100,60\nE06000008,100,60\nE06000009,100,60\n",
    )
}

#[cfg(feature = "cli")]
#[test]
fn a_layer_is_checked_once_and_its_checks_kept_for_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let layer = gap_and_overlap_layer(dir.path());
    let points = write(dir.path(), "p.csv", "lon,lat\n-0.85,52.15\n-0.5,52.5\n");
    let cache = dir.path().join("cache");
    let run = |args: &[&str], cache: &Path| {
        let o = crate::util::sigmap_command()
            .args(args)
            .env("SIGMAP_CACHE_DIR", cache)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    let kept = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&cache)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().into_string().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let join = [
        "join-points",
        points.to_str().unwrap(),
        "--areas",
        layer.to_str().unwrap(),
        "--format",
        "json",
        "--no-swap-check",
    ];
    let first = run(&join, &cache);
    // join-points needs the gaps alone, and keeps them
    let names = kept();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].ends_with(".gaps.json"), "{names:?}");
    // the next run reads them: the same answer
    assert_eq!(run(&join, &cache), first);
    let json: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(json["in_gaps"], 1, "{json}");
    // what is read is what is kept: an entry of no gaps, and the point is in none
    let gaps = cache.join(&names[0]);
    let kept_text = std::fs::read_to_string(&gaps).unwrap();
    let key = names[0].trim_end_matches(".gaps.json");
    std::fs::write(&gaps, format!(r#"{{"key":"{key}","found":[]}}"#)).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&run(&join, &cache)).unwrap();
    assert_eq!(json["in_gaps"], 0, "{json}");
    std::fs::write(&gaps, kept_text).unwrap();
    // `report` checks for overlaps too, and keeps them beside the gaps
    let petition = write(
        dir.path(),
        "c.csv",
        "code,count\nE06000000,5\nE06000009,6\n",
    );
    let denominators = gap_and_overlap_denominators(dir.path());
    let report = |cache: &Path| {
        let summary = dir.path().join("o/summary.json");
        let _ = std::fs::remove_file(&summary);
        let mut args = vec!["report", petition.to_str().unwrap(), "--areas"];
        args.extend([layer.to_str().unwrap(), "--denominators"]);
        args.extend([denominators.to_str().unwrap(), "--out", "o"]);
        run(&args, cache);
        let text = std::fs::read_to_string(&summary).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        (json["overlaps"].clone(), json["gaps"].clone())
    };
    let checked = report(&cache);
    assert_eq!(kept().len(), 2, "{:?}", kept());
    assert_eq!(report(&cache), checked);
    // nothing kept where SIGMAP_CACHE_DIR is empty, and the same checks
    std::fs::remove_dir_all(&cache).unwrap();
    assert_eq!(report(Path::new("")), checked);
    assert!(!cache.exists());
    assert_eq!(checked.0.as_array().unwrap().len(), 1, "{checked:?}");
    assert_eq!(checked.1.as_array().unwrap().len(), 1, "{checked:?}");
}

#[cfg(feature = "cli")]
#[test]
fn r13_points_in_gaps_and_overlaps_are_counted_and_named() {
    use crate::cli::{sigmap, stderr, stdout};
    let dir = tempfile::tempdir().unwrap();
    let layer = gap_and_overlap_layer(dir.path());
    let layer = layer.to_str().unwrap();
    // in the gap: -0.85, 52.15; in the overlap of A0 and B: -0.99, 52.05; in the sea
    // beyond the layer: -0.5, 52.5; in A8: -0.75, 52.25
    let points = write(
        dir.path(),
        "p.csv",
        "lon,lat\n-0.85,52.15\n-0.86,52.16\n-0.99,52.05\n-0.5,52.5\n-0.75,52.25\n",
    );
    let o = sigmap(
        &[
            "join-points",
            points.to_str().unwrap(),
            "--areas",
            layer,
            "--format",
            "json",
            "--no-swap-check",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["in_gaps"], 2, "{json}");
    assert_eq!(json["overlaps"], 1, "{json}");
    assert_eq!(json["unmatched"], 3, "{json}");

    // --no-gaps: the same counts, the gaps not looked for (null, and said in the table)
    let (with, without) = (dir.path().join("with.csv"), dir.path().join("without.csv"));
    for (out, extra) in [(&with, None), (&without, Some("--no-gaps"))] {
        let mut args = vec!["join-points", points.to_str().unwrap(), "--areas", layer];
        args.extend(["--no-swap-check", "-q", "-o", out.to_str().unwrap()]);
        args.extend(extra);
        let o = sigmap(&args, dir.path());
        assert!(o.status.success(), "{}", stderr(&o));
        let said = stdout(&o);
        match extra {
            Some(_) => assert!(said.contains("gaps between areas not looked for"), "{said}"),
            None => assert!(said.contains("2 of those in none fell in gaps"), "{said}"),
        }
    }
    assert_eq!(
        std::fs::read(&with).unwrap(),
        std::fs::read(&without).unwrap()
    );
    let mut args = vec!["join-points", points.to_str().unwrap(), "--areas", layer];
    args.extend(["--format", "json", "--no-swap-check", "--no-gaps"]);
    let o = sigmap(&args, dir.path());
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["in_gaps"], serde_json::Value::Null, "{json}");
    assert_eq!(json["unmatched"], 3, "{json}");

    let o = sigmap(&["locate", "-0.85", "52.15", "--areas", layer], dir.path());
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("in a gap between E06000000, E06000001, E06000002, E06000003, E06000005, E06000006, E06000007, E06000008"),
        "{err}"
    );

    // a report names the overlap and the gap
    let petition = write(
        dir.path(),
        "c.csv",
        "code,count\nE06000000,5\nE06000001,3\nE06000002,8\nE06000003,1\nE06000005,0\nE06000006,2\nE06000007,9\nE06000008,4\nE06000009,6\n",
    );
    let denominators = gap_and_overlap_denominators(dir.path());
    let out = dir.path().join("out");
    let o = sigmap(
        &[
            "report",
            petition.to_str().unwrap(),
            "--areas",
            layer,
            "--denominators",
            denominators.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--permutations",
            "99",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains(
            "Overlaps           1 pair(s) of areas overlap: Seat E06000000 / Seat E06000009"
        ),
        "{text}"
    );
    assert!(
        text.contains("Gaps               1 gap(s) between areas"),
        "{text}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["overlaps"].as_array().unwrap().len(), 1);
    assert_eq!(summary["gaps"][0]["around"].as_array().unwrap().len(), 8);
    // 0.1 x 0.1 degrees at 52N: about 11.1 km x 6.9 km
    let gap = summary["gaps"][0]["area_km2"].as_f64().unwrap();
    assert!((gap - 76.2).abs() < 1.0, "{gap}");
}

/// Every `d` attribute of an SVG as a sorted list of rings, each ring rotated to start at its
/// smallest vertex and read in its smaller direction.
fn canonical_paths(svg: &str) -> Vec<Vec<Vec<String>>> {
    svg.split(" d=\"")
        .skip(1)
        .map(|rest| {
            let d = &rest[..rest.find('"').unwrap()];
            let mut rings: Vec<Vec<String>> = d
                .split('Z')
                .filter(|r| !r.trim().is_empty())
                .map(|r| {
                    let mut points: Vec<String> = r
                        .trim_start_matches('M')
                        .split(['M', 'L'])
                        .map(str::to_string)
                        .collect();
                    if points.len() > 1 && points.first() == points.last() {
                        points.pop();
                    }
                    // the smallest rotation starting at any occurrence of the smallest vertex
                    let canonical = |p: Vec<String>| {
                        let min = p.iter().min().cloned();
                        (0..p.len())
                            .filter(|&i| Some(&p[i]) == min.as_ref())
                            .map(|i| {
                                let mut r = p.clone();
                                r.rotate_left(i);
                                r
                            })
                            .min()
                            .unwrap_or_default()
                    };
                    let forward = canonical(points.clone());
                    let backward = canonical(points.into_iter().rev().collect());
                    forward.min(backward)
                })
                .collect();
            rings.sort();
            rings
        })
        .collect()
}

/// Northern Ireland's seats in Irish Transverse Mercator, through PROJ: stated, declared
/// and refused when the range alone cannot tell.
#[cfg(feature = "proj")]
#[test]
fn r13_other_systems_convert_through_proj() {
    let to_itm = proj::Proj::new_known_crs("EPSG:4326", "EPSG:2157", None).unwrap();
    let mut layer = shipped_json();
    layer["features"].as_array_mut().unwrap().retain(|f| {
        f["properties"]["PCON24CD"]
            .as_str()
            .unwrap()
            .starts_with('N')
    });
    each_ring(&mut layer, &|_, _, _, ring| {
        for c in ring.iter_mut() {
            let (x, y) = to_itm
                .convert((c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
                .unwrap();
            *c = serde_json::json!([x, y]);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let original = Areas::shipped(Vintage::Pcon2024).unwrap();
    let check = |areas: &Areas| {
        assert_eq!(areas.len(), 18);
        assert_eq!(areas.layer.converted_from.as_deref(), Some("EPSG:2157"));
        for a in areas.iter() {
            let o = original.get(&a.code).unwrap();
            assert!(
                (a.area_km2 - o.area_km2).abs() <= 1e-6 * o.area_km2,
                "{}: {} vs {}",
                a.code,
                a.area_km2,
                o.area_km2
            );
        }
    };
    // no crs member: the range fits ITM only, but the layer is not in Great Britain, so
    // the message names it and the flag
    let path = write(dir.path(), "itm.geojson", &layer.to_string());
    let msg = Areas::from_path(&path).unwrap_err().to_string();
    assert!(
        msg.contains("EPSG:2157") && msg.contains("--areas-crs"),
        "{msg}"
    );
    check(
        &LayerOptions::new()
            .crs(sigmap::crs::PointCrs::Epsg(2157))
            .from_path(&path)
            .unwrap(),
    );
    layer["crs"] =
        serde_json::json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2157"}});
    let path = write(dir.path(), "itm_declared.geojson", &layer.to_string());
    check(&Areas::from_path(&path).unwrap());
}
