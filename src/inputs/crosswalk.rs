//! Old seats to new: re-expressing a petition counted on the 2010 constituencies on the 2024
//! ones.
//!
//! A [`Crosswalk`] gives every 2010 seat a set of 2024 seats with weights that sum to 1: the
//! share of the old seat's signatures each new seat is assumed to hold. The shipped one
//! ([`Crosswalk::shipped`]) weights by **population**: `overlap_pop / Σ overlap_pop` over the
//! old seat's overlaps in mySociety's overlap table (`data/crosswalk/pcon2010_pcon2024.csv`,
//! built by mySociety from ONS boundaries and population estimates). Signatures follow
//! people, not land, so population weights are the default; area weights from the same table
//! ([`CrosswalkWeighting::Area`]) are offered, and [`Crosswalk::from_overlaps`] computes area weights
//! from any two boundary layers with polygon intersections, as an independent check.
//!
//! [`Crosswalk::apply`] moves a petition's counts: each old seat's count is shared out by
//! the largest-remainder method, so every old seat's signatures land in whole numbers on
//! its new seats and the petition's totals are preserved exactly. The new counts are
//! estimates: a seat that took half an old seat's population is assumed to hold half its
//! signatures.

use crate::error::{Error, IoAction, Location, Result};
use crate::inputs::areas::Areas;
use crate::inputs::code::Vintage;
use crate::inputs::petition::{Petition, SignatureCount};
use geo::{Area, BooleanOps, BoundingRect, Centroid, MultiPolygon};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const SHIPPED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/crosswalk/pcon2010_pcon2024.csv"
));
const SHIPPED_NAME: &str = "crosswalk/pcon2010_pcon2024.csv";

/// What the weights of a crosswalk measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrosswalkWeighting {
    /// Share of the old seat's population in each new seat (the default).
    Population,
    /// Share of the old seat's land area in each new seat.
    Area,
    /// Weights read from a file as given (normalised per old seat).
    Given,
}

impl std::fmt::Display for CrosswalkWeighting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CrosswalkWeighting::Population => "population",
            CrosswalkWeighting::Area => "area",
            CrosswalkWeighting::Given => "given",
        })
    }
}

impl std::str::FromStr for CrosswalkWeighting {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "population" | "pop" => Ok(CrosswalkWeighting::Population),
            "area" => Ok(CrosswalkWeighting::Area),
            _ => Err(format!(
                "unknown crosswalk weighting `{s}` (expected population or area)"
            )),
        }
    }
}

/// One link of a crosswalk: the share of an old seat that goes to a new seat.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CrosswalkLink {
    /// The old seat's code.
    pub from: String,
    /// The new seat's code.
    pub to: String,
    /// The new seat's name, when the table gives it.
    pub to_name: Option<String>,
    /// Share of the old seat going to the new one; an old seat's weights sum to 1.
    pub weight: f64,
}

/// A weighted mapping from one constituency set to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Crosswalk {
    /// The constituency set of the old seats.
    pub from: Vintage,
    /// The constituency set of the new seats.
    pub to: Vintage,
    /// What the weights measure.
    pub weighting: CrosswalkWeighting,
    /// Where the weights come from, in words.
    pub source: String,
    /// Links sorted by old code, then new code.
    links: Vec<CrosswalkLink>,
    /// Range of `links` for each old code.
    by_from: HashMap<String, (usize, usize)>,
}

impl Crosswalk {
    /// The 2010 to 2024 crosswalk that ships with sigmap: mySociety's overlaps of the 2010
    /// and 2024 constituencies, weighted by population or by area.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Crosswalk, CrosswalkWeighting};
    /// let cw = Crosswalk::shipped(CrosswalkWeighting::Population)?;
    /// // Aldershot (2010) became Aldershot (2024) whole
    /// let links = cw.links_from("E14000530");
    /// assert_eq!(links.len(), 1);
    /// assert_eq!(links[0].to, "E14001063");
    /// assert_eq!(links[0].weight, 1.0);
    /// // every old seat's weights sum to 1
    /// let sum: f64 = cw.links_from("E14000639").iter().map(|l| l.weight).sum();
    /// assert!((sum - 1.0).abs() < 1e-12);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// None in practice: the shipped table is checked by the test suite.
    pub fn shipped(weighting: CrosswalkWeighting) -> Result<Crosswalk> {
        let source =
            format!("{SHIPPED_NAME} (mySociety geographic_overlaps v0.2.1, {weighting}-weighted)");
        Crosswalk::parse(SHIPPED, SHIPPED_NAME, weighting, source)
    }

