"""The `kg` command line: parse, call one library function, print, map errors to exit codes.

Command families live in `kg/commands/*.py` and register themselves on `app`. Heavy libraries
(spaCy, rdflib) are imported inside the commands that need them, so `kg ask` starts fast.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.errors import InputError, KGError
from kg.paths import default_corpus_dir, default_data_dir

app = typer.Typer(
    name="kg",
    help="医疗卫生服务体系规划知识图谱：从规划原文抽取机构、关系与指标，每条事实引用原句。\n\n"
         "A knowledge graph of China's municipal health-service plans: institutions, relations and figures, "
         "each citing its sentence.\n\n"
         "例 Example: kg build && kg ask \"梧州市第三人民医院的功能定位是什么？\"\n\n"
         "每个命令都有 -h / --help · every command takes -h / --help",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)



def _flags_as_flags() -> None:
    """Help shows a flag as a flag (`--json`), not as `--json <bool>`: a flag takes no value."""
    from typer.core import TyperOption

    if getattr(TyperOption.display_type_rich, "_kg_flags", False):
        return
    original = TyperOption.display_type_rich

    def display_type_rich(self, ctx):
        if getattr(self, "is_flag", False) and not getattr(self, "count", False):
            return None
        return original(self, ctx)

    display_type_rich._kg_flags = True
    TyperOption.display_type_rich = display_type_rich


_flags_as_flags()

_NOT_PLAIN = object()
_DIGITS = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


class PlainValues:
    """typer ≥ 0.16 checks every option's value with a pydantic TypeAdapter: importing pydantic and
    building the adapters is about 0.2 s of each command's start, more than `kg ask` needs to answer.
    The plain values our commands take — a str, a Path, a flag, an Enum choice, an int or float
    inside its bounds — are converted here as typer converts them; everything else (a value typer
    would refuse, a list, a parser, clamping, a file) goes to typer's own coercion, built on first
    need, so what a command receives and every error message stay typer's."""

    def __init__(self, descriptor, typer_coercion) -> None:
        self.descriptor = descriptor
        self._typer_coercion = typer_coercion
        self._full = None

    def coerce(self, value, param, ctx):
        if value is None and not (param.multiple or param.nargs == -1):
            return None
        plain = _NOT_PLAIN if param.multiple or param.nargs != 1 else self._plain(value, param, ctx)
        if plain is not _NOT_PLAIN:
            return plain
        if self._full is None:
            self._full = self._typer_coercion(self.descriptor)
        return self._full.coerce(value, param=param, ctx=ctx)

    def _plain(self, value, param, ctx):
        from enum import Enum

        annotation, info = self.descriptor.annotation, self.descriptor.parameter_info
        if info.parser is not None or self.descriptor.file_annotation is not None:
            return _NOT_PLAIN
        if annotation is str and not (info.allow_dash or info.path_type is not None or info.resolve_path):
            return value if isinstance(value, str) else _NOT_PLAIN
        if annotation is bool:
            return value if isinstance(value, bool) else _NOT_PLAIN
        if annotation in (int, float):
            if info.clamp:
                return _NOT_PLAIN
            if isinstance(value, str) and (_DIGITS if annotation is int else _DECIMAL).fullmatch(value):
                number = annotation(value)
            elif type(value) is annotation or (annotation is float and type(value) is int):
                number = annotation(value)
            else:
                return _NOT_PLAIN
            inside = (info.min is None or number >= info.min) and (info.max is None or number <= info.max)
            return number if inside else _NOT_PLAIN
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            from typer._param_types import coerce_cli_choice

            try:
                return coerce_cli_choice(value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
            except ValueError:
                return _NOT_PLAIN
        path_type = info.path_type or annotation
        if isinstance(annotation, type) and issubclass(annotation, Path) and isinstance(path_type, type) \
                and issubclass(path_type, Path) and isinstance(value, (str, Path)):
            from typer._param_types import coerce_cli_path

            return coerce_cli_path(value if isinstance(value, path_type) else path_type(value), info,
                                   path_type=path_type, param=param, ctx=ctx)
        return _NOT_PLAIN


def _plain_values_without_pydantic() -> None:
    """Let typer's parameters convert plain values with PlainValues (typer versions that coerce
    through pydantic only; older ones use click's types and are left as they are)."""
    from typer import core

    parameter = getattr(core, "_TyperParameter", None)
    typer_coercion = getattr(core, "build_runtime_param", None)
    if parameter is None or typer_coercion is None or getattr(parameter.get_runtime_param, "_kg_plain", False):
        return

    def get_runtime_param(self):
        if self._runtime_param is None:
            self._runtime_param = PlainValues(self.type_descriptor, typer_coercion)
        return self._runtime_param

    get_runtime_param._kg_plain = True
    parameter.get_runtime_param = get_runtime_param


_plain_values_without_pydantic()


def announce_data_dir(value: Path) -> Path:
    """Say which graph a command uses when it is not the per-user default (on a terminal only, so
    output meant for programs stays clean)."""
    from kg.paths import user_default_data_dir

    try:
        if value is not None and sys.stderr.isatty() and value.resolve() != user_default_data_dir().resolve():
            typer.secho(f"图谱 graph: {value}", dim=True, err=True)
    except OSError:
        pass
    return value


DataDir = Annotated[Path, typer.Option("--data-dir", envvar="KG_DATA_DIR", default_factory=default_data_dir,
                                       callback=announce_data_dir,
                                       help="The graph and your own plans (default: the per-user data directory, "
                                            "~/.local/share/kg on Linux; or KG_DATA_DIR).",
                                       show_default=False)]
CorpusDir = Annotated[Path, typer.Option("--corpus", envvar="KG_CORPUS", default_factory=default_corpus_dir,
                                         help="The example plans and their documents.json (default the repository's "
                                              "corpus/).",
                                         show_default=False)]

COMMAND_MODULES = ["kg.commands.graph", "kg.commands.plans", "kg.commands.ask", "kg.commands.sparql", "kg.commands.viz",
                   "kg.commands.serve", "kg.commands.push"]


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    _wrap_commands(app)


def _wrap_commands(typer_app: typer.Typer) -> None:
    """Every command, sub-commands included, turns a KGError into a message and an exit code."""
    for info in typer_app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_kg_wrapped", False):
            info.callback = handle_errors(info.callback)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _wrap_commands(group.typer_instance)


def handle_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KGError as error:
            fail(error)

    wrapper._kg_wrapped = True
    return wrapper


def fail(error: KGError) -> None:
    """Print a KGError as a clean message and exit with its code."""
    typer.secho(f"错误 error: {error}", fg=typer.colors.RED, err=True)
    raise typer.Exit(error.exit_code)


def check_argv(argv: list[str]) -> None:
    """Refuse arguments that are not UTF-8: Python hands them over as lone surrogates, which every
    later step (printing, SPARQL, JSON) would choke on."""
    for n, arg in enumerate(argv, 1):
        bad = [c for c in arg if "\udc80" <= c <= "\udcff"]
        if bad:
            raw = " ".join(f"{ord(c) - 0xDC00:02x}" for c in bad[:8])
            raise InputError(f"argument {n} is not UTF-8 text (bytes {raw}{' …' if len(bad) > 8 else ''})",
                             hint="the terminal or script passes another encoding (GBK?): use a UTF-8 locale, "
                                  "or convert with iconv -f GBK -t UTF-8")


def main() -> None:
    _register()
    try:
        check_argv(sys.argv[1:])
        app()
    except KGError as error:
        typer.secho(f"错误 error: {error}", fg=typer.colors.RED, err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.secho("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


_register()
