"""Results kept for the whole server, for work that reports progress while it runs.

``st.cache_data`` replays every Streamlit element a cached function wrote. Progress written from
inside a solve (lines in a status box, a progress bar made outside the function) would then
reappear on each later page that asks for the result, or fail to replay at all
(``CacheReplayClosureError``) once the element it wrote to is gone. A ``ServerCache`` only stores
results: whoever asks computes outside it and reports progress as it likes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ServerCache(Generic[V]):
    """The ``size`` most recently used results by key, safe to share between sessions' threads.
    Values are shared, not copied: store frozen objects only."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"a cache needs room for at least one result, got {size}")
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)
