// Start DKFDS's components. Pages work without this; it only enhances them.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});
