"""The Report page: the proof of applications for a period, to print or download.

A GET form (the period is in the address, so the page can be bookmarked and reloaded);
the same period downloads as CSV (``/report.csv``) or PDF (``/report.pdf``). Nothing here
writes, so there is nothing to post.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from followup.domain.proof import Proof
from followup.entrypoints.web.rendering import render
from followup.entrypoints.web.state import deps_of
from followup.errors import InvalidInput
from followup.formats import proof as layout
from followup.services import proof as service

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False)

#: The longest text a period field is read from (a date is ten characters).
_LONGEST = 40


@pages.get("/report", response_class=HTMLResponse)
async def report_page(request: Request) -> Response:
    first, last = _asked(request)
    try:
        proof = _proof(request, first, last)
    except InvalidInput as e:
        context: dict[str, object] = {
            "proof": None,
            "table": None,
            "error": str(e),
            "first": first,
            "last": last,
        }
        return render(request, "report.html", context, status=400)
    query = urlencode({"from": proof.first.isoformat(), "to": proof.last.isoformat()})
    context = {
        "proof": proof,
        "table": Markup(layout.html_table(proof, link=True)),  # noqa: S704 - escaped there
        "period": layout.period_line(proof),
        "error": None,
        "first": proof.first.isoformat(),
        "last": proof.last.isoformat(),
        "query": query,
    }
    return render(request, "report.html", context)


@pages.get("/report.csv")
async def report_csv(request: Request) -> Response:
    proof = _proof(request, *_asked(request))
    return Response(
        layout.to_csv(proof).encode("utf-8-sig"),  # the BOM: Excel then reads it as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_name(proof)}.csv"'},
    )


@pages.get("/report.pdf")
async def report_pdf(request: Request) -> Response:
    from followup.formats.proof_pdf import find_font, to_pdf  # noqa: PLC0415

    proof = _proof(request, *_asked(request))
    return Response(
        to_pdf(proof, find_font()),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_name(proof)}.pdf"'},
    )


def _asked(request: Request) -> tuple[str | None, str | None]:
    first = request.query_params.get("from") or None
    last = request.query_params.get("to") or None
    return (first[:_LONGEST] if first else None, last[:_LONGEST] if last else None)


def _proof(request: Request, first: str | None, last: str | None) -> Proof:
    deps = deps_of(request)
    now = deps.clock.now()
    start, end = service.period(deps, first, last, now)
    return service.proof(deps, start, end, now)


def _name(proof: Proof) -> str:
    """``proof-2026-03-01-to-2026-03-31``: ASCII only, so the header needs no encoding."""
    return f"proof-{proof.first.isoformat()}-to-{proof.last.isoformat()}"
