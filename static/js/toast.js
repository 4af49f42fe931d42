// Short notices ("Secret added", "cURL command copied") float over the page's bottom edge and
// go by themselves: nothing moves to make room for them.

const SHOWN_MS = 2500;

export class Toast {
  constructor(element) {
    this.element = element;
    this.timer = null;
  }

  show(text) {
    this.element.textContent = text;
    this.element.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.element.hidden = true; }, SHOWN_MS);
  }
}