    /// The crosswalk a user chooses by name: `population` or `area` (the shipped table,
    /// weighted so), or else the path of a CSV file read by [`Crosswalk::from_path`] with
    /// its weights as given. What the CLI's `--crosswalk` and Python's `crosswalk=` take.
    ///
    /// # Examples
    /// ```
    /// use sigmap::Crosswalk;
    /// let by_area = Crosswalk::from_choice("area")?;
    /// assert!(by_area.source.contains("area-weighted"));
    /// // a misspelt weighting is not taken for a file to look for
    /// let err = Crosswalk::from_choice("populaton").unwrap_err();
    /// assert!(err.to_string().starts_with("crosswalk: expected population, area"));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadOption`] (`crosswalk`) for a name that is neither a weighting nor an
    /// existing file; otherwise as [`Crosswalk::from_path`].
    pub fn from_choice(how: &str) -> Result<Crosswalk> {
        match how.parse::<CrosswalkWeighting>() {
            Ok(weighting) => Crosswalk::shipped(weighting),
            Err(_) if !Path::new(how).exists() => Err(Error::BadOption {
                option: "crosswalk",
                expected: "population, area, or the path of a CSV file of from,to,weight".into(),
                found: format!("`{}`, neither a weighting nor a file", crate::excerpt(how)),
            }),
            Err(_) => Crosswalk::from_path(how, CrosswalkWeighting::Given),
        }
    }

    /// The crosswalk that takes counts onto the constituency set `to`, as `how` chooses it
    /// ([`Crosswalk::from_choice`]): what a job over many petitions (`sigmap batch --to`,
    /// `site --to`, Python's `batch(to=...)`) applies to each one counted on other seats.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Crosswalk, Vintage};
    /// assert!(Crosswalk::onto(Vintage::Pcon2024, "population").is_ok());
    /// // 2024 counts cannot go back to the 2010 seats
    /// let err = Crosswalk::onto(Vintage::Pcon2010, "population").unwrap_err();
    /// assert!(err.to_string().starts_with("to: expected 2024"));
    /// ```
    ///
    /// # Errors
    /// [`Error::BadOption`] (`to`) for another set than 2024; otherwise as
    /// [`Crosswalk::from_choice`].
    pub fn onto(to: Vintage, how: &str) -> Result<Crosswalk> {
        if to != Vintage::Pcon2024 {
            return Err(Error::BadOption {
                option: "to",
                expected: "2024 (2010 counts can be re-expressed on the 2024 seats)".into(),
                found: to.label().to_string(),
            });
        }
        Crosswalk::from_choice(how)
    }

