//! The snapshot store and velocity (documented in [`crate::live`]).

use crate::error::{Error, IoAction, Result};
use crate::inputs::petition::Petition;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The store's file in its directory.
pub const STORE_FILE: &str = "snapshots.csv";

const HEADER: &str = "time,petition,kind,code,count,flag\n";

/// A petition's counts at one time.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Snapshot {
    /// When the counts were fetched.
    pub time: SystemTime,
    /// Petition number.
    pub petition: u64,
    /// The petition's total (`signature_count`).
    pub total: u64,
    /// The United Kingdom's count (`signatures_by_country`).
    pub uk_total: u64,
    /// Signatures per constituency code, as published (seats with none are absent).
    pub counts: BTreeMap<String, u64>,
    /// True if the server said nothing changed (304) or was not asked (fresh cache).
    pub not_modified: bool,
}

impl Snapshot {
    /// A snapshot with no seats yet.
    pub fn new(petition: u64, time: SystemTime, total: u64, uk_total: u64) -> Snapshot {
        Snapshot {
            time,
            petition,
            total,
            uk_total,
            counts: BTreeMap::new(),
            not_modified: false,
        }
    }

    /// The counts of a petition read from the API, at `time`.
    ///
    /// # Errors
    /// [`Error::MissingField`] if the petition has no number (a CSV input);
    /// [`Error::BadField`] naming the record for a code that is not a GSS code (a capital
    /// letter and 8 digits), which the store could not hold safely.
    pub fn from_petition(p: &Petition, time: SystemTime) -> Result<Snapshot> {
        let at = crate::Location::file(&p.source);
        let petition = p.id.ok_or_else(|| Error::MissingField {
            at: at.clone(),
            field: "data.id".into(),
        })?;
        let mut s = Snapshot::new(petition, time, p.total, p.uk_total);
        for (i, c) in p.counts.iter().enumerate() {
            if !is_storable_code(&c.code) {
                return Err(bad_code(
                    at.record(i as u64 + 1)
                        .field("signatures_by_constituency.ons_code"),
                    &c.code,
                ));
            }
            *s.counts.entry(c.code.clone()).or_default() += c.count;
        }
        Ok(s)
    }

    /// The time as RFC 3339 UTC with milliseconds, as stored.
    pub fn time_string(&self) -> String {
        format_time(self.time)
    }
}

/// A code the store can hold: a GSS code, a capital letter and 8 digits (`E14000530`).
fn is_storable_code(code: &str) -> bool {
    crate::inputs::code::is_gss_code(code)
}

fn bad_code(at: crate::Location, code: &str) -> Error {
    let shown: String = code
        .chars()
        .take(40)
        .collect::<String>()
        .escape_debug()
        .to_string();
    Error::BadField {
        at,
        expected: "a GSS code (a capital letter and 8 digits)",
        found: format!(
            "`{shown}`{}",
            if code.chars().count() > 40 { "..." } else { "" }
        ),
    }
}

fn format_time(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

/// A count lower than the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Decrease {
    /// When the lower count was seen.
    pub time: String,
    /// A constituency code, or `total` / `uk` for the petition's totals.
    pub code: String,
    /// The count before.
    pub from: u64,
    /// The lower count.
    pub to: u64,
}

/// What [`SnapshotStore::append`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Appended {
    /// Lines written (seat rows plus `total`, `uk` and `end`).
    pub rows: usize,
    /// Counts lower than in the snapshot before (flagged `decreased` in the file).
    pub decreased: Vec<Decrease>,
}

/// Bytes after the last whole snapshot, found and set aside by [`SnapshotStore::open`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Repair {
    /// How many bytes were cut from the end of the store.
    pub bytes: u64,
    /// Where they were saved.
    pub saved_to: PathBuf,
}

/// The writing end of a store: see the [module docs](crate::live).
#[derive(Debug)]
pub struct SnapshotStore {
    path: PathBuf,
    file: File,
    last: Option<Snapshot>,
    repair: Option<Repair>,
    damaged: Vec<Damage>,
}

