//! The live commands: `fetch`, `list`, `watch`, `velocity`, and petitions given by number.

use super::args::{FetchArgs, Format, HttpArgs, ListArgs, VelocityArgs, WatchArgs};
use anyhow::Context;
use sigmap::live::{
    self, Client, ListQuery, Snapshot, SnapshotStore, Snapshots, Source, VelocityOptions,
};
use sigmap::{Error, Petition, thousands};
use std::io::Write;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

static API: OnceLock<Option<String>> = OnceLock::new();
static TIMEOUT: OnceLock<Duration> = OnceLock::new();

/// Records `--api` and `--timeout` for the commands that fetch.
pub fn set_api(url: Option<String>, timeout: Duration) {
    API.set(url).ok();
    TIMEOUT.set(timeout).ok();
}

/// The base URL: `--api`, else `$SIGMAP_API`, else the petitions site.
fn base_url() -> String {
    API.get()
        .cloned()
        .flatten()
        .or_else(|| std::env::var(live::BASE_URL_ENV).ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| live::DEFAULT_BASE_URL.to_string())
}

fn client(http: Option<&HttpArgs>) -> anyhow::Result<Client> {
    let mut b = Client::builder().base_url(base_url());
    if let Some(&t) = TIMEOUT.get() {
        // the whole fetch within --timeout, and any one attempt too
        b = b.timeout(t).deadline(t);
    }
    if let Some(h) = http {
        b = b
            .min_interval(h.delay)
            .retries(h.retries)
            .max_wait(h.max_wait);
    }
    Ok(b.build()?)
}

/// Adds, to a network failure, how to work from a saved file instead.
fn offline_hint(err: Error, id: u64) -> anyhow::Error {
    match err {
        Error::Unreachable { .. } => anyhow::Error::new(err).context(format!(
            "cannot fetch petition {id}: the network is unreachable (offline?). To work \
             offline, run `sigmap fetch {id} -o petition_{id}.json` on a machine that is \
             online (or save {}/petitions/{id}.json from a browser) and pass the file \
             instead of the number",
            live::DEFAULT_BASE_URL
        )),
        other => other.into(),
    }
}

/// A petition given by number: fetched (the archive if the current Parliament lacks it).
pub fn fetch_petition(arg: &str) -> anyhow::Result<Petition> {
    let id: u64 = arg
        .parse()
        .with_context(|| format!("`{arg}` is not a petition number"))?;
    let client = client(None)?;
    client
        .petition(id, Source::Auto)
        .map_err(|e| offline_hint(e, id))
}

pub fn fetch(args: &FetchArgs) -> anyhow::Result<()> {
    let client = client(Some(&args.http))?;
    let source = if args.archived {
        Source::Archived
    } else {
        Source::Auto
    };
    let response = client
        .petition_json(args.id, source)
        .map_err(|e| offline_hint(e, args.id))?;
    // check it is a petition before saving it
    let petition = Petition::from_reader(response.body.as_bytes(), &response.url)?;
    match &args.output {
        Some(path) => {
            sigmap::export::write_atomically(path, |w| w.write_all(response.body.as_bytes()))?;
            eprintln!(
                "Wrote {} ({}, {} signatures, {} constituencies) from {}",
                path.display(),
                petition.state,
                thousands(petition.total),
                petition.counts.len(),
                response.url
            );
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            out.write_all(response.body.as_bytes())?;
            if !response.body.ends_with('\n') {
                writeln!(out)?;
            }
            out.flush()?;
        }
    }
    Ok(())
}

