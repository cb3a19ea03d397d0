"""The user's own plans: add (any form, checked), replace, remove and list, apart from the code.

The repository's `corpus/` is the built-in example set and is never written. `kg add` puts a
plan into the user's corpus, `DATA_DIR/plans/` (see kg.paths): the text the pipeline reads
(`<id>.txt`), the original beside it (`<id>.pdf`, `.docx`, `.html`), for PDFs where each page starts
(`<id>.pages.json`), and an entry in `documents.json`. `kg build` builds the examples and these.

Writes are made safe for a user's data: new files first, `documents.json` replaced atomically,
files of a removed or replaced plan deleted last, all under a lock on the corpus, so a failed or
refused command never loses a plan.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpus import CONTROL_CHARS, METADATA_FILE, PlanMeta, load_metadata, valid_date
from kg.errors import CorpusError, MetadataError
from kg.paths import user_plans_dir

SAME_CONTENT = 0.8  # Jaccard similarity of two plans' 8-character shingles above which they are one plan
MAX_TITLE = 200
_TITLE_WORDS = ("规划", "方案", "计划", "意见", "通知", "纲要", "办法", "决定")


@dataclass
class Places:
    city: str
    city_code: str
    province: str
    county: str | None = None


@dataclass
class Added:
    meta: PlanMeta
    corpus: Path
    replaced: PlanMeta | None = None
    warnings: list[str] = field(default_factory=list)
    chars: int = 0
    pages: int | None = None


# ---------------------------------------------------------------------------------------------
# Checks


def check_places(city: str, province: str | None = None, county: str | None = None) -> Places:
    """City, province and county checked against the gazetteer and against each other."""
    from kg.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    region = gaz.resolve(city.strip())
    if region is None:
        many = gaz.by_name(city.strip())
        where = "、".join(f"{r.name}（{(gaz.province_of(r.code) or r).name}）" for r in many[:4])
        raise MetadataError(f"--city {city!r} is not a known city / 未知的城市"
                            + (f": it names {where}" if many else ""),
                            hint="use the full name of a prefecture-level city, e.g. 柳州市")
    home = gaz.city_of(region.code)
    if region.level == "province" and home is None:
        raise MetadataError(f"--city {city!r} is a province, not a city / {region.name}是省级行政区，不是城市",
                            hint=f"use --province {region.name} --city <one of its cities>")
    if region.level == "county" and home is not None and home.code != region.code:
        raise MetadataError(f"--city {city!r} is a county of {home.name} / {region.name}是{home.name}的县区",
                            hint=f"use --city {home.name} --county {region.name}")
    city_region = home or region
    own_province = gaz.province_of(city_region.code)
    province_name = own_province.name if own_province else city_region.name
    if province:
        given = gaz.resolve(province.strip())
        if given is None or given.level != "province":
            raise MetadataError(f"--province {province!r} is not a known province / 未知的省级行政区",
                                hint=f"{city_region.name} is in {province_name}; --province may be left out")
        if own_province is not None and given.code != own_province.code:
            raise MetadataError(f"{city_region.name} is in {province_name}, not in {given.name} / "
                                f"{city_region.name}属于{province_name}，不属于{given.name}",
                                hint=f"use --province {province_name}, or leave --province out")
    county_name = None
    if county:
        found = gaz.resolve(county.strip(), context_city=city_region.code)
        if found is None or found.level != "county" or found.code == city_region.code:
            raise MetadataError(f"--county {county!r} is not a known county, district or county-level city "
                                "/ 未知的县区", hint="use its full name, e.g. 融安县, 鱼峰区, 岑溪市")
        if not gaz.is_within(found.code, city_region.code):
            other = gaz.city_of(found.code)
            raise MetadataError(f"{found.name} is not in {city_region.name}"
                                + (f" (it is in {other.name})" if other else "")
                                + f" / {found.name}不属于{city_region.name}",
                                hint=f"use --city {other.name}" if other else "check the county's name")
        county_name = found.name
    return Places(city_region.name, city_region.code, province_name, county_name)


def clean_field(name: str, value: str | None, warnings: list[str], limit: int = MAX_TITLE) -> str | None:
    """A metadata value without control characters (line breaks become spaces), with a message."""
    if value is None:
        return None
    cleaned = CONTROL_CHARS.sub(lambda m: " " if m.group() in "\t\n\r" else "", value)
    cleaned = " ".join(cleaned.split())
    if cleaned != value.strip():
        removed = len(CONTROL_CHARS.findall(value))
        if removed:
            warnings.append(f"--{name}: {removed} control character(s) removed / 已删除控制字符")
    if not cleaned:
        raise MetadataError(f"--{name} is empty once its control characters are removed / {name} 为空")
    if len(cleaned) > limit:
        raise MetadataError(f"--{name} is {len(cleaned)} characters long (at most {limit}) / {name} 过长")
    return cleaned


def check_date(date: str | None) -> str | None:
    if date is None:
        return None
    if not valid_date(date.strip()):
        raise MetadataError(f"--date {date!r} is not a date written YYYY-MM-DD / 日期格式应为 YYYY-MM-DD",
                            hint="e.g. --date 2022-03-01")
    return date.strip()


def guess_title(text: str, file_title: str | None, fallback: str) -> str:
    """The document's own title (PDF/Word properties, the page's <title>) when it reads like one,
    else the first line of the text (a plan starts with its title)."""
    head = [ln.strip().lstrip("#").strip() for ln in text.splitlines()[:40] if ln.strip()][:6]
    candidates = [ln for ln in head if any(w in ln for w in _TITLE_WORDS)] + head[:1]
    if file_title:
        candidates.insert(0 if any(w in file_title for w in _TITLE_WORDS) else 1, file_title)
    for candidate in candidates:
        candidate = " ".join(CONTROL_CHARS.sub(" ", candidate).split())
        han = sum("\u4e00" <= c <= "\u9fff" for c in candidate)
        if han >= 4 and len(candidate) <= 80 and ".doc" not in candidate.lower():
            return candidate
    return fallback


# ---------------------------------------------------------------------------------------------
# Same content


def shingles(text: str, size: int = 8) -> set[int]:
    """Hashes of the text's 8-character runs of Chinese characters, letters and digits (layout,
    punctuation and whitespace aside, so a PDF and a Word file of one plan look alike)."""
    body = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())
    return {hash(body[i:i + size]) for i in range(0, max(0, len(body) - size + 1))}


def similarity(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# ---------------------------------------------------------------------------------------------
# The user's corpus


def read_records(corpus: Path) -> list[dict]:
    """The corpus's documents.json entries ([] when there is none yet); MetadataError when unreadable."""
    meta_path = corpus / METADATA_FILE
    if not meta_path.exists():
        return []
    try:
        records = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise MetadataError(f"{meta_path} is not valid UTF-8 JSON: {exc}", hint="fix or remove it first") from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise MetadataError(f"{meta_path} must hold a JSON list of plan entries", hint="fix or remove it first")
    for record in records:
        PlanMeta.from_json(record)  # every entry valid before anything is written next to it
    return records


