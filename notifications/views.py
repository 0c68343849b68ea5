"""The unsubscribe link of every e-mail, and the cabinet's list of subscriptions.

The link carries a signed token and needs no login. GET only shows the page: mail scanners
and link previews follow links, and must not unsubscribe anyone. The form on the page POSTs
(with its CSRF token); the ``List-Unsubscribe`` header points at the one-click endpoint,
which mail clients POST to without a page (RFC 8058), so it takes no CSRF token: the signed
token is the credential there, and no cookie or session is involved.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.views import signed_in_view

from . import services
from .models import Category


def masked(email):
    """``i***@example.ru``: enough for the owner to recognise, little for anyone else."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def notification_or_404(token):
    notification = services.read_token(token)
    if notification is None:
        raise Http404(_("Ссылка недействительна."))
    return notification


@never_cache
def unsubscribe_page(request, token):
    notification = notification_or_404(token)
    if request.method == "POST":
        if request.POST.get("action") == "subscribe":
            services.resubscribe(notification)
        else:
            services.unsubscribe(notification)
        return redirect(request.path)
    return TemplateResponse(
        request,
        "notifications/unsubscribe.html",
        {
            "category_label": Category(notification.category).label,
            "address": masked(notification.email),
            "unsubscribed": services.is_unsubscribed(notification),
        },
    )


@csrf_exempt
@never_cache
def unsubscribe_one_click(request, token):
    notification = notification_or_404(token)
    if request.method != "POST":
        # A client that opens the header's link in a browser gets the page with its button.
        return redirect("notifications_unsubscribe", token=token)
    services.unsubscribe(notification)
    return HttpResponse(_("Вы отписались."), content_type="text/plain; charset=utf-8")


@signed_in_view
def subscriptions(request):
    if request.method == "POST":
        chosen = [value for value in request.POST.getlist("category") if value in Category.values]
        services.set_subscriptions(request.user, chosen)
        messages.success(request, _("Настройки уведомлений сохранены."))
        return redirect("notifications_subscriptions")
    return TemplateResponse(
        request,
        "notifications/subscriptions.html",
        {
            "subscriptions": services.subscriptions_of(request.user),
            "has_email": bool(request.user.email),
        },
    )


urlpatterns = [
    path("subscriptions/", subscriptions, name="notifications_subscriptions"),
    path("unsubscribe/<str:token>/", unsubscribe_page, name="notifications_unsubscribe"),
    path(
        "unsubscribe/<str:token>/one-click/",
        unsubscribe_one_click,
        name="notifications_unsubscribe_one_click",
    ),
]
