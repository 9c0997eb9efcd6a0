//! [`WeightsKind`]: the weights a command line or a report asks for, parsed once.

use super::Weights;
use crate::areas::Areas;
use crate::error::Result;
use serde::Serialize;

/// Which weights to build: the choice a command line or a report makes.
///
/// Parsed from and displayed as `queen`, `rook`, `knn:K` or `distance:KM`; the two
/// round-trip.
///
/// # Examples
/// ```
/// use sigmap::WeightsKind;
/// let kind: WeightsKind = "distance:12.5".parse().unwrap();
/// assert_eq!(kind, WeightsKind::Distance(12.5));
/// assert_eq!(kind.to_string(), "distance:12.5");
/// assert!("distance:-3".parse::<WeightsKind>().is_err());
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
}

impl WeightsKind {
    /// Builds these weights for a layer.
    ///
    /// # Errors
    /// As [`Weights::knn`] and [`Weights::distance_band`].
    pub fn build(self, areas: &Areas) -> Result<Weights> {
        match self {
            WeightsKind::Queen => Ok(Weights::queen(areas)),
            WeightsKind::Rook => Ok(Weights::rook(areas)),
            WeightsKind::Knn(k) => Weights::knn(areas, k),
            WeightsKind::Distance(km) => Weights::distance_band(areas, km),
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
        }
    }
}

impl std::str::FromStr for WeightsKind {
    type Err = String;
    /// `queen`, `rook`, `knn:K` (K ≥ 1) or `distance:KM` (KM > 0, finite).
    fn from_str(s: &str) -> std::result::Result<Self, String> {
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
            _ => s
                .strip_prefix("knn:")
                .and_then(|k| k.parse().ok())
                .filter(|&k| k > 0)
                .map(WeightsKind::Knn)
                .ok_or_else(|| {
                    format!("unknown weights `{s}` (expected queen, rook, knn:K or distance:KM)")
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
    }
}
