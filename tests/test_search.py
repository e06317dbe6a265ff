"""Search: chunk sizing, filters in both indexes, stale chunks, CLI output, ONNX agreement."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.model import Block
from kb.search.chunking import CHUNK_PIECES, chunk_blocks
from kb.search.embed import count_pieces
from kb.store import open_store

ROOT = Path(__file__).resolve().parent.parent

# --- chunking -------------------------------------------------------------------------------------
words = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd"), max_codepoint=0x24F),
                min_size=1, max_size=14)
sentence = st.lists(words, min_size=1, max_size=40).map(lambda ws: " ".join(ws) + ".")
block = st.builds(
    lambda kind, sents, sec, page: Block(kind=kind, text=" ".join(sents), section=sec, page=page),
    st.sampled_from(["paragraph", "list_item", "heading"]), st.lists(sentence, min_size=1, max_size=12),
    st.sampled_from([None, "1.0 Purpose", "1.0 Purpose > 1.1 Background", "Minutes"]), st.integers(1, 3))


cells = st.lists(st.lists(words, min_size=0, max_size=60).map(" ".join), min_size=1, max_size=4)
table = st.tuples(cells, st.lists(cells, min_size=1, max_size=8), st.sampled_from([None, "Appendix A"]))


def table_blocks(tables) -> list[Block]:
    """Row blocks of tables given as (header, rows, section): the header row first, as the parsers write it."""
    out = []
    for n, (header, rows, sec) in enumerate(tables):
        for r in [header, *rows]:
            out.append(Block(kind="table_row", text=" | ".join(r), cells=r, header=header, table=n, section=sec))
    return [b for b in out if any(c.strip() for c in b.cells)]  # the parsers skip rows with nothing in them


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(block, min_size=1, max_size=12), st.lists(table, max_size=3), st.booleans())
def test_chunks_fit_the_model_and_cover_all_text(blocks, tables, slides):
    blocks = blocks + table_blocks(tables)
    chunks = chunk_blocks(blocks, count_pieces, slides=slides)
    for c in chunks:
        assert c.pieces <= CHUNK_PIECES
        assert count_pieces([c.embed_text])[0] == c.pieces
    covered = {i: [False] * len(b.text) for i, b in enumerate(blocks)}
    for c in chunks:
        for bi, s, e in c.spans:
            for k in range(s, e):
                covered[bi][k] = True
    for i, b in enumerate(blocks):
        missing = "".join(ch for k, ch in enumerate(b.text) if not covered[i][k] and not ch.isspace())
        in_section = b.kind == "heading" and any(c.section and b.text in c.section for c in chunks)
        assert not missing or in_section, (i, missing[:40])
    for c in chunks:  # the text a chunk claims is in it
        for bi, s, e in c.spans:
            if blocks[bi].kind != "heading":
                assert blocks[bi].text[s:e].strip(" |") in c.text


def test_table_rows_repeat_the_header():
    rows = [Block(kind="table_row", text=f"Area {i} | {i * 10}", cells=[f"Area {i}", str(i * 10)],
                  header=["Area", "Children in care"], table=0, section="Appendix A") for i in range(120)]
    chunks = chunk_blocks(rows, count_pieces)
    assert len(chunks) > 1
    assert all(c.text.startswith("Area | Children in care\n") and c.kind == "table" for c in chunks)
    assert all(c.pieces <= CHUNK_PIECES for c in chunks)


def test_caption_goes_with_its_table_and_the_header_row_is_not_repeated():
    header = ["Area", "Children in care"]
    blocks = [Block(kind="paragraph", text="Placements rose in every district this year. " * 12, section="Appendix A"),
              Block(kind="heading", text="Table 3: children in care by district", section="Appendix A", level=3),
              Block(kind="heading", text="Area | Children in care", section="Appendix A", level=3),
              Block(kind="table_row", text="Area | Children in care", cells=header, header=header, table=0,
                    section="Appendix A")]
    blocks += [Block(kind="table_row", text=f"District {i} | {i * 10}", cells=[f"District {i}", str(i * 10)],
                     header=header, table=0, section="Appendix A") for i in range(8)]
    chunks = chunk_blocks(blocks, count_pieces)
    assert [c.kind for c in chunks] == ["text", "table"]
    assert chunks[1].text.startswith("Table 3: children in care by district\nArea | Children in care\nDistrict 0")
    assert chunks[1].text.count("Area | Children in care") == 1
    assert "Table 3" not in chunks[0].text


def test_a_header_row_too_long_to_repeat_stays_a_row_of_its_own():
    header = ["Question", " ".join(["The departments provided a formula for the distribution of the grant"] * 6)]
    rows = [Block(kind="table_row", text=" | ".join(r), cells=r, header=header, table=0)
            for r in [header] + [[f"Q{i}", "Answered in writing by the Cabinet Member " * 6] for i in range(12)]]
    chunks = chunk_blocks(rows, count_pieces)
    assert all(c.pieces <= CHUNK_PIECES for c in chunks)
    assert sum(c.text.count("The departments provided") for c in chunks) == 6  # once, not once per chunk


def test_long_tables_and_rows_are_shared_evenly_between_chunks():
    import random

    rng = random.Random(3)
    header = ["Objective", "Measurable by"]
    rows = [Block(kind="table_row", text=" | ".join(cells), cells=cells, header=header, table=0)
            for cells in ([f"Objective {i}", " ".join(rng.choice(["reduced", "referrals", "children", "rate", "care"])
                                                       for _ in range(rng.randint(3, 30)))] for i in range(26))]
    chunks = chunk_blocks(rows, count_pieces)
    sizes = [c.pieces for c in chunks]
    assert len(sizes) > 2 and max(sizes) <= CHUNK_PIECES
    assert min(sizes) >= 0.6 * max(sizes), sizes  # no short last piece
    # a single row too long for one chunk is cut between words into pieces of about the same size
    long_row = Block(kind="paragraph", text=" ".join(f"word{i % 97}" for i in range(700)))
    sizes = [c.pieces for c in chunk_blocks([long_row], count_pieces)]
    assert len(sizes) > 2 and max(sizes) <= CHUNK_PIECES and min(sizes) >= 0.8 * max(sizes), sizes


# --- a small KB -------------------------------------------------------------------------------------
DOCS = {
    "blackpool.txt": ("Blackpool Council", "Children and Young People's Scrutiny Committee", "2023-09-21", "report",
                      "Children in Care\n\nBlackpool has the highest rate of children in care in the country, "
                      "at 188 per 10,000 children, against a national rate of 70.\n\nWorkforce\n\n"
                      "Our workforce is stable with under 15% agency social workers.\n"),
    "lancs.txt": ("Lancashire County Council", "Education and Children's Services Scrutiny Committee", "2021-03",
                  "minutes", "Family Safeguarding\n\nThe council launched the Family Safeguarding Model on the "
                  "11th February 2021. There were 21 Family Safeguarding Teams across four areas.\n"),
    "somerset.txt": ("Somerset County Council", "Scrutiny for Policies, Children and Families Committee", "2022-06-20",
                     "presentation", "Domestic Abuse\n\nTeenagers who hit or threaten their parents are supported "
                     "through the adolescent to parent violence programme run by the domestic abuse team.\n"),
}


def write_corpus(folder: Path, docs=DOCS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["file,authority,committee,meeting_date,kind,url"]
    for name, (auth, comm, date, kind, text) in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
        lines.append(f'{name},{auth},"{comm}",{date},{kind},')
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def build(home: Path, folder: Path):
    from ingest.pipeline import ingest
    from kb.search import sync

    store = open_store(home)
    assert not ingest(store, [str(folder)], workers=1, with_extraction=False).failed
    sync(store)
    return store


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def kb(request, tmp_path_factory):
    """The corpus ingested into each backend in turn: a folder, then a server KB (PostgreSQL + Chroma server)."""
    tmp = tmp_path_factory.mktemp("kb")
    folder = write_corpus(tmp / "docs")
    if request.param == "sqlite":
        location = tmp / "kb"
    else:
        cluster, chroma = request.getfixturevalue("pg_cluster"), request.getfixturevalue("chroma_server")
        location = cluster.new_database()
        mp = pytest.MonkeyPatch()
        mp.setenv("SCRUTINY_VECTORS", chroma.url)
    store = build(location, folder)
    yield store, folder
    store.close()
    if request.param == "postgresql":
        mp.undo()
        cluster.drop_database(location)


def kb_arg(store) -> str:
    """What --kb names the store by."""
    return store.url if store.server else str(store.home)


def sources(hits):
    return {Path(h["source"]).name for h in hits}


@pytest.mark.parametrize("mode", ["bm25", "dense"])
@pytest.mark.parametrize("backend", ["numpy", "chroma"])
def test_filters_apply_inside_each_index(kb, mode, backend):
    from kb.search import search

    store, _ = kb
    q = "family safeguarding children in care"
    opts = dict(mode=mode, dense_backend=backend)
    assert sources(search(store, q, authority=["Blackpool Council"], **opts)) <= {"blackpool.txt"}
    assert sources(search(store, q, authority=["Blackpool"], **opts)) <= {"blackpool.txt"}
    assert sources(search(store, q, kind="minutes", **opts)) == {"lancs.txt"}
    assert sources(search(store, q, since="2022", **opts)) <= {"blackpool.txt", "somerset.txt"}
    assert sources(search(store, q, until="2021-12", **opts)) == {"lancs.txt"}
    assert sources(search(store, q, committee="Corporate Parenting", **opts)) == set()


def test_paraphrase_missed_by_bm25_found_by_hybrid(kb):
    from kb.search import search

    store, _ = kb
    q = "youngsters attacking mum and dad"
    assert "somerset.txt" not in sources(search(store, q, mode="bm25", limit=3))
    assert search(store, q, mode="hybrid", limit=1)[0]["source"].endswith("somerset.txt")


def test_unknown_authority_is_an_error(kb):
    from kb.search import SearchError, search

    with pytest.raises(SearchError, match='no authority matches "Nowhere"'):
        search(kb[0], "care", authority=["Nowhere"])


def _fts_ids(store) -> set[int]:
    return {r[0] for r in store.db.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'family OR care OR "
                                           "workforce OR teenagers OR pets OR hamsters'")}


def _chroma_ids(home: Path) -> set[str]:
    from kb.search.index import chroma_collection

    return set(chroma_collection(home)[1].get(include=[])["ids"])


def test_changed_and_deleted_documents_leave_no_stale_chunks(tmp_path):
    from kb.search import search, sync
    from kb.search.index import VectorCache

    folder = write_corpus(tmp_path / "docs")
    store = build(tmp_path / "kb", folder)
    before = {r[0] for r in store.db.execute("SELECT id FROM chunks")}
    (folder / "blackpool.txt").write_text("Pets\n\nThe committee discussed hamsters kept in council offices.\n")
    from ingest.pipeline import ingest

    ingest(store, [str(folder)], workers=1, with_extraction=False)
    sync(store)
    now = {r[0]: r[1] for r in store.db.execute("SELECT id, text FROM chunks")}
    assert not any("188 per 10,000" in t for t in now.values())
    assert _fts_ids(store) <= set(now)  # no FTS row outlives its chunk
    chroma = _chroma_ids(tmp_path / "kb")
    assert {int(v.split(":")[0]) for v in chroma} == set(now)
    assert set(VectorCache.open(tmp_path / "kb").ids.tolist()) == set(now)
    assert set(now) != before
    for mode in ("bm25", "dense", "hybrid"):
        assert not any("188" in h["text"] for h in search(store, "rate of children in care per 10,000", mode=mode))
    # delete a document
    doc = store.get_document(str(folder / "lancs.txt"))
    store.delete_document(doc["id"])
    sync(store)
    left = {r[0] for r in store.db.execute("SELECT id FROM chunks")}
    assert not store.db.execute("SELECT 1 FROM chunks WHERE doc_id = ?", (doc["id"],)).fetchone()
    assert _fts_ids(store) <= left
    assert {int(v.split(":")[0]) for v in _chroma_ids(tmp_path / "kb")} == left
    assert not any(h["source"].endswith("lancs.txt") for h in search(store, "Family Safeguarding Teams"))
    store.close()


def test_unchanged_chunks_are_not_re_embedded(tmp_path):
    from kb.search import sync

    store = build(tmp_path / "kb", write_corpus(tmp_path / "docs"))
    again = sync(store)
    assert again["embedded"] == 0 and again["added"] == 0 and again["removed"] == 0
    store.close()


# --- CLI --------------------------------------------------------------------------------------------
def test_cli_json_shape_and_queries_file(kb, tmp_path):
    from click.testing import CliRunner

    from cli.main import cli

    store, _ = kb
    r = CliRunner().invoke(cli, ["--kb", kb_arg(store), "search", "agency social workers", "--json",
                                 "--limit", "2"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["query"] == "agency social workers" and 1 <= len(data["hits"]) <= 2
    hit = data["hits"][0]
    for f in ("rank", "score", "document_id", "source", "authority", "meeting_date", "page", "text"):
        assert f in hit
    assert hit["rank"] == 1 and "agency" in hit["text"]
    qf = tmp_path / "q.txt"
    qf.write_text("agency social workers\n\nFamily Safeguarding Teams\n")
    r = CliRunner().invoke(cli, ["--kb", kb_arg(store), "search", "--queries", str(qf), "--limit", "3"],
                           catch_exceptions=False)
    assert r.exit_code == 0
    lines = [json.loads(x) for x in r.output.splitlines()]
    assert [x["query"] for x in lines] == ["agency social workers", "Family Safeguarding Teams"]
    assert all(isinstance(x["hits"], list) for x in lines)
    r = CliRunner().invoke(cli, ["--kb", kb_arg(store), "search", "care", "--authority", "Nowhere"])
    assert r.exit_code == 1 and 'no authority matches "Nowhere"' in r.output
    r = CliRunner().invoke(cli, ["--kb", kb_arg(store), "search", "agency social workers"])
    assert r.exit_code == 0 and "Blackpool Council" in r.output


def test_help_does_not_import_heavy_libraries():
    import subprocess

    code = ("import sys; from cli.main import cli; "
            "bad = [m for m in ('torch', 'chromadb', 'sentence_transformers', 'onnxruntime') if m in sys.modules]; "
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]", out.stderr


def test_migration_creates_chunk_tables(tmp_path):
    store = open_store(tmp_path / "kb")
    cols = {r[1] for r in store.db.execute("PRAGMA table_info(chunks)")}
    assert {"id", "doc_id", "text", "section", "page", "hash", "pieces", "chunker"} <= cols
    assert store.db.execute("SELECT name FROM sqlite_master WHERE name = 'chunks_fts'").fetchone()
    store.close()


# --- the embedding runtimes agree ----------------------------------------------------------------
@pytest.mark.slow
def test_onnx_and_sentence_transformers_vectors_agree():
    pytest.importorskip("onnxruntime")
    from kb.search.embed import STEmbedder, get_embedder

    onnx = get_embedder(None)
    assert onnx.backend == "onnx"
    texts = ["The DfE have awarded Blackpool £764,610", "go live", "children in care " * 120, "x"]
    a, b = onnx.embed(texts, batch_size=3), STEmbedder().embed(texts)
    assert ((a * b).sum(axis=1) > 0.999).all()


# --- filter fields copied onto chunks (migration m003) ------------------------------------------------
def _chunk_meta(store, name: str) -> set[tuple]:
    return {tuple(r) for r in store.db.execute(
        "SELECT c.authority, c.committee, c.doc_kind, c.meeting_date FROM chunks c JOIN documents d"
        " ON d.id = c.doc_id WHERE d.source LIKE ?", ("%" + name,))}


def test_chunk_filter_fields_follow_manifest_changes_and_updates(tmp_path):
    from kb.search import search, sync

    folder = write_corpus(tmp_path / "docs")
    store = build(tmp_path / "kb", folder)
    assert _chunk_meta(store, "lancs.txt") == {("Lancashire County Council",
                                                "Education and Children's Services Scrutiny Committee",
                                                "minutes", "2021-03")}
    # the manifest changes (same bytes): the document is stored again and its chunks follow
    docs = dict(DOCS)
    docs["lancs.txt"] = ("Cumbria County Council", "Cabinet", "2020-01-05", "report", DOCS["lancs.txt"][4])
    write_corpus(folder, docs)
    from ingest.pipeline import ingest

    ingest(store, [str(folder)], workers=1, with_extraction=False)
    sync(store)
    assert _chunk_meta(store, "lancs.txt") == {("Cumbria County Council", "Cabinet", "report", "2020-01-05")}
    for mode in ("bm25", "dense", "hybrid"):
        hits = search(store, "Family Safeguarding Teams", authority=["Cumbria County Council"], mode=mode)
        assert hits and sources(hits) == {"lancs.txt"}
        assert "lancs.txt" not in sources(search(store, "Family Safeguarding Teams", kind="minutes", mode=mode))
        assert sources(search(store, "Family Safeguarding Teams", kind="report", until="2020", mode=mode)) \
            == {"lancs.txt"}
    # a document row updated in place (an authority renamed by hand): the trigger carries it over
    store.db.execute("UPDATE documents SET authority = 'Blackpool Borough Council' WHERE authority = 'Blackpool Council'")
    assert {m[0] for m in _chunk_meta(store, "blackpool.txt")} == {"Blackpool Borough Council"}
    for mode in ("bm25", "dense"):
        assert sources(search(store, "agency social workers", authority=["Blackpool Borough Council"],
                              mode=mode)) == {"blackpool.txt"}
    # a renamed file keeps its chunks and their fields
    doc = store.get_document(str(folder / "somerset.txt"))
    store.rename(doc["id"], str(folder / "somerset-2022.txt"), None)
    assert _chunk_meta(store, "somerset-2022.txt") == {(
        "Somerset County Council", "Scrutiny for Policies, Children and Families Committee", "presentation",
        "2022-06-20")}
    store.close()


def test_migration_fills_chunk_filter_fields_of_existing_chunks(tmp_path):
    """A KB chunked before m003: the migration copies each document's fields onto its chunks."""
    import sqlite3

    from kb.migrations import MIGRATIONS, migrate

    db = sqlite3.connect(tmp_path / "old.sqlite", isolation_level=None)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for fn in MIGRATIONS[:2]:
        fn(db)
        db.execute("INSERT INTO _migrations VALUES (?, datetime('now'))", (fn.__name__,))
    db.execute("INSERT INTO documents (id, source, format, kind, authority, committee, meeting_date, ingested_at)"
               " VALUES ('d1', 'a.txt', 'txt', 'minutes', 'Kent County Council', 'Cabinet', '2024-01-02', 'now')")
    db.execute("INSERT INTO chunks (doc_id, seq, text, kind, pieces, hash, chunker)"
               " VALUES ('d1', 0, 'school transport', 'text', 4, 'h', 'x')")
    assert "m003_chunk_filters" in migrate(db)
    assert db.execute("SELECT authority, committee, doc_kind, meeting_date FROM chunks").fetchone() == \
        ("Kent County Council", "Cabinet", "minutes", "2024-01-02")
    assert db.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'transport' ORDER BY rank").fetchall()


