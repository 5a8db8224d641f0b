// followup: the little JavaScript the pages use. Everything works without it.
"use strict";

// "Copy" buttons copy the text of the element their data-copy selector names.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.value ?? source.textContent).then(() => {
    button.textContent = "Copied";
  });
});

// "Print" buttons print the page (its print style leaves out the navigation and the forms).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
