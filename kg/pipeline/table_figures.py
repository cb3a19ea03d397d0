"""Figures of tables whose rows are named units (kg/pipeline/table_entities.py tells the tables and
their rows' units): each number is a figure of its row's unit, measured by its column's header (the
header without its unit, the unit from its brackets, the year from the header, the caption or the
report: kg/pipeline/figures.py `value_columns`); a 合计 row's are the document's place's."""

from __future__ import annotations

from kg.observations import Subject
from kg.pipeline.figure_config import recognizer
from kg.pipeline.figures import Collector, split_values, value_columns
from kg.pipeline.table_entities import RowReader, is_total, table_columns
from kg.tables import Table


class UnitTables:
    """Reads one document's tables of named units; a consortium resolved in one table is the same
    in the next (表2 names 人民医院医共体 without its lead column)."""

    def __init__(self, col: Collector, years: tuple[int | None, int | None]) -> None:
        ctx = col.ctx
        self.col = col
        self.years = years
        self.reader = RowReader(recognizer(ctx.gazetteer), ctx.gazetteer, ctx.city, getattr(ctx, "county", None))

    def emit(self, table: Table) -> bool:
        """The table's figures, when it is a table of named units (else False, nothing read)."""
        cols = table_columns(table)
        if cols is None:
            return False
        col = self.col
        numeric, _ = value_columns(table, cols.subject, col, self.years, words=cols.words)
        home = col.home()
        for row in table.body():
            sentence = col.row_sentence(row)
            if sentence is None:
                continue
            if any(is_total(c.text) for c in row[: cols.subject + 1]):  # 合计, in its column or the first
                subject, area = home, None
            else:
                unit = self.reader.unit(row, cols)
                if unit is None or unit.key not in col.ctx.institutions:
                    continue
                subject, area = Subject("institution", unit.key), home
            if subject is None:
                continue
            for vc in numeric:
                for value in split_values(row[vc.index]):
                    col.add(sentence, subject, vc.wording, vc.year, vc.role, value, vc.unit, area=area)
        return True
