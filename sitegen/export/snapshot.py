"""What every export is made from: the items (triage applied) and the
checklist documents of one collect, with the revision and time they are of."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sitegen.items import Item, items_of
from sitegen.site import urls
from sitegen.site.views import DocumentSummary, Views
from sitegen.triage import Triage


@dataclass(frozen=True)
class Snapshot:
    items: list[Item]
    documents: list[DocumentSummary]
    """Checklist documents in path order, with their phases."""
    revision: str | None = None
    """The git revision the tree was at, when it is a checkout."""
    generated: str | None = None
    """When, as ISO 8601 UTC: from SOURCE_DATE_EPOCH, else None (same input, same bytes)."""
    base_url: str = ""
    """The hosted site's address, for links; "" when it is not known."""
    baseline: list[Item] | None = field(default=None, compare=False)
    """The items of an earlier revision to compare with, when one is given."""
    views: Views | None = field(default=None, compare=False, repr=False)
    """The views the items are of, which say where the site puts each item (`item_href`)."""

    def document_page(self, path: str) -> str | None:
        """The site URL of the checklist document at `path`."""
        return next((urls.document(doc.slug) for doc in self.documents if doc.path == path), None)

    def item_href(self, item_id: str) -> str | None:
        """The link (site-relative) to an item's anchor on the part of its
        page that holds it, as the site's own lists link it; None when the
        snapshot has no views or the site no such item."""
        return self._item_hrefs.get(item_id)

    @functools.cached_property
    def _item_hrefs(self) -> dict[str, str]:
        # The site's layout (the parts of long pages) is worked out only when a link is asked for.
        from sitegen.site.pages import item_hrefs

        return item_hrefs(self.views) if self.views is not None else {}


def generated_at(environ: Mapping[str, str] = os.environ) -> str | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) as ISO 8601 UTC; None
    when it is unset or not a whole number of seconds."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    try:
        moment = datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def snapshot_of(views: Views, triage: Triage, base_url: str = "", baseline: list[Item] | None = None,
                environ: Mapping[str, str] = os.environ, items: list[Item] | None = None) -> Snapshot:
    """`items`: items_of(views, triage), when the caller has made them."""
    return Snapshot(items if items is not None else items_of(views, triage), views.documents,
                    views.todo_meta.get("revision"), generated_at(environ), base_url, baseline, views)
