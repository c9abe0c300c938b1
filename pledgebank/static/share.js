/* The pledge page's "Copy link" and the flyer's "Print" buttons. Without JavaScript the short link stays in
   a read-only field to select and copy, and the browser's own Print prints the flyer. */
(function () {
  "use strict";
  var copy = document.getElementById("share-copy");
  if (copy && navigator.clipboard) {
    var field = document.getElementById(copy.dataset.copy);
    var said = document.getElementById("share-copied");
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { said.textContent = "Link copied."; },
        function () { field.select(); said.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected link."; }
      );
    });
  }
  var print = document.getElementById("flyer-print");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
