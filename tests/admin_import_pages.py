"""Reading core.admin_import's pages in tests, for every format's admin import (plans, indicators): the preview
table, its confirm form, what waits in the staging folder. The pages are read as a person sees them."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def text_of(fragment):
    """Text with tags removed and spacing collapsed, of a response or a piece of HTML."""
    page = fragment.content.decode() if hasattr(fragment, "content") else fragment
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def table_rows(response):
    """The body rows of the page's import table, each a list of its cells' text."""
    table = re.search(r'<table class="import-preview[^"]*".*?<tbody>(.*?)</tbody>', response.content.decode(), re.S)
    assert table, "the page has no import table"
    return [
        [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    ]


def confirm_form(response):
    """The hidden fields of the preview's confirm form."""
    form = re.search(r'<form method="post" action="">(.*?)</form>', response.content.decode(), re.S)
    assert form and 'name="confirm"' in form.group(1), "the page has no confirm form"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))


def offers_confirm(response):
    return 'name="confirm"' in response.content.decode()


def staged_files(staging):
    return sorted(path.name for path in staging.glob("*/upload")) if staging.exists() else []


def upload(client, url, data, name):
    return client.post(url, {"import_file": SimpleUploadedFile(name, data)})


def confirm(client, url, preview):
    return client.post(url, {**confirm_form(preview), "confirm": "Confirm import"})


@pytest.fixture
def staging(settings, tmp_path):
    """Uploads wait in a folder of the test's own."""
    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")
    return tmp_path / "staging"
