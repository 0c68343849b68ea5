// Paper entry (/survey/paper/<code>/entry/): in the per-question grid, a typed key moves the
// focus to the next question, as on the answer line. Progressive enhancement only: without
// this file, Tab does the same and the server validates everything.
(function () {
    var keys = Array.prototype.slice.call(document.querySelectorAll("input.paper-key"));
    var accepted = /^[12дн0-]$/i;
    keys.forEach(function (input, index) {
        input.addEventListener("input", function () {
            if (accepted.test(input.value) && index + 1 < keys.length) {
                keys[index + 1].focus();
                keys[index + 1].select();
            }
        });
    });
})();
