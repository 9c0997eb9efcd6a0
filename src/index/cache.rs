//! A layer's overlaps and gaps kept on disk between runs: a layer checked once is not
//! checked again. The union behind the gaps is most of what `join-points` costs on a
//! full-resolution layer, and the same for every run on that layer.
//!
//! An entry is named by a hash of everything the checks read and of the code that makes
//! them: each area's code, name and geometry as read (after any conversion of coordinates,
//! rings oriented; every coordinate's bits, with the number of polygons, rings and points),
//! this version of sigmap, [`CHECKS_VERSION`], and the checks that ship for the shipped
//! layers (which a test keeps current: a change in what the checks find changes them). So
//! an edited file, another table or property of the same file, or another coordinate
//! system is another entry. Numbers are kept as their bits, so an entry reads back exactly
//! what was computed. An entry that cannot be read is computed again, and one that cannot
//! be written is not kept: a cache, never an error.
//!
//! The cache is off in the library until [`set_dir`] names a folder; the command line
//! turns it on with [`default_dir`].

use super::topology::{Gap, Overlap};
use crate::inputs::areas::{Area, Areas};
use geo::Polygon;
use rayon::prelude::*;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, SystemTime};

/// Bump when what the overlap or gap search finds changes: entries made by older checks
/// are then never read.
const CHECKS_VERSION: u32 = 1;

/// The largest entry read (the full-resolution 2024 layer's gaps take 480 KB).
const MAX_ENTRY_BYTES: u64 = 256 << 20;

/// The most the folder's entries may take: past it, keeping an entry removes the least
/// recently used others (a few hundred full-resolution layers).
const MAX_FOLDER_BYTES: u64 = 256 << 20;

/// The age past which a temporary file is a write that never finished (one takes
/// milliseconds), and is removed.
const STALE_TEMPORARY: Duration = Duration::from_secs(24 * 60 * 60);

static DIR: RwLock<Option<PathBuf>> = RwLock::new(None);

/// Keeps layer checks in `dir` from now on (`None`: keep none). A relative folder is taken
/// from the current directory now, not at each use.
pub(super) fn set_dir(dir: Option<PathBuf>) {
    let dir = dir.map(|d| std::path::absolute(&d).unwrap_or(d));
    *DIR.write().unwrap_or_else(PoisonError::into_inner) = dir;
}

/// The folder the command line keeps layer checks in: `$SIGMAP_CACHE_DIR` (set but empty:
/// none), else `sigmap` in `$XDG_CACHE_HOME`, `%LOCALAPPDATA%` or `~/.cache`.
pub(super) fn default_dir() -> Option<PathBuf> {
    default_dir_from(|name| std::env::var_os(name))
}