def test_or_query_pruning_keeps_rare_terms(kb, monkeypatch):
    from kb.search import engine

    store, _ = kb
    terms = ["family", "safeguarding", "hamsters", "children"]
    if store.server:  # PostgreSQL's lexemes, and their document frequencies counted through the GIN index
        from kb.search import server

        st = server._Stats()
        st.check(store.db)
        qs = [st.lexeme(store.db, t) for t in terms]
        for q in qs:
            st.idf(store.db, q)
        assert server.or_terms(qs, st) == qs
        monkeypatch.setattr(engine, "PRUNE_MIN_CHUNKS", 0)
        monkeypatch.setattr(engine, "OR_BUDGET", 0.0)
        kept = server.or_terms(qs, st)
        assert len(kept) == 2 and st.lexeme(store.db, "hamsters") in kept
        assert engine.bm25(store.db, "family safeguarding hamsters children")  # the OR query over the two rarest
        monkeypatch.setattr(engine, "OR_BUDGET", 100.0)
        assert server.or_terms(qs, st) == qs
        # a write that adds or removes no passage keeps the counts (in a large KB: PRUNE_MIN_CHUNKS is 0 here)
        st.df["sentinel"] = 1
        store.db.execute("INSERT INTO ingest_claims (source) VALUES ('a write that is not a passage')")
        st.check(store.db)
        assert "sentinel" in st.df
        monkeypatch.setattr(server, "STALE_SHARE", 0.0)  # ...unless any change at all is to be counted again
        store.db.execute("DELETE FROM ingest_claims WHERE source = 'a write that is not a passage'")
        st.check(store.db)
        assert "sentinel" not in st.df
        word = store.db.execute("SELECT word FROM ts_stat('SELECT tsv FROM chunks') WHERE word ~ '^[a-z]+$'"
                                " ORDER BY ndoc DESC, word LIMIT 1").fetchone()[0]  # the commonest (a stem)
        full = engine.bm25(store.db, word, k=1000)
        monkeypatch.setattr(server, "RANK_ROWS", 1)  # a query ranks only the first passage it matches...
        assert engine.bm25(store.db, word, k=1000) == full  # ...in a large KB only
        monkeypatch.setattr(server, "RANK_MIN_CHUNKS", 0)
        capped = engine.bm25(store.db, word, k=1000)
        assert len(capped) == 1 < len(full) and set(capped) <= set(full)
        return
    assert engine.or_terms(store.db, terms) == terms  # a small KB: nothing is left out
    monkeypatch.setattr(engine, "PRUNE_MIN_CHUNKS", 0)
    monkeypatch.setattr(engine, "OR_BUDGET", 0.0)  # no budget: the 2 rarest stay
    kept = engine.or_terms(store.db, terms)
    assert len(kept) == 2 and "hamsters" in kept
    monkeypatch.setattr(engine, "OR_BUDGET", 100.0)
    assert engine.or_terms(store.db, terms) == terms


