//! `Comparison` against scipy and esda's Moran_BV (scripts/golden/make_golden_compare.py).

use super::util;
use approx::assert_relative_eq;
use sigmap::stats::Permutations;
use sigmap::{Areas, Comparison, Petition, Report, ReportOptions, Vintage, WeightsKind};

fn report(id: &str) -> Report {
    let p = Petition::from_path(util::data(&format!("petitions/petition_{id}.json"))).unwrap();
    let options = ReportOptions::default()
        .permutations(Permutations::new(0))
        .ranks(sigmap::RankSimulation::new(0));
    Report::with_shipped_data_and_options(p, options).unwrap()
}

#[test]
fn comparison_matches_scipy_and_esda() {
    let text =
        std::fs::read_to_string(util::root().join("tests/golden/compare/pairs.json")).unwrap();
    let golden: serde_json::Value = serde_json::from_str(&text).unwrap();
    let w = WeightsKind::Queen
        .build(&Areas::shipped(Vintage::Pcon2010).unwrap())
        .unwrap();
    for pair in golden["pairs"].as_array().unwrap() {
        let (a, b) = (
            report(pair["a"].as_str().unwrap()),
            report(pair["b"].as_str().unwrap()),
        );
        let perms = pair["permutations"].as_u64().unwrap() as usize;
        let c = Comparison::new(&a, &b, &w, Permutations::new(perms)).unwrap();
        let g = |k: &str| pair[k].as_f64().unwrap();
        assert_relative_eq!(c.pearson.unwrap(), g("pearson"), max_relative = 1e-9);
        assert_relative_eq!(c.spearman.unwrap(), g("spearman"), max_relative = 1e-9);
        let bv = c.moran_bv.unwrap();
        assert_relative_eq!(bv.i, g("moran_bv_I"), max_relative = 1e-9);
        // two estimates of the same p from 9,999 permutations each: within 4 standard errors
        let p = g("moran_bv_p_sim");
        let se = (2.0 * p * (1.0 - p) / perms as f64)
            .sqrt()
            .max(1.0 / perms as f64);
        let ours = bv.p_sim.unwrap();
        assert!((ours - p).abs() <= 4.0 * se, "{pair}: p_sim {ours} vs {p}");
        assert_eq!(c.seats, 650);
        for s in &c.more_for_a {
            assert!(s.a_rank < s.b_rank);
        }
        for s in &c.more_for_b {
            assert!(s.a_rank > s.b_rank);
        }
    }
}

#[test]
fn petitions_on_different_seats_are_refused() {
    let a = report("241584");
    let b = Report::with_shipped_data(
        Petition::from_reader("E14001063,5\nE14001064,9\n".as_bytes(), "b.csv").unwrap(),
    )
    .unwrap();
    let w = WeightsKind::Queen.build(&a.areas).unwrap();
    let e = Comparison::new(&a, &b, &w, Permutations::new(0)).unwrap_err();
    assert!(e.to_string().contains("same boundary layer"), "{e}");
}
