"""Taking the network away from a query worker, at the operating-system level.

A query worker runs queries from anonymous clients. The endpoint refuses ``SERVICE``, ``FROM`` and
updates (``LOAD`` among them) before a query runs, from a parse of it
(:func:`opsprep.graph.query.check_query`); but that parse is rdflib's and the store's is Oxigraph's,
and were the two ever to read a query differently, the check could let a call through. So each worker,
as it starts, moves into a network namespace of its own (Linux ``unshare(CLONE_NEWNET)``, or with a
user namespace where the process may not do that alone): there is no interface in it but a loopback
that is down, so no request can leave the worker, whatever the query says. The pipe to the parent
process was opened before and keeps working.

Where the system allows neither (not Linux, or a container whose policy forbids namespaces),
:func:`isolate_network` says so and the worker relies on the query check alone; the server logs it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def isolate_network() -> tuple[bool, str]:
    """Move this process into a network namespace of its own; (done, how or why not)."""
    if not sys.platform.startswith("linux"):
        return False, f"network namespaces need Linux, not {sys.platform}"
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError as exc:
        return False, f"the C library could not be loaded ({exc})"
    errors = []
    for flags, how in (
        (CLONE_NEWNET, "network namespace"),
        (CLONE_NEWUSER | CLONE_NEWNET, "user and network namespace"),
    ):
        if libc.unshare(flags) == 0:
            return True, how
        errors.append(os.strerror(ctypes.get_errno()))
    return False, "unshare was refused (" + "; ".join(dict.fromkeys(errors)) + ")"
