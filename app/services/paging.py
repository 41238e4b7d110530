"""Reading a whole filtered list a page at a time, for exports: the same ``list`` method
(so the same filters and order) the screens page with, and only one page in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

EXPORT_PAGE_SIZE = 500

def iter_pages(fetch: Callable[..., Any], filters: object,
               page_size: int = EXPORT_PAGE_SIZE,
               cursor: Callable[[Any], Any] | None = None) -> Iterator[Any]:
    """Every row ``fetch(filters, offset, limit, count)`` lists, in its order. A row that
    moves to a later page while reading (a new call pushes the others down) is given once.

    With ``cursor`` (a row's sort key), later pages are asked for as ``after=`` the last
    row's key instead of by offset: each page then costs the same, however deep."""
    seen: set[int] = set()
    offset = 0
    after = None
    while True:
        page = fetch(filters, offset, page_size, False) if after is None \
            else fetch(filters, offset, page_size, False, after=after)
        if cursor is not None and page.rows:
            after = cursor(page.rows[-1])
        for row in page.rows:
            if row.id not in seen:
                seen.add(row.id)
                yield row
        if len(page.rows) < page_size:
            return
        offset += page_size
