// Show each rating slider's number beside it as it moves. Without this script the
// number scale under the slider still tells the value.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.rating-range").forEach(function (range) {
    var output = range.parentNode.querySelector("output.rating-value");
    if (!output) {
      return;
    }
    output.hidden = false;
    var show = function () {
      output.value = range.value;
    };
    range.addEventListener("input", show);
    show();
  });
});
