//! Live petitions (#8) without the internet: the API client against a server on 127.0.0.1
//! serving recorded responses (`tests/fixtures/api/`), the snapshot store and velocity, and
//! the `fetch`, `list`, `watch`, `velocity` commands and `report ID`.

use crate::server::{ClosedPort, Reply, Server};
use crate::util;
use sigmap::Error;
use sigmap::live::{self, Snapshot, SnapshotStore, Snapshots, VelocityOptions};
use sigmap::live::{Client, Freshness, ListQuery, ListState, Source};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

/// A client for tests: no pacing, quick backoff, short timeouts.
fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(server.base())
        .min_interval(Duration::ZERO)
        .backoff(Duration::from_millis(10))
        .max_wait(Duration::from_secs(5))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn fixture_text(rel: &str) -> String {
    std::fs::read_to_string(util::fixture(rel)).unwrap()
}

/// Serves the three recorded pages of `/petitions.json?q=energy`: the first request (no
/// `page`) gets page 15, whose `links.next` names the real host.
fn list_server() -> Server {
    Server::start(|r, _| {
        if r.path() != "/petitions.json" {
            return Reply::status(404);
        }
        match r.param("page") {
            None => Reply::fixture("api/list_q-energy_page-15.json"),
            Some(p @ ("16" | "17")) => Reply::fixture(&format!("api/list_q-energy_page-{p}.json")),
            Some(_) => Reply::status(404),
        }
    })
}

#[test]
fn list_follows_next_links_rewritten_onto_the_base_url() {
    let server = list_server();
    let listing = client(&server)
        .list(&ListQuery::new(ListState::All).query("energy"))
        .unwrap();
    assert_eq!(listing.pages, 3);
    assert!(listing.complete);
    assert_eq!(listing.petitions.len(), 50 + 50 + 39);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/petitions.json?state=all&q=energy",
            "/petitions.json?page=16&q=energy",
            "/petitions.json?page=17&q=energy"
        ]
    );
    // entries as recorded
    let page: serde_json::Value =
        serde_json::from_str(&fixture_text("api/list_q-energy_page-15.json")).unwrap();
    let first = &page["data"][0];
    let p = &listing.petitions[0];
    assert_eq!(p.id, first["id"].as_u64().unwrap());
    assert_eq!(p.action, first["attributes"]["action"].as_str().unwrap());
    assert_eq!(
        p.signature_count,
        first["attributes"]["signature_count"].as_u64().unwrap()
    );
    assert!(!p.archived);
    // each request named sigmap
    let ua = server.requests()[0]
        .header("user-agent")
        .unwrap()
        .to_string();
    assert!(ua.starts_with("sigmap/0.") && ua.contains("(+http"), "{ua}");
}

#[test]
fn list_stops_at_max() {
    let server = list_server();
    let listing = client(&server)
        .list(&ListQuery::new(ListState::All).query("energy").max(60))
        .unwrap();
    assert_eq!(listing.petitions.len(), 60);
    assert_eq!(listing.pages, 2);
    assert!(!listing.complete);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_petition_not_in_this_parliament_comes_from_the_archive() {
    let server = Server::start(|r, _| match r.path() {
        "/archived/petitions/601415.json" => Reply::fixture("archived_petition_601415.json"),
        _ => Reply::status(404),
    });
    let c = client(&server);
    let p = c.petition(601415, Source::Auto).unwrap();
    assert!(p.archived);
    assert_eq!(p.total, 1005);
    assert_eq!(
        p.source,
        format!("{}/archived/petitions/601415.json", server.base())
    );
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        paths,
        ["/petitions/601415.json", "/archived/petitions/601415.json"]
    );
    // a number nobody has: both places named
    let e = c.petition(42, Source::Auto).unwrap_err();
    assert!(
        matches!(&e, Error::PetitionNotFound { id: 42, urls } if urls.len() == 2),
        "{e}"
    );
    assert!(e.is_input());
    // --archived looks only there
    assert!(matches!(
        c.petition(42, Source::Archived),
        Err(Error::PetitionNotFound { urls, .. }) if urls.len() == 1
    ));
}

/// A client whose waits are recorded, not slept.
fn recording(server: &Server) -> (sigmap::live::ClientBuilder, Arc<Mutex<Vec<Duration>>>) {
    recording_at(server.base())
}

/// A client of `base` whose waits are recorded, not slept.
fn recording_at(base: String) -> (sigmap::live::ClientBuilder, Arc<Mutex<Vec<Duration>>>) {
    let waits = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&waits);
    let b = Client::builder()
        .base_url(base)
        .min_interval(Duration::ZERO)
        .backoff(Duration::from_millis(10))
        .timeout(Duration::from_secs(5))
        .sleeper(move |d| log.lock().unwrap().push(d));
    (b, waits)
}

#[test]
fn a_429_is_retried_after_the_servers_retry_after() {
    let server = Server::start(|_, n| match n {
        0 => Reply::status(429).header("Retry-After", "7"),
        1 => Reply::status(500),
        _ => Reply::fixture("api/petition_621078.json"),
    });
    let (b, waits) = recording(&server);
    let r = b
        .build()
        .unwrap()
        .petition_json(621078, Source::Current)
        .unwrap();
    assert_eq!(r.attempts, 3);
    // the server's 7 s, then the backoff's second step (10 ms doubled)
    assert_eq!(
        *waits.lock().unwrap(),
        [Duration::from_secs(7), Duration::from_millis(20)]
    );
}

