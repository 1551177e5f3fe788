"""The curator review web app: server-rendered pages and the JSON API under ``/api/``.

Every request but the login page needs a session; every state-changing request needs the
session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from pipeline.review import auth
from pipeline.review.image import render_region
from pipeline.review.service import (
    ITEM_ID, STAT_EDITABLE, STATUSES, TRIPLE_EDITABLE, Conflict, Filters, Invalid, ReviewError, ReviewService,
)

HERE = Path(__file__).resolve().parent
COOKIE = "review_session"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass(frozen=True)
class AppConfig:
    db_url: str
    cache_dir: Path  # page-region images
    secure_cookies: bool = False  # set behind HTTPS
    login_limit: int = 5
    login_window: float = 300.0


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers (and no-store) to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def wrapped(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, wrapped)


class NeedLogin(Exception):
    pass


class BadCsrf(Exception):
    pass


def create_app(config: AppConfig) -> FastAPI:
    service = ReviewService(config.db_url)
    limiter = auth.LoginLimiter(config.login_limit, config.login_window)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app = FastAPI(title="pipeline review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service, app.state.config = service, config
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    cache_dir = config.cache_dir.resolve()

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(NeedLogin)
    async def _need_login(request: Request, _exc):
        if is_api(request):
            return JSONResponse({"detail": "not logged in"}, status_code=401)
        return RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)

    @app.exception_handler(BadCsrf)
    async def _bad_csrf(request: Request, _exc):
        if is_api(request):
            return JSONResponse({"detail": "missing or invalid CSRF token"}, status_code=403)
        return HTMLResponse("<h1>403</h1><p>Missing or invalid CSRF token. Reload the page.</p>", status_code=403)

    @app.exception_handler(ReviewError)
    async def _review_error(request: Request, exc: ReviewError):
        body = {"detail": str(exc)}
        if isinstance(exc, Conflict):
            body.update(current_version=exc.version, changed_by=exc.updated_by,
                        changed_at=exc.updated_at.isoformat() if exc.updated_at else None)
        return JSONResponse(body, status_code=exc.status)

    def user_of(request: Request) -> auth.User:
        user = auth.session_user(service, request.cookies.get(COOKIE))
        if user is None:
            raise NeedLogin()
        return user

    def admin_of(request: Request) -> auth.User:
        user = user_of(request)
        if not user.is_admin:
            raise HTTPException(403, "admins only")
        return user

    async def checked(request: Request, admin: bool = False) -> tuple[auth.User, dict]:
        """The user of a state-changing request, after its CSRF check, and its form (if any)."""
        user = await run_in_threadpool(admin_of if admin else user_of, request)
        form: dict = {}
        kind = request.headers.get("content-type", "")
        if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            data = await request.form()
            form = {k: data.getlist(k) if k in ("ids",) else data.get(k) for k in data.keys()}
        sent = request.headers.get("x-csrf-token") or form.get("csrf_token")
        if not auth.csrf_ok(user, sent):
            raise BadCsrf()
        return user, form

    def page(request: Request, name: str, user: auth.User | None, status_code: int = 200, **context):
        return templates.TemplateResponse(request, name, {"user": user, **context}, status_code=status_code)

    # ------------------------------------------------------------------ login

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/"):
        return page(request, "login.html", None, next=_safe_next(next), error=None)

    @app.post("/login")
    async def login(request: Request):
        data = await request.form()
        username, password = str(data.get("username") or ""), str(data.get("password") or "")
        wants_json = "application/json" in request.headers.get("accept", "")
        origin = request.headers.get("origin")
        if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
            return JSONResponse({"detail": "cross-origin login refused"}, status_code=403)
        address = request.client.host if request.client else "?"
        wait = limiter.retry_after(address, username)
        if wait:
            message = f"too many failed logins; try again in {wait} s"
            if wants_json:
                return JSONResponse({"detail": message}, status_code=429, headers={"Retry-After": str(wait)})
            return page(request, "login.html", None, status_code=429, next="/", error=message)
        role = await run_in_threadpool(auth.authenticate, service, username, password)
        if role is None:
            limiter.failed(address, username)
            if wants_json:
                return JSONResponse({"detail": "wrong user name or password"}, status_code=401)
            return page(request, "login.html", None, status_code=401, next=_safe_next(str(data.get("next") or "/")),
                        error="Wrong user name or password.")
        limiter.succeeded(username)
        token = await run_in_threadpool(auth.start_session, service, username)
        if wants_json:
            response: Response = JSONResponse({"user": username, "role": role})
        else:
            response = RedirectResponse(_safe_next(str(data.get("next") or "/")), status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=config.secure_cookies,
                            max_age=auth.SESSION_HOURS * 3600, path="/")
        return response

    @app.post("/logout")
    async def logout(request: Request):
        await checked(request)
        await run_in_threadpool(auth.end_session, service, request.cookies.get(COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.get("/api/session")
    def api_session(request: Request):
        user = user_of(request)
        return {"user": user.username, "role": user.role, "csrf_token": user.csrf_token}

    # ------------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request):
        user = user_of(request)
        return page(request, "index.html", user, documents=service.documents())

    @app.get("/documents/{doc_key}", response_class=HTMLResponse)
    def document_page(request: Request, doc_key: str, drug: str = "", target: str = "", outcome: str = "",
                      status: str = "", rule: str = "", confidence: str = "", source: str = "", page: str = ""):
        user = user_of(request)
        return _document_page(request, user, doc_key, dict(drug=drug, target=target, outcome=outcome,
                                                             status=status, rule=rule, confidence=confidence,
                                                             source=source, page=page))

    def _document_page(request, user, doc_key, query: dict, message: str | None = None,
                       status_code: int = 200, focus: str | None = None):
        row = service.document_row(doc_key)
        if row is None:
            raise HTTPException(404, "no such document")
        filters = _filters(doc_key, query)
        items = service.items(filters, with_highlights=True)
        unfiltered = filters == Filters(doc=doc_key)
        everything = items if unfiltered else service.items(Filters(doc=doc_key))
        counts = {s: 0 for s in STATUSES}
        orphaned = 0
        for item in everything:
            if item.orphaned:
                orphaned += 1
            else:
                counts[item.status] += 1
        rules = sorted({i.original.get("rule") for i in everything if i.original.get("rule")})
        ordered = ([i for i in items if i.kind in ("statement", "added") and not i.orphaned]
                   + [i for i in items if i.kind == "stat" and not i.orphaned] + [i for i in items if i.orphaned])
        pages = max(1, -(-len(ordered) // PER_PAGE))
        try:
            number = min(max(1, int(query.get("page") or 1)), pages)
        except ValueError:
            number = 1
        shown = ordered[(number - 1) * PER_PAGE: number * PER_PAGE]
        statements = [i for i in shown if i.kind in ("statement", "added") and not i.orphaned]
        stats = [i for i in shown if i.kind == "stat" and not i.orphaned]
        orphans = [i for i in shown if i.orphaned]
        query = {k: v for k, v in query.items() if v}
        qs = urlencode({**query, "page": number} if number > 1 else query)
        links = {n: urlencode({**query, "page": n}) for n in range(1, pages + 1)}
        return page(request, "document.html", user, status_code=status_code, doc=row, query=query,
                    statements=statements, stats=stats, orphans=orphans, counts=counts, orphaned=orphaned,
                    qs=qs, page_number=number, pages=pages, page_links=links, n_matching=len(ordered),
                    rules=rules, statuses=STATUSES, message=message, focus=focus,
                    triple_fields=TRIPLE_EDITABLE, stat_fields=STAT_EDITABLE,
                    all_ids=[i.id for i in everything if i.kind != "stat" and not i.orphaned])

    @app.post("/documents/{doc_key}/decide", response_class=HTMLResponse)
    async def decide_form(request: Request, doc_key: str):
        user, form = await checked(request)
        item_id = str(form.get("item_id") or "")
        action = str(form.get("action") or "")
        fields = None
        if action == "edit":
            fields = _form_fields(form)
        try:
            version = int(form.get("version") or -1)
            await run_in_threadpool(service.decide, item_id, user.username, action, version, fields,
                                    form.get("reason"), form.get("into"))
        except ValueError:
            return await run_in_threadpool(_document_page, request, user, doc_key, _query(form),
                                           "Bad version number.", 422)
        except Conflict as exc:
            return await run_in_threadpool(_document_page, request, user, doc_key, _query(form), str(exc), 409,
                                           item_id)
        except ReviewError as exc:
            return await run_in_threadpool(_document_page, request, user, doc_key, _query(form), str(exc),
                                           exc.status, item_id)
        return RedirectResponse(f"/documents/{doc_key}?{urlencode(_query(form))}#item-{item_id}", status_code=303)

    @app.post("/documents/{doc_key}/bulk", response_class=HTMLResponse)
    async def bulk_form(request: Request, doc_key: str):
        user, form = await checked(request)
        action = str(form.get("action") or "")
        problems = []
        for item_id in form.get("ids") or []:
            try:
                version = int(form.get(f"v_{item_id}") or -1)
                await run_in_threadpool(service.decide, item_id, user.username, action, version, None,
                                        form.get("reason"))
            except (ReviewError, ValueError) as exc:
                problems.append(f"{item_id}: {exc}")
        if problems:
            status = 409 if any("was changed by" in p for p in problems) else 422
            return await run_in_threadpool(_document_page, request, user, doc_key, _query(form),
                                           " | ".join(problems), status)
        return RedirectResponse(f"/documents/{doc_key}?{urlencode(_query(form))}", status_code=303)

    @app.post("/documents/{doc_key}/add", response_class=HTMLResponse)
    async def add_form(request: Request, doc_key: str):
        user, form = await checked(request)
        fields = _form_fields(form, for_add=True)
        fields["doc"] = doc_key
        try:
            item = await run_in_threadpool(service.add_statement, user.username, fields)
        except ReviewError as exc:
            return await run_in_threadpool(_document_page, request, user, doc_key, {}, str(exc), exc.status)
        return RedirectResponse(f"/documents/{doc_key}#item-{item.id}", status_code=303)

    @app.get("/items/{item_id}/image.png")
    def item_image(request: Request, item_id: str):
        user_of(request)
        if not ITEM_ID.match(item_id):
            raise HTTPException(404, "no such item")
        item = service.item(item_id)
        row = service.document_row(item.doc_key) if item.doc_key else None
        page_no = item.current.get("page")
        if not row or row["source_type"] != "pdf" or not page_no:
            raise HTTPException(404, "no page image for this item")
        target = (cache_dir / f"{item_id}.png").resolve()
        if not target.is_relative_to(cache_dir):  # the id pattern already forbids it; belt and braces
            raise HTTPException(404, "no such item")
        if not target.exists():
            source = Path(row["source_path"])
            if not source.is_file():
                raise HTTPException(404, f"the source PDF {source.name} is no longer at {source.parent}")
            try:
                render_region(source, int(page_no), item.current.get("evidence") or "", target)
            except ValueError as exc:
                raise HTTPException(404, str(exc)) from exc
        return FileResponse(target, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    @app.get("/admin", response_class=HTMLResponse)
    def admin_page(request: Request):
        user = admin_of(request)
        return page(request, "admin.html", user, users=auth.list_users(service), agreement=service.agreement(),
                    message=None)

    @app.post("/admin/users", response_class=HTMLResponse)
    async def admin_add_user(request: Request):
        user, form = await checked(request, admin=True)
        try:
            await run_in_threadpool(auth.add_user, service, str(form.get("username") or ""),
                                    str(form.get("password") or ""), str(form.get("role") or ""))
        except auth.AccountError as exc:
            return page(request, "admin.html", user, status_code=422, users=auth.list_users(service),
                        agreement=service.agreement(), message=str(exc))
        return RedirectResponse("/admin", status_code=303)

    # ------------------------------------------------------------------ JSON API

    @app.get("/api/documents")
    def api_documents(request: Request):
        user_of(request)
        return service.documents()

    @app.get("/api/statements")
    def api_statements(request: Request, doc: str = "", status: str = "", drug: str = "", target: str = "",
                       outcome: str = "", rule: str = "", confidence: str = "", source: str = ""):
        user_of(request)
        filters = _filters(doc or None, dict(status=status, drug=drug, target=target, outcome=outcome,
                                            rule=rule, confidence=confidence, source=source))
        return [i.as_json() for i in service.items(filters)]

    @app.get("/api/statements/{item_id}")
    def api_statement(request: Request, item_id: str):
        user_of(request)
        return service.item(item_id).as_json()

    @app.post("/api/statements/{item_id}/decision")
    async def api_decision(request: Request, item_id: str):
        user, _ = await checked(request)
        body = await _json(request)
        item = await run_in_threadpool(service.decide, item_id, user.username, body.get("decision"),
                                       body.get("version"), body.get("fields"), body.get("reason"),
                                       body.get("into"))
        return item.as_json()

    @app.post("/api/statements", status_code=201)
    async def api_add(request: Request):
        user, _ = await checked(request)
        body = await _json(request)
        fields = body.get("fields", body)
        item = await run_in_threadpool(service.add_statement, user.username, fields)
        return item.as_json()

    @app.get("/api/audit")
    def api_audit(request: Request, statement: str = "", doc: str = ""):
        user_of(request)
        return service.audit(statement or None, doc or None)

    @app.get("/api/agreement")
    def api_agreement(request: Request):
        admin_of(request)
        return service.agreement()

    @app.get("/api/users")
    def api_users(request: Request):
        admin_of(request)
        return auth.list_users(service)

    @app.post("/api/users", status_code=201)
    async def api_add_user(request: Request):
        await checked(request, admin=True)
        body = await _json(request)
        try:
            await run_in_threadpool(auth.add_user, service, str(body.get("username") or ""),
                                    str(body.get("password") or ""), str(body.get("role") or ""))
        except auth.AccountError as exc:
            raise Invalid(str(exc)) from exc
        return {"username": body.get("username"), "role": body.get("role")}

    @app.get("/api/export")
    def api_export(request: Request):
        """Everything: every item with its state, and the whole audit trail (admins only)."""
        admin_of(request)
        return {"items": [i.as_json() for i in service.items()], "audit": service.audit(limit=10**9)}

    app.add_middleware(SecurityHeaders)
    return app


async def _json(request: Request) -> dict:
    try:
        body = json.loads(await request.body() or b"{}")
    except json.JSONDecodeError as exc:
        raise Invalid(f"the body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise Invalid("the body must be a JSON object")
    return body


def _safe_next(value: str) -> str:
    """Only same-site paths: no scheme, no host, no '//' (open redirect)."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


