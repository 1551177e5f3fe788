"""Review logic on the store: items to review, their state, decisions and the audit trail.

An *item* is an extracted statement (``tri_…``), an extracted trial statistic (``sta_…``) or a
statement a curator added (``add_…``). Its review state lives in ``review_state`` keyed by the
stable item id, so re-extraction never overwrites a decision; a decision whose item no longer
appears is *orphaned* and still shown. Every change appends one ``review_audit`` row.

Writes use optimistic concurrency: a decision names the version it saw, and a stale version
raises :class:`Conflict` naming who changed the item. On SQLite the write transaction starts with
``BEGIN IMMEDIATE`` (one writer at a time, no lock upgrade failures); on PostgreSQL the state row
is read ``FOR UPDATE`` and a concurrent first insert fails on the primary key.
"""

from __future__ import annotations

import bisect
import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import NamedTuple

from pydantic import ValidationError
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pipeline.records import Document, TrialStat, Triple
from pipeline.review.models import ReviewAuditRow, ReviewStateRow
from pipeline.store.models import Base, DocumentRow, MentionRow, StatementRow, TrialStatRow
from pipeline.store.repository import connect

ITEM_ID = re.compile(r"^(tri|sta|add)_[0-9a-f]{16}$")
STATUSES = ("to_review", "accepted", "rejected", "edited", "added", "merged")
ACTIONS = ("accept", "reject", "edit", "merge")
# Fields a curator may change. Evidence and offsets stay: they are what the statement is about.
TRIPLE_EDITABLE = ("drug", "drug_id", "combined_with", "target", "target_id", "interaction", "outcome",
                   "effect", "context", "hedged", "negated")
STAT_EDITABLE = ("study", "phase", "drug", "combined_with", "comparator", "n", "measure", "value", "unit",
                 "comparator_value", "hr", "ci_low", "ci_high", "p_value", "dose", "disease")
ROLE_LABELS = {"drug": ("DRUG",), "target": ("GENE_OR_PROTEIN",), "outcome": ("OUTCOME", "DISEASE")}


class ReviewError(Exception):
    """A request the service refuses; ``status`` is the HTTP status to answer with."""

    status = 400


class NotFound(ReviewError):
    status = 404


class Invalid(ReviewError):
    status = 422


class Conflict(ReviewError):
    """A stale write: someone else changed the item since the version the caller saw."""

    status = 409

    def __init__(self, item_id: str, version: int, updated_by: str | None, updated_at: datetime | None):
        who = updated_by or "someone"
        super().__init__(f"{item_id} was changed by {who} (now version {version}); reload and try again")
        self.item_id, self.version, self.updated_by, self.updated_at = item_id, version, updated_by, updated_at


@dataclass
class Item:
    """One reviewable item with its current state, ready for a page or a JSON answer."""

    id: str
    doc: str
    doc_key: str | None
    kind: str  # statement | stat | added
    original: dict  # the extractor's fields (for an added statement: the curator's)
    status: str = "to_review"
    edits: dict = field(default_factory=dict)
    reason: str | None = None
    version: int = 0
    updated_by: str | None = None
    updated_at: datetime | None = None
    orphaned: bool = False
    source: str = "text"  # text | table | caption
    highlights: list[tuple[str, str | None]] = field(default_factory=list)  # (text, role or None)

    @property
    def current(self) -> dict:
        return {**self.original, **self.edits}

    def as_json(self) -> dict:
        return {
            "id": self.id, "doc": self.doc, "doc_key": self.doc_key, "kind": self.kind,
            "status": self.status, "version": self.version, "reason": self.reason,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "orphaned": self.orphaned, "source": self.source, "fields": self.current,
            "edits": self.edits,
            # The extractor's values, when a curator changed some (else they are ``fields``).
            "original": self.original if self.edits else None,
        }


class Span(NamedTuple):
    """A stored mention: offsets into the document text, its text, label and canonical name."""

    start: int
    end: int
    text: str
    label: str
    canonical: str


@dataclass(frozen=True)
class Filters:
    """Queue filters. Text filters match case-insensitively anywhere in the field."""

    doc: str | None = None
    drug: str | None = None
    target: str | None = None
    outcome: str | None = None
    status: str | None = None
    rule: str | None = None
    min_confidence: float | None = None
    source: str | None = None


