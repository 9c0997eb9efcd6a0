//! A uniform grid of edges: the fast exact point-in-area test.
//!
//! Each cell lists the edges whose (slightly padded) bounding box touches it. A cell that no
//! edge touches lies wholly inside the same areas, which are computed once when the grid is
//! built; most points fall in such a cell and cost one lookup. For a point in a cell with
//! edges, a ray goes right along the row of cells to the first cell without edges (or off
//! the grid, where no area is): the point's areas are that cell's areas with the parity of
//! the edges crossed on the way toggled. Each crossing is counted in the one cell whose
//! x-range holds it, so no edge is counted twice, and every test is exact.

use super::edges::{Edge, Parity};
use geo::Coord;
use rayon::prelude::*;
use std::collections::HashMap;

/// One swept row: per cell `MIXED` or an index into the row's own sets of areas.
type RowStates = (Vec<u32>, Vec<Box<[u32]>>);

/// Marks a cell that edges touch: its areas are not known in advance.
const MIXED: u32 = u32::MAX;

/// Bands of rows [`EdgeGrid::new`] fills in parallel (a constant, so that nothing depends
/// on the number of threads; the lists are the same for any number).
const FILL_BANDS: usize = 16;

/// Points whose cell states [`EdgeGrid::locate_block`] loads before locating any of them.
const LOAD_AHEAD: usize = 16;

/// A point's cell (`row` is the row's first cell) and that cell's state; off the grid, the
/// empty set.
#[derive(Debug, Clone, Copy, Default)]
struct Start {
    row: usize,
    col: usize,
    known: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct EdgeGrid {
    x0: f64,
    y0: f64,
    cell_w: f64,
    cell_h: f64,
    nx: usize,
    ny: usize,
    /// CSR: edges of cell `r * nx + c` are `items[offsets[i]..offsets[i + 1]]`.
    offsets: Vec<u32>,
    items: Vec<u32>,
    /// Per cell: an index into `sets`, or `MIXED`.
    state: Vec<u32>,
    /// Distinct sets of areas (sorted ids) of edge-free cells; `sets[0]` is empty.
    sets: Vec<Box<[u32]>>,
}

impl EdgeGrid {
    /// Builds a grid of about `cells_per_edge` cells per edge over the edges' bounding box.
    pub(crate) fn new(edges: &[Edge], cells_per_edge: f64) -> EdgeGrid {
        let (mut min, mut max) = (
            Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        );
        for e in edges {
            min.x = min.x.min(e.lo.x).min(e.hi.x);
            max.x = max.x.max(e.lo.x).max(e.hi.x);
            min.y = min.y.min(e.lo.y);
            max.y = max.y.max(e.hi.y);
        }
        if edges.is_empty() {
            (min, max) = (Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 });
        }
        // a margin so that no edge touches the grid's outer border
        let (w, h) = ((max.x - min.x).max(1e-9), (max.y - min.y).max(1e-9));
        let (mx, my) = (w * 1e-6, h * 1e-6);
        let (x0, y0) = (min.x - mx, min.y - my);
        let (w, h) = (w + 2.0 * mx, h + 2.0 * my);
        let target = (edges.len() as f64 * cells_per_edge).clamp(16.0, 16_777_216.0);
        let nx = ((target * w / h).sqrt().ceil() as usize).max(1);
        let ny = ((target / nx as f64).ceil() as usize).max(1);
        let (cell_w, cell_h) = (w / nx as f64, h / ny as f64);
        let mut grid = EdgeGrid {
            x0,
            y0,
            cell_w,
            cell_h,
            nx,
            ny,
            offsets: Vec::new(),
            items: Vec::new(),
            state: Vec::new(),
            sets: vec![Box::from([])],
        };
        grid.fill(edges);
        grid.compute_states(edges);
        grid
    }

    /// The cells an edge's bounding box, padded by far more than any rounding in
    /// [`EdgeGrid::cell_of`], touches.
    fn cell_range(&self, e: &Edge) -> (usize, usize, usize, usize) {
        let (px, py) = (self.cell_w * 1e-6, self.cell_h * 1e-6);
        let clamp = |v: f64, n: usize| (v.floor().max(0.0) as usize).min(n - 1);
        let (lx, hx) = (e.lo.x.min(e.hi.x) - px, e.lo.x.max(e.hi.x) + px);
        (
            clamp((lx - self.x0) / self.cell_w, self.nx),
            clamp((hx - self.x0) / self.cell_w, self.nx),
            clamp((e.lo.y - py - self.y0) / self.cell_h, self.ny),
            clamp((e.hi.y + py - self.y0) / self.cell_h, self.ny),
        )
    }

