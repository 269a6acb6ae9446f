"""What the export commands share: writing the file they were asked for."""

from pathlib import Path

from django.core.management.base import CommandError


def write_output(path, content):
    """Write `content` (bytes) to `path`; a path that cannot be written is a command error in words, not a traceback."""
    output = Path(path)
    try:
        output.write_bytes(content)
    except OSError as error:
        raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
    return output
