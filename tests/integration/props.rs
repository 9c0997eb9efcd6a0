//! Property tests: invariants over random inputs (proptest).

use proptest::prelude::*;
use sigmap::{Petition, percentiles, rank_descending};

proptest! {
    #![proptest_config(crate::util::proptest_config(256))]

    /// Ranks are 1 + the number of strictly higher values; ties share the lowest rank;
    /// percentiles are the share at or below, and the maximum has 100.
    #[test]
    fn ranks_and_percentiles(values in prop::collection::vec(prop::option::weighted(0.9, 0u8..20), 0..60)) {
        let v: Vec<Option<f64>> = values.iter().map(|x| x.map(f64::from)).collect();
        let ranks = rank_descending(&v);
        let pct = percentiles(&v);
        let present: Vec<f64> = v.iter().flatten().copied().collect();
        for (i, x) in v.iter().enumerate() {
            match x {
                None => prop_assert!(ranks[i].is_none() && pct[i].is_none()),
                Some(x) => {
                    let higher = present.iter().filter(|&&y| y > *x).count();
                    let at_or_below = present.iter().filter(|&&y| y <= *x).count();
                    prop_assert_eq!(ranks[i], Some(higher as u32 + 1));
                    prop_assert!((1..=present.len() as u32).contains(&ranks[i].unwrap()));
                    prop_assert_eq!(pct[i], Some(100.0 * at_or_below as f64 / present.len() as f64));
                }
            }
        }
    }

    /// A code,count CSV written and read back gives the same counts.
    #[test]
    fn csv_round_trip(counts in prop::collection::btree_map(530u32..1063, 0u64..10_000_000, 1..40), header in any::<bool>()) {
        let mut text = String::from(if header { "code,count\n" } else { "" });
        for (n, c) in &counts {
            text.push_str(&format!("E14{n:06},{c}\n"));
        }
        let p = Petition::from_reader(text.as_bytes(), "p.csv").unwrap();
        let back: Vec<(String, u64)> = p.counts.iter().map(|c| (c.code.clone(), c.count)).collect();
        let want: Vec<(String, u64)> = counts.iter().map(|(n, c)| (format!("E14{n:06}"), *c)).collect();
        prop_assert_eq!(back, want);
    }
}
