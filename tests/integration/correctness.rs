//! Invariants of the join and the metrics on real data, areas cross-checked in two ways,
//! and determinism.

use crate::util;
use approx::assert_relative_eq;
use sigmap::{Areas, Denominators, Metric, Petition, Report, Table, Vintage};

/// The totals of a petition JSON file, read straight from the JSON (not through sigmap):
/// (UK total from `signatures_by_country`, sum of `signatures_by_constituency`).
pub fn raw_totals(path: &std::path::Path) -> (u64, u64) {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let a = &v["data"]["attributes"];
    let uk = a["signatures_by_country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "United Kingdom")
        .map_or(0, |c| c["signature_count"].as_u64().unwrap());
    let sum = a["signatures_by_constituency"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["signature_count"].as_u64().unwrap())
        .sum();
    (uk, sum)
}

/// Checks a real petition file joined to its layer: totals against the raw JSON, every
/// code joined, 2010 vintage detected from the codes alone, and no negative unassigned.
pub fn check_real_petition(path: &std::path::Path, p: &Petition, t: &Table) {
    check_table(p, t);
    let (uk, sum) = raw_totals(path);
    let c = &t.completeness;
    assert_eq!((c.uk_total, c.assigned), (uk, sum), "{}", path.display());
    assert_eq!(c.assigned as i64 + c.unassigned, uk as i64);
    assert!(c.unassigned >= 0, "{}", path.display());
    assert!(
        t.unmatched.is_empty(),
        "{}: {:?}",
        path.display(),
        t.unmatched
    );
    assert_eq!(
        p.vintage().unwrap(),
        Vintage::Pcon2010,
        "{}",
        path.display()
    );
    let codes = p.counts.iter().map(|c| c.code.as_str());
    assert_eq!(
        Vintage::detect(codes, None).vintage,
        Some(Vintage::Pcon2010)
    );
}

/// Everything that must hold for any joined petition.
pub fn check_table(p: &Petition, t: &Table) {
    let c = &t.completeness;
    let n = t.rows.len();
    assert_eq!(n, 650, "{}", p.source);
    assert_eq!(
        c.assigned as i64 + c.unassigned,
        p.uk_total as i64,
        "{}",
        p.source
    );
    assert_eq!(c.assigned, t.rows.iter().map(|r| r.signatures).sum::<u64>());
    assert_eq!(c.assigned + c.unmatched_signatures, p.constituency_sum());
    assert_eq!(
        c.zero_filled,
        t.rows.iter().filter(|r| r.zero_filled).count()
    );
    assert_eq!(c.areas_listed + c.zero_filled, n);
    assert!(
        t.rows
            .iter()
            .filter(|r| r.zero_filled)
            .all(|r| r.signatures == 0)
    );
    let total_electorate: u64 = t.rows.iter().map(|r| r.electorate).sum();
    for r in &t.rows {
        let s = r.signatures as f64;
        let tol = 1e-12;
        assert_relative_eq!(
            r.per_1k_electors,
            1000.0 * s / r.electorate as f64,
            max_relative = tol
        );
        assert_relative_eq!(
            r.per_1k_voters,
            1000.0 * s / r.valid_votes as f64,
            max_relative = tol
        );
        assert_relative_eq!(
            r.turnout,
            r.valid_votes as f64 / r.electorate as f64,
            max_relative = tol
        );
        assert_relative_eq!(
            r.density_per_km2.unwrap(),
            s / r.area_km2,
            max_relative = tol
        );
        assert_relative_eq!(
            r.share_pct,
            100.0 * s / c.assigned as f64,
            max_relative = tol
        );
        assert_relative_eq!(
            r.lq,
            (s / c.assigned as f64) / (r.electorate as f64 / total_electorate as f64),
            max_relative = tol
        );
        assert!(
            r.ci95_low_per_1k_electors <= r.per_1k_electors
                && r.per_1k_electors <= r.ci95_high_per_1k_electors,
            "{r:?}"
        );
        assert!(
            r.ci95_low_per_1k_electors >= 0.0
                && (r.signatures > 0 || r.ci95_low_per_1k_electors == 0.0)
        );
    }
    // ranks: 1 + the number of strictly higher values; percentiles: share at or below
    type RankOf = fn(&sigmap::Row) -> (u32, f64);
    let ranked: [(Metric, RankOf); 4] = [
        (Metric::Signatures, |r| {
            (r.rank_signatures, r.percentile_signatures)
        }),
        (Metric::DensityPerKm2, |r| {
            (
                r.rank_density_per_km2.unwrap(),
                r.percentile_density_per_km2.unwrap(),
            )
        }),
        (Metric::Per1kElectors, |r| {
            (r.rank_per_1k_electors, r.percentile_per_1k_electors)
        }),
        (Metric::Per1kVoters, |r| {
            (r.rank_per_1k_voters, r.percentile_per_1k_voters)
        }),
    ];
    for (metric, rank_of) in ranked {
        let mut sorted: Vec<f64> = t.values(metric).into_iter().map(Option::unwrap).collect();
        sorted.sort_by(f64::total_cmp);
        for r in &t.rows {
            let v = r.value(metric).unwrap();
            let higher = n - sorted.partition_point(|&x| x <= v);
            let at_or_below = sorted.partition_point(|&x| x <= v);
            let (rank, pct) = rank_of(r);
            assert_eq!(rank as usize, higher + 1, "{metric} rank of {}", r.code);
            assert_relative_eq!(
                pct,
                100.0 * at_or_below as f64 / n as f64,
                max_relative = 1e-12
            );
        }
    }
}

#[test]
fn shipped_petitions_join_completely_as_2010() {
    let areas = Areas::shipped(Vintage::Pcon2010).unwrap();
    let dens = Denominators::shipped(Vintage::Pcon2010).unwrap();
    for path in util::shipped_petitions() {
        let p = Petition::from_path(&path).unwrap();
        let t = Table::join(&p, &areas, &dens).unwrap();
        check_real_petition(&path, &p, &t);
    }
}

#[test]
fn zero_filled_and_inconsistent_counters_are_reported() {
    let r = Report::with_shipped_data(
        Petition::from_path(util::data("petitions/petition_105868.json")).unwrap(),
    )
    .unwrap();
    let c = &r.table.completeness;
    assert_eq!((c.areas_listed, c.zero_filled), (305, 345));
    assert_eq!((c.assigned, c.unassigned), (6_839, 235));
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("exceeds the petition total")),
        "{:?}",
        c.notes
    );
}

