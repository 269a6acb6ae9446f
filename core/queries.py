"""Querysets compiled to SQL once per database and shape, then run with a cursor for other values.

Django compiles a queryset to SQL each time it runs it. For the history tables, thirty
columns each, compiling and building the rows cost 0.8 ms a query where the database
itself answered in under 0.1 ms, and an action page reads seven of them; a list page's
rows, read by a page's ids, cost as much again. A `Compiled` query is still written with
the ORM and its SQL is the ORM's: it is compiled once with stand-ins for its values, then
run with the values bound by the database driver (never written into the SQL), and its
rows converted as the ORM converts them.
"""

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections

# The values a query is compiled with, found again among the compiled parameters; never run. Each value of a query
# gets its own (STAND_IN - 1 for the second, and so on). Positive, and within a 32-bit integer: Django compiles a
# lookup of a number its column cannot hold (a negative for a PositiveIntegerField) as matching nothing.
STAND_IN = 1_987_654_321
STAND_IN_DAY = datetime.date(1001, 2, 3)


class Compiled:
    """`build(*values, **shape)` returns a `values_list` queryset that uses each value (as often as it likes) only
    as a parameter; `rows(*values, **shape)` runs it for other values and returns its rows as lists. With
    `takes_value=False`, `build()` takes nothing and its queryset is the same every time (a choice list).

    A value is a number or text (compiled with STAND_IN), a date (STAND_IN_DAY), or a list of ids for an `__in`
    lookup: a list is padded with its last id to a length that is a power of two (the same rows for `__in`), so a
    page's lists of 1 to 70 ids need eight compilations, not seventy. `None` is passed to `build` as it is, and
    compiled separately from a value, as are the `shape` keywords (settings that change the SQL itself)."""

    def __init__(self, build, takes_value=True):
        self.build = build
        self.takes_value = takes_value
        self._compiled = {}

    def rows(self, *values, using=DEFAULT_DB_ALIAS, **shape):
        if bool(values) != self.takes_value:
            raise TypeError("rows() takes the query's value" if self.takes_value else "This query takes no value")
        values = [_padded(value) if isinstance(value, (list, tuple)) else value for value in values]
        if any(isinstance(value, list) and not value for value in values):
            # No ids: Django knows the answer without SQL (and cannot compile `__in` of nothing).
            return [list(row) for row in self.build(*values, **shape).using(using)]
        connection = connections[using]
        # By database and vendor: the tests point the same alias at SQLite or PostgreSQL in turn.
        key = (using, connection.vendor, connection.settings_dict["NAME"], tuple(_shape(value) for value in values),
               tuple(sorted(shape.items())))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using, values, shape)
        sql, params, positions, converters = compiled
        flat = _flat(values)
        params = list(params)
        for position, slot, as_text in positions:
            params[position] = str(flat[slot]) if as_text else flat[slot]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return [list(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(row)
        return converted

    def _compile(self, using, values, shape):
        stand_ins, slot = [], 0
        for value in values:
            if isinstance(value, list):
                stand_ins.append([STAND_IN - slot - index for index in range(len(value))])
                slot += len(value)
            elif value is None:
                stand_ins.append(None)
            else:
                stand_ins.append(_stand_in(value, slot))
                slot += 1
        queryset = self.build(*stand_ins, **shape)
        compiler = queryset.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise ValueError("The queryset matches nothing with its stand-in values (a column too small for them?): "
                             "run it as a queryset") from None
        flat = _flat(stand_ins)
        slots = {stand_in: index for index, stand_in in enumerate(flat)}
        slots |= {str(stand_in): index for index, stand_in in enumerate(flat)}
        found = {}
        for position, param in enumerate(params):
            index = slots.get(param) if isinstance(param, (int, str, datetime.date)) else None
            if index is not None:
                found[position] = (index, isinstance(param, str) and isinstance(flat[index], datetime.date))
            elif isinstance(param, str):
                for index, stand_in in enumerate(flat):
                    if str(stand_in) in param:
                        raise ValueError(f"The queryset changes value {index + 1} before using it ({param!r}): "
                                         "compile the value it uses")
        used = {index for index, _ in found.values()}
        for index, stand_in in enumerate(flat):
            if index not in used:
                raise ValueError("The queryset does not use the value it was built with")
            if str(abs(stand_in) if isinstance(stand_in, int) else stand_in) in sql:
                raise ValueError("The queryset writes a value into its SQL: pass it as a shape keyword")
        positions = tuple((position, index, as_text) for position, (index, as_text) in found.items())
        converters = list(compiler.get_converters([expression for expression, _, _ in compiler.select]).items())
        return sql, tuple(params), positions, converters


def _stand_in(value, slot):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return STAND_IN_DAY + datetime.timedelta(days=slot)
    return STAND_IN - slot


def _shape(value):
    if value is None:
        return None
    if isinstance(value, list):
        return len(value)
    return "day" if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime) else "value"


def _padded(ids):
    """`ids` as a list whose length is a power of two, padded with its last id (an empty list stays empty)."""
    ids = list(ids)
    if ids:
        ids += [ids[-1]] * ((1 << (len(ids) - 1).bit_length()) - len(ids))
    return ids


def _flat(values):
    flat = []
    for value in values:
        if isinstance(value, list):
            flat.extend(value)
        elif value is not None:
            flat.append(value)
    return flat


# --- Model objects from a compiled query's rows ------------------------------------------------------------------
# For a page that needs model objects (forms and permissions take them) but whose select_related and
# prefetch_related cost it more to compile than the database took to answer: read their columns with a compiled
# query, then build the objects and link them as select_related and prefetch_related would have.


def columns(model, prefix=""):
    """The columns of `model` as `from_row` reads them, each after `prefix` (a lookup path: "plan__")."""
    return [prefix + field.attname for field in model._meta.concrete_fields]


def from_row(model, row, using=DEFAULT_DB_ALIAS):
    """(the `model` object made of the first columns of `row`, or None when its primary key is NULL (a missing
    related object), and the rest of the row)."""
    names = [field.attname for field in model._meta.concrete_fields]
    values, rest = row[: len(names)], row[len(names):]
    return (model.from_db(using, names, values) if values[names.index(model._meta.pk.attname)] is not None else None), rest


def link(instance, field_name, related):
    """Set the object a foreign key of `instance` points to, as select_related does (no query to follow it)."""
    instance._meta.get_field(field_name).set_cached_value(instance, related)


def prefetched(instance, name, objects):
    """Give `instance`'s related manager `name` its objects, as prefetch_related does: `.all()` reads no more."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    # Where each kind of related manager looks for its prefetched objects (Django's related_descriptors).
    key = manager.prefetch_cache_name if hasattr(manager, "prefetch_cache_name") else manager.field.remote_field.cache_name
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[key] = queryset
