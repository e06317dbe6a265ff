"""Passages are cut and embedded in the ingest workers, while other files are parsed (issue #17): the store
writes the passages it is handed, and the search index stores the workers' vectors without embedding again.
Real model (all-MiniLM-L6-v2 through ONNX Runtime), real worker processes."""
from __future__ import annotations

import numpy as np
import pytest

MINUTES = ("Minutes of the Cabinet of Kent County Council held on 4 March 2025\n\n"
           "1. Children in care\n\nThe number of children in care fell from 285 to 251 over the year.\n\n"
           "2. Highways\n\nRESOLVED that the Director of Highways reports back on pothole repairs in six months.\n")


def test_a_worker_embeds_as_the_search_index_does():
    from kb.search.embed import embed_passages, get_embedder, model_file

    texts = ["Children in care\nThe number of children in care fell.", "Pothole repairs on the A20."]
    path = model_file(None)
    if path is None:
        pytest.skip("onnxruntime (or torch to export the model) is not installed")
    worker = embed_passages(texts, str(path), 1)
    index = get_embedder(None).embed(texts)
    assert worker.shape == (2, 384)
    assert np.all(np.sum(worker * index, axis=1) > 0.999)


@pytest.mark.slow
def test_vectors_embedded_by_the_workers_are_stored_without_embedding_again(tmp_path):
    from ingest.pipeline import ingest
    from kb.search import search, sync
    from kb.store import open_store

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cabinet.txt").write_text(MINUTES, encoding="utf-8")
    with open_store(tmp_path / "kb") as store:
        summary = ingest(store, [str(docs)], workers=1, embed=True)
        assert summary.vectors, "the worker embedded the passages"
        synced = sync(store, known=summary.vectors)
        assert synced["added"] > 0 and synced["embedded"] == 0, synced
        hits = search(store, "looked after children numbers", limit=1)
    assert hits and "285 to 251" in hits[0]["text"], hits


def test_a_worker_stops_embedding_at_its_share_of_the_files_time_and_leaves_the_rest():
    """A long paper is never failed for its embedding: past the stop, the passages left are for sync."""
    import time

    from ingest.pipeline import _embed
    from kb.search.embed import model_file

    path = model_file(None)
    if path is None:
        pytest.skip("onnxruntime (or torch to export the model) is not installed")
    passages = [{"text": f"Passage {i} about pothole repairs.", "section": None, "hash": f"h{i}"} for i in range(130)]
    assert len(_embed(passages, (str(path), 1), None)) == 130
    assert _embed(passages, (str(path), 1), time.monotonic() - 1) == {}
