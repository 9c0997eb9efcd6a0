//! The HTML of the site's pages. Every link is relative to the page (`root` is the way
//! back to the site's folder: `""`, `"../"` or `"../../"`).

use super::{DETAILS, Digest, Entry, Figures, Layer, seat_dir};
use crate::export::{HtmlMap, MAP_CSS, OGL_ATTRIBUTION, PAGE_CSS, os_attribution, xml_text};
use crate::inputs::code::Vintage;
use crate::jobs::analysis::Analysis;
use crate::jobs::profile::{NeighbourRate, PetitionProfile, facts, fold_name};
use crate::table::analysis::SeatAnalysis;
use crate::text::thousands;
use std::fmt::Write as _;

/// The one style sheet of the site (`style.css`): the map's, the map page's, and the
/// site's own rules. One file rather than a `<style>` in each page: 650 seat pages share
/// it from the browser's cache, and a newsroom restyles the whole site in one place.
pub(super) fn style() -> String {
    format!("{MAP_CSS}{PAGE_CSS}{}", include_str!("site.css"))
}

/// How many seats each list of unusual support shows.
const UNUSUAL_SHOWN: usize = 15;
/// How many seats the top-seats table lists.
const TOP: usize = 20;

fn esc(s: &str) -> String {
    xml_text(s)
}

/// Which seats a set's pages use, in words.
fn set_name(v: Vintage) -> &'static str {
    match v {
        Vintage::Pcon2024 => "the 2024 constituencies (in use since the July 2024 election)",
        Vintage::Pcon2010 => "the 2010 constituencies (in use from 2010 to May 2024)",
    }
}

fn rate(v: f64) -> String {
    format!("{v:.2}")
}

fn plausible(low: Option<u32>, high: Option<u32>) -> String {
    match (low, high) {
        (Some(l), Some(h)) if l != h => format!("{l}–{h}"),
        (Some(l), Some(_)) => l.to_string(),
        _ => "–".to_string(),
    }
}

/// A page's head, its breadcrumb trail, heading and lead paragraphs, and `<main>`.
fn open(s: &mut String, root: &str, title: &str, crumbs: &[(&str, String)], lead: &[String]) {
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"sigmap {}\">\n<title>{}</title>\n\
         <link rel=\"stylesheet\" href=\"{root}style.css\">\n</head>\n<body>\n\
         <a class=\"sm-skip\" href=\"#main\">Skip to the content</a>\n<header class=\"sm-page-head\">\n",
        env!("CARGO_PKG_VERSION"),
        esc(title),
    );
    if !crumbs.is_empty() {
        s.push_str("<nav class=\"st-nav\" aria-label=\"Breadcrumb\"><ol>");
        for (label, href) in crumbs {
            let _ = write!(s, "<li><a href=\"{}\">{}</a></li>", esc(href), esc(label));
        }
        s.push_str("</ol></nav>\n");
    }
    let _ = writeln!(s, "<h1>{}</h1>", esc(title));
    for p in lead {
        let _ = writeln!(s, "<p>{p}</p>");
    }
    s.push_str("</header>\n<main id=\"main\">\n");
}

fn close(s: &mut String, lines: &[String]) {
    s.push_str("</main>\n<footer class=\"sm-page-foot\">");
    for line in lines {
        let _ = write!(s, "<p>{}</p>", esc(line));
    }
    let _ = writeln!(
        s,
        "<p>Made with sigmap {}</p></footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
}

/// The link to a seat's page from a page `root` away from the site's folder.
fn seat_href(root: &str, vintage: Vintage, code: &str) -> String {
    format!("{root}{}/{code}.html", seat_dir(vintage))
}

fn seat_link(root: &str, vintage: Vintage, code: &str, name: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        esc(&seat_href(root, vintage, code)),
        esc(name)
    )
}

/// The petition's number and title, for headings and links.
fn petition_title(d: &Digest) -> String {
    d.info.title.clone()
}