QUERY_KEYS = ("drug", "target", "outcome", "status", "rule", "confidence", "source", "page")
PER_PAGE = 25


def _query(form: dict) -> dict:
    """The queue's filters and page, sent back by a form as one url-encoded field ``q``."""
    from urllib.parse import parse_qs

    parsed = parse_qs(str(form.get("q") or ""))
    return {k: parsed[k][0] for k in QUERY_KEYS if parsed.get(k)}


def _filters(doc: str | None, query: dict) -> Filters:
    try:
        confidence = float(query["confidence"]) if query.get("confidence") else None
    except ValueError:
        raise Invalid(f"confidence must be a number, not {query['confidence']!r}") from None
    return Filters(doc=doc, drug=query.get("drug") or None, target=query.get("target") or None,
                   outcome=query.get("outcome") or None, status=query.get("status") or None,
                   rule=query.get("rule") or None, min_confidence=confidence,
                   source=query.get("source") or None)


def _form_fields(form: dict, for_add: bool = False) -> dict:
    """Fields from ``f_<name>`` inputs; an edit sends only the fields that changed."""
    fields = {}
    for key, value in form.items():
        if not key.startswith("f_"):
            continue
        name, value = key[2:], (value or "").strip() if isinstance(value, str) else value
        if not for_add and form.get(f"o_{name}") == value:
            continue  # unchanged
        if name == "combined_with":
            value = [v.strip() for v in value.split(",") if v.strip()] if value else []
        elif name in ("hedged", "negated"):
            value = value == "true"
        fields[name] = value
    return fields
