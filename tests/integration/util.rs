//! Paths and helpers shared by the tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `data/`.
pub fn data(rel: &str) -> PathBuf {
    root().join("data").join(rel)
}

/// A file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The shared development data (`../shared/data`), only present on developer and CI machines.
/// Tests that use it are `#[ignore = "needs ../shared"]`.
pub fn shared(rel: &str) -> PathBuf {
    let p = root().join("../shared/data").join(rel);
    assert!(
        p.exists(),
        "{} is missing: this test needs ../shared/data",
        p.display()
    );
    p
}

/// The five petitions that ship in `data/petitions`.
pub fn shipped_petitions() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data("petitions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    v.sort();
    assert_eq!(v.len(), 5);
    v
}

/// Writes `text` to `name` in `dir` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A GeoJSON layer of unit squares, one per `(code, x, y)` (the lower-left corner), each
/// code in the property `property`.
pub fn unit_squares(
    property: &str,
    squares: impl IntoIterator<Item = (String, f64, f64)>,
) -> String {
    let features: Vec<String> = squares
        .into_iter()
        .map(|(code, x, y)| {
            let (x1, y1) = (x + 1.0, y + 1.0);
            format!(
                r#"{{"type": "Feature", "properties": {{"{property}": "{code}"}}, "geometry": {{"type": "Polygon", "coordinates": [[[{x}, {y}], [{x1}, {y}], [{x1}, {y1}], [{x}, {y1}], [{x}, {y}]]]}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
        features.join(", ")
    )
}

/// Prints an expected/got diff (first differing lines) and fails, like ripgrep's `eqnice!`.
pub fn assert_same_text(expected: &str, got: &str, what: &str) {
    if expected == got {
        return;
    }
    let (e, g): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    let first = e
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(e.len().min(g.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(first)
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    };
    panic!(
        "{what} differs from line {}:\n--- expected ({} lines)\n{}\n--- got ({} lines)\n{}\n(re-bless with SIGMAP_BLESS=1 if the change is intended)",
        first + 1,
        e.len(),
        show(&e),
        g.len(),
        show(&g)
    );
}

/// The float array at `keys` (a top-level key, then nested ones) of a golden file, parsed
/// from its text with Rust's correctly rounded parser: serde_json's default float parser can
/// be 1 ulp off on 17-digit numbers, and exact comparisons need esda's bits.
pub fn golden_floats(name: &str, keys: &[&str]) -> Vec<f64> {
    let text = std::fs::read_to_string(root().join("tests/golden/pysal").join(name)).unwrap();
    let mut at = text
        .find(&format!("\n\"{}\": ", keys[0]))
        .expect("top-level key");
    for key in &keys[1..] {
        at += text[at..].find(&format!("\"{key}\": ")).expect("key") + key.len() + 4;
    }
    let start = at + text[at..].find('[').expect("an array") + 1;
    let end = start + text[start..].find(']').expect("end of array");
    text[start..end]
        .split(',')
        .map(|v| v.trim().parse().unwrap())
        .collect()
}

/// Proptest configuration with `cases` cases from a fixed seed, so that CI runs the same
/// cases on every machine (a failure reproduces); `PROPTEST_RNG_SEED` still chooses another
/// seed for exploring.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let default = Config::default();
    let rng_seed = match default.rng_seed {
        RngSeed::Random => RngSeed::Fixed(0x5167_4d41_5052_4f50),
        chosen => chosen,
    };
    Config {
        cases,
        rng_seed,
        ..default
    }
}

/// The `sigmap` binary as a command that keeps no layer checks (`SIGMAP_CACHE_DIR=`): each
/// test checks its layers afresh, and nothing is written to the user's cache. The tests of
/// the cache set a folder of their own.
pub fn sigmap_command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sigmap"));
    command.env("SIGMAP_CACHE_DIR", "");
    command
}
