//! `sigmap batch`, `compare`, `mp` and `report --to 2024`.

use super::cli::{data_arg, sigmap, stderr, stdout};
use super::util;

#[test]
fn batch_writes_long_and_petition_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    let o = sigmap(
        &[
            "batch",
            &data_arg("petitions"),
            "--out",
            out.to_str().unwrap(),
            "--permutations",
            "99",
            "-q",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("5 petition(s) analysed, 0 failed"),
        "{}",
        stdout(&o)
    );
    let long = std::fs::read_to_string(out.join("long.csv")).unwrap();
    let mut lines = long.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("petition_id,source,vintage,code,name,")
    );
    assert_eq!(lines.count(), 5 * 650);
    let petitions = std::fs::read_to_string(out.join("petitions.csv")).unwrap();
    assert_eq!(petitions.lines().count(), 6);
    assert!(
        petitions.contains("241584,Revoke Article 50"),
        "{petitions}"
    );
    // the Parquet file holds the same rows
    #[cfg(feature = "polars")]
    {
        use polars::prelude::*;
        let f = std::fs::File::open(out.join("long.parquet")).unwrap();
        let df = ParquetReader::new(f).finish().unwrap();
        assert_eq!(df.height(), 5 * 650);
        let sum: u64 = df
            .column("signatures")
            .unwrap()
            .u64()
            .unwrap()
            .sum()
            .unwrap();
        let mut reader = csv::Reader::from_reader(long.as_bytes());
        let column = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "signatures")
            .unwrap();
        let csv_sum: u64 = reader
            .records()
            .map(|r| r.unwrap()[column].parse::<u64>().unwrap())
            .sum();
        assert_eq!(sum, csv_sum);
    }
}

