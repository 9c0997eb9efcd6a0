//! Every example runs and prints what it promises (csv's habit: examples cannot rot).

use crate::util;
use std::process::Command;

/// Runs an example binary that `cargo test` built next to this test binary
/// (target/<profile>/examples/), from the repository root.
fn run_example(name: &str, args: &[&str]) -> String {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let bin = profile_dir.join("examples").join(name);
    assert!(
        bin.exists(),
        "{} not built: run the examples through `cargo test`",
        bin.display()
    );
    let o = Command::new(&bin)
        .args(args)
        .current_dir(util::root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "example {name} failed:\n{stderr}");
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn example_top_seats() {
    let out = run_example("top_seats", &[]);
    assert!(
        out.starts_with("Call an immediate general election"),
        "{out}"
    );
    assert!(
        out.contains("rank,code,name,signatures,per_1k_voters,ci95_low,ci95_high\n1,"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 8, "{out}");
}

#[test]
fn example_choropleth() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("d.svg");
    let out = run_example(
        "choropleth",
        &["data/petitions/petition_105991.json", svg.to_str().unwrap()],
    );
    assert!(out.starts_with("wrote "), "{out}");
    let text = std::fs::read_to_string(svg).unwrap();
    assert!(text.contains("Signatures per km²") && text.contains("Open Government Licence"));
}

#[cfg(feature = "polars")]
#[test]
fn example_to_polars() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("a.parquet");
    let out = run_example(
        "to_polars",
        &["data/petitions/petition_241584.json", pq.to_str().unwrap()],
    );
    assert!(
        out.starts_with("650 rows x 45 columns\nE14000639 497.86\n"),
        "{out}"
    );
    assert!(pq.metadata().unwrap().len() > 10_000);
}

#[test]
fn example_points_to_constituencies() {
    let out = run_example("points_to_constituencies", &[]);
    assert!(
        out.starts_with("Cambridge market square is in Cambridge (E14001149)\n998 postcodes: 998 in a seat, 0 in none\n"),
        "{out}"
    );
    assert!(out.contains("  233  Cambridge\n"), "{out}");
}

#[cfg(feature = "polars")]
#[test]
fn example_nations() {
    let out = run_example("nations", &[]);
    assert!(
        out.starts_with("nation,seats,signatures,per_1k_voters\nEngland,533,"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 5, "{out}");
}

#[test]
fn example_compare_petitions() {
    let out = run_example("compare_petitions", &[]);
    assert!(out.contains("Spearman's rho = 0.89"), "{out}");
    assert!(out.contains("Much stronger for A:\n  "), "{out}");
}

#[test]
fn example_my_mp() {
    let out = run_example("my_mp", &[]);
    assert!(out.starts_with("# Bristol Central (E14001"), "{out}");
    assert!(out.contains("estimated from the 2010 seats"), "{out}");
}