impl SnapshotStore {
    /// Opens (or creates) the store in `dir`, setting aside a torn tail left by a crash.
    ///
    /// # Errors
    /// [`Error::Io`] if the directory or file cannot be created, read or written;
    /// [`Error::BadLine`] or [`Error::Snapshots`] if the existing file is not a store.
    pub fn open(dir: impl AsRef<Path>) -> Result<SnapshotStore> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, IoAction::Create, e))?;
        let path = dir.join(STORE_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(|e| Error::io(&path, IoAction::Create, e))?;
        let text = std::fs::read(&path).map_err(|e| Error::io(&path, IoAction::Read, e))?;
        if text.is_empty() {
            file.write_all(HEADER.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| Error::io(&path, IoAction::Write, e))?;
            if let Ok(d) = File::open(dir) {
                d.sync_all().ok(); // make the new file's name durable too
            }
            return Ok(SnapshotStore {
                path,
                file,
                last: None,
                repair: None,
                damaged: Vec::new(),
            });
        }
        let whole = whole_prefix(&text);
        let mut repair = None;
        if whole < text.len() {
            let tail = &text[whole..];
            let millis = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis();
            let saved_to = dir.join(format!("{STORE_FILE}.torn-{millis}"));
            std::fs::write(&saved_to, tail)
                .map_err(|e| Error::io(&saved_to, IoAction::Write, e))?;
            file.set_len(whole as u64)
                .and_then(|()| file.seek(SeekFrom::End(0)).map(|_| ()))
                .and_then(|()| file.sync_all())
                .map_err(|e| Error::io(&path, IoAction::Write, e))?;
            repair = Some(Repair {
                bytes: tail.len() as u64,
                saved_to,
            });
            if whole == 0 {
                // not even a whole header survived
                file.write_all(HEADER.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|e| Error::io(&path, IoAction::Write, e))?;
            }
        }
        let parsed = parse(&text[..whole], &path, false)?;
        Ok(SnapshotStore {
            path,
            file,
            last: parsed.snapshots.last().cloned(),
            repair,
            damaged: parsed.damaged,
        })
    }

    /// Snapshots of the file that could not be read and are skipped (see
    /// [`Snapshots::damaged`]); the file is left as it is.
    pub fn damaged(&self) -> &[Damage] {
        &self.damaged
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The last snapshot in the store.
    pub fn last(&self) -> Option<&Snapshot> {
        self.last.as_ref()
    }

    /// What [`SnapshotStore::open`] set aside, if the store ended in a torn snapshot.
    pub fn repair(&self) -> Option<&Repair> {
        self.repair.as_ref()
    }

    /// Appends a snapshot: one write of whole lines, then `fsync`. A
    /// [`Snapshot::not_modified`] snapshot writes no seat rows (its seats are the last
    /// snapshot's). Counts lower than before are written and flagged `decreased`.
    ///
    /// # Errors
    /// [`Error::Snapshots`] if the store holds another petition, or the time is before the
    /// last snapshot's; [`Error::BadField`] for a code that is not a GSS code (nothing is
    /// written); [`Error::Io`] if the write fails (the store then ends in a torn
    /// snapshot that the next open sets aside).
    pub fn append(&mut self, s: &Snapshot) -> Result<Appended> {
        if let Some(code) = s.counts.keys().find(|c| !is_storable_code(c)) {
            return Err(bad_code(
                crate::Location::file(&self.path).field("code"),
                code,
            ));
        }
        if let Some(last) = &self.last {
            if last.petition != s.petition {
                return Err(Error::Snapshots {
                    path: self.path.clone(),
                    problem: format!(
                        "holds petition {}, not {}: use another directory",
                        last.petition, s.petition
                    ),
                });
            }
            if s.time < last.time {
                return Err(Error::Snapshots {
                    path: self.path.clone(),
                    problem: format!(
                        "snapshot time {} is before the last one, {}",
                        s.time_string(),
                        last.time_string()
                    ),
                });
            }
        }
        let time = s.time_string();
        let mut decreased = Vec::new();
        let mut flag = |code: &str, now: u64, before: Option<u64>| match before {
            Some(b) if now < b => {
                decreased.push(Decrease {
                    time: time.clone(),
                    code: code.to_string(),
                    from: b,
                    to: now,
                });
                "decreased"
            }
            _ => "",
        };
        let last = self.last.as_ref();
        let mut out = String::with_capacity(64 * (s.counts.len() + 3));
        let id = s.petition;
        let f = flag("total", s.total, last.map(|l| l.total));
        out.push_str(&format!("{time},{id},total,,{},{f}\n", s.total));
        let f = flag("uk", s.uk_total, last.map(|l| l.uk_total));
        out.push_str(&format!("{time},{id},uk,,{},{f}\n", s.uk_total));
        let counts = if s.not_modified {
            last.map(|l| l.counts.clone()).unwrap_or_default()
        } else {
            let mut seats = 0;
            for (code, &n) in &s.counts {
                let f = flag(code, n, last.and_then(|l| l.counts.get(code).copied()));
                out.push_str(&format!("{time},{id},seat,{code},{n},{f}\n"));
                seats += 1;
            }
            debug_assert_eq!(seats, s.counts.len());
            s.counts.clone()
        };
        let (seats, end_flag) = if s.not_modified {
            (0, "not_modified")
        } else {
            (s.counts.len(), "")
        };
        out.push_str(&format!("{time},{id},end,,{seats},{end_flag}\n"));
        self.file
            .write_all(out.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| Error::io(&self.path, IoAction::Write, e))?;
        self.last = Some(Snapshot {
            counts,
            ..s.clone()
        });
        Ok(Appended {
            rows: out.lines().count(),
            decreased,
        })
    }
}

