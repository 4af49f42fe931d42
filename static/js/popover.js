// A popover opens under the button that opens it (not in the middle of the screen), kept
// inside the window.

const GAP_PX = 4;
const MARGIN_PX = 8;

export function anchorUnder(popover, button) {
  popover.addEventListener("toggle", (event) => {
    if (event.newState !== "open") return;
    const below = button.getBoundingClientRect();
    const width = popover.offsetWidth;
    const left = Math.min(below.left, window.innerWidth - width - MARGIN_PX);
    popover.style.left = `${Math.max(MARGIN_PX, left)}px`;
    popover.style.top = `${below.bottom + GAP_PX}px`;
  });
}
