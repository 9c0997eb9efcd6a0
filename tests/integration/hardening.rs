//! Numbers and text that must not be misread, echoed raw or NaN (#15 points 4, 6, 7).

use crate::cli::{columbus_stats, columbus_values, data_arg, sigmap, stderr, stdout};
use crate::util;

/// `sigmap stats --format json` on Columbus with CRIME written with `suffix` (`e100`).
fn columbus_json(dir: &std::path::Path, suffix: &str) -> serde_json::Value {
    let name = format!("v{suffix}.csv");
    let v = columbus_values(dir, &name, |_, p| {
        Some(format!("{},{}{suffix},1\n", p["POLYID"], p["CRIME"]))
    });
    let o = columbus_stats(dir, v.to_str().unwrap(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{suffix}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn huge_and_tiny_values_give_the_statistics_of_ordinary_ones() {
    let dir = tempfile::tempdir().unwrap();
    let plain = columbus_json(dir.path(), "");
    for suffix in ["e100", "e200", "e300", "e-200", "e-300"] {
        let got = columbus_json(dir.path(), suffix);
        for (stat, key) in [
            ("moran", "I"),
            ("moran", "VI_rand"),
            ("moran", "z_rand"),
            ("moran", "p_rand"),
            ("moran", "p_sim"),
            ("geary", "C"),
            ("geary", "z_rand"),
            ("geary", "p_rand"),
            ("getis_ord", "G"),
            ("getis_ord", "z_norm"),
        ] {
            let (a, b) = (plain[stat][key].as_f64(), got[stat][key].as_f64());
            let (Some(a), Some(b)) = (a, b) else {
                panic!(
                    "{suffix}: {stat}.{key} is {:?}, was {:?}",
                    got[stat][key], plain[stat][key]
                );
            };
            assert!(
                b.is_finite() && (a - b).abs() <= 1e-9 * a.abs().max(1e-300),
                "{suffix}: {stat}.{key} {b} != {a}"
            );
        }
        for (p, g) in plain["local"]
            .as_array()
            .unwrap()
            .iter()
            .zip(got["local"].as_array().unwrap())
        {
            assert_eq!(p["lisa_label"], g["lisa_label"], "{suffix}");
            assert_eq!(p["lisa_p_sim"], g["lisa_p_sim"], "{suffix}");
            let (a, b) = (
                p["gi_star_z"].as_f64().unwrap(),
                g["gi_star_z"].as_f64().unwrap(),
            );
            assert!(
                (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                "{suffix}: Gi* {b} != {a}"
            );
        }
    }
}

/// Petition 241584 with `edit` applied to its JSON.
fn edited_petition(dir: &std::path::Path, edit: impl Fn(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(util::data("petitions/petition_241584.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    edit(&mut json);
    let path = dir.join("edited.json");
    std::fs::write(&path, serde_json::to_string(&json).unwrap()).unwrap();
    path.display().to_string()
}

const HOSTILE: &str = "\u{1b}[31mRed\u{1b}]0;owned\u{7}\nline\r\u{9b}2J \u{0}end";

#[test]
fn control_characters_never_reach_the_terminal_or_the_svg_raw() {
    let dir = tempfile::tempdir().unwrap();
    let petition = edited_petition(dir.path(), |j| {
        j["data"]["attributes"]["action"] = HOSTILE.into();
    });
    let o = sigmap(
        &[
            "report",
            &petition,
            "--out",
            "out",
            "--permutations",
            "0",
            "--rank-draws",
            "0",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let raw = |bytes: &[u8]| {
        bytes.iter().any(|&b| (b < 0x20 && b != b'\n') || b == 0x7f)
            || bytes
                .windows(2)
                .any(|w| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1]))
    };
    assert!(!raw(&o.stdout) && !raw(&o.stderr), "{}", stdout(&o));
    assert!(stdout(&o).contains("\\u{1b}[31mRed"), "{}", stdout(&o));
    let svg = "out/map.svg";
    {
        let text = std::fs::read_to_string(dir.path().join(svg)).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{svg}: {e}"));
        assert!(
            doc.descendants()
                .any(|n| n.text().is_some_and(|t| t.contains("Red"))),
            "{svg}: the title is gone"
        );
    }
    // a code with control characters: an unmatched code, listed escaped
    let petition = edited_petition(dir.path(), |j| {
        j["data"]["attributes"]["signatures_by_constituency"][0]["ons_code"] = HOSTILE.into();
    });
    let o = sigmap(
        &[
            "report",
            &petition,
            "--out",
            "out2",
            "--permutations",
            "0",
            "--rank-draws",
            "0",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!raw(&o.stdout) && !raw(&o.stderr), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("Unmatched codes    1: \\u{1b}[31mRed"),
        "{}",
        stdout(&o)
    );
    // an error quoting it: escaped on stderr
    let o = sigmap(&["locate", "0", "51.5", "--areas", &petition], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!raw(&o.stderr), "{}", stderr(&o));
}

#[test]
fn a_petition_too_big_is_refused_naming_the_file_and_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 17 MiB of spaces inside the title: valid JSON, over the 16 MiB limit
    let text = std::fs::read_to_string(util::data("petitions/petition_241584.json")).unwrap();
    let big = text.replacen(
        "\"action\":\"",
        &format!("\"action\":\"{}", " ".repeat(17 << 20)),
        1,
    );
    assert!(big.len() > 17 << 20, "no action field replaced");
    std::fs::write(dir.path().join("big.json"), &big).unwrap();
    for args in [
        vec!["report", "big.json", "--out", "out"],
        vec!["report", "-", "--out", "out"],
    ] {
        let mut child = crate::util::sigmap_command()
            .args(&args)
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        if args[1] == "-" {
            // the reader stops at the limit: a closed pipe here is fine
            let _ = std::io::Write::write_all(&mut stdin, big.as_bytes());
        }
        drop(stdin);
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains("at most 16 MiB") && e.contains(args[1]), "{e}");
        assert!(!dir.path().join("out").exists());
    }
}

#[test]
fn a_huge_field_is_quoted_as_a_short_excerpt() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "9".repeat(1 << 20) + "x";
    let d = dir.path();
    // a count, a code, a value
    util::write(d, "count.csv", &format!("code,count\nE14001063,{huge}\n"));
    util::write(d, "code.csv", &format!("code,count\nE{huge},1\n"));
    let petition = edited_petition(d, |j| {
        j["data"]["attributes"]["signatures_by_constituency"][0]["signature_count"] =
            huge.clone().into();
    });
    let values = columbus_values(d, "v.csv", |i, p| {
        let crime = if i == 3 {
            huge.clone()
        } else {
            p["CRIME"].to_string()
        };
        Some(format!("{},{crime},1\n", p["POLYID"]))
    });
    let outputs = [
        sigmap(&["report", "count.csv", "--out", "o1"], d),
        sigmap(&["report", "code.csv", "--out", "o2"], d),
        sigmap(&["report", &petition, "--out", "o3"], d),
        columbus_stats(d, values.to_str().unwrap(), &[]),
    ];
    for o in outputs {
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let e = stderr(&o);
        assert!(e.len() < 1_000, "{} bytes: {}", e.len(), &e[..1_000]);
        assert!(e.contains("999..."), "{e}");
    }
}

#[test]
fn a_petition_of_shared_scottish_codes_says_its_set_was_assumed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    util::write(
        d,
        "shared.csv",
        "code,count\nS14000021,10\nS14000027,20\nS14000045,30\nS14000048,40\nS14000051,50\n",
    );
    util::write(d, "plain.csv", "code,count\nS14000021,10\nE14001063,5\n");
    let run = |name: &str, format: &str| {
        let o = sigmap(
            &[
                "report",
                name,
                "--out",
                "out",
                "--format",
                format,
                "--permutations",
                "0",
            ],
            d,
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let text = run("shared.csv", "table");
    assert!(
        text.contains("Note")
            && text.contains("so its set cannot be told: the 2024 constituencies were assumed"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&run("shared.csv", "json")).unwrap();
    let notes = json["completeness"]["notes"].to_string();
    assert!(
        notes.contains("2024 constituencies were assumed"),
        "{notes}"
    );
    // one code of one set only: no such note
    assert!(!run("plain.csv", "table").contains("cannot be told"));
}

#[test]
fn option_mistakes_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let petition = data_arg("petitions/petition_241584.json");
    // the esda engine's seed, as stats refuses it
    let o = sigmap(
        &[
            "report",
            &petition,
            "--out",
            "out",
            "--engine",
            "esda",
            "--seed",
            "4294967296",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("4294967295"), "{}", stderr(&o));
    assert!(!d.join("out").exists());
    // a crosswalk name misspelt is not a file to look for
    let o = sigmap(
        &[
            "report",
            &petition,
            "--out",
            "out",
            "--to",
            "2024",
            "--crosswalk",
            "populaton",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("populaton") && e.contains("population, area"),
        "{e}"
    );
    assert!(!e.contains("cannot read"), "{e}");
    // 2024 counts cannot go back to the 2010 seats: an option mistake, not a failure
    let p2024 = util::write(d, "p2024.csv", "code,count\nE14001063,5\nE14001064,3\n");
    let o = sigmap(
        &[
            "report",
            p2024.to_str().unwrap(),
            "--out",
            "out",
            "--to",
            "2010",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("--to") && e.contains("not the other way"), "{e}");
    assert!(!d.join("out").exists());
    // these exited 1 as if sigmap had failed
    let cases: [(&[&str], &str); 3] = [
        (
            &["batch", &petition, "--out", "many", "--to", "2010"],
            "--to",
        ),
        (
            &[
                "watch", "1", "--every", "0s", "--store", "s", "--count", "1",
            ],
            "--every",
        ),
        (&["map", &petition, "-o", "map.txt"], "--output"),
    ];
    for (args, option) in cases {
        let o = sigmap(args, d);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(option), "{args:?}: {}", stderr(&o));
    }
    assert!(!d.join("s").exists() && !d.join("map.txt").exists());
}

#[test]
fn gwt_weights_say_their_values_are_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let v = columbus_values(d, "v.csv", |_, p| {
        Some(format!("{},{},1\n", p["POLYID"], p["CRIME"]))
    });
    let v = v.to_str().unwrap();
    let o = columbus_stats(d, v, &["--weights-out", "w.gwt", "--permutations", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = columbus_stats(d, v, &["--weights-file", "w.gwt", "--permutations", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("w.gwt: only the links are used, not the weight values"),
        "{}",
        stderr(&o)
    );
    let o = columbus_stats(d, v, &["--weights-out", "w.gal", "--permutations", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = columbus_stats(d, v, &["--weights-file", "w.gal", "--permutations", "0"]);
    assert_eq!(stderr(&o), "");
    let help = stdout(&sigmap(&["stats", "--help"], d));
    assert!(
        help.contains("weight values are checked (finite) but not used"),
        "{help}"
    );
}
