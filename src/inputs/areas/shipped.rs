//! The boundary layers that ship with sigmap, and their measures computed once: each area's
//! ellipsoidal area, centroid and validity, kept beside the layer
//! (`data/boundaries/*.measures.tsv`) so that loading a shipped layer costs its parse and
//! nothing more. The test `shipped_measures_are_current` recomputes them (and
//! `SIGMAP_BLESS=1 cargo test --lib shipped_measures` rewrites them).
//!
//! Numbers are written in Rust's shortest round-trip form and read with `str::parse`, which
//! rounds correctly: a cached area is the computed one to the last bit.

use crate::inputs::code::Vintage;
use geo::Point;
use std::sync::OnceLock;

/// A shipped layer: its file name, GeoJSON text and measures.
pub(super) struct ShippedLayer {
    /// Which of the two it is (the slot of its parsed measures).
    slot: usize,
    pub name: &'static str,
    pub text: &'static str,
    measures_text: &'static str,
}

/// A shipped layer from its file stem: `data/boundaries/<stem>.geojson` and its
/// `<stem>.measures.tsv`.
macro_rules! shipped_layer {
    ($slot:expr, $stem:literal) => {
        ShippedLayer {
            slot: $slot,
            name: concat!($stem, ".geojson"),
            text: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/boundaries/",
                $stem,
                ".geojson"
            )),
            measures_text: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/boundaries/",
                $stem,
                ".measures.tsv"
            )),
        }
    };
}

static PCON2010: ShippedLayer = shipped_layer!(0, "pcon2010_bgc_20pct");
static PCON2024: ShippedLayer = shipped_layer!(1, "pcon2024_bgc_20pct");

/// The shipped layer of a constituency set.
pub(super) fn layer(vintage: Vintage) -> &'static ShippedLayer {
    match vintage {
        Vintage::Pcon2010 => &PCON2010,
        Vintage::Pcon2024 => &PCON2024,
    }
}

/// One area's measures.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Measure {
    pub code: String,
    pub area_km2: f64,
    pub centroid: Point<f64>,
    /// What the validity check finds, if anything.
    pub invalid: Option<String>,
}

/// A layer's measures, in feature order, with the SHA-256 of the text they were made from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measures {
    pub sha256: String,
    pub areas: Vec<Measure>,
}

impl ShippedLayer {
    /// The measures kept beside the layer; `None` if the file cannot be read (the layer is
    /// then measured as any other: never wrong, only slower).
    pub(super) fn measures(&'static self) -> Option<&'static Measures> {
        static PARSED: [OnceLock<Option<Measures>>; 2] = [OnceLock::new(), OnceLock::new()];
        PARSED[self.slot]
            .get_or_init(|| Measures::parse(self.measures_text))
            .as_ref()
    }
}

const HEADER: &str = "code\tarea_km2\tcentroid_lon\tcentroid_lat\tinvalid";

impl Measures {
    /// Whether these are the measures of features with these codes, in this order.
    pub(super) fn fit_codes<'a>(&self, mut codes: impl ExactSizeIterator<Item = &'a str>) -> bool {
        codes.len() == self.areas.len() && self.areas.iter().all(|m| codes.next() == Some(&m.code))
    }

    /// Whether these are the measures of `areas`' features.
    pub(super) fn fit(&self, areas: &super::Areas) -> bool {
        self.fit_codes(areas.iter().map(|a| a.code.as_str()))
    }

    /// The measures of a layer read with the default options (measured and checked).
    #[cfg(test)]
    fn of(areas: &super::Areas) -> Measures {
        Measures {
            sha256: areas.layer.sha256.clone(),
            areas: areas
                .iter()
                .map(|a| Measure {
                    code: a.code.clone(),
                    area_km2: a.area_km2,
                    centroid: a.centroid,
                    invalid: crate::inputs::validity::check_multipolygon(&a.geometry)
                        .err()
                        .map(|e| e.to_string()),
                })
                .collect(),
        }
    }

    fn parse(text: &str) -> Option<Measures> {
        let mut lines = text.lines().filter(|l| !l.starts_with("# "));
        let sha256 = lines.next()?.strip_prefix("sha256\t")?.to_string();
        if lines.next()? != HEADER {
            return None;
        }
        let areas = lines
            .map(|line| {
                let mut f = line.split('\t');
                let mut next = || f.next();
                let code = next()?.to_string();
                let area_km2 = next()?.parse().ok()?;
                let (x, y) = (next()?.parse().ok()?, next()?.parse().ok()?);
                let invalid = Some(next()?).filter(|p| !p.is_empty()).map(str::to_string);
                Some(Measure {
                    code,
                    area_km2,
                    centroid: Point::new(x, y),
                    invalid,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Measures { sha256, areas })
    }

    /// The text of `data/boundaries/<layer>.measures.tsv`.
    #[cfg(test)]
    fn to_text(&self, layer: &str) -> String {
        let mut s = format!(
            "# Each area's ellipsoidal area (km²), centroid and validity, computed by sigmap from\n\
             # boundaries/{layer} (whose SHA-256 follows); same licence as that layer (OGL v3).\n\
             # Rewritten by SIGMAP_BLESS=1 cargo test --lib shipped_measures\n\
             sha256\t{}\n{HEADER}\n",
            self.sha256
        );
        for m in &self.areas {
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                m.code,
                m.area_km2,
                m.centroid.x(),
                m.centroid.y(),
                m.invalid.as_deref().unwrap_or("")
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Areas, LayerOptions};
    use super::*;

    /// The measures that ship beside the layers are the ones computed now, to the bit.
    #[test]
    fn shipped_measures_are_current() {
        for vintage in Vintage::ALL {
            let shipped = layer(vintage);
            // measured and checked from scratch, not from the cache
            let areas = LayerOptions::new()
                .without_cache()
                .from_reader(shipped.text.as_bytes(), shipped.name)
                .unwrap();
            let fresh = Measures::of(&areas);
            let file = format!("{}.measures.tsv", shipped.name.trim_end_matches(".geojson"));
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data/boundaries")
                .join(&file);
            let text = fresh.to_text(shipped.name);
            if std::env::var_os("SIGMAP_BLESS").is_some() {
                std::fs::write(&path, &text).unwrap();
                continue;
            }
            assert!(
                std::fs::read_to_string(&path).unwrap() == text,
                "{file} is stale: SIGMAP_BLESS=1 cargo test --lib shipped_measures"
            );
            assert_eq!(Measures::parse(&text).as_ref(), Some(&fresh));
            // and the layer read through the cache is the layer measured from scratch
            let cached: Areas = LayerOptions::new().shipped(vintage).unwrap();
            assert_eq!(cached.layer, areas.layer);
            assert_eq!(cached.issues, areas.issues);
            for (c, f) in cached.iter().zip(&areas) {
                assert_eq!(c, f);
                assert_eq!(c.area_km2.to_bits(), f.area_km2.to_bits());
            }
        }
    }
}
