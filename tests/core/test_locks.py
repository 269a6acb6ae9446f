"""core.locks: locks on names, held until the transaction ends (races: tests/actionplans/test_concurrent_imports.py)."""

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from core import locks


def test_a_names_key_is_the_same_in_every_process_and_fits_postgresqls_bigint():
    # Written out: Python's hash() of a string changes with each process, which would lock nothing between them.
    assert locks.key_of("plan:sefton improvement plan") == -7923219244270542394
    assert all(-(2**63) <= locks.key_of(f"lead:{n}") < 2**63 for n in range(1000))


@pytest.mark.django_db(transaction=True)  # no test transaction around it: autocommit, as a command runs
def test_a_lock_outside_a_transaction_is_refused_rather_than_let_go_at_once():
    with pytest.raises(TransactionManagementError):
        locks.hold(["plan:sefton improvement plan"])


@pytest.mark.django_db
def test_locks_on_the_same_names_twice_in_one_transaction_are_held_not_waited_for():
    with transaction.atomic():
        locks.hold(["plan:a", "lead:b"])
        locks.hold(["plan:a"])  # advisory locks are re-entrant for their holder; SQLite already holds its writer lock