def _sqlite_write_engine(db_url: str) -> Engine:
    engine = create_engine(db_url, future=True)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@lru_cache(maxsize=8)
def _engines(db_url: str) -> tuple[Engine, Engine]:
    read = connect(db_url)
    Base.metadata.create_all(read)  # the review tables, if the pipeline created the database
    write = _sqlite_write_engine(db_url) if read.dialect.name == "sqlite" else read
    return read, write


class ReviewService:
    """All review reads and writes on one database."""

    def __init__(self, db_url: str):
        self.db_url = db_url
        self.engine, self.write_engine = _engines(db_url)

    # ------------------------------------------------------------------ documents

    def documents(self) -> list[dict]:
        """Every stored document version with its review counts."""
        with Session(self.engine) as session:
            docs = session.execute(select(
                DocumentRow.key, DocumentRow.doc_id, DocumentRow.source_type, DocumentRow.title,
                DocumentRow.n_pages).order_by(DocumentRow.doc_id, DocumentRow.source_type)).all()
            items: dict[str, list[str]] = defaultdict(list)
            for model in (StatementRow, TrialStatRow):
                for item_id, doc_key in session.execute(select(model.id, model.doc_key)):
                    items[doc_key].append(item_id)
            states = {s.item_id: s for s in session.scalars(select(ReviewStateRow))}
        present = {i for ids in items.values() for i in ids}
        per_doc_extra: dict[str, Counter] = defaultdict(Counter)
        for state in states.values():
            if state.kind == "added":
                per_doc_extra[state.doc]["added"] += 1
            elif state.item_id not in present:
                per_doc_extra[state.doc]["orphaned"] += 1
        out = []
        for key, doc_id, source_type, title, n_pages in docs:
            counts = Counter({s: 0 for s in STATUSES})
            for item_id in items.get(key, []):
                state = states.get(item_id)
                counts[state.status if state else "to_review"] += 1
            out.append({"key": key, "doc": doc_id, "source_type": source_type, "title": title,
                        "n_pages": n_pages, "total": len(items.get(key, [])), "counts": dict(counts),
                        "added": per_doc_extra[doc_id]["added"],
                        "orphaned": per_doc_extra[doc_id]["orphaned"]})
        return out

    def document(self, doc_key: str) -> Document | None:
        with Session(self.engine) as session:
            row = session.get(DocumentRow, doc_key)
            return Document.model_validate(row.document) if row else None

    def document_row(self, doc_key: str) -> dict | None:
        with Session(self.engine) as session:
            row = session.execute(select(DocumentRow.key, DocumentRow.doc_id, DocumentRow.source_type,
                                         DocumentRow.source_path, DocumentRow.title)
                                  .where(DocumentRow.key == doc_key)).first()
            return dict(row._mapping) if row else None

    # ------------------------------------------------------------------ items

    def items(self, filters: Filters = Filters(), with_highlights: bool = False) -> list[Item]:
        """Items matching ``filters`` (all bound parameters: filter values never become SQL)."""
        doc = filters.doc
        by_key = doc is not None and "@" in doc
        with Session(self.engine) as session:
            query = select(StatementRow)
            stat_query = select(TrialStatRow)
            if doc:
                query = query.where((StatementRow.doc_key if by_key else StatementRow.doc) == doc)
                stat_query = stat_query.where((TrialStatRow.doc_key if by_key else TrialStatRow.doc) == doc)
            for name in ("drug", "target", "outcome"):
                value = getattr(filters, name)
                if value:
                    query = query.where(func.lower(getattr(StatementRow, name)).contains(value.lower(),
                                                                                          autoescape=True))
            if filters.rule:
                query = query.where(StatementRow.rule == filters.rule)
                stat_query = stat_query.where(TrialStatRow.rule == filters.rule)
            if filters.min_confidence is not None:
                query = query.where(StatementRow.confidence >= filters.min_confidence)
            rows = list(session.scalars(query.order_by(StatementRow.doc, StatementRow.start, StatementRow.id)))
            # Statistics have no target, outcome or confidence: a filter on those leaves them out.
            stat_rows = [] if (filters.target or filters.outcome or filters.min_confidence is not None) else list(
                session.scalars(stat_query.order_by(TrialStatRow.doc, TrialStatRow.id)))
            state_query = select(ReviewStateRow)
            if doc:
                doc_id = doc.split("@", 1)[0]
                state_query = state_query.where(ReviewStateRow.doc == doc_id)
            states = {s.item_id: s for s in session.scalars(state_query)}
            captions = self._captions(session, {r.doc_key for r in rows}) if rows else {}
            mentions = self._mentions(session, {r.doc_key for r in rows}) if with_highlights and rows else {}

        fields = list(Triple.model_fields)
        items: list[Item] = []
        seen: set[str] = set()
        for row in rows:
            original = {f: getattr(row, f) for f in fields}
            item = Item(id=row.id, doc=row.doc, doc_key=row.doc_key, kind="statement", original=original)
            # The extractor records where a statement came from; older rows are inferred.
            item.source = (original.get("source") if original.get("source") in ("table", "caption")
                           else _source(original, captions.get(row.doc_key, ())))
            items.append(item)
            seen.add(row.id)
        for row in stat_rows:
            stat = TrialStat.model_validate(row.record)
            if filters.drug and filters.drug.lower() not in (stat.drug or "").lower():
                continue
            items.append(Item(id=row.id, doc=row.doc, doc_key=row.doc_key, kind="stat",
                              original=stat.model_dump(mode="json"), source=stat.source))
            seen.add(row.id)
        for state in states.values():
            if state.item_id in seen:
                continue
            if state.kind == "added":
                item = Item(id=state.item_id, doc=state.doc, doc_key=state.fields.get("doc_key"),
                            kind="added", original=dict(state.fields.get("statement", {})))
            else:
                item = Item(id=state.item_id, doc=state.doc, doc_key=None, kind=state.kind,
                            original=dict(state.fields.get("original", {})), orphaned=True)
            if by_key and item.doc_key not in (None, doc):
                continue
            if not _matches_text(item.current, filters):
                continue
            items.append(item)
        for item in items:
            state = states.get(item.id)
            if state is not None:
                _apply_state(item, state)
        items = [i for i in items if _matches_rest(i, filters)]
        if with_highlights:
            for item in items:
                item.highlights = highlight(item.current, mentions.get(item.doc_key, []))
        return items

    def item(self, item_id: str, with_highlights: bool = False) -> Item:
        if not ITEM_ID.match(item_id):
            raise NotFound(f"no item {item_id!r}")
        with Session(self.engine) as session:
            row = session.execute(select(StatementRow).where(StatementRow.id == item_id)).scalars().first()
            stat = session.execute(select(TrialStatRow).where(TrialStatRow.id == item_id)).scalars().first()
            state = session.get(ReviewStateRow, item_id)
            mentions = self._mentions(session, {row.doc_key}) if row and with_highlights else {}
            captions = self._captions(session, {row.doc_key}) if row else {}
        if row is not None:
            original = {f: getattr(row, f) for f in Triple.model_fields}
            item = Item(id=row.id, doc=row.doc, doc_key=row.doc_key, kind="statement", original=original,
                        source=_source(original, captions.get(row.doc_key, ())))
        elif stat is not None:
            record = TrialStat.model_validate(stat.record)
            item = Item(id=stat.id, doc=stat.doc, doc_key=stat.doc_key, kind="stat",
                        original=record.model_dump(mode="json"), source=record.source)
        elif state is not None and state.kind == "added":
            item = Item(id=item_id, doc=state.doc, doc_key=state.fields.get("doc_key"), kind="added",
                        original=dict(state.fields.get("statement", {})))
        elif state is not None:
            item = Item(id=item_id, doc=state.doc, doc_key=None, kind=state.kind,
                        original=dict(state.fields.get("original", {})), orphaned=True)
        else:
            raise NotFound(f"no item {item_id!r}")
        if state is not None:
            _apply_state(item, state)
        if with_highlights:
            item.highlights = highlight(item.current, mentions.get(item.doc_key, []))
        return item

    @staticmethod
    def _mentions(session: Session, doc_keys: set[str]) -> dict[str, list[Span]]:
        out: dict[str, list[Span]] = defaultdict(list)
        query = (select(MentionRow.doc_key, MentionRow.start, MentionRow.end, MentionRow.text, MentionRow.label,
                        MentionRow.canonical)
                 .where(MentionRow.doc_key.in_(doc_keys)).order_by(MentionRow.start))
        for doc_key, *span in session.execute(query):
            out[doc_key].append(Span(*span))
        return out

    @staticmethod
    def _captions(session: Session, doc_keys: set[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, document in session.execute(select(DocumentRow.key, DocumentRow.document)
                                             .where(DocumentRow.key.in_(doc_keys))):
            out[key] = [_norm(c.get("text", "")) for c in document.get("captions", []) if c.get("text")]
        return out

    # ------------------------------------------------------------------ decisions

    def decide(self, item_id: str, username: str, action: str, version: int, fields: dict | None = None,
               reason: str | None = None, into: str | None = None) -> Item:
        """Apply one decision; raises Conflict when ``version`` is stale."""
        if action not in ACTIONS:
            raise Invalid(f"unknown decision {action!r} (accept, reject, edit or merge)")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise Invalid("version must be a non-negative integer")
        item = self.item(item_id)
        reason = (reason or "").strip() or None
        if action == "reject" and not reason:
            raise Invalid("a rejection needs a reason")
        edits = dict(item.edits)
        if action == "edit":
            edits.update(self._validated_edits(item, fields))
        if action == "merge":
            if not into or into == item_id:
                raise Invalid("merge needs the id of the statement this one duplicates ('into')")
            target = self.item(into)
            if target.doc != item.doc:
                raise Invalid("only statements of one document can be merged")
            reason = f"duplicate of {into}" + (f": {reason}" if reason else "")
        status = {"accept": "accepted", "reject": "rejected", "edit": "edited", "merge": "merged"}[action]
        if item.kind == "added" and action == "edit":
            status = "added"
        self._write(item, username, action, version, status, edits, reason)
        return self.item(item_id)

    def _validated_edits(self, item: Item, fields: dict | None) -> dict:
        if not isinstance(fields, dict) or not fields:
            raise Invalid("an edit needs 'fields'")
        editable = STAT_EDITABLE if item.kind == "stat" else TRIPLE_EDITABLE
        unknown = sorted(set(fields) - set(editable))
        if unknown:
            raise Invalid(f"fields that cannot be edited: {', '.join(unknown)}")
        cleaned = {k: (None if v == "" else v) for k, v in fields.items()}
        model = TrialStat if item.kind == "stat" else Triple
        try:
            checked = model.model_validate({**item.current, **cleaned}).model_dump(mode="json")
        except ValidationError as exc:
            raise Invalid("invalid fields: " + "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from exc
        return {k: checked[k] for k in cleaned}

    def _write(self, item: Item, username: str, action: str, version: int, status: str, edits: dict,
               reason: str | None, original_for_state: dict | None = None) -> None:
        now = datetime.now(timezone.utc)
        try:
            with Session(self.write_engine) as session, session.begin():
                query = select(ReviewStateRow).where(ReviewStateRow.item_id == item.id)
                if self.write_engine.dialect.name != "sqlite":
                    query = query.with_for_update()
                state = session.execute(query).scalars().first()
                current = state.version if state else 0
                if current != version:
                    raise Conflict(item.id, current, state.updated_by if state else None,
                                   state.updated_at if state else None)
                before = _snapshot(state) if state else None
                if state is None:
                    stored = {"original": item.original} if item.kind != "added" else {}
                    state = ReviewStateRow(item_id=item.id, doc=item.doc, kind=item.kind, fields=stored)
                    session.add(state)
                if item.kind == "added":
                    state.fields = {**state.fields, **(original_for_state or {}),
                                    "statement": {**state.fields.get("statement", {}), **edits}}
                else:
                    state.fields = {"original": item.original, "edits": edits}
                state.status, state.reason = status, reason
                state.version, state.updated_by, state.updated_at = version + 1, username, now
                session.add(ReviewAuditRow(item_id=item.id, doc=item.doc, username=username, action=action,
                                           before=before, after=_snapshot(state), reason=reason,
                                           version=version + 1, at=now))
        except IntegrityError as exc:  # a concurrent first write of the same item (PostgreSQL)
            with Session(self.engine) as session:
                state = session.get(ReviewStateRow, item.id)
            raise Conflict(item.id, state.version if state else 0, state.updated_by if state else None,
                           state.updated_at if state else None) from exc

    def add_statement(self, username: str, fields: dict) -> Item:
        """A statement the extractor missed, with its evidence, in a stored document."""
        if not isinstance(fields, dict):
            raise Invalid("fields must be an object")
        doc = fields.get("doc")
        evidence = (fields.get("evidence") or "").strip()
        if not doc or not evidence:
            raise Invalid("an added statement needs 'doc' and 'evidence'")
        with Session(self.engine) as session:
            keys = list(session.scalars(select(DocumentRow.key).where(
                (DocumentRow.doc_id == doc) | (DocumentRow.key == doc)).order_by(DocumentRow.key)))
        if not keys:
            raise Invalid(f"no document {doc!r}")
        doc_key = keys[0] if "@" not in doc else doc
        document = self.document(doc_key)
        allowed = set(TRIPLE_EDITABLE) | {"doc", "evidence", "section", "page"}
        unknown = sorted(set(fields) - allowed)
        if unknown:
            raise Invalid(f"unknown fields: {', '.join(unknown)}")
        data = {k: (None if v == "" else v) for k, v in fields.items()}
        data.update(doc=document.doc_id, evidence=evidence, rule="curator", confidence=1.0)
        start = document.text.find(evidence)
        if start >= 0:
            data.update(start=start, end=start + len(evidence))
            data.setdefault("page", document.page_at(start))
            data.setdefault("section", document.section_at(start))
        if not any(data.get(k) for k in ("drug", "target", "outcome")):
            raise Invalid("an added statement needs at least a drug, a target or an outcome")
        try:
            triple = Triple.model_validate(data)
        except ValidationError as exc:
            raise Invalid("invalid fields: " + "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from exc
        item_id = f"add_{uuid.uuid4().hex[:16]}"
        statement = triple.model_dump(mode="json")
        item = Item(id=item_id, doc=document.doc_id, doc_key=doc_key, kind="added", original={})
        self._write(item, username, "add", 0, "added", statement, None,
                    original_for_state={"doc_key": doc_key})
        return self.item(item_id)

    # ------------------------------------------------------------------ audit and agreement

    def audit(self, item_id: str | None = None, doc: str | None = None, limit: int = 1000) -> list[dict]:
        query = select(ReviewAuditRow).order_by(ReviewAuditRow.id)
        if item_id:
            query = query.where(ReviewAuditRow.item_id == item_id)
        if doc:
            query = query.where(ReviewAuditRow.doc == doc)
        with Session(self.engine) as session:
            rows = list(session.scalars(query.limit(limit)))
        return [{"id": r.id, "item_id": r.item_id, "statement": r.item_id, "doc": r.doc, "user": r.username,
                 "action": r.action, "before": r.before, "after": r.after, "reason": r.reason,
                 "version": r.version, "at": r.at.isoformat()} for r in rows]

    def audit_count(self) -> int:
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(ReviewAuditRow)) or 0

    def agreement(self) -> list[dict]:
        """Cohen's kappa for each pair of curators on the items both decided, per document.

        A curator's label for an item is their last decision on it: accept and edit count as
        "keep" (the statement is right, perhaps after a correction), reject and merge as "drop".
        """
        with Session(self.engine) as session:
            rows = session.execute(select(ReviewAuditRow.doc, ReviewAuditRow.item_id, ReviewAuditRow.username,
                                          ReviewAuditRow.action)
                                   .where(ReviewAuditRow.action.in_(ACTIONS))
                                   .order_by(ReviewAuditRow.id)).all()
        labels: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        for doc, item_id, user, action in rows:
            labels[doc][user][item_id] = "keep" if action in ("accept", "edit") else "drop"
        out = []
        for doc, by_user in sorted(labels.items()):
            users = sorted(by_user)
            for i, a in enumerate(users):
                for b in users[i + 1:]:
                    common = sorted(set(by_user[a]) & set(by_user[b]))
                    if not common:
                        continue
                    pairs = [(by_user[a][k], by_user[b][k]) for k in common]
                    out.append({"doc": doc, "curator_a": a, "curator_b": b, "n": len(pairs),
                                "agreement": sum(x == y for x, y in pairs) / len(pairs),
                                "kappa": cohen_kappa(pairs)})
        return out


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels; None when chance agreement is total (one label only)."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    count_a = Counter(a for a, _ in pairs)
    count_b = Counter(b for _, b in pairs)
    expected = sum(count_a[k] * count_b[k] for k in set(count_a) | set(count_b)) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def _snapshot(state: ReviewStateRow) -> dict:
    edits = state.fields.get("statement") if state.kind == "added" else state.fields.get("edits", {})
    return {"status": state.status, "fields": edits or {}, "reason": state.reason, "version": state.version,
            "by": state.updated_by}


def _apply_state(item: Item, state: ReviewStateRow) -> None:
    item.status, item.reason, item.version = state.status, state.reason, state.version
    item.updated_by, item.updated_at = state.updated_by, state.updated_at
    if item.kind != "added":
        item.edits = dict(state.fields.get("edits", {}))


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _source(fields: dict, captions) -> str:
    if fields.get("start") is None:
        return "table"
    evidence = _norm(fields.get("evidence") or "")
    if evidence and any(evidence in c or c in evidence for c in captions if c):
        return "caption"
    return "text"


def _matches_text(fields: dict, filters: Filters) -> bool:
    for name in ("drug", "target", "outcome"):
        value = getattr(filters, name)
        if value and value.lower() not in str(fields.get(name) or "").lower():
            return False
    if filters.rule and fields.get("rule") != filters.rule:
        return False
    if filters.min_confidence is not None and float(fields.get("confidence") or 0) < filters.min_confidence:
        return False
    return True


def _matches_rest(item: Item, filters: Filters) -> bool:
    if filters.status:
        wanted = filters.status
        if wanted == "orphaned":
            return item.orphaned
        if item.status != wanted:
            return False
    if filters.source and item.source != filters.source:
        return False
    return True


def highlight(fields: dict, mentions: list[Span]) -> list[tuple[str, str | None]]:
    """The evidence split into (text, role) pieces, role being drug/target/outcome or None.

    Spans come from the stored mention offsets inside the statement's offsets; a mention is used
    only when the evidence really holds its text at that offset. When no mention fits a field
    (an added statement, a table row), the field's text is looked up in the evidence instead.
    """
    evidence = fields.get("evidence") or ""
    start = fields.get("start")
    spans: list[tuple[int, int, str]] = []
    if start is not None and mentions:  # mentions are sorted by start: take those inside the evidence
        lo = bisect.bisect_left(mentions, start, key=lambda m: m.start)
        hi = bisect.bisect_left(mentions, start + len(evidence), key=lambda m: m.start)
        mentions = mentions[lo:hi]
    for role in ("drug", "target", "outcome"):
        value = (fields.get(role) or "").strip()
        if not value:
            continue
        found = False
        if start is not None:
            for m in mentions:
                rel = m.start - start
                if rel < 0 or m.end - start > len(evidence) or m.label not in ROLE_LABELS[role]:
                    continue
                if value.lower() not in (m.canonical.lower(), m.text.lower()):
                    continue
                if evidence[rel:rel + len(m.text)] != m.text:
                    continue
                spans.append((rel, rel + len(m.text), role))
                found = True
        if not found:
            at = evidence.lower().find(value.lower())
            if at >= 0:
                spans.append((at, at + len(value), role))
    spans.sort()
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for lo, hi, role in spans:
        if lo < pos:
            continue  # overlapping span: keep the first
        if lo > pos:
            pieces.append((evidence[pos:lo], None))
        pieces.append((evidence[lo:hi], role))
        pos = hi
    if pos < len(evidence):
        pieces.append((evidence[pos:], None))
    return pieces
