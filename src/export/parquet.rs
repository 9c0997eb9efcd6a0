use crate::error::Result;
use crate::table::analysis::Rows;
use crate::table::columns::{COLUMNS, Column as Spec, ColumnType, Value};
use polars::prelude::*;
use std::io::Write;

/// The table as a polars DataFrame: one row per area in layer order, the
/// [`COLUMNS`](crate::export::COLUMNS) of `areas.csv` with their natural types (u64 counts,
/// f64 rates, u32 ranks; nullable where the column is).
///
/// # Errors
/// [`crate::Error::Polars`] if polars refuses the columns (a bug).
pub fn to_dataframe<'a>(rows: impl Into<Rows<'a>>) -> Result<DataFrame> {
    let rows: Rows<'_> = rows.into();
    let columns = COLUMNS.iter().map(|c| column(c, rows)).collect();
    Ok(DataFrame::new_infer_height(columns)?)
}

/// One column's series: a nullable column holds options, the others plain values.
fn column(spec: &Spec, rows: Rows<'_>) -> Column {
    let name = spec.name.into();
    let values = || rows.iter().map(|r| r.value(spec));
    macro_rules! of {
        ($variant:ident) => {{
            let get = |v| match v {
                Value::$variant(x) => Some(x),
                _ => None,
            };
            if spec.nullable {
                Column::new(name, values().map(get).collect::<Vec<_>>())
            } else {
                Column::new(
                    name,
                    values()
                        .map(|v| get(v).unwrap_or_default())
                        .collect::<Vec<_>>(),
                )
            }
        }};
    }
    match spec.ty {
        ColumnType::Str => of!(Str),
        ColumnType::U64 => of!(U64),
        ColumnType::U32 => of!(U32),
        ColumnType::F64 => of!(F64),
        ColumnType::Bool => of!(Bool),
    }
}

/// Writes the table as Parquet (zstd-compressed), through polars.
///
/// # Errors
/// [`crate::Error::Polars`] if polars fails to write.
pub fn write_parquet<'a>(rows: impl Into<Rows<'a>>, w: impl Write) -> Result<()> {
    let mut df = to_dataframe(rows)?;
    ParquetWriter::new(w).finish(&mut df)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Petition, Report};

    #[test]
    fn dataframe_columns_are_the_csv_columns() {
        let p = Petition::from_reader("E14000530,3\nE14000531,0\n".as_bytes(), "p.csv").unwrap();
        let report = Report::with_shipped_data(p).unwrap();
        let df = to_dataframe(report.analysed()).unwrap();
        let mut csv = Vec::new();
        crate::export::write_csv(report.analysed(), &mut csv).unwrap();
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
