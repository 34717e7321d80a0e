"""CSV and XLSX downloads of every insights table (``?table=…&format=csv|xlsx`` plus the
page's filters)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from sinergi.accounts.api import MANAGING_ROLES, WorkspaceRequest, membership_required
from sinergi.insights.forms import filters_from
from sinergi.insights.selectors import insights_page
from sinergi.insights.tables import TABLES, table_csv, table_xlsx
from sinergi.insights.views.pages import SHOP, shop_today

logger = logging.getLogger("sinergi.audit")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@membership_required(kinds=SHOP)
@require_GET
def export(request: WorkspaceRequest) -> HttpResponse:
    table = TABLES.get(request.GET.get("table", ""))
    kind = request.GET.get("format", "csv")
    if table is None or kind not in ("csv", "xlsx"):
        raise Http404
    if table.personal and request.membership.role not in MANAGING_ROLES:
        raise PermissionDenied
    organisation = request.organisation
    _form, filters, grain = filters_from(request.GET, today=shop_today(organisation.pk))
    data = insights_page(
        organisation_id=organisation.pk, page=table.page, filters=filters, grain=grain
    )
    if table.personal:
        logger.info(
            "insights export %s by user %s of organisation %s",
            table.name,
            request.user.pk,
            organisation.pk,
        )
    body = table_xlsx(table, data) if kind == "xlsx" else table_csv(table, data)
    response = HttpResponse(body, content_type=XLSX if kind == "xlsx" else "text/csv")
    filename = f"{organisation.slug}-{table.name}-{filters.start}-{filters.end}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
