"""Limits a query worker puts on itself before it reads a query: memory, and no network.

Memory: RLIMIT_DATA caps the worker's heap (Linux counts private anonymous mappings in it), so a
query that materialises too much fails inside its own process (the engine aborts on a failed
allocation) and the server starts a fresh worker.

Network: a seccomp filter makes socket() fail with EACCES for every address family but AF_UNIX,
and io_uring (which could open sockets past the filter) unavailable. The query engine would
otherwise fetch any URL named by SERVICE; with the filter it cannot, whatever the query text.
The filter is built by hand (classic BPF, no library) for x86-64 and aarch64; elsewhere the
worker runs without it and the server relies on the token check (kg/sparql_lexer.py) alone.
"""

from __future__ import annotations

import ctypes
import platform
import resource
import struct

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
_NR, _ARCH, _ARG0 = 0, 4, 16
_ARCHES = {  # machine → (AUDIT_ARCH_*, __NR_socket, __NR_io_uring_setup)
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
_X32_BIT = 0x40000000  # x32 system calls on x86-64: refused outright
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW, _ERRNO_EACCES = 0x7FFF0000, 0x00050000 | 13
_AF_UNIX = 1
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


def limit_memory(megabytes: int) -> None:
    limit = megabytes << 20
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def network_filter(machine: str) -> bytes | None:
    """The BPF program for this machine, or None when it is not one we know."""
    if machine not in _ARCHES:
        return None
    arch, nr_socket, nr_uring = _ARCHES[machine]
    return b"".join([
        _op(_LD_W_ABS, _ARCH),
        _op(_JEQ_K, arch, 1, 0),
        _op(_RET_K, _ERRNO_EACCES),  # another ABI (32-bit calls): refused
        _op(_LD_W_ABS, _NR),
        _op(_JGE_K, _X32_BIT, 0, 1),
        _op(_RET_K, _ERRNO_EACCES),
        _op(_JEQ_K, nr_uring, 0, 1),
        _op(_RET_K, _ERRNO_EACCES),
        _op(_JEQ_K, nr_socket, 0, 3),
        _op(_LD_W_ABS, _ARG0),
        _op(_JEQ_K, _AF_UNIX, 1, 0),
        _op(_RET_K, _ERRNO_EACCES),
        _op(_RET_K, _ALLOW),
    ])


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_network() -> bool:
    """Install the filter on this process (before it starts threads); True when installed."""
    program = network_filter(platform.machine())
    if program is None:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(program, len(program))
    prog = _Program(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0
