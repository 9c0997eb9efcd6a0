//! Many petitions: what `sigmap batch` spends per petition (criterion).
//!
//! cargo bench --bench batch
//!
//! `rank_intervals/*` compares the three ways of making rank intervals on real counts;
//! `analyse/*` is one petition's whole analysis against a layer built once (what a batch
//! does per petition); `run/shipped` is `Batch::run` over the shipped petitions with a sink
//! that keeps nothing.

use criterion::{Criterion, criterion_group, criterion_main};
use sigmap::{
    Analysed, Analyser, Batch, Petition, PetitionRow, RankMethod, RankSimulation, ReportOptions,
    Sink, Table, rank_intervals,
};
use std::hint::black_box;
use std::path::PathBuf;

/// A petition of the shipped data, by number.
fn petition(id: u64) -> Petition {
    Petition::from_path(shipped(id)).expect("shipped petition")
}

fn shipped(id: u64) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("data/petitions/petition_{id}.json"))
}

/// Keeps nothing: the cost of a batch without writing.
struct Discard;

impl Sink for Discard {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> sigmap::Result<()> {
        black_box((row, table.map(|t| t.table().rows.len())));
        Ok(())
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    // 619781: 900,000 signatures on the 650 seats of 2024; 105991 on the 650 of 2010
    for id in [619_781, 105_991] {
        let p = petition(id);
        let vintage = p.vintage().expect("a vintage");
        let layer = Analyser::shipped(vintage, ReportOptions::default()).expect("shipped layer");
        let table = Table::join(&p, layer.areas(), layer.denominators()).expect("joins");
        let counts: Vec<u64> = table.rows.iter().map(|r| r.signatures).collect();
        let voters: Vec<u64> = table.rows.iter().map(|r| r.valid_votes).collect();
        for (name, method) in [
            ("fast", RankMethod::Fast),
            ("reference", RankMethod::Reference),
            ("pairwise", RankMethod::Pairwise),
        ] {
            let sim = RankSimulation::default().method(method);
            g.bench_function(format!("rank_intervals/{name}/{id}"), |b| {
                b.iter(|| rank_intervals(black_box(&counts), &voters, sim))
            });
        }
        g.bench_function(format!("analyse/{id}"), |b| {
            b.iter(|| layer.analyse(black_box(&p)).expect("analyses"))
        });
    }
    let paths: Vec<PathBuf> = [105_868, 105_991, 241_584, 601_415, 619_781]
        .into_iter()
        .map(shipped)
        .collect();
    let batch = Batch::new(ReportOptions::default());
    batch.run(&paths, &mut Discard).expect("runs"); // loads the layers once
    g.bench_function("run/shipped", |b| {
        b.iter(|| batch.run(black_box(&paths), &mut Discard).expect("runs"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
