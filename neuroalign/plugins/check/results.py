"""One conformance check's outcome, and running a check so that any exception becomes a failure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from neuroalign.errors.adapters import MissingDataError
from neuroalign.plugins.resolve import error_text


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes
    ----------
    name : str
        What was checked (``"model my-net: extracts its declared layers"``).
    passed : bool
        False only for a defect; a check that could not run here (``skipped``) is not one.
    detail : str
        Why it failed or was skipped, or a short note on what passed.
    skipped : bool
        The check could not run on this machine (its dataset is not here), so it says nothing either way.
    """

    name: str
    passed: bool
    detail: str = ""
    skipped: bool = False

    def line(self) -> str:
        """``PASS name``, ``SKIP name: why`` or ``FAIL name: detail``, as ``neuroalign plugin check`` prints it."""
        suffix = f": {self.detail}" if self.detail else ""
        status = "SKIP" if self.skipped else "PASS" if self.passed else "FAIL"
        return f"{status}  {self.name}{suffix}"


def run_check(name: str, check: Callable[[], str]) -> CheckResult:
    """Run ``check`` (which returns a note, or raises on failure) as the check ``name``.

    Every exception fails the check instead of stopping the suite: a plugin author wants all failures at once. A
    dataset that is not on this machine skips the check: that is no defect of the plugin, and not a pass either.
    """
    try:
        note = check()
    except MissingDataError as error:
        return CheckResult(name, True, f"not checked here: {error_text(error)}", skipped=True)
    except Exception as error:  # noqa: BLE001 - the plugin's own code may raise anything; report it
        return CheckResult(name, False, error_text(error))
    return CheckResult(name, True, note or "")


class CheckFailed(AssertionError):
    """Raised inside a check to fail it with a message (any other exception fails it too)."""


def require(condition: bool, message: str) -> None:
    """Fail the running check with ``message`` unless ``condition``."""
    if not condition:
        raise CheckFailed(message)
