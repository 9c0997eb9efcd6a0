use super::args::Format;
use sigmap::crs::{Envelope, PointCrs};
use sigmap::{Area, Areas, PointCounts, Report, Summary, thousands};
use std::io::{self, Write};
use std::path::PathBuf;

/// The terminal summary of `sigmap report`.
pub fn print_summary(w: &mut impl Write, report: &Report, written: &[PathBuf]) -> io::Result<()> {
    print_totals(w, report)?;
    print_clustering(w, &report.summary)?;
    print_unusual(w, &report.summary)?;
    print_notes(w, &report.summary)?;
    print_top_seats(w, &report.summary)?;
    if !written.is_empty() {
        writeln!(w)?;
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        writeln!(w, "Wrote {}", names.join(", "))?;
    }
    Ok(())
}

/// The petition's heading, its signatures, the areas and the codes that match none.
fn print_totals(w: &mut impl Write, report: &Report) -> io::Result<()> {
    let s = &report.summary;
    let c = &s.completeness;
    let p = &s.petition;
    let mut heading = p.title.clone();
    if let Some(id) = p.id {
        heading.push_str(&format!(" (petition {id}, {}", p.state));
        if let Some(updated) = &p.updated_at {
            let day: String = updated.chars().take(10).collect();
            heading.push_str(&format!(", counts of {day}"));
        }
        heading.push(')');
    }
    writeln!(w, "{heading}")?;
    let vintage = c
        .vintage
        .map_or("unknown".to_string(), |v| format!("{v} constituencies"));
    writeln!(
        w,
        "  Signatures         {} in total, {} from the UK",
        thousands(c.total),
        thousands(c.uk_total)
    )?;
    writeln!(
        w,
        "  In a constituency  {} ({:.1}% of the UK's); unassigned {}",
        thousands(c.assigned),
        c.assigned_pct,
        if c.unassigned < 0 {
            format!("-{}", thousands(c.unassigned.unsigned_abs()))
        } else {
            thousands(c.unassigned as u64)
        }
    )?;
    writeln!(
        w,
        "  Areas              {} listed of {} ({vintage}, layer {}); {} zero-filled",
        c.areas_listed,
        report.table.rows.len(),
        s.layer.name,
        c.zero_filled
    )?;
    if report.table.unmatched.is_empty() {
        writeln!(w, "  Unmatched codes    none")?;
    } else {
        const SHOW: usize = 8;
        let unmatched = &report.table.unmatched;
        let mut list: Vec<String> = unmatched
            .iter()
            .take(SHOW)
            .map(|u| format!("{} ({})", u.code, thousands(u.count)))
            .collect();
        if unmatched.len() > SHOW {
            list.push(format!(
                "... ({} more in summary.json)",
                unmatched.len() - SHOW
            ));
        }
        writeln!(
            w,
            "  Unmatched codes    {}: {}",
            unmatched.len(),
            list.join(", ")
        )?;
    }
    let election = s.election.map_or_else(String::new, |e| format!(" ({e})"));
    writeln!(
        w,
        "  Overall            {:.2} per 1,000 electors, {:.2} per 1,000 voters{election}",
        s.overall_per_1k_electors, s.overall_per_1k_voters
    )?;
    Ok(())
}

/// The clustering headline and the largest hot and cold spots, or why there are none.
fn print_clustering(w: &mut impl Write, s: &Summary) -> io::Result<()> {
    match (&s.clustering, &s.clustering_note) {
        (Some(cl), _) => {
            writeln!(w, "  Clustering         {}", cl.headline)?;
            for (what, regions) in [("Hot spots", &cl.hot_spots), ("Cold spots", &cl.cold_spots)] {
                if regions.is_empty() {
                    continue;
                }
                let list: Vec<String> = regions
                    .iter()
                    .take(3)
                    .map(|r| {
                        format!(
                            "{} seat{} around {} ({:.1} per 1k voters)",
                            r.seats,
                            if r.seats == 1 { "" } else { "s" },
                            r.name,
                            r.per_1k_voters
                        )
                    })
                    .collect();
                let more = regions.len().saturating_sub(3);
                let more = if more > 0 {
                    format!("; {more} more")
                } else {
                    String::new()
                };
                writeln!(w, "  {what:<18} {}{more}", list.join("; "))?;
            }
        }
        (None, Some(note)) => writeln!(w, "  Clustering         {note}")?,
        (None, None) => {}
    }
    Ok(())
}

