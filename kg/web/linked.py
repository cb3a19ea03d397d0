"""Linked Data pages of `kg serve`: every IRI the graph mints dereferences, and the plan reader.

  /id/…, /vocab/…   the thing the IRI https://w3id.org/healthkg/id/… (…/vocab/…) names: HTML for a
                    browser, Turtle, JSON-LD or N-Triples by `Accept` (or ?format=ttl|jsonld|nt|html)
  /ont              the ontology's terms (hk:GeneralHospital is /ont#GeneralHospital) with their things
  /plan/{file}      the plan reader: the plan's sentences by section, each with the facts read from it
  /plans            the plans of the graph

Pages are rendered from the store by kg/resource.py (values bound, never spliced) into autoescaped
templates; nothing is read from files but the templates and static assets.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import parse_qs, unquote

import anyio
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kg import charts
from kg.resource import BASE, Reader, family, path_of
from kg.web import pages
from kg.web.protocol import HTTPError, parse_accept

RDF_FORMATS = {"ttl": (ox.RdfFormat.TURTLE, "text/turtle"), "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
               "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples")}
ACCEPT = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl", "application/x-turtle": "ttl",
          "application/ld+json": "jsonld", "application/json": "jsonld", "application/n-triples": "nt",
          "*/*": "html", "text/*": "html", "application/*": "jsonld"}


def choose(request: Request) -> str:
    """html, ttl, jsonld or nt: ?format= first, then Accept (a browser gets HTML, curl too)."""
    fmt = (parse_qs(request.url.query).get("format") or [""])[-1]
    if fmt:
        if fmt not in RDF_FORMATS and fmt != "html":
            raise HTTPError(HTTPStatus.NOT_ACCEPTABLE, f"format={fmt[:40]}: choose html, ttl, jsonld or nt")
        return fmt
    accept = request.headers.get("accept") or ""
    if not accept.strip():
        return "html"
    for media, _ in parse_accept(accept):
        if media in ACCEPT:
            return ACCEPT[media]
    raise HTTPError(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer in {accept[:200]}; this page comes as text/html, "
                                               "text/turtle, application/ld+json or application/n-triples")


def reader_of(request: Request) -> Reader:
    return request.app.state.kg.reader()


def _rdf(reader: Reader, iri: str, fmt: str) -> Response:
    rdf_format, media = RDF_FORMATS[fmt]
    return Response(reader.serialize(iri, rdf_format), media_type=media + "; charset=utf-8",
                    headers={"Vary": "Accept"})


def _resource_page(reader: Reader, iri: str) -> str:
    info = reader.describe(iri)
    extra: dict = {}
    fam = family(iri)
    if fam == "measure":
        values = reader.measure_values(iri)
        extra["values"] = values
        extra["chart"] = charts.measure_chart(values, info["label"])
    if fam == "doc":
        doc_iri, _, span = iri.partition("/char/")
        plan = next((p for p in reader.plans() if p["doc"] == doc_iri), None)
        if plan is not None:
            extra["reader_href"] = plan["href"] + (f"#s{span.split('-')[0]}" if span else "")
    alternates = {name: f"{path_of(iri)}?format={name}" for name in RDF_FORMATS}
    return pages.render("resource.html", r=info, alternates=alternates, **extra)


async def resource(request: Request) -> Response:
    """GET /id/… and /vocab/…: the thing the IRI names, in the format asked for."""
    path = unquote(request.url.path)
    iri = BASE + path
    fmt = choose(request)
    reader = await anyio.to_thread.run_sync(reader_of, request)
    if not await anyio.to_thread.run_sync(reader.exists, iri):
        raise HTTPError(HTTPStatus.NOT_FOUND, f"the graph has nothing named {iri[:300]}; see /plans and / for "
                                              "what it holds")
    if fmt != "html":
        return await anyio.to_thread.run_sync(_rdf, reader, iri, fmt)
    html = await anyio.to_thread.run_sync(_resource_page, reader, iri)
    return HTMLResponse(html, headers={"Vary": "Accept"})


def _ontology_page(reader: Reader) -> str:
    return pages.render("ontology.html", terms=reader.ontology_terms())


async def ontology(request: Request) -> Response:
    fmt = choose(request)
    reader = await anyio.to_thread.run_sync(reader_of, request)
    if fmt != "html":
        return await anyio.to_thread.run_sync(_rdf, reader, BASE + "/ont", fmt)
    return HTMLResponse(await anyio.to_thread.run_sync(_ontology_page, reader), headers={"Vary": "Accept"})


def find_sentence(sentences: list[dict], quote: str) -> dict | None:
    """The sentence a quote comes from: the one holding it, else the first one it holds (a quote may
    span a sentence the reader split in two)."""
    quote = "".join(quote.split())
    if not quote:
        return None
    texts = [("".join(s["text"].split()), s) for s in sentences]
    return (next((s for t, s in texts if quote in t), None)
            or next((s for t, s in texts if len(t) >= 6 and t in quote), None))


async def plan(request: Request) -> Response:
    """/plan/{file}: the plan reader; ?quote=… goes to the sentence that quote comes from (#sN)."""
    file = request.path_params["file"]
    reader = await anyio.to_thread.run_sync(reader_of, request)
    text = await anyio.to_thread.run_sync(reader.plan_text, file)
    if text is None:
        raise HTTPError(HTTPStatus.NOT_FOUND, f"no plan with the file name {file[:120]!r} in the graph; see /plans")
    quote = (parse_qs(request.url.query).get("quote") or [""])[-1]
    if quote:
        found = find_sentence(text["sentences"], quote)
        if found is not None:
            return RedirectResponse(f"/plan/{quote_path(file)}#s{found['start']}", status_code=303)
    return HTMLResponse(pages.render("plan.html", plan=text))


def quote_path(file: str) -> str:
    from urllib.parse import quote

    return quote(file, safe="")


async def plan_list(request: Request) -> Response:
    reader = await anyio.to_thread.run_sync(reader_of, request)
    return HTMLResponse(pages.render("plans.html", plans=await anyio.to_thread.run_sync(reader.plans)))
