//! Small static maps for the pages of a site: a whole-layer choropleth thumbnail (one SVG
//! file per petition, for the index) and a seat with its neighbours (inline in the seat's
//! page, each neighbour a link to its own page).
//!
//! The geometry is projected and simplified once per layer ([`MiniMaps::new`]); each map
//! then only writes paths, so hundreds of petitions and 650 seat pages cost little.

use super::path_d;
use crate::export::svg::{Geometry, HATCH, SvgMap};
use crate::export::topology::Topology;
use crate::export::xml_text as text;
use crate::inputs::areas::Areas;
use crate::table::join::Table;
use std::fmt::Write as _;
use std::sync::Arc;

/// Simplification of the thumbnail, km: a 320 px map of the UK shows nothing finer.
const THUMB_KM: f64 = 2.0;
/// Simplification of the seat maps and of the interactive map, km (its default).
const LOCAL_KM: f64 = 0.1;
/// Size of the seat maps' viewBox: whole units of it are finer than the screen shows.
const LOCAL_SIZE: f64 = 400.0;

/// The projected, simplified geometry of one layer, for its small maps.
#[derive(Debug, Clone)]
pub(crate) struct MiniMaps {
    /// Thumbnail: each area's path in whole km, and the map's width and height.
    thumb: Vec<String>,
    thumb_size: (i64, i64),
    /// Seat maps: each area's rings in the display projection (km), and its extent.
    local: Vec<Vec<Vec<(f64, f64)>>>,
    extents: Vec<(f64, f64, f64, f64)>,
    /// The interactive map's shapes (the same 100 m simplification), for
    /// [`HtmlMap::display_shapes`](super::HtmlMap::display_shapes).
    pub(crate) display: Arc<Vec<geo::MultiPolygon<f64>>>,
}

impl MiniMaps {
    /// Projects and simplifies `areas` (each shared boundary once, so neighbours keep
    /// identical edges).
    pub(crate) fn new(areas: &Areas) -> MiniMaps {
        let topology = Topology::build(areas);
        let (coarse, fine) = rayon::join(
            || topology.simplified(THUMB_KM),
            || topology.simplified(LOCAL_KM),
        );
        let shapes = |t: &Topology| -> Vec<geo::MultiPolygon<f64>> {
            (0..areas.len()).map(|i| t.multipolygon(i)).collect()
        };
        let (coarse, fine) = (shapes(&coarse), shapes(&fine));
        let move_shetland = areas.vintage().is_some();
        let thumb = Geometry::of(
            coarse
                .iter()
                .zip(areas.iter())
                .map(|(g, a)| (g, a.centroid)),
            move_shetland,
        );
        let (x0, _, _, y1) = valid(thumb.extent);
        let (_, y0, x1, _) = valid(thumb.extent);
        let pad = 4.0;
        let to_svg =
            |(x, y): (f64, f64)| ((x - x0 + pad).round() as i64, (y1 - y + pad).round() as i64);
        let thumb_size = (
            (x1 - x0 + 2.0 * pad).round() as i64,
            (y1 - y0 + 2.0 * pad).round() as i64,
        );
        let thumb: Vec<String> = thumb.shapes.iter().map(|r| path_d(r, to_svg, 0)).collect();
        // the seat maps keep Shetland where it is: they show a place, not the country
        let local = Geometry::of(
            fine.iter().zip(areas.iter()).map(|(g, a)| (g, a.centroid)),
            false,
        )
        .shapes;
        let extents = local
            .iter()
            .map(|rings| {
                let mut e = (
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                );
                for &(x, y) in rings.iter().flatten() {
                    e = (e.0.min(x), e.1.min(y), e.2.max(x), e.3.max(y));
                }
                e
            })
            .collect();
        MiniMaps {
            thumb,
            thumb_size,
            local,
            extents,
            display: Arc::new(fine),
        }
    }

    /// A standalone SVG file of `table` (joined to this layer) coloured as the maps'
    /// default (signatures per 1,000 voters, the same classes and palette), titled
    /// `title`.
    pub(crate) fn thumbnail(&self, table: &Table, areas: &Areas, title: &str) -> String {
        self.thumbnail_filled(&SvgMap::new(table, areas).style().fills, title)
    }