#[test]
fn a_retry_after_past_the_deadline_gives_up_without_waiting() {
    // See: #15
    let server = Server::start(|_, _| Reply::status(503).header("Retry-After", "20"));
    let (b, waits) = recording(&server);
    let e = b
        .deadline(Duration::from_secs(5))
        .build()
        .unwrap()
        .petition_json(621078, Source::Current)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Http {
                status: 503,
                attempts: 1,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(waits.lock().unwrap().is_empty());
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_retry_after_beyond_the_max_wait_gives_up_at_once() {
    let server = Server::start(|_, _| Reply::status(429).header("Retry-After", "120"));
    let (builder, waits) = recording(&server);
    let e = builder
        .max_wait(Duration::from_secs(5))
        .build()
        .unwrap()
        .petition_json(621078, Source::Current)
        .unwrap_err();
    assert!(waits.lock().unwrap().is_empty(), "no wait was asked for");
    match &e {
        Error::Http {
            status: 429,
            retry_after: Some(d),
            attempts: 1,
            ..
        } => assert_eq!(*d, Duration::from_secs(120)),
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .contains("HTTP 429 Too Many Requests, asked to retry after 2m"),
        "{e}"
    );
    assert!(!e.is_input());
}

#[test]
fn a_500_is_retried_with_backoff_and_then_succeeds() {
    let server = Server::start(|_, n| match n {
        0 => Reply::status(500),
        1 => Reply::status(503),
        _ => Reply::fixture("api/petition_550887.json"),
    });
    let r = client(&server)
        .petition_json(550887, Source::Current)
        .unwrap();
    assert_eq!(r.attempts, 3);
    assert_eq!(r.body, fixture_text("api/petition_550887.json"));
    // a server that keeps failing: the status, after every retry
    let server = Server::start(|_, _| Reply::status(502));
    let c = Client::builder()
        .base_url(server.base())
        .min_interval(Duration::ZERO)
        .backoff(Duration::from_millis(5))
        .retries(2)
        .build()
        .unwrap();
    let e = c.petition_json(1, Source::Current).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Http {
                status: 502,
                attempts: 3,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_body_shorter_than_its_content_length_is_truncated() {
    let body = fixture_text("api/petition_550887.json");
    let cut = body[..100].to_string();
    let full = body.len();
    let server = Server::start(move |_, _| Reply::json(cut.clone()).announce(full));
    let e = client(&server)
        .petition_json(550887, Source::Current)
        .unwrap_err();
    match &e {
        Error::Truncated {
            expected, received, ..
        } => {
            assert_eq!(*expected, Some(full as u64));
            assert_eq!(*received, 100);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .contains("truncated response (100 bytes of the"),
        "{e}"
    );
    // retried like any transient failure: 1 + 4 attempts
    assert_eq!(server.requests().len(), 5);
}

#[test]
fn a_slow_server_hits_the_timeout() {
    let server = Server::start(|_, _| {
        Reply::fixture("api/petition_550887.json").delay(Duration::from_secs(2))
    });
    let c = Client::builder()
        .base_url(server.base())
        .timeout(Duration::from_millis(300))
        .retries(0)
        .build()
        .unwrap();
    // the answer would come after 2 s: an error (not the petition) is the timeout working
    let e = c.petition_json(550887, Source::Current).unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
    assert_eq!(server.requests().len(), 1);
    assert!(
        e.to_string().ends_with("no complete answer within 300ms"),
        "{e}"
    );
}

#[test]
fn an_html_page_is_not_json() {
    let server = Server::start(|_, _| {
        Reply::html(
            "<!DOCTYPE html>\n<html><body>We're sorry, but something went wrong</body></html>",
        )
    });
    let e = client(&server).petition(621078, Source::Auto).unwrap_err();
    assert!(matches!(e, Error::NotJson { .. }), "{e:?}");
    assert!(
        e.to_string()
            .ends_with("/petitions/621078.json: expected JSON, found `<!DOCTYPE html> <html><body>We're sorry, but something went ...`"),
        "{e}"
    );
}

#[test]
fn a_missing_field_names_the_url_and_the_field() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&fixture_text("api/petition_621078.json")).unwrap();
    doc["data"]["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("signature_count");
    let body = doc.to_string();
    let server = Server::start(move |_, _| Reply::json(body.clone()));
    let e = client(&server).petition(621078, Source::Auto).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}/petitions/621078.json: missing field `data.attributes.signature_count`",
            server.base()
        )
    );
    // a list entry without its title
    let mut page: serde_json::Value =
        serde_json::from_str(&fixture_text("api/list_q-energy_page-17.json")).unwrap();
    page["data"][2]["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("action");
    let body = page.to_string();
    let server = Server::start(move |_, _| Reply::json(body.clone()));
    let e = client(&server)
        .list(&ListQuery::new(ListState::Open))
        .unwrap_err();
    assert!(
        e.to_string().ends_with(
            "/petitions.json?state=open: record 3: missing field `data.attributes.action`"
        ),
        "{e}"
    );
}

#[test]
fn an_unchanged_petition_costs_a_304() {
    let server = Server::start(|r, _| {
        if r.header("if-none-match") == Some("\"v1\"") {
            Reply::status(304).header("ETag", "\"v1\"")
        } else {
            Reply::fixture("api/petition_621078.json")
                .header("ETag", "\"v1\"")
                .header("Last-Modified", "Wed, 01 May 2024 12:00:00 GMT")
                .header("Cache-Control", "max-age=0, public")
        }
    });
    let c = client(&server);
    let a = c.petition_json(621078, Source::Current).unwrap();
    let b = c.petition_json(621078, Source::Current).unwrap();
    assert_eq!(a.freshness, Freshness::Downloaded);
    assert_eq!(b.freshness, Freshness::NotModified);
    assert!(b.is_unchanged());
    assert_eq!(a.body, b.body);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("if-none-match"), None);
    assert_eq!(
        reqs[1].header("if-modified-since"),
        Some("Wed, 01 May 2024 12:00:00 GMT")
    );
}

#[test]
fn a_fresh_answer_is_reused_without_a_request() {
    let server = Server::start(|_, _| {
        Reply::fixture("api/petition_621078.json").header("Cache-Control", "public, max-age=600")
    });
    let c = client(&server);
    c.petition_json(621078, Source::Current).unwrap();
    let again = c.petition_json(621078, Source::Current).unwrap();
    assert_eq!(again.freshness, Freshness::Cached);
    assert_eq!(again.attempts, 0);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn requests_are_spaced_by_the_minimum_interval() {
    let server = Server::start(|_, _| Reply::fixture("api/petition_550887.json"));
    let (b, waits) = recording(&server);
    let c = b.min_interval(Duration::from_secs(60)).build().unwrap();
    for _ in 0..3 {
        c.petition_json(550887, Source::Current).unwrap();
    }
    // no wait before the first request; before each later one, what is left of the minute
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 2, "{waits:?}");
    for w in waits {
        assert!(
            w > Duration::from_secs(50) && w <= Duration::from_secs(60),
            "{w:?}"
        );
    }
}

// ---- hostile or broken servers (#15 point 2)

#[test]
fn a_redirect_to_another_server_is_refused_naming_both_urls() {
    // See: #15
    let elsewhere = Server::start(|_, _| Reply::fixture("api/petition_621078.json"));
    let target = format!("{}/petitions/621078.json", elsewhere.base());
    let t = target.clone();
    let server = Server::start(move |_, _| Reply::redirect(302, &t));
    let e = client(&server)
        .petition_json(621078, Source::Current)
        .unwrap_err();
    match &e {
        Error::Redirect { from, to } => {
            assert_eq!(from, &format!("{}/petitions/621078.json", server.base()));
            assert_eq!(to, &target);
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("another server"), "{e}");
    assert!(!e.is_input());
    assert!(
        elsewhere.requests().is_empty(),
        "the other server was asked"
    );
    // another scheme on the same host and port is another server too
    let port = server.port;
    let s2 = Server::start(move |_, _| {
        Reply::redirect(
            301,
            &format!("https://127.0.0.1:{port}/petitions/621078.json"),
        )
    });
    assert!(matches!(
        client(&s2).petition_json(621078, Source::Current),
        Err(Error::Redirect { .. })
    ));
    // and so is a host hidden behind user information
    let s3 = Server::start(move |_, _| {
        Reply::redirect(307, &format!("http://127.0.0.1:{port}@example.org/x.json"))
    });
    assert!(matches!(
        client(&s3).petition_json(621078, Source::Current),
        Err(Error::Redirect { .. })
    ));
}

#[test]
fn a_redirect_on_the_same_server_is_followed_up_to_the_limit() {
    // relative and absolute Locations on the same server are followed
    let server = Server::start(|r, _| match r.path() {
        "/petitions/621078.json" => Reply::redirect(301, "/moved/621078.json"),
        "/moved/621078.json" => Reply::redirect(308, "again.json"),
        "/moved/again.json" => Reply::fixture("api/petition_621078.json"),
        _ => Reply::status(404),
    });
    let r = client(&server)
        .petition_json(621078, Source::Current)
        .unwrap();
    assert_eq!(r.body, fixture_text("api/petition_621078.json"));
    assert_eq!(r.url, format!("{}/petitions/621078.json", server.base()));
    assert_eq!(server.requests().len(), 3);
    // a loop ends after MAX_REDIRECTS
    let server = Server::start(|_, n| Reply::redirect(302, &format!("/loop/{n}.json")));
    let e = client(&server)
        .petition_json(621078, Source::Current)
        .unwrap_err();
    assert!(
        matches!(e, Error::TooManyRedirects { limit, .. } if limit == sigmap::live::MAX_REDIRECTS),
        "{e:?}"
    );
    assert_eq!(
        server.requests().len(),
        sigmap::live::MAX_REDIRECTS as usize + 1
    );
}

#[test]
fn a_mirror_answering_another_petition_is_refused() {
    // See: #15: `report 16` analysed petition 241584
    let server = Server::start(|_, _| Reply::fixture("api/petition_621078.json"));
    let c = client(&server);
    let e = c.petition(16, Source::Auto).unwrap_err();
    match &e {
        Error::WrongPetition { asked, found, url } => {
            assert_eq!(*asked, 16);
            assert_eq!(found, "621078");
            assert!(url.ends_with("/petitions/16.json"), "{url}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .ends_with("/petitions/16.json: asked for petition 16, the answer is petition 621078"),
        "{e}"
    );
    // a petition without its number is not taken on trust either
    let mut doc: serde_json::Value =
        serde_json::from_str(&fixture_text("api/petition_621078.json")).unwrap();
    doc["data"].as_object_mut().unwrap().remove("id");
    let body = doc.to_string();
    let server = Server::start(move |_, _| Reply::json(body.clone()));
    let e = client(&server)
        .petition_json(621078, Source::Current)
        .unwrap_err();
    assert!(
        matches!(&e, Error::MissingField { field, .. } if field == "data.id"),
        "{e:?}"
    );
}

/// A list whose `links.next` never ends: page N links to page N+1, each with 50 new ids.
fn endless_list_server() -> Server {
    Server::start(|r, _| {
        let page: u64 = r.param("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let items: Vec<serde_json::Value> = (0..50)
            .map(|i| {
                serde_json::json!({"type": "petition", "id": page * 100 + i,
                    "attributes": {"action": "A", "state": "open", "signature_count": 1}})
            })
            .collect();
        let doc = serde_json::json!({
            "links": {"next": format!("https://petition.parliament.uk/petitions.json?page={}&state=all", page + 1)},
            "data": items,
        });
        Reply::json(doc.to_string())
    })
}

#[test]
fn an_endless_list_stops_at_the_page_limit() {
    // See: #15: 3,759 requests in 20 s
    assert_eq!(sigmap::live::DEFAULT_MAX_PAGES, 1_000);
    assert_eq!(
        ListQuery::new(ListState::All).max_pages,
        sigmap::live::DEFAULT_MAX_PAGES
    );
    let server = endless_list_server();
    let e = client(&server)
        .list(&ListQuery::new(ListState::All).max_pages(7))
        .unwrap_err();
    match &e {
        Error::TooManyPages { pages, url } => {
            assert_eq!(*pages, 7);
            assert!(url.ends_with("page=8&state=all"), "{url}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 7);
    // --max still ends it cleanly
    let listing = client(&server)
        .list(&ListQuery::new(ListState::All).max(120))
        .unwrap();
    assert_eq!((listing.petitions.len(), listing.pages), (120, 3));
}

#[test]
fn a_list_that_loops_or_repeats_stops_with_a_note() {
    // page 2 links back to the first page
    let server = Server::start(|r, _| {
        let (next, id) = match r.param("page") {
            None => ("/petitions.json?page=2", 1),
            Some(_) => ("/petitions.json?state=all", 2),
        };
        Reply::json(
            serde_json::json!({"links": {"next": next},
            "data": [{"id": id, "attributes": {"action": "A", "state": "open", "signature_count": 1}}]})
            .to_string(),
        )
    });
    let l = client(&server)
        .list(&ListQuery::new(ListState::All))
        .unwrap();
    assert_eq!((l.pages, l.petitions.len(), l.complete), (2, 2, false));
    assert!(
        l.note
            .as_deref()
            .unwrap()
            .contains("back to a page already read"),
        "{:?}",
        l.note
    );
    // the same page under ever new URLs
    let server = Server::start(|r, _| {
        let page: u64 = r.param("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        Reply::json(
            serde_json::json!({"links": {"next": format!("/petitions.json?page={}", page + 1)},
            "data": [{"id": 5, "attributes": {"action": "A", "state": "open", "signature_count": 1}}]})
            .to_string(),
        )
    });
    let l = client(&server)
        .list(&ListQuery::new(ListState::All))
        .unwrap();
    assert_eq!((l.pages, l.petitions.len(), l.complete), (2, 1, false));
    assert!(
        l.note
            .as_deref()
            .unwrap()
            .contains("only petitions already listed"),
        "{:?}",
        l.note
    );
}

#[test]
fn a_server_that_stalls_or_trickles_ends_in_a_timeout() {
    // See: #15: `report ID` against a stalled server waited about 5 minutes
    let body = fixture_text("api/petition_550887.json");
    let b2 = body.clone();
    let trickle =
        Server::start(move |_, _| Reply::json(b2.clone()).trickle(Duration::from_millis(20)));
    let stall = Server::start(move |_, _| Reply::json(body.clone()).stall(Duration::from_secs(30)));
    for server in [&trickle, &stall] {
        let (b, waits) = recording(server);
        // retries allowed, but none fits in what is left of the deadline
        let c = b
            .backoff(Duration::from_secs(1))
            .retries(4)
            .deadline(Duration::from_millis(400))
            .build()
            .unwrap();
        let e = c.petition_json(550887, Source::Auto).unwrap_err();
        match &e {
            Error::Timeout { after, .. } => assert_eq!(*after, Duration::from_millis(400)),
            other => panic!("{other:?}"),
        }
        assert!(
            e.to_string().ends_with("no complete answer within 400ms"),
            "{e}"
        );
        assert!(
            waits.lock().unwrap().is_empty(),
            "no retry past the deadline"
        );
        assert_eq!(server.requests().len(), 1);
    }
}

#[test]
fn a_closed_port_is_unreachable() {
    let closed = ClosedPort::new();
    let (builder, waits) = recording_at(closed.base());
    let e = builder
        .build()
        .unwrap()
        .petition(621078, Source::Auto)
        .unwrap_err();
    assert!(matches!(e, Error::Unreachable { .. }), "{e:?}");
    assert!(waits.lock().unwrap().is_empty(), "not retried");
    assert!(e.to_string().contains("cannot reach the server"), "{e}");
}

// ---- snapshots

fn t(secs: u64) -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_714_564_800 + secs)
}

fn snap(secs: u64, seats: &[(&str, u64)]) -> Snapshot {
    let total = seats.iter().map(|s| s.1).sum();
    let mut s = Snapshot::new(621078, t(secs), total + 5, total);
    for (c, n) in seats {
        s.counts.insert(c.to_string(), *n);
    }
    s
}

#[test]
fn a_torn_snapshot_is_set_aside_and_earlier_rows_are_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SnapshotStore::open(dir.path()).unwrap();
    store
        .append(&snap(0, &[("E14000530", 1), ("E14000531", 2)]))
        .unwrap();
    store
        .append(&snap(60, &[("E14000530", 3), ("E14000531", 2)]))
        .unwrap();
    drop(store);
    let file = dir.path().join(live::STORE_FILE);
    let good = std::fs::read(&file).unwrap();
    // a crash in the middle of the third snapshot
    let torn = "2024-05-01T12:02:00.000Z,621078,total,,12,\n2024-05-01T12:02:00.000Z,621078,uk,,9,\n2024-05-01T12:02:00.000Z,621078,seat,E1400";
    std::fs::write(&file, [good.as_slice(), torn.as_bytes()].concat()).unwrap();

    let read = Snapshots::read(dir.path()).unwrap();
    assert_eq!(read.snapshots.len(), 2);
    assert_eq!(read.ignored_tail_bytes, torn.len() as u64);

    let mut store = SnapshotStore::open(dir.path()).unwrap();
    let repair = store.repair().unwrap().clone();
    assert_eq!(repair.bytes, torn.len() as u64);
    assert_eq!(std::fs::read_to_string(&repair.saved_to).unwrap(), torn);
    assert_eq!(std::fs::read(&file).unwrap(), good);
    store.append(&snap(180, &[("E14000530", 4)])).unwrap();
    let after = std::fs::read(&file).unwrap();
    assert_eq!(
        &after[..good.len()],
        good.as_slice(),
        "earlier rows rewritten"
    );
    let read = Snapshots::read(dir.path()).unwrap();
    assert_eq!(read.snapshots.len(), 3);
    assert_eq!(read.ignored_tail_bytes, 0);
    // E14000531 left the list: a full snapshot has exactly the seats it lists
    assert_eq!(read.snapshots[2].counts.len(), 1);
}

/// A store of `n` snapshots an hour apart; returns its file's bytes.
fn store_of(dir: &std::path::Path, n: u64) -> Vec<u8> {
    let mut store = SnapshotStore::open(dir).unwrap();
    for h in 0..n {
        store
            .append(&snap(
                3600 * h,
                &[("E14000530", 10 * h + 1), ("E14000531", 2 * h)],
            ))
            .unwrap();
    }
    std::fs::read(dir.join(live::STORE_FILE)).unwrap()
}

/// The byte offset just after the `k`-th (1-based) end row.
fn after_end_row(bytes: &[u8], k: usize) -> usize {
    let mut seen = 0;
    let mut at = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        at += line.len();
        if line.windows(5).any(|w| w == b",end,") {
            seen += 1;
            if seen == k {
                return at;
            }
        }
    }
    panic!("no end row {k}");
}

#[test]
fn invalid_bytes_and_a_torn_tail_do_not_cut_valid_snapshots() {
    // See: #15: offsets computed on lossily decoded text cut 6 bytes too far
    let dir = tempfile::tempdir().unwrap();
    let good = store_of(dir.path(), 3);
    let file = dir.path().join(live::STORE_FILE);
    let tail: &[u8] =
        b"\xff\xfe\xfd2024-05-01T15:00:00.000Z,621078,total,,12,\n2024-05-01T15:00:00.000Z,621";
    std::fs::write(&file, [good.as_slice(), tail].concat()).unwrap();
    let read = Snapshots::read(dir.path()).unwrap();
    assert_eq!(read.snapshots.len(), 3);
    assert_eq!(read.ignored_tail_bytes, tail.len() as u64);
    let store = SnapshotStore::open(dir.path()).unwrap();
    let repair = store.repair().unwrap();
    assert_eq!(repair.bytes, tail.len() as u64);
    assert_eq!(
        std::fs::read(&repair.saved_to).unwrap(),
        tail,
        "the tail as it was"
    );
    assert_eq!(std::fs::read(&file).unwrap(), good);

    // the same bytes on a line of their own between two snapshots: both snapshots read
    let cut = after_end_row(&good, 1);
    let damaged = [&good[..cut], b"\xff\xfe\xfd\n", &good[cut..], tail].concat();
    std::fs::write(&file, &damaged).unwrap();
    let read = Snapshots::read(dir.path()).unwrap();
    assert_eq!(read.snapshots.len(), 3);
    assert_eq!(read.damaged.len(), 1, "{:?}", read.damaged);
    assert!(
        read.damaged[0].problem.contains("not UTF-8"),
        "{:?}",
        read.damaged
    );
    assert_eq!(read.ignored_tail_bytes, tail.len() as u64);
    let mut store = SnapshotStore::open(dir.path()).unwrap();
    assert_eq!(store.repair().unwrap().bytes, tail.len() as u64);
    assert_eq!(store.damaged().len(), 1);
    store.append(&snap(4 * 3600, &[("E14000530", 50)])).unwrap();
    let after = std::fs::read(&file).unwrap();
    assert!(
        after.starts_with(&damaged[..damaged.len() - tail.len()]),
        "earlier bytes rewritten"
    );
    assert_eq!(Snapshots::read(dir.path()).unwrap().snapshots.len(), 4);
}

#[test]
fn a_damaged_snapshot_is_skipped_and_the_rest_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = store_of(dir.path(), 4);
    let file = dir.path().join(live::STORE_FILE);
    // a byte that is not UTF-8 in a seat row of the second snapshot
    let start = after_end_row(&good, 1);
    let row = start
        + good[start..]
            .windows(5)
            .position(|w| w == b",seat")
            .unwrap();
    let mut bad = good.clone();
    bad[row + 8] = 0xff;
    std::fs::write(&file, &bad).unwrap();
    let read = Snapshots::read(dir.path()).unwrap();
    let hours: Vec<u64> = read
        .snapshots
        .iter()
        .map(|s| s.time.duration_since(t(0)).unwrap().as_secs() / 3600)
        .collect();
    assert_eq!(hours, [0, 2, 3]);
    assert_eq!(read.damaged.len(), 1);
    assert_eq!(read.damaged[0].line, 9, "{:?}", read.damaged);
    let v = live::velocity(&read, &VelocityOptions::default()).unwrap();
    assert_eq!(v.snapshots, 3);
    // an end row that miscounts its seats: that snapshot alone is skipped
    let text = String::from_utf8(good.clone()).unwrap();
    let text = text
        .replacen("end,,2,", "end,,5,", 2)
        .replacen("end,,5,", "end,,2,", 1);
    std::fs::write(&file, text).unwrap();
    let read = Snapshots::read(dir.path()).unwrap();
    assert_eq!(read.snapshots.len(), 3);
    assert!(
        read.damaged[0].problem.contains("end row says 5"),
        "{:?}",
        read.damaged
    );
}

#[test]
fn odd_codes_are_refused_before_anything_is_written() {
    // See: #15: a code with a comma made the store unreadable for good
    let dir = tempfile::tempdir().unwrap();
    let good = store_of(dir.path(), 2);
    let file = dir.path().join(live::STORE_FILE);
    let mut store = SnapshotStore::open(dir.path()).unwrap();
    for code in [
        "E14,00530",
        "E1400\n0530",
        "E14\"00530",
        "",
        "e14000530",
        "E14000530 ",
    ] {
        let e = store
            .append(&snap(3 * 3600, &[("E14000530", 40), (code, 1)]))
            .unwrap_err();
        assert!(matches!(e, Error::BadField { .. }), "{code:?}: {e:?}");
        assert!(e.to_string().contains("expected a GSS code"), "{e}");
        assert!(e.is_input());
        assert_eq!(
            std::fs::read(&file).unwrap(),
            good,
            "{code:?} wrote something"
        );
    }
    // from a petition: the record is named
    let text = r#"{"data":{"type":"petition","id":621078,"attributes":{"action":"T","state":"open",
        "signature_count":3,"signatures_by_constituency":[{"ons_code":"E14000530","signature_count":1},
        {"ons_code":"E14000,531","signature_count":2}]}}}"#;
    let p = sigmap::Petition::from_reader(text.as_bytes(), "p.json").unwrap();
    let e = Snapshot::from_petition(&p, t(99_999)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.json: record 2, field signatures_by_constituency.ons_code: expected a GSS code (a capital letter and 8 digits), found `E14000,531`"
    );
}

