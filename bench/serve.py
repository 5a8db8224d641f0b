"""A followup web server for the benchmark: ``python -m bench.serve DB PORT [--no-cache]``.

One uvicorn worker, as ``followup serve`` runs it; ``--no-cache`` turns the page cache off
(``create_app(page_cache=False)``): every page is rendered afresh, which is what a page costs
right after a write, and most of the time on a server with many users.
"""

from __future__ import annotations

import sys

import uvicorn

from bench.synthetic import NOW
from followup import bootstrap
from followup.adapters.clock import FixedClock
from followup.entrypoints.web.app import create_app

if __name__ == "__main__":
    db, port = sys.argv[1], int(sys.argv[2])
    app = create_app(
        lambda: bootstrap.build(db, clock=FixedClock(NOW)),
        port=port,
        page_cache="--no-cache" not in sys.argv,
    )
    uvicorn.run(app, host="127.0.0.1", port=port, workers=1, log_level="warning")
