//! `sigmap locate` and `sigmap join-points` as scripts see them.

use crate::cli::{data_arg, sigmap, stderr, stdout};
use crate::util::write;
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn locate_prints_code_and_name() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(&["locate", "-0.1281", "51.5080"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "E14001172  Cities of London and Westminster\n");
    // the same place in National Grid metres, and on the 2010 seats
    let o = sigmap(
        &[
            "locate", "530041", "180358", "--crs", "27700", "--format", "csv",
        ],
        dir.path(),
    );
    assert_eq!(
        stdout(&o),
        "code,name,distance_km\nE14001172,Cities of London and Westminster,0\n"
    );
    let o = sigmap(
        &["locate", "-0.1281", "51.5080", "--vintage", "2010"],
        dir.path(),
    );
    assert_eq!(stdout(&o), "E14000639  Cities of London and Westminster\n");
}

#[test]
fn locate_offshore_fails_unless_snapping_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(&["locate", "-0.1372", "50.8100"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is in no area of pcon2024_bgc_20pct.geojson"));
    let o = sigmap(
        &[
            "locate",
            "-0.1372",
            "50.8100",
            "--nearest",
            "5",
            "--format",
            "json",
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["code"], "E14001129");
    assert_eq!(v["snapped"], true);
}

#[test]
fn locate_refuses_swapped_coordinates() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(&["locate", "51.5080", "-0.1281"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("looks like latitude, longitude (swapped)"),
        "{}",
        stderr(&o)
    );
    let o = sigmap(
        &["locate", "-0.1281", "51.5080", "--crs", "27700"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("looks like degrees"));
}

#[test]
fn join_points_counts_every_area_and_feeds_report() {
    let dir = tempfile::tempdir().unwrap();
    let points = write(
        dir.path(),
        "points.csv",
        "id,latitude,longitude\n1,51.5080,-0.1281\n2,51.5010,-0.1290\n3,55.9533,-3.1883\n4,48.86,2.35\n5,54.0,1.5\n",
    );
    let o = sigmap(
        &[
            "join-points",
            points.to_str().unwrap(),
            "-o",
            "counts.csv",
            "--format",
            "csv",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = stdout(&o);
    assert_eq!(csv.lines().count(), 651);
    assert!(csv.starts_with("code,name,count\n"));
    assert!(csv.contains("\nE14001172,Cities of London and Westminster,2\n"));
    assert_eq!(
        csv,
        std::fs::read_to_string(dir.path().join("counts.csv")).unwrap()
    );
    assert_eq!(
        stderr(&o).trim(),
        "5 points (EPSG:4326 from columns longitude, latitude): 3 in an area, 2 in none (1 outside the UK)"
    );
    // the counts are a petition for `report`
    let o = sigmap(&["report", "counts.csv", "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("In a constituency  3 "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn join_points_reads_national_grid_from_stdin_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigmap"))
        .args(["join-points", "-", "--format", "json"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"easting,northing\n530041.454,180358.007\n650000,1200000\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["crs"], "EPSG:27700");
    assert_eq!(
        (v["points"].as_u64(), v["matched"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(v["outside_uk"], 1);
    assert_eq!(v["areas"].as_array().unwrap().len(), 650);
}

#[test]
fn join_points_bad_input_exits_2_and_names_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "lon,lat\n-0.12,51.5\n51.5,-0.12\n",
            "points.csv: record 2: (51.5, -0.12) looks like latitude, longitude (swapped)",
        ),
        (
            "lon,lat\n-0.12,51.5\n-0.12,north\n",
            "points.csv: record 2, field lat: expected a finite number, found `north`",
        ),
        (
            "lon,lat\n530041,180358\n",
            "they look like British National Grid metres: pass --crs 27700",
        ),
        (
            "name,value\na,1\n",
            "points.csv: missing field `one of lon, lng, long, longitude, x`",
        ),
    ];
    for (text, message) in cases {
        let points = write(dir.path(), "points.csv", text);
        let o = sigmap(&["join-points", points.to_str().unwrap()], dir.path());
        assert_eq!(o.status.code(), Some(2), "{text}");
        assert!(stderr(&o).contains(message), "{text}: {}", stderr(&o));
    }
    let o = sigmap(&["join-points", "missing.csv"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let o = sigmap(
        &[
            "join-points",
            &data_arg("petitions/petition_241584.json"),
            "--crs",
            "OSGB",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    #[cfg(not(feature = "proj"))]
    {
        let points = write(dir.path(), "ni.csv", "x,y\n333800,374000\n");
        let o = sigmap(
            &["join-points", points.to_str().unwrap(), "--crs", "29902"],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("`proj` feature"));
    }
}

#[cfg(feature = "proj")]
#[test]
fn join_points_takes_irish_grid_and_itm_with_proj() {
    let dir = tempfile::tempdir().unwrap();
    // Belfast City Hall in Irish Grid (EPSG:29902) and in ITM (EPSG:2157)
    for (crs, xy) in [("29902", "333800,374000"), ("2157", "733800,874000")] {
        let points = write(dir.path(), "ni.csv", &format!("x,y\n{xy}\n"));
        let o = sigmap(
            &[
                "join-points",
                points.to_str().unwrap(),
                "--crs",
                crs,
                "--format",
                "csv",
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stdout(&o).contains("\nN05000003,Belfast South and Mid Down,1\n"),
            "{crs}: {}",
            stdout(&o)
        );
    }
}
