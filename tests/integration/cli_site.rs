//! `sigmap site`: the folder it writes, its links, mixed constituency sets, bad input and
//! determinism across thread counts.

use crate::cli::{data_arg, stderr, stdout};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

fn site(args: &[&str], dir: &Path, threads: &str) -> Output {
    crate::util::sigmap_command()
        .arg("site")
        .args(args)
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap()
}

/// Every file under `dir`, relative path -> bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The values of `attr="…"` in a page.
fn attrs<'a>(page: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    page.match_indices(&key)
        .map(|(i, _)| {
            let v = &page[i + key.len()..];
            &v[..v.find('"').unwrap()]
        })
        .collect()
}

/// Checks that every href and src of every page is relative and names a file of the
/// site; returns how many links were checked.
fn check_links(root: &Path, all: &BTreeMap<PathBuf, Vec<u8>>) -> usize {
    let mut checked = 0;
    for (rel, bytes) in all {
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = std::str::from_utf8(bytes).unwrap();
        let base = root.join(rel).parent().unwrap().to_path_buf();
        for link in attrs(page, "href").into_iter().chain(attrs(page, "src")) {
            if link.starts_with('#') {
                continue;
            }
            assert!(
                !link.contains(':') && !link.starts_with('/'),
                "{}: `{link}` is not a relative link",
                rel.display()
            );
            let target = link.split('#').next().unwrap();
            let path = base.join(target);
            assert!(
                path.is_file(),
                "{}: `{link}` names no file of the site",
                rel.display()
            );
            checked += 1;
        }
    }
    checked
}

// See: #17
#[test]
fn r17_site_of_mixed_sets_is_complete_linked_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p2010 = data_arg("petitions/petition_105868.json");
    let p2010b = data_arg("petitions/petition_601415.json");
    let p2024 = crate::util::fixture("counts_2024_made_up.csv")
        .display()
        .to_string();
    let args = |out: &'static str| {
        vec![
            p2010.clone(),
            p2024.clone(),
            p2010b.clone(),
            "--out".to_string(),
            out.to_string(),
        ]
    };
    let one: Vec<String> = args("one");
    let one: Vec<&str> = one.iter().map(String::as_str).collect();
    let o = site(&one, d, "1");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Wrote 3 petition page(s) and 1300 constituency pages: "),
        "{}",
        stdout(&o)
    );
    let two: Vec<String> = args("two");
    let two: Vec<&str> = two.iter().map(String::as_str).collect();
    let o = site(&two, d, "2");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (a, b) = (files(&d.join("one")), files(&d.join("two")));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files with 1 and 2 threads"
    );
    for (k, v) in &a {
        assert!(
            v == &b[k],
            "{} differs between 1 and 2 threads",
            k.display()
        );
    }

    let root = d.join("one");
    // the files of each petition
    for slug in ["105868", "601415", "counts_2024_made_up"] {
        for f in [
            "areas.csv",
            "areas.geojson",
            "summary.json",
            "thumbnail.svg",
        ] {
            assert!(
                root.join("petitions").join(slug).join(f).is_file(),
                "{slug}/{f}"
            );
        }
        assert_eq!(
            root.join("petitions")
                .join(slug)
                .join("areas.parquet")
                .is_file(),
            cfg!(feature = "polars"),
            "{slug}/areas.parquet"
        );
        let page =
            String::from_utf8(a[&PathBuf::from(format!("petitions/{slug}.html"))].clone()).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
        assert!(page.contains("<title>"));
        assert_eq!(
            page.matches("<path data-code=\"").count(),
            2 * 650,
            "{slug}"
        );
        assert!(page.contains("href=\"../style.css\""));
        assert!(page.contains(&format!("href=\"{slug}/areas.csv\" download")));
        assert!(page.contains("About these numbers"));
        assert!(page.contains("Hot and cold spots") && page.contains("Unusual support"));
        // every control of the map is labelled
        for id in attrs(&page, "id")
            .into_iter()
            .filter(|i| i.starts_with("map-q"))
        {
            assert!(page.contains(&format!("<label for=\"{id}\">")), "{id}");
        }
    }
    // the sets are kept apart, and the pages say which seats they use
    let page = |rel: &str| String::from_utf8(a[&PathBuf::from(rel)].clone()).unwrap();
    let p = page("petitions/105868.html");
    assert!(p.contains("Mapped on the 2010 constituencies"));
    assert!(p.contains("href=\"../seats/2010/E14"));
    assert!(!p.contains("href=\"../seats/E14"));
    assert!(p.contains("in no constituency"), "unassigned signatures");
    let p = page("petitions/counts_2024_made_up.html");
    assert!(p.contains("Mapped on the 2024 constituencies"));
    assert!(p.contains("href=\"../seats/E14"));
    let index = page("index.html");
    assert!(
        index.contains("On the 2010 constituencies")
            && index.contains("On the 2024 constituencies")
    );
    assert!(index.contains("href=\"petitions/601415.html\""));
    assert!(index.contains("src=\"petitions/601415/thumbnail.svg\""));
    let seats_2024 = a
        .keys()
        .filter(|k| k.parent() == Some(Path::new("seats")))
        .count();
    let seats_2010 = a
        .keys()
        .filter(|k| k.parent() == Some(Path::new("seats/2010")))
        .count();
    assert_eq!(
        (seats_2024, seats_2010),
        (651, 651),
        "650 seats and a list, per set"
    );
    let seat = page("seats/E14001149.html");
    assert!(seat.contains("<title>"));
    assert!(seat.contains("class=\"st-locator\""));
    assert!(seat.contains("href=\"../petitions/counts_2024_made_up.html\""));
    assert!(
        !seat.contains("105868"),
        "a 2024 seat lists only the 2024 petitions"
    );
    let seat = page("seats/2010/E14000639.html");
    assert!(
        seat.contains("../../petitions/105868.html")
            && seat.contains("../../petitions/601415.html")
    );
    // five Scottish codes name a seat of each set: both pages exist, apart
    assert!(a.contains_key(Path::new("seats/S14000021.html")));
    assert!(a.contains_key(Path::new("seats/2010/S14000021.html")));

    let checked = check_links(&root, &a);
    assert!(checked > 20_000, "{checked} links");
}

