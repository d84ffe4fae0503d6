"""Keyed pseudonyms: HMAC-SHA-256 of each identifier, as lowercase hex.

A pseudonym is ``hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()``,
so any party holding the key computes the same one with a standard library. The key is
held in memory only; nothing here writes or logs it.

Tens of millions of identifiers make the Python loop the slowest step of a release (about
a microsecond each), so the batch function runs a compiled loop when it can: numba drives
OpenSSL's SHA-256 block function (which uses the CPU's SHA instructions) starting from the
two precomputed HMAC pad states, on two threads. When numba or that OpenSSL symbol is not
available it falls back to the standard library, which is slower but gives the same bytes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import hmac
import itertools
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MIN_KEY_BYTES = 16
_CHUNK = 8192


def pseudonym(key: bytes, identifier: str) -> str:
    """The pseudonym of one identifier: the reference definition."""
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def key_identifier(key: bytes) -> str:
    """A short, one-way name for a key, so two parties can tell they hold the same one.

    It is an HMAC under the key of a fixed label, so it reveals nothing about the key and
    cannot be used to compute pseudonyms.
    """
    return hmac.new(key, b"carepact pseudonym key identifier", hashlib.sha256).hexdigest()[:16]


def _pad_state(key: bytes, pad: int) -> np.ndarray:
    """SHA-256 state words after absorbing the key block XOR ``pad`` (one 64-byte block)."""
    block = (
        key.ljust(64, b"\0") if len(key) <= 64 else hashlib.sha256(key).digest().ljust(64, b"\0")
    )
    padded = bytes(b ^ pad for b in block)
    # Run the reference compression in Python once: 64 rounds, negligible cost.
    return np.array(_compress_py(_IV, padded), dtype=np.uint32)


_IV = (
    0x6A09E667,
    0xBB67AE85,
    0x3C6EF372,
    0xA54FF53A,
    0x510E527F,
    0x9B05688C,
    0x1F83D9AB,
    0x5BE0CD19,
)
_K = (
    0x428A2F98,
    0x71374491,
    0xB5C0FBCF,
    0xE9B5DBA5,
    0x3956C25B,
    0x59F111F1,
    0x923F82A4,
    0xAB1C5ED5,
    0xD807AA98,
    0x12835B01,
    0x243185BE,
    0x550C7DC3,
    0x72BE5D74,
    0x80DEB1FE,
    0x9BDC06A7,
    0xC19BF174,
    0xE49B69C1,
    0xEFBE4786,
    0x0FC19DC6,
    0x240CA1CC,
    0x2DE92C6F,
    0x4A7484AA,
    0x5CB0A9DC,
    0x76F988DA,
    0x983E5152,
    0xA831C66D,
    0xB00327C8,
    0xBF597FC7,
    0xC6E00BF3,
    0xD5A79147,
    0x06CA6351,
    0x14292967,
    0x27B70A85,
    0x2E1B2138,
    0x4D2C6DFC,
    0x53380D13,
    0x650A7354,
    0x766A0ABB,
    0x81C2C92E,
    0x92722C85,
    0xA2BFE8A1,
    0xA81A664B,
    0xC24B8B70,
    0xC76C51A3,
    0xD192E819,
    0xD6990624,
    0xF40E3585,
    0x106AA070,
    0x19A4C116,
    0x1E376C08,
    0x2748774C,
    0x34B0BCB5,
    0x391C0CB3,
    0x4ED8AA4A,
    0x5B9CCA4F,
    0x682E6FF3,
    0x748F82EE,
    0x78A5636F,
    0x84C87814,
    0x8CC70208,
    0x90BEFFFA,
    0xA4506CEB,
    0xBEF9A3F7,
    0xC67178F2,
)


def _compress_py(state: tuple[int, ...], block: bytes) -> tuple[int, ...]:
    def rotr(x: int, n: int) -> int:
        return ((x >> n) | (x << (32 - n))) & 0xFFFFFFFF

    w = [int.from_bytes(block[i : i + 4], "big") for i in range(0, 64, 4)]
    for t in range(16, 64):
        s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
        s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
        w.append((w[t - 16] + s0 + w[t - 7] + s1) & 0xFFFFFFFF)
    a, b, c, d, e, f, g, h = state
    for t in range(64):
        t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + _K[t] + w[t]
        t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))
        h, g, f, e, d, c, b, a = g, f, e, (d + t1) & 0xFFFFFFFF, c, b, a, (t1 + t2) & 0xFFFFFFFF
    return tuple((x + y) & 0xFFFFFFFF for x, y in zip(state, (a, b, c, d, e, f, g, h), strict=True))


@lru_cache(maxsize=1)
def _kernel():
    """The compiled batch loop and OpenSSL's block function, or None when unavailable."""
    try:
        from numba import njit
    except ImportError:  # pragma: no cover - numba is a dependency; kept for odd platforms
        return None
    name = ctypes.util.find_library("crypto")
    if not name:  # pragma: no cover
        return None
    try:
        lib = ctypes.CDLL(name)
        transform = lib.SHA256_Transform
    except (OSError, AttributeError):  # pragma: no cover
        return None
    transform.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    transform.restype = None

    # The block function is passed in as an argument rather than read as a global, which
    # lets numba cache the compiled loop on disk between runs.
    @njit(nogil=True, cache=True)
    def hmac_rows(
        tr, data, offsets, inner, outer, hexdigits, out_hex, out_raw, lo, hi, want_hex
    ):  # pragma: no cover
        state = np.empty(28, np.uint32)
        block = np.empty(64, np.uint8)
        second = np.zeros(64, np.uint8)
        second[32] = 0x80
        second[62] = 0x03  # outer message: 64 + 32 bytes = 768 bits = 0x300
        for i in range(lo, hi):
            start = offsets[i]
            length = offsets[i + 1] - start
            for j in range(64):
                block[j] = 0
            for j in range(length):
                block[j] = data[start + j]
            block[length] = 0x80
            bits = (64 + length) * 8
            block[63] = bits & 0xFF
            block[62] = (bits >> 8) & 0xFF
            state[:8] = inner
            tr(state.ctypes.data, block.ctypes.data)
            for j in range(8):
                v = state[j]
                second[4 * j] = (v >> 24) & 0xFF
                second[4 * j + 1] = (v >> 16) & 0xFF
                second[4 * j + 2] = (v >> 8) & 0xFF
                second[4 * j + 3] = v & 0xFF
            state[:8] = outer
            tr(state.ctypes.data, second.ctypes.data)
            for j in range(8):
                v = state[j]
                for q in range(4):
                    byte = (v >> (24 - 8 * q)) & 0xFF
                    out_raw[i * 32 + j * 4 + q] = byte
                    if want_hex:
                        out_hex[i * 64 + j * 8 + 2 * q] = hexdigits[byte >> 4]
                        out_hex[i * 64 + j * 8 + 2 * q + 1] = hexdigits[byte & 15]

    return hmac_rows, transform


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8).copy()


