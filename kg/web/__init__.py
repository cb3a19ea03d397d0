"""`kg serve`'s web application: SPARQL protocol, question API and pages (Starlette on uvicorn).

Modules: `app` (routes, in one place), `protocol` (SPARQL 1.1 Protocol: negotiation, formats),
`pool` and `worker` (queries in sandboxed worker processes), `http` (the uvicorn server, Host check,
security headers), `pages` (jinja2 templates and static assets of kg/data/web/). Importing this
package imports nothing heavy: `kg viz` uses `kg.web.pages` alone.
"""