#[test]
fn a_store_with_an_unescaped_code_stays_readable() {
    // as an older sigmap wrote it: a code with a comma, and one with a newline
    let dir = tempfile::tempdir().unwrap();
    let good = String::from_utf8(store_of(dir.path(), 2)).unwrap();
    let odd = "2024-05-01T14:00:00.000Z,621078,total,,9,\n2024-05-01T14:00:00.000Z,621078,uk,,8,\n\
               2024-05-01T14:00:00.000Z,621078,seat,E14,00530,5,\n\
               2024-05-01T14:00:00.000Z,621078,seat,E140\n00531,3,\n\
               2024-05-01T14:00:00.000Z,621078,end,,2,\n";
    let later = snapshots_text_at(3);
    std::fs::write(
        dir.path().join(live::STORE_FILE),
        format!("{good}{odd}{later}"),
    )
    .unwrap();
    let read = Snapshots::read(dir.path()).unwrap();
    assert_eq!(read.snapshots.len(), 3, "{:?}", read.damaged);
    assert_eq!(read.damaged.len(), 1);
    assert!(
        read.damaged[0].problem.contains("E14"),
        "{:?}",
        read.damaged
    );
    let mut store = SnapshotStore::open(dir.path()).unwrap();
    store.append(&snap(5 * 3600, &[("E14000530", 60)])).unwrap();
    assert_eq!(Snapshots::read(dir.path()).unwrap().snapshots.len(), 4);
}

