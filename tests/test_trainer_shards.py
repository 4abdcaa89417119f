"""Token shards: dtype by vocabulary, EOS between documents, index of boundaries, reads across shards."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.trainer_support import write_ids_source
from trainer.shards import Shard, TokenStream, dtype_for_vocab, list_shards, write_shard


def test_dtype_is_chosen_by_vocabulary_size():
    assert dtype_for_vocab(32000) == np.uint16
    assert dtype_for_vocab(65536) == np.uint16  # ids 0..65535 still fit
    assert dtype_for_vocab(65537) == np.uint32
    with pytest.raises(ValueError):
        dtype_for_vocab(0)


def test_shard_layout_flat_tokens_eos_and_offsets(tmp_path):
    header = write_shard(str(tmp_path / "s"), [[5, 6, 7], [], [9]], vocab_size=100, eos_id=2, doc_ids=["a", "b", "c"])
    assert header["n_docs"] == 3 and header["n_tokens"] == 7 and header["dtype"] == "uint16"
    assert np.fromfile(tmp_path / "s.bin", dtype="<u2").tolist() == [5, 6, 7, 2, 2, 9, 2]
    assert np.fromfile(tmp_path / "s.idx", dtype="<i8").tolist() == [0, 4, 5, 7]
    assert json.loads((tmp_path / "s.json").read_text())["doc_ids"] == ["a", "b", "c"]
    shard = Shard(tmp_path / "s")
    assert [shard.document(i).tolist() for i in range(len(shard))] == [[5, 6, 7], [], [9]]


def test_large_vocabulary_writes_uint32(tmp_path):
    write_shard(str(tmp_path / "big"), [[70000, 1]], vocab_size=100000, eos_id=3)
    assert np.fromfile(tmp_path / "big.bin", dtype="<u4").tolist() == [70000, 1, 3]
    assert Shard(tmp_path / "big").document(0).tolist() == [70000, 1]


def test_out_of_range_ids_are_refused(tmp_path):
    with pytest.raises(ValueError, match="out of range"):
        write_shard(str(tmp_path / "bad"), [[1, 100]], vocab_size=100, eos_id=2)


def test_stream_reads_across_shard_boundaries(tmp_path):
    folder = write_ids_source(tmp_path, "web", [[10, 11], [12], [13, 14, 15]], per_shard=1)
    assert [s.stem.name for s in list_shards(folder)] == ["part-00000", "part-00001", "part-00002"]
    stream = TokenStream.from_dir(folder)
    assert len(stream) == 9
    assert stream.read(0, 9).tolist() == [10, 11, 2, 12, 2, 13, 14, 15, 2]
    assert stream.read(2, 4).tolist() == [2, 12, 2, 13]  # spans all three shards
    with pytest.raises(IndexError):
        stream.read(6, 4)
