//! The fuzz targets: one function per target, each taking the fuzzer's bytes and calling
//! sigmap's public API the way a user's file or a server's answer reaches it.
//!
//! Shared by the fuzz crate (`fuzz/src/bin/*.rs`, built with cargo-afl) and the normal test
//! suite (`tests/integration/fuzz_corpus.rs`, which runs every committed corpus and
//! regression file through the same functions). Every input must end in `Ok` or a typed
//! `sigmap::Error`; a panic (including the assertions below), a hang or an abort is a
//! finding.

#![allow(dead_code)]

use sigmap::export::HexJson;
use sigmap::live::{Client, Snapshot, SnapshotStore, Snapshots, VelocityOptions, velocity};
use sigmap::{Areas, LayerOptions, Petition, SpatialIndex, Vintage, Weights, WeightsFormat};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

/// A target's function: true if the input was read (`Ok`) rather than refused.
pub type Target = fn(&[u8]) -> bool;

/// Every target: its name (the binary, `fuzz/corpus/<name>/`, `fuzz/regressions/<name>/`)
/// and its function.
pub const TARGETS: &[(&str, Target)] = &[
    ("petition_json", petition_json),
    ("petition_csv", petition_csv),
    ("geojson", geojson),
    #[cfg(feature = "shapefile")]
    ("shapefile", shapefile),
    ("hexjson", hexjson),
    ("weights", weights),
    ("snapshots", snapshots),
    ("api", api),
];

/// What a target loads before afl forks, so that each run need not: the layers of the
/// `weights` target. Nothing else: loading a layer starts rayon's threads, which do not
/// survive the fork, so a target that reads a layer in the child must not have them
/// started in the parent (its first parallel step would wait for ever).
pub fn init(target: &str) {
    if target == "weights" {
        let _ = pcon2024();
        let _ = columbus();
    }
}

fn pcon2024() -> &'static Areas {
    static AREAS: OnceLock<Areas> = OnceLock::new();
    AREAS.get_or_init(|| Areas::shipped(Vintage::Pcon2024).expect("the shipped layer reads"))
}

fn columbus() -> &'static Areas {
    static AREAS: OnceLock<Areas> = OnceLock::new();
    AREAS.get_or_init(|| {
        LayerOptions::new()
            .code_property("POLYID")
            .from_reader(
                include_str!("../tests/fixtures/columbus.geojson").as_bytes(),
                "columbus.geojson",
            )
            .expect("the Columbus fixture reads")
    })
}

fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::builder()
            .base_url("http://127.0.0.1:9")
            .build()
            .expect("a client builds")
    })
}

