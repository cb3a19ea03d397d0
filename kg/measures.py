"""Canonical measures: the plan's wording of an indicator → one measure (kg/data/measures.yaml).

`MeasureCatalog.resolve(wording, unit)` gives the canonical measure when the file lists the wording
(after the file's `alike` rewrites) and the unit fits; otherwise a measure of its own, named after
the wording, so that nothing is lost and the same wording in two plans is one measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kg.observations import Measure
from kg.paths import PACKAGE_DATA
from kg.textnorm import normalize_text

# Units that count the same kind of thing (a count of institutions in 个, 所 or 家 is one measure).
_UNIT_FAMILIES = [
    {"个", "所", "家", "座", "处"},
    {"张", "床"},
    {"人", "名", "位"},
    {"1/10万", "/10万"},
    {"1:x", "比值（1:x）"},
    {"万人次", "人次"},
]
_DROP = re.compile(r"[（）()“”\"《》\s]")
_PER_POPULATION = re.compile(r"^每(?:千|万|10万|百万)(?:名|个)?(?:常住|户籍)?(?:人口|儿童|老年人|妇女|居民)")
_NO_COUNT_TAIL = ("数", "率", "比", "量", "人次", "比例", "比重", "人口")


def unit_family(unit: str | None) -> str | None:
    if not unit:
        return None
    for family in _UNIT_FAMILIES:
        if unit in family:
            return min(family)
    return unit


def _scaled_family(unit: str) -> str | None:
    """万人 counts what 人 counts, 万人次 what 人次 counts: a count's scale is no other measure."""
    return unit_family(unit[1:] if len(unit) > 1 and unit[0] in "万亿" and unit[1:] != "元" else unit)


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    unit: str | None


class MeasureCatalog:
    def __init__(self, config: dict) -> None:
        self.alike = sorted(((normalize_text(a), normalize_text(b)) for a, b in (config.get("alike") or {}).items()),
                            key=lambda ab: len(ab[0]), reverse=True)
        self.entries: dict[str, Entry] = {}
        self.by_key: dict[str, Entry] = {}
        self._names: dict[str, list[str]] = {}
        for item in config.get("measures") or []:
            entry = Entry(item["id"], normalize_text(item["name"]), item.get("unit"))
            if entry.id in self.entries:
                raise ValueError(f"measures.yaml: id {entry.id} is used twice")
            self.entries[entry.id] = entry
            self._names[entry.id] = [normalize_text(n) for n in [item["name"], *(item.get("names") or [])]]
            for name in [item["name"], *(item.get("names") or [])]:
                self.by_key.setdefault(self.key(name), entry)

    def names(self, measure_id: str) -> list[str]:
        """The canonical name and the other names the file lists for a measure."""
        return list(self._names.get(measure_id, []))

    def key(self, wording: str) -> str:
        """The comparison form of a wording: normalised, the `alike` rewrites applied, brackets dropped.

        >>> catalog().key("每千常住人口医疗卫生机构床位数（张）") == catalog().key("每千人口医疗卫生机构床位数(张)")
        True
        >>> catalog().key("每千常住人口注册护士") == catalog().key("每千人口注册护士数")
        True
        """
        text = normalize_text(wording)
        for a, b in self.alike:
            text = text.replace(a, b)
        text = _DROP.sub("", text)
        if _PER_POPULATION.match(text) and not text.endswith(_NO_COUNT_TAIL):
            text += "数"  # 每千常住人口注册护士3.34人 counts what 每千常住人口注册护士数 counts
        return text

    def resolve(self, wording: str, unit: str | None = None) -> Measure:
        """The measure a plan's wording names.

        >>> m = catalog().resolve("每千常住人口床位数", "张")
        >>> (m.id, m.name, m.wording, m.known)
        ('beds-per-1000', '每千人口医疗卫生机构床位数', '每千常住人口床位数', True)
        >>> catalog().resolve("医院", "%").known  # a count's wording with a percentage: another measure
        False
        >>> catalog().resolve("每万常住人口全科医生", "人").name  # a count per population without its 数
        '每万人口全科医生数'
        >>> catalog().resolve("每千常住人口注册护士", "%").known  # …but not with another unit
        False
        """
        wording = normalize_text(wording)
        key = self.key(wording)
        entry = self.by_key.get(key)
        if entry is not None and (unit is None or entry.unit is None
                                  or _scaled_family(unit) == _scaled_family(entry.unit)):
            return Measure(entry.id, entry.name, wording, True)
        return Measure(own_measure_id(key), key_label(wording, self), wording, False)


def own_measure_id(key: str) -> str:
    import hashlib

    return "w-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def key_label(wording: str, catalog: MeasureCatalog) -> str:
    """The name of a measure the file does not list: the wording with the `alike` rewrites applied."""
    text = wording
    for a, b in catalog.alike:
        text = text.replace(a, b)
    return text


@lru_cache(maxsize=1)
def catalog() -> MeasureCatalog:
    with open(PACKAGE_DATA / "measures.yaml", encoding="utf-8") as f:
        return MeasureCatalog(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
