"""The one pagination helper: parse ?page/sort/order and describe a page of results."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import BadRequest

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