def test_diversify_caps_a_document_on_the_first_page_only():
    from kb.search.engine import diversify

    hits = [(i, 1.0 - i / 100) for i in range(40)]  # best first
    doc_of = {i: "A" if i < 6 else f"doc{i}" for i in range(40)}  # the six best are all of document A
    out = [c for c, _ in diversify(hits, doc_of, per_doc=3, page=10)]
    assert out[:3] == [0, 1, 2] and sum(doc_of[c] == "A" for c in out[:10]) == 3
    assert out[10:13] == [3, 4, 5]  # A's other hits come straight after the page, not after all the rest
    assert sorted(out) == list(range(40))


def test_snippet_shows_the_sentences_that_hold_the_query_terms():
    from kb.search import snippet

    filler = "The committee noted the report of the previous quarter. " * 12
    key = "HMYOI Cookham Wood was closed in April 2024 and the young people moved to Oasis Restore. "
    text = filler + key + filler
    out = snippet(text, ["cookham", "closed", "young"], width=300)
    assert "Cookham Wood was closed" in out and out.startswith("…") and out.endswith("…")
    assert len(out) <= 302
    assert snippet("A short passage.", ["passage"]) == "A short passage."
    long_one = "word " * 400  # one sentence longer than the width: cut at a word
    out = snippet(long_one.strip(), ["word"], width=100)
    assert len(out) <= 101 and out.endswith("…") and not out[:-1].endswith("wor")


