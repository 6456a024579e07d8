"""Per-request (or per-command) context that services read without threading it through."""

import contextvars
import uuid

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str:
    """The id of the request or command being served; commands get one per process."""
    value = request_id.get()
    if value is None:
        value = f"cli-{uuid.uuid4().hex[:24]}"
        request_id.set(value)
    return value
