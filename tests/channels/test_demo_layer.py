import pytest

from sinergi.channels import selectors
from sinergi.channels.models import ConnectedAccount, Conversation, PostMetric, PostVariant
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.demo.generator import ecosystem_generate

pytestmark = pytest.mark.django_db


def test_demo_shops_get_preview_accounts_posts_metrics_and_conversations():
    ecosystem = ecosystem_generate(shops=6, seed=7)
    shop = ecosystem.shops[0]

    with across_tenants(reason="the test checks every shop"):
        assert ConnectedAccount.objects.filter(is_preview=False).count() == 0
        assert ConnectedAccount.objects.count() == 6 * 3
    with tenant_context(shop.pk):
        assert PostVariant.objects.filter(status="published").count() == 20
        assert PostVariant.objects.filter(status="scheduled").count() == 4
        assert PostMetric.objects.exists()
        assert Conversation.objects.exists()
        assert (
            Conversation.objects.filter(customer__isnull=False).count()
            == Conversation.objects.count()
        )
        hours = selectors.best_hours()
    assert hours
    assert hours[0]["hour"] in (19, 20, 12, 16, 8)
