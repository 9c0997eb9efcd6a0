//! The shipped data: every file is listed in data/MANIFEST with the right hash.

use crate::util;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn data_manifest_hashes_match() {
    let manifest = std::fs::read_to_string(util::data("MANIFEST")).unwrap();
    let mut listed = BTreeMap::new();
    let mut file = None;
    for line in manifest.lines() {
        if let Some(f) = line.strip_prefix("file: ") {
            file = Some(f.trim().to_string());
        } else if let Some(h) = line.strip_prefix("sha256: ") {
            listed.insert(
                file.take().expect("sha256 line after a file line"),
                h.trim().to_string(),
            );
        }
    }
    let mut found = Vec::new();
    files_under(&util::data(""), &mut found);
    let root = util::data("");
    let mut total = 0;
    for path in found {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "MANIFEST" {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        total += bytes.len();
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let expected = listed
            .remove(&rel)
            .unwrap_or_else(|| panic!("data/{rel} is not in data/MANIFEST"));
        assert_eq!(
            hash, expected,
            "data/{rel}: sha256 differs from data/MANIFEST"
        );
    }
    assert!(
        listed.is_empty(),
        "listed in data/MANIFEST but missing: {listed:?}"
    );
    assert!(
        total < 20_000_000,
        "data/ holds {total} bytes: keep it under 20 MB"
    );
}

#[test]
fn manifest_keeps_licence_lines() {
    let manifest = std::fs::read_to_string(util::data("MANIFEST")).unwrap();
    let blocks = manifest.split("\nfile: ").skip(1);
    for block in blocks {
        assert!(
            block.contains("\nlicence: "),
            "no licence line in block: {}",
            block.lines().next().unwrap()
        );
        assert!(
            block.contains("\nsource: "),
            "no source line in block: {}",
            block.lines().next().unwrap()
        );
    }
}
