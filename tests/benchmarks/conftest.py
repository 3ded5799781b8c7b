"""Benchmarks (make bench): each prints a table of figures and the ratio to its target."""

import pytest

_RESULTS: list[tuple[str, str, str, str]] = []


@pytest.fixture
def report():
    """report(name, measured, target, verdict) adds a row to the table printed at the end."""

    def add(name: str, measured: str, target: str, ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("meets target" if ok else "MISSES target")
        _RESULTS.append((name, measured, target, verdict))

    return add


def pytest_terminal_summary(terminalreporter):
    if not _RESULTS:
        terminalreporter.write_line("No benchmarks recorded figures.")
        return
    widths = [max(len(r[i]) for r in [("benchmark", "measured", "target", "verdict"), *_RESULTS]) for i in range(4)]
    terminalreporter.section("benchmark results")
    for row in [("benchmark", "measured", "target", "verdict"), *_RESULTS]:
        terminalreporter.write_line("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