/// Seats with unusually high or low support.
fn print_unusual(w: &mut impl Write, s: &Summary) -> io::Result<()> {
    if let Some(u) = &s.unusual {
        let names = |seats: &[sigmap::UnusualSeat]| -> String {
            let mut list: Vec<String> = seats.iter().take(3).map(|s| s.name.clone()).collect();
            if seats.len() > 3 {
                list.push(format!("{} more", seats.len() - 3));
            }
            list.join(", ")
        };
        let mut line = format!(
            "{} seat(s) unusually high, {} unusually low against the national rate per voter (overdispersion {:.1}, Benjamini-Hochberg at {})",
            u.high, u.low, u.dispersion, u.alpha
        );
        if !s.unusually_high.is_empty() {
            line.push_str(&format!("; high: {}", names(&s.unusually_high)));
        }
        if !s.unusually_low.is_empty() {
            line.push_str(&format!("; low: {}", names(&s.unusually_low)));
        }
        writeln!(w, "  Unusual support    {line}")?;
    }
    Ok(())
}

/// Notes on the input, and what the layer's geometry means for the numbers.
fn print_notes(w: &mut impl Write, s: &Summary) -> io::Result<()> {
    let c = &s.completeness;
    for note in &c.notes {
        writeln!(w, "  Note               {note}")?;
    }
    if !s.geometry_issues.is_empty() {
        writeln!(
            w,
            "  Geometry           {} area(s) of the layer have invalid geometry (overlapping parts or self-intersecting rings), used as they are; see summary.json",
            s.geometry_issues.len()
        )?;
    }
    for note in &s.empty_values {
        writeln!(w, "  Empty values       {note}")?;
    }
    if !s.overlaps.is_empty() {
        let pairs: Vec<String> = s
            .overlaps
            .iter()
            .take(3)
            .map(|o| format!("{} / {} ({:.3} km²)", o.a_name, o.b_name, o.area_km2))
            .collect();
        writeln!(
            w,
            "  Overlaps           {} pair(s) of areas overlap: {}{}; a point there counts in the first; see summary.json",
            s.overlaps.len(),
            pairs.join(", "),
            if s.overlaps.len() > 3 { ", ..." } else { "" }
        )?;
    }
    if !s.gaps.is_empty() {
        let total: f64 = s.gaps.iter().map(|g| g.area_km2).sum();
        writeln!(
            w,
            "  Gaps               {} gap(s) between areas inside the layer ({:.3} km² in all, the largest by {}): a point there is in no area; see summary.json",
            s.gaps.len(),
            total,
            s.gaps[0].around.join(", ")
        )?;
    }
    Ok(())
}

/// The top seats by signatures per 1,000 voters, with their plausible ranks.
fn print_top_seats(w: &mut impl Write, s: &Summary) -> io::Result<()> {
    writeln!(w)?;
    writeln!(
        w,
        "Top {} by signatures per 1,000 voters (turnout-normalised; plausible ranks cover 95% of simulated rankings)",
        s.top_per_1k_voters.len()
    )?;
    writeln!(
        w,
        "{:>4}  {:<9}  {:<9}  {:<36} {:>10}  {:<28} {:>10}  unusual",
        "rank",
        "plausibly",
        "code",
        "constituency",
        "signatures",
        "per 1k voters (95% interval)",
        "x expected"
    )?;
    for t in &s.top_per_1k_voters {
        let name: String = t.name.chars().take(36).collect();
        let plausible = match (t.rank_best, t.rank_worst) {
            (Some(lo), Some(hi)) if lo == hi => format!("{lo}"),
            (Some(lo), Some(hi)) => format!("{lo}-{hi}"),
            _ => "-".into(),
        };
        let rate = format!(
            "{:.2} ({:.2}-{:.2})",
            t.per_1k_voters, t.ci95_low_per_1k_voters, t.ci95_high_per_1k_voters
        );
        writeln!(
            w,
            "{:>4}  {:<9}  {:<9}  {:<36} {:>10}  {:<28} {:>10}  {}",
            t.rank,
            plausible,
            t.code,
            name,
            thousands(t.signatures),
            rate,
            t.obs_exp.map_or("-".into(), |r| format!("{r:.2}")),
            t.unusual.map_or("", |d| d.name())
        )?;
    }
    Ok(())
}

