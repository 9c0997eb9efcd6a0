use crate::areas::Areas;
use crate::crs::DisplayProjection;
use crate::join::Table;
use crate::metrics::Metric;
use std::fmt::Write as _;
use std::io::{self, Write};

/// How values are grouped into colour classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Classes {
    /// Classes holding (about) equal numbers of areas; tied values stay together, so there
    /// may be fewer classes than asked for.
    Quantile(usize),
    /// Classes of equal width between the minimum and the maximum.
    Equal(usize),
}

impl Classes {
    /// The fewest and most classes a map can have (the colour ramp's range).
    pub const RANGE: std::ops::RangeInclusive<usize> = 2..=9;

    /// Upper bounds of every class but the last, ascending and distinct. The class count
    /// is clamped to [`Classes::RANGE`].
    ///
    /// # Examples
    /// ```
    /// use sigmap::Classes;
    /// let v = [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0];
    /// assert_eq!(Classes::Quantile(4).breaks(&v), vec![0.0, 2.0]);
    /// assert_eq!(Classes::Equal(4).breaks(&v), vec![1.0, 2.0, 3.0]);
    /// ```
    pub fn breaks(self, values: &[f64]) -> Vec<f64> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
            return Vec::new();
        };
        let mut breaks: Vec<f64> = match self.clamped() {
            Classes::Quantile(k) => (1..k)
                .map(|j| {
                    // nearest rank: the value at or just past the j/k quantile
                    let pos = (j * sorted.len()).div_ceil(k).max(1) - 1;
                    sorted[pos]
                })
                .collect(),
            Classes::Equal(k) => (1..k)
                .map(|j| min + (max - min) * j as f64 / k as f64)
                .collect(),
        };
        breaks.dedup();
        breaks.retain(|&b| b < max);
        breaks
    }
}

impl Classes {
    fn clamped(self) -> Classes {
        let clamp = |k: usize| k.clamp(*Classes::RANGE.start(), *Classes::RANGE.end());
        match self {
            Classes::Quantile(k) => Classes::Quantile(clamp(k)),
            Classes::Equal(k) => Classes::Equal(clamp(k)),
        }
    }

    /// The class (0-based) of a value, given [`Classes::breaks`]: values up to the first
    /// break are in class 0.
    fn class_of(breaks: &[f64], v: f64) -> usize {
        breaks.partition_point(|&b| v > b)
    }
}

impl std::str::FromStr for Classes {
    type Err = String;
    /// Parses `quantile:K` or `equal:K` (K in 2..=9); a bare `quantile` means 5 classes.
    fn from_str(s: &str) -> Result<Self, String> {
        let (kind, k) = s.split_once(':').unwrap_or((s, "5"));
        let k: usize = k
            .parse()
            .ok()
            .filter(|k| Classes::RANGE.contains(k))
            .ok_or_else(|| format!("invalid class count in `{s}` (expected 2 to 9)"))?;
        match kind {
            "quantile" => Ok(Classes::Quantile(k)),
            "equal" => Ok(Classes::Equal(k)),
            _ => Err(format!(
                "unknown classification `{kind}` (expected quantile:K or equal:K)"
            )),
        }
    }
}

/// ColorBrewer YlGnBu, 3 to 9 classes (Cynthia Brewer, Apache-2.0 licence).
const YLGNBU: [&[&str]; 7] = [
    &["#edf8b1", "#7fcdbb", "#2c7fb8"],
    &["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    &["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    &[
        "#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494",
    ],
    &[
        "#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84",
    ],
    &[
        "#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84",
    ],
    &[
        "#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494",
        "#081d58",
    ],
];

fn palette(classes: usize) -> Vec<&'static str> {
    match classes {
        0 | 1 => vec![YLGNBU[0][1]],
        2 => vec![YLGNBU[0][0], YLGNBU[0][2]],
        k => YLGNBU[k.min(9) - 3].to_vec(),
    }
}

