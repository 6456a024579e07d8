"""Limit/offset pagination with bounds: an unbounded limit or offset reached the database
as an integer it cannot hold (SQLite: "datatype mismatch", a 500) and let one call ask
for every row at once. Out-of-range values are a 422 like any other invalid parameter."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"page size, 1 to {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="rows to skip")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
