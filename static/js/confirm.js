// Asking before an action that cannot be undone, in the page's own dialog (#confirm-dialog):
// what it does, to how many requests, and whether the deletion is permanent.

import { readHealth } from "./health.js";

// What deleting means for the store the server runs with (/healthz says which).
const AFTERMATH = {
  sqlite: "Permanent: they are deleted from the SQLite file and stay deleted after a restart.",
  redis: "Permanent: they are deleted from Redis, for every inspector that shares it.",
};
const UNDOABLE_NOT = "This cannot be undone.";

export async function deletionNote() {
  try {
    const health = await readHealth();
    return AFTERMATH[health.store?.engine] || UNDOABLE_NOT;
  } catch {
    return UNDOABLE_NOT;
  }
}

export function requests(count) {
  return `${count.toLocaleString()} request${count === 1 ? "" : "s"}`;
}

export class ConfirmDialog {
  constructor(dialog) {
    this.dialog = dialog;
  }

  // True only when the action's button is pressed; Cancel and Escape answer false.
  ask({ title, message, note, action }) {
    const dialog = this.dialog;
    dialog.querySelector("#confirm-title").textContent = title;
    dialog.querySelector("#confirm-message").textContent = message;
    const shown = dialog.querySelector("#confirm-note");
    shown.textContent = note || "";
    shown.hidden = !note;
    dialog.querySelector("#confirm-ok").textContent = action;
    dialog.returnValue = "";
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true });
    });
  }
}