pub fn list(args: &ListArgs) -> anyhow::Result<()> {
    let client = client(Some(&args.http))?;
    let mut query = ListQuery::new(args.state).archived(args.archived);
    if let Some(q) = &args.query {
        query = query.query(q.clone());
    }
    if let Some(n) = args.max {
        query = query.max(n);
    }
    query = query.max_pages(args.max_pages);
    let listing = client.list(&query).map_err(|e| match e {
        Error::Unreachable { .. } => anyhow::Error::new(e).context(
            "cannot list petitions: the network is unreachable (offline?). Petitions saved \
             earlier with `sigmap fetch ID -o FILE` can be passed as files to every command",
        ),
        other => other.into(),
    })?;
    if let Some(note) = &listing.note {
        eprintln!("sigmap: {}", sigmap::printable(note, true));
    }
    let mut out = super::output::terminal(args.format);
    match args.format {
        Format::Table => {
            writeln!(
                out,
                "{:>7}  {:<17}  {:>10}  action",
                "id", "state", "signatures"
            )?;
            for p in &listing.petitions {
                writeln!(
                    out,
                    "{:>7}  {:<17}  {:>10}  {}",
                    p.id,
                    p.state,
                    thousands(p.signature_count),
                    p.action.replace(char::is_control, " ")
                )?;
            }
            writeln!(
                out,
                "{} petition(s) from {} page(s){}",
                listing.petitions.len(),
                listing.pages,
                if listing.note.is_some() {
                    " (stopped early, see above)"
                } else if listing.complete {
                    ""
                } else {
                    " (more with a larger --max)"
                }
            )?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["id", "state", "signature_count", "action"])?;
            for p in &listing.petitions {
                w.write_record([
                    p.id.to_string(),
                    p.state.clone(),
                    p.signature_count.to_string(),
                    p.action.clone(),
                ])?;
            }
            w.flush()?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &listing)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

pub fn watch(args: &WatchArgs) -> anyhow::Result<()> {
    if args.every.is_zero() {
        return Err(Error::BadOption {
            option: "--every",
            expected: "a duration longer than zero (e.g. 10m)".into(),
            found: "0s".into(),
        }
        .into());
    }
    let client = client(Some(&args.http))?;
    let mut store = SnapshotStore::open(&args.store)?;
    if let Some(r) = store.repair() {
        eprintln!(
            "sigmap: {} ended in a snapshot cut short (a crash?): its {} byte(s) were moved to {}",
            store.path().display(),
            r.bytes,
            r.saved_to.display()
        );
    }
    warn_damaged(store.path(), store.damaged());
    let mut source = if args.archived {
        Source::Archived
    } else {
        Source::Auto
    };
    let start = Instant::now();
    let (mut polls, mut written) = (0u64, 0u64);
    let stdout = std::io::stdout();
    if args.format == Format::Csv {
        writeln!(
            stdout.lock(),
            "time,petition,total,uk_total,seats,status,decreased"
        )?;
    }
    loop {
        polls += 1;
        let result = client
            .petition_json(args.id, source)
            .map_err(|e| offline_hint(e, args.id))
            .and_then(|r| {
                let petition = Petition::from_reader(r.body.as_bytes(), &r.url)?;
                let mut snapshot = Snapshot::from_petition(&petition, SystemTime::now())?;
                snapshot.not_modified = r.is_unchanged();
                let appended = store.append(&snapshot)?;
                Ok((r, petition, snapshot, appended))
            });
        match result {
            Ok((r, petition, snapshot, appended)) => {
                written += 1;
                // keep asking where the petition was found
                source = if petition.archived {
                    Source::Archived
                } else {
                    Source::Current
                };
                let mut out = super::output::terminal(args.format);
                print_snapshot(&mut out, args.format, &r, &snapshot, &appended)?;
                out.flush()?;
            }
            // a first poll that fails is the user's problem (a wrong number, no network);
            // later ones are the network's or the server's: say so and keep watching
            Err(e) if written == 0 && polls == 1 => return Err(e),
            Err(e) => eprintln!(
                "sigmap: poll {polls} failed, store unchanged: {}",
                sigmap::printable(&format!("{e:#}"), true)
            ),
        }
        if args.count.is_some_and(|n| polls >= n) {
            break;
        }
        let next = start + args.every.saturating_mul(polls as u32);
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        }
    }
    anyhow::ensure!(written > 0, "no snapshot written in {polls} poll(s)");
    Ok(())
}

/// Says which snapshots of a store could not be read and were skipped.
fn warn_damaged(path: &std::path::Path, damaged: &[live::Damage]) {
    if damaged.is_empty() {
        return;
    }
    let shown: Vec<String> = damaged
        .iter()
        .take(3)
        .map(|d| format!("line {}: {}", d.line, d.problem))
        .collect();
    eprintln!(
        "sigmap: {}: {} damaged snapshot(s) skipped, the rest read ({}{})",
        path.display(),
        damaged.len(),
        shown.join("; "),
        if damaged.len() > 3 { "; ..." } else { "" }
    );
}