/// The terminal summary of `sigmap stats`.
pub fn print_stats(w: &mut impl Write, r: &sigmap::stats::StatsReport) -> io::Result<()> {
    use sigmap::stats::ClusterLabel;
    let wt = &r.weights;
    let attached = match wt.island_policy {
        sigmap::IslandPolicy::Attach(k) => format!(
            " ({} island(s) attached to their {k} nearest)",
            wt.attached_islands.len()
        ),
        _ => String::new(),
    };
    writeln!(
        w,
        "Layer {} ({} areas); {} weights{attached}: {} links, {} island(s), {} component(s)",
        r.layer.name,
        wt.n,
        wt.kind,
        wt.s0,
        wt.islands.len(),
        wt.components
    )?;
    let p_sim = |p: Option<f64>| p.map_or_else(|| "-".to_string(), |p| p.to_string());
    let m = &r.moran;
    writeln!(
        w,
        "Moran's I   {:.6}  (E[I] {:.6}, z_norm {:.3}, p_norm {:.3e}, z_rand {:.3}, p_rand {:.3e}, p_sim {})",
        m.i,
        m.ei,
        m.z_norm,
        m.p_norm,
        m.z_rand,
        m.p_rand,
        p_sim(m.p_sim)
    )?;
    let g = &r.geary;
    writeln!(
        w,
        "Geary's C   {:.6}  (z_norm {:.3}, p_norm {:.3e})",
        g.c, g.z_norm, g.p_norm
    )?;
    match (&r.getis_ord, &r.getis_ord_note) {
        (Some(go), _) => writeln!(
            w,
            "General G   {:.6e}  (E[G] {:.6e}, z_norm {:.3}, p_norm {:.3e})",
            go.g, go.eg, go.z_norm, go.p_norm
        )?,
        (None, note) => writeln!(
            w,
            "General G   -  ({})",
            note.as_deref().unwrap_or("not computed")
        )?,
    }
    let count = |l: ClusterLabel| r.local.iter().filter(|x| x.lisa_label == l).count();
    let thresholds = match (r.fdr_threshold, r.bonferroni_threshold) {
        (Some(fdr), Some(bonferroni)) => {
            format!(" (FDR threshold {fdr:.4}, Bonferroni {bonferroni:.2e})")
        }
        _ => " (no pseudo p-values)".to_string(),
    };
    writeln!(
        w,
        "LISA at {}: High-High {}, Low-Low {}, High-Low {}, Low-High {}, not significant {}, isolated {}{thresholds}",
        r.alpha,
        count(ClusterLabel::HighHigh),
        count(ClusterLabel::LowLow),
        count(ClusterLabel::HighLow),
        count(ClusterLabel::LowHigh),
        count(ClusterLabel::NotSignificant),
        count(ClusterLabel::Isolated),
    )
}

/// What `sigmap locate` prints.
pub fn print_located(
    w: &mut impl Write,
    format: Format,
    area: &Area,
    distance_km: f64,
) -> io::Result<()> {
    match format {
        Format::Table if distance_km > 0.0 => writeln!(
            w,
            "{}  {}  (nearest, {distance_km:.2} km away)",
            area.code, area.name
        ),
        Format::Table => writeln!(w, "{}  {}", area.code, area.name),
        Format::Csv => {
            let mut c = csv::Writer::from_writer(w);
            c.write_record(["code", "name", "distance_km"])?;
            c.write_record([&area.code, &area.name, &distance_km.to_string()])?;
            c.flush()
        }
        Format::Json => writeln!(
            w,
            "{}",
            serde_json::json!({
                "code": area.code,
                "name": area.name,
                "distance_km": distance_km,
                "snapped": distance_km > 0.0,
            })
        ),
    }
}

/// What messages call the envelope: "the UK", or the layer's extent.
pub fn envelope_name(envelope: &Envelope) -> &'static str {
    if envelope.is_uk() {
        "the UK"
    } else {
        "the layer's extent"
    }
}

/// The result of `sigmap join-points`, ready to print or write.
pub struct JoinedPoints<'a> {
    pub areas: &'a Areas,
    pub counts: &'a PointCounts,
    /// Points outside the envelope (or their system's grid).
    pub outside: u64,
    pub envelope: Envelope,
    pub crs: PointCrs,
    pub columns: (&'a str, &'a str),
    /// Whether the points in no area were looked for in gaps between areas (`in_gaps`).
    pub gaps_searched: bool,
}