/// The attribution every sigmap map carries.
pub const OGL_ATTRIBUTION: &str = "Contains public sector information licensed under the Open Government Licence v3.0. \
Boundaries: ONS, contains OS data © Crown copyright and database right. Election results: House of Commons Library, Open Parliament Licence v3.0.";

const WIDTH: f64 = 800.0;
const MAP_HEIGHT: f64 = 980.0;
const MARGIN: f64 = 20.0;
const HEADER: f64 = 92.0;
const FOOTER: f64 = 44.0;

/// A choropleth map of one metric as SVG: areas in a conformal projection, quantile (or
/// equal-interval) classes, a legend, a title and the OGL attribution line.
///
/// # Examples
/// ```
/// use sigmap::{Areas, Classes, Denominators, Metric, Petition, SvgMap, Table, Vintage};
/// let areas = Areas::shipped(Vintage::Pcon2024)?;
/// let denominators = Denominators::shipped(Vintage::Pcon2024)?;
/// let petition = Petition::from_str_named("E14001063,120\nN05000001,80\n", "two.csv")?;
/// let table = Table::join(&petition, &areas, &denominators)?;
/// let mut svg = Vec::new();
/// SvgMap::new(&table, &areas)
///     .metric(Metric::Per1kVoters)
///     .classes(Classes::Quantile(5))
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
    metric: Metric,
    classes: Classes,
    title: String,
    subtitle: Option<String>,
    lisa: bool,
}

impl<'a> SvgMap<'a> {
    /// A map of `table` drawn with the geometry of `areas` (the layer the table was joined
    /// to), by default signatures per 1,000 voters in 5 quantile classes.
    pub fn new(table: &'a Table, areas: &'a Areas) -> Self {
        SvgMap {
            table,
            areas,
            metric: Metric::Per1kVoters,
            classes: Classes::Quantile(5),
            title: String::new(),
            subtitle: None,
            lisa: false,
        }
    }

    /// The metric to map.
    pub fn metric(mut self, metric: Metric) -> Self {
        self.metric = metric;
        self
    }

    /// Draws the local Moran cluster labels (hot spots, cold spots, outliers) instead of a
    /// metric; the table must come from a [`crate::Report`], which computes them.
    pub fn lisa(mut self) -> Self {
        self.lisa = true;
        self
    }