/// The index: the petitions, grouped by the set their pages use.
pub(super) fn index(title: &str, layers: &[Layer], digests: &[Digest]) -> String {
    let mut s = String::with_capacity(4096 + 1024 * digests.len());
    let sets = if layers.len() > 1 {
        " Petitions counted on different constituency sets are kept apart: each set has its own constituency pages (re-express the 2010 counts on the 2024 seats with --to 2024 to put them all on one)."
    } else {
        ""
    };
    open(
        &mut s,
        "",
        title,
        &[],
        &[format!(
            "{} petition{}: where their signatures come from, constituency by constituency, per 1,000 people who voted there.{sets}",
            thousands(digests.len() as u64),
            if digests.len() == 1 { "" } else { "s" }
        )],
    );
    for layer in layers {
        let v = layer.vintage;
        let mine: Vec<&Digest> = digests.iter().filter(|d| d.vintage == v).collect();
        let estimated = mine.iter().filter(|d| d.estimated).count();
        let _ = writeln!(
            s,
            "<section class=\"sm-section\" aria-labelledby=\"set-{v}\">\n<h2 id=\"set-{v}\">On {}</h2>",
            set_name(v)
        );
        let mut note = format!(
            "<a href=\"{}/index.html\">All {} constituencies of this set</a>, each with its page across these petitions.",
            seat_dir(v),
            layer.analyser.areas().len()
        );
        if estimated > 0 {
            let _ = write!(
                note,
                " {estimated} of these petitions were counted on the 2010 constituencies: their counts here are estimates, re-expressed on the 2024 seats."
            );
        }
        let _ = writeln!(s, "<p>{note}</p>\n<ul class=\"st-cards\">");
        for d in mine {
            card(&mut s, d);
        }
        s.push_str("</ul>\n</section>\n");
    }
    close(&mut s, &[OGL_ATTRIBUTION.to_string()]);
    s
}

fn card(s: &mut String, d: &Digest) {
    let slug = &d.slug;
    let _ = write!(
        s,
        "<li class=\"st-card\"><a class=\"st-card-link\" href=\"petitions/{slug}.html\"><img src=\"petitions/{slug}/thumbnail.svg\" alt=\"\" width=\"120\" height=\"160\" loading=\"lazy\"><span>{}</span></a>\n<p class=\"st-meta\">{}{} · {} signatures</p>\n",
        esc(&petition_title(d)),
        d.info
            .id
            .map_or(String::new(), |id| format!("Petition {id} · ")),
        esc(&d.info.state),
        thousands(d.total),
    );
    if let Some((code, name, r)) = &d.top {
        let _ = writeln!(
            s,
            "<p>Highest: {}, {} per 1,000 voters (all seats: {})</p>",
            seat_link("", d.vintage, code, name),
            rate(*r),
            rate(d.national_per_1k_voters)
        );
    }
    if let Some((i, p)) = d.moran {
        let p = p.map_or(String::new(), |p| format!(", pseudo p = {p:.3}"));
        let _ = writeln!(s, "<p>Moran's I = {i:.3}{p}</p>");
    }
    s.push_str("</li>\n");
}

