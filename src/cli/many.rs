//! The commands over several petitions: batch, compare, mp, site.

use super::args::{BatchArgs, CompareArgs, Format, MpArgs, SiteArgs};
use super::commands::{crosswalk_to, crosswalked, read_petition, refuse_input_as_output};
use anyhow::Context;
use sigmap::export::{Staged, write_atomically};
use sigmap::{
    Analysed, Analyser, Areas, Batch, Comparison, CsvSink, Denominators, PetitionRow, Report,
    SeatProfile, Sink, Site, Vintage, expand_inputs, find_constituency,
};
use std::io::Write;
use std::path::Path;

pub fn batch(args: &BatchArgs) -> anyhow::Result<()> {
    #[cfg(not(feature = "polars"))]
    if args.partition_by.is_some() {
        return Err(sigmap::Error::BadOption {
            option: "--partition-by",
            expected: "a build with the polars feature (Parquet output)".into(),
            found: "petition_id".into(),
        }
        .into());
    }
    let paths = expand_inputs(&args.inputs)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create", args.out.display()))?;
    let mut batch = Batch::new(args.clustering.options());
    if let Some(crosswalk) = crosswalk_to(&args.crosswalk)? {
        batch = batch.crosswalk(crosswalk);
    }
    // each file replaces the previous one only once complete
    let create = |name: &str| Staged::new(args.out.join(name));
    let bar = (!args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .then(|| indicatif::ProgressBar::new(paths.len() as u64));
    let progress = Progress(bar.clone());
    let mut csv_file = (!args.no_csv).then(|| create("long.csv")).transpose()?;
    let csv = csv_file.as_mut().map(CsvSink::new);
    let mut staged = vec![];
    #[cfg(feature = "polars")]
    let dataset;
    #[cfg(feature = "polars")]
    let rows = if args.partition_by.is_some() {
        // the only partition column: petition_id
        let mut sink = (
            progress,
            (
                csv,
                sigmap::PartitionedParquetSink::new(args.out.join("long"))?,
            ),
        );
        let rows = batch.run(&paths, &mut sink)?;
        dataset = Some(sink.1.1);
        rows
    } else {
        let mut parquet = create("long.parquet")?;
        let mut sink = (progress, (csv, sigmap::ParquetSink::new(&mut parquet)));
        let rows = batch.run(&paths, &mut sink)?;
        sink.1.1.finish()?;
        staged.push(parquet);
        dataset = None;
        rows
    };
    #[cfg(not(feature = "polars"))]
    let rows = batch.run(&paths, &mut (progress, csv))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    staged.extend(csv_file);
    let mut petitions = create("petitions.csv")?;
    write_rows(&mut petitions, &rows)?;
    staged.push(petitions);
    let mut written = vec![];
    #[cfg(feature = "polars")]
    if let Some(dataset) = dataset {
        written.push(dataset.path().to_path_buf());
        dataset.finish()?;
    }
    for file in staged {
        written.push(file.path().to_path_buf());
        file.commit()?;
    }
    print_batch(args, &rows, &written)
}

/// What `batch` prints: the counts and files written (or the rows as CSV or JSON), each
/// failed petition's error on stderr; an error (exit 2) if any petition failed.
fn print_batch(
    args: &BatchArgs,
    rows: &[PetitionRow],
    written: &[std::path::PathBuf],
) -> anyhow::Result<()> {
    let failed: Vec<&PetitionRow> = rows.iter().filter(|r| r.error.is_some()).collect();
    let mut out = super::output::terminal(args.format);
    match args.format {
        Format::Table => {
            writeln!(
                out,
                "{} petition(s) analysed, {} failed",
                rows.len() - failed.len(),
                failed.len()
            )?;
            let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            writeln!(out, "Wrote {}", names.join(", "))?;
        }
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(rows)?)?,
        Format::Csv => write_rows(&mut out, rows)?,
    }
    for f in &failed {
        let error = f.error.as_deref().unwrap_or_default();
        eprintln!("sigmap: {}", sigmap::printable(error, true));
    }
    if !failed.is_empty() {
        // every good petition is written; the exit code tells a script that some were not
        return Err(sigmap::Error::BadField {
            at: sigmap::Location::file(args.out.join("petitions.csv")),
            expected: "every petition analysed",
            found: format!("{} failed (see the error column)", failed.len()),
        }
        .into());
    }
    Ok(())
}

/// Rows as CSV with a header.
fn write_rows<T: serde::Serialize>(w: impl Write, rows: &[T]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    for row in rows {
        w.serialize(row)?;
    }
    w.flush()?;
    Ok(())
}

/// Ticks a progress bar per petition.
struct Progress(Option<indicatif::ProgressBar>);

impl Sink for Progress {
    fn accept(&mut self, _: &PetitionRow, _: Option<Analysed<'_>>) -> sigmap::Result<()> {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
        Ok(())
    }
}

