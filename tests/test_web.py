"""The web workspace (`scrutiny serve`) in-process: its pages and JSON API over a real SQLite KB (the report
tests' generated corpus, stored through put_document), its changes as corrections the CLI sees, CSRF,
sign-in, roles and the sign-in rate limit. The real-browser journeys are in test_web_browser.py."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from reports_corpus import DEVON, build, put

from cli.main import cli
from kb.store import open_store
from kb.users import add_user
from reports.web.app import create_app
from reports.web.core import Settings

AS_OF = "2026-11-23"
UPDATE = "An update report be presented to the committee in six months"
PASSWORD = "correct horse battery"


@pytest.fixture()
def home(kb_location):
    """The reports' corpus in each backend in turn (a folder; a server KB)."""
    build(kb_location, follow_up=False).close()
    return kb_location


@pytest.fixture()
def client(home):
    with TestClient(create_app(Settings(home=home, local_user="officer"))) as c:
        yield c


def token(client, url="/tracker") -> str:
    m = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(url).text)
    assert m, f"no CSRF token on {url}"
    return m.group(1)


def cli_json(home, *args):
    r = CliRunner().invoke(cli, ["--kb", str(home), *args, "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_search_page_marks_the_query_and_links_each_hit_to_its_page(client):
    q = {"q": "shortage of experienced social workers", "authority": "Devon"}
    r = client.get("/search", params=q)
    assert r.status_code == 200
    hits = client.get("/api/search", params=q).json()["hits"]
    links = re.findall(r'<a href="/documents/([0-9a-f]+)\?q=[^"#]*#page-(\d+)">', r.text)
    assert links and links == [(h["document_id"], str(h["page"])) for h in hits], "each hit opens its document at its page"
    assert "<mark>shortage</mark>" in r.text and "Devon County Council" in r.text
    doc = client.get(f"/documents/{links[0][0]}", params={"q": "shortage"}).text
    assert f'id="page-{links[0][1]}"' in doc and "<mark>shortage</mark>" in doc


def test_document_page_marks_each_record_where_it_stands_and_lists_it(client, home):
    with open_store(home) as s:
        d = s.get_document("devon/2021-03-minutes.txt")
        action = next(a for a in s.records("actions", d["id"]) if a["text"] == UPDATE)
    page = client.get(f"/documents/{d['id'][:8]}").text
    anchor = "rec-" + action["id"].replace(":", "-")
    assert f'<a href="#{anchor}">' in page, "the record is listed beside the text, linked to where it stands"
    mark = re.search(rf'id="{anchor}"(?:></span><mark|)[^>]*class="rec[^"]*rec-actions[^"]*"[^>]*>([^<]+)</mark>',
                     page)
    assert mark and mark.group(1).lower() in UPDATE.lower(), "the action's sentence is marked in the text"
    assert "as extracted" in page and "2021-03" in page


def test_pages_render(client):
    for url, words in [("/tracker", ["Action tracker", UPDATE]), ("/documents", ["Highways maintenance"]),
                       ("/authorities/Devon", ["Devon County Council", "Open and overdue actions", UPDATE, "<polyline",
                                            "children in care rate over time: 72 (2019/20), 70 (March 2021)"]),
                       ("/compare?authority=Devon&authority=Norfolk&topic=family+safeguarding", ["<svg", "Norfolk"]),
                       ("/timeline?authority=Devon&as_of=2026", ["Timeline", "Family Safeguarding Model"]),
                       ("/ingest", ["Ingest papers"]), ("/corrections", ["No corrections yet"]), ("/api", ["/api/search"])]:
        r = client.get(url)
        assert r.status_code == 200, url
        for w in words:
            assert w in r.text, (url, w)
        assert "<script>alert(1)</script>" not in r.text, url


def test_bad_input_is_explained_on_the_page(client):
    r = client.get("/search", params={"q": "care", "since": "2021-02-30"})
    assert r.status_code == 200 and "There is a problem" in r.text and "February 2021 has no day 30" in r.text
    r = client.get("/compare", params={"authority": "Lancs", "topic": "x"})
    assert 'no authority matches' in r.text
    assert client.get("/documents/nosuchdoc").status_code == 404
    assert client.get("/api/documents/nosuchdoc").json()["error"].startswith("no document matches")


def test_api_mirrors_the_cli_json(client, home):
    assert client.get("/api/actions", params={"as_of": AS_OF}).json() == cli_json(home, "actions", "--as-of", AS_OF)
    want = cli_json(home, "compare", "Devon", "Cumbria", "--topic", "family safeguarding", "--as-of", AS_OF)
    got = client.get("/api/compare", params={"authority": ["Devon", "Cumbria"], "topic": "family safeguarding",
                                             "as_of": AS_OF}).json()
    assert got == want
    s = client.get("/api/search", params={"q": "pothole repairs", "limit": 3}).json()
    assert s["query"] == "pothole repairs" and s["hits"][0]["source"] == "devon/2021-05-highways.txt"
    assert {"rank", "score", "document_id", "page", "text", "authority", "meeting_date"} <= set(s["hits"][0])
    doc = client.get(f"/api/documents/{s['hits'][0]['document_id']}").json()
    assert doc["metrics"][0]["value"] == 41000 and doc["blocks"][0]["text"].startswith("Pothole")
    spec = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/actions", "/api/compare", "/api/documents/{key}"} <= set(spec["paths"])


def test_tracker_change_is_a_correction_the_cli_sees_and_undo_takes_it_back(client, home):
    ref = next(a["ref"] for a in cli_json(home, "actions", "--as-of", AS_OF)["actions"] if a["text"] == UPDATE)
    r = client.post(f"/tracker/{ref}", data={"csrf_token": token(client), "status": "done", "note": "presented in May",
                                             "owner": "Director of Children's Services", "due": "", "back": "/tracker"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/tracker?saved=")
    a = next(a for a in cli_json(home, "actions", "--as-of", AS_OF)["actions"] if a["ref"] == ref)
    assert a["status"] == "done" and set(a["set_by_hand"]) == {"status"}, "only what changed is set"
    assert (a["set_by_hand"]["status"]["by"], a["set_by_hand"]["status"]["note"]) == ("officer", "presented in May")
    change = int(r.headers["location"].split("saved=")[1].split("#")[0])
    page = client.get(f"/tracker?saved={change}").text
    assert f'action="/corrections/{change}/undo"' in page and "set by hand" in page
    r = client.post(f"/corrections/{change}/undo", data={"csrf_token": token(client), "back": "/tracker"},
                    follow_redirects=False)
    assert r.status_code == 303
    a = next(a for a in cli_json(home, "actions", "--as-of", AS_OF)["actions"] if a["ref"] == ref)
    assert a["status"] == "overdue" and a["set_by_hand"] is None
    history = cli_json(home, "corrections")
    assert history[0]["by"] == "officer" and history[0]["undone_by"] == "officer"


def test_reject_and_metadata_edits_from_the_document_page(client, home):
    with open_store(home) as s:
        d = s.get_document("devon/2021-05-highways.txt")
        (metric,) = s.records("metrics", d["id"])
    r = client.post(f"/records/{metric['id']}/reject", data={"csrf_token": token(client), "reason": "a heading",
                                                             "back": f"/documents/{d['id']}"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(f"/documents/{d['id']}").text
    assert "<b>rejected</b> by officer: a heading" in page
    assert client.get(f"/api/documents/{d['id']}").json()["metrics"] == []
    r = client.post(f"/documents/{d['id']}/metadata", data={"csrf_token": token(client), "authority": DEVON,
                    "committee": "Children's Scrutiny Committee", "meeting_date": "2021-05-11", "kind": "minutes",
                    "note": "misfiled"}, follow_redirects=False)
    assert r.status_code == 303
    with open_store(home) as s:
        d2 = s.document_by(id=d["id"])
    assert (d2["committee"], d2["meeting_date"]) == ("Children's Scrutiny Committee", "2021-05-11")
    assert d2["metadata_origin"]["committee"] == "hand" and "authority" not in (d2["metadata_origin"] or {})
    r = client.post(f"/documents/{d['id']}/metadata", data={"csrf_token": token(client), "meeting_date": "May 2021",
                                                            "authority": DEVON})
    assert r.status_code == 400 and "cannot read the meeting date" in r.text


def test_a_form_without_its_csrf_token_is_refused(client, home):
    ref = next(a["ref"] for a in cli_json(home, "actions", "--as-of", AS_OF)["actions"])
    for data in ({"status": "done"}, {"status": "done", "csrf_token": "0" * 64}):
        r = client.post(f"/tracker/{ref}", data=data)
        assert r.status_code == 403 and "CSRF" in r.text
    other = TestClient(client.app)  # another visitor's token is not this one's
    r = other.post(f"/tracker/{ref}", data={"status": "done", "csrf_token": token(client)})
    assert r.status_code == 403
    assert cli_json(home, "corrections") == []


@pytest.fixture()
def shared(home):
    with open_store(home) as s:
        add_user(s, "ed", PASSWORD, "editor")
        add_user(s, "vi", PASSWORD, "viewer")
    return create_app(Settings(home=home, sign_in=True))


def sign_in(c: TestClient, name: str, password: str = PASSWORD):
    t = token(c, "/sign-in")
    return c.post("/sign-in", data={"csrf_token": t, "name": name, "password": password, "next": "/tracker"},
                  follow_redirects=False)


def test_on_a_shared_server_people_sign_in_and_viewers_change_nothing(shared, home):
    with TestClient(shared, base_url="https://kb.example.org") as c:
        r = c.get("/tracker", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/sign-in?next=%2Ftracker"
        assert c.get("/api/actions").status_code == 401
        r = sign_in(c, "ed")
        assert r.status_code == 303 and r.headers["location"] == "/tracker"
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
        page = c.get("/tracker").text
        assert "Signed in as <b>ed</b> (editor)" in page and 'class="row-form"' in page
        ref = c.get("/api/actions", params={"as_of": AS_OF}).json()["actions"][0]["ref"]
        r = c.post(f"/tracker/{ref}", data={"csrf_token": token(c), "note": "chased"}, follow_redirects=False)
        assert r.status_code == 303
    assert cli_json(home, "corrections")[0]["by"] == "ed"
    with TestClient(shared, base_url="https://kb.example.org") as c:
        assert sign_in(c, "vi").status_code == 303
        page = c.get("/tracker").text
        assert "(viewer)" in page and 'class="row-form"' not in page
        r = c.post(f"/tracker/{ref}", data={"csrf_token": token(c), "status": "done"})
        assert r.status_code == 403 and "Viewers cannot change anything" in r.text
        c.post("/sign-out", data={"csrf_token": token(c)})
        assert c.get("/tracker", follow_redirects=False).status_code == 303
    assert len(cli_json(home, "corrections")) == 1
    with open_store(home) as s:
        from kb.users import activity

        assert [a["action"] for a in activity(s)][:3] == ["sign-out", "sign-in", "sign-in"]


def test_sign_in_is_rate_limited(shared):
    with TestClient(shared) as c:
        for _ in range(5):
            assert sign_in(c, "ed", "wrong password!").status_code == 401
        r = sign_in(c, "ed")  # the right password, too soon
        assert r.status_code == 429 and "Too many failed attempts" in r.text


def test_serve_refuses_another_address_without_users_and_users_are_added(tmp_path):
    kb = ["--kb", str(tmp_path / "kb")]
    r = CliRunner().invoke(cli, [*kb, "serve", "--host", "0.0.0.0"])
    assert r.exit_code == 1 and "no users" in r.output and "scrutiny users add" in r.output
    r = CliRunner().invoke(cli, [*kb, "serve", "--host", "0.0.0.0", "--no-sign-in"])
    assert r.exit_code == 2
    r = CliRunner().invoke(cli, [*kb, "users", "add", "ann", "--role", "editor", "--password-stdin"], input="short\n")
    assert r.exit_code == 1 and "at least 10 characters" in r.output
    r = CliRunner().invoke(cli, [*kb, "users", "add", "ann", "--role", "editor", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert r.exit_code == 0
    assert "ann" in CliRunner().invoke(cli, [*kb, "users", "list"]).output
    with open_store(tmp_path / "kb") as s:
        (h,) = [r[0] for r in s.db.execute("SELECT password_hash FROM users")]
    assert h.startswith("$2") and PASSWORD not in h


def test_the_app_starts_without_spacy_torch_or_chromadb(home):
    code = f"""
import sys
from fastapi.testclient import TestClient
from reports.web.app import create_app
from reports.web.core import Settings
with TestClient(create_app(Settings(home={str(home)!r}))) as c:
    for url in ("/search", "/tracker", "/documents", "/authorities/Devon"):
        assert c.get(url).status_code == 200, url
    print(sorted({{m.split('.')[0] for m in sys.modules}} & {{"spacy", "torch", "chromadb", "sentence_transformers"}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    # a server KB's vectors are read through the Chroma server's client (the tracker's closeness): chromadb
    # is imported there; an embedded KB reads its numpy copy and never imports it
    assert out.stdout.strip() == ("['chromadb']" if isinstance(home, str) else "[]")


def test_the_original_file_is_served_sandboxed(tmp_path):
    page = tmp_path / "minutes.html"
    page.write_text("<html><body><script>alert(1)</script><p>Minutes</p></body></html>")
    with open_store(tmp_path / "kb") as s:
        put(s, "minutes.html", DEVON, "Cabinet", "2024-01-01", "minutes", "Minutes", [("paragraph", "Minutes", 1, None)])
        s.db.execute("UPDATE documents SET abspath = ?, format = 'html'", (str(page),))
    with TestClient(create_app(Settings(home=tmp_path / "kb"))) as c:
        doc_id = c.get("/api/documents").json()["documents"][0]["id"]
        assert f'href="/documents/{doc_id}/original"' in c.get(f"/documents/{doc_id}").text
        r = c.get(f"/documents/{doc_id}/original")
        assert r.status_code == 200 and r.headers["content-security-policy"] == "sandbox"
        assert r.text == page.read_text()


def test_on_127_0_0_1_only_its_own_names_are_answered(home):
    app = create_app(Settings(home=home, allowed_hosts=("127.0.0.1", "localhost", "::1")))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/search").status_code == 200
    with TestClient(app, base_url="http://rebound.example.com:8000") as c:
        r = c.get("/search")
        assert r.status_code == 400 and "Unknown host" in r.text


MINUTES = ("Minutes of the Children and Young People Scrutiny Committee, Devon County Council, 12 March 2024\n\n"
           "Resolved: That the Director of Children's Services present an update report in six months.\n")


def test_ingest_form_explains_what_is_missing_and_who_may_name_server_folders(client, shared, tmp_path):
    r = client.post("/ingest", data={"csrf_token": token(client, "/ingest"), "path": str(tmp_path / "nowhere")})
    assert r.status_code == 400 and "There is no file or folder" in r.text
    r = client.post("/ingest", data={"csrf_token": token(client, "/ingest")})
    assert r.status_code == 400 and "Choose one or more files" in r.text
    with TestClient(shared) as c:
        sign_in(c, "ed")
        page = c.get("/ingest").text
        assert 'name="files"' in page and 'name="path"' not in page, "an editor uploads; only an admin names folders"
        r = c.post("/ingest", data={"csrf_token": token(c, "/ingest"), "path": str(tmp_path)})
        assert r.status_code == 400 and "Only an admin" in r.text
    with TestClient(shared) as c:
        sign_in(c, "vi")
        r = c.post("/ingest", files={"files": ("m.txt", b"x")}, data={"csrf_token": token(c, "/ingest")})
        assert r.status_code == 403


@pytest.mark.slow
def test_ingest_runs_the_pipeline_and_lists_failures_with_their_reasons(client, home):
    import time

    t = token(client, "/ingest")
    r = client.post("/ingest", data={"csrf_token": t}, follow_redirects=False,
                    files=[("files", ("march-minutes.txt", MINUTES.encode(), "text/plain")),
                           ("files", ("../../broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "application/pdf"))])
    assert r.status_code == 303
    job = r.headers["location"]
    for _ in range(240):
        panel = client.get(job + "/progress").text
        if "Finished" in panel:
            break
        assert "hx-trigger=\"every 1s\"" in panel
        time.sleep(0.5)
    assert "Finished with problems" in panel and "1 ingested" in panel
    assert re.search(r"broken\.pdf</span>: damaged PDF", panel), "the failure is listed with its reason"
    docs = client.get("/api/documents").json()["documents"]
    new = next(d for d in docs if d["source"].endswith("march-minutes.txt"))
    from kb.store import files_home

    assert new["source"].startswith(str(files_home(home) / "uploads")) and "/../" not in new["source"]
    assert "postgresql:" not in new["source"]  # a server KB's uploads go to a real folder, not one named by its URL
    assert client.get(f"/documents/{new['id']}").status_code == 200
    assert "ingest" in client.get("/corrections").text
