// A popover opens under the button that opens it (not in the middle of the screen, and not
// for a frame in the corner it starts in), kept inside the window.

const GAP_PX = 4;
const MARGIN_PX = 8;

function place(popover, button) {
  const below = button.getBoundingClientRect();
  const width = popover.offsetWidth;  // 0 until it is shown: then placed again once it is
  const left = Math.min(below.left, window.innerWidth - width - MARGIN_PX);
  popover.style.left = `${Math.max(MARGIN_PX, left)}px`;
  popover.style.top = `${below.bottom + GAP_PX}px`;
}

export function anchorUnder(popover, button) {
  for (const kind of ["beforetoggle", "toggle"]) {
    popover.addEventListener(kind, (event) => {
      if (event.newState === "open") place(popover, button);
    });
  }
}