fn print_snapshot(
    out: &mut impl Write,
    format: Format,
    r: &live::Response,
    s: &Snapshot,
    appended: &live::Appended,
) -> anyhow::Result<()> {
    let status = match r.freshness {
        live::Freshness::Downloaded => "downloaded",
        live::Freshness::NotModified => "not_modified",
        live::Freshness::Cached => "cached",
    };
    let decreased: Vec<String> = appended
        .decreased
        .iter()
        .map(|d| format!("{} {}->{}", d.code, d.from, d.to))
        .collect();
    match format {
        Format::Table => {
            write!(
                out,
                "{}  total {:>10}  uk {:>10}  seats {:>3}  {status}",
                s.time_string(),
                thousands(s.total),
                thousands(s.uk_total),
                s.counts.len()
            )?;
            if !decreased.is_empty() {
                write!(out, "  DECREASED: {}", decreased.join(", "))?;
            }
            writeln!(out)?;
        }
        Format::Csv => writeln!(
            out,
            "{},{},{},{},{},{status},{}",
            s.time_string(),
            s.petition,
            s.total,
            s.uk_total,
            s.counts.len(),
            decreased.join(" ")
        )?,
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::json!({
                "time": s.time_string(),
                "petition": s.petition,
                "total": s.total,
                "uk_total": s.uk_total,
                "seats": s.counts.len(),
                "status": status,
                "decreased": appended.decreased,
            })
        )?,
    }
    Ok(())
}

pub fn velocity(args: &VelocityArgs) -> anyhow::Result<()> {
    let store = Snapshots::read(&args.store)?;
    let options = VelocityOptions::default()
        .window(args.window)
        .min_count(args.min_count)
        .min_ratio(args.min_ratio)
        .alpha(args.alpha);
    let v = live::velocity(&store, &options)?;
    warn_damaged(&store.path, &store.damaged);
    if store.ignored_tail_bytes > 0 {
        eprintln!(
            "sigmap: {}: the last {} byte(s) are a snapshot cut short (a crash?) and were ignored",
            store.path.display(),
            store.ignored_tail_bytes
        );
    }
    let mut out = super::output::terminal(args.format);
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            for row in &v.rows {
                w.serialize(row)?;
            }
            w.flush()?;
        }
        Format::Table => {
            writeln!(
                out,
                "Petition {}: {} snapshots, {} to {}",
                v.petition, v.snapshots, v.first, v.last
            )?;
            writeln!(
                out,
                "Window     {} to {} ({:.2} h); baseline {:.2} h before it",
                v.window_start, v.last, v.recent_hours, v.baseline_hours
            )?;
            writeln!(
                out,
                "Total      {} signatures; {:.1}/h in the window, {:.1}/h in the baseline; UK {:.1}/h",
                thousands(v.total),
                v.total_recent_per_hour,
                v.total_baseline_per_hour,
                v.uk_recent_per_hour
            )?;
            writeln!(
                out,
                "Bursts     {} seat(s) (recent >= {} and >= {}x expected, Poisson p < {:.2e})",
                v.bursts, args.min_count, args.min_ratio, v.p_threshold
            )?;
            if !v.decreases.is_empty() {
                writeln!(
                    out,
                    "Decreases  {} count(s) went down between snapshots (kept as published):",
                    v.decreases.len()
                )?;
                for d in v.decreases.iter().take(10) {
                    writeln!(out, "  {}  {}  {} -> {}", d.time, d.code, d.from, d.to)?;
                }
            }
            writeln!(out)?;
            writeln!(
                out,
                "  {:<9}  {:>9}  {:>8}  {:>10}  {:>11}  {:>9}  {:>9}  flags",
                "code", "count", "recent", "recent/h", "baseline/h", "expected", "p"
            )?;
            for row in v.rows.iter().take(args.top) {
                let mut flags = Vec::new();
                if row.burst {
                    flags.push("BURST");
                }
                if row.decreased {
                    flags.push("decreased");
                }
                writeln!(
                    out,
                    "  {:<9}  {:>9}  {:>8}  {:>10.1}  {:>11.1}  {:>9.1}  {:>9.2e}  {}",
                    row.code,
                    thousands(row.count),
                    row.recent,
                    row.recent_per_hour,
                    row.baseline_per_hour,
                    row.expected_own.max(row.expected_national),
                    row.p_value,
                    flags.join(" ")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
