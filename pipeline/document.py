"""Documents are plain dicts keyed by schema-v1 column names; this module moves them to and from Arrow."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from schemas.documents import DOCUMENT_SCHEMA, STATUS_KEPT, STATUS_REMOVED, conform

Document = dict


def batch_to_rows(batch: pa.RecordBatch | pa.Table) -> list[Document]:
    """Arrow rows as dicts (every schema column present)."""
    table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
    return conform(table).to_pylist()


def rows_to_batch(rows: Iterable[Document]) -> pa.RecordBatch:
    """Dicts back to one schema-v1 record batch; missing keys become null."""
    table = pa.Table.from_pylist(list(rows), schema=DOCUMENT_SCHEMA)
    batches = table.combine_chunks().to_batches()
    return batches[0] if batches else pa.RecordBatch.from_pylist([], schema=DOCUMENT_SCHEMA)


def is_kept(doc: Document) -> bool:
    return doc.get("status") == STATUS_KEPT


def mark_removed(doc: Document, step: str, reason: str, detail: str | None = None) -> Document:
    """Record a removal; the first removal wins, so an already removed document is left as it is."""
    if doc.get("status") == STATUS_REMOVED:
        return doc
    doc["status"] = STATUS_REMOVED
    doc["removed_by"] = step
    doc["removed_reason"] = reason
    doc["removed_detail"] = detail
    return doc