/// One snapshot's rows at hour `h`, as the store writes them.
fn snapshots_text_at(h: u64) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SnapshotStore::open(dir.path()).unwrap();
    store
        .append(&snap(3600 * h, &[("E14000530", 100), ("E14000531", 7)]))
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join(live::STORE_FILE)).unwrap();
    text.split_once('\n').unwrap().1.to_string()
}

#[test]
fn a_count_that_goes_down_is_flagged_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SnapshotStore::open(dir.path()).unwrap();
    store.append(&snap(0, &[("E14000530", 10)])).unwrap();
    let a = store.append(&snap(3600, &[("E14000530", 7)])).unwrap();
    assert_eq!(
        a.decreased.len(),
        3,
        "seat, uk and total: {:?}",
        a.decreased
    );
    let text = std::fs::read_to_string(dir.path().join(live::STORE_FILE)).unwrap();
    assert!(
        text.contains("2024-05-01T12:00:00.000Z,621078,seat,E14000530,10,\n"),
        "{text}"
    );
    assert!(
        text.contains("2024-05-01T13:00:00.000Z,621078,seat,E14000530,7,decreased\n"),
        "{text}"
    );
    store.append(&snap(7200, &[("E14000530", 9)])).unwrap();
    let read = Snapshots::read(dir.path()).unwrap();
    let seat: Vec<_> = read
        .decreases
        .iter()
        .filter(|d| d.code == "E14000530")
        .collect();
    assert_eq!(seat.len(), 1);
    assert_eq!((seat[0].from, seat[0].to), (10, 7));
    let v = live::velocity(&read, &VelocityOptions::default()).unwrap();
    assert!(v.rows[0].decreased);
    assert_eq!(v.rows[0].baseline, -3);
    assert_eq!(v.rows[0].recent, 2);
}

