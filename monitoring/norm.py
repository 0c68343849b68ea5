"""The norm the website checker reads a school site against, as data: the «Сведения об
образовательной организации» section item by item (Приказ Рособрнадзора от 04.08.2023 № 1493 as
amended by № 1353 of 03.07.2025; see docs/regulations.md for sources), with the names older sites
still use, and the contact checks looked for anywhere sensible.

Pure data and plain dataclasses, no Django: ``monitoring.defaults`` builds a year's editable
checklist template from it and ``monitoring.checker`` reads ``ItemSpec``s built from that
template (or, in tests and benches, straight from here by ``standard_specs``).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NormItem:
    """One required (or optional) piece of a subsection, proved by its itemprop."""

    itemprop: str  # current name, lowerCamelCase as the methodical recommendations spell it
    label: str  # what it is, in Russian, for editors and evidence
    required: bool = True  # False: «if applicable» (S3's `*`)
    old_names: tuple[str, ...] = ()  # names of the 2014 / 2020–21 rule sets meaning the same


@dataclass(frozen=True)
class Subsection:
    key: str  # the standard slug without /sveden/: "common", "struct", …
    title: str  # current heading as the order words it
    order_point: str  # "п. 7" of order 1493 (as amended)
    standard_path: str  # "/sveden/common"
    title_variants: tuple[str, ...] = ()  # older or common wordings of the heading
    path_variants: tuple[str, ...] = ()  # older slugs ("/sveden/ovz"), spelled as the rule sets did
    items: tuple[NormItem, ...] = ()
    # The order's own wording: a page that mostly repeats it is a placeholder.
    requirement_text: str = ""
    optional: bool = False  # a subsection only some organisations must have


# Contact checks: auto_check names the checker answers from any of the pages where people look
# (home, contacts, /sveden/common, the NOKO page).
CONTACT_CHECKS = (
    "phone",
    "email",
    "appeals",
    "faq",
    "feedback_form",
    "bus_gov",
    "visually_impaired",
)


@dataclass(frozen=True)
class ItemSpec:
    """What the checker needs to know of one checklist item (built from the template)."""

    key: object  # the checklist item's pk (or, outside the database, the subsection key)
    auto_check: str  # "sveden", "itemprop" or one of CONTACT_CHECKS; "" = manual
    sveden_path: str = ""
    expected_heading: str = ""
    itemprop: str = ""
    heading_variants: tuple[str, ...] = ()
    path_variants: tuple[str, ...] = ()
    norm_items: tuple[NormItem, ...] = field(default=())
    requirement_text: str = ""


SUBSECTIONS: tuple[Subsection, ...] = ()  # filled from the order, item by item


def standard_specs():
    """ItemSpecs of the whole current norm keyed by subsection key / contact check name."""
    specs = [
        ItemSpec(
            key=subsection.key,
            auto_check="sveden",
            sveden_path=subsection.standard_path,
            expected_heading=subsection.title,
            heading_variants=subsection.title_variants,
            path_variants=subsection.path_variants,
            norm_items=subsection.items,
            requirement_text=subsection.requirement_text,
        )
        for subsection in SUBSECTIONS
    ]
    specs += [ItemSpec(key=name, auto_check=name) for name in CONTACT_CHECKS]
    return specs
