use super::classes::Classes;
use super::hexjson::HexJson;
use super::palette::Palette;
use crate::inputs::areas::Areas;
use crate::inputs::code::Vintage;
use crate::inputs::crs::DisplayProjection;
use crate::stats::ClusterLabel;
use crate::table::analysis::{Analysed, SeatAnalysis, SeatSpatial};
use crate::table::join::Table;
use crate::table::metrics::Metric;
use crate::text::thousands;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The attribution every sigmap map carries for the petition counts and the election
/// results (boundaries add [`os_attribution`], hex maps their layout's licence).
pub const OGL_ATTRIBUTION: &str = "Contains public sector information licensed under the Open Government Licence v3.0. \
Election results: House of Commons Library, Open Parliament Licence v3.0.";

/// The Ordnance Survey line that maps drawn from ONS boundaries must carry: the 2024 seats'
/// boundaries are © 2024, the 2010-2024 seats' (ONS December 2019 release) © 2022.
pub fn os_attribution(vintage: Option<Vintage>) -> String {
    let year = match vintage {
        Some(Vintage::Pcon2010) => "2022",
        _ => "2024",
    };
    format!("Boundaries: ONS. Contains OS data © Crown copyright and database right {year}.")
}

/// The licence line of the shipped hex cartogram layouts.
pub const HEX_ATTRIBUTION: &str = "Hex cartogram layout: Open Innovations / ODI Leeds, MIT licence; codes and names ONS, OGL v3.0.";

/// An inset of a geographic map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Inset {
    /// Greater London enlarged about five times in a box beside the map: seventy-odd
    /// seats are specks at UK scale.
    London,
    /// Shetland moved into a box east of Orkney, at the map's scale, so that the map is
    /// not a fifth sea.
    Shetland,
    /// Northern Ireland enlarged about twice in a box beside the map (below London's when
    /// both are drawn): its 18 seats, Belfast's four among them, in detail.
    NorthernIreland,
}

impl std::str::FromStr for Inset {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "london" => Ok(Inset::London),
            "shetland" => Ok(Inset::Shetland),
            "northern-ireland" | "ni" => Ok(Inset::NorthernIreland),
            _ => Err(format!(
                "unknown inset `{s}` (expected london, shetland or northern-ireland)"
            )),
        }
    }
}

/// The value a diverging palette is centred on.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Centre {
    /// The value of the whole country: all signatures over all electors (or voters, or
    /// km²), a location quotient of 1, or the mean seat for counts and shares.
    National,
    /// A given value.
    Value(f64),
}

impl std::str::FromStr for Centre {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "national" {
            return Ok(Centre::National);
        }
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Centre::Value)
            .ok_or_else(|| format!("invalid centre `{s}` (expected national or a number)"))
    }
}

/// What a map shows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layer<'a> {
    Metric(Metric),
    /// The analysis of each area, in the table's row order.
    Lisa(&'a [SeatAnalysis]),
    GiStar(&'a [SeatAnalysis]),
}

const WIDTH: f64 = 860.0;
const MARGIN: f64 = 20.0;
const PANEL: f64 = 240.0;
const MAP_WIDTH: f64 = WIDTH - 3.0 * MARGIN - PANEL;
const MAP_MAX_HEIGHT: f64 = 900.0;
const FOOTER_LINE: f64 = 12.0;
const FONTS: &str = "Helvetica, Arial, 'Liberation Sans', 'sigmap Sans', sans-serif";
/// Greater London's extent, longitude/latitude, with a little margin.
const LONDON: [f64; 4] = [-0.53, 51.27, 0.35, 51.70];
/// Northern Ireland's extent (lon0, lat0, lon1, lat1).
const NORTHERN_IRELAND: [f64; 4] = [-8.2, 54.0, -5.4, 55.35];
/// Parts of seats north of this latitude are Shetland (Fair Isle is at 59.52°N, Orkney's
/// northernmost island at 59.39°N).
const SHETLAND_LAT: f64 = 59.45;

/// A choropleth map as SVG: areas in a conformal projection (or one hexagon per area of a
/// HexJSON layout), coloured by classes of a metric, by local Moran cluster or by Gi* hot
/// spot; a legend with class bounds and counts; title, subtitle, source line and the
/// OGL and Ordnance Survey attributions; optional London and Shetland insets and labels.
///
/// # Examples
/// ```
/// use sigmap::export::{Classes, Inset, Palette, Scheme, SvgMap};
/// use sigmap::{Areas, Denominators, Metric, Petition, Table, Vintage};
/// let areas = Areas::shipped(Vintage::Pcon2024)?;
/// let denominators = Denominators::shipped(Vintage::Pcon2024)?;
/// let petition = Petition::from_reader("E14001063,120\nN05000001,80\n".as_bytes(), "two.csv")?;
/// let table = Table::join(&petition, &areas, &denominators)?;
/// let mut svg = Vec::new();
/// SvgMap::new(&table, &areas)
///     .metric(Metric::Per1kVoters)
///     .classes(Classes::Jenks(5))
///     .palette(Palette::new(Scheme::YlOrRd))
///     .inset(Inset::London)
///     .title("Two seats")
///     .write_to(&mut svg)?;
/// let svg = String::from_utf8(svg).unwrap();
/// assert!(svg.starts_with("<svg") && svg.contains("Open Government Licence"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SvgMap<'a> {
    table: &'a Table,
    areas: &'a Areas,
    layer: Layer<'a>,
    classes: Classes,
    palette: Option<Palette>,
    centre: Option<Centre>,
    title: String,
    subtitle: Option<String>,
    source: Option<String>,
    insets: Vec<Inset>,
    labels: usize,
    hex: Option<&'a HexJson>,
}

