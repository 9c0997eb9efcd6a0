//! [`WeightsKind`]: the weights a command line or a report asks for, parsed once.

use super::{Contiguity, Weights};
use crate::error::{Error, Location, Result};
use crate::inputs::areas::Areas;
use serde::Serialize;

/// Which weights to build: the choice a command line or a report makes.
///
/// Parsed from and displayed as `queen`, `rook`, `queen:snap=TOL`, `rook:snap=TOL`,
/// `knn:K`, `distance:KM` or `file`; the two round-trip.
///
/// # Examples
/// ```
/// use sigmap::WeightsKind;
/// let kind: WeightsKind = "distance:12.5".parse().unwrap();
/// assert_eq!(kind, WeightsKind::Distance(12.5));
/// assert_eq!(kind.to_string(), "distance:12.5");
/// assert!("distance:-3".parse::<WeightsKind>().is_err());
/// let snapped: WeightsKind = "queen:snap=1e-6".parse().unwrap();
/// assert_eq!(snapped.to_string(), "queen:snap=0.000001");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightsKind {
    /// Queen contiguity.
    Queen,
    /// Rook contiguity.
    Rook,
    /// The k nearest areas by centroid.
    Knn(usize),
    /// The areas whose centroids are within this many km, on the British National Grid
    /// (see [`Weights::distance_band`]).
    Distance(f64),
    /// Queen or rook contiguity with vertices closer than `tolerance` (in the layer's units)
    /// counted as shared (see [`Weights::contiguity_with_tolerance`]).
    Snapped {
        /// Queen or rook.
        rule: Contiguity,
        /// The snapping tolerance, in the layer's units (degrees for lon/lat layers).
        tolerance: f64,
    },
    /// Weights made elsewhere and read from a GAL or GWT file ([`Weights::from_path`]):
    /// recorded in summaries, never built.
    File,
}

impl WeightsKind {
    /// Builds these weights for a layer.
    ///
    /// # Errors
    /// As [`Weights::knn`], [`Weights::distance_band`] and
    /// [`Weights::contiguity_with_tolerance`]; [`Error::BadField`] for
    /// [`WeightsKind::File`], whose weights are read, not built.
    pub fn build(self, areas: &Areas) -> Result<Weights> {
        match self {
            WeightsKind::Queen => Ok(Weights::queen(areas)),
            WeightsKind::Rook => Ok(Weights::rook(areas)),
            WeightsKind::Knn(k) => Weights::knn(areas, k),
            WeightsKind::Distance(km) => Weights::distance_band(areas, km),
            WeightsKind::Snapped { rule, tolerance } => {
                Weights::contiguity_with_tolerance(areas, rule, tolerance)
            }
            WeightsKind::File => Err(Error::BadField {
                at: Location::file(&areas.layer.name).field("weights"),
                expected: "weights that can be built (weights files are read with Weights::from_path)",
                found: "file".to_string(),
            }),
        }
    }
}

impl std::fmt::Display for WeightsKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WeightsKind::Queen => f.write_str("queen"),
            WeightsKind::Rook => f.write_str("rook"),
            WeightsKind::Knn(k) => write!(f, "knn:{k}"),
            // `{}` on f64 is the shortest text that parses back to the same value
            WeightsKind::Distance(km) => write!(f, "distance:{km}"),
            WeightsKind::Snapped { rule, tolerance } => {
                let rule = match rule {
                    Contiguity::Queen => "queen",
                    Contiguity::Rook => "rook",
                };
                write!(f, "{rule}:snap={tolerance}")
            }
            WeightsKind::File => f.write_str("file"),
        }
    }
}

