"""Stored names of uploaded files.

Uploads come from untrusted school logins, so a stored file never keeps the name it was
uploaded with: every file gets a generated name inside MEDIA_ROOT (security.md case 21),
whatever path separators, length or control characters the original name had.
"""

import os
import uuid

SAFE_EXTENSIONS = {
    "jpg",
    "jpeg",
    "png",
    "webp",
    "gif",
    "avif",
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "csv",
    "txt",
    "rtf",
}


def generated_name(folder, filename):
    extension = os.path.splitext(filename or "")[1].lower().lstrip(".")
    suffix = f".{extension}" if extension in SAFE_EXTENSIONS else ""
    return f"{folder}/{uuid.uuid4().hex}{suffix}"