/// The byte length of the whole snapshots at the start of `bytes`: through the last
/// newline-terminated `end` row (or the header, if there is none). Computed on bytes, so
/// bytes that are not UTF-8 anywhere in the file cannot move the cut.
fn whole_prefix(bytes: &[u8]) -> usize {
    let mut whole = 0;
    let mut at = 0;
    for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        at += line.len();
        if line.last() != Some(&b'\n') {
            break;
        }
        if i == 0 && line == HEADER.as_bytes() || line.split(|&b| b == b',').nth(2) == Some(b"end")
        {
            whole = at;
        }
    }
    whole
}

/// A snapshot of the file that could not be read, skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Damage {
    /// The 1-based line where the problem is.
    pub line: u64,
    /// What is wrong.
    pub problem: String,
}

/// Everything in a store, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Snapshots {
    /// The store's file.
    pub path: PathBuf,
    /// The snapshots, oldest first; a `not_modified` one has the seats of the one before.
    pub snapshots: Vec<Snapshot>,
    /// Every count lower than the one before it (seats, `total`, `uk`), in order.
    pub decreases: Vec<Decrease>,
    /// Bytes after the last whole snapshot (a crash's torn write), ignored.
    pub ignored_tail_bytes: u64,
    /// Lines that could not be read (bytes that are not UTF-8, a malformed row, a snapshot
    /// whose `end` row does not count its seats): the snapshot each belongs to is skipped,
    /// every other one is read.
    pub damaged: Vec<Damage>,
}

impl Snapshots {
    /// Reads the store in `dir` (nothing is written: a torn tail is ignored, not removed).
    ///
    /// Snapshots that cannot be read are skipped and listed in [`Snapshots::damaged`].
    ///
    /// # Errors
    /// [`Error::Io`] if `dir/snapshots.csv` cannot be read; [`Error::BadLine`] if its first
    /// line is not the store's header (not a store); [`Error::Snapshots`] for snapshots of
    /// two petitions or out of time order.
    pub fn read(dir: impl AsRef<Path>) -> Result<Snapshots> {
        let path = dir.as_ref().join(STORE_FILE);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, IoAction::Read, e))?;
        let whole = whole_prefix(&bytes);
        let mut s = parse(&bytes[..whole], &path, true)?;
        s.ignored_tail_bytes = (bytes.len() - whole) as u64;
        Ok(s)
    }

    /// The petition the store holds.
    pub fn petition(&self) -> Option<u64> {
        self.snapshots.first().map(|s| s.petition)
    }
}

/// A snapshot being read: its time as written, the snapshot, its seat rows so far, and the
/// first damaged line, if any.
struct Open {
    time: String,
    snapshot: Snapshot,
    seats: usize,
    damage: Option<Damage>,
}

/// Parses whole snapshots; with `keep_all` false only the last is kept (what a writer needs).
/// A snapshot with a line that cannot be read is skipped and recorded in `damaged`.
fn parse(bytes: &[u8], path: &Path, keep_all: bool) -> Result<Snapshots> {
    let mut reader = StoreReader {
        out: Snapshots {
            path: path.to_path_buf(),
            snapshots: Vec::new(),
            decreases: Vec::new(),
            ignored_tail_bytes: 0,
            damaged: Vec::new(),
        },
        current: None,
        last: None,
        keep_all,
    };
    if bytes.is_empty() {
        return Ok(reader.out);
    }
    let mut lines = bytes.split(|&b| b == b'\n');
    match lines.next() {
        // an empty first line is no header: a file that starts with one is not taken for an
        // empty store, whose appended snapshots could never be read (found by fuzzing)
        None => return Ok(reader.out),
        Some(h) if h == HEADER.trim_end().as_bytes() => {}
        Some(h) => {
            return Err(Error::BadLine {
                path: path.to_path_buf(),
                line: 1,
                field: "header",
                expected: HEADER.trim_end(),
                found: shorten(&String::from_utf8_lossy(h)),
            });
        }
    }
    for (i, line) in lines.enumerate() {
        if !line.is_empty() {
            // (empty: the split's piece after the final newline)
            reader.line(i as u64 + 2, line)?;
        }
    }
    let mut out = reader.out;
    if let Some(open) = reader.current {
        // only whole snapshots are parsed, so this is a snapshot whose end row was damaged
        out.damaged.push(open.damage.unwrap_or(Damage {
            line: 0,
            problem: format!("the snapshot of {} has no end row", open.time),
        }));
    }
    Ok(out)
}

