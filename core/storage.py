"""Local file storage that leaves nothing behind when a write fails half-way.

Django's FileSystemStorage streams an upload into its file and, when the disk fills up in the
middle, raises with the partial file left in MEDIA_ROOT: no row points at it, nobody will
ever delete it, and it takes the space the next upload needs (security.md case 23)."""

import contextlib
import os

from django.core.files.storage import FileSystemStorage


class CleanFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.exists(path)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed:  # never someone else's file: only what this write began
                with contextlib.suppress(OSError):
                    os.remove(path)
            raise