    /// A standalone SVG file: every area filled with `fills[i]` (layer order; the
    /// LISA maps' hatch is drawn grey), titled `title`.
    fn thumbnail_filled(&self, fills: &[String], title: &str) -> String {
        let (w, h) = self.thumb_size;
        let mut s = String::with_capacity(64 * 1024);
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\">\n<title>{t}</title>\n<g stroke=\"#fff\" stroke-width=\"0.4\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">\n",
            t = text(title)
        );
        for (d, fill) in self.thumb.iter().zip(fills) {
            if d.is_empty() {
                continue;
            }
            let fill = if fill == HATCH { "#d0d0d0" } else { fill };
            let _ = writeln!(s, "<path fill=\"{}\" d=\"{d}\"/>", text(fill));
        }
        s.push_str("</g>\n</svg>\n");
        s
    }

    /// An inline SVG of area `i` and its `neighbours`, with the other areas in view as
    /// context. `link(j)` gives each neighbour's page and name (`(href, name)`); the seat
    /// itself is named `name`.
    pub(crate) fn locator(
        &self,
        i: usize,
        name: &str,
        neighbours: &[u32],
        link: impl Fn(usize) -> (String, String),
    ) -> String {
        let mut e = self.extents[i];
        for &j in neighbours {
            let f = self.extents[j as usize];
            e = (e.0.min(f.0), e.1.min(f.1), e.2.max(f.2), e.3.max(f.3));
        }
        let (x0, y0, x1, y1) = valid(e);
        let span = (x1 - x0).max(y1 - y0).max(1.0);
        let pad = span * 0.04;
        let scale = LOCAL_SIZE / (span + 2.0 * pad);
        let (vx0, vy1) = (x0 - pad, y1 + pad);
        let width = ((x1 - x0 + 2.0 * pad) * scale).round().max(1.0);
        let height = ((y1 - y0 + 2.0 * pad) * scale).round().max(1.0);
        let to_svg = |(x, y): (f64, f64)| {
            (
                ((x - vx0) * scale).round() as i64,
                ((vy1 - y) * scale).round() as i64,
            )
        };
        let view = (x0 - pad, y0 - pad, x1 + pad, y1 + pad);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg class=\"st-locator\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-label=\"Map of {} and its neighbouring constituencies\">",
            text(name)
        );
        // context: the other areas in view, not linked (they are not neighbours)
        s.push_str("<g class=\"st-context\">");
        for (j, ext) in self.extents.iter().enumerate() {
            let seen = ext.0 <= view.2 && ext.2 >= view.0 && ext.1 <= view.3 && ext.3 >= view.1;
            if j == i || !seen || neighbours.contains(&(j as u32)) {
                continue;
            }
            let d = path_d(&self.local[j], to_svg, 0);
            if !d.is_empty() {
                let _ = write!(s, "<path d=\"{d}\"/>");
            }
        }
        s.push_str("</g>\n<g class=\"st-neighbours\">");
        for &j in neighbours {
            let d = path_d(&self.local[j as usize], to_svg, 0);
            if d.is_empty() {
                continue;
            }
            let (href, label) = link(j as usize);
            let _ = writeln!(
                s,
                "<a href=\"{}\" aria-label=\"{}\"><path d=\"{d}\"><title>{}</title></path></a>",
                text(&href),
                text(&label),
                text(&label)
            );
        }
        let d = path_d(&self.local[i], to_svg, 0);
        let _ = writeln!(
            s,
            "</g>\n<path class=\"st-seat\" d=\"{d}\"><title>{}</title></path>\n</svg>",
            text(name)
        );
        s
    }
}

/// An extent, or the unit square if it holds no point.
fn valid(e: (f64, f64, f64, f64)) -> (f64, f64, f64, f64) {
    if e.2 >= e.0 && e.3 >= e.1 {
        e
    } else {
        (0.0, 0.0, 1.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::code::Vintage;

    #[test]
    fn thumbnails_are_small_and_locators_link_every_neighbour() {
        let areas = Areas::shipped(Vintage::Pcon2024).unwrap();
        let maps = MiniMaps::new(&areas);
        let fills = vec!["#123456".to_string(); areas.len()];
        let thumb = maps.thumbnail_filled(&fills, "A <test>");
        assert_eq!(thumb.matches("<path ").count(), areas.len());
        assert!(thumb.len() < 150_000, "{} bytes", thumb.len());
        assert!(thumb.contains("<title>A &lt;test&gt;</title>"));
        let i = areas.index_of("E14001149").unwrap();
        let neighbours = [0u32, 1];
        let svg = maps.locator(i, "Seat", &neighbours, |j| {
            (format!("{}.html", areas[j].code), areas[j].name.clone())
        });
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert!(svg.contains(&format!("href=\"{}.html\"", areas[0].code)));
        assert_eq!(svg.matches("class=\"st-seat\"").count(), 1);
    }
}
