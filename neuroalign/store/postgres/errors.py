"""psycopg's errors as the store's own, each naming the store (its URL without the password) and what to do."""

from __future__ import annotations

import contextlib
from typing import Iterator

from neuroalign.errors.applications import StoreAccessError, StoreError, StoreLockedError
from neuroalign.store.postgres.driver import psycopg_module


@contextlib.contextmanager
def postgres_errors(location: str, timeout: float) -> Iterator[None]:
    """Re-raise psycopg's errors as :class:`StoreLockedError`, :class:`StoreAccessError` or :class:`StoreError`.

    Parameters
    ----------
    location : str
        The store's URL with its password hidden (:func:`~neuroalign.store.location.redact_url`).
    timeout : float
        The lock timeout the connection was opened with, for the message.
    """
    psycopg = psycopg_module()
    try:
        yield
    except psycopg.errors.LockNotAvailable as exc:  # before OperationalError, of which it is a kind
        raise StoreLockedError(
            f"results store {location} is locked: another connection held a lock this write needs for more than "
            f"{timeout:g} s ({_one_line(exc)}). Wait for the other writer to finish (or stop it), or open the "
            f"store with a longer timeout, ResultsStore(url, timeout=...)."
        ) from exc
    except psycopg.OperationalError as exc:
        if not _connection_problem(exc):
            raise StoreError(f"results store {location}: PostgreSQL reported {type(exc).__name__}: "
                             f"{_one_line(exc)}") from exc
        raise StoreAccessError(
            f"cannot use the results store {location}: PostgreSQL says {_sentence(exc)} Check that the server "
            f"runs and that the host, port, user, password and database in the URL are right (the database must "
            f"exist: createdb -O <user> <name>; the user needs the right to create tables in it)."
        ) from exc
    except psycopg.Error as exc:
        raise StoreError(f"results store {location}: PostgreSQL reported {type(exc).__name__}: "
                         f"{_one_line(exc)}") from exc


def _connection_problem(exc: BaseException) -> bool:
    """Whether the server could not be reached or refused the session (no SQLSTATE: libpq's own error; 08:
    connection exception; 28: authorization; 3D: no such database; 57P: the server shut down or cannot start)."""
    state = getattr(exc, "sqlstate", None)
    return state is None or state[:2] in ("08", "28", "3D") or state[:3] == "57P"


def _sentence(exc: BaseException) -> str:
    """:func:`_one_line`, ending with one full stop (libpq's messages end with one, or with a question)."""
    text = _one_line(exc)
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _one_line(exc: BaseException) -> str:
    """The server's message on one line (libpq's messages span several)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return "; ".join(lines) if lines else type(exc).__name__
