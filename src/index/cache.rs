//! A layer's overlaps and gaps kept on disk between runs: a layer checked once is not
//! checked again. The union behind the gaps is most of what `join-points` costs on a
//! full-resolution layer, and the same for every run on that layer.
//!
//! An entry is named by a hash of everything the checks read: the layer file's SHA-256,
//! the coordinate system its coordinates were converted from, each area's code and name,
//! and this version of the checks. Numbers are kept as their bits, so an entry reads back
//! exactly what was computed. An entry that cannot be read is computed again, and one that
//! cannot be written is not kept: a cache, never an error.
//!
//! The cache is off in the library until [`set_dir`] names a folder; the command line
//! turns it on with [`default_dir`].

use super::topology::{Gap, Overlap};
use crate::inputs::areas::Areas;
use geo::Polygon;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

/// Bump when what the overlap or gap search finds changes: entries made by older checks
/// are then never read.
const CHECKS_VERSION: u32 = 1;

static DIR: RwLock<Option<PathBuf>> = RwLock::new(None);

/// Keeps layer checks in `dir` from now on (`None`: keep none).
pub(super) fn set_dir(dir: Option<PathBuf>) {
    *DIR.write().unwrap_or_else(PoisonError::into_inner) = dir;
}

/// The folder the command line keeps layer checks in: `$SIGMAP_CACHE_DIR` (set but empty:
/// none), else `sigmap` in `$XDG_CACHE_HOME`, `%LOCALAPPDATA%` or `~/.cache`.
pub(super) fn default_dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = std::env::var_os("SIGMAP_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let base = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
        .or_else(|| var("LOCALAPPDATA").map(PathBuf::from))
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".cache")))?;
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
    /// The entry of `areas` in the folder [`set_dir`] named, if any (none for a layer
    /// without a hash).
    pub(super) fn of(areas: &Areas) -> Option<Entry> {
        let dir = DIR.read().unwrap_or_else(PoisonError::into_inner).clone()?;
        Entry::in_dir(&dir, areas)
    }

    fn in_dir(dir: &Path, areas: &Areas) -> Option<Entry> {
        if areas.layer.sha256.is_empty() {
            return None;
        }
        let mut hash = Sha256::new();
        hash.update(format!("sigmap layer checks {CHECKS_VERSION}\n"));
        hash.update(format!("{}\n", areas.layer.sha256));
        hash.update(format!(
            "{}\n",
            areas.layer.converted_from.as_deref().unwrap_or("")
        ));
        for area in areas.iter() {
            hash.update(format!("{}\t{}\n", area.code, area.name));
        }
        let key: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Some(Entry {
            stem: dir.join(&key),
            key,
        })
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
        let bytes = std::fs::read(self.path(what)).ok()?;
        let kept: Kept<T> = serde_json::from_slice(&bytes).ok()?;
        (kept.key == self.key).then_some(kept.found)
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
        let _ = crate::export::write_atomically(path, |w| {
            serde_json::to_writer(w, &kept).map_err(std::io::Error::from)
        });
    }
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
        let entry = Entry::in_dir(dir.path(), &areas).unwrap();
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
        let entry = Entry::in_dir(dir.path(), &areas).unwrap();
        entry.keep_overlaps(&[]);
        entry.keep_gaps(&[], &[]);
        assert!(LayerTopology::checked(&areas, Some(&entry)).is_clean());
    }

    #[test]
    fn an_entry_that_cannot_be_read_is_checked_again() {
        let dir = tempfile::tempdir().unwrap();
        let areas = layer();
        let entry = Entry::in_dir(dir.path(), &areas).unwrap();
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

    #[test]
    fn anything_the_checks_read_names_another_entry() {
        let dir = Path::new("/cache");
        let areas = layer();
        let key = |areas: &Areas| Entry::in_dir(dir, areas).unwrap().key;
        let mut renamed = areas.clone();
        renamed.layer.sha256 = "0".repeat(64);
        assert_ne!(key(&areas), key(&renamed));
        let mut converted = areas.clone();
        converted.layer.converted_from = Some("EPSG:27700".into());
        assert_ne!(key(&areas), key(&converted));
        assert_eq!(key(&areas), key(&layer()));
        // the same file, its codes read from another property (`--area-id`)
        let text = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
            "properties": {"a": "A1", "b": "B1"}, "geometry": {"type": "Polygon",
            "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#;
        let by = |property: &str| {
            crate::LayerOptions::new()
                .code_property(property)
                .from_reader(text.as_bytes(), "l.geojson")
                .unwrap()
        };
        assert_eq!(by("a").layer.sha256, by("b").layer.sha256);
        assert_ne!(key(&by("a")), key(&by("b")));
        // a layer without a hash is never kept
        let mut unhashed = areas.clone();
        unhashed.layer.sha256.clear();
        assert!(Entry::in_dir(dir, &unhashed).is_none());
    }

    #[test]
    fn the_folder_follows_the_environment() {
        // read without changing the environment: whatever it is, the rule holds
        match std::env::var_os("SIGMAP_CACHE_DIR") {
            Some(d) if d.is_empty() => assert_eq!(default_dir(), None),
            Some(d) => assert_eq!(default_dir(), Some(PathBuf::from(d))),
            None => assert!(default_dir().is_none_or(|d| d.ends_with("sigmap"))),
        }
    }
}