// See: #17
#[test]
fn r17_site_on_2024_seats_with_a_crosswalk() {
    let dir = tempfile::tempdir().unwrap();
    let p = data_arg("petitions/petition_105868.json");
    let o = site(
        &[&p, "--to", "2024", "--out", "s", "--format", "csv"],
        dir.path(),
        "2",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("slug,id,title,vintage,estimated,page\n105868,105868,"),
        "{out}"
    );
    assert!(out.ends_with(",2024,true,petitions/105868.html\n"), "{out}");
    let root = dir.path().join("s");
    assert!(!root.join("seats/2010").exists());
    let all = files(&root);
    let page = String::from_utf8(all[Path::new("petitions/105868.html")].clone()).unwrap();
    assert!(page.contains("re-expressed on the 2024 constituencies"));
    assert!(page.contains("estimates"));
    let seat = String::from_utf8(all[Path::new("seats/E14001149.html")].clone()).unwrap();
    assert!(seat.contains("(est.)"));
    check_links(&root, &all);
}

// See: #17
#[test]
fn r17_site_bad_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad = crate::util::write(d, "bad.json", "{\"data\": ");
    let o = site(&[bad.to_str().unwrap(), "--out", "s"], d, "2");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.json"), "{}", stderr(&o));
    // the same petition twice
    let p = data_arg("petitions/petition_105868.json");
    let copy = d.join("copy.json");
    std::fs::copy(&p, &copy).unwrap();
    let o = site(&[&p, copy.to_str().unwrap(), "--out", "s"], d, "2");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("copy.json: expected each petition once, found petition 105868 again"),
        "{}",
        stderr(&o)
    );
    let o = site(&[&p, "--to", "2010", "--out", "s"], d, "2");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--to"), "{}", stderr(&o));
}
