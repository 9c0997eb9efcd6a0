//! The petitions API client (documented in [`crate::live`]).

use crate::error::{Error, Location, Result};
use crate::inputs::json::read_json;
use crate::inputs::petition::{Loose, PETITION_NUMBER, Petition, PetitionNumber};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// The petitions site.
pub const DEFAULT_BASE_URL: &str = "https://petition.parliament.uk";

/// The environment variable the CLI reads for the base URL (`--api` wins over it).
pub const BASE_URL_ENV: &str = "SIGMAP_API";

/// Redirects followed for one request (same scheme, host and port only); one more is
/// [`Error::TooManyRedirects`].
pub const MAX_REDIRECTS: u32 = 5;

/// Pages [`Client::list`] reads at most by default (50 petitions a page: 50,000 petitions);
/// see [`ListQuery::max_pages`].
pub const DEFAULT_MAX_PAGES: usize = 1_000;

/// How the client waits: a function given each duration to wait (pacing, backoff,
/// `Retry-After`). The default sleeps the thread; tests record the durations instead.
///
/// # Examples
/// ```
/// use std::sync::{Arc, Mutex};
/// use std::time::Duration;
/// let waits = Arc::new(Mutex::new(Vec::new()));
/// let log = Arc::clone(&waits);
/// let client = sigmap::live::Client::builder()
///     .sleeper(move |d: Duration| log.lock().unwrap().push(d))
///     .build()?;
/// # drop(client);
/// # Ok::<(), sigmap::Error>(())
/// ```
#[derive(Clone)]
pub struct Sleeper(std::sync::Arc<dyn Fn(Duration) + Send + Sync>);

impl Sleeper {
    /// Waits `d` (or records it).
    pub fn sleep(&self, d: Duration) {
        (self.0)(d);
    }
}

impl Default for Sleeper {
    fn default() -> Self {
        Sleeper(std::sync::Arc::new(std::thread::sleep))
    }
}

impl std::fmt::Debug for Sleeper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sleeper(..)")
    }
}

/// The `User-Agent` sigmap sends: `sigmap/VERSION (+URL)`, the URL being the crate's
/// repository, or its crates.io page when the package names none.
///
/// # Examples
/// ```
/// assert!(sigmap::live::default_user_agent().starts_with("sigmap/"));
/// ```
pub fn default_user_agent() -> String {
    let repo = env!("CARGO_PKG_REPOSITORY");
    let url = if repo.is_empty() {
        "https://crates.io/crates/sigmap"
    } else {
        repo
    };
    format!("sigmap/{} (+{url})", env!("CARGO_PKG_VERSION"))
}

/// Settings of a [`Client`]; [`ClientBuilder::build`] makes the client.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// let client = sigmap::live::Client::builder()
///     .base_url("http://127.0.0.1:8080/")
///     .min_interval(Duration::from_millis(200))
///     .retries(2)
///     .timeout(Duration::from_secs(5))
///     .build()?;
/// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
/// # Ok::<(), sigmap::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    user_agent: String,
    min_interval: Duration,
    retries: u32,
    backoff: Duration,
    max_wait: Duration,
    connect_timeout: Duration,
    timeout: Duration,
    deadline: Duration,
    max_body: u64,
    cache: bool,
    sleeper: Sleeper,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_string(),
            user_agent: default_user_agent(),
            min_interval: Duration::from_secs(1),
            retries: 4,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(30),
            max_body: 64 * 1024 * 1024,
            cache: true,
            sleeper: Sleeper::default(),
        }
    }
}

impl ClientBuilder {
    /// The defaults: the petitions site, 1 s between requests, 4 retries backing off from
    /// 1 s, waits of at most 60 s, a 10 s connect timeout, a 30 s timeout for one attempt,
    /// a 30 s deadline for a whole fetch (attempts and waits), bodies up to 64 MiB, the
    /// cache on, waits by sleeping the thread.
    pub fn new() -> Self {
        Self::default()
    }

    /// The server: scheme, host, optional port and path prefix, e.g.
    /// `http://127.0.0.1:8080`. A trailing `/` is dropped.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }

    /// The `User-Agent` header [default: [`default_user_agent`]].
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// The least time between the starts of two requests [default: 1 s].
    pub fn min_interval(mut self, d: Duration) -> Self {
        self.min_interval = d;
        self
    }

    /// How many times a request is retried after a 429, a 5xx, a timeout or a dropped
    /// connection [default: 4].
    pub fn retries(mut self, n: u32) -> Self {
        self.retries = n;
        self
    }

    /// The wait before the first retry when the server gives no `Retry-After`; it doubles
    /// at each retry [default: 1 s].
    pub fn backoff(mut self, d: Duration) -> Self {
        self.backoff = d;
        self
    }