/// A petition's page.
pub(super) fn petition_page(
    entry: &Entry,
    layer: &Layer,
    analysis: &Analysis,
    map: &HtmlMap<'_>,
) -> String {
    let root = "../";
    let v = layer.vintage;
    let summary = &analysis.summary;
    let table = &analysis.table;
    let c = &table.completeness;
    let p = &summary.petition;
    let mut s = String::with_capacity(1 << 21);
    let mut lead = vec![format!(
        "{}{} · {} signatures, {} of them in a constituency ({:.1}% of the UK's {})",
        p.id.map_or(String::new(), |id| format!("Petition {id} · ")),
        esc(&p.state),
        thousands(c.total),
        thousands(c.assigned),
        c.assigned_pct,
        thousands(c.uk_total)
    )];
    lead.push(if entry.petition.crosswalk.is_some() {
        format!(
            "Counted on the 2010 constituencies and re-expressed on {}: the seat figures are estimates. The constituency links go to the 2024 seats.",
            set_name(v)
        )
    } else {
        format!(
            "Mapped on {}; the constituency links go to those seats' pages.",
            set_name(v)
        )
    });
    if let Some(url) = &p.url {
        // the address as text, not a link: every link of the site stays inside it
        lead.push(format!("The petition: {}", esc(url)));
    }
    open(
        &mut s,
        root,
        &p.title,
        &[("All petitions", format!("{root}index.html"))],
        &lead,
    );
    key_numbers(&mut s, root, v, summary);
    // the map
    let _ = writeln!(
        s,
        "<section class=\"sm-section\" aria-labelledby=\"map-h\">\n<h2 id=\"map-h\">Map</h2>"
    );
    s.push_str(&map.render_fragment());
    s.push_str("</section>\n");
    top_seats(&mut s, root, v, analysis);
    clusters(&mut s, root, v, analysis);
    unusual(&mut s, root, v, analysis);
    downloads(&mut s, &entry.slug);
    // caveats: the same list as the map page of `sigmap map`
    s.push_str("<section class=\"sm-section\" aria-labelledby=\"caveats\">\n<h2 id=\"caveats\">About these numbers</h2>\n<ul>\n");
    for line in map.caveat_lines() {
        let _ = writeln!(s, "<li>{}</li>", esc(&line));
    }
    s.push_str("</ul>\n</section>\n");
    all_seats(&mut s, root, v, analysis);
    close(
        &mut s,
        &[format!(
            "Layer {} · electors and voters: {}",
            table.layer.name, table.denominators_source
        )],
    );
    s
}

/// A petition's page: the key numbers (rates of all seats, the highest seat, clustering,
/// unusual support, the ranking's method).
fn key_numbers(s: &mut String, root: &str, v: Vintage, summary: &crate::jobs::summary::Summary) {
    s.push_str("<section class=\"sm-section\" aria-labelledby=\"key\">\n<h2 id=\"key\">Key numbers</h2>\n<dl class=\"st-facts\">\n");
    let mut fact = |k: &str, v: String| {
        let _ = writeln!(s, "<dt>{k}</dt><dd>{v}</dd>");
    };
    fact(
        "All seats",
        format!(
            "{} signatures per 1,000 voters ({} per 1,000 electors)",
            rate(summary.overall_per_1k_voters),
            rate(summary.overall_per_1k_electors)
        ),
    );
    if let Some(t) = summary.top_per_1k_voters.first() {
        fact(
            "Highest",
            format!(
                "{}: {} per 1,000 voters, {:.1} times the rate of all seats",
                seat_link(root, v, &t.code, &t.name),
                rate(t.per_1k_voters),
                if summary.overall_per_1k_voters > 0.0 {
                    t.per_1k_voters / summary.overall_per_1k_voters
                } else {
                    0.0
                }
            ),
        );
    }
    match (&summary.clustering, &summary.clustering_note) {
        (Some(cl), _) => {
            fact(
                "Clustering",
                format!(
                    "{} (Moran's I = {:.3}{})",
                    esc(&cl.headline),
                    cl.moran.i,
                    cl.moran
                        .p_sim
                        .map_or(String::new(), |p| format!(", pseudo p = {p:.3}"))
                ),
            );
        }
        (None, Some(note)) => fact("Clustering", esc(note)),
        (None, None) => {}
    }
    if let Some(u) = &summary.unusual {
        fact(
            "Unusual support",
            format!(
                "{} seats unusually high, {} unusually low against the rate of all seats (overdispersion φ = {:.1})",
                u.high, u.low, u.dispersion
            ),
        );
    }
    fact("Ranking", esc(&summary.ranking));
    s.push_str("</dl>\n</section>\n");
}

