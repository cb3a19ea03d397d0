"""Tables whose rows are named units: the unit each row names, and what its other columns relate it to.

A table is header path × row label → cell. Its columns mean what their headers say
(kg/data/table_columns.yaml): one names each row's unit (医共体名称, 站点名称), others relate it to an
institution (牵头医院 → leads, 依托单位 → based_on), place it (所在市) or describe it (等级); the
columns of numbers are its figures (read by kg/pipeline/figures.py with the subjects found here).
A 合计 row is the sum, a figure of the document's place.

The unit a row names is resolved in the document's scope:
- a name the recogniser reads in the cell (履坦镇急救站, 泾县人民医院医共体) is that institution;
- a consortium named by its leader's short form (人民医院医共体, 牵头医院 县人民医院) is the leader's
  consortium: 泾县人民医院医共体, the identity the recogniser gives 泾县人民医院医共体 written in full;
- a facility named without a place (城区急救站, 柳城急救站) is a named facility of the document's
  county (or city), placed there: 武义县城区急救站, the words as written another of its names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kg.gazetteer import Gazetteer, Region
from kg.paths import PACKAGE_DATA
from kg.pipeline.institutions import InstitutionRecognizer, Mention, identity_key, is_han
from kg.pipeline.relation_records import Group, Named, RelationRecord
from kg.tables import Cell, Table, is_empty_mark, is_value_text
from kg.textnorm import normalize_text


@lru_cache(maxsize=1)
def load_columns() -> dict:
    with open(PACKAGE_DATA / "table_columns.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def _match(text: str, words: list[str]) -> str | None:
    return next((w for w in sorted(words, key=len, reverse=True) if w in text), None)


@dataclass
class Columns:
    """What the columns of a table of named units hold."""

    subject: int
    kind: str  # consortium | facility
    relations: dict[int, str]  # column → leads | based_on
    places: list[int]
    attributes: list[int]

    @property
    def words(self) -> set[int]:
        """Columns that are no measure of the row's unit."""
        return {self.subject, *self.relations, *self.places, *self.attributes}


def table_columns(table: Table) -> Columns | None:
    """The columns of a table whose rows are named units, or None when no column names them."""
    cfg = load_columns()
    subject: tuple[int, str] | None = None
    relations: dict[int, str] = {}
    places: list[int] = []
    attributes: list[int] = []
    for k in range(table.width):
        head = "".join(table.header_path(k))
        if not head:
            continue
        found = [(w, kind) for kind, ws in cfg["subjects"].items() if (w := _match(head, ws))]
        if found and subject is None and not _match(head, [w for ws in cfg["relations"].values() for w in ws]):
            subject = (k, max(found, key=lambda f: len(f[0]))[1])
            continue
        if _values(table, k):
            continue  # a column of numbers is a measure (成员单位（个）), whatever its words
        relation = next((r for r, ws in cfg["relations"].items() if _match(head, ws)), None)
        if relation is not None:
            relations[k] = relation
        elif _match(head, cfg["places"]):
            places.append(k)
        elif _match(head, cfg["attributes"]):
            attributes.append(k)
    if subject is None:
        subject = _subject_by_cells(table, set(relations) | set(places) | set(attributes))
    if subject is None:
        return None
    return Columns(subject[0], subject[1], relations, places, attributes)


def _subject_by_cells(table: Table, taken: set[int]) -> tuple[int, str] | None:
    """The column whose every filled cell (a 合计 aside) names a unit of one kind (人民医院医共体)."""
    ends = load_columns()["subject_cells"]
    for k in range(table.width):
        if k in taken:
            continue
        cells = [normalize_text(r[k].text) for r in table.body() if k < len(r)]
        cells = [c for c in cells if c and not is_empty_mark(c) and not is_total(c)]
        if len(cells) < 2:
            continue
        for kind, words in ends.items():
            if all(c.endswith(tuple(words)) and len(c) <= 20 for c in cells):
                return k, kind
    return None


def _values(table: Table, k: int) -> bool:
    """Most of the column's filled body cells are numbers."""
    cells = [r[k].text for r in table.body() if k < len(r) and r[k].text and not is_empty_mark(r[k].text)]
    return bool(cells) and sum(is_value_text(c) for c in cells) * 2 > len(cells)


def member_name_column(table: Table) -> int | None:
    """The name column of a consortium's member list (its caption says 成员单位名单), or None."""
    cfg = load_columns()
    if not re.search(cfg["member_list_caption"], normalize_text(table.caption)):
        return None
    for k in range(table.width):
        if _match("".join(table.header_path(k)), cfg["member_names"]) and not _values(table, k):
            return k
    return None


def is_total(text: str) -> bool:
    return normalize_text(text) in {normalize_text(w) for w in load_columns()["totals"]}


@dataclass(frozen=True)
class Unit:
    """The unit a row names: an institution of the registry (its identity key and how it is placed)."""

    key: str
    name: str
    surface: str
    kind: str
    level: str | None
    city: str | None
    county: str | None


