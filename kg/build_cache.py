"""The extraction cache: each plan's extraction records, kept in the data directory between builds.

A plan's records (kg/build_extract.py: its sentences, the institutions, kinds and relations read in
each, its figures) depend only on the plan and on the pipeline that read it, so they are stored
under a key made of both:

- the plan: its doc id, its metadata (the city and county it is read as, its title…) and its text;
- the pipeline's version (`pipeline_version`): every data file the pipeline reads (kg/data, the
  ontology's vocabularies), the source of every kg module the extraction imports (found by reading
  the imports of the pipeline's entry modules, so a new module is covered the day it is imported),
  and the versions of Python, spaCy and jieba.

Changing a rule file, a vocabulary or the extraction code gives a new version: every plan is read
again, and the records of other versions are removed at the next build. What spans plans (the
institution registry, cross-plan merges, inference) is never cached: the build recomputes it from
the records every time.

Records are pickled (with the format version in the file); the normalised form of each sentence
(only extraction needs it) is left out, so a cached plan is about the size of its text.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import re
import shutil
import sys
from dataclasses import asdict
from functools import cache, lru_cache
from pathlib import Path

from kg.paths import ONTOLOGY_DIR, PACKAGE_DATA, PACKAGE_DIR

FORMAT = 2  # of the pickled records (kg/build_extract.py); bump when their classes change shape
CACHE_DIR = "cache/extract"
# the modules whose imports lead to all the code extraction runs (kg/build_extract.py runs them)
ENTRY_MODULES = ("kg.build_extract",)
# the modules that turn records into triples and a build's parts into its store (kg/build_delta.py)
GRAPH_MODULES = ("kg.build", "kg.build_delta")
# data the pipeline never reads (the web pages' assets, the graph viewer's style)
IGNORED_DATA = ("web", "viz")


def _module_file(name: str) -> Path | None:
    parts = name.split(".")[1:]
    if not parts:
        return PACKAGE_DIR / "__init__.py"
    rel = Path(*parts)
    for candidate in (PACKAGE_DIR / rel.with_suffix(".py"), PACKAGE_DIR / rel / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


# import statements, read from the source text (parsing every module with `ast` took ~1 s of each build):
# `from X import (a, b)` (parenthesised over lines, or to the end of the line) and `import a, b as c`.
# Text in a docstring that reads like an import only adds a module to the digest: never one too few.
_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]+)", re.M)


def _names(text: str) -> list[str]:
    text = re.sub(r"#[^\n]*", "", text).strip("() \t\n\\")
    return [part.split()[0] for part in text.replace("\n", ",").split(",") if part.strip()]


@cache
def _kg_imports(path: Path, name: str) -> frozenset[str]:
    """The kg modules a source file imports (at top level or inside functions)."""
    source = path.read_text(encoding="utf-8")
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for line in _IMPORT.finditer(source):
        found.update(_names(line.group(1).split(";")[0]))
    for stmt in _FROM_IMPORT.finditer(source):
        base, names = stmt.group(1), _names(stmt.group(2).split(";")[0] if "(" not in stmt.group(2) else stmt.group(2))
        level = len(base) - len(base.lstrip("."))
        base = base[level:]
        if level:
            parts = package.split(".")
            base = ".".join(parts[:len(parts) - level + 1] + ([base] if base else []))
        found.add(base)
        found.update(f"{base}.{n}" for n in names)  # `from kg.pipeline import figures`
    return frozenset(m for m in found if m == "kg" or m.startswith("kg."))


def extraction_modules(entries: tuple[str, ...] = ENTRY_MODULES) -> dict[str, Path]:
    """Every kg module reachable by imports from the extraction's entry modules (or `entries`), with its file."""
    todo = list(entries)
    seen: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(name)
        if path is None:
            continue
        seen[name] = path
        parent = name.rpartition(".")[0]
        if parent and parent not in seen:
            todo.append(parent)  # a package's __init__ runs before its module
        todo.extend(_kg_imports(path, name) - seen.keys())
    return seen