fn seat_row_cells(
    s: &mut String,
    root: &str,
    v: Vintage,
    row: &crate::table::join::Row,
    seat: &SeatAnalysis,
) {
    let iv = seat.rank_interval;
    let _ = writeln!(
        s,
        "<td class=\"sm-n\">{}</td><td>{}</td><th scope=\"row\">{}</th><td class=\"sm-n\">{}</td><td class=\"sm-n\">{}</td><td>{} – {}</td><td>{}</td><td>{}</td></tr>",
        row.rank_per_1k_voters,
        plausible(iv.map(|i| i.best), iv.map(|i| i.worst)),
        seat_link(root, v, &row.code, &row.name),
        thousands(row.signatures),
        rate(row.per_1k_voters),
        rate(row.ci95_low_per_1k_voters),
        rate(row.ci95_high_per_1k_voters),
        seat.lisa_label().map_or("–", |l| l.name()),
        seat.excess.and_then(|e| e.flag).map_or("–", |d| d.name()),
    );
}

const SEAT_HEAD: &str = "<thead><tr><th scope=\"col\" class=\"sm-n\">Rank</th><th scope=\"col\">Plausible ranks</th><th scope=\"col\">Constituency</th><th scope=\"col\" class=\"sm-n\">Signatures</th><th scope=\"col\" class=\"sm-n\">Per 1,000 voters</th><th scope=\"col\">95% interval</th><th scope=\"col\">Local Moran</th><th scope=\"col\">Unusual support</th></tr></thead>\n<tbody>\n";

fn ranked(analysis: &Analysis) -> Vec<usize> {
    let rows = &analysis.table.rows;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        rows[a]
            .rank_per_1k_voters
            .cmp(&rows[b].rank_per_1k_voters)
            .then_with(|| rows[a].name.cmp(&rows[b].name))
    });
    order
}

