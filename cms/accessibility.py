"""«Версия для слабовидящих»: the visually-impaired mode Russian education sites must offer.

Preferences live in one cookie so they survive between visits without an account. The cookie
holds only display choices, never anything that identifies the visitor.
"""

from dataclasses import dataclass

COOKIE_NAME = "a11y"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365

FONT_SIZES = ("normal", "large", "xlarge")
COLOUR_SCHEMES = ("default", "black-on-white", "white-on-black", "blue-on-lightblue")


@dataclass(frozen=True)
class AccessibilityPreferences:
    enabled: bool = False
    font_size: str = "normal"
    colours: str = "default"
    hide_images: bool = False

    @classmethod
    def from_cookie(cls, value):
        # Format: "on|large|white-on-black|noimg"; anything unknown falls back to defaults.
        parts = (value or "").split("|")
        if not parts or parts[0] != "on":
            return cls()
        font_size = parts[1] if len(parts) > 1 and parts[1] in FONT_SIZES else "large"
        colours = parts[2] if len(parts) > 2 and parts[2] in COLOUR_SCHEMES else "black-on-white"
        hide_images = len(parts) > 3 and parts[3] == "noimg"
        return cls(True, font_size, colours, hide_images)

    @classmethod
    def from_request(cls, request):
        return cls.from_cookie(request.COOKIES.get(COOKIE_NAME, ""))

    def to_cookie(self):
        if not self.enabled:
            return "off"
        return "|".join(
            ["on", self.font_size, self.colours, "noimg" if self.hide_images else "img"]
        )

    def updated(self, params):
        """Apply the choices of the switch form (``mode``, ``font``, ``colours``, ``images``)."""
        mode = params.get("mode")
        if mode == "off":
            return AccessibilityPreferences()
        current = self if self.enabled else AccessibilityPreferences.from_cookie("on")
        font_size = params.get("font", current.font_size)
        colours = params.get("colours", current.colours)
        images = params.get("images")
        return AccessibilityPreferences(
            enabled=True,
            font_size=font_size if font_size in FONT_SIZES else current.font_size,
            colours=colours if colours in COLOUR_SCHEMES else current.colours,
            hide_images=current.hide_images if images is None else images == "hide",
        )

    @property
    def body_classes(self):
        if not self.enabled:
            return ""
        classes = ["a11y", f"a11y-font-{self.font_size}", f"a11y-colours-{self.colours}"]
        if self.hide_images:
            classes.append("a11y-no-images")
        return " ".join(classes)


def page_variant(request):
    """What of the visitor changes a public page, as the page cache keys it
    (PAGE_CACHE_VARIANT): the preferences as they apply, not the cookie's raw text."""
    return AccessibilityPreferences.from_request(request).to_cookie()
