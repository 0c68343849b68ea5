// «Распечатать» buttons: a click handler here rather than onclick="…", which the
// Content-Security-Policy of the public site does not run.
document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
        window.print();
    });
});