fn top_seats(s: &mut String, root: &str, v: Vintage, analysis: &Analysis) {
    let order = ranked(analysis);
    let n = TOP.min(order.len());
    let _ = write!(
        s,
        "<section class=\"sm-section\" aria-labelledby=\"top\">\n<h2 id=\"top\">Top {n} constituencies</h2>\n<p>By signatures per 1,000 voters. Seats whose plausible ranks overlap cannot be told apart: the counts are noisy.</p>\n<div class=\"sm-table\"><table>\n<caption>The {n} constituencies with the most signatures per 1,000 voters</caption>\n{SEAT_HEAD}"
    );
    for &i in &order[..n] {
        s.push_str("<tr>");
        seat_row_cells(s, root, v, &analysis.table.rows[i], &analysis.seats[i]);
    }
    s.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn all_seats(s: &mut String, root: &str, v: Vintage, analysis: &Analysis) {
    let order = ranked(analysis);
    let _ = write!(
        s,
        "<section class=\"sm-section\" aria-labelledby=\"all\">\n<h2 id=\"all\">Every constituency</h2>\n<details>\n<summary>All {} constituencies by signatures per 1,000 voters</summary>\n<div class=\"sm-table\"><table>\n<caption>Every constituency, by signatures per 1,000 voters</caption>\n{SEAT_HEAD}",
        order.len()
    );
    for &i in &order {
        s.push_str("<tr>");
        seat_row_cells(s, root, v, &analysis.table.rows[i], &analysis.seats[i]);
    }
    s.push_str("</tbody>\n</table></div>\n</details>\n</section>\n");
}

fn clusters(s: &mut String, root: &str, v: Vintage, analysis: &Analysis) {
    s.push_str("<section class=\"sm-section\" aria-labelledby=\"spots\">\n<h2 id=\"spots\">Hot and cold spots</h2>\n");
    let Some(c) = &analysis.summary.clustering else {
        let _ = writeln!(
            s,
            "<p>{}</p>\n</section>",
            esc(analysis
                .summary
                .clustering_note
                .as_deref()
                .unwrap_or("No clustering statistics."))
        );
        return;
    };
    let _ = writeln!(
        s,
        "<p>Groups of neighbouring seats where support is high among high (hot spots) or low among low (cold spots), by local Moran's I at p ≤ {} ({} hot, {} cold, {} isolated seats without neighbours).</p>",
        c.alpha, c.labels.high_high, c.labels.low_low, c.labels.isolated
    );
    let names: std::collections::HashMap<&str, &str> = analysis
        .table
        .rows
        .iter()
        .map(|r| (r.code.as_str(), r.name.as_str()))
        .collect();
    for (heading, list) in [("Hot spots", &c.hot_spots), ("Cold spots", &c.cold_spots)] {
        let _ = writeln!(s, "<h3>{heading}</h3>");
        if list.is_empty() {
            s.push_str("<p>None.</p>\n");
            continue;
        }
        s.push_str("<ul class=\"st-regions\">\n");
        for r in list {
            let members: Vec<String> = r
                .codes
                .iter()
                .map(|code| {
                    seat_link(
                        root,
                        v,
                        code,
                        names.get(code.as_str()).unwrap_or(&code.as_str()),
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                "<li><strong>{} seat{} around {}</strong>: {} per 1,000 voters together. {}</li>",
                r.seats,
                if r.seats == 1 { "" } else { "s" },
                esc(&r.name),
                rate(r.per_1k_voters),
                members.join(", ")
            );
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");
}

fn unusual(s: &mut String, root: &str, v: Vintage, analysis: &Analysis) {
    let summary = &analysis.summary;
    s.push_str("<section class=\"sm-section\" aria-labelledby=\"unusual\">\n<h2 id=\"unusual\">Unusual support</h2>\n");
    let Some(u) = &summary.unusual else {
        s.push_str(
            "<p>Not tested: the petition has no signature in a constituency.</p>\n</section>\n",
        );
        return;
    };
    let _ = writeln!(
        s,
        "<p>Seats whose signatures differ from what the rate of all seats ({} per 1,000 voters) predicts by more than chance and the usual spread between seats allow (overdispersion-adjusted z, Benjamini-Hochberg q ≤ {}).</p>",
        rate(u.national_per_1k),
        u.alpha
    );
    for (heading, list) in [
        ("Unusually high", &summary.unusually_high),
        ("Unusually low", &summary.unusually_low),
    ] {
        let _ = writeln!(s, "<h3>{heading} ({})</h3>", list.len());
        if list.is_empty() {
            s.push_str("<p>None.</p>\n");
            continue;
        }
        let _ = writeln!(
            s,
            "<div class=\"sm-table\"><table>\n<caption>{heading}, most unusual first{}</caption>\n<thead><tr><th scope=\"col\">Constituency</th><th scope=\"col\" class=\"sm-n\">Signatures</th><th scope=\"col\" class=\"sm-n\">Expected</th><th scope=\"col\" class=\"sm-n\">Observed / expected</th><th scope=\"col\" class=\"sm-n\">z</th></tr></thead>\n<tbody>",
            if list.len() > UNUSUAL_SHOWN {
                format!(" (the first {UNUSUAL_SHOWN} of {})", list.len())
            } else {
                String::new()
            }
        );
        for seat in list.iter().take(UNUSUAL_SHOWN) {
            let _ = writeln!(
                s,
                "<tr><th scope=\"row\">{}</th><td class=\"sm-n\">{}</td><td class=\"sm-n\">{:.0}</td><td class=\"sm-n\">{:.2}</td><td class=\"sm-n\">{:.1}</td></tr>",
                seat_link(root, v, &seat.code, &seat.name),
                thousands(seat.signatures),
                seat.expected,
                seat.obs_exp,
                seat.z
            );
        }
        s.push_str("</tbody>\n</table></div>\n");
    }
    s.push_str("</section>\n");
}

fn downloads(s: &mut String, slug: &str) {
    s.push_str("<section class=\"sm-section\" aria-labelledby=\"downloads\">\n<h2 id=\"downloads\">Download the data</h2>\n<ul>\n");
    let mut files = vec![
        ("areas.csv", "every constituency's figures, as CSV"),
        (
            "areas.geojson",
            "the same with the boundaries, as GeoJSON (for QGIS, Datawrapper, Flourish)",
        ),
    ];
    if cfg!(feature = "polars") {
        files.push((
            "areas.parquet",
            "the same as Parquet (for pandas, polars, DuckDB)",
        ));
    }
    files.push((
        "summary.json",
        "the report's summary: totals, top seats, clustering statistics",
    ));
    for (name, what) in files {
        let _ = writeln!(
            s,
            "<li><a href=\"{slug}/{name}\" download>{name}</a>: {what}</li>"
        );
    }
    s.push_str("</ul>\n<p>Column names and meanings are those of <code>sigmap report</code>.</p>\n</section>\n");
}

/// A seat's page: the MP's-office view across the petitions of its set.
pub(super) fn seat_page(layer: &Layer, i: usize, mp: Option<&str>, digests: &[&Digest]) -> String {
    let v = layer.vintage;
    let root = match v {
        Vintage::Pcon2024 => "../",
        Vintage::Pcon2010 => "../../",
    };
    let areas = layer.analyser.areas();
    let area = &areas[i];
    let neighbours: &[u32] = layer.queen.neighbours(i);
    let mut s = String::with_capacity(32 * 1024 + 256 * digests.len());
    let mut lead = vec![format!(
        "{}{}{}",
        match v {
            Vintage::Pcon2024 => "Constituency of the 2024 set",
            Vintage::Pcon2010 => "Constituency of the 2010 set (used from 2010 to May 2024)",
        },
        mp.map_or(String::new(), |m| format!(" · MP: {}", esc(m))),
        layer
            .parties
            .get(&area.code)
            .map_or(String::new(), |p| format!(
                " · won by {} at {}",
                esc(p),
                v.election()
            ))
    )];
    if digests.iter().any(|d| d.estimated) {
        lead.push("Petitions counted on the 2010 constituencies are re-expressed on these seats: their figures here are estimates.".into());
    }
    open(
        &mut s,
        root,
        &format!("{} ({})", area.name, area.code),
        &[
            ("All petitions", format!("{root}index.html")),
            ("Constituencies", "index.html".to_string()),
        ],
        &lead,
    );
    where_section(&mut s, layer, i, neighbours);
    // every petition, by the seat's rate
    let mut order: Vec<&Digest> = digests.to_vec();
    order.sort_by(|a, b| {
        b.seats[i]
            .per_1k_voters
            .total_cmp(&a.seats[i].per_1k_voters)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    petitions_table(&mut s, root, &area.name, i, &order);
    details_section(&mut s, root, layer, i, neighbours, &order);
    close(
        &mut s,
        &[OGL_ATTRIBUTION.to_string(), os_attribution(Some(v))],
    );
    s
}

/// The seat's page, "Where": the seat and its neighbours on a small map, and their list.
fn where_section(s: &mut String, layer: &Layer, i: usize, neighbours: &[u32]) {
    let areas = layer.analyser.areas();
    let area = &areas[i];
    s.push_str("<section class=\"sm-section st-where\" aria-labelledby=\"where\">\n<h2 id=\"where\">Where</h2>\n<div class=\"st-where-body\">\n");
    let link = |j: usize| (format!("{}.html", areas[j].code), areas[j].name.clone());
    s.push_str(&layer.minimaps.locator(i, &area.name, neighbours, link));
    if neighbours.is_empty() {
        s.push_str("<p>No neighbouring constituency: an island seat.</p>\n");
    } else {
        let mut list: Vec<usize> = neighbours.iter().map(|&j| j as usize).collect();
        list.sort_by(|&a, &b| areas[a].name.cmp(&areas[b].name));
        let _ = writeln!(s, "<div><h3>Neighbouring constituencies</h3>\n<ul>");
        for j in list {
            let _ = writeln!(
                s,
                "<li><a href=\"{}.html\">{}</a></li>",
                esc(&areas[j].code),
                esc(&areas[j].name)
            );
        }
        s.push_str("</ul></div>\n");
    }
    s.push_str("</div>\n</section>\n");
}

/// The seat's page: every petition (in `order`), a row each.
fn petitions_table(s: &mut String, root: &str, seat: &str, i: usize, order: &[&Digest]) {
    let _ = write!(
        s,
        "<section class=\"sm-section\" aria-labelledby=\"petitions\">\n<h2 id=\"petitions\">The petitions here</h2>\n<div class=\"sm-table st-petitions\"><table>\n<caption>{} petition{} by signatures per 1,000 voters in {}</caption>\n<thead><tr><th scope=\"col\">Petition</th><th scope=\"col\" class=\"sm-n\">Signatures</th><th scope=\"col\" class=\"sm-n\">Per 1,000 voters</th><th scope=\"col\">95% interval</th><th scope=\"col\" class=\"sm-n\">Against all seats</th><th scope=\"col\">Rank (plausible)</th><th scope=\"col\">Unusual support</th><th scope=\"col\">Local Moran</th></tr></thead>\n<tbody>\n",
        thousands(order.len() as u64),
        if order.len() == 1 { "" } else { "s" },
        esc(seat)
    );
    for d in order {
        let f = &d.seats[i];
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\"><a href=\"{root}petitions/{}.html\">{}</a></th><td class=\"sm-n\">{}{}</td><td class=\"sm-n\">{}</td><td>{} – {}</td><td class=\"sm-n\">{}</td><td>{} of {} ({})</td><td>{}</td><td>{}</td></tr>",
            d.slug,
            esc(&petition_title(d)),
            thousands(f.signatures),
            if d.estimated { " (est.)" } else { "" },
            rate(f.per_1k_voters),
            rate(f.ci95_low_per_1k_voters),
            rate(f.ci95_high_per_1k_voters),
            if d.national_per_1k_voters > 0.0 {
                format!("{:.2} ×", f.per_1k_voters / d.national_per_1k_voters)
            } else {
                "–".into()
            },
            f.rank,
            d.seats.len(),
            plausible(f.rank_best, f.rank_worst),
            f.unusual.map_or("–", |u| u.name()),
            f.lisa.map_or("–", |l| l.name()),
        );
    }
    s.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// The seat's page, "In detail": the first petitions of `order` as `sigmap mp` describes
/// them, with the neighbouring seats' rates.
fn details_section(
    s: &mut String,
    root: &str,
    layer: &Layer,
    i: usize,
    neighbours: &[u32],
    order: &[&Digest],
) {
    let shown = DETAILS.min(order.len());
    let _ = writeln!(
        s,
        "<section class=\"sm-section\" aria-labelledby=\"details\">\n<h2 id=\"details\">In detail</h2>\n<p>{}</p>",
        if order.len() > shown {
            format!(
                "The {shown} petitions with the most signatures per 1,000 voters here; every petition is in the table above."
            )
        } else {
            "Each petition, against the country and the neighbouring seats.".to_string()
        }
    );
    for d in &order[..shown] {
        let profile = profile(layer, i, neighbours, d);
        let _ = writeln!(
            s,
            "<article class=\"st-detail\">\n<h3><a href=\"{root}petitions/{}.html\">{}</a></h3>\n<table class=\"st-facts-table\">",
            d.slug,
            esc(&petition_title(d))
        );
        for (label, text) in facts(&profile) {
            let _ = writeln!(
                s,
                "<tr><th scope=\"row\">{label}</th><td>{}</td></tr>",
                esc(&text)
            );
        }
        s.push_str("</table>\n");
        if !profile.neighbour_rates.is_empty() {
            s.push_str("<div class=\"sm-table\"><table>\n<caption>The neighbouring seats</caption>\n<thead><tr><th scope=\"col\">Neighbour</th><th scope=\"col\" class=\"sm-n\">Per 1,000 voters</th><th scope=\"col\" class=\"sm-n\">Rank</th></tr></thead>\n<tbody>\n");
            for n in &profile.neighbour_rates {
                let _ = writeln!(
                    s,
                    "<tr><th scope=\"row\"><a href=\"{}.html\">{}</a></th><td class=\"sm-n\">{}</td><td class=\"sm-n\">{}</td></tr>",
                    esc(&n.code),
                    esc(&n.name),
                    rate(n.per_1k_voters),
                    n.rank
                );
            }
            s.push_str("</tbody>\n</table></div>\n");
        }
        s.push_str("</article>\n");
    }
    s.push_str("</section>\n");
}

/// The seat's figures in one petition, as `sigmap mp` describes them.
fn profile(layer: &Layer, i: usize, neighbours: &[u32], d: &Digest) -> PetitionProfile {
    let areas = layer.analyser.areas();
    let f: &Figures = &d.seats[i];
    let voters = |j: usize| {
        layer
            .analyser
            .denominators()
            .get(&areas[j].code)
            .map_or(0, |x| x.valid_votes)
    };
    let (sigs, votes) = neighbours.iter().fold((0u64, 0u64), |(s, v), &j| {
        (s + d.seats[j as usize].signatures, v + voters(j as usize))
    });
    PetitionProfile {
        petition: d.info.clone(),
        signatures: f.signatures,
        estimated: d.estimated,
        per_1k_voters: f.per_1k_voters,
        ci95_low_per_1k_voters: f.ci95_low_per_1k_voters,
        ci95_high_per_1k_voters: f.ci95_high_per_1k_voters,
        national_per_1k_voters: d.national_per_1k_voters,
        obs_exp: f.obs_exp,
        rank: f.rank,
        rank_best: f.rank_best,
        rank_worst: f.rank_worst,
        seats: d.seats.len(),
        unusual: f.unusual,
        lisa_label: f.lisa,
        cluster_region: f.region.and_then(|k| d.regions.get(k as usize).cloned()),
        neighbours_per_1k_voters: (votes > 0).then(|| 1000.0 * sigs as f64 / votes as f64),
        neighbour_rates: neighbours
            .iter()
            .map(|&j| {
                let g = &d.seats[j as usize];
                NeighbourRate {
                    code: areas[j as usize].code.clone(),
                    name: areas[j as usize].name.clone(),
                    per_1k_voters: g.per_1k_voters,
                    rank: g.rank,
                }
            })
            .collect(),
    }
}

/// The list of a set's seats, alphabetical, each linked to its page.
pub(super) fn seat_index(layer: &Layer, digests: &[&Digest]) -> String {
    let v = layer.vintage;
    let root = match v {
        Vintage::Pcon2024 => "../",
        Vintage::Pcon2010 => "../../",
    };
    let areas = layer.analyser.areas();
    let mut order: Vec<usize> = (0..areas.len()).collect();
    order.sort_by(|&a, &b| {
        fold_name(&areas[a].name)
            .cmp(&fold_name(&areas[b].name))
            .then_with(|| areas[a].code.cmp(&areas[b].code))
    });
    let mut s = String::with_capacity(64 * 1024);
    open(
        &mut s,
        root,
        &format!("Constituencies of the {} set", v.label()),
        &[("All petitions", format!("{root}index.html"))],
        &[format!(
            "The {} constituencies of {}, each with a page across the {} petition{} mapped on them.",
            areas.len(),
            set_name(v),
            digests.len(),
            if digests.len() == 1 { "" } else { "s" }
        )],
    );
    s.push_str("<ul class=\"st-seats\">\n");
    for i in order {
        let _ = writeln!(
            s,
            "<li><a href=\"{}.html\">{}</a> <span class=\"st-code\">{}</span></li>",
            esc(&areas[i].code),
            esc(&areas[i].name),
            esc(&areas[i].code)
        );
    }
    s.push_str("</ul>\n");
    close(
        &mut s,
        &[OGL_ATTRIBUTION.to_string(), os_attribution(Some(v))],
    );
    s
}
