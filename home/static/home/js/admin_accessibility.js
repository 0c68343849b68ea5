// Names for two controls of Wagtail's own admin that reach assistive technology without one
// (axe «aria-input-field-name» and «label», WCAG 4.1.2), until Wagtail names them itself:
// - the rich-text editor (Draftail) is a role="textbox" and the tag field's typing box is a new
//   input, while the field's label points at the hidden input holding the value: both get
//   aria-labelledby that label;
// - the image upload's file input is named after the button drawn over it.
(function () {
    "use strict";
    function labelId(label) {
        if (!label.id) {
            label.id = (label.htmlFor || "field") + "-label";
        }
        return label.id;
    }
    function nameEditors(root) {
        var editors = root.querySelectorAll(
            '[role="textbox"][contenteditable="true"], .tagit input.ui-autocomplete-input'
        );
        for (var i = 0; i < editors.length; i++) {
            var editor = editors[i];
            if (editor.hasAttribute("aria-label") || editor.hasAttribute("aria-labelledby")) {
                continue;
            }
            var field = editor.closest("[data-field-input], .w-field__input");
            var input = field && field.querySelector("input[id]");
            var label = input && document.querySelector('label[for="' + input.id + '"]');
            if (label) {
                editor.setAttribute("aria-labelledby", labelId(label));
            }
        }
    }
    function nameUpload() {
        var upload = document.getElementById("fileupload");
        if (!upload || upload.hasAttribute("aria-label") || upload.labels.length) {
            return;
        }
        var button = upload.parentElement && upload.parentElement.querySelector("button");
        if (button && button.textContent.trim()) {
            upload.setAttribute("aria-label", button.textContent.trim());
        }
    }
    function run() {
        nameEditors(document);
        nameUpload();
    }
    run();
    // Draftail renders after this script and StreamField adds editors as blocks are added.
    new MutationObserver(function () { nameEditors(document); }).observe(document.body, {
        childList: true,
        subtree: true,
    });
})();
