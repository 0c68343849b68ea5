// An error summary rendered right after a refused submission takes the focus, so a screen
// reader announces it and the keyboard starts from its links. Not when the address carries
// an item's anchor: then the visitor followed a summary link to that item.
(function () {
    "use strict";
    var summary = document.querySelector("#form-errors[data-autofocus]");
    if (summary && !window.location.hash) { summary.focus(); }
})();