impl<'a> SvgMap<'a> {
    /// A map of `table` drawn with the geometry of `areas` (the layer the table was joined
    /// to), by default signatures per 1,000 voters in 5 quantile classes of YlGnBu.
    pub fn new(table: &'a Table, areas: &'a Areas) -> Self {
        SvgMap {
            table,
            areas,
            layer: Layer::Metric(Metric::Per1kVoters),
            classes: Classes::Quantile(5),
            palette: None,
            centre: None,
            title: String::new(),
            subtitle: None,
            source: None,
            insets: Vec::new(),
            labels: 0,
            hex: None,
        }
    }

    /// The metric to map.
    pub fn metric(mut self, metric: Metric) -> Self {
        self.layer = Layer::Metric(metric);
        self
    }

    /// Draws the local Moran cluster labels (hot spots, cold spots, outliers) instead of a
    /// metric, in the usual colours (High-High #d7191c, Low-Low #2c7bb6, Low-High
    /// #abd9e9, High-Low #fdae61, not significant light grey, isolated hatched), from a
    /// report's analysis ([`Report::analysed`](crate::Report::analysed)) of the table it
    /// draws.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Petition, Report};
    /// let report = Report::with_shipped_data(Petition::from_path("data/petitions/petition_241584.json")?)?;
    /// let svg = report.map().lisa(report.analysed()).render();
    /// assert!(svg.contains("High-High (hot spot)"));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn lisa(mut self, analysed: Analysed<'a>) -> Self {
        self.table = analysed.table();
        self.layer = Layer::Lisa(analysed.seats());
        self
    }

    /// Draws Getis-Ord Gi* hot and cold spots at 99, 95 and 90% confidence (ArcGIS's
    /// colours and bins): by the pseudo p-value when permutations were run (esda), else by
    /// |z| at 2.58, 1.96 and 1.65; from a report's analysis, as [`SvgMap::lisa`].
    pub fn gi_star(mut self, analysed: Analysed<'a>) -> Self {
        self.table = analysed.table();
        self.layer = Layer::GiStar(analysed.seats());
        self
    }

    /// The classification.
    pub fn classes(mut self, classes: Classes) -> Self {
        self.classes = classes;
        self
    }

    /// The colour scheme (default YlGnBu). A diverging scheme is centred on
    /// [`SvgMap::centre`] (by default the national value).
    pub fn palette(mut self, palette: Palette) -> Self {
        self.palette = Some(palette);
        self
    }

    /// The value a diverging palette is centred on: it becomes a class break, classes
    /// below it take one hue and classes above it the other.
    pub fn centre(mut self, centre: Centre) -> Self {
        self.centre = Some(centre);
        self
    }

    /// The title (the petition's, usually); long titles wrap onto a second line.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// A line under the title (defaults to the metric and totals).
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = Some(subtitle.into());
        self
    }

    /// The source line above the attributions (defaults to the denominators and layer).
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Adds an inset (geographic maps only; ignored for hex maps).
    pub fn inset(mut self, inset: Inset) -> Self {
        if !self.insets.contains(&inset) {
            self.insets.push(inset);
        }
        self
    }

    /// Sets the insets, replacing any chosen before (an empty slice: none).
    pub fn insets(mut self, insets: &[Inset]) -> Self {
        self.insets.clear();
        for &i in insets {
            self = self.inset(i);
        }
        self
    }

    /// Names the top `n` seats of the mapped metric (of signatures per 1,000 voters for
    /// cluster maps) on the map.
    pub fn labels(mut self, n: usize) -> Self {
        self.labels = n;
        self
    }

    /// Draws one hexagon per area on a HexJSON layout instead of the boundaries (a hex
    /// cartogram: every seat the same size).
    pub fn hex(mut self, layout: &'a HexJson) -> Self {
        self.hex = Some(layout);
        self
    }

    /// Writes the SVG document.
    ///
    /// # Errors
    /// Any I/O error of `w`.
    pub fn write_to(self, mut w: impl Write) -> io::Result<()> {
        w.write_all(self.render().as_bytes())
    }

    /// Renders the map to PNG with the `png` feature (see [`crate::export::svg_to_png`]).
    ///
    /// # Errors
    /// [`crate::Error::Render`] if the image cannot be made.
    #[cfg(feature = "png")]
    pub fn render_png(&self, options: crate::export::PngOptions) -> crate::Result<Vec<u8>> {
        crate::export::svg_to_png(&self.render(), options)
    }

    /// Writes the map to a file, as PNG if its name ends in `.png` (with the `png`
    /// feature, at [`crate::export::PngOptions`]' default scale), else as SVG.
    ///
    /// # Errors
    /// [`crate::Error::Io`] naming the file; [`crate::Error::Render`] for a PNG that
    /// cannot be made; [`crate::Error::BadField`] for `.png` without the `png` feature.
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> crate::Result<()> {
        self.save_scaled(path, 1.5)
    }

    /// As [`SvgMap::save`], a PNG at `scale` pixels per SVG unit.
    ///
    /// # Errors
    /// As [`SvgMap::save`].
    pub fn save_scaled(&self, path: impl AsRef<std::path::Path>, scale: f32) -> crate::Result<()> {
        let path = path.as_ref();
        let is_png = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("png"));
        let bytes = if is_png {
            #[cfg(feature = "png")]
            {
                self.render_png(crate::export::PngOptions {
                    scale,
                    ..Default::default()
                })?
            }
            #[cfg(not(feature = "png"))]
            {
                let _ = scale;
                return Err(crate::Error::BadField {
                    at: crate::Location::file(path),
                    expected: "an .svg file name (PNG needs the `png` feature)",
                    found: path.display().to_string(),
                });
            }
        } else {
            self.render().into_bytes()
        };
        super::write_atomically(path, |w| w.write_all(&bytes))
    }

    /// The SVG document as a string.
    pub fn render(&self) -> String {
        let style = self.style();
        let title_lines: Vec<String> = wrap(&self.title, 70).into_iter().take(2).collect();
        let header = 30.0 + 24.0 * title_lines.len().max(1) as f64 + 18.0;
        let geo = match self.hex {
            Some(h) => Geometry::hexes(self.table, h),
            None => Geometry::areas(self.areas, self.insets.contains(&Inset::Shetland)),
        };
        let (frame, map_bottom) = Frame::fit(geo.extent, header);

        let mut body = String::with_capacity(1 << 20);
        let mut defs = String::new();
        if style.fills.iter().any(|f| f == HATCH) {
            defs.push_str(r##"<pattern id="hatch" patternUnits="userSpaceOnUse" width="5" height="5"><rect width="5" height="5" fill="#ffffff"/><path d="M0 5L5 0M-1 1L1 -1M4 6L6 4" stroke="#969696" stroke-width="0.8"/></pattern>"##);
        }
        self.seats_svg(&mut body, &geo, &frame, &style);
        // the legend, top of the panel on the right
        let lx = WIDTH - MARGIN - PANEL;
        let ly = legend_svg(&mut body, &style, lx, header + 16.0);
        // enlarged insets (London, Northern Ireland) under the legend, one below the other
        let (label_frames, panel_bottom) =
            self.insets_svg(&mut body, &mut defs, &geo, &frame, &style, ly);
        // labels of the top seats
        if self.labels > 0 {
            body.push_str(&self.labels_svg(&geo, &frame, &label_frames));
        }

        // title, subtitle, source and attribution
        let content_bottom = map_bottom.max(ly + 20.0).max(panel_bottom + 20.0);
        let footer = self.footer_lines();
        let height = content_bottom + 16.0 + FOOTER_LINE * footer.len() as f64 + MARGIN;
        let mut s = String::with_capacity(body.len() + 4096);
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="{FONTS}">"#
        );
        if !defs.is_empty() {
            let _ = writeln!(s, "<defs>{defs}</defs>");
        }
        let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
        let mut y = 30.0;
        for line in &title_lines {
            let _ = writeln!(
                s,
                r##"<text x="{MARGIN}" y="{y}" font-size="20" font-weight="bold" fill="#222222">{}</text>"##,
                xml(line)
            );
            y += 24.0;
        }
        if title_lines.is_empty() {
            y += 24.0;
        }
        let _ = writeln!(
            s,
            r##"<text x="{MARGIN}" y="{}" font-size="13" fill="#444444">{}</text>"##,
            y - 4.0,
            xml(&self.subtitle_text())
        );
        s.push_str(&body);
        self.footer_svg(&mut s, &footer, content_bottom + 16.0 + 9.0);
        s.push_str("</svg>\n");
        s
    }

    /// How the areas are coloured, what each shows and the legend: the one classification
    /// that the SVG and the HTML maps share.
    pub(super) fn style(&self) -> Style {
        match self.layer {
            Layer::Metric(m) => self.choropleth_style(m),
            Layer::Lisa(seats) => lisa_style(seats),
            Layer::GiStar(seats) => gi_style(seats),
        }
    }

    /// The seats on the main map, and the box around the moved Shetland.
    fn seats_svg(&self, body: &mut String, geo: &Geometry, frame: &Frame, style: &Style) {
        let stroke = if self.hex.is_some() { "1" } else { "0.25" };
        let _ = writeln!(
            body,
            r##"<g stroke="#ffffff" stroke-width="{stroke}" stroke-linejoin="round" fill-rule="evenodd">"##
        );
        for (i, rings) in geo.shapes.iter().enumerate() {
            if rings.is_empty() {
                continue;
            }
            let row = &self.table.rows[i];
            seat_path(body, style, i, &path_d(rings, frame), &row.name, &row.code);
        }
        body.push_str("</g>\n");
        if let Some(b) = geo.shetland_box {
            let (bx0, by0) = frame.px((b[0], b[3]));
            let (bx1, by1) = frame.px((b[2], b[1]));
            let _ = writeln!(
                body,
                r##"<rect x="{bx0:.1}" y="{by0:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#999999" stroke-width="0.8"/><text x="{:.1}" y="{:.1}" font-size="10" fill="#666666" text-anchor="end">Shetland</text>"##,
                bx1 - bx0,
                by1 - by0,
                bx1 - 3.0,
                by1 - 4.0
            );
        }
    }

    /// The London and Northern Ireland insets asked for, one below the other from `top`
    /// (not on hex maps): their seats, frames, clip paths (into `defs`) and where they are
    /// on the main map. Returns the insets' frames and bounding boxes (for the labels) and
    /// the bottom of the last.
    fn insets_svg(
        &self,
        body: &mut String,
        defs: &mut String,
        geo: &Geometry,
        frame: &Frame,
        style: &Style,
        top: f64,
    ) -> (Vec<(Frame, [f64; 4])>, f64) {
        let lx = WIDTH - MARGIN - PANEL;
        let mut frames: Vec<(Frame, [f64; 4])> = Vec::new();
        let mut panel_bottom = top;
        let zooms = [
            (Inset::London, LONDON, "London", "london"),
            (
                Inset::NorthernIreland,
                NORTHERN_IRELAND,
                "Northern Ireland",
                "northern-ireland",
            ),
        ];
        for (kind, bbox, title, id) in zooms {
            if self.hex.is_some() || !self.insets.contains(&kind) {
                continue;
            }
            let b = projected_box(bbox);
            let iscale = PANEL / (b[2] - b[0]);
            let top = panel_bottom + 36.0;
            let height = (b[3] - b[1]) * iscale;
            let inset = Frame {
                x0: b[0],
                y1: b[3],
                scale: iscale,
                left: lx,
                top,
            };
            let _ = writeln!(
                body,
                r##"<text x="{lx}" y="{}" font-size="12" font-weight="bold" fill="#222222">{title}</text>"##,
                top - 6.0
            );
            let _ = write!(
                defs,
                r#"<clipPath id="{id}"><rect x="{lx}" y="{top:.1}" width="{PANEL}" height="{height:.1}"/></clipPath>"#
            );
            let _ = writeln!(
                body,
                r##"<g clip-path="url(#{id})" stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd">"##
            );
            for (i, area) in self.areas.iter().enumerate() {
                let Some(rect) = geo::BoundingRect::bounding_rect(&area.geometry) else {
                    continue;
                };
                if rect.max().x < bbox[0]
                    || rect.min().x > bbox[2]
                    || rect.max().y < bbox[1]
                    || rect.min().y > bbox[3]
                {
                    continue;
                }
                let d = path_d(&geo.shapes[i], &inset);
                seat_path(body, style, i, &d, &area.name, &area.code);
            }
            body.push_str("</g>\n");
            let _ = writeln!(
                body,
                r##"<rect x="{lx}" y="{top:.1}" width="{PANEL}" height="{height:.1}" fill="none" stroke="#999999" stroke-width="0.8"/>"##
            );
            // where the inset is on the main map
            let (mx0, my0) = frame.px((b[0], b[3]));
            let (mx1, my1) = frame.px((b[2], b[1]));
            let _ = writeln!(
                body,
                r##"<rect x="{mx0:.1}" y="{my0:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#555555" stroke-width="0.7"/>"##,
                mx1 - mx0,
                my1 - my0
            );
            frames.push((inset, b));
            panel_bottom = top + height;
        }
        (frames, panel_bottom)
    }

    /// The subtitle given, or what the map shows and the petition's totals.
    fn subtitle_text(&self) -> String {
        self.subtitle.clone().unwrap_or_else(|| {
            let c = &self.table.completeness;
            let what = match self.layer {
                Layer::Metric(m) => m.label().to_string(),
                Layer::Lisa(_) => "Local Moran clusters of signatures per 1,000 voters".to_string(),
                Layer::GiStar(_) => {
                    "Gi* hot and cold spots of signatures per 1,000 voters".to_string()
                }
            };
            format!(
                "{what}, by constituency{} · {} signatures, {} in a constituency",
                if self.hex.is_some() {
                    " (one hexagon each)"
                } else {
                    ""
                },
                thousands(c.total),
                thousands(c.assigned)
            )
        })
    }

    /// The footer's lines: the source, the licence and the boundaries' attribution.
    fn footer_lines(&self) -> Vec<String> {
        let source = self.source.clone().unwrap_or_else(|| {
            let mut s = format!("Source: {}", self.table.denominators_source);
            if let Some(e) = self.table.election {
                let _ = write!(s, " ({e})");
            }
            s
        });
        let mut footer = wrap(&source, 130);
        footer.extend(wrap(OGL_ATTRIBUTION, 130));
        footer.extend(wrap(
            &match self.hex {
                Some(_) => HEX_ATTRIBUTION.to_string(),
                None => os_attribution(self.table.layer.vintage),
            },
            130,
        ));
        footer
    }

    /// The footer from `y` down, and the "Made with" line at the right of its last line.
    fn footer_svg(&self, s: &mut String, footer: &[String], mut y: f64) {
        for line in footer {
            let _ = writeln!(
                s,
                r##"<text x="{MARGIN}" y="{y}" font-size="9.5" fill="#666666">{}</text>"##,
                xml(line)
            );
            y += FOOTER_LINE;
        }
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="9.5" fill="#666666" text-anchor="end">Made with sigmap · {}</text>"##,
            WIDTH - MARGIN,
            y - FOOTER_LINE,
            xml(&match self.hex {
                Some(h) => format!("layout {}", h.source),
                None => format!("layer {}", self.table.layer.name),
            })
        );
    }

    /// Dots and names for the top seats, placed right, left, above or below the dot,
    /// whichever overlaps no earlier label; seats in the London inset are labelled there.
    fn labels_svg(&self, geo: &Geometry, frame: &Frame, insets: &[(Frame, [f64; 4])]) -> String {
        let metric = match self.layer {
            Layer::Metric(m) => m,
            _ => Metric::Per1kVoters,
        };
        let mut out = String::from(
            r##"<g font-size="10.5" fill="#111111" stroke="#ffffff" stroke-width="2.5" paint-order="stroke" stroke-linejoin="round">"##,
        );
        out.push('\n');
        let mut taken: Vec<[f64; 4]> = Vec::new();
        let top = self.table.top(metric, self.labels);
        for row in top {
            let Some(i) = self.table.rows.iter().position(|r| r.code == row.code) else {
                continue;
            };
            let Some(world) = geo.label_points[i] else {
                continue;
            };
            let inset = insets.iter().find(|(_, b)| {
                (b[0]..=b[2]).contains(&world.0) && (b[1]..=b[3]).contains(&world.1)
            });
            let ((x, y), left_edge, right_edge) = match inset {
                Some((f, _)) => (f.px(world), f.left, f.left + PANEL),
                None => (frame.px(world), MARGIN, WIDTH - MARGIN),
            };
            let text = if row.name.chars().count() > 28 {
                let short: String = row.name.chars().take(26).collect();
                format!("{short}…")
            } else {
                row.name.clone()
            };
            let w = 0.55 * 10.5 * text.chars().count() as f64;
            let h = 11.0;
            let candidates = [
                (
                    x + 4.0,
                    y + 3.5,
                    "start",
                    [x + 3.0, y - 7.0, x + 5.0 + w, y + 4.0],
                ),
                (
                    x - 4.0,
                    y + 3.5,
                    "end",
                    [x - 5.0 - w, y - 7.0, x - 3.0, y + 4.0],
                ),
                (
                    x,
                    y - 5.0,
                    "middle",
                    [x - w / 2.0, y - 5.0 - h, x + w / 2.0, y - 4.0],
                ),
                (
                    x,
                    y + 13.0,
                    "middle",
                    [x - w / 2.0, y + 3.0, x + w / 2.0, y + 14.0],
                ),
            ];
            let overlaps = |b: &[f64; 4]| {
                b[2] > right_edge
                    || b[0] < left_edge
                    || taken
                        .iter()
                        .any(|t| b[0] < t[2] && t[0] < b[2] && b[1] < t[3] && t[1] < b[3])
            };
            let (tx, ty, anchor, bx) = candidates
                .iter()
                .find(|c| !overlaps(&c.3))
                .copied()
                .unwrap_or(candidates[0]);
            taken.push(bx);
            let _ = writeln!(
                out,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="2" fill="#111111" stroke-width="1"/><text x="{tx:.1}" y="{ty:.1}" text-anchor="{anchor}">{}</text>"##,
                xml(&text)
            );
        }
        out.push_str("</g>\n");
        out
    }
}

