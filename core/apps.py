from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Pieces every app shares and that belong to no domain (docs/architecture.md)."""

    name = "core"
    label = "core"
    verbose_name = _("Общее")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_migrate, pre_save
        from modelsearch.index import remove_object
        from wagtail.signals import page_unpublished

        from .signin import account_changed
        from .sites import sync_default_site_after_migrate

        pre_save.connect(
            account_changed, sender=get_user_model(), dispatch_uid="core.account_changed"
        )

        def forget_unpublished_page(sender, instance, **kwargs):
            # An unpublished page is no longer among the indexed objects (BasePage), so
            # saving it would leave its last public text in the index.
            remove_object(instance.specific)

        page_unpublished.connect(forget_unpublished_page, weak=False)

        from wagtail.models import Page

        from .search import register_vocabulary

        def page_words():
            # Titles, not bodies: what a visitor names when looking for a page.
            return Page.objects.live().public().values_list("title", flat=True)

        register_vocabulary(page_words)

        post_migrate.connect(
            sync_default_site_after_migrate, sender=self, dispatch_uid="core.sync_default_site"
        )

        # The remembered site and menu (core/site_memo.py) follow every change of them here.
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import post_page_move

        from .site_memo import forget_on_structure_change

        post_save.connect(forget_on_structure_change, dispatch_uid="core.site_memo.save")
        post_delete.connect(forget_on_structure_change, dispatch_uid="core.site_memo.delete")
        post_page_move.connect(forget_on_structure_change, dispatch_uid="core.site_memo.move")

        # Every write the public can see makes the kept pages stale (core/page_cache.py).
        from django.db import connections
        from django.db.backends.signals import connection_created

        from .page_cache import watch_connection

        connection_created.connect(watch_connection, dispatch_uid="core.page_cache")
        for connection in connections.all(initialized_only=True):
            watch_connection(connection)