def _data_files() -> list[tuple[str, Path]]:
    """(name, path) of every data file the pipeline may read."""
    files = [(f"kg/data/{p.relative_to(PACKAGE_DATA).as_posix()}", p) for p in PACKAGE_DATA.rglob("*")
             if p.is_file() and p.relative_to(PACKAGE_DATA).parts[0] not in IGNORED_DATA]
    files += [(f"ontology/{p.name}", p) for p in ONTOLOGY_DIR.glob("*.ttl")]
    return sorted(files)


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A digest of everything extraction depends on besides the plan (see the module docstring)."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    h.update(f"format {FORMAT}; python {sys.version_info[:2]}\n".encode())
    for package in ("spacy", "jieba", "spacy-pkuseg"):
        try:
            h.update(f"{package} {version(package)}\n".encode())
        except PackageNotFoundError:
            h.update(f"{package} -\n".encode())
    modules = extraction_modules()
    for name in sorted(modules):
        h.update(f"module {name}\n".encode())
        h.update(modules[name].read_bytes())
    for name, path in _data_files():
        h.update(f"data {name}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def graph_version() -> str:
    """A digest of everything the graph written from the records depends on besides the plans: the
    pipeline's version, the source of the modules that write triples (GRAPH_MODULES and their kg
    imports) and the inference rules. A build whose parts were written under another version is
    not reused piecewise (kg/build_delta.py): the next build writes every part again."""
    from kg.paths import RULES_DIR

    h = hashlib.sha256()
    h.update(pipeline_version().encode())
    modules = extraction_modules(GRAPH_MODULES)
    for name in sorted(modules):
        h.update(f"module {name}\n".encode())
        h.update(modules[name].read_bytes())
    for rule in sorted(RULES_DIR.glob("*.ru")):
        h.update(f"rule {rule.name}\n".encode())
        h.update(rule.read_bytes())
    return h.hexdigest()


def plan_key(plan, version: str) -> str:
    """The cache key of a plan (kg.corpus.Plan, parsed or not) read by the pipeline of `version`."""
    h = hashlib.sha256()
    h.update(version.encode())
    h.update(plan.doc_id.encode("utf-8", "surrogatepass"))
    meta = {k: v for k, v in asdict(plan.meta).items() if k != "added"}
    h.update(json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass"))
    h.update(plan.sha256.encode())
    return h.hexdigest()


class _LightPickler(pickle.Pickler):
    """Pickles records without the sentences' normalised forms (extraction's working state)."""

    def reducer_override(self, obj):
        from kg.textnorm import Normalized

        if type(obj) is Normalized:
            return type(None), ()
        return NotImplemented


def dumps(records: object) -> bytes:
    buf = io.BytesIO()
    buf.write(FORMAT.to_bytes(2, "big"))
    _LightPickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(records)
    return buf.getvalue()


def loads(data: bytes) -> object:
    if int.from_bytes(data[:2], "big") != FORMAT:
        raise ValueError("records of another format")
    return pickle.loads(data[2:])


class ExtractionCache:
    """Per-plan records under DATA_DIR/cache/extract/VERSION/KEY.pkl (written atomically)."""

    def __init__(self, data_dir: Path, version: str | None = None) -> None:
        self.version = version or pipeline_version()
        self.root = data_dir / CACHE_DIR
        self.dir = self.root / self.version[:24]

    def path(self, key: str) -> Path:
        return self.dir / f"{key}.pkl"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> object | None:
        """The records stored under `key`; None when there are none or they cannot be read."""
        try:
            return loads(self.path(key).read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            return None

    def put(self, key: str, data: bytes, path: Path | None = None) -> None:
        """Store pickled records (`dumps`); a cache that cannot be written only costs time."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = self.dir / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, path or self.path(key))
        except OSError:
            pass

    def mentions_path(self, key: str) -> Path:
        return self.dir / f"{key}.mentions"

    def get_mentions(self, key: str) -> tuple[int, list] | None:
        """(sentences, [(sentence, its institution mentions)]) of a plan's records, what the registry is
        fed with; None when not stored or unreadable."""
        try:
            found = loads(self.mentions_path(key).read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            return None
        return found if isinstance(found, tuple) and len(found) == 2 else None

    def put_mentions(self, key: str, mentions: tuple[int, list]) -> None:
        self.put(key, dumps(mentions), self.mentions_path(key))

    def prune(self) -> None:
        """Remove the records of other pipeline versions (they can never be read again)."""
        try:
            others = [p for p in self.root.iterdir() if p.is_dir() and p.name != self.dir.name]
        except OSError:
            return
        for other in others:
            shutil.rmtree(other, ignore_errors=True)
