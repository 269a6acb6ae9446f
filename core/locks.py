"""Locks on things that are not rows yet: "the plan titled X", "the lead named Y".

Two imports of one plan must not both decide that a row is missing and both add it. Row
locks cannot stop that (there is no row to lock until one of them adds it), so an import
first takes a lock on each name it will look up, held until its transaction ends: the
second waits, then reads what the first saved.

- PostgreSQL: a transaction-level advisory lock a name (`pg_advisory_xact_lock`), keyed
  on the first 8 bytes of the name's SHA-256: stable across processes and restarts,
  unlike Python's `hash()`. The keys are taken in one sorted order, so two holders of
  overlapping names queue rather than deadlock.
- SQLite: one writer at a time. Transactions begin IMMEDIATE (config/settings.py), so the
  transaction already holds the database's write lock; a connection set up otherwise
  takes it now with a write that changes nothing.
"""

import hashlib

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.transaction import TransactionManagementError


def key_of(name):
    """The advisory lock key of `name`: a signed 64-bit integer, as PostgreSQL's bigint takes."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def hold(names, using=DEFAULT_DB_ALIAS):
    """Wait for, then hold until the current transaction ends, a lock on each of `names` (strings; prefix
    them with what they name, "plan:…"). Call it before reading what the names stand for."""
    connection = connections[using]
    if not connection.in_atomic_block:
        # Outside a transaction the lock would end with the statement that took it.
        raise TransactionManagementError("locks.hold() needs a transaction: call it inside transaction.atomic()")
    keys = sorted({key_of(name) for name in names})
    if not keys:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # unnest() yields the keys in the array's order, so they are locked in that order.
            cursor.execute("SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key", [keys])
        elif connection.vendor == "sqlite" and getattr(connection, "transaction_mode", None) not in (
            "IMMEDIATE", "EXCLUSIVE"
        ):
            # A write statement takes the write lock when it starts, even one that changes no row.
            cursor.execute("UPDATE django_migrations SET id = id WHERE 0")
