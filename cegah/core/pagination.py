from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: past that, "more than <cap>" and the pages up to it.
    Counting every match of a broad filter over a national table costs more than the page
    itself (a full scan at 250,000 sites); counting up to the cap stops early."""

    def __init__(self, *args, cap: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        # Without ORDER BY: the order does not change how many rows there are.
        found = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)


def paginate(request, queryset, per_page: int = PAGE_SIZE, count_cap: int | None = None):
    """A page of ``queryset`` from ?page=, tolerant of junk page numbers. With
    ``count_cap``, at most that many rows are counted (see CappedPaginator)."""
    if count_cap is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = CappedPaginator(queryset, per_page, cap=count_cap)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
