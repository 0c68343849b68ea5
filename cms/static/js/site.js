// Progressive enhancement only: every page works without JavaScript.
(function () {
    "use strict";
    // Move focus to <main> after the skip link so screen readers start there.
    var skip = document.querySelector(".skip-link");
    var main = document.getElementById("main");
    if (skip && main) {
        skip.addEventListener("click", function () { main.focus(); });
    }
})();

// A table wider than its scrolling box can be scrolled with the keyboard: the box becomes a
// focusable region named after the table's caption (WCAG 2.1.1; axe «scrollable-region-focusable»).
(function () {
    "use strict";
    function mark() {
        var boxes = document.querySelectorAll(".table-scroll");
        for (var i = 0; i < boxes.length; i++) {
            var box = boxes[i];
            var overflows = box.scrollWidth > box.clientWidth + 1;
            if (overflows && !box.hasAttribute("tabindex")) {
                box.setAttribute("tabindex", "0");
                var caption = box.querySelector("caption");
                var name = caption ? caption.textContent.trim() : "";
                if (name) {
                    box.setAttribute("role", "region");
                    box.setAttribute("aria-label", name);
                }
                box.setAttribute("data-scroll-focusable", "");
            } else if (!overflows && box.hasAttribute("data-scroll-focusable")) {
                box.removeAttribute("tabindex");
                box.removeAttribute("role");
                box.removeAttribute("aria-label");
                box.removeAttribute("data-scroll-focusable");
            }
        }
    }
    mark();
    window.addEventListener("resize", mark);
    document.addEventListener("toggle", mark, true);
})();
