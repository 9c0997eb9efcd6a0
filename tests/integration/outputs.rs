//! Outputs that never destroy (#15 point 5): files replaced only once complete, inputs never
//! overwritten, sizes capped, a closed pipe a quiet success.

use crate::cli::{columbus_stats, columbus_values, data_arg, sigmap, stderr};
use crate::util;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;

/// The files of a directory with their bytes, sorted by name.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn quick_report(petition: &str, out: &str, dir: &Path) -> std::process::Output {
    sigmap(
        &[
            "report",
            petition,
            "--out",
            out,
            "--permutations",
            "0",
            "--rank-draws",
            "0",
        ],
        dir,
    )
}

#[test]
fn a_failed_report_leaves_the_previous_outputs_whole() {
    let dir = tempfile::tempdir().unwrap();
    let o = quick_report(
        &data_arg("petitions/petition_241584.json"),
        "out",
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.path().join("out");
    // a directory where the last file goes: the run fails after writing the others
    std::fs::remove_file(out.join("map.svg")).unwrap();
    std::fs::create_dir(out.join("map.svg")).unwrap();
    std::fs::write(out.join("map.svg").join("keep"), "x").unwrap();
    let before = contents(&out);
    // areas.geojson, areas.csv, summary.json (and areas.parquet with polars)
    assert_eq!(
        before.len(),
        sigmap::Report::FILES.len() - 1,
        "{:?}",
        before.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let o = quick_report(
        &data_arg("petitions/petition_105868.json"),
        "out",
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("map.svg"), "{}", stderr(&o));
    // the earlier files are the previous run's, byte for byte, and no temporary is left
    assert_eq!(contents(&out), before);
    // the same in a fresh directory: nothing written at all
    let fresh = dir.path().join("fresh");
    std::fs::create_dir_all(fresh.join("map.svg")).unwrap();
    let o = quick_report(
        &data_arg("petitions/petition_105868.json"),
        "fresh",
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(contents(&fresh), vec![]);
}

#[test]
fn a_failed_map_leaves_the_previous_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let petition = data_arg("petitions/petition_241584.json");
    let map = |metric: &str| {
        sigmap(
            &[
                "map",
                &petition,
                "--metric",
                metric,
                "--permutations",
                "0",
                "-o",
                "m.csv",
            ],
            dir.path(),
        )
    };
    let o = map("per_1k_voters");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = contents(dir.path());
    // an unknown metric fails before anything is written
    let o = map("no_such_metric");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    util::write(
        d,
        "points.csv",
        "lon,lat\n-0.1276,51.5072\n-3.1883,55.9533\n",
    );
    let petition = d.join("p.json");
    std::fs::copy(util::data("petitions/petition_241584.json"), &petition).unwrap();
    let values = columbus_values(d, "v.csv", |_, p| {
        Some(format!("{},{},1\n", p["POLYID"], p["CRIME"]))
    });
    let saved = contents(d);
    let refused = |args: &[&str], input: &str| {
        let o = sigmap(args, d);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("an output that is not one of the inputs") && e.contains(input),
            "{args:?}: {e}"
        );
        assert_eq!(contents(d), saved, "{args:?} changed a file");
    };
    refused(
        &["join-points", "points.csv", "-o", "points.csv", "-q"],
        "points.csv",
    );
    // another spelling of the same file
    refused(
        &["join-points", "points.csv", "-o", "sub/../points.csv", "-q"],
        "points.csv",
    );
    refused(&["compare", "p.json", "p.json", "-o", "./p.json"], "p.json");
    refused(&["map", "p.json", "-o", "p.json"], "p.json");
    refused(
        &["report", "p.json", "--out", ".", "--weights-out", "p.json"],
        "p.json",
    );
    let o = columbus_stats(d, values.to_str().unwrap(), &["--json", "v.csv"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(contents(d), saved);
    // a petition CSV called areas.csv in the report's directory
    std::fs::copy(
        util::fixture("counts_2024_made_up.csv"),
        d.join("sub/areas.csv"),
    )
    .unwrap();
    let o = quick_report("sub/areas.csv", "sub", d);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(d.join("sub/areas.csv")).unwrap(),
        std::fs::read(util::fixture("counts_2024_made_up.csv")).unwrap()
    );
    // an input in the output directory under another name is fine
    let o = quick_report("sub/areas.csv", "out", d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn map_refuses_an_extension_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let petition = data_arg("petitions/petition_241584.json");
    for name in ["x.jpg", "x", "x.SVG.bak"] {
        let o = sigmap(&["map", &petition, "-o", name], dir.path());
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let e = stderr(&o);
        for ext in [
            ".svg",
            ".png",
            ".geojson",
            ".topojson",
            ".hexjson",
            ".csv",
            ".parquet",
        ] {
            assert!(e.contains(ext), "{name}: {e}");
        }
        assert!(!dir.path().join(name).exists(), "{name} written");
    }
}

#[test]
fn map_refuses_scales_and_tolerances_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    let petition = data_arg("petitions/petition_241584.json");
    for scale in ["NaN", "-1", "0", "inf"] {
        let o = sigmap(
            &["map", &petition, "-o", "x.png", "--scale", scale],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2), "{scale}: {}", stderr(&o));
        assert!(stderr(&o).contains("--scale"), "{}", stderr(&o));
    }
    for km in ["NaN", "-1", "inf"] {
        let o = sigmap(
            &["map", &petition, "-o", "x.geojson", "--simplify", km],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2), "{km}: {}", stderr(&o));
        assert!(stderr(&o).contains("--simplify"), "{}", stderr(&o));
    }
    assert_eq!(contents(dir.path()), vec![]);
}

#[cfg(feature = "png")]
#[test]
fn a_png_too_large_is_refused_not_aborted() {
    let dir = tempfile::tempdir().unwrap();
    let petition = data_arg("petitions/petition_241584.json");
    let o = sigmap(
        &[
            "map",
            &petition,
            "--permutations",
            "0",
            "-o",
            "x.png",
            "--scale",
            "100",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("100 megapixels") && !e.contains("panicked"),
        "{e}"
    );
    assert_eq!(contents(dir.path()), vec![]);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let petition = data_arg("petitions/petition_241584.json");
    for format in ["csv", "json", "table"] {
        let mut child = crate::util::sigmap_command()
            .args([
                "report",
                &petition,
                "--permutations",
                "0",
                "--rank-draws",
                "0",
            ])
            .args(["--out", "out", "--format", format])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).unwrap();
        // close the read end after one byte, as `head -c 1` would
        drop(stdout);
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{format}: {err}");
        assert_eq!(err, "", "{format}");
    }
}