/// Fill of isolated areas (no neighbours).
pub(super) const HATCH: &str = "url(#hatch)";

/// A grey outline for hatched areas, which a white stroke would leave shapeless.
fn outline(fill: &str) -> &'static str {
    if fill == HATCH {
        r##" stroke="#969696""##
    } else {
        ""
    }
}

/// World coordinates (km, or hexagon radii), y up, to pixels.
#[derive(Debug, Clone, Copy)]
struct Frame {
    x0: f64,
    y1: f64,
    scale: f64,
    left: f64,
    top: f64,
}

impl Frame {
    /// The main map's frame for an extent (x0, y0, x1, y1), centred in the map's width
    /// below `top`; and the map's bottom.
    fn fit((x0, y0, x1, y1): (f64, f64, f64, f64), top: f64) -> (Frame, f64) {
        let scale = if x1 > x0 && y1 > y0 {
            (MAP_WIDTH / (x1 - x0)).min(MAP_MAX_HEIGHT / (y1 - y0))
        } else {
            1.0
        };
        let frame = Frame {
            x0,
            y1,
            scale,
            left: MARGIN + (MAP_WIDTH - (x1 - x0).max(0.0) * scale) / 2.0,
            top,
        };
        (frame, top + (y1 - y0).max(0.0) * scale)
    }

