//! The interactive map: one self-contained HTML page (or a fragment to embed in one) with
//! the seats as inline SVG, their numbers as a JSON blob, and a small script for the
//! tooltip, search, zoom and pan, the metric switch and the hex cartogram view.
//!
//! The colours of every metric are computed here, by the classification of [`SvgMap`]
//! (the same classes, palette and legend as the SVG and PNG maps), and shipped in the
//! JSON: the script only looks them up, it never classifies.
//!
//! The script and the style sheet (`map.js`, `map.css` beside this file) are hand-written,
//! not a vendored library (Leaflet, D3): the page must work offline from `file://` with no
//! request of any kind, a library would add 40-250 kB and a licence to carry for features
//! the page does not use (tiles, projections), and the ~20 kB here do only what the page
//! needs, with plain DOM calls a reviewer can read in one sitting.

use super::classes::Classes;
use super::hexjson::HexJson;
use super::palette::Palette;
use super::svg::{
    Geometry, HATCH, HEX_ATTRIBUTION, OGL_ATTRIBUTION, Style, SvgMap, format_value, os_attribution,
};
use super::topology::Topology;
use super::xml_text;
use crate::inputs::areas::Areas;
use crate::table::analysis::{Analysed, Rows, SeatAnalysis};
use crate::table::columns::{COLUMNS, Value};
use crate::table::metrics::Metric;
use crate::text::thousands;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

mod minimap;
pub(crate) use minimap::MiniMaps;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The style sheet of the map fragment: a page that embeds
/// [`HtmlMap::write_fragment`] puts it in its `<head>` (inside `<style>`); every selector
/// starts with `.sigmap-map` or `.sm-`, so it leaves the rest of the page alone.
pub const MAP_CSS: &str = include_str!("map.css");

/// The script of the map fragment (written by [`HtmlMap::write_fragment`] after the map).
const MAP_JS: &str = include_str!("map.js");

/// The columns of `areas.csv` the page carries for every seat (same names, same values).
const SEAT_COLUMNS: &[&str] = &[
    "code",
    "name",
    "mp",
    "signatures",
    "zero_filled",
    "electorate",
    "valid_votes",
    "per_1k_electors",
    "per_1k_voters",
    "ci95_low_per_1k_electors",
    "ci95_high_per_1k_electors",
    "ci95_low_per_1k_voters",
    "ci95_high_per_1k_voters",
    "rank_signatures",
    "rank_per_1k_electors",
    "rank_per_1k_voters",
    "rank_best_per_1k_voters",
    "rank_worst_per_1k_voters",
    "obs_exp",
    "unusual",
    "lisa_label",
    "lisa_p_sim",
    "gi_star_z",
];

/// World units (km of the display projection) to SVG units: 10 per km, so coordinates are
/// written as whole numbers at 100 m.
const GEO_SCALE: f64 = 10.0;
/// Margin around the geographic map, km.
const GEO_PAD_KM: f64 = 8.0;
/// Hexagon radii to SVG units (hex coordinates are written with one decimal).
const HEX_SCALE: f64 = 10.0;

/// What a map layer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Metric(Metric),
    Lisa,
    GiStar,
}

impl Layer {
    /// The key in the page's data and the value of the metric switch.
    fn key(self) -> &'static str {
        match self {
            Layer::Metric(m) => m.name(),
            Layer::Lisa => "lisa",
            Layer::GiStar => "gi_star",
        }
    }

    /// The switch's label.
    fn label(self) -> &'static str {
        match self {
            Layer::Metric(m) => m.label(),
            Layer::Lisa => "Hot and cold spots (local Moran)",
            Layer::GiStar => "Hot and cold spots (Getis-Ord Gi*)",
        }
    }
}

/// An interactive choropleth in one self-contained HTML file: the seats as inline SVG
/// (each `<path>` carries its GSS code in `data-code` and can take the keyboard focus),
/// a tooltip on hover and focus (name, the winning party at the election of the
/// denominators, signatures, rates with their 95% intervals, rank with its plausible
/// range, local Moran class, unusual support), a search box forgiving accents and case,
/// zoom and pan (buttons, wheel, drag, `+`/`-` keys), a switch between signatures per
/// 1,000 voters, per 1,000 electors, signatures and the cluster maps, a hex cartogram
/// view, the legend, the caveats, the top seats as a table and every seat in a second one.
///
/// No request of any kind: no CDN, no web font, no image; the page works from `file://`.
/// The output is deterministic (no timestamp, rows in layer order).
///
/// Geometry is simplified for display (each shared boundary once, so neighbours keep
/// identical edges; 100 m by default, see [`HtmlMap::simplify`]) and written in whole
/// units of 100 m, which keeps 650 seats under 1.5 MB.
///
/// # Examples
/// ```
/// use sigmap::export::HtmlMap;
/// use sigmap::{Petition, Report};
/// let report = Report::with_shipped_data(Petition::from_path("data/petitions/petition_241584.json")?)?;
/// let html = report.html_map().render();
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert_eq!(html.matches("<path data-code=\"E14").count(), 2 * 533); // map and hex view
/// assert!(html.len() < 1_500_000);
/// # Ok::<(), sigmap::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct HtmlMap<'a> {
    rows: Rows<'a>,
    areas: &'a Areas,
    layer: Layer,
    classes: Classes,
    palette: Option<Palette>,
    hex: Option<HexJson>,
    title: String,
    subtitle: Option<String>,
    source: Option<String>,
    caveats: Vec<String>,
    simplify_km: f64,
    /// The layer's display shapes, simplified once for many maps of it (see
    /// [`HtmlMap::display_shapes`]).
    shapes: Option<Arc<Vec<geo::MultiPolygon<f64>>>>,
    top: usize,
    id: String,
}

