// The questionnaires embedded on a school's page. The page is the same for every visitor
// (kept by the page cache and proxies), so it carries no token: what is this visitor's own
// comes from one small private request, and each form is shown only once its signed token
// and the CSRF token are in, or replaced by the note that this browser has answered. If the
// request fails, the forms stay hidden and the links to the questionnaire pages serve.
(function () {
    "use strict";
    var box = document.querySelector("[data-survey-tokens]");
    if (!box || !window.fetch) { return; }
    fetch(box.getAttribute("data-survey-tokens"), {
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Accept": "application/json" }
    }).then(function (response) {
        if (!response.ok) { throw new Error("form tokens: " + response.status); }
        return response.json();
    }).then(function (data) {
        box.querySelectorAll("details[data-audience]").forEach(function (details) {
            var group = data.groups[details.getAttribute("data-audience")];
            if (!group) { return; }
            var form = details.querySelector("form");
            if (group.answered) {
                var note = document.createElement("p");
                note.textContent = group.note;
                form.replaceWith(note);
            } else {
                form.querySelector("input[name='form_token']").value = group.token;
                form.querySelector("input[name='csrfmiddlewaretoken']").value = data.csrf;
            }
            details.hidden = false;
        });
    }).catch(function () { /* the links to the questionnaire pages remain */ });
})();