    /// The petition counted on the constituency set `to`: as it is if it already is, else
    /// re-expressed ([`Crosswalk::apply`]) through the crosswalk `how` chooses
    /// ([`Crosswalk::from_choice`]). What `sigmap report --to` and Python's `to=` do.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Crosswalk, Petition, Vintage};
    /// let old = Petition::from_reader("code,count\nE14000639,1000\nE14000530,7\n".as_bytes(), "p.csv")?;
    /// let new = Crosswalk::petition_on(old, Vintage::Pcon2024, "population")?;
    /// assert_eq!(new.vintage()?, Vintage::Pcon2024);
    /// assert_eq!(new.constituency_sum(), 1007);
    /// // 2024 counts cannot go back to the 2010 seats
    /// assert!(Crosswalk::petition_on(new, Vintage::Pcon2010, "population").is_err());
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadOption`] (`to`) for another set than 2024 or the petition's own;
    /// otherwise as [`Petition::vintage`] and [`Crosswalk::from_choice`].
    pub fn petition_on(petition: Petition, to: Vintage, how: &str) -> Result<Petition> {
        let from = petition.vintage()?;
        if from == to {
            return Ok(petition);
        }
        if to != Vintage::Pcon2024 {
            return Err(Error::BadOption {
                option: "to",
                expected: format!(
                    "2024 or the petition's own vintage ({}: counted on the {from} constituencies; \
                     2010 counts can be re-expressed on the 2024 seats, not the other way)",
                    crate::printable(&petition.source, false)
                ),
                found: to.label().to_string(),
            });
        }
        Crosswalk::from_choice(how)?.apply(&petition)
    }

    /// Reads a crosswalk from a CSV file: either the shipped layout
    /// (`pcon10cd,pcon24cd,pcon24nm,overlap_pop,overlap_area_m2`, weighted as `weighting`
    /// says) or three columns `from,to,weight` (weights as given, normalised per old seat).
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::Csv`]; [`Error::MissingField`] for a missing column;
    /// [`Error::BadField`] for a negative or non-numeric weight, an old seat whose weights
    /// are all zero, or codes that are not 2010 (old) and 2024 (new) constituencies.
    pub fn from_path(path: impl AsRef<Path>, weighting: CrosswalkWeighting) -> Result<Crosswalk> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
        let name = path.display().to_string();
        Crosswalk::parse(&text, &name, weighting, name.clone())
    }

    fn parse(
        text: &str,
        name: &str,
        weighting: CrosswalkWeighting,
        source: String,
    ) -> Result<Crosswalk> {
        let at = Location::file(name);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| Error::csv(&at, e))?.clone();
        let column = |name: &str| headers.iter().position(|h| h.trim() == name);
        let need = |name: &str| {
            column(name).ok_or_else(|| Error::MissingField {
                at: at.clone(),
                field: name.to_string(),
            })
        };
        let (from, to, to_name, weight, weighting) = if column("from").is_some() {
            (
                need("from")?,
                need("to")?,
                None,
                need("weight")?,
                CrosswalkWeighting::Given,
            )
        } else {
            let weight = match weighting {
                CrosswalkWeighting::Area => need("overlap_area_m2")?,
                _ => need("overlap_pop")?,
            };
            (
                need("pcon10cd")?,
                need("pcon24cd")?,
                column("pcon24nm"),
                weight,
                weighting,
            )
        };
        let mut links = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| Error::csv(&at, e))?;
            let at = at.record(i as u64 + 1);
            let field = |c: usize| record.get(c).unwrap_or("").trim();
            let raw = field(weight);
            let w: f64 = raw
                .parse()
                .ok()
                .filter(|w: &f64| w.is_finite() && *w >= 0.0)
                .ok_or_else(|| Error::BadField {
                    at: at.field(headers.get(weight).unwrap_or("weight")),
                    expected: "a non-negative number",
                    found: crate::text::excerpt(raw),
                })?;
            let (old, new) = (field(from), field(to));
            for (code, vintage, column) in
                [(old, Vintage::Pcon2010, from), (new, Vintage::Pcon2024, to)]
            {
                if !vintage.contains(code) {
                    return Err(Error::BadField {
                        at: at.field(headers.get(column).unwrap_or("code")),
                        expected: if vintage == Vintage::Pcon2010 {
                            "a 2010 constituency code"
                        } else {
                            "a 2024 constituency code"
                        },
                        found: crate::text::excerpt(code),
                    });
                }
            }
            links.push(CrosswalkLink {
                from: old.to_string(),
                to: new.to_string(),
                to_name: to_name.map(|c| field(c).to_string()),
                weight: w,
            });
        }
        Crosswalk::from_links(links, weighting, source, &at)
    }

    /// Builds a crosswalk from links with raw (unnormalised) weights: links of the same
    /// (old, new) pair are added, and each old seat's weights are divided by their sum.
    fn from_links(
        mut links: Vec<CrosswalkLink>,
        weighting: CrosswalkWeighting,
        source: String,
        at: &Location,
    ) -> Result<Crosswalk> {
        links.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        links.dedup_by(|later, first| {
            let same = later.from == first.from && later.to == first.to;
            if same {
                first.weight += later.weight;
            }
            same
        });
        let mut by_from = HashMap::new();
        let mut start = 0;
        while start < links.len() {
            let end = start
                + links[start..]
                    .iter()
                    .take_while(|l| l.from == links[start].from)
                    .count();
            let sum: f64 = links[start..end].iter().map(|l| l.weight).sum();
            if sum <= 0.0 {
                return Err(Error::BadField {
                    at: at.field(links[start].from.clone()),
                    expected: "at least one positive weight for each old seat",
                    found: "only zeros".into(),
                });
            }
            for link in &mut links[start..end] {
                link.weight /= sum;
            }
            by_from.insert(links[start].from.clone(), (start, end));
            start = end;
        }
        Ok(Crosswalk {
            from: Vintage::Pcon2010,
            to: Vintage::Pcon2024,
            weighting,
            source,
            links,
            by_from,
        })
    }

    /// Area weights computed from two boundary layers: each old area's share of land in
    /// each new area, from the polygon intersections (areas of the overlaps; the
    /// candidates come from an R-tree of the new areas' bounding boxes). Overlaps smaller
    /// than `min_share` of the old area (slivers where two generalised layers disagree
    /// about a shared boundary) are dropped before the weights are normalised.
    ///
    /// # Examples
    /// ```no_run
    /// use sigmap::Crosswalk;
    /// use sigmap::{Areas, Vintage};
    /// let old = Areas::shipped(Vintage::Pcon2010)?;
    /// let new = Areas::shipped(Vintage::Pcon2024)?;
    /// let cw = Crosswalk::from_overlaps(&old, &new, 0.001)?;
    /// assert_eq!(cw.links_from("E14000530")[0].to, "E14001063");
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadField`] if the layers are not a 2010 and a 2024 constituency layer, or an
    /// old area overlaps no new one.
    ///
    /// # Complexity
    /// One intersection per pair of areas whose bounding boxes overlap (about 15 per old
    /// seat for the constituencies), in parallel.
    pub fn from_overlaps(old: &Areas, new: &Areas, min_share: f64) -> Result<Crosswalk> {
        let at = Location::file(&old.layer.name);
        for (layer, vintage) in [(old, Vintage::Pcon2010), (new, Vintage::Pcon2024)] {
            if layer.vintage() != Some(vintage) {
                return Err(Error::BadField {
                    at: Location::file(&layer.layer.name),
                    expected: if vintage == Vintage::Pcon2010 {
                        "a layer of the 2010 constituencies"
                    } else {
                        "a layer of the 2024 constituencies"
                    },
                    found: "other areas".into(),
                });
            }
        }
        let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = new
            .iter()
            .enumerate()
            .filter_map(|(j, a)| {
                a.geometry.bounding_rect().map(|r| {
                    let rect =
                        Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                    GeomWithData::new(rect, j)
                })
            })
            .collect();
        let tree = rstar::RTree::bulk_load(boxes);
        let new_areas = new.iter().as_slice();
        let per_old: Vec<Vec<CrosswalkLink>> = old
            .iter()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|a| {
                let Some(r) = a.geometry.bounding_rect() else {
                    return Vec::new();
                };
                let query =
                    rstar::AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                let mut candidates: Vec<usize> = tree
                    .locate_in_envelope_intersecting(&query)
                    .map(|g| g.data)
                    .collect();
                candidates.sort_unstable();
                let overlaps: Vec<(usize, f64)> = candidates
                    .into_iter()
                    .map(|j| {
                        (
                            j,
                            land_area(&a.geometry.intersection(&new_areas[j].geometry)),
                        )
                    })
                    .filter(|&(_, area)| area > 0.0)
                    .collect();
                let total: f64 = overlaps.iter().map(|o| o.1).sum();
                overlaps
                    .into_iter()
                    .filter(|&(_, area)| area >= min_share * total)
                    .map(|(j, area)| {
                        let to = &new_areas[j];
                        CrosswalkLink {
                            from: a.code.clone(),
                            to: to.code.clone(),
                            to_name: Some(to.name.clone()),
                            weight: area,
                        }
                    })
                    .collect()
            })
            .collect();
        if let Some(i) = per_old.iter().position(Vec::is_empty) {
            let code = old.iter().as_slice()[i].code.clone();
            return Err(Error::BadField {
                at: at.field(code),
                expected: "an area that overlaps a 2024 constituency",
                found: "no overlap".into(),
            });
        }
        let source = format!(
            "area overlaps of {} and {} (computed by sigmap)",
            old.layer.name, new.layer.name
        );
        Crosswalk::from_links(
            per_old.into_iter().flatten().collect(),
            CrosswalkWeighting::Area,
            source,
            &at,
        )
    }

    /// Every link, sorted by old code then new code.
    pub fn links(&self) -> &[CrosswalkLink] {
        &self.links
    }

    /// The links of one old seat (empty if the code is not in the crosswalk).
    pub fn links_from(&self, code: &str) -> &[CrosswalkLink] {
        match self.by_from.get(code) {
            Some(&(start, end)) => &self.links[start..end],
            None => &[],
        }
    }

    /// Number of old seats.
    pub fn len(&self) -> usize {
        self.by_from.len()
    }

    /// True if the crosswalk has no seat.
    pub fn is_empty(&self) -> bool {
        self.by_from.is_empty()
    }

    /// Re-expresses a petition counted on the old seats on the new ones. Each old seat's
    /// count is shared out by the largest-remainder method (ties to the larger weight, then
    /// the lower code), so the new counts are whole numbers and every old seat's signatures,
    /// and so the petition's totals, are preserved exactly. Codes the crosswalk does not
    /// know are passed through unchanged, so that the join reports them. The petition's
    /// [`Petition::crosswalk`] records how its counts were made.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Crosswalk, CrosswalkWeighting};
    /// use sigmap::{Petition, Vintage};
    /// let old = Petition::from_reader("code,count\nE14000639,1000\nE14000530,7\n".as_bytes(), "p.csv")?;
    /// let new = Crosswalk::shipped(CrosswalkWeighting::Population)?.apply(&old)?;
    /// assert_eq!(new.vintage()?, Vintage::Pcon2024);
    /// assert_eq!(new.constituency_sum(), 1007);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::VintageMismatch`] if the petition is not on the crosswalk's old seats.
    pub fn apply(&self, petition: &Petition) -> Result<Petition> {
        let vintage = petition.vintage()?;
        if vintage != self.from {
            return Err(Error::VintageMismatch {
                at: Location::file(&petition.source),
                found: vintage.label(),
                expected: self.from.label(),
                other: format!("the crosswalk {}", self.source).into(),
            });
        }
        let mut counts: BTreeMap<String, SignatureCount> = BTreeMap::new();
        let mut passed = Vec::new();
        for count in &petition.counts {
            let links = self.links_from(&count.code);
            if links.is_empty() {
                passed.push(count.clone());
                continue;
            }
            for (link, share) in links.iter().zip(apportion(count.count, links)) {
                let entry = counts
                    .entry(link.to.clone())
                    .or_insert_with(|| SignatureCount {
                        code: link.to.clone(),
                        name: link.to_name.clone(),
                        mp: None,
                        count: 0,
                    });
                entry.count += share;
            }
        }
        let mut moved = petition.clone();
        moved.counts = counts.into_values().filter(|c| c.count > 0).collect();
        moved.counts.extend(passed);
        moved.crosswalk = Some(format!(
            "re-expressed from the {} constituencies on the {} ones: {}",
            self.from.label(),
            self.to.label(),
            self.source
        ));
        Ok(moved)
    }
}

