"""PiiRedactor and PiiDocumentFilter: replacement modes, counts, title/url, filter reason, Spark parity."""

import pickle

import pyarrow as pa
import pytest

from pipeline.document import rows_to_batch
from pipeline.step import run_steps
from pipeline.transform.pii import PII_COLUMNS, PiiDocumentFilter, PiiRedactor, pii_stats, redact_url
from pipeline.transform.pii_detect import find_pii
from schemas.documents import empty_row

ORIGINALS = [
    "jane.doe@example.org",
    "(415) 555-0132",
    "93.184.216.34",
    "4111 1111 1111 1111",
    "11010519491231002X",
    "536-22-8726",
    "DE89 3704 0044 0532 0130 00",
    "13812345678",
]
TEXT = (
    "Contact jane.doe@example.org or (415) 555-0132 from 93.184.216.34. Card 4111 1111 1111 1111, SSN 536-22-8726, "
    "IBAN DE89 3704 0044 0532 0130 00. 身份证11010519491231002X，手机13812345678。Router 192.168.1.1 stays."
)


def doc(text=TEXT, **extra):
    row = empty_row()
    row.update(id="d1", text=text, status="kept", n_chars=len(text), **extra)
    return row


def test_token_mode_replaces_every_type_and_counts_it():
    out = PiiRedactor().process(doc())
    assert out["text"] == (
        "Contact <EMAIL> or <PHONE> from <IP>. Card <CARD>, SSN <SSN>, IBAN <IBAN>. 身份证<CN_ID>，手机<PHONE>。"
        "Router 192.168.1.1 stays."
    )
    assert {c: out[c] for c in PII_COLUMNS} == {
        "pii_email": 1,
        "pii_phone": 2,
        "pii_ip": 1,
        "pii_card": 1,
        "pii_cn_id": 1,
        "pii_ssn": 1,
        "pii_iban": 1,
    }
    assert out["n_chars"] == len(out["text"])


def test_disabled_types_are_left_alone_and_their_counts_are_null():
    out = PiiRedactor(types=["email"]).process(doc())
    assert "<EMAIL>" in out["text"] and "(415) 555-0132" in out["text"]
    assert out["pii_email"] == 1 and out["pii_phone"] is None


def test_fake_mode_is_consistent_across_documents_and_never_the_original():
    step = PiiRedactor(replacement="fake", fake_seed=7)
    a = step.process(doc())["text"]
    b = step.process(doc("again: jane.doe@example.org and 536-22-8726"))["text"]
    for original in ORIGINALS:
        assert original not in a
    fake_email = next(w for w in a.split() if "@" in w)
    assert fake_email.startswith("user.") and fake_email.endswith((".com", ".org", ".net"))
    assert fake_email in b and "666-" in b  # same original -> same fake; SSN area 666 is never issued
    other_seed = PiiRedactor(replacement="fake", fake_seed=8).process(doc())["text"]
    assert other_seed != a


def test_fakes_of_checksummed_types_are_not_detected_again():
    out = PiiRedactor(replacement="fake", fake_seed=1).process(doc())["text"]
    assert {k for _, _, k in find_pii(out)} == {"phone", "email"}  # card, SSN, ID, IBAN, IP fakes are invalid/kept


def test_title_and_url_never_keep_the_original():
    row = doc(
        "no pii here", title="Mail jane.doe@example.org", url="https://ex.com/u/profile?mail=jane.doe%40example.org&x=1"
    )
    out = PiiRedactor().process(row)
    assert out["title"] == "Mail <EMAIL>"
    assert out["url"] == "https://ex.com/u/profile?mail=%3CEMAIL%3E&x=1"
    assert out["pii_email"] == 2
    assert redact_url("mailto:bob@example.net", lambda k, o: "<EMAIL>") == ("mailto:%3CEMAIL%3E", 1)
    assert redact_url("https://user@host.example.com/a", lambda k, o: "X") == ("https://user@host.example.com/a", 0)


def test_no_output_column_holds_an_original_and_removed_documents_are_redacted_too():
    removed = doc(removed_by="gopher_quality", removed_reason="gopher_too_few_words", title="4111 1111 1111 1111")
    removed["status"] = "removed"
    rows = run_steps([PiiRedactor(replacement="fake"), PiiDocumentFilter(max_detections=3)], [doc(), removed])
    for row in rows:
        for value in row.values():
            for original in ORIGINALS:
                assert original not in str(value)
    assert rows[1]["pii_card"] == 2 and rows[1]["removed_reason"] == "gopher_too_few_words"


def test_filter_removes_documents_over_the_threshold_with_reason_and_detail():
    rows = run_steps([PiiRedactor(), PiiDocumentFilter(max_detections=7)], [doc(), doc("one: a@b.io")])
    assert (rows[0]["status"], rows[0]["removed_by"], rows[0]["removed_reason"], rows[0]["removed_detail"]) == (
        "removed",
        "pii_filter",
        "pii_too_many",
        "pii=8>7",
    )
    assert rows[1]["status"] == "kept"


def test_filter_without_redactor_and_bad_parameters_fail_loudly():
    with pytest.raises(RuntimeError, match="pii_redactor"):
        PiiDocumentFilter().process(doc())
    with pytest.raises(ValueError, match="valid values"):
        PiiRedactor(types=["email", "passport"])
    with pytest.raises(ValueError, match="valid values"):
        PiiRedactor(replacement="mask")


def test_step_pickles_without_its_loaded_state_and_reports_params():
    step = PiiRedactor(types=("ip", "email"), replacement="fake", fake_seed=3)
    step.process(doc())
    clone = pickle.loads(pickle.dumps(step))
    assert not hasattr(clone, "_replace")
    assert clone.process(doc())["text"] == step.process(doc())["text"]
    assert step.describe()["params"] == {
        "types": ["email", "ip"],
        "replacement": "fake",
        "fake_seed": 3,
        "phone_regions": ["US", "GB", "CN"],
    }


def test_pii_stats_roll_up_from_columns():
    rows = run_steps([PiiRedactor(types=["email", "phone"])], [doc(), doc("nothing"), doc("x@y.org, y@z.org")])
    stats = pii_stats(pa.Table.from_batches([rows_to_batch(rows)]))
    assert stats["pii_email"] == {"documents": 2, "detections": 3}
    assert stats["pii_phone"] == {"documents": 1, "detections": 2}
    assert stats["pii_card"] == {"documents": 0, "detections": 0}
    assert stats["documents_with_pii"] == 2


@pytest.mark.spark
def test_spark_and_python_give_the_same_fakes(spark):
    from pipeline.document import batch_to_rows
    from pipeline.engines.spark import apply_steps, to_spark_schema

    docs = [doc(f"row {i}: jane.doe@example.org, 536-22-8726, (415) 555-0132") | {"id": f"{i:03d}"} for i in range(40)]
    steps = [PiiRedactor(replacement="fake", fake_seed="s"), PiiDocumentFilter(max_detections=2)]
    expected = run_steps(steps, [dict(d) for d in docs])
    df = spark.createDataFrame(pa.Table.from_batches([rows_to_batch(docs)]), schema=to_spark_schema())
    got = sorted(batch_to_rows(apply_steps(df.repartition(3), steps).toArrow()), key=lambda r: r["id"])
    assert got == expected
    assert len({r["text"].split(": ", 1)[1] for r in got}) == 1
