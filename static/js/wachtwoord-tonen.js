// A "Toon" button after every password field, so people can check what they typed
// (OWASP ASVS 2.1.12). Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  // The words come from the page, in its language (data-toon, data-verberg, data-veld on the
  // script element; docs/vertalen.md).
  var texts = (document.currentScript && document.currentScript.dataset) || {};
  var TOON = texts.toon || "Toon";
  var VERBERG = texts.verberg || "Verberg";
  var fields = document.querySelectorAll('input[type="password"]');
  Array.prototype.forEach.call(fields, function (input) {
    var label = input.labels && input.labels[0] ? input.labels[0].textContent.trim() : (texts.veld || "wachtwoord");
    var button = document.createElement("button");
    var text = document.createElement("span");
    var hidden = document.createElement("span");
    button.type = "button";
    button.className = "utrecht-button utrecht-button--subtle ep-toon";
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-controls", input.id);
    text.textContent = TOON;
    hidden.className = "ep-sr";
    hidden.textContent = " " + label;
    button.appendChild(text);
    button.appendChild(hidden);
    button.addEventListener("click", function () {
      var shown = input.type === "text";
      input.type = shown ? "password" : "text";
      button.setAttribute("aria-pressed", shown ? "false" : "true");
      text.textContent = shown ? TOON : VERBERG;
      input.focus();
    });
    input.insertAdjacentElement("afterend", button);
  });
})();