/// The state of a parse: what has been read, the snapshot open, and the last one read
/// whole (what a `not_modified` snapshot and decreases refer to).
struct StoreReader {
    out: Snapshots,
    current: Option<Open>,
    last: Option<Snapshot>,
    keep_all: bool,
}

impl StoreReader {
    /// Line `n` of the store.
    fn line(&mut self, n: u64, line: &[u8]) -> Result<()> {
        let damage = |problem: String| Damage { line: n, problem };
        let row = match read_row(line) {
            Ok(row) => row,
            Err(problem) => {
                // the snapshot this line is in (if one is open) cannot be trusted
                let d = damage(problem);
                match self.current.as_mut() {
                    Some(open) if open.damage.is_none() => open.damage = Some(d),
                    Some(_) => {}
                    None => self.out.damaged.push(d),
                }
                // an `end` row closes its snapshot even when it cannot be read, as for the
                // crash repair (`whole_prefix`): the rows after it (a snapshot appended
                // at the same time string) never join the damaged one (found by fuzzing)
                if line.split(|&b| b == b',').nth(2) == Some(b"end")
                    && let Some(open) = self.current.take()
                {
                    self.out.damaged.extend(open.damage);
                }
                return Ok(());
            }
        };
        if self.current.as_ref().is_none_or(|o| o.time != row.time) && !self.open(n, &row)? {
            return Ok(());
        }
        let Some(open) = self.current.as_mut() else {
            unreachable!("opened above")
        };
        if open.snapshot.petition != row.id {
            open.damage.get_or_insert_with(|| {
                damage(format!(
                    "petition {} inside a snapshot of {}",
                    row.id, open.snapshot.petition
                ))
            });
            // its `end` row still closes it (see above)
            if row.kind == "end"
                && let Some(open) = self.current.take()
            {
                self.out.damaged.extend(open.damage);
            }
            return Ok(());
        }
        let s = &mut open.snapshot;
        match row.kind {
            "total" => s.total = row.count,
            "uk" => s.uk_total = row.count,
            "seat" => {
                if open.seats == 0 {
                    s.counts.clear(); // a full snapshot: exactly the seats listed
                }
                s.counts.insert(row.code.to_string(), row.count);
                open.seats += 1;
            }
            "end" => self.close(n, &row),
            other => {
                let d = damage(format!(
                    "expected a kind of total, uk, seat or end, found `{}`",
                    shorten(other)
                ));
                open.damage.get_or_insert(d);
            }
        }
        Ok(())
    }

    /// Opens the snapshot whose first line is `row` (line `n`), setting aside one left
    /// without its end row; false if its time cannot be read (the line is damage).
    fn open(&mut self, n: u64, row: &Row) -> Result<bool> {
        let damage = |problem: String| Damage { line: n, problem };
        if let Some(open) = self.current.take() {
            // a snapshot without its end row: its rows are skipped
            self.out.damaged.push(open.damage.unwrap_or_else(|| {
                damage(format!("the snapshot of {} has no end row", open.time))
            }));
        }
        let Ok(when) = humantime::parse_rfc3339(row.time) else {
            self.out.damaged.push(damage(format!(
                "expected an RFC 3339 UTC time, found `{}`",
                shorten(row.time)
            )));
            return Ok(false);
        };
        let mut s = Snapshot::new(row.id, when, 0, 0);
        if let Some(prev) = &self.last {
            if prev.petition != row.id || when < prev.time {
                return Err(Error::Snapshots {
                    path: self.out.path.clone(),
                    problem: format!(
                        "line {n}: petition {} at {} follows petition {} at {}",
                        row.id,
                        row.time,
                        prev.petition,
                        prev.time_string()
                    ),
                });
            }
            s.counts = prev.counts.clone();
        }
        self.current = Some(Open {
            time: row.time.to_string(),
            snapshot: s,
            seats: 0,
            damage: None,
        });
        Ok(true)
    }

    /// Closes the open snapshot at its end row (line `n`): kept if whole, else damage.
    fn close(&mut self, n: u64, row: &Row) {
        let Some(mut open) = self.current.take() else {
            unreachable!("the end row of an open snapshot")
        };
        let s = &mut open.snapshot;
        s.not_modified = row.flag == "not_modified";
        if open.damage.is_none() && row.count as usize != open.seats {
            open.damage = Some(Damage {
                line: n,
                problem: format!(
                    "the snapshot of {} has {} seat rows but its end row says {}",
                    open.time, open.seats, row.count
                ),
            });
        }
        if let Some(d) = open.damage {
            self.out.damaged.push(d);
            return;
        }
        if !s.not_modified && open.seats == 0 {
            s.counts.clear();
        }
        let s = open.snapshot;
        if self.keep_all
            && let Some(prev) = &self.last
        {
            self.out.decreases.extend(decreases(prev, &s));
        }
        self.last = Some(s.clone());
        if !self.keep_all {
            self.out.snapshots.clear();
        }
        self.out.snapshots.push(s);
    }
}