    fn px(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (
            self.left + (x - self.x0) * self.scale,
            self.top + (self.y1 - y) * self.scale,
        )
    }
}

/// An SVG path of rings at a tenth of a pixel, dropping vertices that would not show.
fn path_d(rings: &[Vec<(f64, f64)>], frame: &Frame) -> String {
    let mut d = String::new();
    for ring in rings {
        let mut last: Option<(i64, i64)> = None;
        let mut n = 0;
        for &pt in ring {
            let (px, py) = frame.px(pt);
            let q = ((px * 10.0).round() as i64, (py * 10.0).round() as i64);
            if last == Some(q) {
                continue;
            }
            let _ = write!(
                d,
                "{}{} {}",
                if n == 0 { "M" } else { "L" },
                tenths(q.0),
                tenths(q.1)
            );
            last = Some(q);
            n += 1;
        }
        if n > 0 {
            d.push('Z');
        }
    }
    d
}

/// What is drawn for each area, in world coordinates.
pub(super) struct Geometry {
    /// Rings per area (empty: not drawn).
    pub(super) shapes: Vec<Vec<Vec<(f64, f64)>>>,
    /// Where each area's label goes.
    pub(super) label_points: Vec<Option<(f64, f64)>>,
    /// x0, y0, x1, y1.
    pub(super) extent: (f64, f64, f64, f64),
    /// The box Shetland was moved into: x0, y0, x1, y1.
    pub(super) shetland_box: Option<[f64; 4]>,
}