impl<'a> HtmlMap<'a> {
    /// A map of `rows` (a report's [`Analysed`] table, or [`Rows::joined`] for a bare
    /// table: then no cluster layer and no plausible ranks) drawn with the geometry of
    /// `areas` (the layer the table was joined to), opening on signatures per 1,000 voters
    /// in 5 quantile classes.
    pub fn new(rows: impl Into<Rows<'a>>, areas: &'a Areas) -> Self {
        HtmlMap {
            rows: rows.into(),
            areas,
            layer: Layer::Metric(Metric::Per1kVoters),
            classes: Classes::Quantile(5),
            palette: None,
            hex: None,
            title: String::new(),
            subtitle: None,
            source: None,
            caveats: Vec::new(),
            simplify_km: 0.1,
            shapes: None,
            top: 20,
            id: "sigmap".to_string(),
        }
    }

    /// The metric the map opens on (it joins the switch if it is not one of its usual
    /// four).
    pub fn metric(mut self, metric: Metric) -> Self {
        self.layer = Layer::Metric(metric);
        self
    }

    /// Opens on the local Moran cluster map (if the rows carry a report's analysis).
    pub fn lisa(mut self) -> Self {
        self.layer = Layer::Lisa;
        self
    }

    /// Opens on the Getis-Ord Gi* hot-spot map (if the rows carry a report's analysis).
    pub fn gi_star(mut self) -> Self {
        self.layer = Layer::GiStar;
        self
    }

    /// The classification of the metrics (as [`SvgMap::classes`]).
    pub fn classes(mut self, classes: Classes) -> Self {
        self.classes = classes;
        self
    }

    /// The colour scheme of the metrics (as [`SvgMap::palette`]).
    pub fn palette(mut self, palette: Palette) -> Self {
        self.palette = Some(palette);
        self
    }

    /// Adds the hex cartogram view on this layout (one hexagon per seat), beside the
    /// geographic one.
    pub fn hex(mut self, layout: HexJson) -> Self {
        self.hex = Some(layout);
        self
    }