def _write_records(corpus: Path, records: list[dict]) -> None:
    meta_path = corpus / METADATA_FILE
    tmp = meta_path.with_name(f".{METADATA_FILE}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, meta_path)


@contextlib.contextmanager
def _locked(corpus: Path) -> Iterator[None]:
    """One `kg add`/`kg remove` at a time on a corpus (two at once would lose one's entry)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the atomic replace still keeps the file whole
        yield
        return
    with open(corpus / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _make_corpus(corpus: Path) -> None:
    try:
        corpus.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorpusError(f"cannot create the corpus directory {corpus}: {exc.strerror}",
                          hint="choose a writable --data-dir") from None
    if not corpus.is_dir():
        raise CorpusError(f"cannot create the corpus directory {corpus}: a file is in the way")


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", Path(name).stem).strip("-").lower()[:40]
    return slug or "plan"


def _files_of(record: dict) -> list[str]:
    return [record[k] for k in ("file", "original", "pages") if record.get(k)]


def _describe(record: dict, where: str) -> str:
    origin = f", from {record['source']}" if record.get("source") else ""
    return f"《{record.get('title')}》 ({where}{record.get('file')}{origin})"


def add_plan(data_dir: Path, file: Path, *, city: str, province: str | None = None, county: str | None = None,
             title: str | None = None, date: str | None = None, doc_number: str | None = None,
             issuer: str | None = None, replace: bool = False, examples: Path | None = None) -> Added:
    """Read `file` in its form, check its metadata and content, and put it in the user's corpus.

    `examples` is the example corpus that `kg build` builds too: content already there is refused.
    """
    from kg.documents import form_of, read_document

    if not file.is_file():
        raise CorpusError(f"{file} is not a file / 找不到文件", hint="give the path of the plan's file")
    form_of(file)  # an unsupported form is refused before anything is read
    warnings: list[str] = []
    places = check_places(city, province, county)
    date = check_date(date)
    title = clean_field("title", title, warnings)
    doc_number = clean_field("doc-number", doc_number, warnings, limit=80)
    issuer = clean_field("issuer", issuer, warnings, limit=120)
    document = read_document(file)
    warnings.extend(document.warnings)
    title = title or guess_title(document.text, document.title, file.stem)
    corpus = user_plans_dir(data_dir)
    _make_corpus(corpus)
    source = unicodedata.normalize("NFC", file.name)
    with _locked(corpus):
        records = read_records(corpus)
        replaced = next((r for r in records if r.get("source") == source), None)
        if replaced is not None and not replace:
            raise MetadataError(f"a plan added from {source} is already there: {_describe(replaced, '')} "
                                "/ 已有同名文件的规划",
                                hint="add it with --replace to replace it, or `kg remove` it first")
        mine = shingles(document.text)
        for record in records:
            if record is replaced:
                continue
            text = _read_quiet(corpus / record["file"])
            if text is not None and similarity(mine, shingles(text)) >= SAME_CONTENT:
                raise MetadataError(f"this is the same plan as {_describe(record, 'your plans: ')} / 该规划已经添加过",
                                    hint="`kg add --replace` with the same file name replaces a plan; "
                                         f"`kg remove {record['file']}` removes it")
        if examples is not None:
            for meta in _example_metas(examples):
                text = _read_quiet(examples / meta.file)
                if text is not None and similarity(mine, shingles(text)) >= SAME_CONTENT:
                    example = _describe(meta.__dict__, str(examples) + "/")
                    raise MetadataError(f"this is the same plan as the example {example} / 示例规划中已有该规划",
                                        hint="`kg build` already builds it; to build only your own copy, add and "
                                             "build with --no-examples")
        digest = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        doc_id = f"{_slug(source)}-{digest[:12]}"
        record = {"file": f"{doc_id}.txt", "city": places.city, "province": places.province, "county": places.county,
                  "title": title, "issuer": issuer, "doc_number": doc_number, "date": date, "note": None,
                  "source": source, "original": None, "form": document.form,
                  "pages": None, "added": time.strftime("%Y-%m-%dT%H:%M:%S")}
        written: list[Path] = []
        try:
            _write(corpus / record["file"], document.text.encode("utf-8"), written)
            if document.form != "txt":
                record["original"] = f"{doc_id}{file.suffix.lower()}"
                _write(corpus / record["original"], file.read_bytes(), written)
            if document.pages:
                record["pages"] = f"{doc_id}.pages.json"
                _write(corpus / record["pages"], json.dumps(document.pages).encode("utf-8"), written)
            PlanMeta.from_json(record)
            kept = [r for r in records if r is not replaced]
            _write_records(corpus, kept + [record])
        except OSError as exc:
            for path in written:
                path.unlink(missing_ok=True)
            raise CorpusError(f"cannot write into {corpus}: {exc.strerror}",
                              hint="choose a writable --data-dir") from None
        if replaced is not None:
            for name in set(_files_of(replaced)) - set(_files_of(record)):
                (corpus / name).unlink(missing_ok=True)
    return Added(PlanMeta.from_json(record), corpus, PlanMeta.from_json(replaced) if replaced else None, warnings,
                 len(document.text), len(document.pages) if document.pages else None)


def _write(path: Path, data: bytes, written: list[Path]) -> None:
    existed = path.exists()
    path.write_bytes(data)
    if not existed:
        written.append(path)


def _read_quiet(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _example_metas(examples: Path) -> list[PlanMeta]:
    try:
        return load_metadata(examples, allow_empty=True)
    except CorpusError:
        return []  # a broken example set is reported by `kg build`; it does not stop an add


def find_plan(records: list[dict], key: str) -> dict:
    """The user's plan named by its file, id, source file name or title; MetadataError otherwise."""
    key = key.strip()
    for field_name in ("file", "source", "title"):
        hits = [r for r in records if r.get(field_name) == key]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise MetadataError(f"{len(hits)} plans have the {field_name} {key!r}",
                                hint="name it by its file (kg plans)")
    hits = [r for r in records if Path(r["file"]).stem == key]
    if len(hits) == 1:
        return hits[0]
    raise MetadataError(f"none of your plans is {key!r} / 没有这个规划",
                        hint="`kg plans` lists them with their file names")


def remove_plan(data_dir: Path, key: str) -> PlanMeta:
    """Remove one of the user's plans (its entry first, then its files). The graph keeps it until
    the next `kg build`."""
    corpus = user_plans_dir(data_dir)
    if not (corpus / METADATA_FILE).exists():
        raise MetadataError(f"you have added no plans in {data_dir} / 尚未添加任何规划",
                            hint="`kg plans` lists the plans; the examples in corpus/ are not removable")
    with _locked(corpus):
        records = read_records(corpus)
        record = find_plan(records, key)
        try:
            _write_records(corpus, [r for r in records if r is not record])
        except OSError as exc:
            raise CorpusError(f"cannot write into {corpus}: {exc.strerror}") from None
        for name in _files_of(record):
            (corpus / name).unlink(missing_ok=True)
    return PlanMeta.from_json(record)


# ---------------------------------------------------------------------------------------------
# Listing


@dataclass
class PlanRow:
    meta: PlanMeta
    origin: str  # example | mine
    corpus: Path
    size: int | None  # bytes of the original (or of the text)
    counts: dict[str, int] | None = None  # institutions, relations, figures in the current graph


COUNTS = """
SELECT ?file (COUNT(DISTINCT ?i) AS ?institutions) (COUNT(DISTINCT ?rel) AS ?relations)
       (COUNT(DISTINCT ?obs) AS ?figures) WHERE {
  ?doc a hk:PlanDocument ; hk:fileName ?file .
  ?span hk:inDocument ?doc .
  ?g prov:wasDerivedFrom ?span .
  { GRAPH ?g { ?i skos:prefLabel ?name } ?i a hk:HealthInstitution }
  UNION { GRAPH ?g { ?s ?p ?o } ?p hk:kgRelation ?pname . BIND(CONCAT(STR(?s), " ", STR(?p), " ", STR(?o)) AS ?rel) }
  UNION { GRAPH ?g { ?obs a hk:Observation } }
} GROUP BY ?file
"""


def plan_counts(store) -> dict[str, dict[str, int]]:
    """Per plan file: the institutions, relations (stated) and figures the current graph took from it."""
    from kg.store import SPARQL_PREFIXES, sparql_select, term_value

    out = {}
    for row in sparql_select(store, COUNTS, prefixes=SPARQL_PREFIXES):
        out[term_value(row["file"])] = {k: int(term_value(row[k]) or 0)
                                        for k in ("institutions", "relations", "figures")}
    return out


def list_plans(data_dir: Path, examples: Path | None) -> list[PlanRow]:
    rows: list[PlanRow] = []
    sources = [(examples, "example")] if examples is not None else []
    sources.append((user_plans_dir(data_dir), "mine"))
    for corpus, origin in sources:
        if origin == "mine" and not corpus.exists():
            continue
        for meta in load_metadata(corpus, allow_empty=True):
            path = corpus / (meta.original or meta.file)
            size = path.stat().st_size if path.exists() else None
            rows.append(PlanRow(meta, origin, corpus, size))
    return rows

