"""Pages of a list whose length is already known."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told how many items there are (from stored counts, or counts the page has made already),
    so that it does not count them in the database again."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its cached value