/// Area of a multipolygon in lon/lat, up to a constant factor: each part's planar area in
/// degrees² scaled by the cosine of its latitude. Planar areas do not depend on the
/// orientation of the rings, which the results of polygon intersections do not guarantee (the
/// geodesic area of a clockwise ring is the rest of the globe). Within one old seat the
/// error against the geodesic area is far below the differences between boundary layers.
fn land_area(shape: &MultiPolygon<f64>) -> f64 {
    shape
        .iter()
        .map(|part| {
            let lat = part.centroid().map_or(0.0, |c| c.y());
            part.unsigned_area() * lat.to_radians().cos()
        })
        .sum()
}

/// Shares `count` out over links in proportion to their weights, in whole numbers that sum
/// to `count` (largest remainder; ties to the larger weight, then link order).
fn apportion(count: u64, links: &[CrosswalkLink]) -> Vec<u64> {
    let quotas: Vec<f64> = links.iter().map(|l| count as f64 * l.weight).collect();
    let mut shares: Vec<u64> = quotas.iter().map(|q| q.floor() as u64).collect();
    let given: u64 = shares.iter().sum();
    // floating-point quotas can floor to one more or fewer than the exact ones in total
    let mut order: Vec<usize> = (0..links.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (quotas[a] - quotas[a].floor(), quotas[b] - quotas[b].floor());
        rb.total_cmp(&ra)
            .then(links[b].weight.total_cmp(&links[a].weight))
            .then(a.cmp(&b))
    });
    if given <= count {
        for &i in order.iter().cycle().take((count - given) as usize) {
            shares[i] += 1;
        }
    } else {
        let mut excess = given - count;
        for &i in order.iter().rev() {
            if excess == 0 {
                break;
            }
            let take = excess.min(shares[i]);
            shares[i] -= take;
            excess -= take;
        }
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(to: &str, weight: f64) -> CrosswalkLink {
        CrosswalkLink {
            from: "X".into(),
            to: to.into(),
            to_name: None,
            weight,
        }
    }

    #[test]
    fn apportion_preserves_counts() {
        let links = [link("a", 0.5), link("b", 0.3), link("c", 0.2)];
        assert_eq!(apportion(10, &links), vec![5, 3, 2]);
        assert_eq!(apportion(1, &links), vec![1, 0, 0]);
        assert_eq!(apportion(0, &links), vec![0, 0, 0]);
        // 7 * (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4: remainders .5 and .4 win
        assert_eq!(apportion(7, &links), vec![4, 2, 1]);
        let thirds = [
            link("a", 1.0 / 3.0),
            link("b", 1.0 / 3.0),
            link("c", 1.0 / 3.0),
        ];
        assert_eq!(apportion(2, &thirds), vec![1, 1, 0]);
        for n in [0, 1, 2, 99, 1_000_003, u32::MAX as u64] {
            assert_eq!(apportion(n, &thirds).iter().sum::<u64>(), n);
        }
    }

    #[test]
    fn shipped_weights_sum_to_one() {
        for weighting in [CrosswalkWeighting::Population, CrosswalkWeighting::Area] {
            let cw = Crosswalk::shipped(weighting).unwrap();
            assert_eq!(cw.len(), 650);
            let targets: std::collections::HashSet<&str> =
                cw.links().iter().map(|l| l.to.as_str()).collect();
            assert_eq!(targets.len(), 650);
            for code in Vintage::Pcon2010.codes() {
                let sum: f64 = cw.links_from(&code).iter().map(|l| l.weight).sum();
                assert!((sum - 1.0).abs() < 1e-12, "{code}: {sum}");
            }
        }
    }

    #[test]
    fn bad_tables_are_refused() {
        let e = Crosswalk::parse(
            "from,to,weight\nE14000530,E14001063,-1\n",
            "c.csv",
            CrosswalkWeighting::Given,
            String::new(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.csv: record 1, field weight: expected a non-negative number, found -1"
        );
        let e = Crosswalk::parse(
            "from,to,weight\nE14001063,E14001063,1\n",
            "c.csv",
            CrosswalkWeighting::Given,
            String::new(),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("expected a 2010 constituency code"),
            "{e}"
        );
        let e = Crosswalk::parse(
            "from,to,weight\nE14000530,E14001063,0\n",
            "c.csv",
            CrosswalkWeighting::Given,
            String::new(),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("at least one positive weight"),
            "{e}"
        );
        let e = Crosswalk::parse(
            "a,b\n",
            "c.csv",
            CrosswalkWeighting::Population,
            String::new(),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "c.csv: missing field `overlap_pop`");
    }
}
