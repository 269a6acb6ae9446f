"""What the apps' forms share."""

from django.utils.choices import BaseChoiceIterator

from .models import OrganisationUnit
from .queries import Compiled


class ChoicePairs(BaseChoiceIterator):
    """Choices already as (value, label) pairs, which fields and widgets then take as they are.

    Given a plain list, Django normalises it again for the field and for its widget, pair by pair: a county's 300
    plans cost a millisecond a request that way, more than the query that read them."""

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self):
        return len(self.pairs)


_UNITS = Compiled(lambda: OrganisationUnit.objects.values_list("pk", "name"), takes_value=False)


def unit_choices(empty_label):
    """Every organisation unit, by name, after `empty_label` (a filter's "any unit")."""
    return ChoicePairs([("", empty_label), *(tuple(row) for row in _UNITS.rows())])