/// `--partition-by petition_id`: one folder per petition holding its rows, equal to those
/// of long.csv (every column, every value); a second file of one petition is `part-1`; a
/// rerun replaces the dataset.
#[cfg(feature = "polars")]
#[test]
fn batch_partitioned_dataset_equals_long_csv() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    // the five shipped petitions, and 241584 once more under another name
    let again = dir.path().join("again.json");
    std::fs::copy(util::data("petitions/petition_241584.json"), &again).unwrap();
    let run = || {
        sigmap(
            &[
                "batch",
                &data_arg("petitions"),
                again.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--partition-by",
                "petition_id",
                "--permutations",
                "99",
                "--rank-draws",
                "50",
                "-q",
            ],
            dir.path(),
        )
    };
    // a stale part left from an earlier run must not survive
    let stale = out.join("long/petition_id=1/part-0.parquet");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, "stale").unwrap();
    let o = run();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("long"), "{}", stdout(&o));
    assert!(!stale.exists(), "the old dataset was replaced");
    assert!(
        !out.join("long.parquet").exists(),
        "the dataset replaces long.parquet"
    );
    let long = std::fs::read_to_string(out.join("long.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(long.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 6 * 650);
    let mut folders: Vec<String> = std::fs::read_dir(out.join("long"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(
        folders,
        [105868, 105991, 241584, 601415, 619781].map(|i| format!("petition_id={i}"))
    );
    // in input order: the directory's files sorted by name, then the copy
    let parts = [
        (105868, 0),
        (105991, 0),
        (241584, 0),
        (601415, 0),
        (619781, 0),
        (241584, 1),
    ];
    let mut seen = 0;
    for (k, (id, part)) in parts.into_iter().enumerate() {
        let path = out.join(format!("long/petition_id={id}/part-{part}.parquet"));
        let df = ParquetReader::new(std::fs::File::open(&path).unwrap())
            .finish()
            .unwrap();
        assert_eq!(df.height(), 650, "{}", path.display());
        // the partition column is in the folder name only
        let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, header[1..], "{}", path.display());
        let rows = &records[k * 650..(k + 1) * 650];
        for (i, record) in rows.iter().enumerate() {
            assert_eq!(&record[0], id.to_string());
            for (j, name) in names.iter().enumerate() {
                let field = &record[j + 1];
                let value = df.column(name).unwrap().get(i).unwrap();
                let same = match value {
                    AnyValue::Null => field.is_empty(),
                    AnyValue::String(s) => s == field,
                    AnyValue::StringOwned(ref s) => s.as_str() == field,
                    AnyValue::Boolean(b) => b.to_string() == field,
                    AnyValue::UInt32(x) => field.parse::<u32>() == Ok(x),
                    AnyValue::UInt64(x) => field.parse::<u64>() == Ok(x),
                    AnyValue::Float64(x) => field.parse::<f64>().is_ok_and(|f| f == x),
                    ref other => panic!("{name}: unexpected value {other:?}"),
                };
                assert!(
                    same,
                    "{}: row {i}, {name}: {value:?} vs {field:?}",
                    path.display()
                );
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 6 * 650 * (header.len() - 1));
    // the same command again: the same bytes (deterministic), the dataset replaced whole
    let first = std::fs::read(out.join("long/petition_id=241584/part-1.parquet")).unwrap();
    let o = run();
    assert!(o.status.success(), "{}", stderr(&o));
    let second = std::fs::read(out.join("long/petition_id=241584/part-1.parquet")).unwrap();
    assert!(first == second, "a rerun wrote different bytes");
    // no temporary folder is left beside it
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sigmap-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn batch_partition_by_names_only_petition_id() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(
        &[
            "batch",
            &data_arg("petitions/petition_601415.json"),
            "--partition-by",
            "seat",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("petition_id"), "{}", stderr(&o));
}

#[test]
fn batch_goes_on_past_a_bad_file_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let bad = util::write(dir.path(), "bad.json", "{\"data\": 1}");
    let out = dir.path().join("b");
    let o = sigmap(
        &[
            "batch",
            &data_arg("petitions/petition_601415.json"),
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--permutations",
            "0",
            "--no-csv",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.json"), "{}", stderr(&o));
    let petitions = std::fs::read_to_string(out.join("petitions.csv")).unwrap();
    assert_eq!(petitions.lines().count(), 3);
    assert!(!out.join("long.csv").exists());
}

// See: #15
#[test]
fn r15_batch_gives_missing_files_and_dangling_links_an_error_row() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(
        util::fixture("api/petition_621078.json"),
        inbox.join("a.json"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(inbox.join("gone.json"), inbox.join("b.json")).unwrap();
    let out = dir.path().join("b");
    let o = sigmap(
        &[
            "batch",
            inbox.to_str().unwrap(),
            "missing.json",
            "--out",
            out.to_str().unwrap(),
            "--permutations",
            "0",
            "--rank-draws",
            "0",
            "--no-csv",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(out.join("petitions.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    let sources: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    let mut want = vec![inbox.join("a.json").display().to_string()];
    #[cfg(unix)]
    want.push(inbox.join("b.json").display().to_string());
    want.push("missing.json".into());
    assert_eq!(sources, want);
    let error = |r: &csv::StringRecord| r.iter().next_back().unwrap().to_string();
    assert_eq!(error(&rows[0]), "", "the good petition was analysed");
    for r in &rows[1..] {
        assert!(error(r).contains("cannot read"), "{r:?}");
    }
    assert!(
        stderr(&o).contains("missing.json: cannot read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn compare_two_petitions_across_vintages() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("c.json");
    // one on the 2010 seats, one on the 2024 seats: both meet on the 2024 seats
    let b = util::write(
        dir.path(),
        "b.csv",
        "code,count\nE14001063,50\nE14001064,20\nE14001065,5\nE14001066,1\n",
    );
    let o = sigmap(
        &[
            "compare",
            &data_arg("petitions/petition_241584.json"),
            b.to_str().unwrap(),
            "--permutations",
            "99",
            "-o",
            json.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("650 seats of pcon2024_bgc_20pct.geojson"),
        "{}",
        stdout(&o)
    );
    let c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert!(c["spearman"].as_f64().is_some());
    assert!(
        c["a"]["crosswalk"]
            .as_str()
            .unwrap()
            .contains("re-expressed")
    );
}

#[test]
fn mp_profile_by_forgiving_name() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(
        &[
            "mp",
            "CAMBRIDGE",
            &data_arg("petitions/petition_241584.json"),
            &data_arg("petitions/petition_619781.json"),
            "--out",
            dir.path().to_str().unwrap(),
            "--permutations",
            "99",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.path().join("mp_E14001149.md")).unwrap();
    assert!(md.starts_with("# Cambridge (E14001149)"), "{md}");
    assert_eq!(md.matches("\n## ").count(), 2);
    assert!(
        md.contains("plausibly") || md.contains("Rank | 1 of 650"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.path().join("mp_E14001149.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    // an unknown seat: exit 2 and near names
    let o = sigmap(
        &[
            "mp",
            "Cambrige",
            &data_arg("petitions/petition_241584.json"),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean Cambridge"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn report_to_2024_preserves_totals() {
    let dir = tempfile::tempdir().unwrap();
    let o = sigmap(
        &[
            "report",
            &data_arg("petitions/petition_241584.json"),
            "--to",
            "2024",
            "--permutations",
            "0",
            "--format",
            "json",
            "--out",
            dir.path().to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(s["completeness"]["assigned"], 4_858_993);
    assert_eq!(s["completeness"]["vintage"], "2024");
    assert!(
        s["petition"]["crosswalk"]
            .as_str()
            .unwrap()
            .contains("population-weighted")
    );
}
