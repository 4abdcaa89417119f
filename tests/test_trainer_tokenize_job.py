"""The Spark tokenize stage: kept documents -> per-source shards with a manifest; deterministic."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from jobs.tokenize_shards import source_dir, tokenize_documents
from schemas.documents import rows_to_table
from trainer.shards import TokenStream, list_shards
from trainer.tokenizer import load, train_tokenizer

DOCS = [
    ("w1", "web", "kept", "The cat sat on the mat."),
    ("w2", "web", "kept", "A dog barked twice at the mail carrier."),
    ("w3", "web", "removed", "BUY NOW cheap pills"),
    ("k1", "wiki/en", "kept", "Paris is the capital of France.\nIt lies on the Seine."),
    ("k2", "wiki/en", "kept", "Tokyo is the capital of Japan: 東京."),
]


@pytest.fixture(scope="module")
def tokenized(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("tokenize")
    model = train_tokenizer([d[3] for d in DOCS] * 20, root / "tok.model", 300)
    docs = root / "docs"
    for status in ("kept", "removed"):
        rows = [{"id": i, "source": s, "text": t, "status": st} for i, s, st, t in DOCS if st == status]
        (docs / f"status={status}").mkdir(parents=True)
        # The status column lives in the folder name, as the stages write it.
        pq.write_table(rows_to_table(rows).drop(["status"]), docs / f"status={status}" / "part-00000.parquet")
    first = tokenize_documents(spark, str(docs), str(root / "a"), str(model), partitions=2)
    second = tokenize_documents(spark, str(docs), str(root / "b"), str(model), partitions=2)
    return {"root": root, "model": model, "manifest": first, "second": second}


@pytest.mark.spark
def test_kept_documents_become_per_source_shards(tokenized):
    sp, manifest, root = load(tokenized["model"]), tokenized["manifest"], tokenized["root"]
    assert set(manifest["sources"]) == {"web", "wiki/en"}
    web, wiki = manifest["sources"]["web"], manifest["sources"]["wiki/en"]
    assert web["n_docs"] == 2 and wiki["n_docs"] == 2  # the removed document is not tokenized
    assert wiki["dir"] == source_dir("wiki/en") and wiki["dir"].startswith("wiki_en-")
    texts = {d[0]: d[3] for d in DOCS}
    for source, entry in manifest["sources"].items():
        shards = list_shards(root / "a" / entry["dir"])
        assert [s.stem.name for s in shards] == entry["shards"]
        ids, decoded = [], []
        for shard in shards:
            assert shard.header["source"] == source and shard.header["dtype"] == "uint16"
            ids += shard.header["doc_ids"]
            decoded += [sp.decode(shard.document(i).tolist()) for i in range(len(shard))]
        assert ids == sorted(ids) and decoded == [texts[i] for i in ids]
        expected = sum(len(sp.encode(texts[i])) + 1 for i in ids)  # + one EOS per document
        assert entry["n_tokens"] == expected == len(TokenStream.from_dir(root / "a" / entry["dir"]))
        stream = TokenStream.from_dir(root / "a" / entry["dir"]).read(0, expected)
        assert int((stream == sp.eos_id()).sum()) == len(ids)
    assert manifest["totals"]["n_docs"] == 4 and manifest["tokenizer"]["vocab_size"] == 300
    assert json.loads((root / "a" / "tokens.json").read_text())["totals"] == manifest["totals"]


@pytest.mark.spark
def test_same_input_gives_identical_shards_and_refuses_to_append(spark, tokenized):
    root = tokenized["root"]
    for entry in tokenized["manifest"]["sources"].values():
        for name in entry["shards"]:
            for suffix in (".bin", ".idx", ".json"):
                a = (root / "a" / entry["dir"] / name).with_suffix(suffix).read_bytes()
                assert a == (root / "b" / entry["dir"] / name).with_suffix(suffix).read_bytes()
    assert np.array_equal(tokenized["manifest"]["totals"]["n_tokens"], tokenized["second"]["totals"]["n_tokens"])
    with pytest.raises(FileExistsError):
        tokenize_documents(spark, str(root / "docs"), str(root / "a"), str(tokenized["model"]))
