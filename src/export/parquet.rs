use crate::error::Result;
use crate::table::analysis::Rows;
use crate::table::columns::{COLUMNS, Column as Spec, ColumnType, Value};
use polars::prelude::*;
use polars_arrow::array::{
    ArrayRef, MutableArray, MutableBinaryViewArray, MutableBooleanArray, MutablePrimitiveArray,
    PrimitiveArray,
};
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

/// One column of a row group, its values pushed straight into an arrow array.
///
/// A batch's row groups are built this way, a petition at a time, rather than as a polars
/// DataFrame per petition stacked and concatenated: polars-core is built unoptimised
/// (Cargo.toml), polars-arrow is not, and the arrays are the same either way (a test
/// compares the files' bytes). A value of another type than the column's is null in a
/// nullable column and the type's default in another, as in [`to_dataframe`].
pub(crate) enum ArrowColumn {
    /// Text.
    Str(MutableBinaryViewArray<str>, bool),
    /// Counts.
    U64(MutablePrimitiveArray<u64>, bool),
    /// Ranks and codes.
    U32(MutablePrimitiveArray<u32>, bool),
    /// Numbers.
    F64(MutablePrimitiveArray<f64>, bool),
    /// Flags.
    Bool(MutableBooleanArray, bool),
}

impl ArrowColumn {
    /// An empty column of this type, nullable or not, with room for `capacity` values.
    pub(crate) fn new(ty: ColumnType, nullable: bool, capacity: usize) -> ArrowColumn {
        match ty {
            ColumnType::Str => {
                ArrowColumn::Str(MutableBinaryViewArray::with_capacity(capacity), nullable)
            }
            ColumnType::U64 => {
                ArrowColumn::U64(MutablePrimitiveArray::with_capacity(capacity), nullable)
            }
            ColumnType::U32 => {
                ArrowColumn::U32(MutablePrimitiveArray::with_capacity(capacity), nullable)
            }
            ColumnType::F64 => {
                ArrowColumn::F64(MutablePrimitiveArray::with_capacity(capacity), nullable)
            }
            ColumnType::Bool => {
                ArrowColumn::Bool(MutableBooleanArray::with_capacity(capacity), nullable)
            }
        }
    }

    /// Adds a value.
    pub(crate) fn push(&mut self, value: Value<'_>) {
        macro_rules! push {
            ($array:expr, $nullable:expr, $variant:ident) => {{
                match value {
                    Value::$variant(v) => $array.push_value(v),
                    _ if *$nullable => $array.push_null(),
                    _ => $array.push_value(Default::default()),
                }
            }};
        }
        match self {
            ArrowColumn::Str(a, nullable) => match value {
                Value::Str(v) => a.push_value(v),
                _ if *nullable => a.push_null(),
                _ => a.push_value(""),
            },
            ArrowColumn::U64(a, nullable) => push!(a, nullable, U64),
            ArrowColumn::U32(a, nullable) => push!(a, nullable, U32),
            ArrowColumn::F64(a, nullable) => push!(a, nullable, F64),
            ArrowColumn::Bool(a, nullable) => push!(a, nullable, Bool),
        }
    }

    /// The array of the values pushed so far; the column is left empty, with room for as
    /// many.
    pub(crate) fn take(&mut self) -> ArrayRef {
        macro_rules! take {
            ($array:expr, $mutable:ident) => {{
                let n = $array.len();
                std::mem::replace($array, $mutable::with_capacity(n))
                    .freeze()
                    .boxed()
            }};
        }
        match self {
            ArrowColumn::Str(a, _) => take!(a, MutableBinaryViewArray),
            ArrowColumn::U64(a, _) => take!(a, MutablePrimitiveArray),
            ArrowColumn::U32(a, _) => take!(a, MutablePrimitiveArray),
            ArrowColumn::F64(a, _) => take!(a, MutablePrimitiveArray),
            ArrowColumn::Bool(a, _) => take!(a, MutableBooleanArray),
        }
    }

    /// Takes back the buffers of `array`, which [`ArrowColumn::take`] made of this column,
    /// once written: the next row group fills memory already touched instead of pages
    /// new to the process (a batch without statistics spent 5% of its time faulting them
    /// in). Text columns, and arrays still shared, are left to be freed.
    pub(crate) fn recycle(&mut self, mut array: ArrayRef) {
        fn reuse<T: polars_arrow::types::NativeType>(
            array: &mut ArrayRef,
        ) -> Option<MutablePrimitiveArray<T>> {
            let a = array.as_any_mut().downcast_mut::<PrimitiveArray<T>>()?;
            let empty = PrimitiveArray::new_empty(a.dtype().clone());
            let mut values = std::mem::replace(a, empty).into_mut().right()?;
            values.clear();
            Some(values)
        }
        macro_rules! recycle {
            ($a:expr) => {
                if $a.len() == 0
                    && let Some(values) = reuse(&mut array)
                {
                    *$a = values;
                }
            };
        }
        match self {
            ArrowColumn::U64(a, _) => recycle!(a),
            ArrowColumn::U32(a, _) => recycle!(a),
            ArrowColumn::F64(a, _) => recycle!(a),
            ArrowColumn::Str(..) | ArrowColumn::Bool(..) => {}
        }
    }