    /// The longest wait between two attempts [default: 60 s]. Backoff is capped at it; a
    /// `Retry-After` longer than it ends the retries with [`Error::Http`] at once, since
    /// retrying sooner than the server asked would not be polite.
    pub fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = d;
        self
    }

    /// The time allowed to connect (DNS, TCP, TLS) [default: 10 s].
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// The time allowed for one attempt, body included [default: 30 s]; the
    /// [deadline](ClientBuilder::deadline) can make it shorter.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The time allowed for a whole fetch [default: 30 s]: every attempt (connecting,
    /// headers, body) and every wait between them, for [`Client::get`], for
    /// [`Client::petition_json`] (both places it looks) and for each page of
    /// [`Client::list`]. A retry whose wait would end past it is not made; a server that
    /// stalls or trickles its body ends in [`Error::Timeout`] when it runs out.
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = d;
        self
    }

    /// How the client waits between requests and before retries [default: sleep the
    /// thread]. Tests pass a function that records the durations (see [`Sleeper`]).
    pub fn sleeper(mut self, f: impl Fn(Duration) + Send + Sync + 'static) -> Self {
        self.sleeper = Sleeper(std::sync::Arc::new(f));
        self
    }

    /// The largest body accepted [default: 64 MiB].
    pub fn max_body(mut self, bytes: u64) -> Self {
        self.max_body = bytes;
        self
    }

    /// Whether answers are kept for reuse and conditional requests [default: true].
    pub fn cache(mut self, on: bool) -> Self {
        self.cache = on;
        self
    }

    /// Makes the client.
    ///
    /// # Errors
    /// [`Error::BadUrl`] if the base URL is not `http://` or `https://` with a host.
    pub fn build(self) -> Result<Client> {
        let url = &self.base_url;
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        match rest {
            None => {
                return Err(Error::BadUrl {
                    url: url.clone(),
                    reason: "it must start with http:// or https://",
                });
            }
            Some(r) if r.is_empty() || r.starts_with('/') => {
                return Err(Error::BadUrl {
                    url: url.clone(),
                    reason: "it has no host",
                });
            }
            Some(r) if r.contains(['?', '#', ' ']) => {
                return Err(Error::BadUrl {
                    url: url.clone(),
                    reason: "a base URL has no query, fragment or space",
                });
            }
            Some(_) => {}
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // redirects are followed by hand, on the same server only (see `attempt`)
            .max_redirects(0)
            .user_agent(self.user_agent.as_str())
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .build();
        Ok(Client {
            agent: ureq::Agent::new_with_config(config),
            settings: self,
            last_request: Mutex::new(None),
            cache: Mutex::new(HashMap::new()),
        })
    }
}

/// Where to look for a petition by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// `/petitions/ID.json`, then `/archived/petitions/ID.json` if that is a 404.
    #[default]
    Auto,
    /// Only `/petitions/ID.json` (petitions of the current Parliament).
    Current,
    /// Only `/archived/petitions/ID.json` (petitions of past Parliaments).
    Archived,
}

/// How the body of a [`Response`] was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Freshness {
    /// Downloaded: the server sent a body (200).
    Downloaded,
    /// Revalidated: the server answered `304 Not Modified`; the body is the cached one.
    NotModified,
    /// Reused from the cache without a request (still fresh under `Cache-Control: max-age`).
    Cached,
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response {
    /// The URL requested.
    pub url: String,
    /// The body (the cached one for [`Freshness::NotModified`] and [`Freshness::Cached`]).
    pub body: String,
    /// How the body was obtained.
    pub freshness: Freshness,
    /// The `ETag` validator, if the server sent one.
    pub etag: Option<String>,
    /// The `Last-Modified` validator, if the server sent one.
    pub last_modified: Option<String>,
    /// Requests made for this answer (0 when served from the cache; more than 1 after retries).
    pub attempts: u32,
}

impl Response {
    /// True if the server was asked and said nothing changed, or was not asked at all.
    pub fn is_unchanged(&self) -> bool {
        self.freshness != Freshness::Downloaded
    }
}

#[derive(Debug, Clone)]
struct CacheEntry {
    body: String,
    etag: Option<String>,
    last_modified: Option<String>,
    stored: Instant,
    max_age: Option<Duration>,
    revalidate: bool,
}

impl CacheEntry {
    fn is_fresh(&self) -> bool {
        !self.revalidate && self.max_age.is_some_and(|age| self.stored.elapsed() < age)
    }

    /// The answer to `url` that this entry gives.
    fn response(&self, url: &str, freshness: Freshness, attempts: u32) -> Response {
        Response {
            url: url.to_string(),
            body: self.body.clone(),
            freshness,
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
            attempts,
        }
    }
}

/// What `Cache-Control` allows.
#[derive(Debug, Default, PartialEq)]
struct CacheControl {
    no_store: bool,
    no_cache: bool,
    max_age: Option<Duration>,
}

fn cache_control(header: Option<&str>, age: Option<&str>) -> CacheControl {
    let mut cc = CacheControl::default();
    for d in header.unwrap_or("").split(',') {
        let d = d.trim().to_ascii_lowercase();
        if d == "no-store" {
            cc.no_store = true;
        } else if d == "no-cache" {
            cc.no_cache = true;
        } else if let Some(v) = d.strip_prefix("max-age=") {
            cc.max_age = v.trim_matches('"').parse().ok().map(Duration::from_secs);
        }
    }
    // an intermediary's `Age` counts against the freshness lifetime
    let age = age.and_then(|a| a.trim().parse().ok()).unwrap_or(0);
    cc.max_age = cc
        .max_age
        .map(|m| m.saturating_sub(Duration::from_secs(age)));
    cc
}

/// The `Retry-After` header: delay-seconds or an HTTP date (IMF-fixdate).
fn retry_after(header: &str, now: SystemTime) -> Option<Duration> {
    let h = header.trim();
    if let Ok(secs) = h.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // `Sun, 06 Nov 1994 08:49:37 GMT`
    let parts: Vec<&str> = h.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts[..] else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|x| x.eq_ignore_ascii_case(month))? + 1;
    let when = humantime::parse_rfc3339(&format!("{year}-{m:02}-{day:0>2}T{time}Z")).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A blocking, polite client of the petitions API. See the [module docs](crate::live).
