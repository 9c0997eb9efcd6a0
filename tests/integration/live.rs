//! Live petitions (#8) without the internet: the API client against a server on 127.0.0.1
//! serving recorded responses (`tests/fixtures/api/`), the snapshot store and velocity, and
//! the `fetch`, `list`, `watch`, `velocity` commands and `report ID`.

use crate::server::{Reply, Server, closed_port};
use crate::util;
use sigmap::Error;
use sigmap::api::{Client, Freshness, ListQuery, ListState, Source};
use sigmap::snapshots::{self, Snapshot, SnapshotStore, Snapshots, VelocityOptions};
use std::time::{Duration, Instant, UNIX_EPOCH};

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

#[test]
fn a_429_is_retried_after_the_servers_retry_after() {
    let server = Server::start(|_, n| match n {
        0 => Reply::status(429).header("Retry-After", "1"),
        _ => Reply::fixture("api/petition_621078.json"),
    });
    let clock = Instant::now();
    let r = client(&server)
        .petition_json(621078, Source::Current)
        .unwrap();
    let waited = clock.elapsed();
    assert_eq!(r.attempts, 2);
    assert!(waited >= Duration::from_millis(950), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[test]
fn a_retry_after_beyond_the_max_wait_gives_up_at_once() {
    let server = Server::start(|_, _| Reply::status(429).header("Retry-After", "120"));
    let clock = Instant::now();
    let e = client(&server)
        .petition_json(621078, Source::Current)
        .unwrap_err();
    assert!(clock.elapsed() < Duration::from_secs(1));
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
    let clock = Instant::now();
    let e = c.petition_json(550887, Source::Current).unwrap_err();
    assert!(clock.elapsed() < Duration::from_millis(1500));
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
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
        e.to_string()
            .ends_with("/petitions.json?state=open: record 3: missing field `attributes.action`"),
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
    let c = Client::builder()
        .base_url(server.base())
        .min_interval(Duration::from_millis(200))
        .build()
        .unwrap();
    let clock = Instant::now();
    for _ in 0..3 {
        c.petition_json(550887, Source::Current).unwrap();
    }
    assert!(clock.elapsed() >= Duration::from_millis(400));
}

#[test]
fn a_closed_port_is_unreachable() {
    let c = Client::builder()
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .build()
        .unwrap();
    let clock = Instant::now();
    let e = c.petition(621078, Source::Auto).unwrap_err();
    assert!(matches!(e, Error::Unreachable { .. }), "{e:?}");
    assert!(clock.elapsed() < Duration::from_secs(2), "not retried");
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
    let file = dir.path().join(snapshots::STORE_FILE);
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
    let text = std::fs::read_to_string(dir.path().join(snapshots::STORE_FILE)).unwrap();
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
    let v = snapshots::velocity(&read, &VelocityOptions::default()).unwrap();
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
    let v = snapshots::velocity(&read, &VelocityOptions::default()).unwrap();
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
    let e = snapshots::velocity(
        &read,
        &VelocityOptions::default().window(Duration::from_secs(5 * 3600)),
    )
    .unwrap_err();
    assert!(e.to_string().contains("needs a baseline before it"), "{e}");
    // and so does an empty window
    assert!(
        snapshots::velocity(&read, &VelocityOptions::default().window(Duration::ZERO)).is_err()
    );
}

// ---- the command line

#[cfg(feature = "cli")]
mod cli {
    use super::*;
    use crate::cli::{stderr, stdout};
    use std::path::Path;
    use std::process::{Command, Output};

    fn sigmap(args: &[&str], dir: &Path, api: &str) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sigmap"))
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
        let api = format!("http://127.0.0.1:{}", closed_port());
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
        let file = dir.path().join("s").join(snapshots::STORE_FILE);
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
}