impl Geometry {
    fn areas(areas: &Areas, move_shetland: bool) -> Geometry {
        Geometry::of(
            areas.iter().map(|a| (&a.geometry, a.centroid)),
            move_shetland,
        )
    }

    /// The geometry of areas given as (shape, label point) in longitude/latitude, in the
    /// display projection, Shetland moved into its box if asked.
    pub(super) fn of<'g>(
        areas: impl ExactSizeIterator<Item = (&'g geo::MultiPolygon<f64>, geo::Point<f64>)>,
        move_shetland: bool,
    ) -> Geometry {
        let proj = DisplayProjection::uk();
        let mut shapes: Vec<Vec<Vec<(f64, f64)>>> = Vec::with_capacity(areas.len());
        // per ring: is it part of Shetland, to be moved into its box
        let mut moved: Vec<Vec<bool>> = Vec::with_capacity(areas.len());
        let mut label_points: Vec<Option<(f64, f64)>> = Vec::with_capacity(areas.len());
        for (geometry, centroid) in areas {
            label_points.push(Some(proj.project(centroid.x(), centroid.y())));
            let (mut rings, mut flags): (Vec<Vec<(f64, f64)>>, Vec<bool>) =
                (Vec::new(), Vec::new());
            for p in geometry.iter() {
                let north = move_shetland
                    && !p.exterior().0.is_empty()
                    && p.exterior().coords().all(|c| c.y > SHETLAND_LAT);
                for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                    rings.push(ring.coords().map(|c| proj.project(c.x, c.y)).collect());
                    flags.push(north);
                }
            }
            shapes.push(rings);
            moved.push(flags);
        }
        let (mut rest, mut north) = (Extent::new(), Extent::new());
        for (rings, flags) in shapes.iter().zip(&moved) {
            for (ring, &m) in rings.iter().zip(flags) {
                let e = if m { &mut north } else { &mut rest };
                ring.iter().for_each(|&p| e.add(p));
            }
        }
        let mut shetland_box = None;
        if north.is_valid() && rest.is_valid() {
            let pad = 12.0;
            // top right of the map, level with Orkney, over the North Sea
            let dx = rest.x1 - pad - north.x1;
            let dy = rest.y1 - pad - north.y1;
            for (i, (rings, flags)) in shapes.iter_mut().zip(&moved).enumerate() {
                for (ring, &m) in rings.iter_mut().zip(flags) {
                    if m {
                        ring.iter_mut().for_each(|p| {
                            p.0 += dx;
                            p.1 += dy;
                        });
                    }
                }
                // a seat wholly in Shetland is labelled in its box
                if flags.iter().all(|&m| m) && !flags.is_empty() {
                    label_points[i] = label_points[i].map(|(x, y)| (x + dx, y + dy));
                }
            }
            shetland_box = Some([
                north.x0 + dx - pad,
                north.y0 + dy - pad,
                north.x1 + dx + pad,
                north.y1 + dy + pad,
            ]);
        }
        let mut all = rest;
        if let Some(b) = shetland_box {
            all.add((b[0], b[1]));
            all.add((b[2], b[3]));
        }
        Geometry {
            shapes,
            label_points,
            extent: (all.x0, all.y0, all.x1, all.y1),
            shetland_box,
        }
    }

    pub(super) fn hexes(table: &Table, layout: &HexJson) -> Geometry {
        let mut e = Extent::new();
        let mut shapes = Vec::with_capacity(table.rows.len());
        let mut label_points = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            match layout.get(&row.code) {
                Some(h) => {
                    let c = layout.centre(h);
                    let ring: Vec<(f64, f64)> = layout.layout.corners(c, 1.0).to_vec();
                    for &p in &ring {
                        e.add(p);
                    }
                    shapes.push(vec![ring]);
                    label_points.push(Some(c));
                }
                None => {
                    shapes.push(Vec::new());
                    label_points.push(None);
                }
            }
        }
        Geometry {
            shapes,
            label_points,
            extent: (e.x0, e.y0, e.x1, e.y1),
            shetland_box: None,
        }
    }
}

