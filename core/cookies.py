"""The ``Partitioned`` cookie attribute (CHIPS), which Python's cookie module knows only from
3.14 and Django's ``set_cookie`` not at all.

A cookie set inside another site's iframe is kept by browsers that block third-party cookies
only when it is partitioned: stored for that embedding site alone. The survey embed needs it
for its «already answered» mark on schools' own websites.
"""

from http.cookies import Morsel

if "partitioned" not in Morsel._reserved:  # Python < 3.14
    Morsel._reserved["partitioned"] = "Partitioned"
    Morsel._flags.add("partitioned")


def cross_site_options(secure):
    """``set_cookie`` options for a cookie read back inside a third-party iframe. Browsers
    refuse ``SameSite=None`` without HTTPS, so over plain HTTP (development) the cookie is an
    ordinary Lax one; call :func:`partition` once it is set."""
    return {"samesite": "None", "secure": True} if secure else {"samesite": "Lax"}


def partition(response, key):
    """Mark the cross-site cookie ``key`` of ``response`` as partitioned (HTTPS only)."""
    if response.cookies[key]["secure"]:
        response.cookies[key]["partitioned"] = True