def pseudonymise(
    key: bytes, identifiers: pa.Array, *, threads: int = 2
) -> tuple[pa.Array, pa.Array]:
    """Pseudonyms for a string array with no nulls: (hex strings, 32-byte digests).

    Identifiers longer than 55 bytes do not fit one SHA-256 block after the pad and take
    the standard-library path, as does everything when the compiled loop is unavailable.
    """
    hexes, raw = _hmac_many(key, identifiers, threads=threads, want_hex=True)
    assert hexes is not None
    return hexes, raw


def digest_rows(key: bytes, identifiers: pa.Array, *, threads: int = 2) -> np.ndarray:
    """The 32-byte digests alone, as an (n, 32) array: the pseudonyms before hex."""
    _, raw = _hmac_many(key, identifiers, threads=threads, want_hex=False)
    return np.frombuffer(raw.buffers()[1], dtype=np.uint8, count=len(raw) * 32).reshape(-1, 32)


def hex_strings(hexed: np.ndarray, n: int) -> pa.Array:
    """A string array over ``n`` pseudonyms' hex, 64 bytes each back to back (no copy)."""
    offsets = _hex_offsets(n)
    return pa.Array.from_buffers(pa.string(), n, [None, offsets, pa.py_buffer(hexed)])


def _hex_offsets(n: int) -> pa.Buffer:
    global _OFFSETS
    if _OFFSETS is None or len(_OFFSETS) // 4 < n + 1:
        _OFFSETS = pa.py_buffer((np.arange(n + 1, dtype=np.int32) * 64).tobytes())
    return _OFFSETS


_OFFSETS: pa.Buffer | None = None


def _hmac_many(
    key: bytes, identifiers: pa.Array, *, threads: int, want_hex: bool
) -> tuple[pa.Array | None, pa.Array]:
    identifiers = (
        identifiers.cast(pa.large_string()) if identifiers.type != pa.string() else identifiers
    )
    n = len(identifiers)
    kernel = _kernel()
    lengths = np.asarray(pc.binary_length(identifiers).to_numpy(zero_copy_only=False))
    if kernel is None or (n and int(lengths.max()) > 55):
        return _pseudonymise_py(key, identifiers)
    hmac_rows, transform = kernel
    if identifiers.offset or identifiers.type != pa.string():
        identifiers = pa.concat_arrays([identifiers.cast(pa.string())])
    buffers = identifiers.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[
        identifiers.offset : identifiers.offset + n + 1
    ]
    offsets = offsets.astype(np.int64)
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)
        if buffers[2] is not None
        else np.zeros(1, np.uint8)
    )
    if data.size == 0:
        data = np.zeros(1, np.uint8)
    inner, outer = _pad_state(key, 0x36), _pad_state(key, 0x5C)
    out_hex = np.empty(n * 64 if want_hex else 1, dtype=np.uint8)
    out_raw = np.empty(n * 32, dtype=np.uint8)
    if n:
        bounds = np.linspace(0, n, num=max(1, min(threads, n // _CHUNK + 1)) + 1, dtype=np.int64)
        ranges = list(itertools.pairwise(bounds))

        def work(rng: tuple[int, int]) -> None:
            hmac_rows(
                transform,
                data,
                offsets,
                inner,
                outer,
                _HEX,
                out_hex,
                out_raw,
                int(rng[0]),
                int(rng[1]),
                want_hex,
            )

        if len(ranges) == 1:
            work(ranges[0])
        else:
            with ThreadPoolExecutor(len(ranges)) as pool:
                list(pool.map(work, ranges))
    raw_array = pa.Array.from_buffers(pa.binary(32), n, [None, pa.py_buffer(out_raw)])
    return (hex_strings(out_hex, n) if want_hex else None), raw_array


def _pseudonymise_py(key: bytes, identifiers: pa.Array) -> tuple[pa.Array, pa.Array]:
    digests = [
        hmac.new(key, value.encode("utf-8"), hashlib.sha256).digest()
        for value in identifiers.to_pylist()
    ]
    return (
        pa.array([d.hex() for d in digests], type=pa.string()),
        pa.array(digests, type=pa.binary(32)),
    )
