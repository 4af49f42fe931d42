// Acting on many requests at once: replay or delete the search's matches, clear everything.
// Each asks first with the server's own count (SPEC 8).

import { sendJson, getJson } from "./api.js";
import { deletionNote, requests } from "./confirm.js";

export class BulkActions {
  // current() gives { query, total } as the list has them; reload(query) lists again.
  constructor({ confirmer, notice, current, reload }) {
    this.confirmer = confirmer;
    this.notice = notice;
    this.current = current;
    this.reload = reload;
  }

  async replayMatches(forwarding) {
    const { query, total } = this.current();
    if (total > 10 && !await this.confirmer.ask({ title: "Replay the matches?",
      message: `Replay all ${requests(total)} that match ${query}?`, action: `Replay ${requests(total)}` })) return;
    // With --forward the server replays there, with the credentials the page never sees.
    const target = forwarding ? null : prompt("Replay to which base URL?", "http://localhost:3000");
    if (!forwarding && !target) return;
    const answer = await sendJson("POST", "/api/requests/replay", target ? { q: query, target } : { q: query });
    const answered = answer.replays.filter((r) => r.replay && r.replay.status >= 200 && r.replay.status < 300);
    this.notice(`Replayed ${answer.replays.length}: ${answered.length} answered 2xx`);
  }

  // Only what was counted is deleted (a match that arrives while the dialog is open is kept).
  async deleteMatches() {
    const { query } = this.current();
    const matching = new URLSearchParams({ q: query, matches: "true", limit: 1 });
    const [page, note] = await Promise.all([getJson(`/api/requests?${matching}`), deletionNote()]);
    if (!page.matches) return this.notice("Nothing matches");
    const counted = requests(page.matches);
    if (!await this.confirmer.ask({ title: "Delete the matches?", message: `Delete the ${counted} that match ${query}?`,
      note, action: `Delete ${counted}` })) return;
    await sendJson("DELETE", `/api/requests?q=${encodeURIComponent(`(${query}) id:<=${page.last_id}`)}`);
    await this.reload(query);  // the count of everything stored changed too
  }

  // Everything, whatever the search: asked with the number the server stores now.
  async clearAll() {
    const [page, note] = await Promise.all([getJson("/api/requests?limit=1"), deletionNote()]);
    if (!page.count) return this.notice("Nothing to clear");
    const counted = requests(page.count);
    if (!await this.confirmer.ask({ title: "Clear the history?",
      message: `Delete all ${counted} stored? Requests that arrive before you confirm are deleted too.`,
      note, action: `Delete ${counted}` })) return;
    await sendJson("DELETE", "/api/requests");
  }
}
