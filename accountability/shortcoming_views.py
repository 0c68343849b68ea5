"""(being built — see docs/architecture.md, accountability)"""

# Public and cabinet URLs (included at the site root by accountability/urls.py).
urlpatterns = []
# Admin URLs (registered under /admin/ by accountability/wagtail_hooks.py).
admin_urlpatterns = []
# Admin menu items go into the submenu «Итоги оценки» through the hook
# "register_accountability_menu_item" (see accountability/wagtail_hooks.py).


def viewsets():
    """Admin viewsets (snippets, ModelViewSets) of this part."""
    return []
