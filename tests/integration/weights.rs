//! Spatial weights against libpysal 4.14 (`scripts/golden/make_golden_weights.py` writes
//! tests/golden/pysal/weights_pcon2024.json and the GAL / GWT files beside it): distance
//! bands, island attachment, GAL and GWT files; snapping tolerance; the CLI flags.

use crate::util;
use proptest::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sigmap::{
    Areas, Contiguity, IslandPolicy, LayerOptions, Transform, Vintage, Weights, WeightsFormat,
    WeightsKind,
};
use std::collections::BTreeSet;

fn golden_dir() -> std::path::PathBuf {
    util::root().join("tests/golden/pysal")
}

fn golden() -> Value {
    let text = std::fs::read_to_string(golden_dir().join("weights_pcon2024.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn shipped() -> Areas {
    Areas::shipped(Vintage::Pcon2024).unwrap()
}

fn columbus() -> Areas {
    LayerOptions::new()
        .code_property("POLYID")
        .from_path(util::fixture("columbus.geojson"))
        .unwrap()
}

fn lists(v: &Value) -> Vec<Vec<u32>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            l.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u32)
                .collect()
        })
        .collect()
}

fn indices(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

fn lists_of(w: &Weights) -> Vec<Vec<u32>> {
    (0..w.n()).map(|i| w.neighbours(i).to_vec()).collect()
}

/// The golden centroids: shapely centroids projected by geopandas (Helmert).
fn golden_points(g: &Value) -> Vec<[f64; 2]> {
    g["centroids_bng"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
        .collect()
}

#[test]
fn the_golden_files_are_the_ones_the_json_describes() {
    let g = golden();
    for (name, sha) in g["files"].as_object().unwrap() {
        let bytes = std::fs::read(golden_dir().join(name)).unwrap();
        let got: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(got, sha.as_str().unwrap(), "{name}");
    }
    let areas = shipped();
    let codes: Vec<&str> = areas.iter().map(|a| a.code.as_str()).collect();
    let ids: Vec<&str> = g["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(codes, ids);
}

#[test]
fn libpysal_gal_and_gwt_files_read_to_sigmap_weights() {
    let areas = shipped();
    // libpysal's GAL: header "650", ids = codes
    let gal = Weights::from_path(
        golden_dir().join("pcon2024_queen.gal"),
        WeightsFormat::Gal,
        &areas,
    )
    .unwrap();
    assert_eq!(gal, Weights::queen(&areas));
    // libpysal's GWT: header "0 650 Unknown Unknown", weights "1"
    let gwt = Weights::from_path(
        golden_dir().join("pcon2024_knn5.gwt"),
        WeightsFormat::Gwt,
        &areas,
    )
    .unwrap();
    assert_eq!(gwt, Weights::knn(&areas, 5).unwrap());
    // GeoDa's Columbus queen weights, as libpysal ships them (ids = POLYID)
    let columbus = columbus();
    let geoda = Weights::from_path(
        golden_dir().join("columbus.gal"),
        WeightsFormat::Gal,
        &columbus,
    )
    .unwrap();
    assert_eq!(geoda, Weights::queen(&columbus));
}

#[test]
fn sigmap_files_round_trip() {
    let areas = shipped();
    let dir = tempfile::tempdir().unwrap();
    let band = Weights::distance_band(&areas, 30.0).unwrap();
    let cases = [
        ("queen", Weights::queen(&areas)),
        ("rook", Weights::rook(&areas)),
        ("knn5", Weights::knn(&areas, 5).unwrap()),
        ("distance30", band.clone()), // 28 islands
        ("row", band.transformed(Transform::Row)),
    ];
    for (name, w) in cases {
        for format in [WeightsFormat::Gal, WeightsFormat::Gwt] {
            let path = dir.path().join(format!("{name}.{format:?}").to_lowercase());
            w.write_to_path(&path, format, &areas).unwrap();
            assert_eq!(WeightsFormat::from_path(&path), Some(format));
            let back = Weights::from_path(&path, format, &areas).unwrap();
            // binary on reading: the transform is not part of the file's links
            assert_eq!(back, w.transformed(Transform::Binary), "{name} {format:?}");
        }
    }
    // the row-standardised GWT carries its weights
    let text = band
        .transformed(Transform::Row)
        .to_text(WeightsFormat::Gwt, &areas)
        .unwrap();
    let first = text.lines().nth(1).unwrap();
    let k = band.neighbours(0).len() as f64;
    assert!(first.ends_with(&format!(" {}", 1.0 / k)), "{first}");
}

#[test]
fn distance_band_on_libpysal_points_is_exact() {
    let g = golden();
    let points = golden_points(&g);
    for (km, want) in g["distance_band"].as_object().unwrap() {
        let t = want["threshold_m"].as_f64().unwrap();
        assert_eq!(t, 1000.0 * km.parse::<f64>().unwrap());
        let w = Weights::distance_band_from_points(&points, t).unwrap();
        assert_eq!(lists_of(&w), lists(&want["neighbours"]), "{km} km");
        assert_eq!(w.islands(), indices(&want["islands"]), "{km} km");
        assert_eq!(
            w.n_components() as u64,
            want["n_components"].as_u64().unwrap(),
            "{km} km"
        );
        assert_eq!(w.links() as u64, want["n_links"].as_u64().unwrap());
        assert!(w.is_symmetric());
        // libpysal keeps the islands, with a warning
        assert!(
            want["libpysal_warnings"][0]
                .as_str()
                .unwrap()
                .contains(&format!(
                    "There are {} islands",
                    want["islands"].as_array().unwrap().len()
                ))
        );
    }
}

#[test]
fn distance_band_on_ostn15_centroids_equals_libpysal() {
    let g = golden();
    let areas = shipped();
    let theirs = golden_points(&g);
    // sigmap projects with OSTN15, geopandas here with a Helmert transformation
    let ours: Vec<[f64; 2]> = areas
        .iter()
        .map(|a| {
            let (e, n) = sigmap::crs::wgs84_to_bng(a.centroid.x(), a.centroid.y()).unwrap();
            [e, n]
        })
        .collect();
    let dist = |p: &[[f64; 2]], i: usize, j: usize| {
        ((p[i][0] - p[j][0]).powi(2) + (p[i][1] - p[j][1]).powi(2)).sqrt()
    };
    let moved = ours
        .iter()
        .zip(&theirs)
        .map(|(a, b)| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt())
        .fold(0.0, f64::max);
    assert!(moved < 5.0, "centroids {moved} m apart");
    for (km, want) in g["distance_band"].as_object().unwrap() {
        let t = want["threshold_m"].as_f64().unwrap();
        let w = Weights::distance_band(&areas, km.parse().unwrap()).unwrap();
        let want = lists(&want["neighbours"]);
        let mut differ = Vec::new();
        for (i, listed) in want.iter().enumerate() {
            let (a, b): (BTreeSet<u32>, BTreeSet<u32>) = (
                w.neighbours(i).iter().copied().collect(),
                listed.iter().copied().collect(),
            );
            for &j in a.symmetric_difference(&b) {
                let j = j as usize;
                // a flip needs the two projections' distances on both sides of the threshold
                let (d_ours, d_theirs) = (dist(&ours, i, j), dist(&theirs, i, j));
                assert!(
                    (d_ours - t) * (d_theirs - t) <= 0.0 && (d_ours - d_theirs).abs() < 1.0,
                    "{km} km: {i}-{j} at {d_ours} m (OSTN15), {d_theirs} m (Helmert)"
                );
                differ.push((i, j));
            }
        }
        // none flips on the shipped layer, not even the pair 6 mm inside 10 km with Helmert:
        // sigmap's distance band equals libpysal's exactly
        assert!(differ.is_empty(), "{km} km: {differ:?}");
    }
}

#[test]
fn min_distance_band_matches_libpysal() {
    let g = golden();
    let areas = shipped();
    let km = Weights::min_distance_band_km(&areas).unwrap();
    let want = g["min_threshold"]["metres"].as_f64().unwrap() / 1000.0;
    assert!((km - want).abs() < 0.005, "{km} km, libpysal {want} km");
    assert_eq!(g["min_threshold"]["id"], "S14000051"); // Orkney and Shetland
    assert!(
        Weights::distance_band(&areas, km)
            .unwrap()
            .islands()
            .is_empty()
    );
    let below = Weights::distance_band(&areas, km * 0.999)
        .unwrap()
        .islands();
    assert_eq!(below, vec![areas.index_of("S14000051").unwrap()]);
}

#[test]
fn attach_islands_matches_libpysal() {
    let g = golden();
    let areas = shipped();
    // queen: no island's nearest area is an island, so libpysal's links are sigmap's
    let want = &g["attach_islands"]["queen"];
    assert_eq!(
        want["islands_whose_nearest_is_an_island"],
        serde_json::json!([])
    );
    let queen = Weights::queen(&areas);
    assert_eq!(queen.islands(), indices(&want["islands"]));
    let w = queen.attach_islands(&areas, 1).unwrap();
    assert_eq!(lists_of(&w), lists(&want["neighbours"]));
    assert!(w.islands().is_empty() && w.is_symmetric());
    assert_eq!(
        w.n_components() as u64,
        want["n_components_after"].as_u64().unwrap()
    );
    let summary = w.summary(WeightsKind::Queen, &areas);
    let nearest: Vec<String> = indices(&want["nearest"])
        .into_iter()
        .map(|j| areas[j].code.clone())
        .collect();
    let got: Vec<String> = summary
        .attached_islands
        .iter()
        .map(|a| a.neighbours[0].clone())
        .collect();
    assert_eq!(got, nearest);

    // the 30 km band (on libpysal's own points): 13 of its 28 islands are nearest to an
    // island, where libpysal, overwriting in order, drops the reverse of the earlier link
    let want = &g["attach_islands"]["distance_band_30"];
    let band = Weights::distance_band_from_points(&golden_points(&g), 30_000.0).unwrap();
    assert_eq!(band.islands(), indices(&want["islands"]));
    let ours = band.attach_islands(&areas, 1).unwrap();
    assert!(ours.islands().is_empty() && ours.is_symmetric());
    let theirs = lists(&want["neighbours"]);
    let islands = indices(&want["islands"]);
    let nearest: std::collections::HashMap<usize, usize> = islands
        .iter()
        .copied()
        .zip(indices(&want["nearest"]))
        .collect();
    let mut extra = 0;
    for (i, list) in theirs.iter().enumerate() {
        let mine = ours.neighbours(i);
        assert!(
            list.iter().all(|j| mine.contains(j)),
            "{i}: libpysal {list:?}, sigmap {mine:?}"
        );
        for &j in mine.iter().filter(|j| !list.contains(j)) {
            let j = j as usize;
            // only the links libpysal overwrote: i is an island, j an island processed
            // before it, whose nearest area is i
            assert!(
                nearest.contains_key(&i) && nearest.get(&j) == Some(&i) && j < i,
                "{i}-{j}"
            );
            extra += 1;
        }
    }
    assert!(extra > 0);
    assert_eq!(
        ours.n_components() as u64,
        want["n_components_after"].as_u64().unwrap()
    );
}

#[test]
fn snapping_tolerance_zero_equals_exact_on_the_shipped_layers() {
    for vintage in [Vintage::Pcon2024, Vintage::Pcon2010] {
        let areas = Areas::shipped(vintage).unwrap();
        for rule in [Contiguity::Queen, Contiguity::Rook] {
            let exact = Weights::contiguity(&areas, rule);
            let zero = Weights::contiguity_with_tolerance(&areas, rule, 0.0).unwrap();
            assert_eq!(zero, exact, "{vintage:?} {rule:?}");
            // the snapping path itself, with a tolerance far below the vertex spacing
            let tiny = Weights::contiguity_with_tolerance(&areas, rule, 1e-9).unwrap();
            assert_eq!(tiny, exact, "{vintage:?} {rule:?} 1e-9");
        }
    }
    // a wider tolerance only adds links
    let areas = shipped();
    let exact = Weights::queen(&areas);
    let wide = Weights::contiguity_with_tolerance(&areas, Contiguity::Queen, 1e-3).unwrap();
    assert!(wide.is_symmetric());
    for i in 0..areas.len() {
        assert!(
            exact
                .neighbours(i)
                .iter()
                .all(|j| wide.neighbours(i).contains(j))
        );
    }
}

#[test]
fn distance_band_needs_the_british_national_grid() {
    // Columbus is in planar "digitising units", far outside the OSTN15 grid
    let e = Weights::distance_band(&columbus(), 10.0).unwrap_err();
    assert!(
        e.to_string().starts_with(
            "columbus.geojson: record 1, field geometry: expected an area whose centroid is inside the British National Grid"
        ),
        "{e}"
    );
    assert!(e.is_input());
    let e = Weights::distance_band(&shipped(), 0.0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "pcon2024_bgc_20pct.geojson: field threshold: expected a distance band threshold greater than 0, found 0"
    );
    // Columbus in its own units
    let points: Vec<[f64; 2]> = columbus()
        .iter()
        .map(|a| [a.centroid.x(), a.centroid.y()])
        .collect();
    let w = Weights::distance_band_from_points(&points, 1.0).unwrap();
    assert!(w.is_symmetric() && w.links() > 0);
}

#[test]
fn the_summary_records_the_island_policy() {
    let areas = shipped();
    let w = WeightsKind::Distance(30.0)
        .build(&areas)
        .unwrap()
        .with_island_policy(IslandPolicy::Attach(2), &areas)
        .unwrap();
    let s = serde_json::to_value(w.summary(WeightsKind::Distance(30.0), &areas)).unwrap();
    assert_eq!(s["kind"], serde_json::json!({"distance": 30.0}));
    assert_eq!(s["island_policy"], serde_json::json!({"attach": 2}));
    assert_eq!(s["islands"], serde_json::json!([]));
    let attached = s["attached_islands"].as_array().unwrap();
    assert_eq!(attached.len(), 28);
    assert_eq!(attached[0]["neighbours"].as_array().unwrap().len(), 2);
    let kept = Weights::queen(&areas).summary(WeightsKind::Queen, &areas);
    let kept = serde_json::to_value(kept).unwrap();
    assert_eq!(kept["island_policy"], "keep");
    assert_eq!(kept["attached_islands"], serde_json::json!([]));
}

proptest! {
    #![proptest_config(crate::util::proptest_config(256))]

    /// The R-tree distance band equals the brute-force one, and is symmetric.
    #[test]
    fn distance_band_equals_brute_force(
        points in prop::collection::vec((0u8..40, 0u8..40), 1..80),
        threshold in 1u8..15,
    ) {
        let points: Vec<[f64; 2]> = points.iter().map(|&(x, y)| [f64::from(x), f64::from(y)]).collect();
        let t = f64::from(threshold);
        let w = Weights::distance_band_from_points(&points, t).unwrap();
        for (i, p) in points.iter().enumerate() {
            let want: Vec<u32> = (0..points.len())
                .filter(|&j| {
                    let d2 = (p[0] - points[j][0]).powi(2) + (p[1] - points[j][1]).powi(2);
                    d2 > 0.0 && d2 <= t * t
                })
                .map(|j| j as u32)
                .collect();
            prop_assert_eq!(w.neighbours(i), want.as_slice());
        }
        prop_assert!(w.is_symmetric());
    }

    /// GAL and GWT files written and read back give the same links.
    #[test]
    fn gal_and_gwt_round_trip(links in prop::collection::vec((0u32..49, 0u32..49), 0..200)) {
        let areas = columbus();
        let mut lists = vec![Vec::new(); 49];
        for (i, j) in links {
            lists[i as usize].push(j);
        }
        let w = Weights::from_neighbours(lists);
        for format in [WeightsFormat::Gal, WeightsFormat::Gwt] {
            let text = w.to_text(format, &areas).unwrap();
            let back = Weights::from_reader(text.as_bytes(), "w", format, &areas).unwrap();
            prop_assert_eq!(&back, &w);
        }
    }

    /// Weights kinds and island policies round-trip through their text form.
    #[test]
    fn kinds_round_trip(km in 1e-6f64..1e6, k in 1usize..1000) {
        for kind in [WeightsKind::Distance(km), WeightsKind::Knn(k)] {
            prop_assert_eq!(kind.to_string().parse::<WeightsKind>(), Ok(kind));
        }
        let policy = IslandPolicy::Attach(k);
        prop_assert_eq!(policy.to_string().parse::<IslandPolicy>(), Ok(policy));
    }
}

/// The GAL and GWT files in tests/golden/weights_files were written by sigmap and read by
/// libpysal (`scripts/golden/check_weights_files.py` records that it found libpysal's own
/// neighbours in them); sigmap must still write them byte for byte.
#[test]
fn libpysal_reads_the_weights_files_sigmap_writes() {
    let dir = util::root().join("tests/golden/weights_files");
    let verdict: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("libpysal_reads.json")).unwrap())
            .unwrap();
    let areas = shipped();
    for (name, weights, format) in [
        (
            "pcon2024_queen_sigmap.gal",
            Weights::queen(&areas),
            WeightsFormat::Gal,
        ),
        (
            "pcon2024_knn5_sigmap.gwt",
            Weights::knn(&areas, 5).unwrap(),
            WeightsFormat::Gwt,
        ),
    ] {
        assert_eq!(verdict[name]["neighbours_equal_libpysal"], true, "{name}");
        assert_eq!(verdict[name]["links"], weights.links(), "{name}");
        let committed = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(
            weights.to_text(format, &areas).unwrap(),
            committed,
            "{name}"
        );
    }
}

#[cfg(feature = "cli")]
mod cli {
    use crate::cli::{columbus_stats, sigmap};
    use crate::util;

    fn text(b: &[u8]) -> String {
        String::from_utf8(b.to_vec()).unwrap()
    }

    #[test]
    fn report_with_a_distance_band_and_attached_islands() {
        let dir = tempfile::tempdir().unwrap();
        let petition = util::data("petitions/petition_241584.json");
        let o = sigmap(
            &[
                "report",
                petition.to_str().unwrap(),
                "--weights",
                "distance:30",
                "--islands",
                "attach:1",
                "--permutations",
                "99",
                "--format",
                "json",
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let w = &j["clustering"]["weights"];
        assert_eq!(w["kind"], serde_json::json!({"distance": 30.0}));
        assert_eq!(w["island_policy"], serde_json::json!({"attach": 1}));
        assert_eq!(w["islands"], serde_json::json!([]));
        assert!(!w["attached_islands"].as_array().unwrap().is_empty());
        assert!(
            j["clustering"]["headline"]
                .as_str()
                .unwrap()
                .contains("distance:30 weights"),
            "{}",
            j["clustering"]["headline"]
        );
    }

    #[test]
    fn stats_prints_what_was_done_to_islands() {
        let dir = tempfile::tempdir().unwrap();
        let layer = util::data("boundaries/pcon2024_bgc_20pct.geojson");
        let areas = sigmap::Areas::shipped(sigmap::Vintage::Pcon2024).unwrap();
        let mut csv = String::from("code,value\n");
        for (i, a) in areas.iter().enumerate() {
            csv.push_str(&format!("{},{}\n", a.code, (i * 37) % 101));
        }
        let values = util::write(dir.path(), "v.csv", &csv);
        let run = |islands: &str| {
            sigmap(
                &[
                    "stats",
                    "--areas",
                    layer.to_str().unwrap(),
                    "--values",
                    values.to_str().unwrap(),
                    "--id",
                    "code",
                    "--count",
                    "value",
                    "--permutations",
                    "0",
                    "--islands",
                    islands,
                ],
                dir.path(),
            )
        };
        let o = run("attach:1");
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert!(
            text(&o.stdout).starts_with(
                "Layer pcon2024_bgc_20pct.geojson (650 areas); queen weights (3 island(s) attached to their 1 nearest): 3328 links, 0 island(s), 3 component(s)"
            ),
            "{}",
            text(&o.stdout)
        );
        let o = run("keep");
        assert!(
            text(&o.stdout).contains("queen weights: 3322 links, 3 island(s), 6 component(s)"),
            "{}",
            text(&o.stdout)
        );
    }

    /// `stats --weights-out` writes the weights used; `--weights-file` reads them back and
    /// gives the same statistics; `report --weights-out` and snapped weights on the CLI.
    #[test]
    fn weights_files_and_snapping_on_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let rows: String = (1..=49)
            .map(|i| format!("{i},{}\n", (i * 13) % 17))
            .collect();
        let values = util::write(dir.path(), "v.csv", &format!("POLYID,CRIME\n{rows}"));
        let values = values.to_str().unwrap();
        let stats = |extra: &[&str]| {
            let mut args = vec!["--permutations", "99", "--format", "json"];
            args.extend(extra);
            let o = columbus_stats(dir.path(), values, &args);
            assert_eq!(o.status.code(), Some(0), "{extra:?}: {}", text(&o.stderr));
            serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
        };
        let built = stats(&["--weights", "rook", "--weights-out", "w.gwt"]);
        let read = stats(&["--weights-file", "w.gwt"]);
        assert_eq!(built["weights"]["kind"], "rook");
        assert_eq!(read["weights"]["kind"], "file");
        for key in ["moran", "geary", "getis_ord", "local"] {
            assert_eq!(built[key], read[key], "{key}");
        }
        assert_eq!(built["weights"]["s0"], read["weights"]["s0"]);
        // queen:snap=0 is exact queen
        let snapped = stats(&["--weights", "queen:snap=0"]);
        let queen = stats(&[]);
        assert_eq!(
            snapped["weights"]["kind"],
            serde_json::json!({"snapped": {"rule": "queen", "tolerance": 0.0}})
        );
        assert_eq!(snapped["moran"], queen["moran"]);

        // the report writes the weights its statistics used
        let petition = util::data("petitions/petition_241584.json");
        let o = sigmap(
            &[
                "report",
                petition.to_str().unwrap(),
                "--permutations",
                "0",
                "--rank-draws",
                "0",
                "--weights-out",
                "report.gal",
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let gal = std::fs::read_to_string(dir.path().join("report.gal")).unwrap();
        assert!(
            gal.starts_with("0 650 pcon2010_bgc_20pct.geojson PCON19CD\n"),
            "{gal:.60}"
        );

        // a weights file must say its format, and must match the layer
        for (args, message) in [
            (
                vec!["--weights-file", "v.csv"],
                "a weights file ending in .gal or .gwt",
            ),
            (
                vec!["--weights-out", "w.txt"],
                "a weights file ending in .gal or .gwt",
            ),
            (vec!["--weights-file", "report.gal"], "report.gal"),
            (
                vec!["--weights-file", "w.gwt", "--weights", "rook"],
                "cannot be used with",
            ),
        ] {
            let o = columbus_stats(dir.path(), values, &args);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
            assert!(
                text(&o.stderr).contains(message),
                "{args:?}: {}",
                text(&o.stderr)
            );
        }
    }

    #[test]
    fn bad_weights_and_island_flags_exit_2() {
        let dir = tempfile::tempdir().unwrap();
        let petition = util::data("petitions/petition_241584.json");
        let p = petition.to_str().unwrap();
        for (args, message) in [
            (
                vec!["report", p, "--weights", "distance:-5"],
                "distance:KM needs a distance in km greater than 0, found `-5`",
            ),
            (
                vec!["report", p, "--islands", "attach:0"],
                "unknown island policy `attach:0` (expected keep or attach:K)",
            ),
        ] {
            let o = sigmap(&args, dir.path());
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(text(&o.stderr).contains(message), "{}", text(&o.stderr));
        }
        // a layer outside the British National Grid: bad input, named
        let rows: String = (1..=49).map(|i| format!("{i},{}\n", i % 7)).collect();
        let values = util::write(dir.path(), "v.csv", &format!("POLYID,CRIME\n{rows}"));
        let o = columbus_stats(
            dir.path(),
            values.to_str().unwrap(),
            &["--weights", "distance:1"],
        );
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.starts_with("sigmap: columbus.geojson: record 1, field geometry: expected an area whose centroid is inside the British National Grid"),
            "{err}"
        );
    }
}
