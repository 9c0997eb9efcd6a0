use super::{PetitionProfile, SeatProfile};
use crate::text::thousands;
use std::io::{self, Write};

fn rank_text(p: &PetitionProfile) -> String {
    let plausible = match (p.rank_best, p.rank_worst) {
        (Some(lo), Some(hi)) if lo != hi => format!(", plausibly {lo}-{hi}"),
        _ => String::new(),
    };
    format!("{} of {}{plausible}", p.rank, p.seats)
}

fn versus_text(p: &PetitionProfile) -> String {
    let ratio = p.per_1k_voters / p.national_per_1k_voters;
    let unusual = match p.unusual {
        Some(d) => format!("; unusually {}", d.name()),
        None => String::new(),
    };
    if p.national_per_1k_voters > 0.0 {
        format!(
            "{ratio:.2} x the national {:.2}{unusual}",
            p.national_per_1k_voters
        )
    } else {
        "no signatures nationally".into()
    }
}

fn title(p: &PetitionProfile) -> String {
    match p.petition.id {
        Some(id) => format!("{} (petition {id})", p.petition.title),
        None => p.petition.title.clone(),
    }
}

/// One line per fact of a petition, as (label, text) pairs shared by both formats.
pub(crate) fn facts(p: &PetitionProfile) -> Vec<(&'static str, String)> {
    let mut f = vec![
        (
            "Signatures",
            format!(
                "{}{}",
                thousands(p.signatures),
                if p.estimated {
                    " (estimated from the 2010 seats)"
                } else {
                    ""
                }
            ),
        ),
        (
            "Per 1,000 voters",
            format!(
                "{:.2} (95% interval {:.2}-{:.2})",
                p.per_1k_voters, p.ci95_low_per_1k_voters, p.ci95_high_per_1k_voters
            ),
        ),
        ("Against the country", versus_text(p)),
        ("Rank", rank_text(p)),
    ];
    if let Some(n) = p.neighbours_per_1k_voters {
        f.push((
            "Neighbouring seats",
            format!("{n:.2} per 1,000 voters together"),
        ));
    }
    let cluster = match (&p.cluster_region, p.lisa_label) {
        (Some(region), _) => region.clone(),
        (None, Some(label)) => label.name().to_string(),
        (None, None) => "not computed".into(),
    };
    f.push(("Spatial cluster", cluster));
    f
}

/// Writes a seat's profile as Markdown.
///
/// # Errors
/// Any I/O error of `w`.
pub fn write_profile_markdown(profile: &SeatProfile, mut w: impl Write) -> io::Result<()> {
    let c = &profile.constituency;
    writeln!(w, "# {} ({})\n", c.name, c.code)?;
    writeln!(w, "{} constituencies", c.vintage)?;
    if let Some(mp) = &profile.mp {
        writeln!(w, "; MP: {mp}")?;
    }
    let neighbours = if profile.neighbours.is_empty() {
        "none (an island)".to_string()
    } else {
        profile.neighbours.join(", ")
    };
    writeln!(w, "\nNeighbouring seats: {neighbours}\n")?;
    for p in &profile.petitions {
        writeln!(w, "## {}\n", title(p))?;
        writeln!(w, "| | |\n|---|---|")?;
        for (label, text) in facts(p) {
            writeln!(w, "| {label} | {} |", text.replace('|', "\\|"))?;
        }
        writeln!(
            w,
            "\n| Neighbour | Per 1,000 voters | Rank |\n|---|---:|---:|"
        )?;
        for n in &p.neighbour_rates {
            writeln!(w, "| {} | {:.2} | {} |", n.name, n.per_1k_voters, n.rank)?;
        }
        writeln!(w)?;
    }
    writeln!(w, "{}", crate::export::OGL_ATTRIBUTION)
}

use crate::export::xml_text as escape;

/// Writes a seat's profile as a standalone HTML page.
///
/// # Errors
/// Any I/O error of `w`.
pub fn write_profile_html(profile: &SeatProfile, mut w: impl Write) -> io::Result<()> {
    let c = &profile.constituency;
    let heading = escape(&format!("{} ({})", c.name, c.code));
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{heading}</title>\n<style>body{{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}}td.n{{text-align:right}}</style>\n</head>\n<body>\n<h1>{heading}</h1>"
    )?;
    let mp = profile
        .mp
        .as_deref()
        .map_or(String::new(), |m| format!("; MP: {}", escape(m)));
    writeln!(w, "<p>{} constituencies{mp}</p>", c.vintage)?;
    writeln!(
        w,
        "<p>Neighbouring seats: {}</p>",
        escape(&profile.neighbours.join(", "))
    )?;
    for p in &profile.petitions {
        writeln!(w, "<h2>{}</h2>\n<table>", escape(&title(p)))?;
        for (label, text) in facts(p) {
            writeln!(w, "<tr><th>{label}</th><td>{}</td></tr>", escape(&text))?;
        }
        writeln!(
            w,
            "</table>\n<table>\n<tr><th>Neighbour</th><th>Per 1,000 voters</th><th>Rank</th></tr>"
        )?;
        for n in &p.neighbour_rates {
            writeln!(
                w,
                "<tr><td>{}</td><td class=\"n\">{:.2}</td><td class=\"n\">{}</td></tr>",
                escape(&n.name),
                n.per_1k_voters,
                n.rank
            )?;
        }
        writeln!(w, "</table>")?;
    }
    writeln!(
        w,
        "<p><small>{}</small></p>\n</body>\n</html>",
        escape(crate::export::OGL_ATTRIBUTION)
    )
}