/// A bounding box being grown.
#[derive(Debug, Clone, Copy)]
struct Extent {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Extent {
    fn new() -> Self {
        Extent {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        }
    }

    fn add(&mut self, (x, y): (f64, f64)) {
        self.x0 = self.x0.min(x);
        self.x1 = self.x1.max(x);
        self.y0 = self.y0.min(y);
        self.y1 = self.y1.max(y);
    }

    fn is_valid(&self) -> bool {
        self.x1 >= self.x0 && self.y1 >= self.y0
    }
}

/// How areas are coloured and the legend that explains it.
pub(super) struct Style {
    /// Per area: its fill (a colour, or [`HATCH`]).
    pub(super) fills: Vec<String>,
    /// Per area: its value as the SVG's hover text shows it.
    pub(super) shown: Vec<String>,
    /// The legend's title.
    pub(super) title: String,
    /// The legend: fill, label and number of areas per class.
    pub(super) legend: Vec<(String, String, usize)>,
    /// The legend's note (classification; lines separated by `\n`).
    pub(super) note: String,
}

impl SvgMap<'_> {
    /// The national value of a metric, for [`Centre::National`].
    fn national(&self, metric: Metric) -> f64 {
        let rows = &self.table.rows;
        let sum = |f: fn(&crate::table::join::Row) -> f64| rows.iter().map(f).sum::<f64>();
        let signatures = sum(|r| r.signatures as f64);
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        match metric {
            Metric::Signatures => ratio(signatures, rows.len() as f64),
            Metric::DensityPerKm2 => ratio(signatures, sum(|r| r.area_km2)),
            Metric::Per1kElectors => 1000.0 * ratio(signatures, sum(|r| r.electorate as f64)),
            Metric::Per1kVoters => 1000.0 * ratio(signatures, sum(|r| r.valid_votes as f64)),
            Metric::SharePct => ratio(100.0, rows.len() as f64),
            Metric::Lq => 1.0,
        }
    }