///
/// The client is `Sync`: its pacing and cache are behind mutexes, so one client can be
/// shared; requests from several threads are still spaced by the minimum interval.
#[derive(Debug)]
pub struct Client {
    settings: ClientBuilder,
    agent: ureq::Agent,
    last_request: Mutex<Option<Instant>>,
    cache: Mutex<HashMap<String, CacheEntry>>,
}

/// When a fetch must be over: `end` is `None` for a deadline too far to represent.
#[derive(Debug, Clone, Copy)]
struct Deadline {
    end: Option<Instant>,
    total: Duration,
}

impl Deadline {
    /// The time left, `None` for no deadline.
    fn remaining(&self) -> Option<Duration> {
        self.end
            .map(|e| e.saturating_duration_since(Instant::now()))
    }
}

/// What one attempt gave.
enum Attempt {
    Done(Box<Response>),
    Retry {
        why: Retryable,
        after: Option<Duration>,
    },
}

enum Retryable {
    Status(u16),
    Failure(Error),
}

impl Attempt {
    /// A retry after a failure with no status (a timeout, a dropped connection).
    fn failed(err: Error) -> Attempt {
        Attempt::Retry {
            why: Retryable::Failure(err),
            after: None,
        }
    }
}

/// A response as the HTTP client gives it.
type HttpResponse = ureq::http::Response<ureq::Body>;

