// Enhancements for the anonymous booking. Every page works without this file.
(function () {
  "use strict";

  // A QR code opens /min-booking#K7QM-...: the code after "#" never reaches the
  // server. Move it into the form, then drop it from the address bar and history.
  function fillCodeFromFragment() {
    var input = document.querySelector(".js-code-form input[name='code']");
    var fragment;
    try {
      fragment = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    } catch (error) {
      return; // a mangled link ("%" without two hex digits): nothing to fill in
    }
    if (!input || !/^[0-9A-Za-z\- ]{16,24}$/.test(fragment)) {
      return;
    }
    input.value = fragment.toUpperCase();
    window.history.replaceState(null, "", window.location.pathname);
    input.focus();
  }

  // "We keep the time until 14.32" stays true without JavaScript; this adds minutes left.
  function startCountdowns() {
    var items = document.querySelectorAll(".js-countdown");
    Array.prototype.forEach.call(items, function (item) {
      var expires = Date.parse(item.getAttribute("data-expires"));
      function tick() {
        var seconds = Math.round((expires - Date.now()) / 1000);
        if (seconds <= 0) {
          // Said once: "we keep it until 14.32" goes, the notice says it is gone.
          var notice = item.closest(".hold-text") || item;
          notice.textContent = item.getAttribute("data-expired-text");
          return;
        }
        var minutes = Math.floor(seconds / 60);
        var rest = seconds % 60;
        item.textContent = item.getAttribute("data-text") + " " + minutes + ":" +
          (rest < 10 ? "0" : "") + rest;
        window.setTimeout(tick, 1000);
      }
      tick();
    });
  }

  function enablePrintButtons() {
    var buttons = document.querySelectorAll(".js-print");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fillCodeFromFragment();
    startCountdowns();
    enablePrintButtons();
  });
})();
