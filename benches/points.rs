//! Point location on the shipped 2024 layer (criterion): one point, 10^5 and 10^6 points
//! (uniform in the UK envelope, like the golden tests), and building the index; on the
//! full-resolution layer in ../shared, 10^6 points on land and the search for gaps.
//!
//! cargo bench --bench points
//! scripts/bench_vs_geopandas.sh times the whole `sigmap join-points` process against
//! geopandas in the same run.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sigmap::crs::UK_ENVELOPE;
use sigmap::{Areas, LayerTopology, SpatialIndex, Vintage};
use std::hint::black_box;

/// Uniform points in the UK envelope from a fixed SplitMix64 stream.
fn points(n: usize) -> Vec<(f64, f64)> {
    let mut s: u64 = 20_261_126;
    let mut uniform = move || {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 * 2f64.powi(-53)
    };
    let e = UK_ENVELOPE;
    (0..n)
        .map(|_| {
            let (u1, u2) = (uniform(), uniform());
            (
                e.min_lon + u1 * (e.max_lon - e.min_lon),
                e.min_lat + u2 * (e.max_lat - e.min_lat),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let areas = Areas::shipped(Vintage::Pcon2024).expect("shipped layer");
    let index = SpatialIndex::new(&areas);
    let mut g = c.benchmark_group("points");
    g.bench_function("index/650", |b| {
        b.iter(|| SpatialIndex::new(black_box(&areas)))
    });
    g.bench_function("locate/westminster", |b| {
        b.iter(|| index.locate(black_box(-0.1281), black_box(51.5080)))
    });
    g.bench_function("locate/coast", |b| {
        // Brighton's beach: a cell with edges, so the exact walk runs
        b.iter(|| index.locate(black_box(-0.1372), black_box(50.8190)))
    });
    g.sample_size(20);
    for n in [100_000, 1_000_000] {
        let pts = points(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("join", n), &pts, |b, pts| {
            b.iter(|| index.join_points(pts.iter().copied(), None))
        });
    }
    // the full-resolution layer where ../shared has it: cells crossed by boundaries are
    // the rule there, and memory latency the cost
    let full = std::path::Path::new(FULL_LAYER);
    if full.exists() {
        let areas = sigmap::LayerOptions::new()
            .check_geometry(false)
            .measure(false)
            .from_path(full)
            .expect("full-resolution layer");
        let full_index = SpatialIndex::new(&areas);
        // on land, as `scripts/bench_commands.py`'s points: those of the stream in a seat of
        // the shipped layer
        let all = points(3_500_000);
        let found = index.locate_many(&all);
        let pts: Vec<(f64, f64)> = all
            .into_iter()
            .zip(found)
            .filter_map(|(p, f)| f.map(|_| p))
            .take(1_000_000)
            .collect();
        g.throughput(Throughput::Elements(pts.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("join_full_land", pts.len()),
            &pts,
            |b, pts| b.iter(|| full_index.join_points(pts.iter().copied(), None)),
        );
        // what `join-points` adds when points fall in no area: the gaps between areas, the
        // holes of the union of the whole layer (the coastline is most of its edges)
        g.throughput(Throughput::Elements(1));
        g.bench_function("gaps_full", |b| {
            b.iter(|| LayerTopology::gaps_only(black_box(&areas), &full_index))
        });
        // the same gaps kept by an earlier run (the command line's cache) and read back
        let kept = std::env::temp_dir().join(format!("sigmap-bench-{}", std::process::id()));
        LayerTopology::set_cache_dir(Some(kept.clone()));
        LayerTopology::gaps_only(&areas, &full_index);
        g.bench_function("gaps_kept_full", |b| {
            b.iter(|| LayerTopology::gaps_only(black_box(&areas), &full_index))
        });
        LayerTopology::set_cache_dir(None);
        let _ = std::fs::remove_dir_all(kept);
    }
    g.finish();
}

/// DESIGN's reference layer, in ../shared beside the repository.
const FULL_LAYER: &str = "../shared/data/pcon2024_bgc.geojson";

criterion_group!(benches, bench);
criterion_main!(benches);
