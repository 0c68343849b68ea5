"""(being built — issue #17)"""

# Public URLs (included at the site root by outputs/urls.py).
urlpatterns = []
# Admin URLs (registered under /admin/ by outputs/wagtail_hooks.py).
admin_urlpatterns = []
