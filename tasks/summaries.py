"""Task results: a near_core summary dataclass as the plain dict a task returns."""

from __future__ import annotations

import dataclasses
import json
from typing import Any


def summary_dict(summary: Any, **extra: Any) -> dict[str, Any]:
    """The fields of the dataclass ``summary`` as JSON-ready values (tuples become lists,
    counters dicts), ``line`` (its one-line account, when it has a ``line()``), plus ``extra``.
    The one way every task turns its near_core summary into a dict."""
    data = json.loads(json.dumps(dataclasses.asdict(summary), default=str))
    if callable(getattr(summary, "line", None)):
        data["line"] = summary.line()
    return data | extra
