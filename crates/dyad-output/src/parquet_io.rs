//! `parquet`: the flat table ([`crate::flat::COLUMNS`]) as typed Parquet
//! columns, Snappy-compressed, written with the `parquet` crate's
//! low-level column API (no Arrow). Rows are buffered column-wise and
//! written one row group at a time.

use std::io::Write;
use std::sync::Arc;

use bytes::Bytes;
use parquet::basic::Compression;
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, DoubleType, FloatType, Int32Type, Int64Type,
};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::reader::RowIter;
use parquet::record::Field;
use parquet::schema::types::Type;

use crate::flat::{visit, Cell, ColType, Value, COLUMNS};
use crate::read::ReadError;
use crate::{DocMeta, Event, EventSink, OutputError, WriteSummary, WriterOptions};

/// The Parquet schema of the flat table.
pub(crate) fn schema() -> Result<Type, OutputError> {
    let mut fields = Vec::with_capacity(COLUMNS.len());
    for c in &COLUMNS {
        let rep = if c.nullable {
            parquet::basic::Repetition::OPTIONAL
        } else {
            parquet::basic::Repetition::REQUIRED
        };
        let (phys, logical) = match c.ty {
            ColType::Str => (
                parquet::basic::Type::BYTE_ARRAY,
                Some(parquet::basic::LogicalType::String),
            ),
            ColType::I32 => (parquet::basic::Type::INT32, None),
            ColType::I64 => (parquet::basic::Type::INT64, None),
            ColType::F32 => (parquet::basic::Type::FLOAT, None),
            ColType::F64 => (parquet::basic::Type::DOUBLE, None),
            ColType::Bool => (parquet::basic::Type::BOOLEAN, None),
        };
        fields.push(Arc::new(
            Type::primitive_type_builder(c.name, phys)
                .with_repetition(rep)
                .with_logical_type(logical)
                .build()?,
        ));
    }
    Ok(Type::group_type_builder("dyad_event")
        .with_fields(fields)
        .build()?)
}

enum Data {
    Str { bytes: Vec<u8>, ends: Vec<usize> },
    I32(Vec<i32>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    Bool(Vec<bool>),
}

struct ColBuf {
    data: Data,
    defs: Vec<i16>,
    nullable: bool,
}

impl ColBuf {
    fn push(&mut self, cell: Cell<'_>) {
        let present = !matches!(cell, Cell::Null);
        if self.nullable {
            self.defs.push(i16::from(present));
        }
        match (&mut self.data, cell) {
            (_, Cell::Null) => {
                // A null in a required column cannot happen: `visit` only
                // yields nulls for nullable columns (checked by tests).
            }
            (Data::Str { bytes, ends }, Cell::Str(s)) => {
                bytes.extend_from_slice(s.as_bytes());
                ends.push(bytes.len());
            }
            (Data::Str { bytes, ends }, Cell::List(items)) => {
                for (i, s) in items.iter().enumerate() {
                    if i > 0 {
                        bytes.push(b';');
                    }
                    bytes.extend_from_slice(s.as_bytes());
                }
                ends.push(bytes.len());
            }
            (Data::I32(v), Cell::Int(i)) => v.push(i32::try_from(i).unwrap_or(i32::MAX)),
            (Data::I64(v), Cell::Int(i)) => v.push(i),
            (Data::F32(v), Cell::F32(x)) => v.push(x),
            (Data::F64(v), Cell::F64(x)) => v.push(x),
            (Data::Bool(v), Cell::Bool(b)) => v.push(b),
            // Type mismatches are ruled out by the column table and tests.
            _ => {}
        }
    }

    fn clear(&mut self) {
        self.defs.clear();
        match &mut self.data {
            Data::Str { bytes, ends } => {
                bytes.clear();
                ends.clear();
            }
            Data::I32(v) => v.clear(),
            Data::I64(v) => v.clear(),
            Data::F32(v) => v.clear(),
            Data::F64(v) => v.clear(),
            Data::Bool(v) => v.clear(),
        }
    }
}

/// Writes events as Parquet.
pub(crate) struct ParquetSink<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    cols: Vec<ColBuf>,
    rows: usize,
    row_group: usize,
    summary: WriteSummary,
}