/// A header of a response, if it is there and is text.
fn header(response: &HttpResponse, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

impl Client {
    /// A client with the default settings (the petitions site).
    ///
    /// # Errors
    /// None in practice (the default URL is valid); the signature matches [`ClientBuilder::build`].
    pub fn new() -> Result<Client> {
        ClientBuilder::new().build()
    }

    /// Settings to change before [`ClientBuilder::build`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.settings.base_url
    }

    /// The JSON URL of a petition: `BASE/petitions/ID.json` or `BASE/archived/petitions/ID.json`.
    pub fn petition_url(&self, id: u64, archived: bool) -> String {
        let prefix = if archived { "/archived" } else { "" };
        format!("{}{prefix}/petitions/{id}.json", self.settings.base_url)
    }

    /// A URL the API returned (e.g. `links.next`, naming the real host) moved onto the base
    /// URL: scheme and host are replaced, path and query kept. A relative link is appended.
    ///
    /// # Examples
    /// ```
    /// let c = sigmap::live::Client::builder().base_url("http://127.0.0.1:9000").build()?;
    /// assert_eq!(
    ///     c.rebase("https://petition.parliament.uk/petitions.json?page=2&q=energy"),
    ///     "http://127.0.0.1:9000/petitions.json?page=2&q=energy"
    /// );
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn rebase(&self, link: &str) -> String {
        let path = match link.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None if link.starts_with('/') => link,
            None => return format!("{}/{link}", self.settings.base_url),
        };
        format!("{}{path}", self.settings.base_url)
    }

    /// GET a URL with pacing, retries and the cache (see the [module docs](crate::live)), within
    /// one [deadline](ClientBuilder::deadline).
    ///
    /// # Errors
    /// [`Error::Unreachable`], [`Error::Timeout`] (the deadline ran out, or the last attempt
    /// timed out), [`Error::Network`], [`Error::Http`] (after retries, or at once for a
    /// status that is not retried, or for a `Retry-After` longer than
    /// [`ClientBuilder::max_wait`] or than the time left), [`Error::Truncated`],
    /// [`Error::Redirect`] (to another server), [`Error::TooManyRedirects`].
    pub fn get(&self, url: &str) -> Result<Response> {
        self.get_until(url, self.deadline())
    }

    /// The deadline of a fetch starting now.
    fn deadline(&self) -> Deadline {
        let total = self.settings.deadline;
        let now = Instant::now();
        Deadline {
            // a deadline too far to represent is no deadline
            end: now.checked_add(total),
            total,
        }
    }

    fn get_until(&self, url: &str, deadline: Deadline) -> Result<Response> {
        let cached = self.cached(url);
        if let Some(entry) = cached.as_ref().filter(|e| e.is_fresh()) {
            return Ok(entry.response(url, Freshness::Cached, 0));
        }
        let s = &self.settings;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (why, after) = match self.attempt(url, cached.as_ref(), attempt, deadline)? {
                Attempt::Done(r) => return Ok(*r),
                Attempt::Retry { why, after } => (why, after),
            };
            let give_up = |why: Retryable| match why {
                Retryable::Status(status) => Error::Http {
                    url: url.to_string(),
                    status,
                    attempts: attempt,
                    retry_after: after,
                },
                Retryable::Failure(e) => e,
            };
            if attempt > s.retries {
                return Err(give_up(why));
            }
            let wait = match after {
                Some(asked) if asked > s.max_wait => return Err(give_up(why)),
                Some(asked) => asked,
                None => s
                    .backoff
                    .saturating_mul(1 << (attempt - 1).min(16))
                    .min(s.max_wait),
            };
            // a retry that could only start after the deadline is not made
            if deadline.remaining().is_some_and(|left| wait >= left) {
                return Err(give_up(why));
            }
            s.sleeper.sleep(wait);
        }
    }

    fn cached(&self, url: &str) -> Option<CacheEntry> {
        if !self.settings.cache {
            return None;
        }
        self.cache.lock().ok()?.get(url).cloned()
    }

    fn store(&self, url: &str, entry: CacheEntry) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(url.to_string(), entry);
        }
    }

    /// Waits until the minimum interval since the last request has passed, and marks now.
    fn pace(&self) {
        let Ok(mut last) = self.last_request.lock() else {
            return;
        };
        if let Some(t) = *last {
            let next = t + self.settings.min_interval;
            let now = Instant::now();
            if next > now {
                self.settings.sleeper.sleep(next - now);
            }
        }
        *last = Some(Instant::now());
    }

    fn attempt(
        &self,
        url: &str,
        cached: Option<&CacheEntry>,
        attempts: u32,
        deadline: Deadline,
    ) -> Result<Attempt> {
        let s = &self.settings;
        self.pace();
        // this attempt's budget: the per-attempt timeout, or what is left of the deadline
        let (budget, limit) = match deadline.remaining() {
            Some(left) if left < s.timeout => (left, deadline.total),
            _ => (s.timeout, s.timeout),
        };
        if budget.is_zero() {
            return Err(Error::Timeout {
                url: url.to_string(),
                after: limit,
            });
        }
        let end = Instant::now().checked_add(budget);
        match self.send(url, cached, attempts, end, limit)? {
            Ok((response, current)) => self.answer(url, current, response, cached, attempts, limit),
            Err(retry) => Ok(retry),
        }
    }

    /// Sends the GET (conditional on the cached validators) by `end`, following redirects
    /// on the same server: the final response and the URL that gave it, or, as `Err`, the
    /// attempt to retry after a timeout or a dropped connection. `limit` is the timeout
    /// messages name.
    fn send(
        &self,
        url: &str,
        cached: Option<&CacheEntry>,
        attempts: u32,
        end: Option<Instant>,
        limit: Duration,
    ) -> Result<std::result::Result<(HttpResponse, String), Attempt>> {
        let home = origin(url);
        let mut current = url.to_string();
        let mut hops = 0;
        loop {
            let left = end.map(|e| e.saturating_duration_since(Instant::now()));
            if left.is_some_and(|l| l.is_zero()) {
                let timeout = Error::Timeout {
                    url: current,
                    after: limit,
                };
                return Ok(Err(Attempt::failed(timeout)));
            }
            let mut request = self
                .agent
                .get(current.as_str())
                .header("Accept", "application/json");
            if let Some(c) = cached {
                if let Some(etag) = &c.etag {
                    request = request.header("If-None-Match", etag.as_str());
                }
                if let Some(lm) = &c.last_modified {
                    request = request.header("If-Modified-Since", lm.as_str());
                }
            }
            let response = match request.config().timeout_global(left).build().call() {
                Ok(r) => r,
                Err(e) => {
                    let err = transport_error(&current, e, limit);
                    return match err {
                        Error::Timeout { .. } | Error::Network { .. } => {
                            Ok(Err(Attempt::failed(err)))
                        }
                        _ => Err(err),
                    };
                }
            };
            let status = response.status().as_u16();
            if !matches!(status, 301 | 302 | 303 | 307 | 308) {
                return Ok(Ok((response, current)));
            }
            let Some(location) = header(&response, "location") else {
                return Err(Error::Http {
                    url: current,
                    status,
                    attempts,
                    retry_after: None,
                });
            };
            let next = resolve(&current, &location);
            if home.is_none() || origin(&next) != home {
                return Err(Error::Redirect {
                    from: current,
                    to: preview(&next, 200),
                });
            }
            hops += 1;
            if hops > MAX_REDIRECTS {
                return Err(Error::TooManyRedirects {
                    url: url.to_string(),
                    limit: MAX_REDIRECTS,
                });
            }
            current = next;
        }
    }

    /// What the final response to an attempt at `url` (from `current`, after redirects)
    /// makes of it: an answer (cached if the server allows), a retry, or an error.
    fn answer(
        &self,
        url: &str,
        current: String,
        response: HttpResponse,
        cached: Option<&CacheEntry>,
        attempts: u32,
        limit: Duration,
    ) -> Result<Attempt> {
        let status = response.status().as_u16();
        let etag = header(&response, "etag");
        let last_modified = header(&response, "last-modified");
        let cc = cache_control(
            header(&response, "cache-control").as_deref(),
            header(&response, "age").as_deref(),
        );
        match (status, cached) {
            (304, Some(old)) => {
                let entry = CacheEntry {
                    body: old.body.clone(),
                    etag: etag.or_else(|| old.etag.clone()),
                    last_modified: last_modified.or_else(|| old.last_modified.clone()),
                    stored: Instant::now(),
                    max_age: cc.max_age,
                    revalidate: cc.no_cache,
                };
                let r = entry.response(url, Freshness::NotModified, attempts);
                self.store(url, entry);
                Ok(Attempt::Done(Box::new(r)))
            }
            (200..=299, _) => {
                let body = match self.read_body(&current, response, limit) {
                    Ok(body) => body,
                    Err(err) => return Ok(Attempt::failed(err)),
                };
                let entry = CacheEntry {
                    body,
                    etag,
                    last_modified,
                    stored: Instant::now(),
                    max_age: cc.max_age,
                    revalidate: cc.no_cache,
                };
                let r = entry.response(url, Freshness::Downloaded, attempts);
                let reusable = entry.etag.is_some() || entry.last_modified.is_some();
                if self.settings.cache && !cc.no_store && (reusable || cc.max_age.is_some()) {
                    self.store(url, entry);
                }
                Ok(Attempt::Done(Box::new(r)))
            }
            (429 | 500 | 502 | 503 | 504, _) => Ok(Attempt::Retry {
                why: Retryable::Status(status),
                after: header(&response, "retry-after")
                    .and_then(|h| retry_after(&h, SystemTime::now())),
            }),
            _ => Err(Error::Http {
                url: current,
                status,
                attempts,
                retry_after: None,
            }),
        }
    }

    /// The body of a successful response, at most [`ClientBuilder::max_body`] bytes.
    fn read_body(&self, url: &str, response: HttpResponse, limit: Duration) -> Result<String> {
        let encoded = header(&response, "content-encoding").is_some();
        let expected = header(&response, "content-length").and_then(|v| v.trim().parse().ok());
        let mut bytes = Vec::new();
        response
            .into_body()
            .into_with_config()
            .limit(self.settings.max_body)
            .reader()
            .read_to_end(&mut bytes)
            .map_err(|e| body_error(url, e, limit, expected, bytes.len() as u64, encoded))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// GET a URL and parse the body as JSON.
    ///
    /// # Errors
    /// As [`Client::get`]; [`Error::NotJson`] if the body is not JSON (an HTML page);
    /// [`Error::Truncated`] if the JSON breaks off; [`Error::Json`] if it is malformed.
    pub fn get_json(&self, url: &str) -> Result<(Response, Value)> {
        let r = self.get(url)?;
        let value = parse_json(&r.body, url)?;
        Ok((r, value))
    }

    /// The raw JSON of a petition. With [`Source::Auto`], a 404 at `/petitions/ID.json`
    /// is followed by `/archived/petitions/ID.json`.
    ///
    /// # Errors
    /// As [`Client::get_json`]; [`Error::PetitionNotFound`] if every place looked at
    /// answers 404; [`Error::WrongPetition`] if the answer is another petition (its
    /// `data.id` is not `id`: a mirror or a redirect substituting one), and
    /// [`Error::MissingField`] if it has no `data.id`. [`ClientBuilder::deadline`] covers
    /// both places looked at.
    pub fn petition_json(&self, id: u64, source: Source) -> Result<Response> {
        let places: &[bool] = match source {
            Source::Auto => &[false, true],
            Source::Current => &[false],
            Source::Archived => &[true],
        };
        // one deadline for both places
        let deadline = self.deadline();
        let mut urls = Vec::new();
        for &archived in places {
            let url = self.petition_url(id, archived);
            match self.get_until(&url, deadline) {
                Ok(r) => {
                    let root = parse_json(&r.body, &url)?;
                    check_id(&root, id, &url)?;
                    return Ok(r);
                }
                Err(Error::Http { status: 404, .. }) => urls.push(url),
                Err(e) => return Err(e),
            }
        }
        Err(Error::PetitionNotFound { id, urls })
    }

    /// A petition, parsed as [`Petition::from_reader`] does, with the URL as its source.
    ///
    /// # Errors
    /// As [`Client::petition_json`], and the parse errors of [`Petition::from_reader`]
    /// (e.g. [`Error::MissingField`] naming the URL and the field).
    pub fn petition(&self, id: u64, source: Source) -> Result<Petition> {
        let r = self.petition_json(id, source)?;
        Petition::parse(&r.body, &r.url)
    }

    /// One page of a list: its petitions and the (rebased) link to the next page.
    ///
    /// # Errors
    /// As [`Client::get_json`]; [`Error::MissingField`] (naming the URL, the entry and the
    /// field) if `data`, or an entry's `id`, `attributes.action`, `attributes.state` or
    /// `attributes.signature_count` is absent; [`Error::BadField`] if one has the wrong type.
    pub fn list_page(&self, url: &str) -> Result<Page> {
        let (_, root) = self.get_json(url)?;
        let page = ListPage::read(&root, url)?;
        Ok(Page {
            url: url.to_string(),
            petitions: page.data.into_iter().map(PetitionSummary::from).collect(),
            next: page.links.0.and_then(|l| l.next.0).map(|l| self.rebase(&l)),
        })
    }

    /// Petitions by state and search text, following `links.next` page by page (the API
    /// gives 50 a page) until the last page or `max` petitions. A broken server cannot keep
    /// it going: it stops, with [`Listing::note`] saying why, at a link back to a page
    /// already read, at a page listing only petitions already listed, or at an empty page
    /// that links on; and after
    /// [`ListQuery::max_pages`] pages ([`DEFAULT_MAX_PAGES`] by default) it gives up.
    ///
    /// # Errors
    /// As [`Client::list_page`], for any page; [`Error::TooManyPages`] if the pages do not
    /// end within [`ListQuery::max_pages`].
    pub fn list(&self, query: &ListQuery) -> Result<Listing> {
        let mut listing = Listing {
            petitions: Vec::new(),
            pages: 0,
            complete: true,
            note: None,
        };
        let mut next = Some(self.list_url(query));
        let mut seen = std::collections::HashSet::new();
        let mut listed = std::collections::HashSet::new();
        while let Some(url) = next.take() {
            if !seen.insert(url.clone()) {
                listing.complete = false;
                listing.note = Some(format!(
                    "stopped at {url}: `links.next` leads back to a page already read"
                ));
                break;
            }
            if listing.pages >= query.max_pages {
                return Err(Error::TooManyPages {
                    url,
                    pages: listing.pages,
                });
            }
            let page = self.list_page(&url)?;
            listing.pages += 1;
            if !page.petitions.is_empty() && page.petitions.iter().all(|p| listed.contains(&p.id)) {
                listing.complete = false;
                listing.note = Some(format!(
                    "stopped at {url}: the page lists only petitions already listed"
                ));
                break;
            }
            listed.extend(page.petitions.iter().map(|p| p.id));
            let empty = page.petitions.is_empty();
            listing.petitions.extend(page.petitions);
            if let Some(max) = query.max
                && listing.petitions.len() >= max
            {
                listing.complete = page.next.is_none() && listing.petitions.len() == max;
                listing.petitions.truncate(max);
                break;
            }
            if empty && page.next.is_some() {
                listing.complete = false;
                listing.note = Some(format!(
                    "stopped at {url}: an empty page that links to another"
                ));
            } else {
                next = page.next;
            }
        }
        Ok(listing)
    }

    /// The first page's URL of a list: `BASE/petitions.json?state=S&q=Q`.
    pub fn list_url(&self, query: &ListQuery) -> String {
        let prefix = if query.archived { "/archived" } else { "" };
        let mut url = format!(
            "{}{prefix}/petitions.json?state={}",
            self.settings.base_url,
            query.state.as_str()
        );
        if let Some(q) = &query.query {
            url.push_str("&q=");
            url.push_str(&percent_encode(q));
        }
        url
    }
}