    /// The title (the petition's, usually).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The line under the title (defaults to the totals).
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = Some(subtitle.into());
        self
    }

    /// The source line above the attributions (defaults to the denominators).
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Adds a caveat to the page's "About these numbers" list (the table's own notes and
    /// its unassigned signatures are always there).
    pub fn caveat(mut self, caveat: impl Into<String>) -> Self {
        self.caveats.push(caveat.into());
        self
    }

    /// Adds caveats (see [`HtmlMap::caveat`]), e.g. a report's
    /// [`Summary::caveats`](crate::Summary::caveats).
    pub fn caveats(mut self, caveats: impl IntoIterator<Item = String>) -> Self {
        self.caveats.extend(caveats);
        self
    }

    /// Simplifies boundaries for display at this tolerance in km (default 0.1; 0 keeps
    /// every vertex, at 100 m precision), each shared boundary once so neighbours keep
    /// identical edges.
    pub fn simplify(mut self, tolerance_km: f64) -> Self {
        self.simplify_km = if tolerance_km.is_finite() {
            tolerance_km.max(0.0)
        } else {
            0.0
        };
        self
    }

    /// The display shapes of the layer's areas (layer order), for a caller drawing many
    /// maps of one layer ([`MiniMaps`] simplifies them once, where each map would
    /// otherwise rebuild the layer's topology).
    pub(crate) fn display_shapes(mut self, shapes: Arc<Vec<geo::MultiPolygon<f64>>>) -> Self {
        self.shapes = Some(shapes);
        self
    }

    /// How many seats the top-seats table lists (default 20).
    pub fn top(mut self, n: usize) -> Self {
        self.top = n;
        self
    }

    /// The prefix of the element ids of the fragment (default `sigmap`), for pages that
    /// embed more than one map; letters, digits, `-` and `_` are kept, others dropped.
    pub fn id(mut self, id: &str) -> Self {
        let id: String = id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        self.id = if id.is_empty() {
            "sigmap".to_string()
        } else {
            id
        };
        self
    }

    /// Writes the whole page.
    ///
    /// # Errors
    /// Any I/O error of `w`.
    pub fn write_to(&self, mut w: impl Write) -> io::Result<()> {
        w.write_all(self.render().as_bytes())
    }

    /// Writes the map alone (controls, map, tooltip, legend, attribution, its data and its
    /// script) for a page that has its own `<head>` with [`MAP_CSS`] in a `<style>`.
    ///
    /// # Errors
    /// Any I/O error of `w`.
    pub fn write_fragment(&self, mut w: impl Write) -> io::Result<()> {
        w.write_all(self.render_fragment().as_bytes())
    }

    /// Writes the page to a file through a temporary file beside it
    /// ([`crate::export::write_atomically`]).
    ///
    /// # Errors
    /// [`crate::Error::Io`] naming the file.
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> crate::Result<()> {
        let page = self.render();
        super::write_atomically(path, |w| w.write_all(page.as_bytes()))
    }

    /// The whole page as a string.
    pub fn render(&self) -> String {
        let fragment = self.render_fragment();
        let table = self.rows.table();
        let title = if self.title.trim().is_empty() {
            "Petition signatures by constituency".to_string()
        } else {
            self.title.clone()
        };
        let mut s = String::with_capacity(fragment.len() + 200_000);
        let _ = write!(
            s,
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"sigmap {}\">\n<title>{} · signatures by constituency</title>\n\
             <style>\n{}{}</style>\n</head>\n<body>\n\
             <a class=\"sm-skip\" href=\"#{}-tables\">Skip to the tables</a>\n\
             <header class=\"sm-page-head\">\n<h1>{}</h1>\n<p>{}</p>\n</header>\n<main>\n",
            env!("CARGO_PKG_VERSION"),
            text(&title),
            MAP_CSS,
            PAGE_CSS,
            self.id,
            text(&title),
            text(&self.subtitle_text()),
        );
        s.push_str(&fragment);
        self.caveats_html(&mut s);
        self.tables_html(&mut s);
        let _ = write!(
            s,
            "</main>\n<footer class=\"sm-page-foot\"><p>Made with sigmap {} · layer {}{}</p></footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION"),
            text(&table.layer.name),
            match &self.hex {
                Some(h) => format!(" · hex layout {}", text(&h.source)),
                None => String::new(),
            }
        );
        s
    }

    /// The map alone as a string (see [`HtmlMap::write_fragment`]).
    pub fn render_fragment(&self) -> String {
        let id = &self.id;
        let layers = self.layers();
        let initial = layers
            .iter()
            .position(|(l, _)| *l == self.layer)
            .unwrap_or(0);
        let mut s = String::with_capacity(1 << 20);
        let _ = writeln!(s, "<div class=\"sigmap-map\" id=\"{id}\" data-sigmap-map>");
        // controls
        let _ = writeln!(
            s,
            "<div class=\"sm-controls\">\n<div class=\"sm-search\"><label for=\"{id}-q\">Find a constituency</label>\
             <input id=\"{id}-q\" class=\"sm-q\" type=\"search\" role=\"combobox\" aria-autocomplete=\"list\" aria-expanded=\"false\" aria-controls=\"{id}-results\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"Name or code, e.g. Ynys Môn\">\
             <ul id=\"{id}-results\" class=\"sm-results\" role=\"listbox\" aria-label=\"Matching constituencies\" hidden></ul></div>"
        );
        let _ = write!(
            s,
            "<div class=\"sm-field\"><label for=\"{id}-metric\">Colour by</label><select id=\"{id}-metric\" class=\"sm-metric\">"
        );
        for (i, (layer, _)) in layers.iter().enumerate() {
            let _ = write!(
                s,
                "<option value=\"{}\"{}>{}</option>",
                layer.key(),
                if i == initial { " selected" } else { "" },
                text(layer.label())
            );
        }
        s.push_str("</select></div>\n");
        if self.hex.is_some() {
            s.push_str(
                "<div class=\"sm-group\" role=\"group\" aria-label=\"View\"><button type=\"button\" class=\"sm-view\" data-view=\"geo\" aria-pressed=\"true\">Map</button><button type=\"button\" class=\"sm-view\" data-view=\"hex\" aria-pressed=\"false\">Hex map</button></div>\n",
            );
        }
        s.push_str(
            "<div class=\"sm-group\" role=\"group\" aria-label=\"Zoom\"><button type=\"button\" data-zoom=\"in\" aria-label=\"Zoom in\">+</button><button type=\"button\" data-zoom=\"out\" aria-label=\"Zoom out\">−</button><button type=\"button\" data-zoom=\"reset\">Reset</button></div>\n</div>\n",
        );
        // the map(s), the tooltip and the legend
        s.push_str("<div class=\"sm-body\">\n<div class=\"sm-stage\">\n");
        // the hatch of seats with no neighbours, in an SVG of its own that is never hidden
        // (a pattern inside a hidden SVG may not paint); in each shape's own units, so it
        // suits the map and the hex map alike
        let _ = writeln!(
            s,
            "<svg class=\"sm-defs\" aria-hidden=\"true\" focusable=\"false\"><defs><pattern id=\"{id}-hatch\" patternUnits=\"objectBoundingBox\" patternContentUnits=\"objectBoundingBox\" width=\"0.2\" height=\"0.2\"><rect width=\"0.2\" height=\"0.2\" fill=\"#ffffff\"/><path d=\"M0 0.2L0.2 0M-0.05 0.05L0.05 -0.05M0.15 0.25L0.25 0.15\" stroke=\"#969696\" stroke-width=\"0.04\"/></pattern></defs></svg>"
        );
        let style = &layers[initial].1;
        self.geo_svg(&mut s, style);
        if let Some(layout) = &self.hex {
            self.hex_svg(&mut s, style, layout);
        }
        let _ = writeln!(
            s,
            "<div class=\"sm-tip\" id=\"{id}-tip\" hidden></div>\n<p class=\"sm-status sm-vh\" role=\"status\" aria-live=\"polite\"></p>\n</div>"
        );
        legend_html(&mut s, id, style);
        s.push_str("</div>\n");
        // attribution
        let _ = write!(s, "<p class=\"sm-attribution\">");
        for (i, line) in self.attribution_lines().iter().enumerate() {
            if i > 0 {
                s.push_str("<br>");
            }
            s.push_str(&text(line));
        }
        s.push_str("</p>\n");
        // data and script
        let _ = writeln!(
            s,
            "<script type=\"application/json\" class=\"sm-data\">{}</script>\n</div>",
            script_json(&self.data(&layers, initial))
        );
        let _ = writeln!(s, "<script>\n{MAP_JS}</script>");
        s
    }

    /// The layers of the switch with their styles: signatures per 1,000 voters, per 1,000
    /// electors, signatures (and the opening metric if another), and with a report's
    /// analysis the local Moran and Gi* maps.
    fn layers(&self) -> Vec<(Layer, Style)> {
        let table = self.rows.table();
        let seats: Option<Vec<SeatAnalysis>> = self.rows.iter().map(|r| r.seat.cloned()).collect();
        let analysed = seats.as_deref().and_then(|s| Analysed::new(table, s));
        let clustered = analysed.is_some_and(|a| a.seats().iter().any(|s| s.spatial.is_some()));
        let mut list = vec![
            Layer::Metric(Metric::Per1kVoters),
            Layer::Metric(Metric::Per1kElectors),
            Layer::Metric(Metric::Signatures),
        ];
        if let Layer::Metric(m) = self.layer
            && !list.contains(&self.layer)
        {
            list.push(Layer::Metric(m));
        }
        if clustered {
            list.push(Layer::Lisa);
            list.push(Layer::GiStar);
        }
        list.into_iter()
            .map(|layer| {
                let mut map = SvgMap::new(table, self.areas).classes(self.classes.clone());
                if let Some(p) = self.palette {
                    map = map.palette(p);
                }
                let map = match (layer, analysed) {
                    (Layer::Lisa, Some(a)) => map.lisa(a),
                    (Layer::GiStar, Some(a)) => map.gi_star(a),
                    (Layer::Metric(m), _) => map.metric(m),
                    _ => map,
                };
                (layer, map.style())
            })
            .collect()
    }

    /// The fill attribute of a seat: its colour, or the page's hatch pattern.
    fn fill(&self, fill: &str) -> String {
        if fill == HATCH {
            format!("url(#{}-hatch)", self.id)
        } else {
            fill.to_string()
        }
    }

    /// The seats' shapes on the map: each row's area (by code), simplified, projected and
    /// written in whole 100 m units.
    fn geo_svg(&self, s: &mut String, style: &Style) {
        let table = self.rows.table();
        let index: HashMap<&str, usize> = self
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code.as_str(), i))
            .collect();
        let owned: Vec<geo::MultiPolygon<f64>>;
        let shapes: &[geo::MultiPolygon<f64>] = match &self.shapes {
            Some(shapes) => shapes,
            None if self.simplify_km > 0.0 => {
                let t = Topology::build(self.areas).simplified(self.simplify_km);
                owned = (0..self.areas.len()).map(|i| t.multipolygon(i)).collect();
                &owned
            }
            None => {
                owned = self.areas.iter().map(|a| a.geometry.clone()).collect();
                &owned
            }
        };
        let geometry = Geometry::of(
            shapes
                .iter()
                .zip(self.areas.iter())
                .map(|(g, a)| (g, a.centroid)),
            table.layer.vintage.is_some(),
        );
        let (x0, y0, x1, y1) = geometry.extent;
        let (x0, y0, x1, y1) = if x1 >= x0 && y1 >= y0 {
            (x0, y0, x1, y1)
        } else {
            (0.0, 0.0, 1.0, 1.0)
        };
        let to_svg = |(x, y): (f64, f64)| {
            (
                ((x - x0 + GEO_PAD_KM) * GEO_SCALE).round() as i64,
                ((y1 - y + GEO_PAD_KM) * GEO_SCALE).round() as i64,
            )
        };
        let width = ((x1 - x0 + 2.0 * GEO_PAD_KM) * GEO_SCALE).round();
        let height = ((y1 - y0 + 2.0 * GEO_PAD_KM) * GEO_SCALE).round();
        let _ = writeln!(
            s,
            "<svg class=\"sm-svg\" data-view=\"geo\" viewBox=\"0 0 {width} {height}\" tabindex=\"-1\" role=\"group\" aria-label=\"Map of the {} constituencies. Arrow keys move between them, + and - zoom, Enter zooms to one.\">\n\
             <g class=\"sm-seats\">",
            table.rows.len()
        );
        let mut first = true;
        for (i, row) in table.rows.iter().enumerate() {
            let Some(&a) = index.get(row.code.as_str()) else {
                continue;
            };
            let d = path_d(&geometry.shapes[a], to_svg, 0);
            if d.is_empty() {
                continue;
            }
            seat_path(s, &row.code, &self.fill(&style.fills[i]), &d, first);
            first = false;
        }
        s.push_str("</g>\n");
        if let Some(b) = geometry.shetland_box {
            let (bx0, by0) = to_svg((b[0], b[3]));
            let (bx1, by1) = to_svg((b[2], b[1]));
            let _ = writeln!(
                s,
                "<g class=\"sm-deco\"><rect x=\"{bx0}\" y=\"{by0}\" width=\"{}\" height=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">Shetland</text></g>",
                bx1 - bx0,
                by1 - by0,
                bx1 - 40,
                by1 - 40
            );
        }
        s.push_str("<path class=\"sm-hl\" d=\"\"/>\n</svg>\n");
    }

    /// The hex cartogram view (hidden until chosen).
    fn hex_svg(&self, s: &mut String, style: &Style, layout: &HexJson) {
        let table = self.rows.table();
        let geometry = Geometry::hexes(table, layout);
        let (x0, y0, x1, y1) = geometry.extent;
        let (x0, y0, x1, y1) = if x1 >= x0 && y1 >= y0 {
            (x0, y0, x1, y1)
        } else {
            (0.0, 0.0, 1.0, 1.0)
        };
        let pad = 1.0;
        let to_svg = |(x, y): (f64, f64)| {
            (
                ((x - x0 + pad) * HEX_SCALE * 10.0).round() as i64,
                ((y1 - y + pad) * HEX_SCALE * 10.0).round() as i64,
            )
        };
        let width = ((x1 - x0 + 2.0 * pad) * HEX_SCALE).round();
        let height = ((y1 - y0 + 2.0 * pad) * HEX_SCALE).round();
        let _ = writeln!(
            s,
            "<svg class=\"sm-svg sm-hex\" data-view=\"hex\" viewBox=\"0 0 {width} {height}\" tabindex=\"-1\" role=\"group\" aria-label=\"Hex map: one hexagon per constituency. Arrow keys move between them, + and - zoom, Enter zooms to one.\" hidden>\n<g class=\"sm-seats\">"
        );
        let mut first = true;
        for (i, row) in table.rows.iter().enumerate() {
            let d = path_d(&geometry.shapes[i], to_svg, 1);
            if d.is_empty() {
                continue;
            }
            seat_path(s, &row.code, &self.fill(&style.fills[i]), &d, first);
            first = false;
        }
        s.push_str("</g>\n<path class=\"sm-hl\" d=\"\"/>\n</svg>\n");
    }

    /// The subtitle given, or the petition's totals.
    fn subtitle_text(&self) -> String {
        self.subtitle.clone().unwrap_or_else(|| {
            let c = &self.rows.table().completeness;
            format!(
                "{} signatures, {} of them in a constituency ({:.1}% of the UK's {}); {} constituencies",
                thousands(c.total),
                thousands(c.assigned),
                c.assigned_pct,
                thousands(c.uk_total),
                self.rows.len()
            )
        })
    }

    /// Source, licences and the boundaries' (or the hex layout's) attribution.
    fn attribution_lines(&self) -> Vec<String> {
        let table = self.rows.table();
        let source = self.source.clone().unwrap_or_else(|| {
            let mut s = format!("Source: {}", table.denominators_source);
            if let Some(e) = table.election {
                let _ = write!(s, " ({e})");
            }
            s
        });
        let mut lines = vec![
            source,
            OGL_ATTRIBUTION.to_string(),
            os_attribution(table.layer.vintage),
        ];
        if self.hex.is_some() {
            lines.push(HEX_ATTRIBUTION.to_string());
        }
        lines
    }

    /// Everything the page must say about its numbers: what the rates divide by, the
    /// unassigned signatures, the table's notes, and the caveats given.
    pub(crate) fn caveat_lines(&self) -> Vec<String> {
        let table = self.rows.table();
        let c = &table.completeness;
        let mut out = Vec::new();
        let election = table
            .election
            .map_or_else(String::new, |e| format!(" at {e}"));
        out.push(format!(
            "Signatures per 1,000 voters divide a seat's signatures by its valid votes{election} (turnout-normalised); per 1,000 electors by its registered electors{election}. Both come with exact Poisson 95% intervals."
        ));
        if c.unassigned != 0 {
            let n = if c.unassigned < 0 {
                format!("-{}", thousands(c.unassigned.unsigned_abs()))
            } else {
                thousands(c.unassigned as u64)
            };
            out.push(format!(
                "{n} signatures from the UK are in no constituency on this map (the petitions site drops those it cannot place, and codes that match no seat are left out): {:.1}% of the UK's signatures are mapped.",
                c.assigned_pct
            ));
        }
        if c.zero_filled > 0 {
            out.push(format!(
                "{} constituencies are not listed by the petition and are shown with 0 signatures.",
                c.zero_filled
            ));
        }
        out.extend(c.notes.iter().map(|n| sentence(n)));
        let ranked = self
            .rows
            .iter()
            .any(|r| r.seat.is_some_and(|s| s.rank_interval.is_some()));
        if ranked {
            out.push("Plausible ranks cover 95% of rankings simulated from the counts' sampling noise: seats whose ranges overlap cannot be told apart.".to_string());
        }
        out.extend(self.caveats.iter().cloned());
        out
    }

    fn caveats_html(&self, s: &mut String) {
        let id = &self.id;
        let _ = writeln!(
            s,
            "<section class=\"sm-section\" aria-labelledby=\"{id}-caveats\">\n<h2 id=\"{id}-caveats\">About these numbers</h2>\n<ul>"
        );
        for line in self.caveat_lines() {
            let _ = writeln!(s, "<li>{}</li>", text(&line));
        }
        s.push_str("</ul>\n</section>\n");
    }

    /// The text alternative to the colours: the top seats, and every seat in a
    /// collapsed table, by signatures per 1,000 voters.
    fn tables_html(&self, s: &mut String) {
        let id = &self.id;
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        let table = self.rows.table();
        order.sort_by(|&a, &b| {
            let (ra, rb) = (&table.rows[a], &table.rows[b]);
            ra.rank_per_1k_voters
                .cmp(&rb.rank_per_1k_voters)
                .then_with(|| ra.name.cmp(&rb.name))
        });
        let top = self.top.min(order.len());
        let _ = writeln!(
            s,
            "<section class=\"sm-section\" id=\"{id}-tables\" aria-labelledby=\"{id}-top\">\n<h2 id=\"{id}-top\">Top {top} constituencies by signatures per 1,000 voters</h2>"
        );
        self.table_html(
            s,
            &order[..top],
            "The constituencies with the most signatures per 1,000 voters",
        );
        let _ = writeln!(
            s,
            "<details>\n<summary>All {} constituencies</summary>",
            order.len()
        );
        self.table_html(
            s,
            &order,
            "Every constituency, by signatures per 1,000 voters",
        );
        s.push_str("</details>\n</section>\n");
    }

    fn table_html(&self, s: &mut String, order: &[usize], caption: &str) {
        let _ = writeln!(
            s,
            "<div class=\"sm-table\"><table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">Rank</th><th scope=\"col\">Plausible ranks</th><th scope=\"col\">Constituency</th><th scope=\"col\" class=\"sm-n\">Signatures</th><th scope=\"col\" class=\"sm-n\">Per 1,000 voters</th><th scope=\"col\">95% interval</th><th scope=\"col\">Local Moran</th><th scope=\"col\">Unusual support</th></tr></thead>\n<tbody>",
            text(caption)
        );
        for &i in order {
            let r = self.rows.record(i);
            let row = r.row;
            let plausible = r
                .seat
                .and_then(|x| x.rank_interval)
                .map_or_else(|| "–".to_string(), |iv| iv.to_string().replace('-', "–"));
            let lisa = r
                .seat
                .and_then(SeatAnalysis::lisa_label)
                .map_or("–", |l| l.name());
            let unusual = r
                .seat
                .and_then(|x| x.excess)
                .and_then(|e| e.flag)
                .map_or("–", |d| d.name());
            let f = |v: f64| format_value(v, Metric::Per1kVoters);
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{plausible}</td><th scope=\"row\"><button type=\"button\" class=\"sm-find\" data-seat=\"{}\">{}</button></th><td class=\"sm-n\">{}</td><td class=\"sm-n\">{}</td><td>{} – {}</td><td>{lisa}</td><td>{unusual}</td></tr>",
                row.rank_per_1k_voters,
                text(&row.code),
                text(&row.name),
                thousands(row.signatures),
                f(row.per_1k_voters),
                f(row.ci95_low_per_1k_voters),
                f(row.ci95_high_per_1k_voters),
            );
        }
        s.push_str("</tbody>\n</table></div>\n");
    }

    /// The page's data: the layers' colours and legends, and the seats' numbers.
    fn data(&self, layers: &[(Layer, Style)], initial: usize) -> PageData {
        let table = self.rows.table();
        let mut seats: Vec<(&'static str, Vec<serde_json::Value>)> = Vec::new();
        for name in SEAT_COLUMNS {
            let Some(column) = COLUMNS.iter().find(|c| c.name == *name) else {
                continue;
            };
            let values = self
                .rows
                .iter()
                .map(|r| json_value(r.value(column)))
                .collect();
            seats.push((column.name, values));
        }
        let winners = table
            .election
            .map(crate::inputs::winners::winning_parties)
            .unwrap_or_default();
        seats.push((
            "party",
            table
                .rows
                .iter()
                .map(|r| {
                    winners
                        .get(&r.code)
                        .map_or(serde_json::Value::Null, |p| p.clone().into())
                })
                .collect(),
        ));
        PageData {
            title: self.title.clone(),
            election: table.election,
            n: table.rows.len(),
            initial: layers.get(initial).map_or("", |(l, _)| l.key()),
            layers: layers
                .iter()
                .map(|(layer, style)| {
                    let mut colours: Vec<String> = Vec::new();
                    let mut index = |fill: &str| -> usize {
                        let fill = self.fill(fill);
                        match colours.iter().position(|c| *c == fill) {
                            Some(i) => i,
                            None => {
                                colours.push(fill);
                                colours.len() - 1
                            }
                        }
                    };
                    let fill = style.fills.iter().map(|f| index(f)).collect();
                    let legend = style
                        .legend
                        .iter()
                        .map(|(c, label, n)| (index(c), label.clone(), *n))
                        .collect();
                    LayerData {
                        key: layer.key(),
                        label: layer.label(),
                        title: style.title.clone(),
                        note: style.note.clone(),
                        colours,
                        fill,
                        legend,
                    }
                })
                .collect(),
            seats: seats
                .into_iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::Array(v)))
                .collect(),
        }
    }
}

