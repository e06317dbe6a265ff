"""The web workspace's application: the routers of each page wired to one knowledge base.

    from reports.web.app import create_app
    app = create_app(Settings(home=Path("demo-kb")))   # then: uvicorn.run(app)

Light to import: spaCy, torch and chromadb never load here; search loads its model on first use.
"""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from reports.web import api, auth, compare, ingest, pages, tracker
from reports.web.core import WEB, Settings, WebKB, environment, render


def create_app(settings: Settings) -> FastAPI:
    kb = WebKB(settings.home)

    @asynccontextmanager
    async def lifespan(app):
        yield
        kb.close()

    app = FastAPI(title="Scrutiny KB", summary="The knowledge base's JSON API (the CLI's JSON shapes).",
                  version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json", lifespan=lifespan)
    app.state.settings = settings
    app.state.kb = kb
    app.state.env = environment(kb)
    app.state.jobs = ingest.Jobs(settings.home)
    app.state.limiter = auth.SignInLimiter()
    app.middleware("http")(auth.identify)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    for r in (auth.router, pages.router, tracker.router, tracker.writes, compare.router, ingest.router,
              ingest.writes, api.router):
        app.include_router(r)
    app.get("/api", include_in_schema=False)(api_page)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _bad_request)
    return app


def api_page(request: Request):
    """The API described for people: each path of the OpenAPI document with its parameters."""
    spec = request.app.openapi()
    paths = [{"path": p, "summary": op.get("summary") or "", "params": [x["name"] for x in op.get("parameters", [])]}
             for p, ops in spec["paths"].items() for op in ops.values() if p.startswith("/api/")]
    return render(request, "api.html", title="JSON API", paths=paths)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _http_error(request: Request, exc: HTTPException):
    if _wants_json(request):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    titles = {403: "Not allowed", 404: "Not found", 400: "Cannot do that", 409: "Busy", 413: "Too large"}
    return render(request, "error.html", status_code=exc.status_code, title=titles.get(exc.status_code, "Error"),
                  message=str(exc.detail), back=None)


async def _bad_request(request: Request, exc: RequestValidationError):
    problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
    if _wants_json(request):
        return JSONResponse({"error": problems}, status_code=400)
    return render(request, "error.html", status_code=400, title="Cannot do that", message=problems, back=None)
