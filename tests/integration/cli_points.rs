//! `sigmap locate` and `sigmap join-points` as scripts see them.

use crate::cli::{data_arg, sigmap, stderr, stdout};
use crate::util::{fixture, write};
use std::io::Write;
use std::process::Stdio;

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
    let mut child = crate::util::sigmap_command()
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
    assert_eq!(v["outside"], 1);
    assert_eq!(v["envelope_is_uk"], true);
    assert_eq!(v["envelope"]["min_lon"], -8.7);
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
    // the classic mistakes are caught through PROJ as on the built-in paths
    for (crs, xy, message) in [
        (
            "29902",
            "-5.93,54.597",
            "looks like degrees, not projected coordinates",
        ),
        (
            "2157",
            "-5.93,54.597",
            "looks like degrees, not projected coordinates",
        ),
        (
            "32630",
            "6200000,488000",
            "looks like northing, easting (swapped)",
        ),
        (
            "4258",
            "54.597,-5.93",
            "looks like latitude, longitude (swapped)",
        ),
    ] {
        let points = write(dir.path(), "ni.csv", &format!("x,y\n{xy}\n"));
        let o = sigmap(
            &["join-points", points.to_str().unwrap(), "--crs", crs],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2), "{crs} {xy}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("ni.csv: record 1: ") && stderr(&o).contains(message),
            "{crs} {xy}: {}",
            stderr(&o)
        );
    }
    let o = sigmap(&["locate", "-5.93", "54.597", "--crs", "29902"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn locate_refuses_coordinates_and_distances_that_are_not_numbers() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["locate", "NaN", "51"][..],
        &["locate", "-0.1281", "inf"],
        &["locate", "-0.1281", "51.5080", "--nearest", "NaN"],
        &["locate", "-0.1281", "51.5080", "--nearest", "-1"],
    ] {
        let o = sigmap(args, dir.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("expected a finite number")
                || stderr(&o).contains("expected a distance in km (0 or more)"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    let points = write(dir.path(), "p.csv", "lon,lat\n-0.1281,51.5080\n");
    let o = sigmap(
        &["join-points", points.to_str().unwrap(), "--snap", "-5"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn locate_outside_the_uk_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(&["locate", "0", "0"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).trim(),
        "sigmap: (0, 0) is outside the UK (longitude -8.7..1.8, latitude 49.8..60.9), so in no area of pcon2024_bgc_20pct.geojson"
    );
    // snapping does not reach beyond the envelope either
    let o = sigmap(&["locate", "0", "0", "--nearest", "50"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is outside the UK"), "{}", stderr(&o));
}

#[test]
fn locate_reaches_scilly_st_kilda_and_unst_by_lon_lat_and_by_grid() {
    let dir = tempfile::tempdir().unwrap();
    // St Mary's, Hirta and north Unst: outside lonlat_bng's lon/lat box, on the grid
    for (lonlat, en, seat) in [
        (["-6.3151", "49.9140"], ["90342", "10462"], "St Ives"),
        (
            ["-8.5850", "57.8149"],
            ["9221", "899645"],
            "Na h-Eileanan an Iar",
        ),
        (
            ["-0.8860", "60.8450"],
            ["460645", "1218534"],
            "Orkney and Shetland",
        ),
    ] {
        let o = sigmap(&["locate", lonlat[0], lonlat[1]], dir.path());
        assert_eq!(o.status.code(), Some(0), "{lonlat:?}: {}", stderr(&o));
        assert!(stdout(&o).trim_end().ends_with(seat), "{}", stdout(&o));
        let o = sigmap(&["locate", en[0], en[1], "--crs", "27700"], dir.path());
        assert_eq!(o.status.code(), Some(0), "{en:?}: {}", stderr(&o));
        assert!(stdout(&o).trim_end().ends_with(seat), "{}", stdout(&o));
    }
}

#[test]
fn join_points_snaps_offshore_points_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    // Trafalgar Square, and a boat 1 km off Brighton's beach
    let points = write(
        dir.path(),
        "p.csv",
        "lon,lat\n-0.1281,51.5080\n-0.1372,50.8100\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["join-points", points.to_str().unwrap(), "--format", "json"];
        args.extend(extra);
        let o = sigmap(&args, dir.path());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let plain = run(&[]);
    assert_eq!(
        (&plain["matched"], &plain["snapped"], &plain["unmatched"]),
        (&1.into(), &0.into(), &1.into())
    );
    let snapped = run(&["--snap", "5"]);
    assert_eq!(
        (
            &snapped["matched"],
            &snapped["snapped"],
            &snapped["unmatched"]
        ),
        (&2.into(), &1.into(), &0.into())
    );
    let brighton = snapped["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "E14001129")
        .unwrap();
    assert_eq!(brighton["count"], 1);
    // too far to snap within 0.1 km
    assert_eq!(run(&["--snap", "0.1"])["snapped"], 0);
    // and the table says how many were snapped
    let o = sigmap(
        &["join-points", points.to_str().unwrap(), "--snap", "5"],
        dir.path(),
    );
    assert!(
        stdout(&o).contains("2 in an area (1 snapped to the nearest), 0 in none"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn join_points_refuses_a_file_with_its_columns_swapped() {
    let dir = tempfile::tempdir().unwrap();
    let sample = data_arg("points/postcodes_cb_sample.csv");
    let swapped = [
        "join-points",
        &sample,
        "--lon",
        "northing",
        "--lat",
        "easting",
        "--crs",
        "27700",
    ];
    let o = sigmap(&swapped, dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("the coordinates look swapped: of 998 points sampled"),
        "{e}"
    );
    assert!(
        e.contains("name the columns the other way round (--lon easting --lat northing), or count the points as read with --no-swap-check"),
        "{e}"
    );
    assert!(stdout(&o).is_empty());
    // counted as read when asked
    let mut args = swapped.to_vec();
    args.extend(["--no-swap-check", "--format", "json"]);
    let o = sigmap(&args, dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["points"], 998);
    // the right way round passes
    let o = sigmap(&["join-points", &sample, "-q"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("998 points (EPSG:4326 from columns lon, lat): 998 in an area"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn points_on_a_layer_outside_the_uk_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let layer = fixture("columbus.geojson").display().to_string();
    let on_columbus = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--areas", &layer, "--area-id", "POLYID"]);
        sigmap(&all, dir.path())
    };
    let o = on_columbus(&["locate", "8.8", "14.5"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("1  "), "{}", stdout(&o));
    let o = on_columbus(&["locate", "40", "40"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("(40, 40) is outside the layer's extent (longitude "),
        "{}",
        stderr(&o)
    );
    let points = write(dir.path(), "p.csv", "x,y\n8.8,14.5\n40,40\n");
    let o = on_columbus(&["join-points", points.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\n1,1,1\n"), "{}", stdout(&o));
    assert_eq!(
        stderr(&o).trim(),
        "2 points (EPSG:4326 from columns x, y): 1 in an area, 1 in none (1 outside the layer's extent)"
    );
}
