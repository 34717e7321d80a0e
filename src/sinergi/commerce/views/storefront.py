"""The public storefront at /s/<shop>/: catalog, product page, cart, checkout, WhatsApp order.

Catalog and product pages are cached per shop under a version token (see
``sinergi.commerce.storefront_cache``) that the commerce services replace whenever they change
what the storefront shows (stock, orders, catalog), so shown prices and availability are those
of the moment; the shop behind the slug is cached too, so a cache hit runs no database query.
The cached HTML has placeholders for the three things that differ per visitor (CSRF token,
cart count, messages), filled in on the way out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import Organisation, OrganisationKind
from sinergi.commerce import selectors_web, storefront_cache
from sinergi.commerce.forms.storefront import MAX_CART_QUANTITY, AddToCartForm, CheckoutForm
from sinergi.commerce.models import Channel, Location, Order, Product, ProductPhoto, Variant
from sinergi.commerce.services import orders as order_services
from sinergi.commerce.services.customers import phone_normalise
from sinergi.commerce.services.errors import CommerceError, InvalidInput, SoldOut
from sinergi.commerce.signals import storefront_order_placed
from sinergi.commerce.storefront_cache import ShopRef
from sinergi.core.money import format_rupiah
from sinergi.core.tenancy import tenant_context

_CSRF = "__sf_csrf_token__"
_CART_COUNT = "__sf_cart_count__"
_MESSAGES = "<!--sf-messages-->"
CACHE_SECONDS = 600
MAX_CART_LINES = 30


def _shop(slug: str) -> Organisation:
    shop = Organisation.objects.filter(slug=slug, kind=OrganisationKind.SHOP).first()
    if shop is None:
        raise Http404
    return shop


def _shop_ref(slug: str) -> ShopRef:
    """The shop behind the slug, from the cache when it is there (no query)."""
    ref = storefront_cache.shop_ref_cached(slug)
    if ref is None:
        shop = _shop(slug)
        ref = storefront_cache.shop_ref_store(
            pk=shop.pk,
            slug=shop.slug,
            name=shop.name,
            description=shop.description,
            address=shop.address,
            phone=shop.phone,
        )
    return ref


def _shop_by_id(pk: int) -> Organisation:
    shop = Organisation.objects.filter(pk=pk, kind=OrganisationKind.SHOP).first()
    if shop is None:
        raise Http404
    return shop


def _selling_location_id() -> int:
    """The location storefront orders take stock from (0 = none yet: nothing to sell)."""
    location = Location.objects.filter(is_default=True).values_list("pk", flat=True).first()
    return location or 0


# ---------------------------------------------------------------------------- the cart


def _cart_key(shop: Organisation | ShopRef) -> str:
    return f"storefront_cart_{shop.pk}"


def _cart(request: HttpRequest, shop: Organisation | ShopRef) -> dict[int, int]:
    raw = request.session.get(_cart_key(shop), {})
    cart: dict[int, int] = {}
    for key, quantity in raw.items():
        if str(key).isdigit() and isinstance(quantity, int) and quantity > 0:
            cart[int(key)] = min(quantity, MAX_CART_QUANTITY)
    return cart


def _cart_save(request: HttpRequest, shop: Organisation, cart: dict[int, int]) -> None:
    request.session[_cart_key(shop)] = {str(k): v for k, v in cart.items() if v > 0}


@dataclass(frozen=True)
class CartLine:
    variant: Variant
    quantity: int

    @property
    def line_total(self) -> int:
        return self.variant.price * self.quantity

    @property
    def short(self) -> bool:
        return self.quantity > self.variant.available  # type: ignore[attr-defined]


def _cart_lines(cart: dict[int, int]) -> list[CartLine]:
    variants = selectors_web.cart_variants(list(cart), location_id=_selling_location_id())
    return [CartLine(variants[vid], q) for vid, q in cart.items() if vid in variants]


def _whatsapp_link(shop: Organisation, lines: list[CartLine], total: int) -> str:
    """ "https://wa.me/62812…?text=…" with the cart written out, or "" without a valid number."""
    try:
        phone = phone_normalise(shop.phone)
    except InvalidInput:
        return ""
    if not phone:
        return ""
    rows = [_("Hello %(shop)s, I would like to order:") % {"shop": shop.name}]
    rows += [
        f"- {line.quantity} \u00d7 {line.variant.display_name} ({line.variant.sku}) "
        f"@ {format_rupiah(line.variant.price)}"
        for line in lines
    ]
    rows.append(_("Total: %(total)s") % {"total": format_rupiah(total)})
    text = "\n".join(rows).replace("\u00a0", " ")
    return f"https://wa.me/{phone.lstrip('+')}?text={quote(text, safe='')}"


# ---------------------------------------------------------------------------- caching


def _cached_page(
    request: HttpRequest,
    shop: ShopRef,
    name: str,
    template: str,
    build: Any,
) -> HttpResponse:
    """Render ``template`` with ``build()``'s context once per storefront version, then serve
    it with this visitor's CSRF token, cart count and messages put in.

    The version is read before ``build()`` reads the database (see storefront_cache). A hit
    reads three cache entries and nothing from the database; ``build()`` puts the shop's
    ``Organisation`` in the context as "shop"."""
    language = translation.get_language() or "id"
    version = storefront_cache.storefront_version(shop.pk)
    key = (
        f"storefront:{shop.pk}:{version}:{shop.fingerprint}:{language}:{request.get_host()}:{name}"
    )
    html = cache.get(key)
    if html is None:
        context = build()
        context.update(
            {
                "csrf_token": _CSRF,
                "cart_count": _CART_COUNT,
                "messages_slot": _MESSAGES,
                "LANGUAGE_CODE": language,
            }
        )
        html = render_to_string(template, context)
        cache.set(key, html, CACHE_SECONDS)
    cart = _cart(request, shop)
    rendered_messages = "".join(
        f'<p class="message message-{escape(m.tags)}">{escape(m.message)}</p>'
        for m in messages.get_messages(request)
    )
    body = (
        html.replace(_CSRF, get_token(request))
        .replace(_CART_COUNT, str(sum(cart.values())))
        .replace(_MESSAGES, rendered_messages)
    )
    response = HttpResponse(body)
    response["Cache-Control"] = "private, no-cache"
    return response


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _photo_url(shop: Organisation, photo: ProductPhoto, size: str) -> str:
    return reverse(
        "commerce:storefront_photo", kwargs={"shop": shop.slug, "pk": photo.pk, "size": size}
    )


# ---------------------------------------------------------------------------- pages


@require_GET
def storefront_home(request: HttpRequest, shop: str) -> HttpResponse:
    ref = _shop_ref(shop)
    with tenant_context(ref.pk):

        def build() -> dict[str, Any]:
            organisation = _shop_by_id(ref.pk)
            products = selectors_web.storefront_products(location_id=_selling_location_id())
            first_photo = next((p.photo_list[0] for p in products if p.photo_list), None)  # type: ignore[attr-defined]
            return {
                "shop": organisation,
                "products": products,
                "og_title": organisation.name,
                "og_description": organisation.description[:200]
                or _("Order from %(shop)s online or via WhatsApp.") % {"shop": organisation.name},
                "og_url": _absolute(request, request.path),
                "og_image": _absolute(request, _photo_url(organisation, first_photo, "full"))
                if first_photo
                else "",
            }

        return _cached_page(request, ref, "home", "commerce/storefront/home.html", build)


@require_GET
def storefront_product(request: HttpRequest, shop: str, product: str) -> HttpResponse:
    ref = _shop_ref(shop)
    with tenant_context(ref.pk):

        def build() -> dict[str, Any]:
            organisation = _shop_by_id(ref.pk)
            try:
                item = selectors_web.storefront_product(product, location_id=_selling_location_id())
            except Product.DoesNotExist:
                raise Http404 from None
            photos = item.photo_list  # type: ignore[attr-defined]
            variants = item.variant_list  # type: ignore[attr-defined]
            form = AddToCartForm(
                variants=[(v.pk, v.name or item.name) for v in variants if v.available > 0]
            )
            return {
                "shop": organisation,
                "product": item,
                "variants": variants,
                "form": form,
                "og_title": f"{item.name} · {organisation.name}",
                "og_description": (item.description[:200] or item.name)
                + f" — {format_rupiah(item.min_price)}",  # type: ignore[attr-defined]
                "og_url": _absolute(request, request.path),
                "og_image": _absolute(request, _photo_url(organisation, photos[0], "full"))
                if photos
                else "",
            }

        return _cached_page(
            request, ref, f"product:{product}", "commerce/storefront/product.html", build
        )


@require_GET
def storefront_photo(request: HttpRequest, shop: str, pk: int, size: str) -> HttpResponseBase:
    """A product photo of a product on sale (media is not served publicly otherwise)."""
    organisation = _shop(shop)
    if size not in ("thumb", "full"):
        raise Http404
    # The shop's own members also see photos of archived products (in their catalog pages).
    own = getattr(request, "organisation", None) == organisation
    with tenant_context(organisation.pk):
        photos = ProductPhoto.objects.filter(pk=pk)
        if not own:
            photos = photos.filter(product__is_active=True)
        photo = photos.first()
    if photo is None:
        raise Http404
    field = photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
    try:
        handle = default_storage.open(field.name, "rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/webp")
    # Files are never changed in place (a new photo gets a new id), so they can be kept long.
    response["Cache-Control"] = "private, max-age=86400" if own else "public, max-age=604800"
    return response


@require_POST
def storefront_cart_add(request: HttpRequest, shop: str) -> HttpResponse:
    organisation = _shop(shop)
    with tenant_context(organisation.pk):
        raw_product = request.POST.get("product", "")
        product = (
            Product.objects.filter(pk=int(raw_product), is_active=True).first()
            if raw_product.isdigit()
            else None
        )
        if product is None:
            raise Http404
        variants = selectors_web.cart_variants(
            list(product.variants.values_list("pk", flat=True)),
            location_id=_selling_location_id(),
        )
        form = AddToCartForm(
            request.POST, variants=[(v.pk, v.name or product.name) for v in variants.values()]
        )
        if not form.is_valid():
            messages.error(request, _("Choose a variant and a quantity from 1 to 99."))
            return redirect("commerce:storefront_product", shop=shop, product=product.slug)
        variant = variants[form.cleaned_data["variant"]]
        cart = _cart(request, organisation)
        wanted = cart.get(variant.pk, 0) + form.cleaned_data["quantity"]
        available = variant.available  # type: ignore[attr-defined]
        if available <= 0:
            messages.error(request, _("%(name)s is sold out.") % {"name": variant.display_name})
            return redirect("commerce:storefront_product", shop=shop, product=product.slug)
        if wanted > available:
            wanted = available
            messages.warning(
                request,
                _("Only %(available)s of %(name)s left; your cart has all of them.")
                % {"available": available, "name": variant.display_name},
            )
        else:
            messages.success(
                request, _("%(name)s is in your cart.") % {"name": variant.display_name}
            )
        if len(cart) >= MAX_CART_LINES and variant.pk not in cart:
            messages.error(request, _("Your cart is full; check out first."))
            return redirect("commerce:storefront_cart", shop=shop)
        cart[variant.pk] = min(wanted, MAX_CART_QUANTITY)
        _cart_save(request, organisation, cart)
    return redirect("commerce:storefront_cart", shop=shop)


def _cart_context(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    lines = _cart_lines(_cart(request, organisation))
    total = sum(line.line_total for line in lines)
    return {
        "shop": organisation,
        "lines": lines,
        "total": total,
        "short": [line for line in lines if line.short],
        "whatsapp": _whatsapp_link(organisation, lines, total) if lines else "",
        "cart_count": sum(line.quantity for line in lines),
    }


@require_http_methods(["GET", "POST"])
def storefront_cart(request: HttpRequest, shop: str) -> HttpResponse:
    """The cart; POST sets quantities (0 removes a line)."""
    organisation = _shop(shop)
    with tenant_context(organisation.pk):
        if request.method == "POST":
            cart = _cart(request, organisation)
            for variant_id in list(cart):
                raw = request.POST.get(f"qty_{variant_id}")
                if raw is None:
                    continue
                try:
                    quantity = int(raw)
                except ValueError:
                    messages.error(request, _("Quantities are whole numbers from 0 to 99."))
                    return redirect("commerce:storefront_cart", shop=shop)
                cart[variant_id] = max(0, min(quantity, MAX_CART_QUANTITY))
            _cart_save(request, organisation, cart)
            return redirect("commerce:storefront_cart", shop=shop)
        return render(
            request, "commerce/storefront/cart.html", _cart_context(request, organisation)
        )


@require_http_methods(["GET", "POST"])
def storefront_checkout(request: HttpRequest, shop: str) -> HttpResponse:
    organisation = _shop(shop)
    with tenant_context(organisation.pk):
        context = _cart_context(request, organisation)
        if not context["lines"]:
            messages.info(request, _("Your cart is empty: choose something first."))
            return redirect("commerce:storefront_home", shop=shop)
        form = CheckoutForm(request.POST or None)
        status = 200
        if request.method == "POST":
            status = 400
            if str(context["total"]) != request.POST.get("expected_total"):
                form.add_error(
                    None,
                    _(
                        "Prices or your cart changed while you were checking out. "
                        "Check the new total and order again."
                    ),
                )
                status = 409
            elif context["short"]:
                form.add_error(None, _short_message(context["short"]))
                status = 409
            elif form.is_valid():
                data = form.cleaned_data
                try:
                    order = order_services.order_place(
                        organisation=organisation,
                        channel=Channel.STOREFRONT,
                        lines=[(line.variant.pk, line.quantity) for line in context["lines"]],
                        customer_name=data["name"],
                        customer_phone=data["phone"],
                        address=data["address"],
                        delivery_note=data["delivery_note"],
                        payment_method=data["payment_method"],
                    )
                except SoldOut as error:
                    form.add_error(
                        None,
                        _("%(reason)s Nothing was ordered; change your cart and try again.")
                        % {"reason": str(error)},
                    )
                    status = 409
                    context = _cart_context(request, organisation)
                except CommerceError as error:
                    form.add_error(error.field if error.field in form.fields else None, str(error))
                else:
                    _cart_save(request, organisation, {})
                    storefront_order_placed.send_robust(sender=Order, order=order, request=request)
                    placed = request.session.get("storefront_orders", [])[-20:]
                    request.session["storefront_orders"] = [*placed, order.number]
                    return redirect("commerce:storefront_order", shop=shop, number=order.number)
        context["form"] = form
        return render(request, "commerce/storefront/checkout.html", context, status=status)


def _short_message(short: list[CartLine]) -> str:
    parts = []
    for line in short:
        available = max(line.variant.available, 0)  # type: ignore[attr-defined]
        if available == 0:
            parts.append(_("%(name)s is sold out.") % {"name": line.variant.display_name})
        else:
            parts.append(
                _("Only %(available)s of %(name)s left.")
                % {"available": available, "name": line.variant.display_name}
            )
    return " ".join(parts) + " " + _("Change your cart, then order again.")


@require_GET
def storefront_order(request: HttpRequest, shop: str, number: str) -> HttpResponse:
    """The buyer's confirmation; only the browser that placed the order can open it."""
    organisation = _shop(shop)
    if number not in request.session.get("storefront_orders", []):
        raise Http404
    with tenant_context(organisation.pk):
        order = Order.objects.prefetch_related("lines").filter(number=number).first()
        if order is None:
            raise Http404
        whatsapp = ""
        try:
            phone = phone_normalise(organisation.phone)
        except InvalidInput:
            phone = ""
        if phone:
            text = _("Hello %(shop)s, I placed order %(number)s (%(total)s).") % {
                "shop": organisation.name,
                "number": order.number,
                "total": format_rupiah(order.total),
            }
            text = text.replace("\u00a0", " ")
            whatsapp = f"https://wa.me/{phone.lstrip('+')}?text={quote(text, safe='')}"
        return render(
            request,
            "commerce/storefront/order.html",
            {"shop": organisation, "order": order, "whatsapp": whatsapp, "cart_count": 0},
        )
