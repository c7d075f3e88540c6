"""Go durations as cert-manager decodes them (``time.ParseDuration``)."""

from __future__ import annotations

import pytest

from pulumi_kuberay.models.cert_manager.durations import format_hours, parse_go_duration

HOUR = 3600 * 10**9


@pytest.mark.parametrize(
    ("text", "nanoseconds"),
    [
        ("2160h", 2160 * HOUR),
        ("1h30m", HOUR + 30 * 60 * 10**9),
        ("1.5h", HOUR + HOUR // 2),
        (".5h", HOUR // 2),
        ("5.h", 5 * HOUR),
        ("300ms", 300 * 10**6),
        ("10us", 10_000),
        ("10\u00b5s", 10_000),
        ("0", 0),
        ("-1h", -HOUR),
        ("+2m", 2 * 60 * 10**9),
    ],
)
def test_go_durations_parse(text: str, nanoseconds: int) -> None:
    assert parse_go_duration(text) == nanoseconds


@pytest.mark.parametrize("text", ["", "90d", "1y", "2w", "1", "h", "1h 30m", "1H", ".h", "-"])
def test_what_go_refuses_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a Go duration"):
        parse_go_duration(text)


def test_days_get_the_hours_to_write_instead() -> None:
    with pytest.raises(ValueError, match="write 2160h for 90d"):
        parse_go_duration("90d")


def test_overflow_is_refused() -> None:
    with pytest.raises(ValueError, match="292 years"):
        parse_go_duration("3000000h")


def test_format_hours_for_messages() -> None:
    assert format_hours(2160 * HOUR) == "2160h"
    assert format_hours(HOUR + 30 * 60 * 10**9) == "1h30m"
    assert format_hours(0) == "0m"
