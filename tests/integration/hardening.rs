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