    /// Lists each cell's edges (in edge order). Bands of rows are counted and then filled
    /// in parallel, each in its own part of the shared arrays, from the edges'
    /// precomputed cell ranges: the same lists as one pass over all rows.
    fn fill(&mut self, edges: &[Edge]) {
        let nx = self.nx;
        let ranges: Vec<[u32; 4]> = edges
            .par_iter()
            .map(|e| {
                let (c0, c1, r0, r1) = self.cell_range(e);
                [c0 as u32, c1 as u32, r0 as u32, r1 as u32]
            })
            .collect();
        let band_rows = self.ny.div_ceil(FILL_BANDS);
        let band_cells = band_rows * nx;
        // calls `visit(cell within the band, edge)` for the band's cells of each edge
        let each_in_band = |band: usize, visit: &mut dyn FnMut(usize, u32)| {
            let rows = band * band_rows..((band + 1) * band_rows).min(self.ny);
            for (id, &[c0, c1, r0, r1]) in ranges.iter().enumerate() {
                let (r0, r1) = (
                    (r0 as usize).max(rows.start),
                    (r1 as usize).min(rows.end - 1),
                );
                for r in r0..=r1 {
                    for c in c0 as usize..=c1 as usize {
                        visit((r - rows.start) * nx + c, id as u32);
                    }
                }
            }
        };
        let mut offsets = vec![0u32; nx * self.ny + 1];
        offsets[1..]
            .par_chunks_mut(band_cells)
            .enumerate()
            .for_each(|(band, counts)| each_in_band(band, &mut |cell, _| counts[cell] += 1));
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut items = vec![0u32; offsets[offsets.len() - 1] as usize];
        let mut parts = Vec::new();
        let mut rest = items.as_mut_slice();
        for band_start in (0..nx * self.ny).step_by(band_cells) {
            let band_end = (band_start + band_cells).min(nx * self.ny);
            let len = (offsets[band_end] - offsets[band_start]) as usize;
            let (part, tail) = rest.split_at_mut(len);
            parts.push((band_start, band_end, part));
            rest = tail;
        }
        parts
            .into_par_iter()
            .enumerate()
            .for_each(|(band, (start, end, part))| {
                let base = offsets[start];
                let mut next: Vec<u32> = offsets[start..end].iter().map(|&o| o - base).collect();
                each_in_band(band, &mut |cell, id| {
                    part[next[cell] as usize] = id;
                    next[cell] += 1;
                });
            });
        self.offsets = offsets;
        self.items = items;
    }

    /// Sweeps each row's centre line from the right (where no area is) and records the
    /// areas of every edge-free cell. Rows are independent: swept in parallel, then their
    /// sets of areas are numbered in row order.
    fn compute_states(&mut self, edges: &[Edge]) {
        let rows: Vec<RowStates> = (0..self.ny)
            .into_par_iter()
            .map(|r| self.sweep_row(r, edges))
            .collect();
        let mut interned: HashMap<Box<[u32]>, u32> = HashMap::new();
        interned.insert(Box::from([]), 0);
        let mut state = Vec::with_capacity(self.nx * self.ny);
        for (row, sets) in rows {
            let global: Vec<u32> = sets
                .into_iter()
                .map(|set| {
                    let next = self.sets.len() as u32;
                    *interned.entry(set).or_insert_with_key(|set| {
                        self.sets.push(set.clone());
                        next
                    })
                })
                .collect();
            state.extend(row.into_iter().map(|s| {
                if s == MIXED {
                    MIXED
                } else {
                    global[s as usize]
                }
            }));
        }
        self.state = state;
    }

    /// One row: per cell `MIXED` or an index into the row's own list of area sets.
    fn sweep_row(&self, r: usize, edges: &[Edge]) -> RowStates {
        let y = self.y0 + (r as f64 + 0.5) * self.cell_h;
        let mut states = vec![MIXED; self.nx];
        let mut sets: Vec<Box<[u32]>> = Vec::new();
        let mut inside = Parity::default();
        // the index of the current set, kept until a crossing changes it
        let mut current: Option<u32> = None;
        for c in (0..self.nx).rev() {
            let list = self.edges_of(r * self.nx + c);
            if list.is_empty() {
                states[c] = *current.get_or_insert_with(|| {
                    let set: Box<[u32]> = inside.apply_to(&[]).into();
                    match sets.iter().position(|s| *s == set) {
                        Some(i) => i as u32,
                        None => {
                            sets.push(set);
                            sets.len() as u32 - 1
                        }
                    }
                });
                continue;
            }
            let from = Coord {
                x: self.cell_x(c),
                y,
            };
            let to = self.cell_x(c + 1);
            for &i in list {
                let e = &edges[i as usize];
                if e.crosses_between(from, to) {
                    inside.toggle(e.area);
                    current = None;
                }
            }
        }
        (states, sets)
    }

    #[inline]
    fn edges_of(&self, cell: usize) -> &[u32] {
        &self.items[self.offsets[cell] as usize..self.offsets[cell + 1] as usize]
    }

    /// The x of the left side of column `c` (the one expression used everywhere, so that
    /// adjacent cells agree on their shared side to the bit).
    #[inline]
    fn cell_x(&self, c: usize) -> f64 {
        self.x0 + c as f64 * self.cell_w
    }