#[test]
fn another_petition_in_the_same_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SnapshotStore::open(dir.path()).unwrap();
    store.append(&snap(0, &[("E14000530", 1)])).unwrap();
    let mut other = snap(60, &[]);
    other.petition = 1;
    let e = store.append(&other).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("holds petition 621078, not 1: use another directory"),
        "{e}"
    );
}

#[test]
fn a_national_surge_is_not_a_burst_but_one_seat_racing_ahead_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SnapshotStore::open(dir.path()).unwrap();
    let codes: Vec<String> = (0..20).map(|i| format!("E140005{:02}", 30 + i)).collect();
    // 20 seats at 5 an hour for 4 hours, then every seat at 50 an hour, and seat 0 at 400
    let mut counts = vec![0u64; 20];
    for h in 0..=5u64 {
        if h > 0 {
            for (i, c) in counts.iter_mut().enumerate() {
                *c += match (h, i) {
                    (5, 0) => 400,
                    (5, _) => 50,
                    _ => 5,
                };
            }
        }
        let seats: Vec<(&str, u64)> = codes
            .iter()
            .map(String::as_str)
            .zip(counts.clone())
            .collect();
        store.append(&snap(3600 * h, &seats)).unwrap();
    }
    let read = Snapshots::read(dir.path()).unwrap();
    let v = live::velocity(&read, &VelocityOptions::default()).unwrap();
    assert_eq!(v.bursts, 1, "{:#?}", &v.rows[..3]);
    assert_eq!(v.rows[0].code, codes[0]);
    assert_eq!(v.rows[0].recent_per_hour, 400.0);
    assert_eq!(v.rows[1].recent_per_hour, 50.0);
    assert!(
        !v.rows[1].burst,
        "the surge everywhere is no burst: {:?}",
        v.rows[1]
    );
    assert_eq!(v.baseline_hours, 4.0);
    assert_eq!(v.recent_hours, 1.0);
    // a window as long as the store leaves no baseline
    let e = live::velocity(
        &read,
        &VelocityOptions::default().window(Duration::from_secs(5 * 3600)),
    )
    .unwrap_err();
    assert!(e.to_string().contains("needs a baseline before it"), "{e}");
    // and so does an empty window
    assert!(live::velocity(&read, &VelocityOptions::default().window(Duration::ZERO)).is_err());
}

