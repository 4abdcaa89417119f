"""Document schema, version 1: the one declaration every stage writes and reads.

Each field is described in ``schemas/README.md``. Changing a field (name, type, nullability or
order) is a breaking change: bump ``DOCUMENT_SCHEMA_VERSION`` and update the pinning test.
"""

from __future__ import annotations

import pyarrow as pa

DOCUMENT_SCHEMA_VERSION = 1

STATUS_KEPT = "kept"
STATUS_REMOVED = "removed"
STATUSES = (STATUS_KEPT, STATUS_REMOVED)

# Per-type PII detection counts; one int32 column each, named pii_<type>.
PII_TYPES = ("email", "phone", "ip", "card", "cn_id", "ssn", "iban")

_TS = pa.timestamp("us", tz="UTC")

DOCUMENT_FIELDS: list[pa.Field] = [
    # identity and provenance
    pa.field("id", pa.string(), nullable=False),
    pa.field("source", pa.string()),
    pa.field("url", pa.string()),
    pa.field("domain", pa.string()),
    pa.field("crawl", pa.string()),
    pa.field("fetch_time", _TS),
    pa.field("warc_record_id", pa.string()),
    pa.field("warc_file", pa.string()),
    pa.field("warc_offset", pa.int64()),
    pa.field("warc_type", pa.string()),
    pa.field("http_status", pa.int32()),
    pa.field("content_type", pa.string()),
    pa.field("charset", pa.string()),
    pa.field("charset_source", pa.string()),
    pa.field("html_bytes", pa.int64()),
    # content
    pa.field("title", pa.string()),
    pa.field("language_hint", pa.string()),
    pa.field("text", pa.string()),
    pa.field("n_chars", pa.int64()),
    # annotations (scores only; filters decide)
    pa.field("language", pa.string()),
    pa.field("language_score", pa.float32()),
    pa.field("language_2", pa.string()),
    pa.field("language_2_score", pa.float32()),
    pa.field("quality_score", pa.float32()),
    pa.field("perplexity", pa.float32()),
    pa.field("perplexity_bucket", pa.string()),
    *[pa.field(f"pii_{t}", pa.int32()) for t in PII_TYPES],
    pa.field("dup_cluster", pa.string()),
    pa.field("dup_cluster_size", pa.int32()),
    # decision
    pa.field("status", pa.string(), nullable=False),
    pa.field("removed_by", pa.string()),
    pa.field("removed_reason", pa.string()),
    pa.field("removed_detail", pa.string()),
]

DOCUMENT_SCHEMA = pa.schema(
    DOCUMENT_FIELDS,
    metadata={b"corpus.schema": b"documents", b"corpus.schema_version": str(DOCUMENT_SCHEMA_VERSION).encode()},
)

DOCUMENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in DOCUMENT_FIELDS)


def empty_row() -> dict:
    """A row with every column present and null, ready to be filled by a step."""
    return dict.fromkeys(DOCUMENT_COLUMNS)


def rows_to_table(rows: list[dict]) -> pa.Table:
    """Build a schema-v1 table from row dicts; unknown keys are an error, missing keys are null."""
    for row in rows:
        extra = set(row) - set(DOCUMENT_COLUMNS)
        if extra:
            raise KeyError(f"columns not in document schema v1: {sorted(extra)}")
    return pa.Table.from_pylist(rows, schema=DOCUMENT_SCHEMA)


def conform(table: pa.Table) -> pa.Table:
    """Return ``table`` with exactly the schema-v1 columns, in order, cast to their declared types.

    Missing columns are added as nulls (a JSONL input has no WARC fields); extra columns are an
    error so that a typo never silently drops data.
    """
    extra = [n for n in table.column_names if n not in DOCUMENT_COLUMNS]
    if extra:
        raise KeyError(f"columns not in document schema v1: {extra}")
    arrays = []
    for field in DOCUMENT_FIELDS:
        if field.name in table.column_names:
            arrays.append(table.column(field.name).cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(arrays, schema=DOCUMENT_SCHEMA)