/// One row of the store, borrowed from its line.
struct Row<'a> {
    time: &'a str,
    id: u64,
    kind: &'a str,
    code: &'a str,
    count: u64,
    flag: &'a str,
}

/// Reads one line (without its newline), or says what is wrong with it.
fn read_row(line: &[u8]) -> std::result::Result<Row<'_>, String> {
    let line = std::str::from_utf8(line)
        .map_err(|e| format!("bytes that are not UTF-8 at column {}", e.valid_up_to() + 1))?;
    let line = line.strip_suffix('\r').unwrap_or(line);
    let f: Vec<&str> = line.split(',').collect();
    let [time, id, kind, code, count, flag] = f[..] else {
        return Err(format!(
            "expected 6 comma-separated fields, found {}: `{}`",
            f.len(),
            shorten(line)
        ));
    };
    let id = id
        .parse()
        .map_err(|_| format!("expected a petition number, found `{}`", shorten(id)))?;
    let count = count
        .parse()
        .map_err(|_| format!("expected a non-negative count, found `{}`", shorten(count)))?;
    if kind == "seat" && !is_storable_code(code) {
        return Err(format!("expected a GSS code, found `{}`", shorten(code)));
    }
    Ok(Row {
        time,
        id,
        kind,
        code,
        count,
        flag,
    })
}

/// At most 40 characters of `s`, control characters escaped, for a message.
fn shorten(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .collect::<String>()
        .escape_debug()
        .to_string();
    if s.chars().count() > 40 {
        out.push_str("...");
    }
    out
}

fn decreases(prev: &Snapshot, s: &Snapshot) -> Vec<Decrease> {
    let time = s.time_string();
    let mut out = Vec::new();
    let mut check = |code: &str, from: u64, to: u64| {
        if to < from {
            out.push(Decrease {
                time: time.clone(),
                code: code.to_string(),
                from,
                to,
            });
        }
    };
    check("total", prev.total, s.total);
    check("uk", prev.uk_total, s.uk_total);
    for (code, &from) in &prev.counts {
        check(code, from, s.counts.get(code).copied().unwrap_or(0));
    }
    out
}

/// How [`velocity`] compares the recent window with the baseline before it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct VelocityOptions {
    /// The recent window, ending at the last snapshot [default: 1 h].
    pub window: Duration,
    /// The least recent signatures for a burst [default: 10].
    pub min_count: u64,
    /// The least ratio of recent signatures to the expected count for a burst [default: 2].
    pub min_ratio: f64,
    /// The family-wise significance level, split over the seats (Bonferroni) [default: 0.05].
    pub alpha: f64,
}

impl Default for VelocityOptions {
    fn default() -> Self {
        VelocityOptions {
            window: Duration::from_secs(3600),
            min_count: 10,
            min_ratio: 2.0,
            alpha: 0.05,
        }
    }
}

impl VelocityOptions {
    /// Another window.
    #[must_use]
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Another least count for a burst.
    #[must_use]
    pub fn min_count(mut self, n: u64) -> Self {
        self.min_count = n;
        self
    }

    /// Another least ratio for a burst.
    #[must_use]
    pub fn min_ratio(mut self, r: f64) -> Self {
        self.min_ratio = r;
        self
    }

    /// Another significance level.
    #[must_use]
    pub fn alpha(mut self, a: f64) -> Self {
        self.alpha = a;
        self
    }
}

/// One seat's signing rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct VelocityRow {
    /// Constituency code.
    pub code: String,
    /// Signatures at the last snapshot.
    pub count: u64,
    /// Signatures gained in the recent window (negative if the count went down).
    pub recent: i64,
    /// Signatures gained in the baseline, from the first snapshot to the window's start.
    pub baseline: i64,
    /// `recent` per hour.
    pub recent_per_hour: f64,
    /// `baseline` per hour.
    pub baseline_per_hour: f64,
    /// Recent signatures expected at the seat's own baseline rate: `(baseline + 1) ×
    /// recent_hours / baseline_hours`.
    pub expected_own: f64,
    /// Recent signatures expected from the seat's baseline share of the national count:
    /// `(baseline + 1) / (Σ baseline + seats) × Σ recent`.
    pub expected_national: f64,
    /// `recent / max(expected_own, expected_national)`.
    pub ratio: f64,
    /// Poisson upper tail `P(X ≥ recent)` for `X ~ Poisson(max(expected_own, expected_national))`.
    pub p_value: f64,
    /// True if the seat is signing in a burst (see [`velocity`]).
    pub burst: bool,
    /// True if the seat's count went down between two snapshots anywhere in the store.
    pub decreased: bool,
}