/// Petition states the list endpoint filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListState {
    /// Every state.
    #[default]
    All,
    /// Open for signatures.
    Open,
    /// Closed.
    Closed,
    /// Rejected by the Petitions Committee.
    Rejected,
    /// Debated in Parliament.
    Debated,
    /// Over the debate threshold but not debated.
    NotDebated,
    /// Over the response threshold, awaiting the Government's response.
    AwaitingResponse,
    /// With a Government response.
    WithResponse,
    /// Awaiting a debate.
    AwaitingDebate,
}

impl ListState {
    /// Every state, in the order of the API's documentation.
    pub const ALL: [ListState; 9] = [
        ListState::All,
        ListState::Open,
        ListState::Closed,
        ListState::Rejected,
        ListState::Debated,
        ListState::NotDebated,
        ListState::AwaitingResponse,
        ListState::WithResponse,
        ListState::AwaitingDebate,
    ];

    /// The API's name: `open`, `not_debated`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ListState::All => "all",
            ListState::Open => "open",
            ListState::Closed => "closed",
            ListState::Rejected => "rejected",
            ListState::Debated => "debated",
            ListState::NotDebated => "not_debated",
            ListState::AwaitingResponse => "awaiting_response",
            ListState::WithResponse => "with_response",
            ListState::AwaitingDebate => "awaiting_debate",
        }
    }
}

