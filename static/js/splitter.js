// The bar between the list and the detail: dragged (or moved with the arrow keys) it sets the
// list's width, kept in this browser across reloads.

const KEY = "webhook-inspector:list-width";
const MIN_PX = 240;
const STEP_PX = 24;

export class Splitter {
  constructor(bar, panes) {
    this.bar = bar;
    this.panes = panes;
    const kept = Number(localStorage.getItem(KEY));
    if (kept > 0) this.set(kept, false);
    bar.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      bar.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    bar.addEventListener("pointermove", (event) => {
      if (bar.hasPointerCapture(event.pointerId)) this.set(event.clientX - panes.getBoundingClientRect().left);
    });
    bar.addEventListener("keydown", (event) => {
      const step = { ArrowLeft: -STEP_PX, ArrowRight: STEP_PX }[event.key];
      if (!step) return;
      event.preventDefault();
      this.set(this.width() + step);
    });
  }

  width() {
    return this.panes.querySelector(".list-pane").getBoundingClientRect().width;
  }

  // Clamped so that the detail keeps room too.
  set(px, keep = true) {
    const most = Math.max(MIN_PX, this.panes.getBoundingClientRect().width - MIN_PX);
    const width = Math.round(Math.min(most, Math.max(MIN_PX, px)));
    this.panes.style.setProperty("--list-width", `${width}px`);
    this.bar.setAttribute("aria-valuenow", String(width));
    if (keep) localStorage.setItem(KEY, String(width));
  }
}
