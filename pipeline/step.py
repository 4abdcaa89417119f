"""The Step / Filter contract every stage is built from.

A ``Step`` reads and writes columns of a document (a dict keyed by schema-v1 column names). It is
constructed on the driver from plain picklable values, pickled to Spark workers, and only there
calls ``setup()`` to load models. Heavy objects go through :func:`process_cached` so that a
worker process loads a model once, however many tasks unpickle the step.

A ``Filter`` is a step that decides: ``check(doc)`` returns a reason code (one of ``reasons``)
to remove the document, or ``None`` to keep it. Steps never drop documents: a removed document
keeps flowing, with ``status=removed``, so that every input row is accounted for, and later steps
skip it (the first removal wins).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from pipeline.document import Document, is_kept, mark_removed

_CACHE: dict[Any, Any] = {}
_CACHE_LOCK = threading.Lock()


def file_key(path: Any) -> tuple:
    """``(path, mtime_ns, size)`` for a cache key: a model retrained in place is loaded again."""
    try:
        st = os.stat(path)
    except (OSError, TypeError, ValueError):
        return (str(path),)
    return (str(path), st.st_mtime_ns, st.st_size)


def process_cached(key: Any, factory: Callable[[], Any]) -> Any:
    """Return the object stored under ``key`` in this process, building it once with ``factory``."""
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = factory()
        return _CACHE[key]


class Step:
    """Base class of every pipeline step.

    Subclasses set ``name`` (a stable snake_case id used in manifests and ``removed_by``) and
    ``outputs`` (the columns they write), keep their constructor arguments as attributes named
    like the arguments (so ``params()`` can report them), and implement ``process``.
    """

    name: ClassVar[str] = ""
    outputs: ClassVar[tuple[str, ...]] = ()
    # constructor argument -> pipeline.params.Param: validation, manifest and `corpus recipes --explain`
    params_spec: ClassVar[dict[str, Any]] = {}

    _ready: bool = False

    def setup(self) -> None:
        """Load what the step needs (models, tables). Runs on the worker; must be idempotent."""

    def ensure_setup(self) -> None:
        if not self._ready:
            self.setup()
            self._ready = True

    def process(self, doc: Document) -> Document:
        raise NotImplementedError

    def process_batch(self, docs: Sequence[Document]) -> list[Document]:
        """Process a batch; removed documents pass through untouched. Override to vectorise."""
        self.ensure_setup()
        return [self.process(d) if is_kept(d) else d for d in docs]

    def params(self) -> dict[str, Any]:
        """Constructor parameters, for the manifest: the declared ones first, in declared order,
        then any other public attribute that is a plain value (derived settings)."""
        out = {key: getattr(self, key) for key in self.params_spec if key in vars(self)}
        for key, value in vars(self).items():
            if key.startswith("_"):
                continue
            if isinstance(value, str | int | float | bool | type(None) | list | tuple | dict):
                out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "class": type(self).__name__, "params": self.params()}

    def __getstate__(self) -> dict[str, Any]:
        # Loaded resources never travel with the pickle: workers call setup() themselves.
        state = {k: v for k, v in vars(self).items() if not k.startswith("_")}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


class Filter(Step):
    """A step that keeps or removes a document with a declared reason code."""

    reasons: ClassVar[tuple[str, ...]] = ()

    def check(self, doc: Document) -> str | tuple[str, str] | None:
        """Return None to keep; a reason code, or (reason, detail), to remove."""
        raise NotImplementedError

    def process(self, doc: Document) -> Document:
        verdict = self.check(doc)
        if verdict is None:
            return doc
        reason, detail = (verdict, None) if isinstance(verdict, str) else verdict
        if reason not in self.reasons:
            raise ValueError(f"{type(self).__name__} returned undeclared reason {reason!r}; declared: {self.reasons}")
        return mark_removed(doc, self.name, reason, detail)


def run_steps(steps: Iterable[Step], docs: list[Document]) -> list[Document]:
    """Apply steps in order to a batch of documents (the plain-Python engine).

    A step must return exactly one document per input document: nothing may disappear.
    """
    for step in steps:
        n = len(docs)
        docs = step.process_batch(docs)
        if len(docs) != n:
            raise RuntimeError(f"step {step.name!r} returned {len(docs)} documents for {n}: steps must not drop rows")
    return docs


def check_unique_names(steps: Sequence[Step]) -> None:
    names = [s.name for s in steps]
    if any(not n for n in names):
        raise ValueError("every step needs a non-empty name")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"step names must be unique within a stage; repeated: {dupes}")