/// What the page's `<script type="application/json">` holds.
#[derive(Debug, Serialize)]
struct PageData {
    title: String,
    /// The election of the denominators (and of the winning parties).
    election: Option<&'static str>,
    /// Number of seats.
    n: usize,
    /// The layer the page opens on.
    initial: &'static str,
    layers: Vec<LayerData>,
    /// Columns of values, one entry per seat in layer order (names as in `areas.csv`).
    seats: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
struct LayerData {
    key: &'static str,
    label: &'static str,
    title: String,
    note: String,
    /// The distinct fills.
    colours: Vec<String>,
    /// Per seat, the index of its fill in `colours`.
    fill: Vec<usize>,
    /// (index of the fill, label, seats) per class.
    legend: Vec<(usize, String, usize)>,
}

fn json_value(v: Value<'_>) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// JSON to put inside `<script type="application/json">`: `<`, `>` and `&` as `\u` escapes
/// (they only occur in strings), so no `</script>` or `<!--` can end or change the element.
fn script_json(data: &PageData) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".to_string());
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A note as a sentence: a capital first letter and a full stop.
fn sentence(note: &str) -> String {
    let note = note.trim();
    let mut chars = note.chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Text for HTML (element content and quoted attributes).
fn text(s: &str) -> String {
    xml_text(s)
}

/// One seat's shape: its code, fill and outline; the first one takes the keyboard focus
/// when the map is tabbed into (a roving tabindex: the arrow keys move it).
fn seat_path(s: &mut String, code: &str, fill: &str, d: &str, first: bool) {
    let _ = writeln!(
        s,
        "<path data-code=\"{}\" fill=\"{}\" d=\"{d}\" tabindex=\"{}\" role=\"button\"/>",
        text(code),
        text(fill),
        if first { "0" } else { "-1" }
    );
}

/// A path of rings in SVG units: `to_svg` gives integer coordinates in units of
/// 10^-`decimals`; the first point of each ring absolute, the others relative, repeated
/// points dropped, rings of fewer than three distinct points dropped (unless a seat would
/// lose every ring).
fn path_d(
    rings: &[Vec<(f64, f64)>],
    to_svg: impl Fn((f64, f64)) -> (i64, i64),
    decimals: u32,
) -> String {
    let quantised: Vec<Vec<(i64, i64)>> = rings
        .iter()
        .map(|ring| {
            let mut q: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
            for &p in ring {
                let p = to_svg(p);
                if q.last() != Some(&p) {
                    q.push(p);
                }
            }
            if q.len() > 1 && q.first() == q.last() {
                q.pop();
            }
            q
        })
        .collect();
    let keep_all = quantised.iter().all(|q| q.len() < 3);
    let mut d = String::new();
    for ring in &quantised {
        if ring.is_empty() || (ring.len() < 3 && !keep_all) {
            continue;
        }
        let (mut px, mut py) = ring[0];
        let _ = write!(d, "M{} {}", fixed(px, decimals), fixed(py, decimals));
        if ring.len() > 1 {
            d.push('l');
            for (k, &(x, y)) in ring[1..].iter().enumerate() {
                for (j, v) in [x - px, y - py].into_iter().enumerate() {
                    if (k > 0 || j > 0) && v >= 0 {
                        d.push(' ');
                    }
                    d.push_str(&fixed(v, decimals));
                }
                (px, py) = (x, y);
            }
        }
        d.push('z');
    }
    d
}

/// An integer in units of 10^-`decimals` as a decimal number, without trailing zeros.
fn fixed(v: i64, decimals: u32) -> String {
    if decimals == 0 {
        return v.to_string();
    }
    let unit = 10i64.pow(decimals);
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let (whole, frac) = (a / unit as u64, a % unit as u64);
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let f = format!("{frac:0width$}", width = decimals as usize);
        format!("{sign}{whole}.{}", f.trim_end_matches('0'))
    }
}

/// The legend of the opening layer (the script redraws it on a switch).
fn legend_html(s: &mut String, id: &str, style: &Style) {
    let _ = write!(
        s,
        "<aside class=\"sm-legend\" aria-labelledby=\"{id}-legend\">\n<h2 id=\"{id}-legend\" class=\"sm-legend-title\">{}</h2>\n<ul class=\"sm-classes\">",
        text(&style.title)
    );
    for (colour, label, n) in &style.legend {
        let swatch = if colour == HATCH {
            "<span class=\"sm-swatch sm-hatch\"></span>".to_string()
        } else {
            format!(
                "<span class=\"sm-swatch\" style=\"background:{}\"></span>",
                text(colour)
            )
        };
        let _ = write!(
            s,
            "<li>{swatch}{} <span class=\"sm-count\">({n})</span></li>",
            text(label)
        );
    }
    let _ = writeln!(
        s,
        "</ul>\n<p class=\"sm-note\">{}</p>\n<p class=\"sm-help\">Hover, tap or tab to a constituency for its numbers. Drag or use the arrow keys to move around; wheel, pinch, + and − to zoom.</p>\n</aside>",
        text(&style.note.replace('\n', ". "))
    );
}

/// The page around the fragment: header, sections, tables, footer.
pub(crate) const PAGE_CSS: &str = include_str!("page.css");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::crosswalk::{Crosswalk, CrosswalkWeighting};
    use crate::inputs::petition::Petition;
    use crate::jobs::report::Report;
    use crate::table::join::Table;
    use std::sync::OnceLock;

    /// The Article 50 petition re-expressed on the 2024 seats, and its page.
    fn report_2024() -> &'static (Report, String) {
        static PAGE: OnceLock<(Report, String)> = OnceLock::new();
        PAGE.get_or_init(|| {
            let petition = Petition::from_path("data/petitions/petition_241584.json").unwrap();
            let petition = Crosswalk::shipped(CrosswalkWeighting::Population)
                .unwrap()
                .apply(&petition)
                .unwrap();
            let report = Report::with_shipped_data(petition).unwrap();
            let page = report.html_map().render();
            (report, page)
        })
    }