// ---- the command line

#[cfg(feature = "cli")]
mod cli {
    use super::*;
    use crate::cli::{stderr, stdout};
    use std::path::Path;
    use std::process::Output;

    fn sigmap(args: &[&str], dir: &Path, api: &str) -> Output {
        crate::util::sigmap_command()
            .args(args)
            .env("SIGMAP_API", api)
            .current_dir(dir)
            .output()
            .unwrap()
    }

    fn petition_server() -> Server {
        Server::start(|r, _| match r.path() {
            "/petitions/621078.json" => Reply::fixture("api/petition_621078.json"),
            "/archived/petitions/601415.json" => Reply::fixture("archived_petition_601415.json"),
            _ => Reply::status(404),
        })
    }

    #[test]
    fn report_takes_a_petition_number() {
        let server = petition_server();
        let dir = tempfile::tempdir().unwrap();
        // --api wins over SIGMAP_API
        let o = sigmap(
            &[
                "report",
                "621078",
                "--out",
                "out",
                "--permutations",
                "0",
                "--api",
                &server.base(),
            ],
            dir.path(),
            "http://127.0.0.1:1",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stdout(&o).contains("(petition 621078, open"),
            "{}",
            stdout(&o)
        );
        assert!(dir.path().join("out/areas.csv").exists());
        // (SIGMAP_API alone and archived petitions are covered by the fetch tests: a second
        // report would double this test's time in a debug build)
    }

