"""Keyset pagination for every list: an opaque cursor of (sort key, id), pages of at most 200.

Keyset instead of OFFSET keeps page 1,000 as fast as page 1 and stable under inserts.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel, Field

from leadsignal.core.errors import ApiError

T = TypeVar("T")
MAX_LIMIT = 200

# Ids as the database stores them (BIGINT): larger numbers are a 422, not a driver overflow.
MAX_ID = 2**63 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
# PostgreSQL text cannot hold NUL; refuse it at the edge instead of failing in the driver.
NO_NUL = r"^[^\x00]*$"

LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (at most 200).")]
CursorQuery = Annotated[
    str | None, Query(max_length=512, description="`next_cursor` of the previous page; omit for the first.")
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(key: Any, row_id: int) -> str:
    value = key.isoformat() if isinstance(key, dt.datetime | dt.date) else key
    raw = json.dumps([value, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, key_type: type[str] | type[int] | type[dt.datetime]) -> tuple[Any, int]:
    """The (sort key, id) a cursor holds; 400 when it was not made by ``encode_cursor``."""
    bad = ApiError(400, "invalid_cursor", "cursor is not one this API returned")
    try:
        key, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise bad from exc
    if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 <= row_id <= MAX_ID:
        raise bad
    if key_type is dt.datetime:
        try:
            parsed = dt.datetime.fromisoformat(key) if isinstance(key, str) else None
        except ValueError as exc:
            raise bad from exc
        if parsed is None or parsed.tzinfo is None:
            raise bad
        return parsed, row_id
    if not isinstance(key, key_type) or isinstance(key, bool) or (isinstance(key, int) and not 0 <= key <= MAX_ID):
        raise bad
    if isinstance(key, str) and "\x00" in key:
        raise bad
    return key, row_id
