"""What every export is made from: the items (triage applied) and the
checklist documents of one collect, with the revision and time they are of."""

from __future__ import annotations

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

    def document_page(self, path: str) -> str | None:
        """The site URL of the checklist document at `path`."""
        return next((urls.document(doc.slug) for doc in self.documents if doc.path == path), None)


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
                    views.todo_meta.get("revision"), generated_at(environ), base_url, baseline)
