"""`kg ask`: questions in Chinese, answered from the graph with citations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli import DataDir, app
from kg.safe_text import visible

if TYPE_CHECKING:
    from rich.text import Text
from kg.commands.push import Auth, AuthKind, Endpoint, Password, PasswordFile, User


def _text(value: object, style: str = "") -> Text:
    """Text from a question, a plan or the graph: shown as written (no rich markup, no terminal controls)."""
    from rich.text import Text

    return Text(visible("" if value is None else str(value)), style=style)


def _print_reply(result: dict, explained: str | None = None) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    if explained:
        console.print(_text(explained, "dim"))
        if result.get("sparql"):
            console.print(_text(result["sparql"], "dim"))
    style = {"answered": "green", "ambiguous": "yellow", "passage": "cyan"}.get(result["status"], "red")
    console.print(_text(result["message"], style))
    for answer in result["answers"]:
        console.print(_text(f"  • {answer['text']}" + ("  [推理]" if answer.get("inferred") else "")))
        for src in answer.get("sources", [])[:2]:
            console.print(_text(f"    《{src.get('title') or src['doc']}》：{src['quote']}", "dim"))
    if result.get("passages"):
        console.print(_text("原文相关内容（不是答案）：", "yellow"))
        for src in result["passages"]:
            console.print(_text(f"  《{src.get('title') or src['doc']}》：{src['quote']}", "dim"))


def _batch_item(n: int, line: str) -> tuple[object, object] | str:
    """(id, question) of one --batch line: a JSON object {"id", "q"}, or else the line itself as
    the question (plain text, one question a line). A string is an error message."""
    stripped = line.strip()
    if not stripped.startswith(("{", "[")):
        return n, stripped
    try:
        item = json.loads(stripped)
        return item.get("id", n), item.get("q", "")
    except (ValueError, AttributeError):  # broken JSON, or JSON that is not an object
        return f"第 {n} 行不是 {{\"id\",\"q\"}} JSON。line {n} is not a JSON object {{\"id\", \"q\"}}."


def _batch_line(kb, n: int, line: str) -> dict:
    """The reply to one line of a --batch file; a line that cannot be read is an error for that line only.
    Lines are independent questions: none inherits the city or institution of another."""
    from kg.qa import ask

    def error(qid: object, message: str) -> dict:
        return {"id": qid, "question": visible(line[:200]), "status": "error", "answers": [], "template": None,
                "sparql": None, "message": message}

    item = _batch_item(n, line)
    if isinstance(item, str):
        return error(n, item)
    qid, q = item
    if q is None:
        return error(qid, f"第 {n} 行没有问题（q）。line {n} has no question (q).")
    if any(_is_surrogate(ch) for ch in f"{qid}{q}"):
        return error(qid if not any(_is_surrogate(ch) for ch in str(qid)) else n,
                     f"第 {n} 行含有无效字符（孤立代理项 \\ud800–\\udfff）。line {n} holds a lone surrogate, "
                     "not a character.")
    return ask(kb, q, qid=qid)


def _is_surrogate(ch: str) -> bool:
    return "\ud800" <= ch <= "\udfff"


@app.command()
def ask(data_dir: DataDir,
        question: Annotated[str | None, typer.Argument(help="The question, in Chinese.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per answer.")] = False,
        batch: Annotated[Path | None, typer.Option(
            "--batch", help="File of questions: one a line, as plain text or JSON {\"id\",\"q\"}.")] = None,
        explain_: Annotated[bool, typer.Option("--explain", help="Show entities, template scores and SPARQL.")] = False,
        endpoint: Endpoint = None,
        user: User = None,
        password: Password = None,
        password_file: PasswordFile = None,
        auth: Auth = AuthKind.basic,
        ) -> None:
    """Ask a question in Chinese; the answer cites the plan and the sentence it comes from.

    Example: kg ask "梧州市有哪些中医医院？"   ·   kg ask --batch questions.jsonl --json
    ·   kg ask --endpoint http://127.0.0.1:7878/query "梧州市有哪些中医医院？"
    """
    from kg.qa import ask as ask_one
    from kg.qa import explain, explain_text, load

    if question is not None and not question.strip() and batch is None:
        typer.secho("错误 error: 问题为空。请输入一个中文问题，例如：kg ask \"梧州市有哪些中医医院？\"",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    if endpoint:
        from kg.commands.push import remote_store

        kb = load(data_dir, store=remote_store(endpoint, user, password, auth, password_file=password_file))
    else:
        kb = load(data_dir)
    if batch is not None:
        try:
            lines = batch.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            typer.secho(f"错误 error: cannot read {batch}: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(2) from None
        for n, line in enumerate(lines, 1):
            if line.strip():
                typer.echo(json.dumps(_batch_line(kb, n, line), ensure_ascii=False))
        return
    if question is None:
        _interactive(kb, as_json, explain_)
        return
    result = ask_one(kb, question)
    if as_json:
        if explain_:
            result = result | {"explain": explain(kb, question)}
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        _print_reply(result, explain_text(explain(kb, question)) if explain_ else None)
    if result["status"] == "error":
        raise typer.Exit(2)


def _interactive(kb, as_json: bool, explain_: bool) -> None:
    from kg.qa import Context, answer, explain, explain_text

    typer.echo("输入问题（空行或 Ctrl-D 退出）。追问时可用“它/该院”指上一个机构，或问“那X呢？”“2020年呢？”。")
    context = Context()
    while True:
        try:
            line = _read_line()
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if not line.strip():
            return
        if any("\udc80" <= ch <= "\udcff" for ch in line):
            # bytes that are not UTF-8 (a GBK terminal): say so and keep the session going
            result = {"id": None, "question": "", "status": "error", "answers": [], "template": None,
                      "sparql": None, "message": "这一行不是 UTF-8 文本（可能是 GBK 编码），请用 UTF-8 输入。"}
            typer.echo(json.dumps(result, ensure_ascii=False) if as_json else result["message"])
            continue
        explained = explain(kb, line, context) if explain_ else None
        result, context = answer(kb, line, context)
        if as_json:
            typer.echo(json.dumps(result | ({"explain": explained} if explained else {}), ensure_ascii=False))
        else:
            _print_reply(result, explain_text(explained) if explained else None)
        sys.stdout.flush()


def _read_line() -> str:
    """One line of the session: from the terminal with line editing, else from the raw bytes of
    stdin, one line at a time, so a line that is not UTF-8 is refused without losing the next."""
    if sys.stdin.isatty() or not hasattr(sys.stdin, "buffer"):
        try:
            return input("问> ")
        except UnicodeDecodeError:
            return "\udcff"
    sys.stdout.write("问> ")
    sys.stdout.flush()
    raw = sys.stdin.buffer.readline()
    if not raw:
        raise EOFError
    return raw.decode("utf-8", errors="surrogateescape").rstrip("\r\n")