impl std::fmt::Display for ListState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ListState {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        ListState::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ListState::ALL.iter().map(|s| s.as_str()).collect();
                format!("unknown state `{s}`: expected one of {}", names.join(", "))
            })
    }
}

/// What to list: a state, search text, a cap.
///
/// # Examples
/// ```
/// use sigmap::live::{ListQuery, ListState};
/// let q = ListQuery::new(ListState::Open).query("energy").max(120);
/// assert_eq!(q.max, Some(120));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct ListQuery {
    /// The state filter.
    pub state: ListState,
    /// Search text (`q=`).
    pub query: Option<String>,
    /// Stop after this many petitions.
    pub max: Option<usize>,
    /// List the archive of past Parliaments (`/archived/petitions.json`).
    pub archived: bool,
    /// Read at most this many pages [default: [`DEFAULT_MAX_PAGES`]]; a list with more is
    /// [`Error::TooManyPages`].
    pub max_pages: usize,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            state: ListState::default(),
            query: None,
            max: None,
            archived: false,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

impl ListQuery {
    /// Petitions in `state`, no search text, no cap.
    pub fn new(state: ListState) -> Self {
        ListQuery {
            state,
            ..ListQuery::default()
        }
    }

    /// Search text.
    pub fn query(mut self, q: impl Into<String>) -> Self {
        self.query = Some(q.into());
        self
    }

    /// At most `n` petitions.
    pub fn max(mut self, n: usize) -> Self {
        self.max = Some(n);
        self
    }

    /// The archive of past Parliaments instead of the current one.
    pub fn archived(mut self, yes: bool) -> Self {
        self.archived = yes;
        self
    }

    /// At most `n` pages (see [`Client::list`]).
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = n;
        self
    }
}

/// One petition of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PetitionSummary {
    /// Petition number.
    pub id: u64,
    /// `open`, `closed`, `rejected`, ...
    pub state: String,
    /// Total signatures when listed.
    pub signature_count: u64,
    /// The title.
    pub action: String,
    /// `links.self`: the petition's JSON URL as the API gives it.
    pub url: Option<String>,
    /// True for `type: "archived-petition"`.
    pub archived: bool,
    /// When it opened.
    pub opened_at: Option<String>,
    /// When it closed.
    pub closed_at: Option<String>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Page {
    /// The URL read.
    pub url: String,
    /// Its petitions, in the API's order.
    pub petitions: Vec<PetitionSummary>,
    /// The next page (rebased onto the client's base URL), none on the last page.
    pub next: Option<String>,
}