    /// The text between `start` (included) and the next `end` after it.
    fn between<'s>(s: &'s str, start: &str, end: &str) -> &'s str {
        let i = s.find(start).expect("start marker");
        let j = s[i..].find(end).expect("end marker") + i;
        &s[i..j]
    }

    fn codes_in(svg: &str) -> Vec<&str> {
        svg.split("<path data-code=\"")
            .skip(1)
            .map(|p| &p[..p.find('"').unwrap()])
            .collect()
    }

    fn data_of(page: &str) -> serde_json::Value {
        let start = "<script type=\"application/json\" class=\"sm-data\">";
        let json = &between(page, start, "</script>")[start.len()..];
        serde_json::from_str(json).expect("the page's data is JSON")
    }

    #[test]
    fn every_seat_is_a_focusable_path_on_the_map_and_the_hex_map() {
        let (report, page) = report_2024();
        let expected: Vec<&str> = report.table.rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(expected.len(), 650);
        let geo = between(page, "<svg class=\"sm-svg\" data-view=\"geo\"", "</svg>");
        let hex = between(
            page,
            "<svg class=\"sm-svg sm-hex\" data-view=\"hex\"",
            "</svg>",
        );
        assert_eq!(codes_in(geo), expected);
        assert_eq!(codes_in(hex), expected);
        assert!(expected.iter().all(|c| c.starts_with(['E', 'W', 'S', 'N'])));
        assert!(report.table.layer.vintage == Some(crate::Vintage::Pcon2024));
        // one tab stop per view, the arrow keys do the rest
        assert_eq!(geo.matches("tabindex=\"0\"").count(), 1);
        // 649 seats and the <svg> itself (Chromium would otherwise make it a tab stop)
        assert_eq!(geo.matches("tabindex=\"-1\"").count(), 650);
        assert_eq!(geo.matches("role=\"button\"").count(), 650);
    }

    #[test]
    fn the_page_is_small_self_contained_and_deterministic() {
        let (report, page) = report_2024();
        assert!(page.len() < 1_500_000, "{} bytes", page.len());
        assert_eq!(&report.html_map().render(), page);
        // nothing is fetched: no src attribute, no import, no url() but the page's own
        // pattern; any http(s) address is text or a link, never loaded
        assert!(!page.contains("src="));
        assert!(!page.contains("@import"));
        assert!(!page.contains("fetch("));
        assert!(!page.contains("XMLHttpRequest"));
        let markup = page.replace(MAP_JS, "");
        for (i, _) in markup.match_indices("url(") {
            assert!(markup[i..].starts_with("url(#"), "{}", &markup[i..i + 40]);
        }
        for (i, _) in page.match_indices("http") {
            let before = &page[i.saturating_sub(7)..i];
            assert!(
                !before.ends_with("href=\"") && !before.ends_with("src=\""),
                "a loaded address: {}",
                &page[i.saturating_sub(20)..i + 40]
            );
        }
        assert_eq!(page.matches("<script").count(), 2);
    }

    #[test]
    fn the_page_has_a_language_a_title_labels_and_caveats() {
        let (_, page) = report_2024();
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
        assert!(page.contains("<title>Revoke Article 50 and remain in the EU. (petition 241584) · signatures by constituency</title>"));
        for control in ["<input id=\"", "<select id=\""] {
            for (i, _) in page.match_indices(control) {
                let id = &page[i + control.len()..];
                let id = &id[..id.find('"').unwrap()];
                assert!(page.contains(&format!("<label for=\"{id}\">")), "{id}");
            }
        }
        for button in page.split("<button").skip(1) {
            let body = &button[..button.find("</button>").unwrap()];
            let label = &body[body.find('>').unwrap() + 1..];
            assert!(
                body.contains("aria-label=\"") || label.chars().any(char::is_alphabetic),
                "a button without a name: {body}"
            );
        }
        let caveats = between(page, "<h2 id=\"sigmap-caveats\">", "</section>");
        assert!(caveats.contains("estimates"), "crosswalk: {caveats}");
        assert!(
            caveats.contains("in no constituency"),
            "unassigned: {caveats}"
        );
        assert!(caveats.contains("Hot and cold spots"));
        assert!(page.contains("Open Government Licence"));
        assert!(page.contains("Contains OS data © Crown copyright and database right 2024"));
        assert!(page.contains("Open Innovations"));
        // the text alternative: the top 20 and all 650 in tables
        assert_eq!(page.matches("<th scope=\"row\">").count(), 20 + 650);
    }

    #[test]
    fn the_data_matches_areas_csv() {
        let (report, page) = report_2024();
        let data = data_of(page);
        let mut csv = Vec::new();
        crate::export::write_csv(report.analysed(), &mut csv).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_slice());
        let header = reader.headers().unwrap().clone();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 650);
        assert_eq!(data["n"], 650);
        let seats = data["seats"].as_object().unwrap();
        for name in SEAT_COLUMNS {
            let column = header.iter().position(|h| h == *name).expect(name);
            let values = seats[*name].as_array().unwrap();
            assert_eq!(values.len(), 650, "{name}");
            for (record, value) in records.iter().zip(values) {
                let field = &record[column];
                match value {
                    serde_json::Value::Null => assert_eq!(field, "", "{name}"),
                    serde_json::Value::String(s) => assert_eq!(field, s, "{name}"),
                    serde_json::Value::Bool(b) => assert_eq!(field, b.to_string(), "{name}"),
                    // serde_json's default float parser (this test's, not the
                    // browser's) may be one ulp off the shortest text it wrote
                    serde_json::Value::Number(n) => approx::assert_relative_eq!(
                        field.parse::<f64>().unwrap(),
                        n.as_f64().unwrap(),
                        max_relative = 1e-15
                    ),
                    other => panic!("{name}: {other}"),
                }
            }
        }
        // the winning party at GE2024
        let codes = seats["code"].as_array().unwrap();
        let ynys = codes.iter().position(|c| c == "W07000112").unwrap();
        assert_eq!(seats["name"][ynys], "Ynys Môn");
        assert_eq!(seats["party"][ynys], "Plaid Cymru");
        // every layer colours every seat, with colours the legend explains
        let layers = data["layers"].as_array().unwrap();
        let keys: Vec<&str> = layers.iter().map(|l| l["key"].as_str().unwrap()).collect();
        assert_eq!(
            keys,
            [
                "per_1k_voters",
                "per_1k_electors",
                "signatures",
                "lisa",
                "gi_star"
            ]
        );
        for layer in layers {
            let fill = layer["fill"].as_array().unwrap();
            assert_eq!(fill.len(), 650);
            let legend = layer["legend"].as_array().unwrap();
            let counted: u64 = legend.iter().map(|c| c[2].as_u64().unwrap()).sum();
            assert_eq!(counted, 650, "{}", layer["key"]);
            for f in fill {
                assert!(legend.iter().any(|c| c[0] == *f), "{}", layer["key"]);
            }
        }
    }

    #[test]
    fn the_colours_are_the_svg_maps() {
        let (report, page) = report_2024();
        let data = data_of(page);
        let svg = report.map().style();
        let layer = &data["layers"][0];
        let colours = layer["colours"].as_array().unwrap();
        for (i, f) in layer["fill"].as_array().unwrap().iter().enumerate() {
            assert_eq!(colours[f.as_u64().unwrap() as usize], svg.fills[i].as_str());
        }
        let lisa = report.map().lisa(report.analysed()).style();
        let layer = &data["layers"][3];
        let colours = layer["colours"].as_array().unwrap();
        for (i, f) in layer["fill"].as_array().unwrap().iter().enumerate() {
            let c = colours[f.as_u64().unwrap() as usize].as_str().unwrap();
            let expected = if lisa.fills[i] == HATCH {
                "url(#sigmap-hatch)"
            } else {
                lisa.fills[i].as_str()
            };
            assert_eq!(c, expected);
        }
    }

    #[test]
    fn hostile_text_is_escaped() {
        let (report, _) = report_2024();
        let evil = "</script><script>alert(1)</script><!-- & \"quoted\" 'single' \u{1}\u{2028}";
        let page = report
            .html_map()
            .title(evil)
            .caveat(evil)
            .subtitle(evil)
            .source(evil)
            .id("x\"><script>")
            .render();
        assert_eq!(page.matches("<script").count(), 2);
        assert!(!page.contains("alert(1)</script>"));
        assert!(!page.contains("<!--"));
        assert!(!page.contains('\u{1}'));
        assert!(page.contains("id=\"xscript\""));
        // the data keeps the title exactly
        assert_eq!(data_of(&page)["title"], evil);
        assert!(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
    }

    #[test]
    fn a_table_without_analysis_has_no_cluster_layers() {
        let (report, _) = report_2024();
        let table: &Table = &report.table;
        let page = HtmlMap::new(Rows::joined(table), &report.areas)
            .metric(Metric::Lq)
            .simplify(f64::NAN)
            .render();
        let data = data_of(&page);
        let keys: Vec<&str> = data["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            keys,
            ["per_1k_voters", "per_1k_electors", "signatures", "lq"]
        );
        assert_eq!(data["initial"], "lq");
        assert!(data["seats"]["lisa_label"].as_array().unwrap()[0].is_null());
        assert!(!page.contains("data-view=\"hex\""));
        assert!(!page.contains("Plausible ranks cover"));
    }

    #[test]
    fn paths_are_relative_and_exact() {
        let rings = vec![vec![
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 0.0),
            (1.0, 2.0),
            (0.0, 0.0),
        ]];
        let d = path_d(&rings, |(x, y)| ((x * 10.0) as i64, (-y * 10.0) as i64), 0);
        assert_eq!(d, "M0 0l10 0 0-20z");
        let d = path_d(&rings, |(x, y)| ((x * 15.0) as i64, (y * 15.0) as i64), 1);
        assert_eq!(d, "M0 0l1.5 0 0 3z");
        // a ring too small to see is dropped, unless it is all there is
        let two = vec![vec![(0.0, 0.0), (0.01, 0.0), (0.0, 0.0)], rings[0].clone()];
        let d = path_d(&two, |(x, y)| ((x * 10.0) as i64, (y * 10.0) as i64), 0);
        assert_eq!(d, "M0 0l10 0 0 20z");
        assert_eq!(fixed(-15, 1), "-1.5");
        assert_eq!(fixed(120, 2), "1.2");
        assert_eq!(fixed(7, 0), "7");
        assert_eq!(
            sentence("re-expressed: estimates"),
            "Re-expressed: estimates."
        );
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let data = PageData {
            title: "</script><!-- a & b \u{2028}".into(),
            election: None,
            n: 0,
            initial: "",
            layers: Vec::new(),
            seats: serde_json::Map::new(),
        };
        let json = script_json(&data);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["title"], "</script><!-- a & b \u{2028}");
    }
}
