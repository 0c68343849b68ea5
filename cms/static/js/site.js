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