/// The result of [`Client::list`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Listing {
    /// The petitions, in the API's order.
    pub petitions: Vec<PetitionSummary>,
    /// Pages read.
    pub pages: usize,
    /// False if the cap stopped the listing before the last page, or a broken server did.
    pub complete: bool,
    /// Why the listing stopped before the server said it was over (a `links.next` back to
    /// a page already read, a page listing only petitions already listed, an empty page
    /// linking on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A page of `/petitions.json?state=...` as sigmap reads it.
#[derive(Deserialize)]
struct ListPage {
    data: Vec<ListEntry>,
    links: Loose<Links>,
}

impl ListPage {
    fn read(root: &Value, url: &str) -> Result<ListPage> {
        let words = [
            ("a sequence", "an array of petitions"),
            (PETITION_NUMBER, PETITION_NUMBER),
        ];
        read_json(root, &Location::file(url), &words)
    }
}

#[derive(Deserialize)]
struct Links {
    next: Loose<String>,
    #[serde(rename = "self")]
    this: Loose<String>,
}

#[derive(Deserialize)]
struct ListEntry {
    id: PetitionNumber,
    #[serde(rename = "type")]
    kind: Loose<String>,
    attributes: ListAttributes,
    links: Loose<Links>,
}

#[derive(Deserialize)]
struct ListAttributes {
    state: String,
    action: String,
    signature_count: u64,
    opened_at: Loose<String>,
    /// `opened_at` in the 2015 schema.
    open_at: Loose<String>,
    closed_at: Loose<String>,
}

impl From<ListEntry> for PetitionSummary {
    fn from(entry: ListEntry) -> Self {
        let attrs = entry.attributes;
        PetitionSummary {
            id: entry.id.0,
            state: attrs.state,
            signature_count: attrs.signature_count,
            action: attrs.action,
            url: entry.links.0.and_then(|l| l.this.0),
            archived: entry.kind.0.as_deref() == Some("archived-petition"),
            opened_at: attrs.opened_at.0.or(attrs.open_at.0),
            closed_at: attrs.closed_at.0,
        }
    }
}

/// Parses a body that must be JSON, telling an HTML page or a cut-off document apart from
/// malformed JSON.
fn parse_json(body: &str, url: &str) -> Result<Value> {
    let t = body.trim_start_matches('\u{feff}').trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return Err(Error::NotJson {
            url: url.to_string(),
            found: if t.is_empty() {
                "an empty body".to_string()
            } else {
                format!("`{}`", preview(t, 60))
            },
        });
    }
    serde_json::from_str(t).map_err(|source| {
        if source.is_eof() {
            Error::Truncated {
                url: url.to_string(),
                expected: None,
                received: body.len() as u64,
            }
        } else {
            Error::Json {
                at: Location::file(url),
                source,
            }
        }
    })
}

/// The first `n` characters of `s` on one line.
fn preview(s: &str, n: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out: String = one_line.chars().take(n).collect();
    if one_line.chars().count() > n {
        out.push_str("...");
    }
    out
}

fn is_timeout(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(io) => io.kind() == std::io::ErrorKind::TimedOut,
        _ => false,
    }
}

fn transport_error(url: &str, e: ureq::Error, timeout: Duration) -> Error {
    use std::io::ErrorKind as K;
    if is_timeout(&e) {
        return Error::Timeout {
            url: url.to_string(),
            after: timeout,
        };
    }
    let unreachable = match &e {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => true,
        ureq::Error::Io(io) => matches!(
            io.kind(),
            K::ConnectionRefused
                | K::NetworkUnreachable
                | K::HostUnreachable
                | K::NetworkDown
                | K::AddrNotAvailable
        ),
        _ => false,
    };
    if unreachable {
        Error::Unreachable {
            url: url.to_string(),
            source: Box::new(e),
        }
    } else if let ureq::Error::BadUri(_) = e {
        Error::BadUrl {
            url: url.to_string(),
            reason: "not a valid URL",
        }
    } else {
        Error::Network {
            url: url.to_string(),
            source: Box::new(e),
        }
    }
}

fn body_error(
    url: &str,
    e: std::io::Error,
    timeout: Duration,
    expected: Option<u64>,
    received: u64,
    encoded: bool,
) -> Error {
    let inner = e.get_ref().and_then(|x| x.downcast_ref::<ureq::Error>());
    if e.kind() == std::io::ErrorKind::TimedOut || inner.is_some_and(is_timeout) {
        return Error::Timeout {
            url: url.to_string(),
            after: timeout,
        };
    }
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        return Error::Truncated {
            url: url.to_string(),
            expected: if encoded { None } else { expected },
            received,
        };
    }
    Error::Network {
        url: url.to_string(),
        source: Box::new(e),
    }
}

/// Scheme, host (lower case) and port of an `http://` or `https://` URL; `None` for any
/// other URL.
fn origin(url: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    // `user:pass@host`: the host is what follows the last `@`
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    let port = match port {
        None | Some("") => default_port,
        Some(p) => p.parse().ok()?,
    };
    if host.is_empty() {
        return None;
    }
    Some((scheme, host.to_ascii_lowercase(), port))
}

