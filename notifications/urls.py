"""Public URLs of notifications (the unsubscribe link of each e-mail)."""

urlpatterns = []
