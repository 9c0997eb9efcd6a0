//! The fuzz corpus as regression tests: every file committed under `fuzz/corpus/<target>/`
//! and `fuzz/regressions/<target>/` goes through the same function as the afl target
//! (`fuzz/targets.rs`) and must end without a panic (in `Ok` or a typed error, which the
//! functions ignore; their own assertions must hold). `FUZZ_CORPUS_VERBOSE=1` (with
//! `--nocapture`) says which inputs were read and which refused.

#[path = "../../fuzz/targets.rs"]
mod targets;

use std::path::Path;

/// The files of `fuzz/<kind>/<target>/`, sorted.
fn inputs(kind: &str, target: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn run(target: &str) {
    let (_, f) = targets::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a target of fuzz/targets.rs");
    let corpus = inputs("corpus", target);
    assert!(!corpus.is_empty(), "fuzz/corpus/{target} holds no input");
    let mut read = 0;
    for path in corpus.iter().chain(&inputs("regressions", target)) {
        let data = std::fs::read(path).expect("read a fuzz input");
        match std::panic::catch_unwind(|| f(&data)) {
            Ok(ok) => {
                read += usize::from(ok);
                if std::env::var_os("FUZZ_CORPUS_VERBOSE").is_some() {
                    let what = if ok { "read" } else { "refused" };
                    eprintln!("{target}: {} {what}", path.display());
                }
            }
            Err(panic) => {
                targets::clean_up();
                eprintln!("fuzz input {} panicked", path.display());
                std::panic::resume_unwind(panic);
            }
        }
    }
    targets::clean_up();
    // the corpus reaches past the parser: some inputs are read, not only refused
    assert!(
        read > 0,
        "no input of fuzz/corpus/{target} is read without error"
    );
}

#[test]
fn every_target_has_a_test() {
    let here = include_str!("fuzz_corpus.rs");
    for (name, _) in targets::TARGETS {
        assert!(here.contains(&format!("fn {name}()")), "no test for {name}");
    }
}

#[test]
fn petition_json() {
    run("petition_json");
}

#[test]
fn petition_csv() {
    run("petition_csv");
}

#[test]
fn geojson() {
    run("geojson");
}

#[cfg(feature = "shapefile")]
#[test]
fn shapefile() {
    run("shapefile");
}

#[test]
fn hexjson() {
    run("hexjson");
}

#[test]
fn weights() {
    run("weights");
}

#[test]
fn snapshots() {
    run("snapshots");
}

#[test]
fn api() {
    run("api");
}
