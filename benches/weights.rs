//! Spatial weights on the shipped 650-seat layers (criterion).
//!
//! cargo bench --bench weights

use criterion::{Criterion, criterion_group, criterion_main};
use sigmap::{Areas, Contiguity, LayerOptions, Vintage, Weights, WeightsFormat};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("weights");
    let areas = Areas::shipped(Vintage::Pcon2024).expect("shipped layer");
    g.bench_function("queen/650", |b| {
        b.iter(|| Weights::queen(black_box(&areas)))
    });
    g.bench_function("rook/650", |b| b.iter(|| Weights::rook(black_box(&areas))));
    g.bench_function("queen_snapped_1e-7/650", |b| {
        b.iter(|| {
            Weights::contiguity_with_tolerance(black_box(&areas), Contiguity::Queen, 1e-7)
                .expect("tolerance > 0")
        })
    });
    g.bench_function("knn5/650", |b| {
        b.iter(|| Weights::knn(black_box(&areas), 5).expect("k < n"))
    });
    g.bench_function("distance30km/650", |b| {
        b.iter(|| Weights::distance_band(black_box(&areas), 30.0).expect("inside BNG"))
    });
    let queen = Weights::queen(&areas);
    g.bench_function("gal_round_trip/650", |b| {
        b.iter(|| {
            let text = queen
                .to_text(WeightsFormat::Gal, &areas)
                .expect("one row per area");
            Weights::from_reader(text.as_bytes(), "queen.gal", WeightsFormat::Gal, &areas)
                .expect("own file")
        })
    });
    // DESIGN §7's reference layer: full resolution (506,087 vertices), when ../shared exists
    let full = std::path::Path::new("../shared/data/pcon2024_bgc.geojson");
    if full.exists() {
        let areas = LayerOptions::new()
            .check_geometry(false)
            .from_path(full)
            .expect("full-resolution layer");
        g.bench_function("queen/650_full", |b| {
            b.iter(|| Weights::queen(black_box(&areas)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