    #[test]
    fn offline_says_how_to_use_a_saved_file() {
        let dir = tempfile::tempdir().unwrap();
        let closed = ClosedPort::new();
        let api = closed.base();
        let o = sigmap(&["report", "621078"], dir.path(), &api);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(
            err.contains("the network is unreachable (offline?)"),
            "{err}"
        );
        assert!(
            err.contains("`sigmap fetch 621078 -o petition_621078.json`"),
            "{err}"
        );
        assert!(err.contains("pass the file instead of the number"), "{err}");
        let o = sigmap(&["list", "--state", "open"], dir.path(), &api);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("the network is unreachable"),
            "{}",
            stderr(&o)
        );
    }

    #[test]
    fn fetch_saves_the_raw_json() {
        let server = petition_server();
        let dir = tempfile::tempdir().unwrap();
        let o = sigmap(
            &["fetch", "621078", "-o", "p.json"],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("p.json")).unwrap(),
            fixture_text("api/petition_621078.json")
        );
        assert!(
            stderr(&o).starts_with("Wrote p.json (open, 1,289 signatures, 270 constituencies)"),
            "{}",
            stderr(&o)
        );
        let o = sigmap(
            &["fetch", "601415", "--archived"],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            stdout(&o).trim_end(),
            fixture_text("archived_petition_601415.json").trim_end()
        );
        // not there: exit 2
        let o = sigmap(&["fetch", "12"], dir.path(), &server.base());
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("petition 12 not found: 404 at"),
            "{}",
            stderr(&o)
        );
    }

    #[test]
    fn fetch_of_an_html_page_fails_clearly() {
        let server = Server::start(|_, _| Reply::html("<html><title>Maintenance</title></html>"));
        let dir = tempfile::tempdir().unwrap();
        let o = sigmap(
            &["fetch", "621078", "-o", "p.json"],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("expected JSON, found `<html><title>Maintenance"),
            "{}",
            stderr(&o)
        );
        assert!(!dir.path().join("p.json").exists());
    }

    #[test]
    fn list_pages_through_in_every_format() {
        let server = list_server();
        let dir = tempfile::tempdir().unwrap();
        let o = sigmap(
            &[
                "list", "--query", "energy", "--format", "csv", "--delay", "0s",
            ],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = stdout(&o);
        assert!(text.starts_with("id,state,signature_count,action\n"));
        let rows = csv::Reader::from_reader(text.as_bytes()).records().count();
        assert_eq!(rows, 139);
        let o = sigmap(
            &["list", "--query", "energy", "--max", "55", "--delay", "0s"],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = stdout(&o);
        assert!(
            text.starts_with("     id  state              signatures  action\n"),
            "{text}"
        );
        assert!(
            text.ends_with("55 petition(s) from 2 page(s) (more with a larger --max)\n"),
            "{text}"
        );
        let o = sigmap(
            &[
                "list", "--query", "energy", "--max", "3", "--format", "json", "--delay", "0s",
            ],
            dir.path(),
            &server.base(),
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["petitions"].as_array().unwrap().len(), 3);
        assert_eq!(v["pages"], 1);
        let o = sigmap(&["list", "--state", "opened"], dir.path(), &server.base());
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("not_debated"), "{}", stderr(&o));
    }

    /// The watch loop: a download, a 304, new counts with one seat lower, then an HTML page.
    #[test]
    fn watch_appends_snapshots_and_velocity_reads_them() {
        let original = fixture_text("api/petition_621078.json");
        let mut doc: serde_json::Value = serde_json::from_str(&original).unwrap();
        let attrs = &mut doc["data"]["attributes"];
        attrs["signature_count"] = (1289 + 40).into();
        let seats = attrs["signatures_by_constituency"].as_array_mut().unwrap();
        let first_code = seats[0]["ons_code"].as_str().unwrap().to_string();
        let first = seats[0]["signature_count"].as_u64().unwrap();
        seats[0]["signature_count"] = (first + 30).into();
        let lowered = seats[1]["ons_code"].as_str().unwrap().to_string();
        let n = seats[1]["signature_count"].as_u64().unwrap();
        assert!(n > 0);
        seats[1]["signature_count"] = (n - 1).into();
        let changed = doc.to_string();
        let server = Server::start(move |r, i| match (i, r.header("if-none-match")) {
            (0, _) => Reply::json(original.clone()).header("ETag", "\"v1\""),
            (1, Some("\"v1\"")) => Reply::status(304),
            (2, _) => Reply::json(changed.clone()).header("ETag", "\"v2\""),
            _ => Reply::html("<html>Bad gateway</html>"),
        });
        let dir = tempfile::tempdir().unwrap();
        let o = sigmap(
            &[
                "watch",
                "621078",
                "--every",
                "150ms",
                "--store",
                "s",
                "--count",
                "4",
                "--delay",
                "0s",
                "--retries",
                "0",
            ],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[0].ends_with("seats 270  downloaded"), "{out}");
        assert!(lines[1].ends_with("not_modified"), "{out}");
        assert!(
            lines[2].contains(&format!("DECREASED: {lowered} {n}->{}", n - 1)),
            "{out}"
        );
        assert!(
            stderr(&o).contains("poll 4 failed, store unchanged:"),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("expected JSON"), "{}", stderr(&o));

        let read = Snapshots::read(dir.path().join("s")).unwrap();
        assert_eq!(read.snapshots.len(), 3);
        assert!(read.snapshots[1].not_modified);
        assert_eq!(read.snapshots[1].counts, read.snapshots[0].counts);
        assert_eq!(read.snapshots[2].total, 1329);
        assert_eq!(read.decreases.len(), 1);

        let o = sigmap(
            &["velocity", "s", "--window", "100ms", "--format", "json"],
            dir.path(),
            "",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["snapshots"], 3);
        assert_eq!(v["decreases"][0]["code"], lowered.as_str());
        let row = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == first_code.as_str())
            .unwrap();
        assert_eq!(row["recent"], 30);
        let o = sigmap(&["velocity", "s", "--window", "100ms"], dir.path(), "");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = stdout(&o);
        assert!(text.contains("Decreases  1 count(s) went down"), "{text}");
        assert!(
            text.contains(&format!("{lowered}  {n} -> {}", n - 1)),
            "{text}"
        );
        // a window longer than the store: exit 2, says why
        let o = sigmap(&["velocity", "s", "--window", "1h"], dir.path(), "");
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("needs a baseline"), "{}", stderr(&o));
    }

    #[test]
    fn watch_repairs_a_torn_store_and_fails_first_on_a_wrong_number() {
        let server = petition_server();
        let dir = tempfile::tempdir().unwrap();
        let o = sigmap(
            &[
                "watch", "621078", "--every", "1s", "--store", "s", "--count", "1",
            ],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let file = dir.path().join("s").join(live::STORE_FILE);
        let good = std::fs::read(&file).unwrap();
        let mut torn = good.clone();
        torn.extend_from_slice(b"2099-01-01T00:00:00.000Z,621078,total,,1");
        std::fs::write(&file, &torn).unwrap();
        let o = sigmap(
            &[
                "watch", "621078", "--every", "1s", "--store", "s", "--count", "1", "--format",
                "csv",
            ],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.starts_with("time,petition,total,uk_total,seats,status,decreased\n"),
            "{out}"
        );
        assert!(
            out.lines()
                .nth(1)
                .unwrap()
                .ends_with(",621078,1289,1288,270,downloaded,"),
            "{out}"
        );
        assert!(
            stderr(&o).contains("ended in a snapshot cut short"),
            "{}",
            stderr(&o)
        );
        let after = std::fs::read(&file).unwrap();
        assert_eq!(&after[..good.len()], good.as_slice());
        assert_eq!(
            Snapshots::read(dir.path().join("s"))
                .unwrap()
                .snapshots
                .len(),
            2
        );
        // a number the server does not have: the first poll fails the command
        let o = sigmap(
            &["watch", "5", "--store", "t", "--count", "3"],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("petition 5 not found"),
            "{}",
            stderr(&o)
        );
    }

    /// See: #15: `report 16` against a mirror analysed petition 241584.
    #[test]
    fn report_of_a_substituted_petition_analyses_and_writes_nothing() {
        let server = Server::start(|_, _| Reply::fixture("api/petition_621078.json"));
        let dir = tempfile::tempdir().unwrap();
        let o = sigmap(
            &["report", "16", "--out", "out", "--permutations", "0"],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("asked for petition 16, the answer is petition 621078"),
            "{}",
            stderr(&o)
        );
        assert!(!dir.path().join("out").exists());
    }

    #[test]
    fn list_against_an_endless_server_stops_at_max_pages() {
        let server = endless_list_server();
        let dir = tempfile::tempdir().unwrap();
        let o = sigmap(
            &["list", "--max-pages", "5", "--delay", "0s"],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("the list still goes on after 5 pages"),
            "{}",
            stderr(&o)
        );
        assert_eq!(server.requests().len(), 5);
    }

    #[test]
    fn fetch_and_report_against_a_stalled_server_end_at_the_timeout() {
        let body = fixture_text("api/petition_550887.json");
        let server =
            Server::start(move |_, _| Reply::json(body.clone()).stall(Duration::from_secs(30)));
        let dir = tempfile::tempdir().unwrap();
        for args in [
            &["fetch", "550887", "-o", "p.json", "--timeout", "300ms"][..],
            &["report", "550887", "--timeout", "300ms", "--out", "out"][..],
        ] {
            let o = sigmap(args, dir.path(), &server.base());
            assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
            assert!(
                stderr(&o).contains("no complete answer within 300ms"),
                "{args:?}: {}",
                stderr(&o)
            );
        }
        assert!(!dir.path().join("p.json").exists());
        assert!(!dir.path().join("out").exists());
        // a timeout of zero is refused
        let o = sigmap(
            &["fetch", "1", "--timeout", "0s"],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    }

    #[test]
    fn velocity_refuses_a_nan_alpha() {
        // See: #15
        let dir = tempfile::tempdir().unwrap();
        for (flag, value) in [
            ("--alpha", "NaN"),
            ("--alpha", "0"),
            ("--alpha", "1.5"),
            ("--min-ratio", "NaN"),
            ("--min-ratio", "-1"),
        ] {
            let o = sigmap(
                &["velocity", "s", &format!("{flag}={value}")],
                dir.path(),
                "",
            );
            assert_eq!(o.status.code(), Some(2), "{flag} {value}");
            assert!(stderr(&o).contains(flag), "{}", stderr(&o));
        }
    }

    /// See: #15: nothing a hostile or broken server sends reaches the store.
    #[test]
    fn watch_stores_nothing_from_a_hostile_server() {
        let original = fixture_text("api/petition_621078.json");
        let doc: serde_json::Value = serde_json::from_str(&original).unwrap();
        let with = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut d = doc.clone();
            f(&mut d);
            d.to_string()
        };
        let wrong_id = with(&|d| d["data"]["id"] = 241584.into());
        let comma = with(&|d| {
            d["data"]["attributes"]["signatures_by_constituency"][0]["ons_code"] =
                "E1400,0530".into()
        });
        let newline = with(&|d| {
            d["data"]["attributes"]["signatures_by_constituency"][3]["ons_code"] =
                "E140\n00530".into()
        });
        let elsewhere = Server::start(|_, _| Reply::fixture("api/petition_621078.json"));
        let other = format!("{}/petitions/621078.json", elsewhere.base());
        let server = Server::start(move |_, n| match n {
            0 => Reply::json(original.clone()),
            1 => Reply::json(wrong_id.clone()),
            2 => Reply::redirect(302, &other),
            3 => Reply::json(comma.clone()),
            4 => Reply::json(newline.clone()),
            5 => {
                Reply::json(fixture_text("api/petition_621078.json")).stall(Duration::from_secs(30))
            }
            _ => Reply::redirect(302, &format!("/loop/{n}.json")),
        });
        let dir = tempfile::tempdir().unwrap();
        let o = sigmap(
            &[
                "watch",
                "621078",
                "--every",
                "20ms",
                "--store",
                "s",
                "--count",
                "7",
                "--delay",
                "0s",
                "--retries",
                "0",
                "--timeout",
                // long enough for six redirects on a loaded machine; the stall is 30 s
                "3s",
            ],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let err = stderr(&o);
        for (poll, says) in [
            (
                2,
                "asked for petition 621078, the answer is petition 241584",
            ),
            (3, "another server"),
            (
                4,
                "record 1, field signatures_by_constituency.ons_code: expected a GSS code",
            ),
            (
                5,
                "record 4, field signatures_by_constituency.ons_code: expected a GSS code",
            ),
            (6, "no complete answer within 3s"),
            (7, "more than 5 redirects"),
        ] {
            let line = err
                .lines()
                .find(|l| l.contains(&format!("poll {poll} failed, store unchanged")))
                .unwrap_or_else(|| panic!("poll {poll}: {err}"));
            assert!(line.contains(says), "poll {poll}: {line}");
        }
        assert!(elsewhere.requests().is_empty());
        let read = Snapshots::read(dir.path().join("s")).unwrap();
        assert_eq!(read.snapshots.len(), 1);
        assert!(read.damaged.is_empty());
        assert_eq!(read.ignored_tail_bytes, 0);
        let text = std::fs::read_to_string(dir.path().join("s").join(live::STORE_FILE)).unwrap();
        assert_eq!(text.lines().filter(|l| l.contains(",end,")).count(), 1);
        assert_eq!(text.lines().count(), 1 + 270 + 3, "{text}");
    }

    /// See: #15 point 3: `sigmap watch` killed with SIGKILL at arbitrary moments, again and
    /// again, loses no complete snapshot, and `velocity` reads the store.
    #[cfg(unix)]
    #[test]
    fn watch_killed_at_random_moments_loses_no_complete_snapshot() {
        let original = fixture_text("api/petition_621078.json");
        let doc: serde_json::Value = serde_json::from_str(&original).unwrap();
        // counts that grow with each request, so the snapshots differ
        let server = Server::start(move |_, n| {
            let mut d = doc.clone();
            let a = &mut d["data"]["attributes"];
            a["signature_count"] = (1289 + n as u64).into();
            let seat = &mut a["signatures_by_constituency"][0]["signature_count"];
            *seat = (seat.as_u64().unwrap() + n as u64).into();
            Reply::json(d.to_string())
        });
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("s");
        let file = store.join(live::STORE_FILE);
        let mut kept: Vec<u8> = Vec::new(); // the whole snapshots so far
        let mut count = 0;
        let mut rng: u64 = 0x5eed_1234_abcd_0001;
        for round in 0..30 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let mut child = crate::util::sigmap_command()
                .args([
                    "watch",
                    "621078",
                    "--every",
                    "3ms",
                    "--store",
                    "s",
                    "--delay",
                    "0s",
                    "--retries",
                    "0",
                ])
                .env("SIGMAP_API", server.base())
                .current_dir(dir.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            // an arbitrary moment once this run has begun writing (however slowly the
            // machine starts it): 0 to 40 ms after its first new byte
            let began = std::time::Instant::now();
            while std::fs::metadata(&file).map_or(0, |m| m.len()) <= kept.len() as u64
                && began.elapsed() < Duration::from_secs(60)
                && child.try_wait().unwrap().is_none()
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(Duration::from_millis(rng % 41));
            child.kill().ok(); // SIGKILL
            child.wait().unwrap();
            if !file.exists() {
                continue; // killed before the store was created
            }
            let read = Snapshots::read(&store)
                .unwrap_or_else(|e| panic!("round {round}: store unreadable: {e}"));
            assert!(read.damaged.is_empty(), "round {round}: {:?}", read.damaged);
            let bytes = std::fs::read(&file).unwrap();
            let whole = bytes.len() - read.ignored_tail_bytes as usize;
            assert!(
                bytes.starts_with(&kept),
                "round {round}: a complete snapshot was lost or rewritten"
            );
            assert!(read.snapshots.len() >= count, "round {round}");
            kept = bytes[..whole].to_vec();
            count = read.snapshots.len();
        }
        assert!(count >= 3, "only {count} snapshot(s) in 30 runs");
        // a last clean run repairs any torn tail and appends after every kept snapshot
        let o = sigmap(
            &[
                "watch", "621078", "--every", "3ms", "--store", "s", "--count", "1", "--delay",
                "0s",
            ],
            dir.path(),
            &server.base(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.starts_with(&kept));
        let read = Snapshots::read(&store).unwrap();
        assert_eq!(read.snapshots.len(), count + 1);
        assert_eq!(read.ignored_tail_bytes, 0);
        let o = sigmap(
            &["velocity", "s", "--window", "1ms", "--format", "json"],
            dir.path(),
            "",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["snapshots"], count + 1);
    }
}