#[test]
fn geodesic_areas_agree_with_bng_planar_areas_for_gb_seats() {
    for vintage in Vintage::ALL {
        let areas = Areas::shipped(vintage).unwrap();
        let mut worst = (0.0f64, String::new());
        let mut outside = Vec::new();
        for a in areas.iter().filter(|a| !a.code.starts_with('N')) {
            // lonlat_bng accepts lon -8.579..1.780, lat 49.922..60.840 only: it refuses
            // the Isles of Scilly, St Kilda and the north of Shetland
            let Ok(bng) = sigmap::crs::multipolygon_to_bng(&a.geometry) else {
                outside.push(a.name.as_str());
                continue;
            };
            let bng = geo::Area::unsigned_area(&bng) / 1e6;
            let rel = (bng - a.area_km2).abs() / a.area_km2;
            if rel > worst.0 {
                worst = (rel, a.code.clone());
            }
        }
        // BNG's scale factor is 0.9996 on the central meridian and ~1.0007 at its edges
        assert!(
            worst.0 < 0.005,
            "{vintage}: {} differs by {:.3}%",
            worst.1,
            100.0 * worst.0
        );
        outside.sort_unstable();
        assert_eq!(
            outside,
            ["Na h-Eileanan an Iar", "Orkney and Shetland", "St Ives"],
            "{vintage}"
        );
        // Northern Ireland is measured on the ellipsoid too
        let ni: f64 = areas
            .iter()
            .filter(|a| a.code.starts_with('N'))
            .map(|a| a.area_km2)
            .sum();
        assert!((13_500.0..14_500.0).contains(&ni), "{vintage}: NI {ni} km²");
        let uk: f64 = areas.iter().map(|a| a.area_km2).sum();
        assert!(
            (240_000.0..250_000.0).contains(&uk),
            "{vintage}: UK {uk} km²"
        );
    }
}

