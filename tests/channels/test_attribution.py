from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.channels.services.attribution import (
    campaign_remember,
    order_attribute_from_session,
    post_results,
)
from sinergi.channels.services.posts import post_save
from sinergi.commerce.api import VariantInput, order_place, product_create, stock_receive
from sinergi.core.tenancy import tenant_context
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _order(org, quantity=2):
    product = product_create(
        organisation=org, name="Kopi", variants=[VariantInput(sku=f"K{quantity}", price=30000)]
    )
    with tenant_context(org.pk):
        variant = product.variants.get()
    stock_receive(organisation=org, variant=variant, quantity=10)
    return order_place(organisation=org, channel="storefront", lines=[(variant.pk, quantity)])


def test_a_storefront_order_after_a_post_link_is_attributed_once_and_shows_on_the_post(
    owner, connect, signed_in
):
    org = owner.organisation
    post = post_save(
        organisation=org, author=owner.user, caption="Kopi", accounts=[connect(org, "instagram")]
    )
    session: dict = {}
    campaign_remember(
        session,
        {"utm_source": "instagram", "utm_medium": "social", "utm_campaign": f"post-{post.pk}"},
    )
    order = _order(org)

    first = order_attribute_from_session(organisation=org, order=order, session=session)
    again = order_attribute_from_session(organisation=org, order=order, session=session)

    assert first is not None
    assert again is not None
    assert (again.pk, first.source) == (first.pk, "instagram")
    with tenant_context(org.pk):
        assert post_results(post) == {"orders": 1, "revenue": 60000}
    page = signed_in(owner.user).get(f"/app/channels/posts/{post.pk}/").content.decode()
    assert order.number in page


def test_no_attribution_to_another_shops_post_or_after_a_week(owner, connect):
    org = owner.organisation
    other = OrganisationFactory()
    foreign = post_save(
        organisation=other, author=owner.user, caption="x", accounts=[connect(other, "facebook")]
    )
    mine = post_save(
        organisation=org, author=owner.user, caption="y", accounts=[connect(org, "facebook")]
    )
    order = _order(org)
    foreign_session: dict = {}
    campaign_remember(foreign_session, {"utm_campaign": f"post-{foreign.pk}"})
    stale: dict = {}
    campaign_remember(
        stale, {"utm_campaign": f"post-{mine.pk}"}, now=timezone.now() - timedelta(days=8)
    )
    junk: dict = {}
    campaign_remember(junk, {"utm_campaign": "summer-sale"})

    assert (
        order_attribute_from_session(organisation=org, order=order, session=foreign_session) is None
    )
    assert order_attribute_from_session(organisation=org, order=order, session=stale) is None
    assert junk == {}