class RowReader:
    """Resolves the units a table's rows name, in one document's scope."""

    def __init__(self, recognizer: InstitutionRecognizer, gazetteer: Gazetteer, city: Region | None,
                 county: Region | None) -> None:
        self.rec = recognizer
        self.gaz = gazetteer
        self.scope = recognizer.scope(city, county)
        self.consortia: dict[str, Unit] = {}  # a consortium's words → the consortium a row resolved them to

    def named(self, cell: Cell, units: bool = False) -> Mention | None:
        """The named institution a cell ends with (with `units`, a unit of another: 县人民医院急救站)."""
        text = normalize_text(cell.text)
        if not text or is_empty_mark(text):
            return None
        found = [m for m in self.rec(text, self.scope)
                 if m.named and (units or not m.parent_key) and m.end == len(text)]
        return max(found, key=lambda m: m.end - m.start) if found else None

    def unit(self, row: list[Cell], cols: Columns) -> Unit | None:
        cell = row[cols.subject]
        text = normalize_text(cell.text)
        if not text or is_empty_mark(text) or is_total(text) or len(text) > 20:
            return None
        m = self.named(cell, units=True)
        if cols.kind == "consortium":
            found = self._consortium_of_leader(text, row, cols) or (
                Unit(m.key, m.name, text, m.kind, m.level, m.city, m.county) if m is not None and m.start == 0
                else self.consortia.get(text) or self._consortium_of_county(text))
            if found is not None:
                self.consortia[text] = found
            return found
        if m is not None and m.start == 0:
            return Unit(m.key, m.name, text, m.kind, m.level, m.city, m.county)
        if cols.kind == "facility":
            return self._facility(text)
        return None

    def _consortium_of_leader(self, text: str, row: list[Cell], cols: Columns) -> Unit | None:
        """人民医院医共体 with 县人民医院 in its lead column: the consortium of that hospital."""
        noun = self._consortium_noun(text)
        lead_col = next((k for k, r in cols.relations.items() if r == "leads"), None)
        if noun is None or lead_col is None or lead_col >= len(row):
            return None
        core = text[: -len(noun)]
        lead = self.named(row[lead_col])
        if lead is None or not core or not any(name.endswith(core) for name in (lead.name, lead.surface)):
            return None
        return Unit(f"{lead.key}|{noun}", lead.name + noun, text, self.rec.consortium_kind[noun], lead.level,
                    lead.city, lead.county)

    def _consortium_of_county(self, text: str) -> Unit | None:
        """人民医院医共体 in a county's document, with no lead column: the consortium of the county's
        人民医院 (县人民医院, as the county's documents shorten it)."""
        noun = self._consortium_noun(text)
        if noun is None or self.scope.county is None or len(text) == len(noun):
            return None
        lead = [m for m in self.rec("县" + text[: -len(noun)], self.scope) if m.named and m.start == 0]
        if len(lead) != 1 or lead[0].end != len(text) - len(noun) + 1:
            return None
        return Unit(f"{lead[0].key}|{noun}", lead[0].name + noun, text, self.rec.consortium_kind[noun],
                    lead[0].level, lead[0].city, lead[0].county)

    def _consortium_noun(self, text: str) -> str | None:
        return next((n for n in sorted(self.rec.consortium_kind, key=len, reverse=True) if text.endswith(n)), None)

    def _facility(self, text: str) -> Unit | None:
        """城区急救站: a cell of the facility column ending in a kind of institution, with no place the
        recogniser knows: a facility of the document's county (or city)."""
        kinds = [m for m in self.rec(text, self.scope) if not m.named and m.end == len(text)]
        home = self.scope.county or self.scope.city
        if not kinds or home is None or not all(is_han(ch) for ch in text):
            return None
        if kinds[0].start == 0:
            return None  # 急救站, 乡镇急救站 alone name a kind, no facility
        city = self.scope.city.code if self.scope.city else None
        county = self.scope.county.code if self.scope.county else None
        # its full name opens with its county (as 县人民医院 is 泾县人民医院), the words as written another
        # name: 城区急救站 of two counties are two stations, each found by its full name
        name = text if text.startswith(home.name) else home.name + text
        return Unit(identity_key(city, name, "", self.rec.canonical), name, text, kinds[0].kind, None, city, county)

    def relations(self, row: list[Cell], cols: Columns, unit: Unit, sentence) -> list[RelationRecord]:
        """The relations the row's other columns state of its unit."""
        out: list[RelationRecord] = []
        group = Group(unit.name, unit.kind.rsplit("#", 1)[-1]) if cols.kind == "consortium" else None
        for k, relation in cols.relations.items():
            if k >= len(row):
                continue
            if relation == "member_of":
                # a list of members (A、B、C): every institution the cell names
                text = normalize_text(row[k].text)
                members = [m for m in self.rec(text, self.scope) if m.named and not m.parent_key and not m.alias_of]
                if group is not None:
                    out.extend(RelationRecord("member_of", Named(m.key), group, sentence, "member")
                               for m in members if m.key != unit.key)
                continue
            other = self.named(row[k])
            if other is None or other.key == unit.key:
                continue
            if relation == "leads":
                if group is not None:
                    out.append(RelationRecord("leads", Named(other.key), group, sentence, "lead"))
            else:
                out.append(RelationRecord(relation, Named(unit.key), Named(other.key), sentence))
        return out