#[test]
fn centroids_lie_in_the_uk() {
    for vintage in Vintage::ALL {
        for a in Areas::shipped(vintage).unwrap().iter() {
            let (x, y) = (a.centroid.x(), a.centroid.y());
            assert!(
                (-8.7..1.8).contains(&x) && (49.8..60.9).contains(&y),
                "{}: {x},{y}",
                a.code
            );
        }
    }
}

#[test]
fn outputs_are_deterministic() {
    let p = Petition::from_path(util::data("petitions/petition_619781.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = Report::with_shipped_data(p.clone()).unwrap();
    let b = Report::with_shipped_data(p).unwrap();
    a.write_to_dir(dir.path().join("a")).unwrap();
    b.write_to_dir(dir.path().join("b")).unwrap();
    for f in ["areas.geojson", "areas.csv", "summary.json", "map.svg"] {
        let x = std::fs::read(dir.path().join("a").join(f)).unwrap();
        let y = std::fs::read(dir.path().join("b").join(f)).unwrap();
        assert!(x == y, "{f} differs between two runs");
    }
}

#[test]
fn geojson_output_is_rfc7946() {
    let r = Report::with_shipped_data(
        Petition::from_path(util::data("petitions/petition_601415.json")).unwrap(),
    )
    .unwrap();
    let mut buf = Vec::new();
    sigmap::export::write_geojson(r.analysed(), &r.areas, &mut buf).unwrap();
    let fc: geojson::FeatureCollection = String::from_utf8(buf).unwrap().parse().unwrap();
    assert_eq!(fc.features.len(), 650);
    let first = &fc.features[0];
    let props = first.properties.as_ref().unwrap();
    assert_eq!(props["code"], "E14000530");
    for key in [
        "signatures",
        "per_1k_voters",
        "ci95_low_per_1k_electors",
        "rank_per_1k_voters",
        "percentile_per_1k_voters",
        "lq",
    ] {
        assert!(props.contains_key(key), "{key}");
    }
    // exterior rings counter-clockwise, holes clockwise (RFC 7946 section 3.1.6)
    use geo::Winding;
    for f in &fc.features {
        let mp: geo::MultiPolygon<f64> =
            match geo::Geometry::<f64>::try_from(f.geometry.clone().unwrap()).unwrap() {
                geo::Geometry::Polygon(p) => geo::MultiPolygon::new(vec![p]),
                geo::Geometry::MultiPolygon(mp) => mp,
                other => panic!("{other:?}"),
            };
        // orientation is only defined for valid rings (some coastal rings self-intersect)
        for poly in mp.iter().filter(|p| geo::Validation::is_valid(*p)) {
            assert!(poly.exterior().is_ccw());
            assert!(poly.interiors().iter().all(|r| r.is_cw()));
        }
    }
}

/// The top seats are the first of the rows sorted by the metric, highest first, ties in
/// layer order (a stable sort), however many are asked for: here the hundreds of seats tied
/// at no signatures, and seats tied on their counts.
#[test]
fn the_top_seats_are_a_stable_sort_cut_short() {
    let p = Petition::from_reader(
        "E14001063,120\nE14001064,120\nE14000530,3\nE14000531,3\nE14001065,9\n".as_bytes(),
        "ties.csv",
    )
    .unwrap();
    let t = Table::join(
        &p,
        &Areas::shipped(Vintage::Pcon2024).unwrap(),
        &Denominators::shipped(Vintage::Pcon2024).unwrap(),
    )
    .unwrap();
    for metric in [
        Metric::Signatures,
        Metric::Per1kVoters,
        Metric::DensityPerKm2,
    ] {
        let value = |i: usize| t.rows[i].value(metric).unwrap_or(f64::NEG_INFINITY);
        let mut sorted: Vec<usize> = (0..t.rows.len()).collect();
        sorted.sort_by(|&a, &b| value(b).total_cmp(&value(a)));
        for n in [0, 1, 2, 3, 6, 300, 649, 650, 700] {
            let want = &sorted[..n.min(sorted.len())];
            assert_eq!(t.top_indices(metric, n), want, "{metric:?}, {n}");
        }
    }
}
