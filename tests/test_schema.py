"""Schema v1 is pinned: any change to a field must bump the version and update this test."""

import pyarrow as pa
import pytest

from schemas.documents import DOCUMENT_SCHEMA, DOCUMENT_SCHEMA_VERSION, conform, rows_to_table

PINNED_V1 = [
    ("id", "string", False),
    ("source", "string", True),
    ("url", "string", True),
    ("domain", "string", True),
    ("crawl", "string", True),
    ("fetch_time", "timestamp[us, tz=UTC]", True),
    ("warc_record_id", "string", True),
    ("warc_file", "string", True),
    ("warc_offset", "int64", True),
    ("warc_type", "string", True),
    ("http_status", "int32", True),
    ("content_type", "string", True),
    ("charset", "string", True),
    ("charset_source", "string", True),
    ("html_bytes", "int64", True),
    ("title", "string", True),
    ("language_hint", "string", True),
    ("text", "string", True),
    ("n_chars", "int64", True),
    ("language", "string", True),
    ("language_score", "float", True),
    ("language_2", "string", True),
    ("language_2_score", "float", True),
    ("quality_score", "float", True),
    ("perplexity", "float", True),
    ("perplexity_bucket", "string", True),
    ("pii_email", "int32", True),
    ("pii_phone", "int32", True),
    ("pii_ip", "int32", True),
    ("pii_card", "int32", True),
    ("pii_cn_id", "int32", True),
    ("pii_ssn", "int32", True),
    ("pii_iban", "int32", True),
    ("dup_cluster", "string", True),
    ("dup_cluster_size", "int32", True),
    ("status", "string", False),
    ("removed_by", "string", True),
    ("removed_reason", "string", True),
    ("removed_detail", "string", True),
]


def test_schema_v1_is_pinned():
    assert DOCUMENT_SCHEMA_VERSION == 1
    assert [(f.name, str(f.type), f.nullable) for f in DOCUMENT_SCHEMA] == PINNED_V1
    assert DOCUMENT_SCHEMA.metadata[b"corpus.schema_version"] == b"1"


def test_every_field_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "schemas" / "README.md").read_text(encoding="utf-8")
    missing = [name for name, _, _ in PINNED_V1 if f"`{name}`" not in readme]
    assert missing == []


def test_rows_to_table_rejects_unknown_columns():
    with pytest.raises(KeyError, match="langauge"):
        rows_to_table([{"id": "a", "status": "kept", "langauge": "en"}])


def test_conform_adds_missing_columns_as_nulls_and_casts():
    table = pa.table({"id": ["a"], "status": ["kept"], "text": ["hi"], "n_chars": pa.array([2], pa.int32())})
    out = conform(table)
    assert out.schema == DOCUMENT_SCHEMA
    assert out.column("n_chars").type == pa.int64()
    assert out.column("url").to_pylist() == [None]


def test_spark_schema_matches_arrow_schema():
    from pipeline.engines.spark import to_spark_schema

    spark_schema = to_spark_schema()
    assert [f.name for f in spark_schema.fields] == [f.name for f in DOCUMENT_SCHEMA]
    assert [f.nullable for f in spark_schema.fields] == [f.nullable for f in DOCUMENT_SCHEMA]
    assert spark_schema["fetch_time"].dataType.simpleString() == "timestamp"
    assert spark_schema["language_score"].dataType.simpleString() == "float"