    #[inline]
    fn cell_of(&self, p: Coord<f64>) -> Option<(usize, usize)> {
        let fx = (p.x - self.x0) / self.cell_w;
        let fy = (p.y - self.y0) / self.cell_h;
        // also false for NaN
        if fx >= 0.0 && fy >= 0.0 && fx < self.nx as f64 && fy < self.ny as f64 {
            Some((
                (fx as usize).min(self.nx - 1),
                (fy as usize).min(self.ny - 1),
            ))
        } else {
            None
        }
    }

    /// Where locating `p` starts: its cell and that cell's state (the empty set off the
    /// grid). A separate step so that [`EdgeGrid::locate_block`] can load the states of
    /// many points before it needs any: on a large layer the state is a cache miss.
    #[inline]
    fn start(&self, p: Coord<f64>) -> Start {
        match self.cell_of(p) {
            Some((c, r)) => Start {
                row: r * self.nx,
                col: c,
                known: self.state[r * self.nx + c],
            },
            None => Start::default(),
        }
    }

    /// The areas holding `p`: the known areas of an edge-free cell, or of the first
    /// edge-free cell to the right with the crossings on the way toggled in `parity`.
    /// Returns the base set; the answer is `parity` applied to it.
    #[inline]
    pub(crate) fn locate<'a>(
        &'a self,
        edges: &[Edge],
        p: Coord<f64>,
        parity: &mut Parity,
    ) -> &'a [u32] {
        self.locate_from(edges, p, self.start(p), parity)
    }

    /// [`EdgeGrid::locate`] for each of `points` in turn, `found(i, base, parity)` called
    /// with each answer. The points' cell states are loaded a block at a time first, so
    /// that their cache misses overlap instead of following one another (on the
    /// full-resolution layer, the grid's states are megabytes and each random point
    /// missed the cache alone). The same answers as one point at a time.
    pub(crate) fn locate_block(
        &self,
        edges: &[Edge],
        points: &[(f64, f64)],
        parity: &mut Parity,
        mut found: impl FnMut(usize, &[u32], &Parity),
    ) {
        for (b, block) in points.chunks(LOAD_AHEAD).enumerate() {
            let mut starts = [Start::default(); LOAD_AHEAD];
            for (start, &(x, y)) in starts.iter_mut().zip(block) {
                *start = self.start(Coord { x, y });
            }
            for (k, (start, &(x, y))) in starts.iter().zip(block).enumerate() {
                let base = self.locate_from(edges, Coord { x, y }, *start, parity);
                found(b * LOAD_AHEAD + k, base, parity);
            }
        }
    }

    #[inline]
    fn locate_from<'a>(
        &'a self,
        edges: &[Edge],
        p: Coord<f64>,
        start: Start,
        parity: &mut Parity,
    ) -> &'a [u32] {
        parity.clear();
        if start.known != MIXED {
            return &self.sets[start.known as usize];
        }
        let Start { row, mut col, .. } = start;
        // p itself starts the first cell's span (even if rounding put p a hair outside the
        // cell, whose padded edge list covers that hair); later cells start at their side
        let mut from = p;
        loop {
            let to = self.cell_x(col + 1);
            for &i in self.edges_of(row + col) {
                let e = &edges[i as usize];
                if e.crosses_between(from, to) {
                    parity.toggle(e.area);
                }
            }
            col += 1;
            if col == self.nx {
                return &self.sets[0];
            }
            from.x = p.x.max(self.cell_x(col));
            let known = self.state[row + col];
            if known != MIXED {
                return &self.sets[known as usize];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Areas, Vintage};

    /// Each cell's edges as one serial pass over the edges lists them.
    fn serial_lists(grid: &EdgeGrid, edges: &[Edge]) -> Vec<Vec<u32>> {
        let mut lists = vec![Vec::new(); grid.nx * grid.ny];
        for (id, e) in edges.iter().enumerate() {
            let (c0, c1, r0, r1) = grid.cell_range(e);
            for r in r0..=r1 {
                for c in c0..=c1 {
                    lists[r * grid.nx + c].push(id as u32);
                }
            }
        }
        lists
    }

    fn assert_filled_as_serially(edges: &[Edge], cells_per_edge: f64) {
        let grid = EdgeGrid::new(edges, cells_per_edge);
        let lists = serial_lists(&grid, edges);
        assert_eq!(grid.offsets.len(), lists.len() + 1);
        for (cell, list) in lists.iter().enumerate() {
            assert_eq!(grid.edges_of(cell), list.as_slice(), "cell {cell}");
        }
    }

    #[test]
    fn bands_fill_the_cells_as_one_pass_does() {
        let areas = Areas::shipped(Vintage::Pcon2024).unwrap();
        let (edges, _) = super::super::edges::ring_edges(&areas);
        assert_filled_as_serially(&edges, 2.0);
        // fewer rows than bands, and a single edge
        assert_filled_as_serially(&edges[..40], 0.2);
        assert_filled_as_serially(&edges[..1], 1.0);
    }
}
