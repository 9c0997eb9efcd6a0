//! Clustering statistics with 999 permutations on the 650 seats of 2024 (criterion), the
//! variable being GE2024 turnout, as in tests/golden/pysal/pcon2024_turnout.json.
//!
//! cargo bench --bench stats

use criterion::{Criterion, criterion_group, criterion_main};
use sigmap::stats::{self, Engine, Permutations};
use sigmap::{Areas, Denominators, Vintage, Weights};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let areas = Areas::shipped(Vintage::Pcon2024).expect("shipped layer");
    let dens = Denominators::shipped(Vintage::Pcon2024).expect("shipped results");
    let y: Vec<f64> = areas
        .iter()
        .map(|a| {
            let d = dens.get(&a.code).expect("every seat has results");
            d.valid_votes as f64 / d.electorate as f64
        })
        .collect();
    let w = Weights::queen(&areas);
    let mut g = c.benchmark_group("stats");
    g.bench_function("moran/999/650", |b| {
        b.iter(|| stats::moran(black_box(&y), &w, Permutations::new(999)).expect("valid"))
    });
    g.bench_function("moran/999/esda/650", |b| {
        let perms = Permutations::new(999).engine(Engine::Esda);
        b.iter(|| stats::moran(black_box(&y), &w, perms).expect("valid"))
    });
    // A new seed for every iteration: the esda engine remembers its last permutation matrix
    // (so that Gi* reuses local Moran's), and a fixed seed would time it without drawing one.
    let mut seed = 0u64;
    let mut next = move |perms: Permutations| {
        seed += 1;
        perms.seed(seed)
    };
    for (name, engine) in [
        ("shared", Engine::Shared),
        ("independent", Engine::Independent),
        ("esda", Engine::Esda),
    ] {
        let perms = Permutations::new(999).engine(engine);
        g.bench_function(format!("local_moran/999/{name}/650"), |b| {
            b.iter(|| stats::local_moran(black_box(&y), &w, next(perms), 0.05).expect("valid"))
        });
        g.bench_function(format!("local_moran+gi_star/999/{name}/650"), |b| {
            b.iter(|| {
                stats::local_moran_and_g_star(black_box(&y), &w, next(perms), 0.05).expect("valid")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
