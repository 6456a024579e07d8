"""Shapes shared by every API module: the error body and the error responses to document."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """Every error answer: a human-readable ``detail``; validation errors add ``errors``."""

    detail: str | list[str]
    errors: list[dict[str, Any]] | None = None


# Documented on every operation, so clients (and the schema tests) know the error shapes.
ERRORS = {401: ErrorOut, 422: ErrorOut}
NOT_FOUND = {404: ErrorOut}

# Text parameters never hold a NUL character: PostgreSQL refuses it in a query (a 500).
# As a pattern it is part of the schema, and a NUL is a 422 like any other bad value.
NO_NUL = r"^[^\x00]*$"
