// The calendar feed page: a button that copies the address. Without JavaScript the
// button stays hidden and the read-only field can be selected and copied by hand.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById("feed-copy-status");
    if (!field) {
      return;
    }
    button.hidden = false;
    field.addEventListener("focus", function () {
      field.select();
    });
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      var done = function () {
        if (status) {
          status.textContent = button.getAttribute("data-copied");
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {});
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    });
  });
});
