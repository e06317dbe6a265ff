"""The same paper twice is one paper: minutes as DOCX and as PDF (real files from ../shared/corpus-real),
last meeting's minutes attached again to the next meeting's papers."""
import shutil

from conftest import shared_path


def test_a_docx_and_its_pdf_are_one_paper_counted_once(tmp_path):
    from ingest.pipeline import ingest
    from kb.export import export_documents
    from kb.store import open_store

    folder = tmp_path / "papers"
    folder.mkdir()
    for name in ("templates_Minutes_03.09.19.docx", "templates_Minutes_03.09.19.pdf",
                 "milburn_Minutes_Minutes_for_Meeting_of_2019-07-02.pdf"):
        shutil.copy(shared_path("corpus-real", "parishcouncils", name), folder / name)
    store = open_store(tmp_path / "kb")
    assert not ingest(store, [str(folder)], with_extraction=False).failed
    papers = store.documents()
    every = store.documents(copies=True)
    assert len(every) == 3 and len(papers) == 2  # both Newbiggin files are kept, one of them is the paper
    copy = next(d for d in every if d["same_as"])
    assert copy["source"].startswith(str(folder)) and "templates_Minutes_03.09.19" in copy["source"]
    exported = export_documents(store)["documents"]
    assert sorted(bool(d["same_as"]) for d in exported) == [False, False, True]  # exported, marked
    # the paper goes: its copy becomes the paper
    original = store.document_by(id=copy["same_as"])
    store.delete_document(original["id"])
    assert [d["id"] for d in store.documents() if "templates" in d["source"]] == [copy["id"]]
    store.close()


def test_which_of_two_is_the_paper_does_not_depend_on_the_order_stored(tmp_path):
    """A re-run or a parallel ingest stores files in another order: the same one is the paper."""
    from ingest.pipeline import ingest
    from kb.store import open_store

    folder = tmp_path / "papers"
    folder.mkdir()
    names = ["templates_Minutes_03.09.19.pdf", "templates_Minutes_03.09.19.docx"]
    for name in names:
        shutil.copy(shared_path("corpus-real", "parishcouncils", name), folder / name)
    papers = []
    for order in (names, names[::-1]):
        store = open_store(tmp_path / f"kb-{order[0]}")
        for name in order:
            assert not ingest(store, [str(folder / name)], with_extraction=False).failed
        every = store.documents(copies=True)
        assert len(every) == 2 and len(store.documents()) == 1
        papers.append(next(d["source"] for d in every if not d["same_as"]))
        store.close()
    assert papers[0] == papers[1] and papers[0].endswith(".docx")  # the source that sorts first


def test_different_minutes_of_one_council_are_not_one_paper():
    from kb.same_paper import SAME, similarity, sketch

    a = sketch(["The minutes of the meeting held on 7th May 2019 had been circulated prior to this meeting. " * 3,
                "Councillors resolved to pay the grass cutting invoice of £864.00 and to repair the seat on the green."])
    b = sketch(["The minutes of the meeting held on 2nd July 2019 had been circulated prior to this meeting. " * 3,
                "The Clerk will write to Highways about the three problems reported, none showing as yet."])
    assert a and b and similarity(a, b) < SAME and similarity(a, a) == 1.0


def test_two_councils_papers_from_one_template_are_two_papers(tmp_path):
    from ingest.pipeline import ingest
    from kb.store import open_store

    folder = tmp_path / "papers"
    folder.mkdir()
    for name in ("milburn_Policies_Privacy_Policy_May_2019.pdf", "templates_Privacy_Policy.docx"):
        shutil.copy(shared_path("corpus-real", "parishcouncils", name), folder / name)
    store = open_store(tmp_path / "kb")
    ingest(store, [str(folder)], with_extraction=False)
    docs = store.documents(copies=True)
    assert {d["authority"] for d in docs} == {"Milburn Parish Council", "Newbiggin Parish Council"}
    assert len(store.documents()) == 2 and not any(d["same_as"] for d in docs)
    store.close()
