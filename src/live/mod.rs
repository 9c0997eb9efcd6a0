//! The live side: the petitions API over HTTP ([`Client`]) and a petition's counts over
//! time in an append-only store ([`SnapshotStore`]), with the velocity of signing per seat
//! ([`velocity`]).
//!
//! # The petitions API
//! A petition by number (falling back to the archive of past Parliaments), lists of
//! petitions by state and search text with paging, politely.
//!
//! [`Client`] is a blocking client (ureq, rustls) that behaves as a well-kept scraper should:
//! - it names itself: `User-Agent: sigmap/VERSION (+URL)` ([`default_user_agent`]);
//! - it waits [`ClientBuilder::min_interval`] between two requests (1 s by default);
//! - it retries `429 Too Many Requests` and `500`/`502`/`503`/`504`, and timeouts or dropped
//!   connections, with exponential backoff (1 s, 2 s, 4 s, ... by default), honouring a
//!   `Retry-After` header (seconds or an HTTP date) up to [`ClientBuilder::max_wait`];
//! - it keeps the last answer for each URL in memory and honours `Cache-Control` (`max-age`,
//!   `no-cache`, `no-store`): a fresh answer is reused without a request, a stale one is
//!   revalidated with `If-None-Match` / `If-Modified-Since`, so an unchanged petition costs a
//!   `304 Not Modified` and no body;
//! - it gives up after a connect timeout and a deadline ([`ClientBuilder::deadline`], 30 s by
//!   default) that covers a whole fetch: every attempt, body included, and the waits between
//!   them, so a server that stalls or trickles its body ends in [`Error::Timeout`](crate::Error::Timeout);
//! - it follows at most [`MAX_REDIRECTS`] redirects, and only on the same scheme, host and
//!   port: a redirect to another server is [`Error::Redirect`](crate::Error::Redirect) naming both URLs;
//! - it checks that a petition's `data.id` is the number asked for
//!   ([`Error::WrongPetition`](crate::Error::WrongPetition)), and stops a list after [`DEFAULT_MAX_PAGES`] pages
//!   ([`Error::TooManyPages`](crate::Error::TooManyPages)) or at a page it has already read.
//!
//! Every wait the client makes (pacing, backoff, `Retry-After`) goes through one sleeper
//! ([`ClientBuilder::sleeper`]), so tests can record the waits asked for instead of timing them.
//!
//! Every failure is a typed [`Error`](crate::Error) naming the URL: [`Error::Unreachable`](crate::Error::Unreachable) (no network,
//! unknown host, connection refused), [`Error::Timeout`](crate::Error::Timeout), [`Error::Http`](crate::Error::Http) (a status, after
//! retries), [`Error::Truncated`](crate::Error::Truncated) (fewer bytes than `Content-Length`, or JSON that breaks
//! off), [`Error::NotJson`](crate::Error::NotJson) (an HTML page where JSON was expected), [`Error::MissingField`](crate::Error::MissingField)
//! (a field the API always sends is absent) and [`Error::PetitionNotFound`](crate::Error::PetitionNotFound).
//!
//! The base URL is `https://petition.parliament.uk` ([`DEFAULT_BASE_URL`]); tests and mirrors
//! point [`ClientBuilder::base_url`] elsewhere. Links the API returns (`links.next`) name the
//! real host; they are rewritten onto the configured base URL.
//!
//! ## Examples
//! ```no_run
//! use sigmap::live::{Client, ListQuery, ListState, Source};
//!
//! let client = Client::new()?;
//! let petition = client.petition(700143, Source::Auto)?;
//! println!("{}: {} signatures", petition.title, petition.total);
//! let open = client.list(&ListQuery::new(ListState::Open).query("energy").max(100))?;
//! for p in &open.petitions {
//!     println!("{} {} {}", p.id, p.signature_count, p.action);
//! }
//! # Ok::<(), sigmap::Error>(())
//! ```
//!
//! # The snapshot store
//! A petition's counts over time: an append-only, crash-safe store of snapshots, and
//! signing velocity per seat with bursts flagged.
//!
//! ## Layout
//! A directory holding `snapshots.csv` ([`STORE_FILE`]), one row per count:
//! ```text
//! time,petition,kind,code,count,flag
//! 2024-05-01T12:00:00.000Z,700143,total,,15230,
//! 2024-05-01T12:00:00.000Z,700143,uk,,14871,
//! 2024-05-01T12:00:00.000Z,700143,seat,E14001063,31,
//! ...
//! 2024-05-01T12:00:00.000Z,700143,end,,648,
//! 2024-05-01T12:01:00.000Z,700143,total,,15230,
//! 2024-05-01T12:01:00.000Z,700143,uk,,14871,
//! 2024-05-01T12:01:00.000Z,700143,end,,0,not_modified
//! ```
//! - `total` is the petition's `signature_count`, `uk` its United Kingdom count, `seat` one
//!   constituency (as published: seats with no signature are absent), `end` closes the
//!   snapshot and counts its seat rows.
//! - A snapshot whose answer was `304 Not Modified` (or still fresh in the cache) has no seat
//!   rows and `not_modified` on its `end` row: its seats are those of the snapshot before.
//! - A count lower than in the snapshot before is written as published, with the flag
//!   `decreased`; nothing earlier is ever rewritten.
//!
//! Each snapshot is written with one `write` of whole lines followed by `fsync`. If a crash
//! leaves a snapshot without its `end` row (or a line without its newline), the next
//! [`SnapshotStore::open`] moves those bytes to `snapshots.csv.torn-TIME` and truncates the
//! file back to the last whole snapshot, so rows before it are never touched; the reader
//! ignores such a tail too. Offsets are computed on the file's bytes, so bytes that are not
//! UTF-8 cannot shift the cut.
//!
//! Only GSS codes (a capital letter and 8 digits) are written, so no field ever needs
//! quoting: a code from a broken or hostile server that is anything else (a comma, a
//! newline, a quote) is refused before a byte is written ([`Error::BadField`](crate::Error::BadField)). A store
//! damaged anyway (by hand, by a disk, by an older sigmap) stays readable: a snapshot with
//! a line that cannot be read is skipped and reported in [`Snapshots::damaged`], and every
//! other snapshot is read.
//!
//! ## Examples
//! ```
//! use sigmap::live::{Snapshot, SnapshotStore, Snapshots};
//! use std::time::{Duration, UNIX_EPOCH};
//!
//! let dir = std::env::temp_dir().join(format!("sigmap-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! let mut store = SnapshotStore::open(&dir)?;
//! let t0 = UNIX_EPOCH + Duration::from_secs(1_714_564_800);
//! let mut s = Snapshot::new(700143, t0, 10, 10);
//! s.counts.insert("E14001063".into(), 4);
//! store.append(&s)?;
//! s.time += Duration::from_secs(60);
//! s.counts.insert("E14001063".into(), 3); // the API's count went down: flagged, kept
//! let appended = store.append(&s)?;
//! assert_eq!(appended.decreased.len(), 1);
//! let read = Snapshots::read(&dir)?;
//! assert_eq!(read.snapshots.len(), 2);
//! assert_eq!(read.decreases[0].from, 4);
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), sigmap::Error>(())
//! ```

mod api;
mod snapshots;

pub use api::{
    BASE_URL_ENV, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_PAGES, Freshness, ListQuery,
    ListState, Listing, MAX_REDIRECTS, Page, PetitionSummary, Response, Sleeper, Source,
    default_user_agent,
};
pub use snapshots::{
    Appended, Damage, Decrease, Repair, STORE_FILE, Snapshot, SnapshotStore, Snapshots, Velocity,
    VelocityOptions, VelocityRow, velocity,
};