impl<W: Write + Send> ParquetSink<W> {
    pub fn new(out: W, opts: &WriterOptions) -> Result<Self, OutputError> {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("dyad {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = SerializedFileWriter::new(out, Arc::new(schema()?), Arc::new(props))?;
        let cols = COLUMNS
            .iter()
            .map(|c| ColBuf {
                data: match c.ty {
                    ColType::Str => Data::Str {
                        bytes: Vec::new(),
                        ends: Vec::new(),
                    },
                    ColType::I32 => Data::I32(Vec::new()),
                    ColType::I64 => Data::I64(Vec::new()),
                    ColType::F32 => Data::F32(Vec::new()),
                    ColType::F64 => Data::F64(Vec::new()),
                    ColType::Bool => Data::Bool(Vec::new()),
                },
                defs: Vec::new(),
                nullable: c.nullable,
            })
            .collect();
        Ok(ParquetSink {
            writer,
            cols,
            rows: 0,
            row_group: opts.parquet_row_group.max(1),
            summary: WriteSummary::default(),
        })
    }

    fn flush_row_group(&mut self) -> Result<(), OutputError> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut rg = self.writer.next_row_group()?;
        let mut i = 0;
        while let Some(mut col) = rg.next_column()? {
            let buf = &mut self.cols[i];
            let defs = buf.nullable.then_some(buf.defs.as_slice());
            match &mut buf.data {
                Data::Str { bytes, ends } => {
                    let all = Bytes::from(std::mem::take(bytes));
                    let mut start = 0;
                    let vals: Vec<ByteArray> = ends
                        .iter()
                        .map(|&end| {
                            let v = ByteArray::from(all.slice(start..end));
                            start = end;
                            v
                        })
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&vals, defs, None)?;
                }
                Data::I32(v) => {
                    col.typed::<Int32Type>().write_batch(v, defs, None)?;
                }
                Data::I64(v) => {
                    col.typed::<Int64Type>().write_batch(v, defs, None)?;
                }
                Data::F32(v) => {
                    col.typed::<FloatType>().write_batch(v, defs, None)?;
                }
                Data::F64(v) => {
                    col.typed::<DoubleType>().write_batch(v, defs, None)?;
                }
                Data::Bool(v) => {
                    col.typed::<BoolType>().write_batch(v, defs, None)?;
                }
            }
            col.close()?;
            buf.clear();
            i += 1;
        }
        rg.close()?;
        self.rows = 0;
        Ok(())
    }
}

impl<W: Write + Send> EventSink for ParquetSink<W> {
    fn write_with(&mut self, e: &Event, _meta: Option<&DocMeta>) -> Result<(), OutputError> {
        let mut i = 0;
        let cols = &mut self.cols;
        visit(e, |cell| {
            cols[i].push(cell);
            i += 1;
        });
        self.rows += 1;
        self.summary.written += 1;
        if self.rows >= self.row_group {
            self.flush_row_group()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<WriteSummary, OutputError> {
        self.flush_row_group()?;
        let summary = self.summary;
        self.writer.close()?;
        Ok(summary)
    }
}

fn field_value(f: &Field) -> Result<Value, String> {
    Ok(match f {
        Field::Null => Value::Null,
        Field::Str(s) => Value::Str(s.clone()),
        Field::Int(i) => Value::Int(i64::from(*i)),
        Field::Long(i) => Value::Int(*i),
        Field::Float(x) => Value::F32(*x),
        Field::Double(x) => Value::F64(*x),
        Field::Bool(b) => Value::Bool(*b),
        other => return Err(format!("unexpected Parquet value {other:?}")),
    })
}

/// Reads a flat-table Parquet file back into events, one result per row.
pub(crate) fn read<R: ChunkReader + 'static>(
    input: R,
    origin: &str,
) -> Result<impl Iterator<Item = Result<Event, ReadError>>, ReadError> {
    let whole = |cause: String| ReadError {
        origin: origin.to_string(),
        record: 0,
        cause,
    };
    let reader = SerializedFileReader::new(input).map_err(|e| whole(e.to_string()))?;
    let schema = reader.metadata().file_metadata().schema_descr();
    let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    let expected: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    if names != expected {
        return Err(whole(format!(
            "not a dyad event table: columns {names:?} differ from the flat schema"
        )));
    }
    let rows = RowIter::from_file_into(Box::new(reader));
    let origin = origin.to_string();
    Ok(rows.enumerate().map(move |(i, row)| {
        let err = |cause: String| ReadError {
            origin: origin.clone(),
            record: i as u64 + 1,
            cause,
        };
        let row = row.map_err(|e| err(e.to_string()))?;
        let vals = row
            .get_column_iter()
            .map(|(_, f)| field_value(f))
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        crate::flat::to_event(&vals).map_err(err)
    }))
}