    fn choropleth_style(&self, metric: Metric) -> Style {
        let values: Vec<Option<f64>> = self.table.values(metric);
        let finite: Vec<f64> = values.iter().flatten().copied().collect();
        let mut breaks = self.classes.breaks(&finite);
        let palette = self.palette.unwrap_or_default();
        let (min, max) = finite
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let mut note = format!("{}; (n) = seats", self.classes.label());
        let colours: Vec<&'static str> = if palette.scheme.is_diverging() {
            let centre = match self.centre.unwrap_or(Centre::National) {
                Centre::National => self.national(metric),
                Centre::Value(v) => v,
            };
            if min < centre && centre < max && !breaks.contains(&centre) {
                breaks.push(centre);
                breaks.sort_by(f64::total_cmp);
            }
            let below = breaks.iter().filter(|&&b| b <= centre).count();
            let above = breaks.len() + 1 - below;
            let _ = write!(
                note,
                "\nColours diverge at {}",
                format_value(centre, metric)
            );
            let c = palette.diverging_colours(below, above);
            if c.len() == breaks.len() + 1 {
                c
            } else {
                palette.colours(breaks.len() + 1)
            }
        } else {
            palette.colours(breaks.len() + 1)
        };
        // more classes than the scheme has colours (manual breaks): the top ones merge
        breaks.truncate(colours.len() - 1);
        let class_of = |v: f64| Classes::class_of(&breaks, v);
        let fills = values
            .iter()
            .map(|v| v.map_or("#dddddd", |v| colours[class_of(v)]).to_string())
            .collect();
        let shown = values
            .iter()
            .map(|v| v.map_or_else(|| "no value".to_string(), |v| format_value(v, metric)))
            .collect();
        let mut counts = vec![0usize; colours.len()];
        for &v in &finite {
            counts[class_of(v)] += 1;
        }
        let f = |v: f64| format_value(v, metric);
        let last = colours.len() - 1;
        let legend = colours
            .iter()
            .zip(counts)
            .enumerate()
            .map(|(i, (&colour, count))| {
                let lo = if i == 0 { min } else { breaks[i - 1] };
                let hi = breaks.get(i).copied().unwrap_or(max);
                let label = match i {
                    _ if last == 0 => format!("{} – {}", f(min), f(max)),
                    0 if lo >= hi => format!("≤ {}", f(hi)),
                    0 if lo == hi => f(lo),
                    0 => format!("{} – {}", f(lo), f(hi)),
                    _ if i == last && hi <= lo => format!("> {}", f(lo)),
                    _ => format!("> {} – {}", f(lo), f(hi)),
                };
                (colour.to_string(), label, count)
            })
            .collect();
        Style {
            fills,
            shown,
            title: metric.label().to_string(),
            legend,
            note,
        }
    }
}

/// The LISA map's colours, hover texts and legend.
fn lisa_style(seats: &[SeatAnalysis]) -> Style {
    use ClusterLabel::*;
    const LABELS: [(ClusterLabel, &str, &str); 6] = [
        (HighHigh, "#d7191c", "High-High (hot spot)"),
        (LowLow, "#2c7bb6", "Low-Low (cold spot)"),
        (LowHigh, "#abd9e9", "Low-High (outlier)"),
        (HighLow, "#fdae61", "High-Low (outlier)"),
        (NotSignificant, "#d3d3d3", "Not significant"),
        (Isolated, HATCH, "No neighbours"),
    ];
    let colour = |l: ClusterLabel| {
        LABELS
            .iter()
            .find(|(x, _, _)| *x == l)
            .map_or("#dddddd", |(_, c, _)| *c)
    };
    let labels: Vec<_> = seats.iter().map(SeatAnalysis::lisa_label).collect();
    let fills = labels
        .iter()
        .map(|l| l.map_or("#dddddd", colour).to_string())
        .collect();
    let shown = seats
        .iter()
        .map(|s| match s.spatial {
            Some(x) => match x.lisa_p_sim {
                Some(p) => format!("{} (pseudo p = {p})", x.lisa_label.name()),
                None => x.lisa_label.name().to_string(),
            },
            None => "no statistic".to_string(),
        })
        .collect();
    let legend = LABELS
        .iter()
        .map(|&(l, c, name)| {
            (
                c.to_string(),
                name.to_string(),
                labels.iter().filter(|&&x| x == Some(l)).count(),
            )
        })
        .collect();
    Style {
        fills,
        shown,
        title: "Local Moran clusters".to_string(),
        legend,
        note: "Signatures per 1,000 voters; significance by conditional permutation; (n) = seats"
            .to_string(),
    }
}

