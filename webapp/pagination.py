"""The one pagination helper: parse ?page/sort/order and describe a page of results."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .errors import BadRequest

if TYPE_CHECKING:
    from .db import Conn

API_PAGE_SIZE = 100
# Far beyond any real list, small enough that OFFSET arithmetic stays cheap and in range.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class PageRequest:
    page: int
    per_page: int
    sort: str
    order: str

    @property
    def limit(self) -> int:
        return self.per_page

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def describe(self, total_items: int) -> dict[str, int]:
        """The `pagination` object of the API (and the pager of the pages)."""
        return {
            "current_page": self.page,
            "total_pages": math.ceil(total_items / self.per_page),
            "total_items": total_items,
            "items_per_page": self.per_page,
        }


def parse_page_request(
    args: Mapping[str, str],
    *,
    per_page: int = API_PAGE_SIZE,
    sorts: Mapping[str, Any] | None = None,
    default_sort: str = "id",
    default_order: str = "asc",
    prefix: str = "",
) -> PageRequest:
    """Read `page`, `sort` and `order` (optionally prefixed, for a second table on a page).

    Raises BadRequest naming the parameter when a value is not allowed.
    """
    page_name, sort_name, order_name = (f"{prefix}page", f"{prefix}sort", f"{prefix}order")
    raw_page = args.get(page_name, "1").strip() or "1"
    # isdigit() alone accepts '²' (int() then fails) and thousands of digits (int() refuses)
    well_formed = raw_page.isascii() and raw_page.isdigit() and len(raw_page) <= 12
    if not well_formed or not 1 <= int(raw_page) <= MAX_PAGE:
        raise BadRequest(
            f"'{page_name}' must be a whole number from 1 to {MAX_PAGE}, got {raw_page[:20]!r}",
            parameter=page_name,
        )
    sort = args.get(sort_name, "").strip() or default_sort
    allowed = sorted(sorts) if sorts is not None else [default_sort]
    if sort not in allowed:
        raise BadRequest(
            f"'{sort_name}' must be one of {', '.join(allowed)}; got {sort[:40]!r}",
            parameter=sort_name,
        )
    order = (args.get(order_name, "").strip() or default_order).lower()
    if order not in ("asc", "desc"):
        raise BadRequest(
            f"'{order_name}' must be asc or desc, got {order[:20]!r}", parameter=order_name
        )
    return PageRequest(int(raw_page), per_page, sort, order)


@dataclass(frozen=True)
class Listing:
    """One page of a list: its rows and the `pagination` object describing the page."""

    items: list[dict[str, Any]]
    pagination: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        """The API's list shape."""
        return {"items": self.items, "pagination": self.pagination}


@dataclass(frozen=True)
class ListKind:
    """A paginated list: its query pair and the sorts it allows.

    Every list, in the API and on the pages, is read the same way: `parse` the query
    string (400 naming a bad parameter), then `fetch` one page and the total.
    `rows(conn, *args, limit=, offset=[, sort=, order=], **keywords)` and
    `count(conn, *args, **keywords)` are the two query functions; `rows_only` names
    the keywords only the page of rows takes (whose counters to show, say), never the
    count. A list without `sorts` takes no sort.
    """

    rows: Callable[..., Awaitable[list[dict[str, Any]]]]
    count: Callable[..., Awaitable[int]]
    sorts: Mapping[str, Any] | None = None
    default_sort: str = "id"
    rows_only: frozenset[str] = frozenset()

    def parse(
        self,
        args: Mapping[str, str],
        *,
        per_page: int = API_PAGE_SIZE,
        prefix: str = "",
        sortable: bool = True,
    ) -> PageRequest:
        """The page asked for; `sortable=False` for a table shown in one fixed order
        (`order` is still checked, as on every list, but the rows keep their order)."""
        page = parse_page_request(
            args,
            per_page=per_page,
            sorts=self.sorts if sortable else None,
            default_sort=self.default_sort,
            prefix=prefix,
        )
        return page if sortable else replace(page, order="asc")

    async def fetch(
        self, conn: Conn, page: PageRequest, *args: Any, sort: str | None = None, **keywords: Any
    ) -> Listing:
        """One page of rows and the total; `sort` overrides the page's (a ranked search)."""
        window: dict[str, Any] = {"limit": page.limit, "offset": page.offset}
        if self.sorts is not None:
            window.update(sort=sort or page.sort, order=page.order)
        items = await self.rows(conn, *args, **window, **keywords)
        counted = {key: value for key, value in keywords.items() if key not in self.rows_only}
        return Listing(items, page.describe(await self.count(conn, *args, **counted)))
