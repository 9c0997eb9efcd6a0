use crate::error::Result;
use crate::table::join::{Row, Table};
use polars::prelude::*;
use std::io::Write;

/// The table as a polars DataFrame: one row per area in layer order, the columns of
/// `areas.csv` with their natural types (u64 counts, f64 rates, u32 ranks, nullable density).
///
/// # Errors
/// [`crate::Error::Polars`] if polars refuses the columns (a bug).
pub fn to_dataframe(table: &Table) -> Result<DataFrame> {
    let rows = &table.rows;
    let str_col = |name: &str, f: fn(&Row) -> &str| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let u64_col = |name: &str, f: fn(&Row) -> u64| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let u32_col = |name: &str, f: fn(&Row) -> u32| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let f64_col = |name: &str, f: fn(&Row) -> f64| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let opt_f64 = |name: &str, f: fn(&Row) -> Option<f64>| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let opt_u32 = |name: &str, f: fn(&Row) -> Option<u32>| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let columns = vec![
        str_col("code", |r| &r.code),
        str_col("name", |r| &r.name),
        Column::new(
            "mp".into(),
            rows.iter().map(|r| r.mp.as_deref()).collect::<Vec<_>>(),
        ),
        u64_col("signatures", |r| r.signatures),
        Column::new(
            "zero_filled".into(),
            rows.iter().map(|r| r.zero_filled).collect::<Vec<_>>(),
        ),
        u64_col("electorate", |r| r.electorate),
        u64_col("valid_votes", |r| r.valid_votes),
        f64_col("turnout", |r| r.turnout),
        f64_col("area_km2", |r| r.area_km2),
        Column::new(
            "density_per_km2".into(),
            rows.iter().map(|r| r.density_per_km2).collect::<Vec<_>>(),
        ),
        f64_col("per_1k_electors", |r| r.per_1k_electors),
        f64_col("per_1k_voters", |r| r.per_1k_voters),
        f64_col("share_pct", |r| r.share_pct),
        f64_col("lq", |r| r.lq),
        f64_col("ci95_low", |r| r.ci95_low),
        f64_col("ci95_high", |r| r.ci95_high),
        f64_col("ci95_low_per_1k_voters", |r| r.ci95_low_per_1k_voters),
        f64_col("ci95_high_per_1k_voters", |r| r.ci95_high_per_1k_voters),
        u32_col("rank_signatures", |r| r.rank_signatures),
        f64_col("percentile_signatures", |r| r.percentile_signatures),
        Column::new(
            "rank_density_per_km2".into(),
            rows.iter()
                .map(|r| r.rank_density_per_km2)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "percentile_density_per_km2".into(),
            rows.iter()
                .map(|r| r.percentile_density_per_km2)
                .collect::<Vec<_>>(),
        ),
        u32_col("rank_per_1k_electors", |r| r.rank_per_1k_electors),
        f64_col("percentile_per_1k_electors", |r| {
            r.percentile_per_1k_electors
        }),
        u32_col("rank_per_1k_voters", |r| r.rank_per_1k_voters),
        f64_col("percentile_per_1k_voters", |r| r.percentile_per_1k_voters),
        opt_u32("rank_low_per_1k_voters", |r| r.rank_low_per_1k_voters),
        opt_u32("rank_high_per_1k_voters", |r| r.rank_high_per_1k_voters),
        opt_f64("expected", |r| r.expected),
        opt_f64("obs_exp", |r| r.obs_exp),
        opt_f64("poisson_z", |r| r.poisson_z),
        opt_f64("poisson_p", |r| r.poisson_p),
        opt_f64("unusual_z", |r| r.unusual_z),
        opt_f64("unusual_p", |r| r.unusual_p),
        opt_f64("unusual_q", |r| r.unusual_q),
        Column::new(
            "unusual".into(),
            rows.iter()
                .map(|r| r.unusual.map(|d| d.name()))
                .collect::<Vec<_>>(),
        ),
        opt_f64("eb_per_1k", |r| r.eb_per_1k),
        opt_f64("seb_per_1k", |r| r.seb_per_1k),
        opt_f64("lisa_i", |r| r.lisa_i),
        Column::new(
            "lisa_q".into(),
            rows.iter()
                .map(|r| r.lisa_q.map(u32::from))
                .collect::<Vec<_>>(),
        ),
        opt_f64("lisa_p_sim", |r| r.lisa_p_sim),
        Column::new(
            "lisa_label".into(),
            rows.iter()
                .map(|r| r.lisa_label.map(|l| l.name()))
                .collect::<Vec<_>>(),
        ),
        opt_f64("gi_star_z", |r| r.gi_star_z),
        opt_f64("gi_star_p_norm", |r| r.gi_star_p_norm),
        opt_f64("gi_star_p_sim", |r| r.gi_star_p_sim),
    ];
    Ok(DataFrame::new_infer_height(columns)?)
}

/// Writes the table as Parquet (zstd-compressed), through polars.
///
/// # Errors
/// [`crate::Error::Polars`] if polars fails to write.
pub fn write_parquet(table: &Table, w: impl Write) -> Result<()> {
    let mut df = to_dataframe(table)?;
    ParquetWriter::new(w).finish(&mut df)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Petition, Report};

    #[test]
    fn dataframe_columns_are_the_csv_columns() {
        let p = Petition::from_str_named("E14000530,3\nE14000531,0\n", "p.csv").unwrap();
        let report = Report::with_shipped_data(p).unwrap();
        let df = to_dataframe(&report.table).unwrap();
        let mut csv = Vec::new();
        crate::export::write_csv(&report.table, &mut csv).unwrap();
        let header = String::from_utf8(csv)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string();
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(names.join(","), header);
        assert_eq!(df.height(), 650);
    }
}
