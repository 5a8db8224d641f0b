"""The compiled templates, kept between server starts.

Compiling the web app's templates takes about half a second (measured: 500-640 ms for
all of them, 10-20 ms to load them back from this cache), paid by the first request of
each page after ``followup serve`` starts. Jinja2 checks each kept file against its
template's source, so an upgrade or an edit never runs stale code. The cache is a
convenience only: a folder that cannot be made or written (a read-only home) means
compiling as before, never an error.
"""

from __future__ import annotations

import contextlib
import os

import jinja2


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's file cache, silent when the disk says no."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache() -> TemplateCache | None:
    """The cache in the user's cache folder (``~/.cache/followup/templates``), if usable."""
    from platformdirs import user_cache_dir  # noqa: PLC0415 - the web app's start only

    folder = os.path.join(user_cache_dir("followup"), "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return None
    return TemplateCache(folder)
