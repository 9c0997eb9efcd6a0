//! Spatial weights and statistics against PySAL (libpysal 4.14 / esda 2.9) on real data:
//! `scripts/golden/make_golden_pysal.py` writes tests/golden/pysal/*.json.

use crate::util;
use serde_json::Value;
use sigmap::stats::{self, Permutations, StatsReport};
use sigmap::{Areas, LayerOptions, Transform, Values, Weights, WeightsKind};

fn golden(name: &str) -> Value {
    let path = util::root().join("tests/golden/pysal").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(want: f64, got: f64, what: &str) {
    if want == 0.0 {
        assert!(got.abs() < 1e-12, "{what}: want 0, got {got}");
    } else {
        assert!(
            ((want - got) / want).abs() <= 1e-9,
            "{what}: want {want:e}, got {got:e} (relative {:e})",
            ((want - got) / want).abs()
        );
    }
}

fn check_neighbours(g: &Value, w: &Weights, what: &str) {
    let lists = g["neighbours"].as_array().unwrap();
    assert_eq!(lists.len(), w.n(), "{what}");
    for (i, list) in lists.iter().enumerate() {
        let want: Vec<u32> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(
            w.neighbours(i),
            want.as_slice(),
            "{what}: neighbours of {i}"
        );
    }
    let islands: Vec<usize> = g["islands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(w.islands(), islands, "{what}: islands");
    assert_eq!(
        w.n_components() as u64,
        g["n_components"].as_u64().unwrap(),
        "{what}: components"
    );
    // scipy numbers components in order of their first area, as sigmap does
    let labels: Vec<usize> = g["component_labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(w.component_labels(), labels, "{what}: component labels");
    let mut sizes = vec![0u64; w.n_components()];
    for label in w.component_labels() {
        sizes[label] += 1;
    }
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let want: Vec<u64> = g["component_sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    assert_eq!(sizes, want, "{what}: component sizes");
    // the sums every variance is made of, in both transforms
    for (suffix, transform) in [
        ("binary", Transform::Binary),
        ("row_standardised", Transform::Row),
    ] {
        let t = w.transformed(transform);
        for (s, got) in [("s0", t.s0()), ("s1", t.s1()), ("s2", t.s2())] {
            let key = format!("{s}_{suffix}");
            close(g[&key].as_f64().unwrap(), got, &format!("{what}: {key}"));
        }
    }
}

fn check_layer(golden_file: &str, areas: &Areas) {
    let g = golden(golden_file);
    let ids: Vec<String> = g["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().map_or_else(|| x.to_string(), String::from))
        .collect();
    let codes: Vec<String> = areas.iter().map(|a| a.code.clone()).collect();
    assert_eq!(codes, ids);
    let y = floats(&g["y"]);
    let queen = Weights::queen(areas);
    let rook = Weights::rook(areas);
    let knn = Weights::knn(areas, 5).unwrap();
    check_neighbours(&g["weights"]["queen"], &queen, "queen");
    check_neighbours(&g["weights"]["rook"], &rook, "rook");
    check_neighbours(&g["weights"]["knn5"], &knn, "knn5");

    for (name, w) in [("queen", &queen), ("rook", &rook), ("knn5", &knn)] {
        let want = &g["moran"][name];
        let m = stats::moran(&y, w, Permutations::none()).unwrap();
        for (key, got) in [
            ("I", m.i),
            ("EI", m.ei),
            ("VI_norm", m.vi_norm),
            ("VI_rand", m.vi_rand),
            ("z_norm", m.z_norm),
            ("z_rand", m.z_rand),
            ("p_norm", m.p_norm),
            ("p_rand", m.p_rand),
            // esda's standard errors are the square roots of the variances
            ("seI_norm", m.vi_norm.sqrt()),
            ("seI_rand", m.vi_rand.sqrt()),
        ] {
            close(
                want[key].as_f64().unwrap(),
                got,
                &format!("moran {name} {key}"),
            );
        }
        let lisa = stats::local_moran(&y, w, Permutations::none(), 0.05).unwrap();
        for (i, v) in floats(&g["local_moran"][name]["Is"]).iter().enumerate() {
            close(
                *v,
                lisa.rows[i].lisa_i,
                &format!("local moran {name} Is[{i}]"),
            );
        }
    }
    let lisa = stats::local_moran(&y, &queen, Permutations::none(), 0.05).unwrap();
    for (i, q) in g["local_moran"]["queen"]["q"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert_eq!(
            u64::from(lisa.rows[i].lisa_q),
            q.as_u64().unwrap(),
            "q[{i}]"
        );
    }

    let c = stats::geary(&y, &queen).unwrap();
    let want = &g["geary"]["queen"];
    for (key, got) in [
        ("C", c.c),
        ("EC", c.ec),
        ("VC_norm", c.vc_norm),
        ("VC_rand", c.vc_rand),
        ("z_norm", c.z_norm),
        ("z_rand", c.z_rand),
        ("p_norm", c.p_norm),
        ("p_rand", c.p_rand),
        ("seC_norm", c.vc_norm.sqrt()),
        ("seC_rand", c.vc_rand.sqrt()),
    ] {
        close(want[key].as_f64().unwrap(), got, &format!("geary {key}"));
    }

    let go = stats::getis_ord(&y, &queen).unwrap();
    let want = &g["getis_ord"]["queen"];
    for (key, got) in [
        ("G", go.g),
        ("EG", go.eg),
        ("VG", go.vg),
        ("z_norm", go.z_norm),
        ("p_norm", go.p_norm),
        ("seG", go.vg.sqrt()),
    ] {
        close(
            want[key].as_f64().unwrap(),
            got,
            &format!("getis_ord {key}"),
        );
    }

    let gs = stats::local_g_star(&y, &queen, Permutations::none()).unwrap();
    let want = &g["g_local_star"]["queen"];
    for (i, row) in gs.rows.iter().enumerate() {
        close(
            want["Gs"][i].as_f64().unwrap(),
            row.gi_star,
            &format!("Gs[{i}]"),
        );
        close(
            want["EGs"][i].as_f64().unwrap(),
            row.gi_star_expected,
            &format!("EGs[{i}]"),
        );
        close(
            want["VGs"][i].as_f64().unwrap(),
            row.gi_star_variance,
            &format!("VGs[{i}]"),
        );
        close(
            want["Zs"][i].as_f64().unwrap(),
            row.gi_star_z,
            &format!("Zs[{i}]"),
        );
        close(
            want["p_norm"][i].as_f64().unwrap(),
            row.gi_star_p_norm,
            &format!("Gi* p_norm[{i}]"),
        );
    }
}

#[test]
fn pcon2024_turnout_matches_pysal() {
    check_layer(
        "pcon2024_turnout.json",
        &Areas::shipped(sigmap::Vintage::Pcon2024).unwrap(),
    );
}

#[test]
fn pcon2010_petition_241584_matches_pysal() {
    check_layer(
        "pcon2010_petition_241584.json",
        &Areas::shipped(sigmap::Vintage::Pcon2010).unwrap(),
    );
}

#[test]
fn pcon2024_petition_241584_matches_pysal() {
    check_layer(
        "pcon2024_petition_241584.json",
        &Areas::shipped(sigmap::Vintage::Pcon2024).unwrap(),
    );
}

/// The input of `pcon2024_petition_241584.json` is sigmap's own crosswalk of the 2010
/// counts: it must still be what sigmap gives, or the golden no longer tests the report.
#[test]
fn pcon2024_petition_241584_input_is_sigmaps_crosswalk() {
    use sigmap::{Crosswalk, CrosswalkWeighting};
    let petition =
        sigmap::Petition::from_path(util::data("petitions/petition_241584.json")).unwrap();
    let moved = Crosswalk::shipped(CrosswalkWeighting::Population)
        .unwrap()
        .apply(&petition)
        .unwrap();
    let table = sigmap::Table::join(
        &moved,
        &Areas::shipped(sigmap::Vintage::Pcon2024).unwrap(),
        &sigmap::Denominators::shipped(sigmap::Vintage::Pcon2024).unwrap(),
    )
    .unwrap();
    let rows = crosswalked_241584();
    assert_eq!(rows.len(), table.rows.len());
    for (want, got) in rows.iter().zip(&table.rows) {
        assert_eq!(want.code, got.code);
        assert_eq!(
            (want.signatures, want.electorate, want.valid_votes),
            (got.signatures, got.electorate, got.valid_votes),
            "{}",
            got.code
        );
        assert_eq!(want.per_1k_voters, got.per_1k_voters, "{}", got.code);
    }
    let y = util::golden_floats("pcon2024_petition_241584.json", &["y"]);
    let rates: Vec<f64> = rows.iter().map(|r| r.per_1k_voters).collect();
    assert_eq!(y, rates);
}

/// One row of `tests/golden/pysal/pcon2024_petition_241584.csv`.
struct CrosswalkedRow {
    code: String,
    signatures: u64,
    electorate: u64,
    valid_votes: u64,
    per_1k_voters: f64,
}

fn crosswalked_241584() -> Vec<CrosswalkedRow> {
    let path = util::root().join("tests/golden/pysal/pcon2024_petition_241584.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (code, sig, el, vv, rate) = (
        col("code"),
        col("signatures"),
        col("electorate"),
        col("valid_votes"),
        col("per_1k_voters"),
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            CrosswalkedRow {
                code: r[code].to_string(),
                signatures: r[sig].parse().unwrap(),
                electorate: r[el].parse().unwrap(),
                valid_votes: r[vv].parse().unwrap(),
                per_1k_voters: r[rate].parse().unwrap(),
            }
        })
        .collect()
}

#[test]
fn columbus_matches_pysal() {
    let areas = LayerOptions::new()
        .code_property("POLYID")
        .from_path(util::fixture("columbus.geojson"))
        .unwrap();
    check_layer("columbus.json", &areas);
}

/// Pseudo p-values are random: sigmap's (per-area streams) and esda's (one shared matrix)
/// must agree to Monte Carlo error with 9,999 permutations each.
fn check_pseudo_p(want: &[Value], got: &[Option<f64>], cards: &[usize], what: &str) {
    let r = 9999.0;
    let mut checked = 0;
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        if cards[i] == 0 {
            assert_eq!(*g, None, "{what}: island {i} must have no p-value");
            continue;
        }
        let (w, g) = (w.as_f64().unwrap(), g.unwrap());
        let p = (w + g) / 2.0;
        // two independent estimates: sd of the difference sqrt(2 p (1-p) / R)
        let tolerance = 5.0 * (2.0 * p * (1.0 - p) / r).sqrt() + 2.0 / r;
        assert!(
            (w - g).abs() <= tolerance,
            "{what}[{i}]: esda {w}, sigmap {g}, tolerance {tolerance}"
        );
        checked += 1;
    }
    assert!(checked > 0, "{what}: nothing checked");
}

#[test]
fn pseudo_p_values_agree_with_esda_to_monte_carlo_error() {
    for (file, areas) in [
        (
            "pcon2024_turnout.json",
            Areas::shipped(sigmap::Vintage::Pcon2024).unwrap(),
        ),
        (
            "pcon2024_petition_241584.json",
            Areas::shipped(sigmap::Vintage::Pcon2024).unwrap(),
        ),
        (
            "columbus.json",
            LayerOptions::new()
                .code_property("POLYID")
                .from_path(util::fixture("columbus.geojson"))
                .unwrap(),
        ),
    ] {
        let g = golden(file);
        let y = floats(&g["y"]);
        let w = Weights::queen(&areas);
        let cards = w.cardinalities();
        for engine in [stats::Engine::Shared, stats::Engine::Independent] {
            let perms = Permutations::new(9999).engine(engine);
            let lisa = stats::local_moran(&y, &w, perms, 0.05).unwrap();
            let got: Vec<Option<f64>> = lisa.rows.iter().map(|r| r.lisa_p_sim).collect();
            check_pseudo_p(
                g["local_moran"]["queen"]["p_sim_9999"].as_array().unwrap(),
                &got,
                &cards,
                "lisa",
            );
            let gs = stats::local_g_star(&y, &w, perms).unwrap();
            let got: Vec<Option<f64>> = gs.rows.iter().map(|r| r.gi_star_p_sim).collect();
            check_pseudo_p(
                g["g_local_star"]["queen"]["p_sim_9999"].as_array().unwrap(),
                &got,
                &cards,
                "gi*",
            );
            let m = stats::moran(&y, &w, perms).unwrap();
            let want = g["moran"]["queen"]["p_sim_9999"].as_f64().unwrap();
            check_pseudo_p(&[Value::from(want)], &[m.p_sim], &[1], "moran");
        }
    }
}

fn layers() -> Vec<(&'static str, Areas)> {
    vec![
        (
            "pcon2024_turnout.json",
            Areas::shipped(sigmap::Vintage::Pcon2024).unwrap(),
        ),
        (
            "pcon2010_petition_241584.json",
            Areas::shipped(sigmap::Vintage::Pcon2010).unwrap(),
        ),
        (
            "pcon2024_petition_241584.json",
            Areas::shipped(sigmap::Vintage::Pcon2024).unwrap(),
        ),
        (
            "columbus.json",
            LayerOptions::new()
                .code_property("POLYID")
                .from_path(util::fixture("columbus.geojson"))
                .unwrap(),
        ),
    ]
}

/// Engine (c): every area's pseudo p-value is esda's, exactly; islands keep sigmap's rule
/// (no p-value) where esda gives them a spurious `1/(R+1)`.
fn check_exact(want: &[f64], got: &[Option<f64>], w: &Weights, count: usize, what: &str) {
    assert_eq!(want.len(), w.n(), "{what}");
    let islands = w.islands();
    let mut equal = 0;
    for (i, (&want, got)) in want.iter().zip(got).enumerate() {
        if islands.contains(&i) {
            assert_eq!(
                want,
                1.0 / (count as f64 + 1.0),
                "{what}: esda's island {i}"
            );
            assert_eq!(*got, None, "{what}: island {i} has no p-value");
        } else {
            assert_eq!(*got, Some(want), "{what}[{i}]: esda {want}, sigmap {got:?}");
        }
        equal += 1;
    }
    assert_eq!(equal, w.n(), "{what}");
}

#[test]
fn esda_engine_equals_esda_p_sim_for_every_area() {
    for (file, areas) in layers() {
        let g = golden(file);
        let y = util::golden_floats(file, &["y"]);
        let w = Weights::queen(&areas);
        for count in [999, 9999] {
            let perms = Permutations::new(count).engine(stats::Engine::Esda);
            assert_eq!(perms.seed, g["header"]["seed"].as_u64().unwrap());
            let lisa = stats::local_moran(&y, &w, perms, 0.05).unwrap();
            let got: Vec<Option<f64>> = lisa.rows.iter().map(|r| r.lisa_p_sim).collect();
            let key = format!("p_sim_{count}");
            let want = util::golden_floats(file, &["local_moran", "queen", &key]);
            check_exact(&want, &got, &w, count, &format!("{file} lisa {key}"));
            for i in w.islands() {
                assert_eq!(lisa.rows[i].lisa_label, stats::ClusterLabel::Isolated);
            }
        }
        let perms = Permutations::new(9999).engine(stats::Engine::Esda);
        let gs = stats::local_g_star(&y, &w, perms).unwrap();
        let got: Vec<Option<f64>> = gs.rows.iter().map(|r| r.gi_star_p_sim).collect();
        let want = util::golden_floats(file, &["g_local_star", "queen", "p_sim_9999"]);
        check_exact(&want, &got, &w, 9999, &format!("{file} gi* p_sim_9999"));
        // esda itself returns them as float32
        let want = util::golden_floats(file, &["g_local_star", "queen", "p_sim_9999_esda_float32"]);
        for (i, (p, want)) in got.iter().zip(want).enumerate() {
            if let Some(p) = p {
                assert_eq!(f64::from(*p as f32), want, "{file} gi* float32 [{i}]");
            }
        }
        let m = stats::moran(&y, &w, perms).unwrap();
        let want = g["moran"]["queen"]["p_sim_9999"].as_f64().unwrap();
        assert_eq!(m.p_sim, Some(want), "{file} moran p_sim_9999");
    }
}

/// Small lattices where many draws are exactly an area's own neighbours: there the order
/// in which OpenBLAS sums the simulated lag decides ties, and a left-to-right sum would give
/// 3 of the 16 rook p-values of seed 1 differently (areas 5, 7 and 8). Values from esda 2.9
/// without numba (numpy 2.4, OpenBLAS 0.3.31), for `w = libpysal.weights.lat2W(side, side,
/// rook=...)`, `i = np.arange(side**2)`, `y = ((i * 7919) % 1000 - 500) / 7.0`:
/// `Moran_Local(y, w, transformation="r", permutations=99, seed=s, n_jobs=1).p_sim`,
/// the float64 p of `G_Local(y - y.min() + 1.0, w, transform="B", star=True,
/// permutations=99, seed=s, n_jobs=1)`, and `Moran(y, w, permutations=99).p_sim` right after
/// `np.random.seed(s)`.
#[test]
fn esda_engine_breaks_ties_as_esda_does() {
    use sigmap::Contiguity;
    /// Lattice rule, side, seed; esda's local Moran, Gi* and global Moran p_sim.
    type Case<'a> = (Contiguity, usize, u64, &'a [f64], &'a [f64], f64);
    #[rustfmt::skip]
    let cases: [Case; 3] = [
        (Contiguity::Rook, 4, 1,
         &[0.12, 0.5, 0.1, 0.31, 0.1, 0.31, 0.48, 0.39, 0.1, 0.44, 0.19, 0.35, 0.33, 0.26, 0.21, 0.5],
         &[0.12, 0.5, 0.1, 0.29, 0.1, 0.32, 0.47, 0.36, 0.09, 0.42, 0.19, 0.35, 0.37, 0.26, 0.21, 0.49],
         0.45),
        (Contiguity::Rook, 4, 12,
         &[0.14, 0.4, 0.14, 0.34, 0.17, 0.36, 0.5, 0.36, 0.15, 0.47, 0.22, 0.33, 0.34, 0.33, 0.22, 0.5],
         &[0.14, 0.4, 0.14, 0.33, 0.17, 0.36, 0.47, 0.36, 0.14, 0.44, 0.21, 0.32, 0.39, 0.33, 0.22, 0.5],
         0.5),
        (Contiguity::Queen, 5, 3,
         &[0.08, 0.42, 0.13, 0.34, 0.49, 0.19, 0.19, 0.12, 0.04, 0.01, 0.3, 0.48, 0.29, 0.46, 0.28,
           0.2, 0.11, 0.16, 0.35, 0.3, 0.19, 0.24, 0.49, 0.24, 0.32],
         &[0.08, 0.42, 0.13, 0.34, 0.49, 0.19, 0.19, 0.12, 0.04, 0.01, 0.32, 0.49, 0.29, 0.46, 0.28,
           0.19, 0.11, 0.16, 0.35, 0.3, 0.19, 0.24, 0.49, 0.24, 0.3],
         0.4),
    ];
    for (rule, side, seed, lisa_want, gi_want, moran_want) in cases {
        let w = Weights::lattice(side, side, rule);
        let y: Vec<f64> = (0..side * side)
            .map(|i| ((i * 7919) % 1000) as f64 - 500.0)
            .map(|v| v / 7.0)
            .collect();
        let perms = Permutations::new(99).seed(seed).engine(stats::Engine::Esda);
        let what = format!("{rule:?} {side}x{side} seed {seed}");
        let lisa = stats::local_moran(&y, &w, perms, 0.05).unwrap();
        let got: Vec<f64> = lisa.rows.iter().map(|r| r.lisa_p_sim.unwrap()).collect();
        assert_eq!(got, lisa_want, "{what}: local Moran");
        let min = y.iter().copied().fold(f64::INFINITY, f64::min);
        let shifted: Vec<f64> = y.iter().map(|v| v - min + 1.0).collect();
        let gi = stats::local_g_star(&shifted, &w, perms).unwrap();
        let got: Vec<f64> = gi.rows.iter().map(|r| r.gi_star_p_sim.unwrap()).collect();
        assert_eq!(got, gi_want, "{what}: Gi*");
        let m = stats::moran(&y, &w, perms).unwrap();
        assert_eq!(m.p_sim, Some(moran_want), "{what}: Moran");
    }
}

#[test]
fn esda_engine_refuses_a_seed_numpy_refuses() {
    let w = Weights::lattice(3, 3, sigmap::Contiguity::Rook);
    let y: Vec<f64> = (0..9).map(f64::from).collect();
    let perms = Permutations::new(9)
        .engine(stats::Engine::Esda)
        .seed(1 << 32);
    let err = stats::local_moran(&y, &w, perms, 0.05).unwrap_err();
    assert!(err.is_input(), "{err}");
    assert!(
        matches!(err, sigmap::Error::BadOption { option: "seed", .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("4294967295"), "{err}");
    assert!(stats::local_moran(&y, &w, perms.seed(u64::from(u32::MAX)), 0.05).is_ok());
}

#[test]
fn islands_are_isolated_never_significant() {
    let g = golden("pcon2024_turnout.json");
    let areas = Areas::shipped(sigmap::Vintage::Pcon2024).unwrap();
    let w = Weights::queen(&areas);
    let lisa = stats::local_moran(&floats(&g["y"]), &w, Permutations::new(99), 0.05).unwrap();
    let islands: Vec<&str> = w
        .islands()
        .iter()
        .map(|&i| areas[i].code.as_str())
        .collect();
    assert_eq!(islands, ["S14000027", "S14000051", "W07000112"]);
    for i in w.islands() {
        let row = &lisa.rows[i];
        assert_eq!(row.lisa_label, stats::ClusterLabel::Isolated);
        assert_eq!((row.lisa_i, row.lisa_p_sim), (0.0, None));
    }
}

#[test]
fn permutation_results_do_not_depend_on_the_thread_count() {
    let g = golden("pcon2024_turnout.json");
    let y = floats(&g["y"]);
    let w = Weights::queen(&Areas::shipped(sigmap::Vintage::Pcon2024).unwrap());
    for engine in [
        stats::Engine::Shared,
        stats::Engine::Independent,
        stats::Engine::Esda,
    ] {
        let perms = Permutations::new(199).seed(7).engine(engine);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let l = stats::local_moran(&y, &w, perms, 0.05).unwrap();
                    let g = stats::local_g_star(&y, &w, perms).unwrap();
                    let m = stats::moran(&y, &w, perms).unwrap();
                    (l, g, m)
                })
        };
        let (a, b) = (run(1), run(4));
        assert_eq!(a, b);
        // and the seed matters
        let other = stats::local_moran(&y, &w, perms.seed(8), 0.05).unwrap();
        assert_ne!(a.0.rows, other.rows);
    }
}

/// Events and bases of each golden's smoothing (`header.smoothing_inputs`), in layer order.
fn smoothing_inputs(file: &str) -> (Vec<f64>, Vec<f64>) {
    match file {
        "pcon2010_petition_241584.json" => {
            let metrics: Value = serde_json::from_str(
                &std::fs::read_to_string(
                    util::root().join("tests/golden/metrics/petition_241584.json"),
                )
                .unwrap(),
            )
            .unwrap();
            let rows = metrics["rows"].as_array().unwrap();
            let column = |key: &str| rows.iter().map(|r| r[key].as_f64().unwrap()).collect();
            (column("signatures"), column("electorate"))
        }
        "pcon2024_turnout.json" => {
            // e = GE2024 valid votes, b = electorate: sigmap's shipped denominators
            let areas = Areas::shipped(sigmap::Vintage::Pcon2024).unwrap();
            let d = sigmap::Denominators::shipped(sigmap::Vintage::Pcon2024).unwrap();
            areas
                .iter()
                .map(|a| {
                    let d = d.get(&a.code).unwrap();
                    (d.valid_votes as f64, d.electorate as f64)
                })
                .unzip()
        }
        "pcon2024_petition_241584.json" => crosswalked_241584()
            .iter()
            .map(|r| (r.signatures as f64, r.electorate as f64))
            .unzip(),
        _ => unreachable!("{file} has no smoothing"),
    }
}

#[test]
fn smoothing_matches_esda() {
    for (file, areas) in layers() {
        let g = golden(file);
        if g.get("smoothing").is_none() {
            continue;
        }
        let (e, b) = smoothing_inputs(file);
        let w = Weights::queen(&areas);
        let eb = stats::empirical_bayes(&e, &b).unwrap();
        let seb = stats::spatial_empirical_bayes(&e, &b, &w).unwrap();
        let want = floats(&g["smoothing"]["eb"]);
        assert_eq!(want.len(), eb.len(), "{file}");
        for (i, (want, got)) in want.iter().zip(&eb).enumerate() {
            close(*want, got.unwrap(), &format!("{file} eb[{i}]"));
        }
        let want = floats(&g["smoothing"]["spatial_eb"]);
        assert_eq!(want.len(), seb.len(), "{file}");
        for (i, (want, got)) in want.iter().zip(&seb).enumerate() {
            close(*want, got.unwrap(), &format!("{file} spatial eb[{i}]"));
        }
        // no events at all: undefined, said so with None rather than NaN
        let zero = stats::empirical_bayes(&vec![0.0; e.len()], &b).unwrap();
        assert!(zero.iter().all(Option::is_none));
    }
}

#[test]
fn fdr_matches_esda() {
    for (file, areas) in layers() {
        let g = golden(file);
        let w = Weights::queen(&areas);
        let islands = w.islands();
        for count in ["999", "9999"] {
            let p = floats(&g["local_moran"]["queen"][format!("p_sim_{count}")]);
            let want = &g["fdr"][format!("local_moran_queen_p_sim_{count}")];
            // esda.fdr over every p-value, islands' spurious ones included
            assert_eq!(
                stats::fdr(&p, 0.05),
                want["threshold"].as_f64().unwrap(),
                "{file} {count}"
            );
            // and over the areas sigmap tests
            let tested: Vec<f64> = p
                .iter()
                .enumerate()
                .filter(|(i, _)| !islands.contains(i))
                .map(|(_, &p)| p)
                .collect();
            let threshold = stats::fdr(&tested, 0.05);
            assert_eq!(
                threshold,
                want["threshold_excluding_islands"].as_f64().unwrap(),
                "{file} {count}"
            );
            assert_eq!(
                tested.iter().filter(|&&p| p <= threshold).count() as u64,
                want["n_significant_excluding_islands"].as_u64().unwrap(),
                "{file} {count}"
            );
        }
    }
}

/// The thresholds `sigmap stats` and the report print: with the esda engine the pseudo
/// p-values are esda's, so the FDR threshold is esda's on the non-island areas.
#[test]
fn reported_thresholds_are_esdas_without_islands() {
    for (file, areas) in layers() {
        let g = golden(file);
        let y = util::golden_floats(file, &["y"]);
        let values = Values {
            variable: y,
            population: None,
            origin: None,
        };
        let w = Weights::queen(&areas);
        let perms = Permutations::new(999).engine(stats::Engine::Esda);
        let r = StatsReport::compute(&areas, &values, &w, WeightsKind::Queen, perms, 0.05).unwrap();
        let want = &g["fdr"]["local_moran_queen_p_sim_999"];
        assert_eq!(
            r.fdr_threshold,
            want["threshold_excluding_islands"].as_f64(),
            "{file}"
        );
        let tested = w.n() - w.islands().len();
        assert_eq!(r.bonferroni_threshold, Some(0.05 / tested as f64), "{file}");
        // what the report's statistics are, against the same golden
        let m = &g["moran"]["queen"];
        close(m["I"].as_f64().unwrap(), r.moran.i, &format!("{file} I"));
        let go = r.getis_ord.as_ref().unwrap();
        close(
            g["getis_ord"]["queen"]["G"].as_f64().unwrap(),
            go.g,
            &format!("{file} G"),
        );
        let zs = floats(&g["g_local_star"]["queen"]["Zs"]);
        for (i, (row, want)) in r.local.iter().zip(zs).enumerate() {
            close(want, row.gi_star_z.unwrap(), &format!("{file} Zs[{i}]"));
        }
    }
}
