//! The report pipeline, stage by stage, on the shipped data (criterion).
//!
//! cargo bench --bench report

use criterion::{Criterion, criterion_group, criterion_main};
use sigmap::{Areas, Denominators, LayerOptions, Petition, Report, Table, Vintage};
use std::hint::black_box;

fn petition() -> Petition {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/petitions/petition_241584.json"
    );
    Petition::from_path(path).expect("shipped petition")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("report");
    g.sample_size(20);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/petitions/petition_241584.json"
    ))
    .expect("shipped petition");
    g.bench_function("parse_petition/241584", |b| {
        b.iter(|| Petition::from_reader(black_box(&text).as_bytes(), "p.json").expect("parses"))
    });
    g.bench_function("load_areas/pcon2010", |b| {
        b.iter(|| Areas::shipped(black_box(Vintage::Pcon2010)).expect("loads"))
    });
    // the difference from load_areas is the geometry check (`sigmap::areas` validity)
    g.bench_function("load_areas_unchecked/pcon2010", |b| {
        b.iter(|| {
            LayerOptions::new()
                .check_geometry(false)
                .shipped(black_box(Vintage::Pcon2010))
                .expect("loads")
        })
    });
    let areas = Areas::shipped(Vintage::Pcon2010).expect("loads");
    let dens = Denominators::shipped(Vintage::Pcon2010).expect("loads");
    let p = petition();
    g.bench_function("join_metrics/241584", |b| {
        b.iter(|| Table::join(black_box(&p), &areas, &dens).expect("joins"))
    });
    let report = Report::new(p.clone(), areas.clone(), &dens).expect("joins");
    g.bench_function("write_geojson/241584", |b| {
        b.iter(|| {
            let mut buf = Vec::with_capacity(4 << 20);
            sigmap::export::write_geojson(report.analysed(), &report.areas, &mut buf)
                .expect("writes");
            buf
        })
    });
    g.bench_function("render_svg/241584", |b| b.iter(|| report.map().render()));
    g.bench_function("whole/241584", |b| {
        let dir = tempfile::tempdir().expect("temp dir");
        b.iter(|| {
            let r = Report::with_shipped_data(p.clone()).expect("joins");
            r.write_to_dir(dir.path()).expect("writes")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
