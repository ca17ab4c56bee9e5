"""The retry policy's arithmetic: Retry-After parsing and capped, jittered backoff."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from psa.connectwise.retry import RetryPolicy, parse_retry_after


@pytest.mark.parametrize(
    ("header", "expected"),
    [("5", 5.0), (" 2.5 ", 2.5), ("-3", 0.0), ("", None), (None, None), ("soon", None),
     ("nan", None), ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0)],
)
def test_retry_after_parses_seconds_and_http_dates(header: str | None,
                                                   expected: float | None) -> None:
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == expected


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, random=lambda: 0.0)
    assert [policy.backoff(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    top = RetryPolicy(base_delay=1.0, max_delay=8.0, random=lambda: 0.999999)
    assert all(top.backoff(n) <= 8.0 for n in range(1, 50))