impl JoinedPoints<'_> {
    /// `code,name,count` for every area, in layer order.
    pub fn write_csv(&self, w: &mut impl Write) -> io::Result<()> {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(["code", "name", "count"])?;
        for (area, n) in self.areas.iter().zip(&self.counts.counts) {
            c.write_record([&area.code, &area.name, &n.to_string()])?;
        }
        c.flush()
    }

    /// One line of accounting: where every point went.
    pub fn accounting(&self) -> String {
        let c = self.counts;
        let mut s = format!(
            "{} points ({} from columns {}, {}): {} in an area",
            thousands(c.points),
            self.crs,
            self.columns.0,
            self.columns.1,
            thousands(c.matched),
        );
        if c.snapped > 0 {
            s.push_str(&format!(
                " ({} snapped to the nearest)",
                thousands(c.snapped)
            ));
        }
        s.push_str(&format!(
            ", {} in none ({} outside {})",
            thousands(c.unmatched),
            thousands(self.outside),
            envelope_name(&self.envelope)
        ));
        if c.overlaps > 0 {
            s.push_str(&format!(
                "; {} in overlapping areas, counted in the first",
                thousands(c.overlaps)
            ));
        }
        if !self.gaps_searched && c.unmatched > 0 {
            s.push_str("; gaps between areas not looked for (--no-gaps)");
        } else if c.in_gaps > 0 {
            s.push_str(&format!(
                "; {} of those in none fell in gaps between areas, inside the layer's outline",
                thousands(c.in_gaps)
            ));
        }
        s
    }

    pub fn print_table(
        &self,
        w: &mut impl Write,
        written: Option<&std::path::Path>,
    ) -> io::Result<()> {
        writeln!(w, "{}", self.accounting())?;
        let mut order: Vec<usize> = (0..self.areas.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.counts.counts[i]), i));
        let with_points = self.counts.counts.iter().filter(|&&n| n > 0).count();
        writeln!(
            w,
            "Areas with points: {with_points} of {} ({})",
            self.areas.len(),
            self.areas.layer.name
        )?;
        for &i in order
            .iter()
            .take(10)
            .filter(|&&i| self.counts.counts[i] > 0)
        {
            let a = &self.areas[i];
            writeln!(
                w,
                "  {:>9}  {}  {}",
                thousands(self.counts.counts[i]),
                a.code,
                a.name
            )?;
        }
        match written {
            Some(path) => writeln!(
                w,
                "Wrote {} (code,name,count for every area)",
                path.display()
            ),
            None => writeln!(w, "(every area: --format csv or -o F.csv)"),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let c = self.counts;
        serde_json::json!({
            "layer": self.areas.layer,
            "crs": self.crs.to_string(),
            "columns": [self.columns.0, self.columns.1],
            "points": c.points,
            "matched": c.matched,
            "snapped": c.snapped,
            "unmatched": c.unmatched,
            "outside": self.outside,
            "envelope": self.envelope,
            "envelope_is_uk": self.envelope.is_uk(),
            "overlaps": c.overlaps,
            "in_gaps": self.gaps_searched.then_some(c.in_gaps),
            "areas": self.areas.iter().zip(&c.counts).map(|(a, n)| serde_json::json!({
                "code": a.code, "name": a.name, "count": n
            })).collect::<Vec<_>>(),
        })
    }
}

/// Standard output for what a command prints in `format`: for people (`table`), control
/// characters from titles, names and codes are shown as escapes (`\u{1b}`), newlines
/// kept; CSV and JSON go out as they are (JSON escapes them itself).
pub fn terminal(format: Format) -> Box<dyn Write> {
    let out = io::stdout().lock();
    match format {
        Format::Table => Box::new(Printable {
            inner: out,
            pending_c2: false,
        }),
        Format::Csv | Format::Json => Box::new(out),
    }
}

/// A writer that escapes control characters byte by byte: C0 controls and DEL (single
/// bytes in UTF-8) and C1 controls (`C2 80` to `C2 9F`, which a terminal may read as CSI),
/// whatever the chunks they arrive in.
struct Printable<W: Write> {
    inner: W,
    /// The last byte written was 0xC2, held back until the next one shows what it starts.
    pending_c2: bool,
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        for &b in buf {
            if std::mem::take(&mut self.pending_c2) {
                if (0x80..=0x9f).contains(&b) {
                    out.extend_from_slice(format!("\\u{{{b:x}}}").as_bytes());
                    continue;
                }
                out.push(0xc2);
            }
            match b {
                b'\n' | b'\t' => out.push(b),
                0x00..=0x1f | 0x7f => out.extend_from_slice(format!("\\u{{{b:x}}}").as_bytes()),
                0xc2 => self.pending_c2 = true,
                _ => out.push(b),
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.pending_c2) {
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Printable<W> {
    fn drop(&mut self) {
        // best effort, as BufWriter's drop
        let _ = self.flush();
    }
}
