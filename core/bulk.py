"""Inserting and updating many rows at once, for imports that write tens of thousands (a county's readings) and
the nightly rating that may change every action.

Django's bulk_create builds a model instance and prepares every field of every row through
the ORM: about a third of a millisecond a row, most of an import of 100,000 readings. These
take values already of the column's type (as the models hold them) and insert them with one
parameterised `executemany` a batch (SQLite) or COPY (PostgreSQL): the SQL is made from the model's
own table and column names, never from input. The change history (django-simple-history) is
written the same way, one "created" record a row, as `bulk_create_with_history` would.
"""

import io
import json
import operator

from django.db import connection, models
from django.utils import timezone

BATCH = 2000


def _adapters(fields):
    """A function per field turning a model value into what the database driver takes."""
    ops = connection.ops

    def adapter(field):
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, connection)
        if isinstance(field, models.DateTimeField):
            return _same_as_last(ops.adapt_datetimefield_value)
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        return None

    return [adapter(field) for field in fields]


def _same_as_last(adapt):
    """`adapt`, remembering its last answer: an import stamps every row with the same moment, and adapting a
    datetime (time zone and all) costs more than the rest of the row."""
    last = [object(), None]

    def adapted(value):
        if value is not last[0]:
            last[:] = [value, adapt(value)]
        return last[1]

    return adapted


def insert(model, rows, fields):
    """INSERT `rows` (tuples of values, in the order of `fields`, model field names) into `model`'s table."""
    concrete = [model._meta.get_field(name) for name in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in concrete)
    marks = ", ".join(["%s"] * len(concrete))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    adapters = _adapters(concrete)
    if connection.vendor == "postgresql":
        return _copy(model, rows, concrete, columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = [
                tuple(value if adapt is None else adapt(value) for value, adapt in zip(row, adapters))
                for row in rows[start : start + BATCH]
            ]
            cursor.executemany(sql, batch)


COPY_BATCH = 20_000


def _copy(model, rows, fields, columns):
    """PostgreSQL: the rows as CSV through COPY, the server's own bulk load. psycopg2 quoted every value of an
    INSERT on the client (execute_values' mogrify took longer than the server did to insert them). A value is
    always quoted, so that an empty text stays empty; NULL is the unquoted empty field."""
    texts = [_copy_text(field) for field in fields]
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), COPY_BATCH):
            lines = io.StringIO()
            lines.writelines(
                ",".join(
                    "" if value is None else '"' + text(value).replace('"', '""') + '"'
                    for value, text in zip(row, texts)
                ) + "\n"
                for row in rows[start : start + COPY_BATCH]
            )
            lines.seek(0)
            cursor.cursor.copy_expert(sql, lines)


def _copy_text(field):
    """A function turning a model value into the text COPY reads for `field`."""
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, cls=field.encoder)
    if isinstance(field, models.BooleanField):
        return lambda value: "t" if value else "f"
    if isinstance(field, models.DateField):  # and DateTimeField: an aware datetime keeps its offset
        return lambda value: value.isoformat()
    return str


def update(model, rows, fields):
    """UPDATE rows of `model`'s table: `rows` are (primary key, value, …) tuples, the values in the order of
    `fields` (model field names), each row its own values. One statement a batch on PostgreSQL (an UPDATE from a
    VALUES list), one `executemany` a batch on SQLite: each row an UPDATE of its own cost a round trip each,
    and Django's bulk_update a CASE per field that grows with the batch."""
    concrete = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    adapters = _adapters(concrete)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = [
                (pk, *(value if adapt is None else adapt(value) for value, adapt in zip(values, adapters)))
                for pk, *values in rows[start : start + BATCH]
            ]
            if connection.vendor == "postgresql":
                from psycopg2.extras import execute_values

                # A VALUES list's columns have no types of their own (a column of NULLs is text): each is cast
                # to its field's column type.
                sets = ", ".join(
                    f"{quote(field.column)} = v.c{n}::{field.db_type(connection)}" for n, field in enumerate(concrete)
                )
                names = ", ".join(["pk", *(f"c{n}" for n in range(len(concrete)))])
                sql = f"UPDATE {table} SET {sets} FROM (VALUES %s) AS v({names}) WHERE {table}.{key} = v.pk"
                execute_values(cursor.cursor, sql, batch, page_size=BATCH)
            else:
                sets = ", ".join(f"{quote(field.column)} = %s" for field in concrete)
                cursor.executemany(f"UPDATE {table} SET {sets} WHERE {key} = %s", [(*values, pk) for pk, *values in batch])


def insert_with_history(model, objects, *, key, user=None):
    """Insert unsaved `objects` of `model`, then a "created" history record for each.

    `key`: the field names that identify a row (a unique constraint), to read the new ids back by.
    Fields with auto_now or auto_now_add get the time now, as save() would give them.
    """
    if not objects:
        return
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    stamped = [field.attname for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    for obj in objects:
        for attname in stamped:
            setattr(obj, attname, now)
    values = [tuple(getattr(obj, field.attname) for field in fields) for obj in objects]
    insert(model, values, [f.name for f in fields])
    attnames = [model._meta.get_field(name).attname for name in key]
    wanted = {tuple(getattr(obj, name) for name in attnames): index for index, obj in enumerate(objects)}
    lookup = {f"{attnames[0]}__in": {key_values[0] for key_values in wanted}}
    ids = [None] * len(objects)
    for pk, *key_values in model.objects.filter(**lookup).values_list("pk", *attnames).iterator(chunk_size=5000):
        index = wanted.get(tuple(key_values))
        if index is not None:
            ids[index] = objects[index].pk = pk
    history = model.history.model
    special = {"history_date": now, "history_type": "+", "history_user": getattr(user, "pk", None),
               "history_change_reason": None}
    copied = [field for field in history._meta.concrete_fields if not field.primary_key]
    # Each history row picks its columns from the row just inserted, then its new id, then the record's own values.
    extra = tuple(special.values())
    position = {field.attname: index for index, field in enumerate(fields)}
    position[model._meta.pk.attname] = len(fields)
    position |= {name: len(fields) + 1 + index for index, name in enumerate(special)}
    pick = operator.itemgetter(*(position[field.name if field.name in special else field.attname] for field in copied))
    rows = [pick((*row, pk, *extra)) for row, pk in zip(values, ids)]
    insert(history, rows, [field.name for field in copied])