impl std::str::FromStr for WeightsKind {
    type Err = String;
    /// `queen`, `rook`, `queen:snap=TOL` or `rook:snap=TOL` (TOL ≥ 0, finite), `knn:K`
    /// (K ≥ 1), `distance:KM` (KM > 0, finite) or `file`.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        for (prefix, rule) in [
            ("queen:snap=", Contiguity::Queen),
            ("rook:snap=", Contiguity::Rook),
        ] {
            if let Some(tol) = s.strip_prefix(prefix) {
                return tol
                    .parse::<f64>()
                    .ok()
                    .filter(|t| t.is_finite() && *t >= 0.0)
                    .map(|tolerance| WeightsKind::Snapped { rule, tolerance })
                    .ok_or_else(|| {
                        format!(
                            "{prefix}TOL needs a snapping tolerance of 0 or more in the \
                             layer's units, found `{tol}`"
                        )
                    });
            }
        }
        if let Some(km) = s.strip_prefix("distance:") {
            return km
                .parse::<f64>()
                .ok()
                .filter(|km| km.is_finite() && *km > 0.0)
                .map(WeightsKind::Distance)
                .ok_or_else(|| {
                    format!("distance:KM needs a distance in km greater than 0, found `{km}`")
                });
        }
        match s {
            "queen" => Ok(WeightsKind::Queen),
            "rook" => Ok(WeightsKind::Rook),
            "file" => Ok(WeightsKind::File),
            _ => s
                .strip_prefix("knn:")
                .and_then(|k| k.parse().ok())
                .filter(|&k| k > 0)
                .map(WeightsKind::Knn)
                .ok_or_else(|| {
                    format!(
                        "unknown weights `{s}` (expected queen, rook, queen:snap=TOL, \
                         rook:snap=TOL, knn:K or distance:KM)"
                    )
                }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_from_str_round_trip() {
        for kind in [
            WeightsKind::Queen,
            WeightsKind::Rook,
            WeightsKind::Knn(5),
            WeightsKind::Distance(50.0),
            WeightsKind::Distance(0.1),
            WeightsKind::Distance(1e-7),
            WeightsKind::Distance(123_456.789),
            WeightsKind::Snapped {
                rule: Contiguity::Rook,
                tolerance: 2.5e-7,
            },
            WeightsKind::Snapped {
                rule: Contiguity::Queen,
                tolerance: 0.0,
            },
            WeightsKind::File,
        ] {
            assert_eq!(kind.to_string().parse::<WeightsKind>(), Ok(kind), "{kind}");
        }
        assert_eq!(WeightsKind::Distance(50.0).to_string(), "distance:50");
        assert_eq!("distance:1e2".parse(), Ok(WeightsKind::Distance(100.0)));
    }

    #[test]
    fn bad_kinds_are_refused() {
        for s in [
            "distance:0",
            "distance:-1",
            "distance:inf",
            "distance:NaN",
            "distance:",
            "distance:ten",
        ] {
            let e = s.parse::<WeightsKind>().unwrap_err();
            assert!(e.starts_with("distance:KM needs"), "{s}: {e}");
        }
        for s in ["knn:0", "knn:x", "king", "", "Queen"] {
            let e = s.parse::<WeightsKind>().unwrap_err();
            assert!(e.contains("distance:KM)"), "{s}: {e}");
        }
        for s in [
            "queen:snap=-1",
            "rook:snap=",
            "queen:snap=NaN",
            "rook:snap=inf",
        ] {
            let e = s.parse::<WeightsKind>().unwrap_err();
            assert!(e.contains("snapping tolerance of 0 or more"), "{s}: {e}");
        }
    }

    #[test]
    fn snapped_kind_builds_the_snapped_weights_and_file_is_never_built() {
        let layer = r#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Polygon",
           "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}},
          {"type": "Feature", "properties": {"id": "b"}, "geometry": {"type": "Polygon",
           "coordinates": [[[1.0000001, 0], [2, 0], [2, 1], [1.0000001, 1], [1.0000001, 0]]]}}]}"#;
        let areas = crate::LayerOptions::new()
            .code_property("id")
            .from_reader(layer.as_bytes(), "gap.geojson")
            .unwrap();
        assert_eq!(WeightsKind::Rook.build(&areas).unwrap().links(), 0);
        let snapped: WeightsKind = "rook:snap=1e-6".parse().unwrap();
        assert_eq!(snapped.build(&areas).unwrap().neighbours(0), &[1]);
        let e = WeightsKind::File.build(&areas).unwrap_err().to_string();
        assert!(e.contains("gap.geojson") && e.contains("read with"), "{e}");
    }
}
