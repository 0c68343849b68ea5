"""Dead code check of `make lint`: functions, methods, classes and properties nothing calls.

Vulture reads Python only; Django and Wagtail call much of a project by convention (commands,
hooks, form ``clean_*`` methods, templates). Those conventions are ignored by name and
decorator below, and what templates or settings reach is in ALLOWED with the reason. Unused
variables and attributes are not reported: they are mostly model fields and framework
options, which Django reads. Exit status 1 lists anything else that nothing uses.
"""

import sys
from pathlib import Path

from vulture import Vulture

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "cms",
    "core",
    "registry",
    "home",
    "schools",
    "surveys",
    "monitoring",
    "results",
    "accountability",
    "outputs",
    "notifications",
    "search",
]
EXCLUDE = ["*/migrations/*", "*/tests/*", "*/settings/*"]
REPORTED = {"function", "method", "class", "property"}

# Called by Django, Wagtail or the standard library by name.
CONVENTIONS = [
    "Command",
    "handle",
    "add_arguments",
    "ready",
    "*Config",
    "clean_*",
    "get_context",
    "serve",
    "process_exception",
    "is_shown",
    "item_*",
    # django.contrib.sitemaps.Sitemap
    "location",
    "handle_starttag",
    "handle_endtag",
    "handle_data",
    "get_upload_to",
    "user_*",
    "locked_for_user",
    "get_actions",
    "on_action",
    "get_task_states_user_can_moderate",
    "get_description",
    "get_indexed_instance",
    "get_instance",
    "get_heading",
    "preprocess_field_value",
    "get_queryset",
    # a model field's form field (surveys.models.KindsField)
    "formfield",
    "*Middleware",
    "*Form",
    "*View",
]
DECORATORS = [
    "@hooks.register",
    "@receiver",
    "@register.filter",
    "@register.simple_tag",
    "@register.inclusion_tag",
    "@path",
    "@re_path",
    "@register_setting",
]
# Reached from templates or settings, where vulture cannot look.
ALLOWED = {
    # templates
    "band_label",
    "body_classes",
    "question_rows",
    "sections",
    "target_met",
    "is_rated",
    "norms",
    "indicators",
    # settings: WAGTAILIMAGES_IMAGE_MODEL and friends, CACHES, TEMPLATES, the workflow hook
    "PortalRendition",
    "PortalDocument",
    "HomePage",
    "CleanFileSystemStorage",
    "StrictDraftailRichTextArea",
    "redis_cache",
    "publish_approved",
    "accessibility",
    # PAGE_CACHE_VARIANT
    "page_variant",
    # migrations call these with the historical apps
    "grant_to_editors",
    "refill_current_documents",
    # the methodology engine's public API, exercised by its tests and the bench
    "display_figures",
    "mean",
    # the checker's evidence per norm item, on the editors' checklist page
    "evidence_item_groups",
    # the whole current norm as the checker's input, for its accuracy tests and the bench
    "standard_specs",
}


def main():
    vulture = Vulture(ignore_names=CONVENTIONS + sorted(ALLOWED), ignore_decorators=DECORATORS)
    vulture.scavenge([str(ROOT / app) for app in APPS], exclude=EXCLUDE)
    unused = [item for item in vulture.get_unused_code(min_confidence=60) if item.typ in REPORTED]
    for item in unused:
        print(item.get_report())
    return 1 if unused else 0


if __name__ == "__main__":
    sys.exit(main())
