//! The 2010 -> 2024 crosswalk: weights, exact totals, and sigmap's own area overlaps against
//! mySociety's.

use super::util;
use sigmap::{
    Areas, Crosswalk, CrosswalkWeighting, Denominators, Petition, Report, Table, Vintage,
};
use std::collections::HashMap;

fn weights(cw: &Crosswalk) -> HashMap<(String, String), f64> {
    cw.links()
        .iter()
        .map(|l| ((l.from.clone(), l.to.clone()), l.weight))
        .collect()
}

/// Largest difference between two crosswalks' weights over every pair either has, and the
/// pair where it occurs.
fn largest_difference(a: &Crosswalk, b: &Crosswalk) -> (f64, (String, String)) {
    let (wa, wb) = (weights(a), weights(b));
    let mut worst = (0.0, (String::new(), String::new()));
    for key in wa.keys().chain(wb.keys()) {
        let d = (wa.get(key).unwrap_or(&0.0) - wb.get(key).unwrap_or(&0.0)).abs();
        if d > worst.0 {
            worst = (d, key.clone());
        }
    }
    worst
}

#[test]
fn totals_are_preserved_exactly() {
    let layers: Vec<(Areas, Denominators)> = Vintage::ALL
        .iter()
        .map(|&v| {
            (
                Areas::shipped(v).unwrap(),
                Denominators::shipped(v).unwrap(),
            )
        })
        .collect();
    for path in util::shipped_petitions() {
        let old = Petition::from_path(&path).unwrap();
        if old.vintage().unwrap() != Vintage::Pcon2010 {
            continue;
        }
        for weighting in [CrosswalkWeighting::Population, CrosswalkWeighting::Area] {
            let new = Crosswalk::shipped(weighting).unwrap().apply(&old).unwrap();
            assert_eq!(new.vintage().unwrap(), Vintage::Pcon2024);
            assert_eq!(new.constituency_sum(), old.constituency_sum(), "{path:?}");
            assert_eq!((new.total, new.uk_total), (old.total, old.uk_total));
            assert!(
                new.counts
                    .iter()
                    .all(|c| Vintage::Pcon2024.contains(&c.code))
            );
            let join = |p: &Petition, (areas, denominators): &(Areas, Denominators)| {
                Table::join(p, areas, denominators).unwrap().completeness
            };
            let (a, b) = (join(&old, &layers[0]), join(&new, &layers[1]));
            assert_eq!((a.assigned, a.unassigned), (b.assigned, b.unassigned));
            assert!(b.notes[0].contains("re-expressed"), "{:?}", b.notes);
        }
    }
}

#[test]
fn a_seat_that_moved_whole_keeps_its_count() {
    // Brighton Pavilion (E14000598) became Brighton Pavilion (E14001130) whole and nothing
    // else joined it
    let cw = Crosswalk::shipped(CrosswalkWeighting::Population).unwrap();
    let into: Vec<_> = cw.links().iter().filter(|l| l.to == "E14001130").collect();
    assert_eq!(into.len(), 1);
    assert_eq!(cw.links_from("E14000598").len(), 1);
    let old = Petition::from_path(util::data("petitions/petition_241584.json")).unwrap();
    let new = cw.apply(&old).unwrap();
    let count = |p: &Petition, code: &str| p.counts.iter().find(|c| c.code == code).unwrap().count;
    assert_eq!(count(&new, "E14001130"), count(&old, "E14000598"));
}

#[test]
fn unknown_codes_pass_through_and_are_reported() {
    let old = Petition::from_reader(
        "code,count\nE14000530,10\nE99999999,3\n".as_bytes(),
        "p.csv",
    )
    .unwrap();
    let new = Crosswalk::shipped(CrosswalkWeighting::Population)
        .unwrap()
        .apply(&old)
        .unwrap();
    let report = Report::with_shipped_data(new).unwrap();
    assert_eq!(report.table.unmatched.len(), 1);
    assert_eq!(report.table.unmatched[0].code, "E99999999");
    assert_eq!(report.table.completeness.assigned, 10);
}

#[test]
fn a_2024_petition_is_refused() {
    let new = Petition::from_reader("code,count\nE14001063,10\n".as_bytes(), "p.csv").unwrap();
    let e = Crosswalk::shipped(CrosswalkWeighting::Population)
        .unwrap()
        .apply(&new)
        .unwrap_err();
    assert!(e.to_string().contains("2024"), "{e}");
}

/// sigmap's own area weights, from intersecting the two shipped (generalised) layers, agree
/// with mySociety's area weights computed from full-resolution boundaries: to 0.035 in every
/// seat (Wakefield, E14001036, is the worst), to 0.02 in 96% of them.
#[test]
fn computed_area_weights_agree_with_mysociety() {
    let old = Areas::shipped(Vintage::Pcon2010).unwrap();
    let new = Areas::shipped(Vintage::Pcon2024).unwrap();
    let ours = Crosswalk::from_overlaps(&old, &new, 0.001).unwrap();
    let theirs = Crosswalk::shipped(CrosswalkWeighting::Area).unwrap();
    check_agreement(&ours, &theirs, 0.035, 0.02, 0.96);
}

/// The same with the full-resolution layers: closer still.
#[test]
#[ignore = "needs ../shared"]
fn full_resolution_area_weights_agree_with_mysociety() {
    let old = Areas::from_path(util::shared("pcon2010_bgc.geojson")).unwrap();
    let new = Areas::from_path(util::shared("pcon2024_bgc.geojson")).unwrap();
    let ours = Crosswalk::from_overlaps(&old, &new, 0.001).unwrap();
    let theirs = Crosswalk::shipped(CrosswalkWeighting::Area).unwrap();
    check_agreement(&ours, &theirs, 0.02, 0.01, 0.98);
}

fn check_agreement(ours: &Crosswalk, theirs: &Crosswalk, worst: f64, usual: f64, share: f64) {
    let (d, pair) = largest_difference(ours, theirs);
    assert!(d < worst, "{d} at {pair:?}");
    let (wa, wb) = (weights(ours), weights(theirs));
    let seats_within = Vintage::Pcon2010
        .codes()
        .iter()
        .filter(|code| {
            wa.keys()
                .chain(wb.keys())
                .filter(|(from, _)| from == *code)
                .all(|k| (wa.get(k).unwrap_or(&0.0) - wb.get(k).unwrap_or(&0.0)).abs() < usual)
        })
        .count();
    assert!(
        seats_within as f64 >= share * 650.0,
        "{seats_within} seats within {usual}"
    );
}