/// [`default_dir`] from these environment variables.
fn default_dir_from(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    if let Some(dir) = var("SIGMAP_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    // a base that is not absolute is ignored, as the XDG specification says
    let absolute = |name| var(name).map(PathBuf::from).filter(|d| d.is_absolute());
    let base = absolute("XDG_CACHE_HOME")
        .or_else(|| absolute("LOCALAPPDATA"))
        .or_else(|| absolute("HOME").map(|home| home.join(".cache")))?;
    Some(base.join("sigmap"))
}

/// Where one layer's checks are kept.
pub(super) struct Entry {
    /// `<dir>/<key>`, to which `.gaps.json` and `.overlaps.json` are added.
    stem: PathBuf,
    key: String,
}

/// A gap as kept: its numbers as bits, its ring as x, y, x, y, ...
#[derive(Serialize, Deserialize)]
struct KeptGap {
    point: [u64; 2],
    area_km2: u64,
    around: Vec<String>,
    ring: Vec<u64>,
}

/// An overlap as kept.
#[derive(Serialize, Deserialize)]
struct KeptOverlap {
    a: String,
    a_name: String,
    b: String,
    b_name: String,
    probes: usize,
    area_km2: u64,
}

/// One file: the key it was made for, and what was found.
#[derive(Serialize, Deserialize)]
struct Kept<T> {
    key: String,
    found: Vec<T>,
}

impl Entry {
    /// The entry of `areas` in the folder [`set_dir`] named, if any.
    pub(super) fn of(areas: &Areas) -> Option<Entry> {
        let dir = DIR.read().unwrap_or_else(PoisonError::into_inner).clone()?;
        Some(Entry::in_dir(&dir, areas))
    }

    /// The entry of `areas` in `dir`. Its key hashes every coordinate (the full-resolution
    /// layer's 506,087 vertices in a few milliseconds, the areas in parallel).
    fn in_dir(dir: &Path, areas: &Areas) -> Entry {
        let digests: Vec<[u8; 32]> = (0..areas.len())
            .into_par_iter()
            .map(|i| digest(&areas[i]))
            .collect();
        let mut hash = Sha256::new();
        hash.update(format!(
            "sigmap {} layer checks {CHECKS_VERSION}\n",
            env!("CARGO_PKG_VERSION")
        ));
        for shipped in super::topology::SHIPPED {
            hash.update(Sha256::digest(shipped));
        }
        hash.update((digests.len() as u64).to_le_bytes());
        for digest in &digests {
            hash.update(digest);
        }
        let key = crate::inputs::areas::hex(&hash.finalize());
        Entry {
            stem: dir.join(&key),
            key,
        }
    }

    fn path(&self, what: &str) -> PathBuf {
        self.stem.with_extension(format!("{what}.json"))
    }

    /// The gaps and their polygons, if kept.
    pub(super) fn gaps(&self) -> Option<(Vec<Gap>, Vec<Polygon<f64>>)> {
        let kept: Vec<KeptGap> = self.read("gaps")?;
        kept.into_iter()
            .map(|g| {
                let ring: Vec<geo::Coord<f64>> = g
                    .ring
                    .chunks_exact(2)
                    .map(|c| geo::coord! { x: f64::from_bits(c[0]), y: f64::from_bits(c[1]) })
                    .collect();
                // a closed ring of three or more corners, as the union gives
                let closed = ring.len() >= 4 && ring.first() == ring.last();
                (g.ring.len() % 2 == 0 && closed).then(|| {
                    let gap = Gap {
                        point: g.point.map(f64::from_bits),
                        area_km2: f64::from_bits(g.area_km2),
                        around: g.around,
                    };
                    (gap, Polygon::new(ring.into(), vec![]))
                })
            })
            .collect()
    }

    /// The overlaps, if kept.
    pub(super) fn overlaps(&self) -> Option<Vec<Overlap>> {
        let kept: Vec<KeptOverlap> = self.read("overlaps")?;
        Some(
            kept.into_iter()
                .map(|o| Overlap {
                    a: o.a,
                    a_name: o.a_name,
                    b: o.b,
                    b_name: o.b_name,
                    probes: o.probes,
                    area_km2: f64::from_bits(o.area_km2),
                })
                .collect(),
        )
    }

    /// Keeps the gaps and their polygons (in the same order).
    pub(super) fn keep_gaps(&self, gaps: &[Gap], polygons: &[Polygon<f64>]) {
        let kept: Vec<KeptGap> = gaps
            .iter()
            .zip(polygons)
            .map(|(g, p)| KeptGap {
                point: g.point.map(f64::to_bits),
                area_km2: g.area_km2.to_bits(),
                around: g.around.clone(),
                ring: p
                    .exterior()
                    .coords()
                    .flat_map(|c| [c.x.to_bits(), c.y.to_bits()])
                    .collect(),
            })
            .collect();
        self.write("gaps", kept);
    }

    /// Keeps the overlaps.
    pub(super) fn keep_overlaps(&self, overlaps: &[Overlap]) {
        let kept: Vec<KeptOverlap> = overlaps
            .iter()
            .map(|o| KeptOverlap {
                a: o.a.clone(),
                a_name: o.a_name.clone(),
                b: o.b.clone(),
                b_name: o.b_name.clone(),
                probes: o.probes,
                area_km2: o.area_km2.to_bits(),
            })
            .collect();
        self.write("overlaps", kept);
    }

    fn read<T: DeserializeOwned>(&self, what: &str) -> Option<Vec<T>> {
        // a file, not a FIFO (opening one would wait for a writer) or a device, and not too
        // large to be an entry; what is read is bounded too, should it grow meanwhile
        let path = self.path(what);
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_ENTRY_BYTES {
            return None;
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        let file = std::fs::File::open(&path).ok()?;
        (&file).take(MAX_ENTRY_BYTES).read_to_end(&mut bytes).ok()?;
        let kept: Kept<T> = serde_json::from_slice(&bytes).ok()?;
        if kept.key != self.key {
            return None;
        }
        // used now: the folder's tidying removes the entries least recently used (where the
        // system lets a reader set the time; else least recently written)
        let _ = file.set_modified(SystemTime::now());
        Some(kept.found)
    }

    /// Writes a file beside its place and renames it there, so that a reader (another
    /// sigmap at the same time) sees the whole file or none.
    fn write<T: Serialize>(&self, what: &str, found: Vec<T>) {
        let kept = Kept {
            key: self.key.clone(),
            found,
        };
        // not kept if it cannot be written: the next run checks the layer again
        let path = self.path(what);
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let written = crate::export::write_atomically(&path, |w| {
            serde_json::to_writer(w, &kept).map_err(std::io::Error::from)
        });
        if let (Ok(()), Some(dir)) = (written, path.parent()) {
            tidy(dir, &self.key, MAX_FOLDER_BYTES, SystemTime::now());
        }
    }
}

/// Keeps the folder in bounds: removes temporary files of writes that never finished and,
/// while the entries take more than `max_bytes`, the least recently used entry other than
/// `keep`'s. Only files named as this module names them are touched, so a folder shared
/// with other files loses none of them. Whatever cannot be read or removed is left.
fn tidy(dir: &Path, keep: &str, max_bytes: u64, now: SystemTime) {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: BTreeMap<String, Use> = BTreeMap::new();
    for file in listing.flatten() {
        let name = file.file_name();
        let Some(name) = name.to_str() else { continue };
        let Ok(meta) = file.metadata() else { continue };
        let modified = meta.modified().unwrap_or(now);
        if is_temporary(name) {
            if now
                .duration_since(modified)
                .is_ok_and(|age| age > STALE_TEMPORARY)
            {
                let _ = std::fs::remove_file(file.path());
            }
        } else if let Some(key) = entry_key(name).filter(|_| meta.is_file()) {
            let entry = entries.entry(key.to_string()).or_insert(Use {
                last: modified,
                bytes: 0,
                files: Vec::new(),
            });
            entry.last = entry.last.max(modified);
            entry.bytes += meta.len();
            entry.files.push(file.path());
        }
    }
    let mut total: u64 = entries.values().map(|e| e.bytes).sum();
    // the least recently used first; on equal times by key, so that every run agrees
    let mut entries: Vec<(String, Use)> = entries.into_iter().collect();
    entries.sort_by_key(|(_, e)| e.last);
    for (key, entry) in entries {
        if total <= max_bytes {
            break;
        }
        if key != keep {
            for path in &entry.files {
                let _ = std::fs::remove_file(path);
            }
            total -= entry.bytes;
        }
    }
}

/// An entry's files as [`tidy`] finds them.
struct Use {
    /// When the most recently used of them was last used (read or written).
    last: SystemTime,
    bytes: u64,
    files: Vec<PathBuf>,
}

/// The key of a file named as an entry's (`<key>.gaps.json`, `<key>.overlaps.json`).
fn entry_key(name: &str) -> Option<&str> {
    let key = name
        .strip_suffix(".gaps.json")
        .or_else(|| name.strip_suffix(".overlaps.json"))?;
    is_key(key).then_some(key)
}

/// Whether `name` is the temporary file of an entry being written (as
/// [`crate::export::write_atomically`] names them: `.<entry name>.<pid>-<n>.sigmap-tmp`).
fn is_temporary(name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(".sigmap-tmp"))
    else {
        return false;
    };
    rest.rsplit_once('.')
        .is_some_and(|(entry, _)| entry_key(entry).is_some())
}

/// Whether `text` is a key: 64 lowercase hexadecimal digits.
fn is_key(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The SHA-256 of one area as the checks read it: its code and name, and its polygons'
/// rings as read (each count and length, then every coordinate's bits).
fn digest(area: &Area) -> [u8; 32] {
    let mut hash = Sha256::new();
    for text in [&area.code, &area.name] {
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    }
    hash.update((area.geometry.0.len() as u64).to_le_bytes());
    let mut bytes = Vec::new();
    for polygon in &area.geometry {
        hash.update((polygon.interiors().len() as u64).to_le_bytes());
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            bytes.clear();
            bytes.extend((ring.0.len() as u64).to_le_bytes());
            for c in &ring.0 {
                bytes.extend(c.x.to_bits().to_le_bytes());
                bytes.extend(c.y.to_bits().to_le_bytes());
            }
            hash.update(&bytes);
        }
    }
    hash.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::LayerTopology;
    use crate::weights::testing::squares;

    /// A 3 x 3 grid of 0.1-degree squares without its middle (a gap), the first moved into
    /// the second (an overlap).
    fn layer() -> Areas {
        let corners: Vec<(f64, f64)> = (0..9)
            .filter(|&i| i != 4)
            .map(|i| ((i % 3) as f64 * 0.1, (i / 3) as f64 * 0.1))
            .map(|(x, y)| {
                if (x, y) == (0.0, 0.0) {
                    (0.01, 0.0)
                } else {
                    (x, y)
                }
            })
            .collect();
        squares(&corners, 0.1)
    }

    #[test]
    fn checks_are_kept_and_read_back_to_the_bit() {
        let dir = tempfile::tempdir().unwrap();
        let areas = layer();
        let entry = Entry::in_dir(dir.path(), &areas);
        let fresh = LayerTopology::compute(&areas, &crate::SpatialIndex::new(&areas));
        assert_eq!(
            (fresh.overlaps.len(), fresh.gaps.len()),
            (1, 1),
            "{fresh:?}"
        );
        assert_eq!(LayerTopology::checked(&areas, Some(&entry)), fresh);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        // read back: the same overlaps, gaps and gap polygons, every float to the bit
        assert_eq!(entry.overlaps().unwrap(), fresh.overlaps);
        assert_eq!(LayerTopology::checked(&areas, Some(&entry)), fresh);
        let kept = LayerTopology::checked(&areas, Some(&entry));
        assert!(kept.in_gap(0.15, 0.15) && !kept.in_gap(0.05, 0.05));
    }

    #[test]
    fn what_is_kept_is_what_is_read() {
        // an entry that says otherwise than the layer is believed: the checks are read,
        // not computed again
        let dir = tempfile::tempdir().unwrap();
        let areas = layer();
        let entry = Entry::in_dir(dir.path(), &areas);
        entry.keep_overlaps(&[]);
        entry.keep_gaps(&[], &[]);
        assert!(LayerTopology::checked(&areas, Some(&entry)).is_clean());
    }

    #[test]
    fn an_entry_that_cannot_be_read_is_checked_again() {
        let dir = tempfile::tempdir().unwrap();
        let areas = layer();
        let entry = Entry::in_dir(dir.path(), &areas);
        let fresh = LayerTopology::checked(&areas, Some(&entry));
        let gaps = entry.path("gaps");
        let text = std::fs::read_to_string(&gaps).unwrap();
        for broken in [
            String::new(),
            text[..text.len() / 2].to_string(),
            // another layer's entry under this name
            text.replacen(&entry.key, &"0".repeat(64), 1),
            // a ring with an odd number of coordinates, or not closed
            text.replacen("\"ring\":[", "\"ring\":[1,", 1),
            text.replacen("\"ring\":[", "\"ring\":[1,2,", 1),
        ] {
            std::fs::write(&gaps, &broken).unwrap();
            assert!(entry.gaps().is_none(), "{broken}");
            assert_eq!(LayerTopology::checked(&areas, Some(&entry)), fresh);
            // and kept again, whole
            assert_eq!(std::fs::read_to_string(&gaps).unwrap(), text);
        }
    }

    /// A FIFO where an entry should be is passed over, never opened (which would wait for
    /// a writer that never comes), and the layer checked.
    #[cfg(unix)]
    #[test]
    fn an_entry_that_is_no_file_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let areas = layer();
        let entry = Entry::in_dir(dir.path(), &areas);
        let made = std::process::Command::new("mkfifo")
            .arg(entry.path("gaps"))
            .status()
            .unwrap();
        assert!(made.success());
        assert!(entry.gaps().is_none());
        let fresh = LayerTopology::compute(&areas, &crate::SpatialIndex::new(&areas));
        assert_eq!(LayerTopology::checked(&areas, Some(&entry)), fresh);
    }

    /// Sets a file's modification time to `age` before now.
    fn age(path: &Path, age: Duration) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::now() - age).unwrap();
    }

    const DAY: Duration = Duration::from_secs(24 * 60 * 60);

    #[test]
    fn the_folder_loses_unfinished_writes_and_its_least_recently_used_entries() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, bytes: usize, days: u32| {
            let path = dir.path().join(name);
            std::fs::write(&path, vec![b'x'; bytes]).unwrap();
            age(&path, DAY * days);
            path
        };
        let [a, b, c, d] = ['a', 'b', 'c', 'd'].map(|k| k.to_string().repeat(64));
        // entries of 100 bytes, used 40, 30 (one of its files 5), 20 and 10 days ago
        let a_gaps = file(&format!("{a}.gaps.json"), 100, 40);
        let b_gaps = file(&format!("{b}.gaps.json"), 60, 30);
        let b_overlaps = file(&format!("{b}.overlaps.json"), 40, 5);
        let c_gaps = file(&format!("{c}.gaps.json"), 100, 20);
        let d_gaps = file(&format!("{d}.gaps.json"), 100, 10);
        // writes that never finished, and one under way
        let stale = file(&format!(".{a}.gaps.json.12-0.sigmap-tmp"), 10, 2);
        let young = file(&format!(".{c}.overlaps.json.13-4.sigmap-tmp"), 10, 0);
        // files that are not the cache's, however old or large
        let others = [
            file("notes.txt", 1000, 400),
            file(".notes.sigmap-tmp", 10, 400),
            file(&format!("{}.gaps.json", "A".repeat(64)), 1000, 400),
            file(&format!("{a}.json"), 1000, 400),
        ];
        std::fs::create_dir(dir.path().join(format!("{d}.overlaps.json"))).unwrap();
        // 400 bytes of entries kept to 250: the two least recently used go but the one
        // being kept, and b counts as used 5 days ago
        tidy(dir.path(), &a, 250, SystemTime::now());
        let exists = |p: &PathBuf| p.exists();
        assert!(!exists(&stale) && exists(&young));
        assert!(exists(&a_gaps), "the entry just kept stays");
        assert!(exists(&b_gaps) && exists(&b_overlaps));
        assert!(!exists(&c_gaps) && !exists(&d_gaps));
        assert!(others.iter().all(exists));
        assert!(dir.path().join(format!("{d}.overlaps.json")).is_dir());
        // within bounds, nothing more goes
        tidy(dir.path(), &b, 250, SystemTime::now());
        assert!(exists(&a_gaps) && exists(&b_gaps) && exists(&young));
    }

    #[test]
    fn reading_an_entry_marks_it_used_and_keeping_one_tidies_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let areas = layer();
        let entry = Entry::in_dir(dir.path(), &areas);
        entry.keep_overlaps(&[]);
        let overlaps = entry.path("overlaps");
        age(&overlaps, DAY * 30);
        assert!(entry.overlaps().is_some());
        let used = std::fs::metadata(&overlaps).unwrap().modified().unwrap();
        assert!(SystemTime::now().duration_since(used).unwrap() < DAY);
        // a write that never finished, found when the next entry is kept
        let stale = dir
            .path()
            .join(format!(".{}.gaps.json.1-0.sigmap-tmp", entry.key));
        std::fs::write(&stale, "{").unwrap();
        age(&stale, DAY * 2);
        entry.keep_gaps(&[], &[]);
        assert!(!stale.exists() && entry.gaps().is_some());
    }

    #[test]
    fn anything_the_checks_read_names_another_entry() {
        let dir = Path::new("/cache");
        let key = |areas: &Areas| Entry::in_dir(dir, areas).key;
        assert_eq!(key(&layer()), key(&layer()));
        // one file, its codes or its names read from other properties, or its polygons
        // grouped otherwise (a hole, or a second polygon with the same ring)
        let ring = "[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]";
        let hole = "[[0.2, 0.2], [0.2, 0.4], [0.4, 0.4], [0.4, 0.2], [0.2, 0.2]]";
        let layer_of = |geometry: &str| {
            format!(
                r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature",
                "properties": {{"a": "A1", "b": "B1", "n": "N1", "m": "M1"}},
                "geometry": {geometry}}}]}}"#
            )
        };
        let read = |text: &str, code: &str, name: &str| {
            crate::LayerOptions::new()
                .code_property(code)
                .name_property(name)
                .from_reader(text.as_bytes(), "l.geojson")
                .unwrap()
        };
        let polygon = layer_of(&format!(
            r#"{{"type": "Polygon", "coordinates": [{ring}, {hole}]}}"#
        ));
        let parts = layer_of(&format!(
            r#"{{"type": "MultiPolygon", "coordinates": [[{ring}], [{hole}]]}}"#
        ));
        let keys = [
            key(&read(&polygon, "a", "n")),
            key(&read(&polygon, "b", "n")),
            key(&read(&polygon, "a", "m")),
            key(&read(&parts, "a", "n")),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // the same geometry and labels from another file's text: the same entry
        let spaced = polygon.replace(", ", ",  ");
        assert_eq!(key(&read(&spaced, "a", "n")), keys[0]);
    }

    #[test]
    fn the_folder_follows_the_environment() {
        let env = |vars: &[(&str, &str)]| {
            let vars: Vec<(String, String)> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            default_dir_from(move |name| {
                vars.iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| OsString::from(v))
            })
        };
        let all = [
            ("SIGMAP_CACHE_DIR", "/s"),
            ("XDG_CACHE_HOME", "/x"),
            ("LOCALAPPDATA", "/l"),
            ("HOME", "/h"),
        ];
        assert_eq!(env(&all), Some(PathBuf::from("/s")));
        assert_eq!(env(&[("SIGMAP_CACHE_DIR", ""), ("HOME", "/h")]), None);
        assert_eq!(env(&all[1..]), Some(PathBuf::from("/x/sigmap")));
        assert_eq!(env(&all[2..]), Some(PathBuf::from("/l/sigmap")));
        assert_eq!(env(&all[3..]), Some(PathBuf::from("/h/.cache/sigmap")));
        // relative bases are ignored
        assert_eq!(
            env(&[("XDG_CACHE_HOME", "rel"), ("HOME", "/h")]),
            Some(PathBuf::from("/h/.cache/sigmap"))
        );
        assert_eq!(env(&[("HOME", "")]), None);
        assert_eq!(env(&[]), None);
    }
}