    /// The polars type of the column.
    pub(crate) fn dtype(ty: ColumnType) -> DataType {
        match ty {
            ColumnType::Str => DataType::String,
            ColumnType::U64 => DataType::UInt64,
            ColumnType::U32 => DataType::UInt32,
            ColumnType::F64 => DataType::Float64,
            ColumnType::Bool => DataType::Boolean,
        }
    }
}

/// Writes `columns` (arrays of `len` values, in the order of `schema`) as one row group of
/// `writer`, which `ParquetWriter::new(..).batched(schema)` made with its defaults. The
/// bytes are those of `BatchedWriter::write_batch`; the difference is where the work runs:
/// polars compresses a row group's pages on the writing thread as it writes them, and this
/// encodes and compresses the columns in parallel first, then writes them in order.
pub(crate) fn write_row_group<W: Write>(
    writer: &mut polars::io::parquet::write::BatchedWriter<W>,
    schema: &Schema,
    columns: &[ArrayRef],
    len: usize,
) -> Result<()> {
    use polars_parquet::write::{
        CompressedPage, StatisticsOptions, Version, WriteOptions, array_to_columns, compress,
    };
    use rayon::prelude::*;
    if len == 0 {
        return Ok(());
    }
    // ParquetWriter::new's defaults, as the writer was made with
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: ParquetCompression::default().into(),
        version: Version::V1,
        data_page_size: None,
    };
    let arrow_schema = schema.to_arrow(CompatLevel::newest());
    let encodings = polars::io::parquet::write::get_encodings(&arrow_schema);
    let fields = writer.parquet_schema().fields().to_vec();
    let pages: Vec<Vec<Vec<CompressedPage>>> = columns
        .par_iter()
        .zip(&fields)
        .zip(encodings.as_ref())
        .map(|((array, field), encoding)| {
            array_to_columns(array, field.clone(), options, encoding)?
                .into_iter()
                .map(|pages| {
                    pages
                        .map(|page| Ok(compress(page?, Vec::new(), options.compression)?))
                        .collect::<PolarsResult<Vec<_>>>()
                })
                .collect::<PolarsResult<Vec<_>>>()
        })
        .collect::<PolarsResult<_>>()?;
    let pages: Vec<Vec<CompressedPage>> = pages.into_iter().flatten().collect();
    writer.write_row_group(len as u64, &pages)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Petition, Report};

    /// A written array's buffers go back to its column, empty, unless the array is shared.
    #[test]
    fn a_written_array_is_recycled_into_its_column() {
        let capacity = |c: &ArrowColumn| match c {
            ArrowColumn::F64(a, _) => (a.len(), a.capacity()),
            _ => unreachable!(),
        };
        let mut column = ArrowColumn::new(ColumnType::F64, true, 0);
        (0..1000).for_each(|i| column.push(Value::F64(f64::from(i))));
        column.push(Value::Null);
        let array = column.take();
        assert_eq!(capacity(&column).1, 1001, "take leaves room for as many");
        let values = array
            .as_any()
            .downcast_ref::<PrimitiveArray<f64>>()
            .unwrap();
        let buffer = values.values().as_ptr();
        column.recycle(array);
        assert_eq!(capacity(&column).0, 0);
        match &column {
            ArrowColumn::F64(a, _) => assert_eq!(a.values().as_ptr(), buffer),
            _ => unreachable!(),
        }
        // the next values are the pushed ones only, with their own nulls
        column.push(Value::Null);
        column.push(Value::F64(2.5));
        let again = column.take();
        let again = again
            .as_any()
            .downcast_ref::<PrimitiveArray<f64>>()
            .unwrap();
        assert_eq!(again.iter().collect::<Vec<_>>(), [None, Some(&2.5)]);
        // an array still held elsewhere is not taken back
        let shared = again.clone().boxed();
        let before = capacity(&column);
        column.recycle(shared);
        assert_eq!(capacity(&column), before);
    }

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

    #[test]
    fn row_groups_written_in_parallel_are_polars_own_bytes() {
        // two petitions' tables (nulls, strings, floats, booleans), as two row groups
        let frames: Vec<DataFrame> = ["E14000530,3\nE14000531,0\n", "E14000532,7\n"]
            .into_iter()
            .map(|csv| {
                let p = Petition::from_reader(csv.as_bytes(), "p.csv").unwrap();
                let report = Report::with_shipped_data(p).unwrap();
                to_dataframe(report.analysed()).unwrap()
            })
            .collect();
        let write = |parallel: bool| {
            let mut out = Vec::new();
            let mut w = ParquetWriter::new(&mut out)
                .batched(frames[0].schema())
                .unwrap();
            for df in &frames {
                let mut df = df.clone();
                df.rechunk_mut();
                if parallel {
                    let batch = df.iter_chunks(CompatLevel::newest(), false).next().unwrap();
                    write_row_group(&mut w, df.schema(), batch.columns(), df.height()).unwrap();
                } else {
                    w.write_batch(&df).unwrap();
                }
            }
            w.finish().unwrap();
            out
        };
        let ours = write(true);
        assert!(ours.len() > 1000);
        assert!(
            ours == write(false),
            "the same bytes as BatchedWriter::write_batch"
        );
    }
}
