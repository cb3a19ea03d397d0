"""Exceptions with coded, actionable messages. The CLI maps them to exit codes, never tracebacks."""

from __future__ import annotations


class KGError(Exception):
    """Base class: `code` is stable, `message` says what happened and what to do next."""

    code = "KG000"
    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}" + (f"\n  → {self.hint}" if self.hint else "")


class InputError(KGError):
    """A command-line argument is not text (bytes in another encoding than UTF-8, e.g. GBK)."""

    code = "KG001"
    exit_code = 2


class OutputError(KGError):
    """An output file cannot be written (-o into a missing or read-only directory, or onto a directory)."""

    code = "KG002"
    exit_code = 1


class CorpusError(KGError):
    """The corpus directory, a plan file or its metadata is missing or unreadable."""

    code = "KG100"
    exit_code = 2


class NotTextError(CorpusError):
    """A file given as a plan is not text (binary, or an encoding we cannot read)."""

    code = "KG101"


class MetadataError(CorpusError):
    """documents.json or the metadata passed to `kg add` is invalid."""

    code = "KG102"


class StoreError(KGError):
    """The graph directory is missing, read-only, or holds a store that cannot be opened."""

    code = "KG200"
    exit_code = 3


class NoGraphError(StoreError):
    """No graph has been built in the data directory yet."""

    code = "KG201"


class QueryError(KGError):
    """A SPARQL query cannot be parsed, is not allowed on this path, or timed out."""

    code = "KG300"
    exit_code = 4


class QuestionError(KGError):
    """A question cannot be read at all (empty, too long, not text)."""

    code = "KG400"
    exit_code = 5


class TemplateError(KGError):
    """A question template or query template is malformed (checked at load)."""

    code = "KG401"
    exit_code = 6


class RemoteError(KGError, OSError):
    """A SPARQL server cannot be reached, refused the credentials, timed out or answered with an error.

    It is also an OSError, like pyoxigraph's I/O errors, so code written for the embedded store
    (`except OSError`) reports it as a failed query instead of crashing.
    """

    code = "KG500"
    exit_code = 7