pub fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.output {
        let mut inputs = vec![Path::new(&args.a), Path::new(&args.b)];
        if args.crosswalk.to.is_some() {
            inputs.push(Path::new(&args.crosswalk.crosswalk));
        }
        refuse_input_as_output(path, &inputs)?;
    }
    let options = args.clustering.options();
    let (a, b) = (read_petition(&args.a)?, read_petition(&args.b)?);
    // two petitions on different sets meet on the 2024 seats
    let to = args.crosswalk.to.or_else(|| {
        let (va, vb) = (a.vintage().ok()?, b.vintage().ok()?);
        (va != vb).then_some(Vintage::Pcon2024)
    });
    let a = crosswalked(a, to, &args.crosswalk.crosswalk)?;
    let b = crosswalked(b, to, &args.crosswalk.crosswalk)?;
    let (a, b) = (
        Report::with_shipped_data_and_options(a, options)?,
        Report::with_shipped_data_and_options(b, options)?,
    );
    let c = Comparison::new(&a, &b, &a.weights, options.permutations)?;
    if let Some(path) = &args.output {
        let text = serde_json::to_string_pretty(&c)? + "\n";
        write_atomically(path, |w| w.write_all(text.as_bytes()))?;
    }
    let mut out = super::output::terminal(args.format);
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&c)?)?,
        Format::Csv => {
            let seats: Vec<_> = c.more_for_a.iter().chain(&c.more_for_b).collect();
            write_rows(&mut out, &seats)?;
        }
        Format::Table => {
            writeln!(out, "A: {}", c.a.title)?;
            writeln!(out, "B: {}", c.b.title)?;
            writeln!(out, "{} seats of {}", c.seats, c.layer)?;
            writeln!(out, "{}", c.headline)?;
            if let Some(r) = c.pearson {
                writeln!(out, "Pearson's r = {r:.3} (signatures per 1,000 voters)")?;
            }
            for (what, list) in [("A", &c.more_for_a), ("B", &c.more_for_b)] {
                writeln!(out, "\nSeats ranking much higher for {what}")?;
                writeln!(
                    out,
                    "{:<36} {:>10} {:>10} {:>7} {:>7}",
                    "constituency", "A per 1k", "B per 1k", "A rank", "B rank"
                )?;
                for s in list {
                    let name: String = s.name.chars().take(36).collect();
                    writeln!(
                        out,
                        "{name:<36} {:>10.2} {:>10.2} {:>7} {:>7}",
                        s.a_per_1k_voters, s.b_per_1k_voters, s.a_rank, s.b_rank
                    )?;
                }
            }
        }
    }
    Ok(())
}

pub fn mp(args: &MpArgs) -> anyhow::Result<()> {
    let [new, old] = [
        Areas::shipped(Vintage::Pcon2024)?,
        Areas::shipped(Vintage::Pcon2010)?,
    ];
    let seat = find_constituency(&args.constituency, &[&new, &old])?;
    let md = args.out.join(format!("mp_{}.md", seat.code));
    let html = args.out.join(format!("mp_{}.html", seat.code));
    let mut inputs: Vec<&Path> = args.petitions.iter().map(Path::new).collect();
    inputs.push(Path::new(&args.crosswalk));
    for path in [&md, &html] {
        refuse_input_as_output(path, &inputs)?;
    }
    let mut petitions = Vec::new();
    for arg in &args.petitions {
        petitions.push(crosswalked(
            read_petition(arg)?,
            Some(seat.vintage),
            &args.crosswalk,
        )?);
    }
    // the seat's layer, with its weights built once for every petition
    let areas = if seat.vintage == Vintage::Pcon2024 {
        new
    } else {
        old
    };
    let denominators = Denominators::shipped(seat.vintage)?;
    let analyser = Analyser::new(areas, denominators, args.clustering.options())?;
    let profile = SeatProfile::new(&seat, &analyser, &petitions)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create", args.out.display()))?;
    let mut text = Vec::new();
    sigmap::write_profile_markdown(&profile, &mut text)?;
    let mut page = Vec::new();
    sigmap::write_profile_html(&profile, &mut page)?;
    write_atomically(&md, |w| w.write_all(&text))?;
    write_atomically(&html, |w| w.write_all(&page))?;
    let mut out = super::output::terminal(args.format);
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&profile)?)?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "petition_id",
                "title",
                "signatures",
                "per_1k_voters",
                "national_per_1k_voters",
                "rank",
                "rank_best",
                "rank_worst",
                "unusual",
                "lisa_label",
            ])?;
            for p in &profile.petitions {
                let opt = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
                w.write_record([
                    p.petition.id.map_or(String::new(), |i| i.to_string()),
                    p.petition.title.clone(),
                    p.signatures.to_string(),
                    p.per_1k_voters.to_string(),
                    p.national_per_1k_voters.to_string(),
                    p.rank.to_string(),
                    opt(p.rank_best),
                    opt(p.rank_worst),
                    p.unusual.map_or("", |d| d.name()).to_string(),
                    p.lisa_label.map_or("", |l| l.name()).to_string(),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            out.write_all(&text)?;
            writeln!(out, "\nWrote {}, {}", md.display(), html.display())?;
        }
    }
    Ok(())
}

pub fn site(args: &SiteArgs) -> anyhow::Result<()> {
    let mut site = Site::new().options(args.clustering.options());
    if let Some(crosswalk) = crosswalk_to(&args.crosswalk)? {
        site = site.crosswalk(crosswalk);
    }
    if let Some(title) = &args.title {
        site = site.title(title.clone());
    }
    // directories hold petition files; a bare number that is no file is fetched
    let mut petitions = Vec::new();
    for arg in &args.petitions {
        let path = Path::new(arg);
        if path.is_dir() {
            for file in expand_inputs(&[path.to_path_buf()])? {
                petitions.push(sigmap::Petition::from_path(&file)?);
            }
        } else {
            petitions.push(read_petition(arg)?);
        }
    }
    let written = site.write_to_dir(petitions, &args.out)?;
    let mut out = super::output::terminal(args.format);
    match args.format {
        Format::Table => {
            writeln!(
                out,
                "Wrote {} petition page(s) and {} constituency pages: {} files, {:.1} MB",
                written.petitions.len(),
                written.seat_pages,
                written.files,
                written.bytes as f64 / 1e6
            )?;
            writeln!(out, "Open {}", args.out.join("index.html").display())?;
        }
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&written)?)?,
        Format::Csv => write_rows(&mut out, &written.petitions)?,
    }
    out.flush()?;
    Ok(())
}
