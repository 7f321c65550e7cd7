/* Paying for Protection: click a figure to see it enlarged.
 *
 * Small by design: the browser's <dialog> element supplies what a lightbox library would (focus
 * moved into the dialog and back, Escape to close, the page behind made inert, the dialog role
 * for screen readers), so this file only wires figures to it. On a large screen the figure fills
 * the window; on a phone it is shown at least 1000 px wide and scrolls, so its text can be read.
 */
(function () {
  "use strict";

  function buildDialog() {
    const dialog = document.createElement("dialog");
    dialog.className = "pfp-lightbox";
    dialog.setAttribute("aria-label", "Enlarged figure");
    const bar = document.createElement("div");
    bar.className = "pfp-lightbox-bar";
    const open = document.createElement("a");
    open.textContent = "Open the image on its own";
    open.target = "_blank";
    open.rel = "noopener";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", () => dialog.close());
    bar.append(open, close);
    const scroll = document.createElement("div");
    scroll.className = "pfp-lightbox-scroll";
    const image = document.createElement("img");
    scroll.append(image);
    dialog.append(bar, scroll);
    // A click on the dark margin around the dialog's content closes it, as readers expect.
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
    document.body.append(dialog);
    return { dialog, image, open, close };
  }

  function enlarge(lightbox, figureImage) {
    lightbox.image.src = figureImage.currentSrc || figureImage.src;
    lightbox.image.alt = figureImage.alt;
    lightbox.open.href = figureImage.src;
    lightbox.dialog.showModal();
    lightbox.close.focus();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const figures = document.querySelectorAll("article.bd-article figure img");
    if (!figures.length) return;
    const lightbox = buildDialog();
    for (const img of figures) {
      // The image stays an image for screen readers; a visible button in the caption makes the
      // same action reachable from the keyboard and shows phone readers that it exists.
      img.addEventListener("click", () => enlarge(lightbox, img));
      const caption = img.closest("figure").querySelector("figcaption p") || img.closest("figure");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "pfp-enlarge";
      const number = caption.querySelector(".caption-number");
      button.textContent = "Enlarge";
      button.setAttribute("aria-label", "Enlarge " + (number ? number.textContent.trim() : "the figure"));
      button.addEventListener("click", () => enlarge(lightbox, img));
      caption.append(" ", button);
    }
  });
})();
