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
    for svg in ["out/map.svg"] {
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
