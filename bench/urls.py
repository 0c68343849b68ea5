"""The portal's URLs plus the ceiling: the cheapest Django view that inserts one row."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_protect

from cms.urls import urlpatterns as portal_urlpatterns


@csrf_protect
def ceiling(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_ceiling (created) VALUES (now())")
    return HttpResponse(status=204)


urlpatterns = [path("bench/ceiling/", ceiling), *portal_urlpatterns]