def test_coordination_counts_query_terms_by_their_stems():
    from kb.search.engine import coordination

    cover = coordination(["recruiting", "mental", "health", "go"],
                         {1: "Mental Health workers were recruited; the service is going live.",
                          2: "Health visitors' caseloads", 3: "Nothing of the query here"})
    assert cover == {1: 1.0, 2: 0.25, 3: 0.0}


def test_a_keyword_hit_holding_little_of_the_query_counts_for_less_in_fusion():
    from kb.search.engine import fuse

    keyword = [(1, 9.0), (2, 8.0), (3, 1.0)]  # 1 is BM25's best, on one common word of the query
    dense = [(2, 0.6), (1, 0.58), (3, 0.2)]
    plain = [c for c, _ in fuse([keyword, dense], "weighted", [0.5, 0.5])]
    scaled = [c for c, _ in fuse([keyword, dense], "weighted", [0.5, 0.5], [{1: 0.25 ** 0.5, 2: 1.0, 3: 1.0}, None])]
    assert plain[0] == 1 and scaled[0] == 2
    assert [c for c, _ in fuse([keyword, dense], "rrf", None, [{1: 0.0}, None])] == [1, 2, 3]  # RRF: ranks only


def test_the_first_hits_do_not_depend_on_the_limit(tmp_path, monkeypatch):
    """Fusion normalises each list over a fixed pool, so asking for more hits only adds hits after
    those already shown (the pool was max(50, 3 * limit): a larger --limit reordered the first page).
    Over the seed corpus (63 passages), with a pool small enough for a longer list to reach past it."""
    from kb.search import engine, search

    store = build(tmp_path / "kb", ROOT / "corpus" / "text")
    monkeypatch.setattr(engine, "CANDIDATES", 5)
    for q in ("children in care rate", "when was the family safeguarding model launched",
              "agency social workers", "difficulty recruiting mental health workers", "Ofsted judgement"):
        short = [h["chunk_id"] for h in search(store, q, limit=2)]
        long = [h["chunk_id"] for h in search(store, q, limit=60)]
        assert long[:2] == short, q
    store.close()


def test_fusion_pool_ignores_entries_below_it():
    from kb.search.engine import fuse

    keyword = [(1, 10.0), (2, 9.0), (3, 8.0), (4, 0.0)]
    dense = [(3, 1.0), (2, 0.5), (1, 0.45), (5, 0.4)]
    head = fuse([keyword[:3], dense[:3]], "weighted", [0.5, 0.5], pool=3)
    full = fuse([keyword, dense], "weighted", [0.5, 0.5], pool=3)
    assert full[:3] == head  # entries past the pool (4 and 5) follow; the order ahead is unchanged
    assert [c for c, _ in full[3:]] == [4, 5]
    # normalised over whole lists, the entries past the pool reorder the ones ahead
    assert [c for c, _ in fuse([keyword, dense], "weighted", [0.5, 0.5])][:3] == [3, 1, 2] != [c for c, _ in head]
