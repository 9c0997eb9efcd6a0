//! The `sigmap` binary as scripts see it: names, exit codes, stdout and stderr.

use crate::util;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

pub(crate) fn sigmap(args: &[&str], dir: &Path) -> Output {
    crate::util::sigmap_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

pub(crate) fn data_arg(rel: &str) -> String {
    util::data(rel).display().to_string()
}

#[test]
fn report_on_the_main_petition() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(
        &[
            "report",
            &data_arg("petitions/petition_241584.json"),
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for expected in [
        "Revoke Article 50 and remain in the EU. (petition 241584, open, counts of 2019-03-24)",
        "Signatures         5,156,603 in total, 4,948,111 from the UK",
        "In a constituency  4,858,993 (98.2% of the UK's); unassigned 89,118",
        "650 listed of 650 (2010 constituencies",
        "Top 10 by signatures per 1,000 voters",
        "  Clustering         Support is spatially clustered (Moran's I = 0.695, pseudo p = 0.001, 999 permutations, queen weights): 6 hot-spot regions, the largest 47 seats around Hornsey and Wood Green.",
        "   1  1          E14000639  Cities of London and Westminster         21,270  497.86 (491.19-504.59)             3.28  high",
        "  Unusual support    43 seat(s) unusually high, 0 unusually low",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let top_rows = text
        .lines()
        .filter(|l| l.len() > 6 && l[..4].trim().parse::<u32>().is_ok())
        .count();
    assert_eq!(top_rows, 10, "{text}");
    for f in ["areas.geojson", "areas.csv", "summary.json", "map.svg"] {
        assert!(
            dir.path().join("out").join(f).metadata().unwrap().len() > 1000,
            "{f}"
        );
    }
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn format_json_prints_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(
        &[
            "report",
            &data_arg("petitions/petition_105868.json"),
            "--out",
            "o",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["completeness"]["zero_filled"], 345);
    assert_eq!(v["completeness"]["vintage"], "2010");
    assert_eq!(v["petition"]["schema"], "api2015");
    assert_eq!(v["top_per_1k_voters"].as_array().unwrap().len(), 10);
    let clustering = &v["clustering"];
    assert_eq!(clustering["weights"]["kind"], "queen");
    assert_eq!(
        clustering["weights"]["islands"].as_array().unwrap().len(),
        4
    );
    assert!(clustering["moran"]["I"].as_f64().unwrap() > 0.3);
    assert_eq!(clustering["moran"]["permutations"]["count"], 999);
    assert_eq!(clustering["hot_spots"][0]["name"], "Dartford");
    // regions are named after the member with the most signatures (hot spots) or the
    // largest electorate (cold spots, whose counts are small)
    let rows: std::collections::HashMap<String, (u64, u64)> =
        csv::Reader::from_path(dir.path().join("o/areas.csv"))
            .unwrap()
            .deserialize::<std::collections::HashMap<String, String>>()
            .map(|r| {
                let r = r.unwrap();
                let n = |k: &str| r[k].parse::<u64>().unwrap();
                (r["code"].clone(), (n("signatures"), n("electorate")))
            })
            .collect();
    for (key, size) in [
        ("hot_spots", (|s: (u64, u64)| s.0) as fn((u64, u64)) -> u64),
        ("cold_spots", |s: (u64, u64)| s.1),
    ] {
        let regions = clustering[key].as_array().unwrap();
        assert!(!regions.is_empty(), "{key}");
        for region in regions {
            let codes = region["codes"].as_array().unwrap();
            let best = codes
                .iter()
                .map(|c| size(rows[c.as_str().unwrap()]))
                .max()
                .unwrap();
            let named = region["code"].as_str().unwrap();
            assert_eq!(size(rows[named]), best, "{key}: {region}");
        }
    }
    assert_eq!(clustering["cold_spots"][0]["name"], "Meriden");
    let written = std::fs::read_to_string(dir.path().join("o/summary.json")).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&written).unwrap(),
        v
    );
}

#[test]
fn format_csv_prints_every_area() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(
        &[
            "report",
            &data_arg("petitions/petition_601415.json"),
            "--format",
            "csv",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 651);
    assert!(text.starts_with("code,name,mp,signatures,zero_filled,electorate,valid_votes,turnout,area_km2,density_per_km2,per_1k_electors,per_1k_voters"));
    assert_eq!(
        text,
        std::fs::read_to_string(dir.path().join("out/areas.csv")).unwrap()
    );
}

#[test]
fn stdin_csv_on_2024_codes() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = crate::util::sigmap_command()
        .args(["report", "-", "--out", "o", "--format", "json"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let csv = std::fs::read_to_string(util::fixture("counts_2024_made_up.csv")).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(csv.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["completeness"]["vintage"], "2024");
    assert_eq!(v["layer"]["name"], "pcon2024_bgc_20pct.geojson");
    assert_eq!(v["election"], "GE2024");
    assert_eq!(v["petition"]["source"], "-");
}

#[test]
fn unknown_codes_are_listed_in_the_terminal_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = util::write(
        dir.path(),
        "c.csv",
        "code,count\nE14000530,10\nE14000531,5\nE99000001,3\n",
    );
    let o = sigmap(&["report", p.to_str().unwrap(), "--out", "o"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Unmatched codes    1: E99000001 (3)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn explicit_layer_and_denominators() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(
        &[
            "report",
            &data_arg("petitions/petition_601415.json"),
            "--areas",
            &data_arg("boundaries/pcon2010_bgc_20pct.geojson"),
            "--area-id",
            "PCON19CD",
            "--denominators",
            &data_arg("elections/ge2019_results.csv"),
            "--out",
            "o",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("435 listed of 650"), "{}", stdout(&o));
    // denominators alone: the layer is the shipped one of the petition's constituency set
    let alone = sigmap(
        &[
            "report",
            &data_arg("petitions/petition_601415.json"),
            "--denominators",
            &data_arg("elections/ge2019_results.csv"),
            "--out",
            "p",
        ],
        dir.path(),
    );
    assert_eq!(alone.status.code(), Some(0), "{}", stderr(&alone));
    let csv = |d: &str| std::fs::read_to_string(dir.path().join(d).join("areas.csv")).unwrap();
    assert_eq!(csv("p"), csv("o"));
}

#[test]
fn map_command_writes_an_svg() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(
        &[
            "map",
            &data_arg("petitions/petition_619781.json"),
            "--metric",
            "density_per_km2",
            "--classes",
            "equal:4",
            "-o",
            "m.svg",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(dir.path().join("m.svg")).unwrap();
    assert!(svg.contains("Signatures per km²") && svg.contains("Equal-interval classes"));
    assert_eq!(svg.matches("<path ").count(), 650);
}

#[test]
fn lisa_map_and_clustering_options() {
    let dir = tempfile::tempdir().unwrap();
    let p = data_arg("petitions/petition_241584.json");
    let o = sigmap(
        &[
            "map",
            &p,
            "--metric",
            "lisa",
            "--permutations",
            "99",
            "-o",
            "l.svg",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(dir.path().join("l.svg")).unwrap();
    assert!(svg.contains("Local Moran clusters") && svg.contains("High-High"));
    let o = sigmap(
        &[
            "report",
            &p,
            "--weights",
            "knn:6",
            "--permutations",
            "0",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["clustering"]["weights"]["kind"]["knn"], 6);
    assert!(
        v["clustering"]["moran"].get("p_sim").is_none()
            || v["clustering"]["moran"]["p_sim"].is_null()
    );
    let o = sigmap(&["report", &p, "--weights", "hexagons"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown weights `hexagons`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(
        &[
            "map",
            &data_arg("petitions/petition_619781.json"),
            "--classes",
            "natural:5",
            "-o",
            "m.svg",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown classification `natural`"),
        "{}",
        stderr(&o)
    );
}

/// Each bad input: exit code 2 and a message naming the file (and record where there is one).
#[test]
fn bad_input_exits_2_and_names_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let real = std::fs::read_to_string(util::data("petitions/petition_601415.json")).unwrap();
    let mut negative: serde_json::Value = serde_json::from_str(&real).unwrap();
    negative["data"]["attributes"]["signatures_by_constituency"][2]["signature_count"] =
        serde_json::json!(-1);
    let mut missing: serde_json::Value = serde_json::from_str(&real).unwrap();
    missing["data"]["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("signatures_by_constituency");
    util::write(d, "malformed.json", &real[..real.len() / 2]);
    util::write(d, "negative.json", &negative.to_string());
    util::write(d, "missing.json", &missing.to_string());
    util::write(d, "dup.csv", "E14000530,1\nE14000531,2\nE14000530,3\n");
    util::write(d, "unknown.csv", "X1,1\nX2,2\n");
    util::write(
        d,
        "empty.geojson",
        r#"{"type":"FeatureCollection","features":[]}"#,
    );
    util::write(
        d,
        "nocode.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}}]}"#,
    );
    util::write(
        d,
        "lad.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"LAD23CD":"E06000001"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}}]}"#,
    );
    let ge = std::fs::read_to_string(util::data("elections/ge2019_results.csv")).unwrap();
    let short: String = ge
        .lines()
        .filter(|l| !l.starts_with("W07000049,"))
        .map(|l| format!("{l}\n"))
        .collect();
    util::write(d, "short.csv", &short);
    let p = data_arg("petitions/petition_601415.json");
    let rejected = util::fixture("rejected_petition.json")
        .display()
        .to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["report", "malformed.json"],
            "sigmap: malformed.json: invalid JSON: EOF while parsing",
        ),
        (
            vec!["report", "negative.json"],
            "sigmap: negative.json: record 3, field signatures_by_constituency.signature_count: expected a non-negative integer (at most 10^10), found -1",
        ),
        (
            vec!["report", "missing.json"],
            "sigmap: missing.json: missing field `data.attributes.signatures_by_constituency`",
        ),
        (
            vec!["report", "dup.csv"],
            "sigmap: dup.csv: record 3, field code: duplicate code `E14000530` (first seen in record 1)",
        ),
        (
            vec!["report", "unknown.csv"],
            "sigmap: unknown.csv: 2 code(s) match neither the 2010 nor the 2024 constituency set: X1, X2",
        ),
        (
            vec!["report", &p, "--areas", "empty.geojson"],
            "sigmap: empty.geojson: the FeatureCollection is empty",
        ),
        (
            vec!["report", &p, "--areas", "nocode.geojson"],
            "sigmap: nocode.geojson: cannot tell which property holds the area code (properties: a)",
        ),
        (
            vec!["report", &p, "--denominators", "short.csv"],
            "sigmap: short.csv: no row for 1 area(s) of the layer: W07000049",
        ),
        (
            vec!["report", "no-such-file.json"],
            "sigmap: no-such-file.json: cannot read: No such file",
        ),
        (
            vec!["report", &rejected],
            "is rejected: the petitions site publishes no constituency breakdown for it",
        ),
    ];
    for (args, message) in cases {
        let o = sigmap(&args, d);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(message),
            "{args:?}:\nexpected {message:?}\ngot      {err:?}"
        );
        assert!(!err.contains("panicked"), "{err}");
        if !message.contains("requires") {
            assert_eq!(err.lines().count(), 1, "one line: {err}"); // clap's usage errors are longer
        }
    }
}

pub(crate) fn columbus_values(
    dir: &Path,
    name: &str,
    edit: impl Fn(usize, &serde_json::Value) -> Option<String>,
) -> std::path::PathBuf {
    let layer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(util::fixture("columbus.geojson")).unwrap())
            .unwrap();
    let mut csv = String::from("POLYID,CRIME,POP\n");
    for (i, f) in layer["features"].as_array().unwrap().iter().enumerate() {
        if let Some(line) = edit(i, &f["properties"]) {
            csv.push_str(&line);
        }
    }
    util::write(dir, name, &csv)
}

/// `sigmap stats` on the Columbus fixture with a values file keyed by POLYID, counts in
/// CRIME, and `extra` arguments.
pub(crate) fn columbus_stats(dir: &Path, values: &str, extra: &[&str]) -> Output {
    let layer = util::fixture("columbus.geojson").display().to_string();
    let mut args = vec![
        "stats",
        "--areas",
        &layer,
        "--area-id",
        "POLYID",
        "--values",
        values,
        "--id",
        "POLYID",
        "--count",
        "CRIME",
    ];
    args.extend(extra);
    sigmap(&args, dir)
}

#[test]
fn stats_json_has_the_documented_shape_and_pysal_values() {
    let dir = tempfile::tempdir().unwrap();
    let v = columbus_values(dir.path(), "v.csv", |_, p| {
        Some(format!("{},{},1000\n", p["POLYID"], p["CRIME"]))
    });
    let o = columbus_stats(
        dir.path(),
        v.to_str().unwrap(),
        &["--format", "json", "--json", "out.json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
            .unwrap();
    assert_eq!(j, file);
    for key in ["n", "s0", "islands", "components"] {
        assert!(j["weights"].get(key).is_some(), "weights.{key}");
    }
    for key in [
        "I", "EI", "VI_norm", "VI_rand", "z_norm", "z_rand", "p_norm", "p_rand", "p_sim",
    ] {
        assert!(j["moran"].get(key).is_some(), "moran.{key}");
    }
    for key in ["C", "EC", "z_norm", "p_norm"] {
        assert!(j["geary"].get(key).is_some(), "geary.{key}");
    }
    for key in ["G", "EG", "VG", "z_norm", "p_norm"] {
        assert!(j["getis_ord"].get(key).is_some(), "getis_ord.{key}");
    }
    let local = j["local"].as_array().unwrap();
    assert_eq!(local.len(), 49);
    for key in [
        "id",
        "lisa_i",
        "lisa_q",
        "lisa_p_sim",
        "lisa_label",
        "gi_star_z",
        "gi_star_p_norm",
        "eb_rate",
    ] {
        assert!(local[0].get(key).is_some(), "local.{key}");
    }
    // the published Columbus value (Anselin 1988; esda's test suite)
    assert!((j["moran"]["I"].as_f64().unwrap() - 0.500188557).abs() < 1e-8);
    assert_eq!(j["weights"]["s0"], 236.0);
    // no island: 49 areas tested
    assert_eq!(j["bonferroni_threshold"], 0.05 / 49.0);
    let fdr = j["fdr_threshold"].as_f64().unwrap();
    assert!((0.05 / 49.0..=0.05).contains(&fdr), "{fdr}");
    assert!(j["getis_ord_note"].is_null());
}

/// `--engine esda` gives esda's pseudo p-values for the same seed, through the binary.
#[test]
fn stats_engine_esda_prints_esdas_p_values() {
    let dir = tempfile::tempdir().unwrap();
    let golden = "columbus.json";
    let y = util::golden_floats(golden, &["y"]);
    let ids = util::golden_floats(golden, &["ids"]);
    let mut csv = String::from("POLYID,CRIME\n");
    for (id, v) in ids.iter().zip(&y) {
        csv.push_str(&format!("{id},{v}\n"));
    }
    let v = util::write(dir.path(), "v.csv", &csv);
    let v = v.to_str().unwrap();
    let o = columbus_stats(dir.path(), v, &["--engine", "esda", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let want = util::golden_floats(golden, &["local_moran", "queen", "p_sim_999"]);
    let got: Vec<f64> = j["local"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["lisa_p_sim"].as_f64().unwrap())
        .collect();
    assert_eq!(got, want);

    let o = columbus_stats(
        dir.path(),
        v,
        &[
            "--engine",
            "esda",
            "--format",
            "json",
            "--seed",
            "4294967296",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("4294967295"), "{}", stderr(&o));
}

#[test]
fn stats_bad_values_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |file: &str| columbus_stats(d, file, &[]);
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (
            columbus_values(d, "missing.csv", |i, p| {
                (i != 3).then(|| format!("{},{},1\n", p["POLYID"], p["CRIME"]))
            }),
            "missing.csv: no row for 1 area(s) of the layer: 4",
        ),
        (
            columbus_values(d, "unknown.csv", |i, p| {
                Some(format!(
                    "{},{},1\n",
                    if i == 0 {
                        "999".to_string()
                    } else {
                        p["POLYID"].to_string()
                    },
                    p["CRIME"]
                ))
            }),
            "unknown.csv: 1 id(s) are not areas of columbus.geojson: 999",
        ),
        (
            columbus_values(d, "constant.csv", |_, p| {
                Some(format!("{},7,1\n", p["POLYID"]))
            }),
            "values that vary (the statistics divide by the variance), found every value is 7",
        ),
        (
            columbus_values(d, "nan.csv", |i, p| {
                Some(format!(
                    "{},{},1\n",
                    p["POLYID"],
                    if i == 5 {
                        "NaN".into()
                    } else {
                        p["CRIME"].to_string()
                    }
                ))
            }),
            "nan.csv: record 6, field CRIME: expected a finite number, found `NaN`",
        ),
        (
            columbus_values(d, "zero.csv", |_, p| Some(format!("{},0,1\n", p["POLYID"]))),
            "zero.csv: field CRIME: expected values that vary (the statistics divide by the variance), found every value is 0",
        ),
    ];
    for (file, message) in cases {
        let o = run(file.to_str().unwrap());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{message}: {err}");
        assert!(err.contains(message), "expected {message:?}, got {err:?}");
        assert!(stdout(&o).is_empty(), "{message}: nothing on stdout");
    }

    // a layer of a single area
    let layer = squares_layer(d, "single.geojson", 1, 0.0);
    let v = util::write(d, "one.csv", "code,n\na0,5\n");
    let o = squares_stats(d, &layer, &v, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "single.geojson: expected at least 4 areas (the variances divide by n - 3), found 1 area(s)"
        ),
        "{err}"
    );
}

/// A layer of `n` unit squares in a row, `gap` apart (0: touching), codes `a0`, `a1`, ...
fn squares_layer(dir: &Path, name: &str, n: usize, gap: f64) -> std::path::PathBuf {
    let squares = (0..n).map(|i| (format!("a{i}"), i as f64 * (1.0 + gap), 0.0));
    util::write(dir, name, &util::unit_squares("code", squares))
}

/// `sigmap stats` on a layer from [`squares_layer`] with values `code,n`.
fn squares_stats(dir: &Path, layer: &Path, values: &Path, extra: &[&str]) -> Output {
    let (layer, values) = (layer.to_str().unwrap(), values.to_str().unwrap());
    let mut args = vec![
        "stats",
        "--areas",
        layer,
        "--area-id",
        "code",
        "--values",
        values,
        "--id",
        "code",
        "--count",
        "n",
    ];
    args.extend(extra);
    sigmap(&args, dir)
}

// See: #5 (a layer whose weights link no areas gave NaN statistics and exit 0)
#[test]
fn r5_stats_on_a_layer_of_islands_exits_2_naming_the_layer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let layer = squares_layer(d, "islands.geojson", 6, 2.0);
    let v = util::write(d, "v.csv", "code,n\na0,1\na1,5\na2,2\na3,8\na4,3\na5,4\n");
    for format in ["table", "json", "csv"] {
        let o = squares_stats(d, &layer, &v, &["--format", format]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{format}: {err}");
        assert_eq!(
            err.trim_end(),
            "sigmap: islands.geojson: expected weights that link some areas (every statistic compares areas with their neighbours), found no links: queen weights leave each of the 6 areas an island",
            "{format}"
        );
        assert!(stdout(&o).is_empty(), "{format}: {}", stdout(&o));
    }
    // the same squares touching: the statistics are there
    let layer = squares_layer(d, "row.geojson", 6, 0.0);
    let o = squares_stats(d, &layer, &v, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // and knn weights link the islands
    let layer = squares_layer(d, "islands.geojson", 6, 2.0);
    let o = squares_stats(d, &layer, &v, &["--weights", "knn:2", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// See: #5 (values with a negative one, or summing to 0, gave NaN Gi* and a negative G)
#[test]
fn r5_stats_on_negative_values_gives_moran_and_says_why_g_is_absent() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let crime = util::golden_floats("columbus.json", &["y"]);
    let mean = crime.iter().sum::<f64>() / crime.len() as f64;
    // centred: about half negative, summing to (nearly) 0
    let v = columbus_values(d, "centred.csv", |i, p| {
        Some(format!("{},{},1\n", p["POLYID"], crime[i] - mean))
    });
    let first_negative = crime.iter().position(|&c| c < mean).unwrap();
    let negatives = crime.iter().filter(|&&c| c < mean).count();
    let o = columbus_stats(d, v.to_str().unwrap(), &["--format", "json"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let text = stdout(&o);
    assert!(!text.contains("NaN"), "{text}");
    let j: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Moran's I does not change when a constant is subtracted
    assert!((j["moran"]["I"].as_f64().unwrap() - 0.500188557).abs() < 1e-8);
    assert!(j["geary"]["C"].as_f64().unwrap().is_finite());
    assert!(j["getis_ord"].is_null(), "{}", j["getis_ord"]);
    let note = j["getis_ord_note"].as_str().unwrap();
    let want = format!(
        "General G and Gi* not computed: {}: record {}, field CRIME: expected a non-negative value (General G and Gi* are shares of the total), found {} (area {}), one of {negatives} negative value(s) out of 49",
        v.display(),
        first_negative + 1,
        crime[first_negative] - mean,
        first_negative + 1 // Columbus POLYIDs are 1..=49 in layer order
    );
    assert_eq!(note, want);
    assert_eq!(err.trim_end(), format!("sigmap: note: {want}"));
    for row in j["local"].as_array().unwrap() {
        assert!(row["lisa_i"].as_f64().unwrap().is_finite());
        assert!(row["lisa_p_sim"].as_f64().is_some());
        for key in ["gi_star_z", "gi_star_p_norm", "gi_star_p_sim"] {
            assert!(row[key].is_null(), "{key}: {row}");
        }
    }
    // the table says so, and the CSV has empty cells, never NaN
    let o = columbus_stats(d, v.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("General G   -  ({want})")),
        "{}",
        stdout(&o)
    );
    let o = columbus_stats(d, v.to_str().unwrap(), &["--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = stdout(&o);
    assert!(!csv.contains("NaN"), "{csv}");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let z = header.iter().position(|&h| h == "gi_star_z").unwrap();
    assert!(lines.all(|l| l.split(',').nth(z) == Some("")), "{csv}");

    // one negative value in otherwise positive counts: named by record, field and area
    let v = columbus_values(d, "one_negative.csv", |i, p| {
        let c = if i == 10 { -1.0 } else { crime[i] };
        Some(format!("{},{c},1\n", p["POLYID"]))
    });
    let o = columbus_stats(d, v.to_str().unwrap(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        j["getis_ord_note"].as_str().unwrap(),
        format!(
            "General G and Gi* not computed: {}: record 11, field CRIME: expected a non-negative value (General G and Gi* are shares of the total), found -1 (area 11), one of 1 negative value(s) out of 49",
            v.display()
        )
    );
}

#[test]
fn report_with_no_signature_says_there_are_no_clustering_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let p = util::write(
        dir.path(),
        "zero.csv",
        "code,count\nE14000530,0\nE14000531,0\n",
    );
    let o = sigmap(&["report", p.to_str().unwrap(), "--out", "o"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let note = "no clustering statistics: they need values that vary (the statistics divide by the variance)";
    assert!(
        stdout(&o).contains(&format!("  Clustering         {note}")),
        "{}",
        stdout(&o)
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/summary.json")).unwrap())
            .unwrap();
    assert!(summary["clustering"].is_null());
    assert_eq!(summary["clustering_note"], note);
    let csv = std::fs::read_to_string(dir.path().join("o/areas.csv")).unwrap();
    assert!(!csv.contains("NaN"), "{csv}");
}
