"""The shared taxonomy of topics and the vocabularies of the partnership hub.

Topics are reference data shared by every organisation (not tenant-owned): the same list
describes what an offering teaches and what a shop needs, and the maturity assessment will
fill in needs from it later. They are choices in code rather than a table so that they are
translated with the rest of the interface and present in every database without seeding.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """The shared topic taxonomy: what an offering covers and what a shop needs."""

    ECOMMERCE = "e-commerce", _("E-commerce and marketplaces")
    SOCIAL_MEDIA = "social-media", _("Social-media management")
    DIGITAL_MARKETING = "digital-marketing", _("Digital marketing")
    DATA_ANALYTICS = "data-analytics", _("Data analytics")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")
    BOOKKEEPING = "bookkeeping", _("Bookkeeping and finance")
    DIGITAL_PAYMENTS = "digital-payments", _("Digital payments (QRIS)")
    PHOTOGRAPHY = "photography", _("Product photography")
    PACKAGING = "packaging", _("Product packaging")
    LOGISTICS = "logistics", _("Logistics and shipping")
    LICENSING = "licensing", _("Business licensing and halal certification")
    EXPORT = "export", _("Export readiness")
    PRODUCT_DESIGN = "product-design", _("Product design and quality")
    CUSTOMER_SERVICE = "customer-service", _("Customer service")
    CONNECTIVITY = "connectivity", _("Connectivity and devices")
    AUTOMATION = "automation", _("Automation and AI tools")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")