/// Signing velocity of every seat of a store; see [`velocity`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Velocity {
    /// Petition number.
    pub petition: u64,
    /// Snapshots in the store.
    pub snapshots: usize,
    /// The first snapshot's time (the baseline's start).
    pub first: String,
    /// The window's start: the last snapshot at or before `last - window`.
    pub window_start: String,
    /// The last snapshot's time.
    pub last: String,
    /// Hours of the baseline.
    pub baseline_hours: f64,
    /// Hours of the recent window.
    pub recent_hours: f64,
    /// Petition total at the last snapshot.
    pub total: u64,
    /// The petition total's gain per hour in the window.
    pub total_recent_per_hour: f64,
    /// The petition total's gain per hour in the baseline.
    pub total_baseline_per_hour: f64,
    /// The United Kingdom count's gain per hour in the window.
    pub uk_recent_per_hour: f64,
    /// Seats flagged as bursts.
    pub bursts: usize,
    /// The p-value a seat must be under: `alpha / seats`.
    pub p_threshold: f64,
    /// Every count that went down between two snapshots (flagged, never dropped).
    pub decreases: Vec<Decrease>,
    /// One row per seat seen in the store, bursts first, then by recent rate (highest first).
    pub rows: Vec<VelocityRow>,
}

/// Signatures per hour for each seat, recent window against the seat's own baseline, with
/// bursts flagged.
///
/// Let `T` be the last snapshot, `S` the last snapshot at or before `T − window` and `F` the
/// first. For each seat, `recent = c(T) − c(S)` and `baseline = c(S) − c(F)` (a seat absent
/// from a snapshot has 0). The recent count expected is the larger of
/// - `expected_own = (baseline + 1) × h(S,T) / h(F,S)`: the seat's own baseline rate, and
/// - `expected_national = (baseline + 1) / (Σ baseline + n) × Σ recent`: the seat's share of
///   the baseline applied to the recent signatures of all `n` seats,
///
/// (one pseudo-signature is added to each baseline so a seat with none before is not
/// infinitely surprising). A seat is a **burst** when all of these hold:
/// `recent ≥ min_count`, `recent ≥ min_ratio × expected`, and the Poisson upper tail
/// `P(X ≥ recent | X ~ Poisson(expected)) < alpha / n` (Bonferroni over the seats).
/// So a seat is flagged only if it signs far faster than it did itself *and* faster than
/// the national surge predicts for it: a petition going viral everywhere flags nothing.
///
/// # Examples
/// ```
/// use sigmap::live::{velocity, Snapshot, Snapshots, SnapshotStore, VelocityOptions};
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let dir = std::env::temp_dir().join(format!("sigmap-vel-{}", std::process::id()));
/// # let _ = std::fs::remove_dir_all(&dir);
/// let mut store = SnapshotStore::open(&dir)?;
/// let t0 = UNIX_EPOCH + Duration::from_secs(1_714_564_800);
/// // five seats sign 10 an hour each for 3 hours; then one signs 100 in the last hour
/// let seats = ["E14001063", "E14001064", "E14001065", "E14001066", "E14001067"];
/// for h in 0..=4u64 {
///     let mut s = Snapshot::new(1, t0 + Duration::from_secs(3600 * h), 0, 0);
///     for (i, code) in seats.iter().enumerate() {
///         let n = 10 * h + if i == 0 && h == 4 { 90 } else { 0 };
///         s.counts.insert(code.to_string(), n);
///         s.total += n;
///     }
///     s.uk_total = s.total;
///     store.append(&s)?;
/// }
/// let v = velocity(&Snapshots::read(&dir)?, &VelocityOptions::default())?;
/// assert_eq!(v.bursts, 1);
/// assert_eq!(v.rows[0].code, "E14001063");
/// assert_eq!(v.rows[0].recent_per_hour, 100.0);
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// [`Error::Snapshots`] if the store does not span more than the window with a snapshot
/// before it (no baseline).
pub fn velocity(store: &Snapshots, options: &VelocityOptions) -> Result<Velocity> {
    let problem = |p: String| Error::Snapshots {
        path: store.path.clone(),
        problem: p,
    };
    let (Some(first), Some(last)) = (store.snapshots.first(), store.snapshots.last()) else {
        return Err(problem("holds no snapshot yet".into()));
    };
    let start = window_start(store, first, last, options.window).map_err(problem)?;
    let hours = |a: SystemTime, b: SystemTime| {
        b.duration_since(a).unwrap_or_default().as_secs_f64() / 3600.0
    };
    let span = Span {
        first,
        start,
        last,
        h_base: hours(first.time, start.time),
        h_recent: hours(start.time, last.time),
    };
    let (h_base, h_recent) = (span.h_base, span.h_recent);
    let (rows, p_threshold) = seat_rows(store, &span, options);
    let gain = |f: fn(&Snapshot) -> u64, a: &Snapshot, b: &Snapshot, h: f64| {
        (f(b) as f64 - f(a) as f64) / h
    };
    Ok(Velocity {
        petition: last.petition,
        snapshots: store.snapshots.len(),
        first: first.time_string(),
        window_start: start.time_string(),
        last: last.time_string(),
        baseline_hours: h_base,
        recent_hours: h_recent,
        total: last.total,
        total_recent_per_hour: gain(|s| s.total, start, last, h_recent),
        total_baseline_per_hour: gain(|s| s.total, first, start, h_base),
        uk_recent_per_hour: gain(|s| s.uk_total, start, last, h_recent),
        bursts: rows.iter().filter(|r| r.burst).count(),
        p_threshold,
        decreases: store.decreases.clone(),
        rows,
    })
}

