"""Sounds: read a WAV file (or take an array) as a mono float waveform with its sampling rate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from neuroalign.errors.adapters import PayloadError


def load_audio(stimulus_id: str, value: Any) -> tuple[np.ndarray, int | None]:
    """Return ``(waveform, rate)``: a mono float32 waveform and its rate (``None`` for a bare array).

    Raises
    ------
    PayloadError
        If the file is missing or not a readable WAV file.
    """
    if isinstance(value, np.ndarray):
        return np.asarray(value, dtype=np.float32).reshape(-1), None
    if isinstance(value, tuple) and len(value) == 2:
        return np.asarray(value[0], dtype=np.float32).reshape(-1), int(value[1])
    from scipy.io import wavfile

    if not Path(value).is_file():
        raise PayloadError(stimulus_id, value, "audio file not found")
    try:
        rate, data = wavfile.read(value)
    except (ValueError, OSError) as error:
        raise PayloadError(stimulus_id, value, f"not a readable WAV file ({error})") from error
    data = np.asarray(data)
    if np.issubdtype(data.dtype, np.integer):  # integer PCM -> [-1, 1]
        data = data.astype(np.float32) / np.float32(np.iinfo(data.dtype).max)
    if data.ndim == 2:
        data = data.mean(axis=1)
    return data.astype(np.float32), int(rate)


def resample(waveform: np.ndarray, rate: int | None, target: int) -> np.ndarray:
    """Resample ``waveform`` from ``rate`` to ``target`` Hz (polyphase; unchanged when rates agree or unknown)."""
    if rate is None or rate == target:
        return waveform
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(rate, target)
    return resample_poly(waveform, target // g, rate // g).astype(np.float32)