/// A fresh, empty directory of this process and thread (in memory where `/dev/shm`
/// exists, so the store's `fsync` costs nothing).
fn scratch_dir() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    thread_local! {
        static DIR: PathBuf = {
            let base = Path::new("/dev/shm");
            let base = if base.is_dir() { base.to_path_buf() } else { std::env::temp_dir() };
            base.join(format!(
                "sigmap-fuzz-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ))
        };
    }
    let dir = DIR.with(|d| d.clone());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// Removes the scratch directory (the test calls it when done; a fuzzer reuses it).
pub fn clean_up() {
    let dir = scratch_dir();
    let _ = std::fs::remove_dir_all(dir);
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// What every petition goes through once read: its vintage, sums and URL.
fn use_petition(p: &Petition) {
    let _ = p.vintage();
    let _ = p.constituency_sum();
    let _ = p.url();
}

/// Target 1: A petition's JSON (the API's, current or archived).
pub fn petition_json(data: &[u8]) -> bool {
    let read = Petition::from_reader(data, "f.json");
    if let Ok(p) = &read {
        use_petition(p);
    }
    read.is_ok()
}

/// Target 2: A petition as a CSV of codes and counts.
pub fn petition_csv(data: &[u8]) -> bool {
    let read = Petition::from_reader(data, "f.csv");
    if let Ok(p) = &read {
        use_petition(p);
    }
    read.is_ok()
}

/// What every layer goes through once read: a spatial index, a point lookup, queen
/// contiguity.
fn use_areas(areas: &Areas) {
    let index = SpatialIndex::new(areas);
    if let Some(b) = index.bounding_box() {
        let _ = index.locate((b.min_lon + b.max_lon) / 2.0, (b.min_lat + b.max_lat) / 2.0);
    }
    let w = Weights::queen(areas);
    assert_eq!(w.n(), areas.len());
    let _ = w.n_components();
}

/// Target 3: A GeoJSON boundary layer.
pub fn geojson(data: &[u8]) -> bool {
    let Some(t) = text(data) else { return false };
    let read = LayerOptions::new().from_reader(t.as_bytes(), "f.geojson");
    if let Ok(areas) = &read {
        use_areas(areas);
    }
    read.is_ok()
}

/// Target 4: A Shapefile. The first byte chooses: even, the rest is split into the `.shp`, `.dbf`,
/// `.prj` and `.cpg` of `f` (each of the first three after a 2-byte little-endian length;
/// the `.prj` and `.cpg` are left out when empty); odd, the rest is `f.zip`.
#[cfg(feature = "shapefile")]
pub fn shapefile(data: &[u8]) -> bool {
    let Some((&mode, mut rest)) = data.split_first() else {
        return false;
    };
    let dir = scratch_dir();
    let path = if mode % 2 == 1 {
        let path = dir.join("f.zip");
        std::fs::write(&path, rest).expect("write the zip");
        path
    } else {
        let mut part = || {
            let n = match rest {
                [a, b, tail @ ..] => {
                    rest = tail;
                    usize::from(u16::from_le_bytes([*a, *b]))
                }
                _ => 0,
            };
            let (p, tail) = rest.split_at(n.min(rest.len()));
            rest = tail;
            p
        };
        let (shp, dbf, prj) = (part(), part(), part());
        let cpg = rest;
        std::fs::write(dir.join("f.shp"), shp).expect("write the .shp");
        std::fs::write(dir.join("f.dbf"), dbf).expect("write the .dbf");
        if !prj.is_empty() {
            std::fs::write(dir.join("f.prj"), prj).expect("write the .prj");
        }
        if !cpg.is_empty() {
            std::fs::write(dir.join("f.cpg"), cpg).expect("write the .cpg");
        }
        dir.join("f.shp")
    };
    let read = LayerOptions::new().from_path(&path);
    if let Ok(areas) = &read {
        use_areas(areas);
    }
    read.is_ok()
}

/// Target 5: A HexJSON layout.
pub fn hexjson(data: &[u8]) -> bool {
    let Some(t) = text(data) else { return false };
    let read = HexJson::from_reader(t.as_bytes(), "f.hexjson");
    if let Ok(h) = &read {
        for hex in h.hexes.iter().take(64) {
            let _ = h.centre(hex);
            assert_eq!(h.get(&hex.code), Some(hex));
        }
    }
    read.is_ok()
}

/// Target 6: A GAL or GWT weights file, for the Columbus layer (49 areas) or the shipped 2024
/// one (650): the header's n says which.
pub fn weights(data: &[u8]) -> bool {
    let Some(t) = text(data) else { return false };
    let mut read = false;
    for areas in [columbus(), pcon2024()] {
        for (format, name) in [(WeightsFormat::Gal, "f.gal"), (WeightsFormat::Gwt, "f.gwt")] {
            if let Ok(w) = Weights::from_reader(t.as_bytes(), name, format, areas) {
                read = true;
                assert_eq!(w.n(), areas.len());
                let _ = w.s0();
                let _ = w.islands();
                if let Ok(back) = w.to_text(format, areas) {
                    // what sigmap writes, it reads back
                    let again = Weights::from_reader(back.as_bytes(), name, format, areas)
                        .expect("written weights read back");
                    assert_eq!(again.n(), w.n());
                }
            }
        }
    }
    read
}

/// Target 7: The snapshot store: the bytes are `snapshots.csv`. It is read, its velocity
/// computed, then opened for writing (setting a torn tail aside) and one snapshot
/// appended: the store must then read back with every snapshot it had and the new one.
pub fn snapshots(data: &[u8]) -> bool {
    let dir = scratch_dir();
    std::fs::write(dir.join(sigmap::live::STORE_FILE), data).expect("write the store");
    let before = Snapshots::read(&dir);
    if let Ok(s) = &before {
        let _ = velocity(s, &VelocityOptions::default());
        let _ = velocity(
            s,
            &VelocityOptions::default().window(Duration::from_secs(1)),
        );
    }
    let Ok(mut store) = SnapshotStore::open(&dir) else {
        return false;
    };
    let (petition, time) = match store.last() {
        Some(last) => (last.petition, last.time + Duration::from_millis(1)),
        None => (700143, UNIX_EPOCH + Duration::from_secs(1_714_564_800)),
    };
    let mut s = Snapshot::new(petition, time, 7, 5);
    s.counts.insert("E14001063".into(), 5);
    if store.append(&s).is_err() {
        return false;
    }
    let after = Snapshots::read(&dir).expect("a store that was appended to reads back");
    let last = after
        .snapshots
        .last()
        .expect("the appended snapshot is read back");
    // the store keeps milliseconds: a time read with finer digits is written without them
    assert_eq!(last.time_string(), s.time_string());
    assert_eq!(
        (last.petition, last.total, last.uk_total, &last.counts),
        (s.petition, s.total, s.uk_total, &s.counts),
        "the appended snapshot is read back"
    );
    if let Ok(before) = before {
        assert_eq!(
            after.snapshots[..after.snapshots.len() - 1],
            before.snapshots[..],
            "every snapshot the store had is still there"
        );
    }
    true
}

/// Target 8: An answer of the petitions API, parsed as `Client::petition` parses it (the body,
/// named by its URL), then as `sigmap watch` stores it: a snapshot appended to a store,
/// which must read back. A `links.next` in the body is rebased as `Client::list` does.
/// (The list-page and status parsing of `Client` is private and needs a server: see
/// fuzz/README.md.)
pub fn api(data: &[u8]) -> bool {
    let Some(t) = text(data) else { return false };
    let url = "https://petition.parliament.uk/petitions/700143.json";
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(t)
        && let Some(next) = v
            .get("links")
            .and_then(|l| l.get("next"))
            .and_then(|n| n.as_str())
    {
        let _ = client().rebase(next);
    }
    let Ok(p) = Petition::from_reader(t.as_bytes(), url) else {
        return false;
    };
    use_petition(&p);
    let Ok(s) = Snapshot::from_petition(&p, UNIX_EPOCH + Duration::from_secs(1_714_564_800)) else {
        return false;
    };
    let dir = scratch_dir();
    let mut store = SnapshotStore::open(&dir).expect("a new store opens");
    store
        .append(&s)
        .expect("a snapshot of a petition is stored");
    let read = Snapshots::read(&dir).expect("the store reads back");
    assert_eq!(read.snapshots, [s], "the snapshot reads back as it was");
    assert!(read.damaged.is_empty());
    true
}
