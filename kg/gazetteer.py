"""Administrative-division gazetteer (GB/T 2260): look up, resolve and find Chinese region names.

Loaded lazily from `kg/data/regions.csv` (built by `scripts/make_regions.py`; source and changes in
`kg/data/REGIONS_LICENSE.md`) with the stdlib `csv` module only; this module is imported on the
question-answering path, so it imports nothing heavy; `find` is a pure-Python scan (one dict probe
per character bigram, about 20 ms per 100,000 characters).

Hierarchy: province → city (地级) → county (县级: 区/县/县级市/旗…). The direct-administered
municipalities 北京/天津/上海/重庆 are provinces that also act as the city of their districts:
`city_of("110105") == "110000"`. County-level units directly under a province (仙桃市, 济源市,
琼海市…) have the province as parent and are their own city: `city_of("429004") == "429004"`.

Names. Each region has a full name (梧州市), aliases (former names such as 赣县 for 赣县区, 龙南县 for
龙南市; and for a county X县 the name X市 it takes when upgraded, unless another region is so called)
and short names (梧州, 岑溪, 广西, 融水; see `Region.short_names`; never one character).

`Gazetteer.find` rules (documented contract):
1. Only full names and aliases match, unless `short=True`.
2. Candidates are chosen greedily: full names/aliases before short names, then longer before shorter,
   then leftmost; chosen mentions never overlap (钦南区 is one mention, not 钦南 + 区).
3. A name ending in 区 followed by 域 (河北区域) or in 市 followed by 场 (东方市场) is rejected.
4. "Weak" names — two characters (藤县, 和县, 赣县) — match only after a non-Han character or the
   start of the text, after a preposition/conjunction (在/于/和/与/及/至/到/对/由/从/向/将/把/为/以),
   or right after the name (full or short) of an enclosing region (梧州市藤县, 广西藤县); and never
   before 级/域 (示范县, 信息县, 和县级, 新县域 are not regions).
5. Generic district names (城区, 郊区, 矿区, 东区, 西区) and common words (新城区, 老城区) match only
   right after the name of their city (晋城市城区, 洛阳老城区), or after a non-Han character when
   `within` is given and contains them.
6. Short names (only with `short=True`) are rejected when followed by 市/县/区/州/旗/盟/省/镇/乡/村
   (the full name would have matched first, so this is another place, e.g. 灵山镇) and when they are
   common words (see `SHORT_STOPLIST`). Short names stay a heuristic: pass `within` (e.g. the plan's
   province) to keep only nearby regions.
7. `within` (a province/city/county code) keeps only regions inside it.
A mention whose text names several regions (朝阳区 without `within`) has `region=None` and all of
them in `candidates`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

LEVELS = ("province", "city", "county")

# the 56 nationalities, without 族 (used to strip 融水苗族自治县 → 融水)
_ETHNIC = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 "
    "德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 高山"
).split()
# longest first so that 土家 is tried before 土
_ETHNIC_SORTED = sorted(_ETHNIC, key=len, reverse=True)
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
# plain suffixes, longest first
_SUFFIXES = ("特别行政区", "地区", "新区", "省", "市", "区", "县", "旗", "盟")
_SPECIAL_SHORT = {"神农架林区": "神农架"}

GENERIC_NAMES = frozenset({"城区", "郊区", "矿区", "东区", "西区"})
WEAK_NAMES = frozenset({"新城区", "老城区"})  # common words: treated like GENERIC_NAMES
# short names that are also ordinary words (the second group: found in health plans, or tagged as
# non-place words in jieba's dictionary)
SHORT_STOPLIST = frozenset(
    (
        "合作 前进 友好 共和 新兴 平安 安定 东方 城中 市中 和平 向阳 东风 红旗 胜利 解放 新华 长安 "
        "太平 永安 兴业 江南 城关 新城 老城 城东 城西 城北 城南 河东 河西 江北 山城 中原 开发 建设 "
        "安全 青山 白云 宝山 黄山 南山 北山 西湖 东湖 新市 民和 大通 宁安 龙华 和顺 安远 永福 万年 "
        "长寿 永和 普安 安宁 清河 清城 通道 新建 富民 利民 兴国 高新 文明 团结 先锋 红星 光明 康乐 "
        "安居 乐业 义安 平山 新乡 兴安 保康 红安 广安 平和 阳光 绿园 振兴 合山 德安 泰和 长春 东山 "
        "西山 中山 金山 天河 上城 下城 东城 西城 南城 北城 资源 康保 惠民 合水 和政 保定 台前 新平 "
        "杂多 扬中 大安 滨海 滨城 平陆 龙湾 桂东 比如 南部 港口 公安 友谊 中方 延长 运河 南岸 会同 "
        "工农 大名 富裕 清水 高明 前锋 复兴 长子 清新 宏伟 平定 温泉 三元 互助 大方 名山 莲花 三门 "
        "大观 二七 同心 小店 无为 民权 元宝 宝塔 双桥 丰满 永新 高台 九龙 二道 文峰 威信 建华 光泽 "
        "应城 康平 福安 长治 武功"
    ).split()
)
_PREPOSITIONS = frozenset("在于和与及至到对由从向将把为以")
_SHORT_BLOCK_NEXT = frozenset("市县区州旗盟省镇乡村")
_WEAK_BLOCK_NEXT = frozenset("级域")

_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"
REGIONS_CSV = _CSV  # the default source, for indexes derived from it (kg/qa/name_index.py)
# township-level divisions (镇, 乡, 街道) by county, built by `scripts/make_towns.py`; not regions of the
# gazetteer (no node, no code of their own), only names a document's towns may have
_TOWNS_CSV = _CSV.with_name("towns.csv")


@lru_cache(maxsize=64)
def _towns_with_prefix(prefix: str) -> frozenset[str]:
    with _TOWNS_CSV.open(encoding="utf-8", newline="") as fh:
        return frozenset(t for row in csv.DictReader(fh) if row["county"].startswith(prefix)
                         for t in row["towns"].split("|"))


def _is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF or 0xF900 <= o <= 0xFAFF


def _strip_ethnic(base: str) -> str:
    """Remove trailing nationality names (苗族, 土家族苗族, 蒙古, 各族) from `base`."""
    changed = True
    while changed and base:
        changed = False
        if base.endswith("各族"):
            base, changed = base[:-2], True
            continue
        for eth in _ETHNIC_SORTED:
            # the bare form (蒙古, 维吾尔) only for multi-character names: 长白朝鲜族 must keep 白
            for form in (eth + "族", eth) if len(eth) >= 2 else (eth + "族",):
                if base.endswith(form):
                    base, changed = base[: -len(form)], True
                    break
            if changed:
                break
    return base


def short_names_of(name: str) -> tuple[str, ...]:
    """Short forms of a full name (no suffix, no nationality), never shorter than 2 characters."""
    out: list[str] = []
    for auto in _AUTONOMOUS:
        if name.endswith(auto):
            body = name[: -len(auto)]  # 融水苗族 / 鄂伦春 / 广西壮族
            stripped = _strip_ethnic(body)
            if len(stripped) >= 2:
                out.append(stripped)
            elif len(body) >= 2:  # 鄂伦春自治旗 → 鄂伦春; 东乡族自治县 → 东乡
                out.append(body[:-1] if body.endswith("族") else body)
            break
    else:
        if name.endswith("矿区") or name.endswith(("左旗", "右旗", "中旗", "前旗", "后旗")):
            return ()
        if name in _SPECIAL_SHORT:
            return (_SPECIAL_SHORT[name],)
        for suf in _SUFFIXES:  # first suffix leaving >= 2 characters: 浦东新区 → 浦东, 清新区 → 清新
            if name.endswith(suf) and len(name) - len(suf) >= 2:
                out.append(name[: -len(suf)])
                break
    return tuple(s for s in out if len(s) >= 2 and s != name)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent_code: str | None
    province_code: str
    aliases: tuple[str, ...] = ()

    @cached_property
    def short_names(self) -> tuple[str, ...]:
        """梧州市→梧州, 广西壮族自治区→广西, 融水苗族自治县→融水; 藤县 → () (no 1-character form)."""
        return short_names_of(self.name)

    @property
    def iri(self) -> str:
        return f"https://w3id.org/healthkg/id/region/{self.code}"


class Mention(NamedTuple):
    start: int  # code-point offset, half-open
    end: int
    text: str
    region: Region | None  # None when the text names several regions (see candidates)
    candidates: tuple[Region, ...] = ()
    kind: str = "name"  # name | alias | short


_KIND_RANK = {"name": 0, "alias": 1, "short": 2}
_CACHE: dict[str, Gazetteer] = {}


class Gazetteer:
    def __init__(self, regions: list[Region]):
        self.regions: dict[str, Region] = {r.code: r for r in regions}
        self._children: dict[str, list[str]] = {}
        # name -> list of (code, kind)
        self._index: dict[str, list[tuple[str, str]]] = {}
        for r in regions:
            if r.parent_code:
                self._children.setdefault(r.parent_code, []).append(r.code)
            self._add(r.name, r.code, "name")
            for a in r.aliases:
                self._add(a, r.code, "alias")
                for s in short_names_of(a):
                    self._add(s, r.code, "short")
            for s in r.short_names:
                self._add(s, r.code, "short")
            # 融水苗族自治县 is commonly written 融水县 (and 恭城瑶族自治县 恭城县): an alias, not a guess
            if r.level == "county" and r.name.endswith("自治县"):
                for s in r.short_names:
                    self._add(s + "县", r.code, "alias")
            # ...and 红河哈尼族彝族自治州 红河州, 黔东南苗族侗族自治州 黔东南州
            if r.level == "city" and r.name.endswith("自治州"):
                for s in r.short_names:
                    self._add(s + "州", r.code, "alias")

        # a county upgraded to a county-level city (撤县设市: 射洪县 → 射洪市) after the gazetteer's date is
        # written with 市 by newer documents: an alias, only where no region has or is called that name
        upgraded: dict[str, list[str]] = {}
        for r in regions:
            if r.level == "county" and r.name.endswith("县") and not r.name.endswith("自治县") and len(r.name) >= 3:
                upgraded.setdefault(r.name[:-1] + "市", []).append(r.code)
        for name, codes in upgraded.items():
            if len(codes) == 1 and name not in self._index:
                self._add(name, codes[0], "alias")

    def _add(self, key: str, code: str, kind: str) -> None:
        lst = self._index.setdefault(key, [])
        for i, (c, k) in enumerate(lst):
            if c == code:
                if _KIND_RANK[kind] < _KIND_RANK[k]:
                    lst[i] = (code, kind)
                return
        lst.append((code, kind))

    # ---------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """Load (once per path) from `regions.csv`; cached."""
        p = Path(path) if path is not None else _CSV
        key = str(p.resolve())
        g = _CACHE.get(key)
        if g is None:
            regions = []
            with p.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    regions.append(
                        Region(
                            code=row["code"],
                            name=row["name"],
                            level=row["level"],
                            parent_code=row["parent_code"] or None,
                            province_code=row["province_code"],
                            aliases=tuple(a for a in (row.get("aliases") or "").split("|") if a),
                        )
                    )
            g = _CACHE[key] = cls(regions)
        return g

    # ---------------------------------------------------------------- towns
    def towns_within(self, code: str) -> frozenset[str]:
        """The names of the towns (王村口镇, 新建镇, 云峰街道) inside a region: a county's own, a city's
        or a province's all (by code prefix; the towns' table is newer than the regions', so a county
        renamed since keeps its towns under its city)."""
        region = self.get(code)
        if region is None:
            return frozenset()
        prefix = {"province": code[:2], "city": code[:4]}.get(region.level, code)
        if self._is_municipality(region):
            prefix = code[:2]
        return _towns_with_prefix(prefix)

    # ---------------------------------------------------------------- hierarchy
    def get(self, code: str) -> Region | None:
        return self.regions.get(str(code))

    def __len__(self) -> int:
        return len(self.regions)

    def __iter__(self):
        return iter(self.regions.values())

    def children(self, code: str) -> list[Region]:
        return [self.regions[c] for c in self._children.get(code, ())]

    def counties_of(self, city_code: str) -> list[Region]:
        """County-level children of a city (or of a direct-administered municipality)."""
        return [r for r in self.children(city_code) if r.level == "county"]

    def province_of(self, code: str) -> Region | None:
        r = self.get(code)
        return None if r is None else self.regions.get(r.province_code)

    def city_of(self, code: str) -> Region | None:
        """The prefecture-level city containing `code` (itself for a city). For districts of 北京/天津/
        上海/重庆: the municipality; for county-level units directly under a province: the unit itself;
        for a province: None, except the four municipalities (themselves)."""
        r = self.get(code)
        if r is None:
            return None
        if r.level == "city":
            return r
        if r.level == "province":
            return r if self._children.get(r.code) and self._is_municipality(r) else None
        parent = self.regions.get(r.parent_code or "")
        if parent is None:
            return r
        if parent.level == "city":
            return parent
        return parent if self._is_municipality(parent) else r

    def _is_municipality(self, r: Region) -> bool:
        return r.level == "province" and r.code in ("110000", "120000", "310000", "500000")

    def ancestors(self, code: str) -> list[Region]:
        out = []
        r = self.get(code)
        while r is not None and r.parent_code:
            r = self.regions.get(r.parent_code)
            if r is not None:
                out.append(r)
        return out

    def is_within(self, code: str, within: str) -> bool:
        """True if `code` is `within` or lies inside it."""
        if code == within:
            return True
        return any(a.code == within for a in self.ancestors(code))

    # ---------------------------------------------------------------- names
    def _lookup(self, name: str, within: str | None = None) -> list[tuple[Region, str]]:
        hits = self._index.get(name.strip(), [])
        out = [(self.regions[c], k) for c, k in hits]
        if within:
            out = [(r, k) for r, k in out if self.is_within(r.code, within)]
        out.sort(key=lambda rk: (_KIND_RANK[rk[1]], rk[0].code))
        return out

    def full_names(self) -> list[str]:
        """Every name `find` can match without `short` (full names and aliases), sorted."""
        return sorted(k for k, hits in self._index.items() if any(kind != "short" for _, kind in hits))

    def city_short_names(self) -> frozenset[str]:
        """Short names people write for prefecture-level cities (桂林, 柳州), those that name one city and
        are no ordinary word (SHORT_STOPLIST): a question naming one names a place. Read once."""
        if not hasattr(self, "_city_short_names"):
            self._city_short_names = frozenset(
                k for k, hits in self._index.items()
                if k not in SHORT_STOPLIST and len(hits) == 1 and hits[0][1] == "short"
                and getattr(self.get(hits[0][0]), "level", None) == "city")
        return self._city_short_names

    def is_full_name(self, name: str) -> bool:
        """True when `name` is a full name or an alias of some region (not only a short form)."""
        return any(kind != "short" for _, kind in self._index.get(name, ()))

    def by_name(self, name: str, within: str | None = None) -> list[Region]:
        """Regions called `name` (full name, alias or short name), full-name matches first.
        `within` (province/city code) keeps only regions inside it."""
        return [r for r, _ in self._lookup(name, within)]

    def resolve(self, name: str, context_city: str | None = None) -> Region | None:
        """One region for `name`, preferring the context city, then its province, then all of China;
        within the first scope that has candidates, the best kind (full > alias > short) must be unique,
        otherwise None (never guesses)."""
        scopes: list[str | None] = []
        ctx = self.get(context_city) if context_city else None
        if ctx is not None:
            if ctx.level != "province":
                city = self.city_of(ctx.code)
                if ctx.level == "county":
                    scopes.append(ctx.code)
                if city is not None:
                    scopes.append(city.code)
            scopes.append(ctx.province_code)
        scopes.append(None)
        for scope in scopes:
            hits = self._lookup(name, scope)
            if not hits:
                continue
            best = _KIND_RANK[hits[0][1]]
            top = {r.code: r for r, k in hits if _KIND_RANK[k] == best}
            return next(iter(top.values())) if len(top) == 1 else None
        return None

    # ---------------------------------------------------------------- find
    def _prepare_find(self) -> None:
        """Per-key entries and the scan tables (built on the first `find`)."""
        self._entries: dict[str, tuple[tuple[tuple[Region, str], ...], tuple[tuple[Region, str], ...]]] = {}
        for key, hits in self._index.items():
            pairs = sorted(
                ((self.regions[c], k) for c, k in hits), key=lambda rk: (_KIND_RANK[rk[1]], rk[0].code)
            )
            self._entries[key] = (
                tuple(p for p in pairs if p[1] != "short"),
                tuple(p for p in pairs if p[1] == "short"),
            )
        self._prefix_forms: dict[tuple[str, str], tuple[str, ...]] = {}
        # bigram → lengths (longest first) of the keys starting with it; one table without, one with
        # short names. Every key has >= 2 characters, so a dict probe per position finds all matches.
        self._scan: dict[bool, tuple[dict[str, tuple[int, ...]], frozenset[str]]] = {}
        for with_short in (False, True):
            keys = [k for k, (full, shorts) in self._entries.items() if full or (with_short and shorts)]
            lens: dict[str, set[int]] = {}
            for k in keys:
                lens.setdefault(k[:2], set()).add(len(k))
            self._scan[with_short] = (
                {bg: tuple(sorted(v, reverse=True)) for bg, v in lens.items()},
                frozenset(keys),
            )

    def _iter_keys(self, text: str, short: bool):
        """Yield (start, end, key) of every indexed name occurring in text (all overlaps)."""
        bigrams, keys = self._scan[short]
        get = bigrams.get
        i = 0
        size = len(text)
        for a, b in zip(text, text[1:], strict=False):
            lens = get(a + b)
            if lens:
                for n in lens:
                    if i + n > size:  # a longer key cut by the end of the text is no match
                        continue
                    key = text[i : i + n]
                    if key in keys:
                        yield i, i + n, key
            i += 1

    def _forms(self, region: Region, which: str) -> tuple[str, ...]:
        """Names that may precede a weak/generic name: its ancestors' ("anc") or its city's ("city")."""
        k = (region.code, which)
        forms = self._prefix_forms.get(k)
        if forms is None:
            if which == "city":
                city = self.city_of(region.code)
                regs = [city] if city is not None and city.code != region.code else []
            else:
                regs = self.ancestors(region.code)
            forms = tuple(f for r in regs for f in (r.name, *r.short_names))
            self._prefix_forms[k] = forms
        return forms

    def _accept_weak(self, text: str, s: int, e: int, key: str, region: Region, within: str | None) -> bool:
        prev = text[s - 1] if s > 0 else ""
        if key in GENERIC_NAMES or key in WEAK_NAMES:
            if any(text.startswith(f, s - len(f)) for f in self._forms(region, "city") if s >= len(f)):
                return True
            return bool(within) and (not prev or not _is_han(prev))
        if e < len(text) and text[e] in _WEAK_BLOCK_NEXT:
            return False
        return (
            not prev
            or not _is_han(prev)
            or prev in _PREPOSITIONS
            or any(text.startswith(f, s - len(f)) for f in self._forms(region, "anc") if s >= len(f))
        )

    def find(self, text: str, within: str | None = None, short: bool = False) -> list[Mention]:
        """Non-overlapping region mentions in `text`, in text order (rules in the module docstring)."""
        if not hasattr(self, "_entries"):
            self._prepare_find()
        n = len(text)
        inside: dict[str, bool] = {}
        cands = []
        for s, e, key in self._iter_keys(text, short):
            full, shorts = self._entries[key]
            nxt = text[e] if e < n else ""
            ok: list[tuple[Region, str]] | tuple = ()
            if full and not ((key[-1] == "区" and nxt == "域") or (key[-1] == "市" and nxt == "场")):
                weak = len(key) <= 2 or key in GENERIC_NAMES or key in WEAK_NAMES
                ok = [
                    (r, k)
                    for r, k in full
                    if (not within or inside.setdefault(r.code, self.is_within(r.code, within)))
                    and (not weak or self._accept_weak(text, s, e, key, r, within))
                ]
            rank = 0
            if not ok and short and shorts and key not in SHORT_STOPLIST and nxt not in _SHORT_BLOCK_NEXT:
                ok = [
                    (r, k)
                    for r, k in shorts
                    if not within or inside.setdefault(r.code, self.is_within(r.code, within))
                ]
                rank = 1
            if ok:
                best = _KIND_RANK[ok[0][1]]
                cands.append((rank, s - e, s, e, [p for p in ok if _KIND_RANK[p[1]] == best]))
        cands.sort(key=lambda c: c[:3])
        taken = bytearray(n)
        out: list[Mention] = []
        for _, _, s, e, ok in cands:
            if taken[s] or taken[e - 1] or (e - s > 2 and any(taken[s:e])):
                continue
            taken[s:e] = b"\x01" * (e - s)
            regs = tuple(r for r, _ in ok)
            out.append(Mention(s, e, text[s:e], regs[0] if len(regs) == 1 else None, regs, ok[0][1]))
        out.sort(key=lambda m: m.start)
        return out


def load(path: str | Path | None = None) -> Gazetteer:
    """Shortcut for `Gazetteer.load`."""
    return Gazetteer.load(path)