/// The Gi* map's colours, hover texts and legend.
fn gi_style(seats: &[SeatAnalysis]) -> Style {
    // ArcGIS Hot Spot Analysis colours, cold 99% .. hot 99%
    const BINS: [(i8, &str, &str); 7] = [
        (3, "#d62f27", "Hot spot, 99% confidence"),
        (2, "#ed7551", "Hot spot, 95% confidence"),
        (1, "#fab984", "Hot spot, 90% confidence"),
        (0, "#eeeeee", "Not significant"),
        (-1, "#c0ccbe", "Cold spot, 90% confidence"),
        (-2, "#849eba", "Cold spot, 95% confidence"),
        (-3, "#4575b5", "Cold spot, 99% confidence"),
    ];
    let spatial: Vec<Option<SeatSpatial>> = seats.iter().map(|s| s.spatial).collect();
    let by_p = spatial.iter().flatten().any(|x| x.gi_star_p_sim.is_some());
    let bin = |x: &Option<SeatSpatial>| -> Option<i8> {
        let x = (*x)?;
        if x.lisa_label == ClusterLabel::Isolated {
            return None;
        }
        let z = x.gi_star_z;
        let level = if by_p {
            match x.gi_star_p_sim? {
                p if p <= 0.01 => 3,
                p if p <= 0.05 => 2,
                p if p <= 0.10 => 1,
                _ => 0,
            }
        } else {
            match z.abs() {
                a if a >= 2.576 => 3,
                a if a >= 1.960 => 2,
                a if a >= 1.645 => 1,
                _ => 0,
            }
        };
        Some(if z < 0.0 { -level } else { level })
    };
    let bins: Vec<Option<i8>> = spatial.iter().map(bin).collect();
    let has_stat = spatial.iter().any(Option::is_some);
    let fills = bins
        .iter()
        .map(|b| match b {
            Some(b) => BINS
                .iter()
                .find(|x| x.0 == *b)
                .map_or("#dddddd", |x| x.1)
                .to_string(),
            None if has_stat => HATCH.to_string(),
            None => "#dddddd".to_string(),
        })
        .collect();
    let shown = spatial
        .iter()
        .map(|x| match x {
            Some(x) => match x.gi_star_p_sim {
                Some(p) => format!("Gi* z = {:.2} (pseudo p = {p})", x.gi_star_z),
                None => format!("Gi* z = {:.2}", x.gi_star_z),
            },
            None => "no statistic".to_string(),
        })
        .collect();
    let mut legend: Vec<(String, String, usize)> = BINS
        .iter()
        .map(|&(b, c, name)| {
            (
                c.to_string(),
                name.to_string(),
                bins.iter().filter(|&&x| x == Some(b)).count(),
            )
        })
        .collect();
    legend.push((
        HATCH.to_string(),
        "No neighbours".to_string(),
        bins.iter().filter(|b| b.is_none()).count(),
    ));
    Style {
        fills,
        shown,
        title: "Getis-Ord Gi* hot spots".to_string(),
        legend,
        note: if by_p {
            "Signatures per 1,000 voters; confidence from the pseudo p-value (esda); (n) = seats"
        } else {
            "Signatures per 1,000 voters; confidence from |z| at 1.65, 1.96, 2.58 (ArcGIS); (n) = seats"
        }
        .to_string(),
    }
}

fn tenths(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    if a.is_multiple_of(10) {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

/// A value with as many decimals as its size needs.
pub(super) fn format_value(v: f64, metric: Metric) -> String {
    if metric == Metric::Signatures {
        return thousands(v.round() as u64);
    }
    let decimals = match v.abs() {
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    format!("{v:.decimals$}")
}

/// One seat's path, with its name, code and shown value as a tooltip.
fn seat_path(body: &mut String, style: &Style, i: usize, d: &str, name: &str, code: &str) {
    let _ = writeln!(
        body,
        r#"<path fill="{}"{} d="{d}"><title>{} ({}): {}</title></path>"#,
        style.fills[i],
        outline(&style.fills[i]),
        xml(name),
        xml(code),
        xml(&style.shown[i])
    );
}

/// The legend at (`lx`, `top`): its title, a swatch per class with its count, and the
/// note; returns the y of its last line.
fn legend_svg(body: &mut String, style: &Style, lx: f64, top: f64) -> f64 {
    let mut ly = top;
    let _ = writeln!(
        body,
        r##"<text x="{lx}" y="{ly}" font-size="13" font-weight="bold" fill="#222222">{}</text>"##,
        xml(&style.title)
    );
    ly += 8.0;
    for (colour, label, count) in &style.legend {
        let _ = writeln!(
            body,
            r##"<rect x="{lx}" y="{ly}" width="18" height="14" fill="{colour}" stroke="#999999" stroke-width="0.5"/><text x="{}" y="{}" font-size="12" fill="#222222">{} <tspan fill="#777777">({count})</tspan></text>"##,
            lx + 24.0,
            ly + 11.5,
            xml(label)
        );
        ly += 20.0;
    }
    for line in style.note.lines().flat_map(|p| wrap(p, 44)) {
        ly += 13.0;
        let _ = writeln!(
            body,
            r##"<text x="{lx}" y="{ly}" font-size="10.5" fill="#777777">{}</text>"##,
            xml(&line)
        );
    }
    ly
}

/// A lon/lat box (west, south, east, north) as the display projection's bounding box.
fn projected_box(bbox: [f64; 4]) -> [f64; 4] {
    let proj = DisplayProjection::uk();
    let (ax, ay) = proj.project(bbox[0], bbox[1]);
    let (bx, by) = proj.project(bbox[2], bbox[3]);
    let (cx, cy) = proj.project(bbox[0], bbox[3]);
    let (dx, dy) = proj.project(bbox[2], bbox[1]);
    [ax.min(cx), ay.min(dy), bx.max(dx), by.max(cy)]
}

/// Greedy word wrap to lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

use super::xml_text as xml;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(thousands(5156603), "5,156,603");
        assert_eq!(thousands(12), "12");
        assert_eq!(tenths(-15), "-1.5");
        assert_eq!(tenths(20), "2");
        assert_eq!(wrap("a bb ccc dddd", 6), vec!["a bb", "ccc", "dddd"]);
        assert_eq!(xml("A & <B>"), "A &amp; &lt;B&gt;");
        assert_eq!("london".parse(), Ok(Inset::London));
        assert_eq!("national".parse(), Ok(Centre::National));
        assert_eq!("2.5".parse(), Ok(Centre::Value(2.5)));
        assert!(os_attribution(Some(Vintage::Pcon2010)).contains("2022"));
    }
}
