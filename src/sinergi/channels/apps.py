from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "sinergi.channels"
    label = "channels"
    verbose_name = _("Channels")

    def ready(self) -> None:
        from sinergi.channels.receivers import storefront_order_attribute  # noqa: PLC0415  (apps are ready)
        from sinergi.commerce.api import storefront_order_placed  # noqa: PLC0415  (apps are ready)

        storefront_order_placed.connect(
            storefront_order_attribute, dispatch_uid="channels_storefront_order_attribute"
        )
