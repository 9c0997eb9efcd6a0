use super::local_moran::ClusterLabel;
use crate::weights::Weights;

/// A connected group of areas with the same significant LISA label (High-High hot spots or
/// Low-Low cold spots).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// `HighHigh` or `LowLow`.
    pub label: ClusterLabel,
    /// Member areas, ascending.
    pub members: Vec<usize>,
}

/// Groups the areas labelled High-High, and those labelled Low-Low, into regions connected
/// through the weights' links (in either direction). Largest regions first; ties by their
/// first member.
///
/// # Examples
/// ```
/// use sigmap::stats::{ClusterLabel::*, cluster_regions};
/// use sigmap::{Contiguity, Weights};
/// let w = Weights::lattice(1, 5, Contiguity::Rook); // a row of five
/// let labels = [HighHigh, HighHigh, NotSignificant, HighHigh, LowLow];
/// let regions = cluster_regions(&labels, &w);
/// assert_eq!(regions.len(), 3);
/// assert_eq!(regions[0].members, vec![0, 1]);
/// ```
///
/// # Panics
/// If `labels.len()` is not the number of areas of `w`.
pub fn cluster_regions(labels: &[ClusterLabel], w: &Weights) -> Vec<Region> {
    assert_eq!(labels.len(), w.n(), "one label per area");
    let n = w.n();
    let clustered = |label| matches!(label, ClusterLabel::HighHigh | ClusterLabel::LowLow);
    // undirected adjacency restricted to same-label pairs of the labels that form regions
    let mut adjacent: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in (0..n).filter(|&i| clustered(labels[i])) {
        for &j in w.neighbours(i) {
            let j = j as usize;
            if labels[i] == labels[j] {
                adjacent[i].push(j);
                adjacent[j].push(i);
            }
        }
    }
    let mut seen = vec![false; n];
    let mut regions = Vec::new();
    for start in 0..n {
        let label = labels[start];
        if seen[start] || !clustered(label) {
            continue;
        }
        let mut members = vec![start];
        seen[start] = true;
        let mut next = 0;
        while next < members.len() {
            let i = members[next];
            next += 1;
            for &j in &adjacent[i] {
                if !seen[j] {
                    seen[j] = true;
                    members.push(j);
                }
            }
        }
        members.sort_unstable();
        regions.push(Region { label, members });
    }
    regions.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.members[0].cmp(&b.members[0]))
    });
    regions
}