/// The baseline and recent periods of a velocity: from the first snapshot to the start of
/// the window, and from there to the last, in hours.
struct Span<'a> {
    first: &'a Snapshot,
    start: &'a Snapshot,
    last: &'a Snapshot,
    h_base: f64,
    h_recent: f64,
}

/// The last snapshot at least `window` before `last`, strictly between the first and the
/// last (a baseline before it); the problem, if there is none.
fn window_start<'a>(
    store: &'a Snapshots,
    first: &Snapshot,
    last: &Snapshot,
    window: Duration,
) -> std::result::Result<&'a Snapshot, String> {
    let cut = last.time.checked_sub(window).unwrap_or(UNIX_EPOCH);
    store
        .snapshots
        .iter()
        .rev()
        .find(|s| s.time <= cut)
        .filter(|s| s.time > first.time && s.time < last.time)
        .ok_or_else(|| {
            let span = last.time.duration_since(first.time).unwrap_or_default();
            format!(
                "spans {} in {} snapshot(s): a window of {} needs a baseline before it (snapshots over more than the window)",
                humantime::format_duration(Duration::from_secs(span.as_secs())),
                store.snapshots.len(),
                humantime::format_duration(window)
            )
        })
}

/// One row per seat of any snapshot, bursts first then by recent rate, and the
/// Bonferroni p-value threshold of a burst.
fn seat_rows(store: &Snapshots, span: &Span, options: &VelocityOptions) -> (Vec<VelocityRow>, f64) {
    let Span {
        first,
        start,
        last,
        h_base,
        h_recent,
    } = *span;
    let mut codes: Vec<&String> = store
        .snapshots
        .iter()
        .flat_map(|s| s.counts.keys())
        .collect();
    codes.sort();
    codes.dedup();
    let get = |s: &Snapshot, code: &str| s.counts.get(code).copied().unwrap_or(0) as i64;
    let gains: Vec<(i64, i64)> = codes
        .iter()
        .map(|c| (get(last, c) - get(start, c), get(start, c) - get(first, c)))
        .collect();
    let n = codes.len().max(1) as f64;
    let sum_recent: f64 = gains.iter().map(|g| g.0.max(0) as f64).sum();
    let sum_base: f64 = gains.iter().map(|g| g.1.max(0) as f64).sum();
    let p_threshold = options.alpha / n;
    let decreased: std::collections::HashSet<&str> =
        store.decreases.iter().map(|d| d.code.as_str()).collect();
    let mut rows: Vec<VelocityRow> = codes
        .iter()
        .zip(&gains)
        .map(|(code, &(recent, baseline))| {
            let b1 = baseline.max(0) as f64 + 1.0;
            let expected_own = b1 * h_recent / h_base;
            let expected_national = b1 / (sum_base + n) * sum_recent;
            let expected = expected_own.max(expected_national);
            let r = recent.max(0) as u64;
            let p_value = poisson_upper_tail(r, expected);
            let ratio = recent as f64 / expected;
            VelocityRow {
                code: code.to_string(),
                count: get(last, code) as u64,
                recent,
                baseline,
                recent_per_hour: recent as f64 / h_recent,
                baseline_per_hour: baseline as f64 / h_base,
                expected_own,
                expected_national,
                ratio,
                p_value,
                burst: r >= options.min_count
                    && ratio >= options.min_ratio
                    && p_value < p_threshold,
                decreased: decreased.contains(code.as_str()),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.burst
            .cmp(&a.burst)
            .then(b.recent_per_hour.total_cmp(&a.recent_per_hour))
            .then(a.code.cmp(&b.code))
    });
    (rows, p_threshold)
}

/// `P(X ≥ k)` for `X ~ Poisson(mean)`: the regularised lower incomplete gamma `P(k, mean)`.
fn poisson_upper_tail(k: u64, mean: f64) -> f64 {
    if k == 0 {
        1.0
    } else if mean <= 0.0 {
        0.0
    } else {
        statrs::function::gamma::gamma_lr(k as f64, mean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_tail() {
        // P(X >= 1 | 2) = 1 - e^-2
        approx::assert_relative_eq!(
            poisson_upper_tail(1, 2.0),
            1.0 - (-2.0f64).exp(),
            max_relative = 1e-12
        );
        // P(X >= 3 | 1) = 1 - e^-1 (1 + 1 + 1/2)
        approx::assert_relative_eq!(
            poisson_upper_tail(3, 1.0),
            1.0 - (-1.0f64).exp() * 2.5,
            max_relative = 1e-12
        );
        assert_eq!(poisson_upper_tail(0, 5.0), 1.0);
    }

    #[test]
    fn whole_prefix_stops_at_the_last_end_row() {
        let a = "t,1,total,,1,\nt,1,uk,,1,\nt,1,end,,0,\n";
        let text = format!("{HEADER}{a}u,1,total,,2,\nu,1,uk");
        assert_eq!(whole_prefix(text.as_bytes()), HEADER.len() + a.len());
        assert_eq!(whole_prefix(HEADER.as_bytes()), HEADER.len());
        assert_eq!(whole_prefix(b"time,pet"), 0);
        // bytes that are not UTF-8 before the last end row count as one byte each
        let mut b = format!("{HEADER}{a}").into_bytes();
        b.extend_from_slice(b"\xff\xfe\xfd\n");
        b.extend_from_slice(a.as_bytes());
        let whole = b.len();
        b.extend_from_slice(b"\xffu,1,total,,2");
        assert_eq!(whole_prefix(&b), whole);
    }

    #[test]
    fn a_snapshot_appended_after_a_damaged_end_row_is_read() {
        // fuzz/regressions/snapshots/damaged_end_*: a snapshot whose `end` row is not
        // UTF-8 or names another petition stayed open, and one appended at the same time
        // string joined it and was skipped as damaged
        let dir = std::env::temp_dir().join(format!("sigmap-damaged-end-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        let t = "2024-05-01T12:00:00.000Z";
        // an end row that is not UTF-8, and one of another petition
        for end in [
            &b"2024-05-01T12:00:00.000\xffZ,7,end,,0,\n"[..],
            b"2024-05-01T12:00:00.000Z,8,end,,0,\n",
        ] {
            let mut text = format!("{HEADER}{t},7,total,,1,\n{t},7,uk,,1,\n").into_bytes();
            text.extend_from_slice(end);
            std::fs::write(dir.join(STORE_FILE), &text).unwrap();
            let mut store = SnapshotStore::open(&dir).unwrap();
            assert!(store.last().is_none());
            let s = Snapshot::new(7, humantime::parse_rfc3339(t).unwrap(), 2, 2);
            store.append(&s).unwrap();
            let read = Snapshots::read(&dir).unwrap();
            assert_eq!(read.snapshots, [s]);
            assert_eq!(read.damaged.len(), 1, "{:?}", read.damaged);
            assert_eq!(read.damaged[0].line, 4);
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_store_whose_first_line_is_empty_is_refused_not_emptied() {
        // fuzz/regressions/snapshots/empty_first_line: it read as an empty store, and
        // snapshots appended to it were never read
        let dir = std::env::temp_dir().join(format!("sigmap-empty-line-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        let t = "2024-05-01T12:00:00.000Z";
        let text = format!("\n{HEADER}{t},7,total,,1,\n{t},7,uk,,1,\n{t},7,end,,0,\n");
        std::fs::write(dir.join(STORE_FILE), text).unwrap();
        for err in [
            Snapshots::read(&dir).unwrap_err(),
            SnapshotStore::open(&dir).unwrap_err(),
        ] {
            assert!(
                matches!(
                    err,
                    Error::BadLine {
                        line: 1,
                        field: "header",
                        ..
                    }
                ),
                "{err}"
            );
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn only_gss_codes_are_storable() {
        assert!(is_storable_code("E14000530"));
        for bad in [
            "E1400053,",
            "E14000\n30",
            "\"E140005",
            "e14000530",
            "E140005300",
            "",
        ] {
            assert!(!is_storable_code(bad), "{bad:?}");
        }
    }
}