    /// The classification.
    pub fn classes(mut self, classes: Classes) -> Self {
        self.classes = classes;
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

    /// Writes the SVG document.
    ///
    /// # Errors
    /// Any I/O error of `w`.
    pub fn write_to(self, mut w: impl Write) -> io::Result<()> {
        w.write_all(self.render().as_bytes())
    }

    /// The SVG document as a string.
    pub fn render(&self) -> String {
        let style = if self.lisa {
            self.lisa_style()
        } else {
            self.choropleth_style()
        };

        // Fit the layer's projected extent into the map box.
        let proj = DisplayProjection::uk();
        let projected: Vec<Vec<Vec<(f64, f64)>>> = self
            .areas
            .iter()
            .map(|a| {
                a.geometry
                    .iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .map(|ring| ring.coords().map(|c| proj.project(c.x, c.y)).collect())
                    .collect()
            })
            .collect();
        let (mut x0, mut y0, mut x1, mut y1) = (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        );
        for &(x, y) in projected.iter().flatten().flatten() {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        let map_width = WIDTH - 2.0 * MARGIN - 170.0; // room for the legend on the right
        let scale = if x1 > x0 && y1 > y0 {
            (map_width / (x1 - x0)).min(MAP_HEIGHT / (y1 - y0))
        } else {
            1.0
        };
        let height = HEADER + (y1 - y0).max(0.0) * scale + FOOTER + MARGIN;
        let to_px = |(x, y): (f64, f64)| (MARGIN + (x - x0) * scale, HEADER + (y1 - y) * scale);

        let mut s = String::with_capacity(1 << 20);
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="Helvetica, Arial, sans-serif">"#
        );
        let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
        let mut y = 30.0;
        for line in wrap(&self.title, 62).iter().take(2) {
            let _ = writeln!(
                s,
                r##"<text x="{MARGIN}" y="{y}" font-size="20" font-weight="bold" fill="#222">{}</text>"##,
                xml(line)
            );
            y += 24.0;
        }
        let subtitle = self.subtitle.clone().unwrap_or_else(|| {
            let c = &self.table.completeness;
            format!(
                "{}, by constituency · {} signatures, {} in a constituency",
                self.metric.label(),
                thousands(c.total),
                thousands(c.assigned)
            )
        });
        let _ = writeln!(
            s,
            r##"<text x="{MARGIN}" y="{y}" font-size="13" fill="#444">{}</text>"##,
            xml(&subtitle)
        );

        let _ = writeln!(
            s,
            r##"<g stroke="#ffffff" stroke-width="0.25" stroke-linejoin="round" fill-rule="evenodd">"##
        );
        for ((area, rings), (row, (fill, shown))) in self.areas.iter().zip(&projected).zip(
            self.table
                .rows
                .iter()
                .zip(style.fills.iter().zip(&style.shown)),
        ) {
            let mut d = String::new();
            for ring in rings {
                let mut last: Option<(i64, i64)> = None;
                let mut n = 0;
                for &pt in ring {
                    let (px, py) = to_px(pt);
                    // tenths of a pixel: drops vertices that would not show
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
            let _ = writeln!(
                s,
                r#"<path fill="{fill}" d="{d}"><title>{} ({}): {}</title></path>"#,
                xml(&area.name),
                xml(&row.code),
                shown
            );
        }
        s.push_str("</g>\n");

        // Legend: one swatch per class, top right over the North Sea.
        let lx = WIDTH - MARGIN - 215.0;
        let mut ly = HEADER + 40.0;
        let _ = writeln!(
            s,
            r##"<text x="{lx}" y="{ly}" font-size="13" font-weight="bold" fill="#222">{}</text>"##,
            xml(&style.title)
        );
        ly += 8.0;
        for (colour, label, count) in &style.legend {
            let _ = writeln!(
                s,
                r##"<rect x="{lx}" y="{ly}" width="18" height="14" fill="{colour}" stroke="#999" stroke-width="0.5"/><text x="{}" y="{}" font-size="12" fill="#222">{} <tspan fill="#777">({count})</tspan></text>"##,
                lx + 24.0,
                ly + 11.5,
                xml(label)
            );
            ly += 20.0;
        }
        let _ = writeln!(
            s,
            r##"<text x="{lx}" y="{}" font-size="11" fill="#777">{}</text>"##,
            ly + 6.0,
            xml(&style.note)
        );

        let mut fy = height - FOOTER + 12.0;
        for line in wrap(OGL_ATTRIBUTION, 120) {
            let _ = writeln!(
                s,
                r##"<text x="{MARGIN}" y="{fy}" font-size="9.5" fill="#666">{}</text>"##,
                xml(&line)
            );
            fy += 12.0;
        }
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{fy}" font-size="9.5" fill="#666" text-anchor="end">Made with sigmap · layer {}</text>"##,
            WIDTH - MARGIN,
            xml(&self.table.layer.name)
        );
        s.push_str("</svg>\n");
        s
    }
}

/// How areas are coloured and the legend that explains it.
struct Style {
    fills: Vec<&'static str>,
    shown: Vec<String>,
    title: String,
    legend: Vec<(&'static str, String, usize)>,
    note: String,
}

impl SvgMap<'_> {
    fn choropleth_style(&self) -> Style {
        let values: Vec<Option<f64>> = self.table.values(self.metric);
        let finite: Vec<f64> = values.iter().flatten().copied().collect();
        let breaks = self.classes.breaks(&finite);
        let colours = palette(breaks.len() + 1);
        let fills = values
            .iter()
            .map(|v| v.map_or("#dddddd", |v| colours[Classes::class_of(&breaks, v)]))
            .collect();
        let shown = values
            .iter()
            .map(|v| v.map_or_else(|| "no value".to_string(), |v| format_value(v, self.metric)))
            .collect();
        let (min, max) = finite
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let mut counts = vec![0usize; colours.len()];
        for &v in &finite {
            counts[Classes::class_of(&breaks, v)] += 1;
        }
        let f = |v: f64| format_value(v, self.metric);
        let legend = colours
            .iter()
            .zip(counts)
            .enumerate()
            .map(|(i, (&colour, count))| {
                let lo = if i == 0 { min } else { breaks[i - 1] };
                let hi = breaks.get(i).copied().unwrap_or(max);
                let label = match i {
                    0 if lo == hi => f(lo),
                    0 => format!("{} – {}", f(lo), f(hi)),
                    _ => format!("> {} – {}", f(lo), f(hi)),
                };
                (colour, label, count)
            })
            .collect();
        let kind = match self.classes {
            Classes::Quantile(_) => "Quantile classes",
            Classes::Equal(_) => "Equal-interval classes",
        };
        Style {
            fills,
            shown,
            title: self.metric.label().to_string(),
            legend,
            note: format!("{kind}; (n) = seats"),
        }
    }

    fn lisa_style(&self) -> Style {
        use crate::stats::ClusterLabel::*;
        const LABELS: [(crate::stats::ClusterLabel, &str); 6] = [
            (HighHigh, "#d7191c"),
            (LowLow, "#2c7bb6"),
            (HighLow, "#fdae61"),
            (LowHigh, "#abd9e9"),
            (NotSignificant, "#eeeeee"),
            (Isolated, "#bdbdbd"),
        ];
        let colour = |l| {
            LABELS
                .iter()
                .find(|(x, _)| *x == l)
                .map_or("#dddddd", |(_, c)| *c)
        };
        let labels: Vec<_> = self.table.rows.iter().map(|r| r.lisa_label).collect();
        let fills = labels.iter().map(|l| l.map_or("#dddddd", colour)).collect();
        let shown = self
            .table
            .rows
            .iter()
            .map(|r| match (r.lisa_label, r.lisa_p_sim) {
                (Some(l), Some(p)) => format!("{} (pseudo p = {p})", l.name()),
                (Some(l), None) => l.name().to_string(),
                _ => "no statistic".to_string(),
            })
            .collect();
        let legend = LABELS
            .iter()
            .map(|&(l, c)| {
                (
                    c,
                    l.name().to_string(),
                    labels.iter().filter(|&&x| x == Some(l)).count(),
                )
            })
            .collect();
        Style {
            fills,
            shown,
            title: "Local Moran clusters".to_string(),
            legend,
            note: "Per 1,000 voters; (n) = seats".to_string(),
        }
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
fn format_value(v: f64, metric: Metric) -> String {
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

/// Formats a count with thousands separators, as the terminal summary and maps show it.
///
/// ```
/// assert_eq!(sigmap::export::thousands(5_156_603), "5,156,603");
/// ```
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
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

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

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
    }

    #[test]
    fn class_parsing() {
        assert_eq!("quantile:7".parse(), Ok(Classes::Quantile(7)));
        assert_eq!("equal".parse(), Ok(Classes::Equal(5)));
        assert!("quantile:1".parse::<Classes>().is_err());
        assert!("jenks:5".parse::<Classes>().is_err());
    }

    #[test]
    fn quantile_breaks_split_evenly() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(Classes::Quantile(5).breaks(&v), vec![2.0, 4.0, 6.0, 8.0]);
        assert!(Classes::Quantile(5).breaks(&[]).is_empty());
        assert!(Classes::Quantile(5).breaks(&[3.0, 3.0]).is_empty());
        // out-of-range counts are clamped, so a map never runs out of colours
        assert_eq!(Classes::Quantile(40).breaks(&v).len(), 8);
        assert_eq!(Classes::Equal(0).breaks(&v).len(), 1);
        assert_eq!(Classes::class_of(&[2.0, 4.0], 2.0), 0);
        assert_eq!(Classes::class_of(&[2.0, 4.0], 2.5), 1);
        assert_eq!(Classes::class_of(&[2.0, 4.0], 9.0), 2);
    }
}
