//! `jsonl`: dyad's own records, one serde-serialised [`Event`] per line.

use std::io::{BufWriter, Write};

use crate::{DocMeta, Event, EventSink, OutputError, WriteSummary};

/// Writes [`Event`]s as JSON Lines.
pub(crate) struct JsonlSink<W: Write> {
    out: BufWriter<W>,
    summary: WriteSummary,
}

impl<W: Write> JsonlSink<W> {
    pub fn new(out: W) -> Self {
        JsonlSink {
            out: BufWriter::with_capacity(1 << 16, out),
            summary: WriteSummary::default(),
        }
    }
}

impl<W: Write> EventSink for JsonlSink<W> {
    fn write_with(&mut self, event: &Event, _meta: Option<&DocMeta>) -> Result<(), OutputError> {
        serde_json::to_writer(&mut self.out, event)?;
        self.out.write_all(b"\n")?;
        self.summary.written += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<WriteSummary, OutputError> {
        self.out.flush()?;
        Ok(self.summary)
    }
}
