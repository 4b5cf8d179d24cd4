"""Progress bars of the long stages: tqdm on a terminal, nothing otherwise."""

from __future__ import annotations

from typing import Any


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, *, desc: str, enabled: bool) -> Any:
    """A bar counting images (``.update(n)``, ``.close()``); a silent one when not
    ``enabled``. tqdm also stays silent when stderr is not a terminal."""
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="img", desc=desc, disable=None)
