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
        out.contains("rank,code,name,signatures,per_1k_voters,ci95_low_per_1k_voters,ci95_high_per_1k_voters\n1,"),
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

#[test]
fn example_hot_spots() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_example(
        "hot_spots",
        &[
            "data/petitions/petition_241584.json",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.starts_with("Support is spatially clustered"), "{out}");
    assert!(out.contains("hot spot around "), "{out}");
    for f in ["hot_spots_lisa.svg", "hot_spots_gi_star.svg"] {
        let svg = std::fs::read_to_string(dir.path().join(f)).unwrap();
        assert!(roxmltree::Document::parse(&svg).is_ok(), "{f}");
    }
}

#[test]
fn example_hex_map() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_example(
        "hex_map",
        &[
            "data/petitions/petition_241584.json",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.starts_with("wrote "), "{out}");
    let svg = std::fs::read_to_string(dir.path().join("hex_map.svg")).unwrap();
    assert!(svg.contains("Natural breaks (Jenks)"));
    let hexjson = sigmap::export::HexJson::from_path(dir.path().join("hex_map.hexjson")).unwrap();
    assert_eq!(hexjson.hexes.len(), 650);
}

#[test]
fn example_notebook_walkthrough_is_the_notebook() {
    // the notebook is valid JSON for the evcxr kernel, and its code cells are the
    // example's code (whitespace aside; the lines that set `root` and `out` differ)
    let path = util::root().join("notebooks/sigmap_walkthrough.ipynb");
    let nb: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(nb["nbformat"], 4);
    assert_eq!(nb["metadata"]["kernelspec"]["name"], "rust");
    let squash = |s: &str| -> String {
        s.lines()
            .filter(|l| {
                let l = l.trim();
                !(l.starts_with(":dep")
                    || l.starts_with("let root")
                    || l.starts_with("let out")
                    || l.starts_with("//"))
            })
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let example = squash(
        &std::fs::read_to_string(util::root().join("examples/notebook_walkthrough.rs")).unwrap(),
    );
    let mut at = 0;
    let mut cells = 0;
    for cell in nb["cells"].as_array().unwrap() {
        if cell["cell_type"] != "code" {
            continue;
        }
        let src: String = cell["source"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let code = squash(&src);
        if code.is_empty() {
            assert!(src.contains(":dep sigmap = { path = \"..\" }"), "{src}");
            continue;
        }
        let found = example[at..]
            .find(&code)
            .unwrap_or_else(|| panic!("cell not in the example, or out of order:\n{src}"));
        at += found + code.len();
        cells += 1;
    }
    assert_eq!(cells, 5);
    // and the example runs
    let dir = tempfile::tempdir().unwrap();
    let out = run_example("notebook_walkthrough", &[dir.path().to_str().unwrap()]);
    assert!(
        out.contains("hot spot: 47 seats around Hornsey and Wood Green"),
        "{out}"
    );
    for f in ["revoke_choropleth.svg", "revoke_lisa.svg", "revoke_hex.svg"] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
}
