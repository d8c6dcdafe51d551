"""One conformance check's outcome, and running a check so that any exception becomes a failure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from neuroalign.plugins.resolve import error_text


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes
    ----------
    name : str
        What was checked (``"model my-net: extracts its declared layers"``).
    passed : bool
    detail : str
        Why it failed, or a short note on what passed.
    """

    name: str
    passed: bool
    detail: str = ""

    def line(self) -> str:
        """``PASS name`` or ``FAIL name: detail``, as ``neuroalign plugin check`` prints it."""
        suffix = f": {self.detail}" if self.detail else ""
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}{suffix}"


def run_check(name: str, check: Callable[[], str]) -> CheckResult:
    """Run ``check`` (which returns a note, or raises on failure) as the check ``name``.

    Every exception fails the check instead of stopping the suite: a plugin author wants all failures at once.
    """
    try:
        note = check()
    except Exception as error:  # noqa: BLE001 - the plugin's own code may raise anything; report it
        return CheckResult(name, False, error_text(error))
    return CheckResult(name, True, note or "")


class CheckFailed(AssertionError):
    """Raised inside a check to fail it with a message (any other exception fails it too)."""


def require(condition: bool, message: str) -> None:
    """Fail the running check with ``message`` unless ``condition``."""
    if not condition:
        raise CheckFailed(message)
