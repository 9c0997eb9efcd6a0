//! Spatial weights on the shipped 650-seat layers (criterion).
//!
//! cargo bench --bench weights

use criterion::{Criterion, criterion_group, criterion_main};
use sigmap::{Areas, Vintage, Weights};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("weights");
    let areas = Areas::shipped(Vintage::Pcon2024).expect("shipped layer");
    g.bench_function("queen/650", |b| {
        b.iter(|| Weights::queen(black_box(&areas)))
    });
    g.bench_function("rook/650", |b| b.iter(|| Weights::rook(black_box(&areas))));
    g.bench_function("knn5/650", |b| {
        b.iter(|| Weights::knn(black_box(&areas), 5).expect("k < n"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
