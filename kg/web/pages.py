"""Pages from jinja2 templates (autoescaped) and the static assets they load, all in kg/data/web/.

Data that a script needs goes into `<script type="application/json">` through the `tojson` filter,
which escapes `<`, `>`, `&` and `'`, and is read with JSON.parse: no value can end the element or
become markup. Pages load scripts and styles from /static/ only, so the Content-Security-Policy
allows no inline script. A page written to a file (`kg viz --format html`, opened offline) inlines
its script and style and allows exactly those by their SHA-256 in a CSP <meta>.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

import jinja2
from markupsafe import Markup

from kg.paths import PACKAGE_DATA

WEB_DIR = PACKAGE_DATA / "web"
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
# Served pages: same-origin scripts, styles, fetches and frames; nothing inline; framed only by us.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=False)
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return env


@cache
def column_labels() -> dict[str, str]:
    """Chinese headers of result columns by variable name (kg/data/web/columns.yaml)."""
    import yaml

    return yaml.safe_load((WEB_DIR / "columns.yaml").read_text(encoding="utf-8")) or {}


def column_label(name: str) -> str:
    return column_labels().get(name, name)


@cache
def example_questions() -> list[str]:
    """One example question of each family of queries/questions.yaml (the questions `kg ask` answers),
    for the home page to offer as links."""
    import yaml

    from kg.paths import QUERIES_DIR

    try:
        config = yaml.safe_load((QUERIES_DIR / "questions.yaml").read_text(encoding="utf-8")) or {}
    except OSError:
        return []
    out: list[str] = []
    for family in config.get("families") or []:
        for example in (family.get("examples") or [])[:1]:
            if isinstance(example, str) and example not in out:
                out.append(example)
    return out


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def _asset(name: str, closing: str) -> Markup:
    """A shipped asset to inline; it must not close its own element."""
    text = (STATIC_DIR / name).read_text(encoding="utf-8")
    if closing in text.lower():
        raise ValueError(f"{name} contains {closing}")
    return Markup(text)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def viz_page(network: dict, standalone: bool, kinds_switch: tuple[str, str] | None = None) -> str:
    """The network page of `kg viz`: served (/viz, assets from /static/, with a link that switches the
    kind references) or one offline file."""
    title = network.get("title") or "kg viz"
    if not standalone:
        href, text = kinds_switch or ("", "")
        return render("viz.html", standalone=False, title=title, network=network, kinds_href=href, kinds_text=text)
    css, js = _asset("viz.css", "</style"), _asset("viz.js", "</script")
    csp = (f"default-src 'none'; script-src {_sha256(js)}; style-src {_sha256(css)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    return render("viz.html", standalone=True, title=title, network=network, css=css, js=js, csp=csp)