/// A `Location` header resolved against the URL that sent it.
fn resolve(base: &str, location: &str) -> String {
    let location = location.trim();
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let is_absolute = location.split_once("://").is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if is_absolute {
        location.to_string()
    } else if let Some(r) = location.strip_prefix("//") {
        format!("{scheme}://{r}")
    } else if location.starts_with('/') {
        format!("{scheme}://{authority}{location}")
    } else {
        let path = &rest[authority_end..];
        let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let dir = if dir.is_empty() { "/" } else { dir };
        format!("{scheme}://{authority}{dir}{location}")
    }
}

/// Checks that a petition's `data.id` is the number asked for.
fn check_id(root: &Value, id: u64, url: &str) -> Result<()> {
    let Some(found) = root.get("data").and_then(|d| d.get("id")) else {
        return Err(Error::MissingField {
            at: Location::file(url),
            field: "data.id".into(),
        });
    };
    let n = found
        .as_u64()
        .or_else(|| found.as_str().and_then(|s| s.trim().parse().ok()));
    if n == Some(id) {
        Ok(())
    } else {
        Err(Error::WrongPetition {
            url: url.to_string(),
            asked: id,
            found: preview(&found.to_string(), 40),
        })
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters are kept).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = humantime::parse_rfc3339("2024-05-01T12:00:00Z").unwrap();
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 01 May 2024 12:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Wed, 01 May 2024 11:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn cache_control_directives() {
        let cc = cache_control(Some("public, max-age=60"), Some("20"));
        assert_eq!(cc.max_age, Some(Duration::from_secs(40)));
        assert!(!cc.no_store && !cc.no_cache);
        assert!(cache_control(Some("no-store"), None).no_store);
        assert!(cache_control(Some("max-age=0, no-cache"), None).no_cache);
        assert_eq!(cache_control(None, None), CacheControl::default());
    }

    #[test]
    fn urls() {
        let c = Client::builder()
            .base_url("http://127.0.0.1:1/mirror/")
            .build()
            .unwrap();
        assert_eq!(
            c.petition_url(5, true),
            "http://127.0.0.1:1/mirror/archived/petitions/5.json"
        );
        assert_eq!(
            c.rebase("https://petition.parliament.uk/petitions.json?page=3"),
            "http://127.0.0.1:1/mirror/petitions.json?page=3"
        );
        assert_eq!(
            c.list_url(&ListQuery::new(ListState::NotDebated).query("net zero & more")),
            "http://127.0.0.1:1/mirror/petitions.json?state=not_debated&q=net%20zero%20%26%20more"
        );
        assert_eq!(
            c.list_url(&ListQuery::new(ListState::Closed).archived(true)),
            "http://127.0.0.1:1/mirror/archived/petitions.json?state=closed"
        );
        for bad in [
            "ftp://x",
            "http://",
            "petition.parliament.uk",
            "http://x/?a=1",
        ] {
            assert!(
                matches!(
                    Client::builder().base_url(bad).build(),
                    Err(Error::BadUrl { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn json_checks() {
        assert!(matches!(
            parse_json("<!DOCTYPE html><html>", "u"),
            Err(Error::NotJson { .. })
        ));
        assert!(matches!(
            parse_json("{\"data\": {\"id\": 1", "u"),
            Err(Error::Truncated { .. })
        ));
        assert!(matches!(
            parse_json("{\"a\" 1}", "u"),
            Err(Error::Json { .. })
        ));
        assert!(parse_json(" {\"a\": 1}", "u").is_ok());
    }

    #[test]
    fn list_entries_are_read_leniently_and_refused_where_they_say() {
        let read = |page: Value| -> Result<Vec<PetitionSummary>> {
            let page = ListPage::read(&page, "p.json")?;
            Ok(page.data.into_iter().map(PetitionSummary::from).collect())
        };
        let entry = serde_json::json!({"id": "7", "type": "archived-petition", "links": 3,
            "attributes": {"state": "closed", "action": "T", "signature_count": 9, "open_at": "t"}});
        let p = &read(serde_json::json!({"data": [entry], "links": []})).unwrap()[0];
        assert_eq!(
            (p.id, p.archived, p.opened_at.as_deref(), &p.url),
            (7, true, Some("t"), &None)
        );
        for (data, says) in [
            (
                serde_json::json!({}),
                "p.json: field data: expected an array of petitions, found {}",
            ),
            (
                serde_json::json!([entry, {"id": 8}]),
                "p.json: record 2: missing field `data.attributes`",
            ),
            (
                serde_json::json!([{"id": 1.5}]),
                "p.json: record 1, field data.id: expected a petition number, found 1.5",
            ),
            (
                serde_json::json!([[1, 2]]),
                "p.json: record 1, field data: expected an object, found [1,2]",
            ),
        ] {
            let e = read(serde_json::json!({ "data": data })).unwrap_err();
            assert_eq!(e.to_string(), says);
        }
        let mut bad = entry.clone();
        bad["attributes"]["signature_count"] = (-1).into();
        assert_eq!(
            read(serde_json::json!({ "data": [bad] }))
                .unwrap_err()
                .to_string(),
            "p.json: record 1, field data.attributes.signature_count: expected a non-negative integer, found -1"
        );
    }

    #[test]
    fn states_parse() {
        for s in ListState::ALL {
            assert_eq!(s.as_str().parse::<ListState>(), Ok(s));
        }
        assert!(
            "opened"
                .parse::<ListState>()
                .unwrap_err()
                .contains("not_debated")
        );
    }
}
