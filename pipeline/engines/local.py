"""The plain-Python engine: the same steps as Spark, on Arrow tables in one process.

Used by tests (engine parity), benchmarks and small jobs; its output goes through the same
Arrow conversion as Spark's, so both engines give equal rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import pyarrow as pa

from pipeline.document import batch_to_rows, rows_to_batch
from pipeline.step import Step, run_steps
from schemas.documents import DOCUMENT_SCHEMA


def apply_steps_to_batches(batches: Iterable[pa.RecordBatch], steps: Sequence[Step]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        if batch.num_rows:
            yield rows_to_batch(run_steps(steps, batch_to_rows(batch)))


def apply_steps_to_table(table: pa.Table, steps: Sequence[Step], batch_rows: int = 1024) -> pa.Table:
    batches = list(apply_steps_to_batches(table.to_batches(max_chunksize=batch_rows), steps))
    return pa.Table.from_batches(batches, schema=DOCUMENT_SCHEMA)
