// Progressive enhancement of the questionnaire: hide questions skipped by a «Нет» and clear
// their answers, so the routing rules are followed without the visitor reading the hints.
// A page may hold several questionnaires (a school's page offers both); each is handled on
// its own, its element ids carrying the form's prefix.
(function () {
    "use strict";
    document.querySelectorAll("[data-survey-form]").forEach(function (form) {
        var prefix = form.getAttribute("data-prefix") || "";
        var dependants = form.querySelectorAll("[data-depends-on]");
        function answer(name) {
            var checked = form.querySelector("input[name='" + name + "']:checked");
            return checked ? checked.value : null;
        }
        function update() {
            dependants.forEach(function (fieldset) {
                var hide = answer(fieldset.getAttribute("data-depends-on")) === "no";
                // A question also hides when the question it depends on is itself hidden.
                var parent = document.getElementById(
                    prefix + "q-" + fieldset.getAttribute("data-depends-on")
                );
                if (parent && parent.hidden) { hide = true; }
                fieldset.hidden = hide;
                if (hide) {
                    fieldset.querySelectorAll("input").forEach(function (input) {
                        input.checked = false;
                    });
                }
            });
        }
        form.querySelectorAll(".hint[id^='" + prefix + "hint-']").forEach(function (hint) {
            hint.hidden = true;
        });
        form.addEventListener("change", update);
        update();
    });
    var errors = document.getElementById("form-errors");
    if (errors) { errors.focus(); }
})();
