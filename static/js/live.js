// The websocket: resumes with ?after= the last id seen; a new server instance means start over.
// With a search (q=), the server sends only its matches.

const RETRY_MS = [250, 500, 1000, 2000, 4000];

export class Live {
  constructor({ lastId, query = "", instance, onMessage, onState, onRestart }) {
    this.lastId = lastId;
    this.query = query;
    this.instance = instance;
    this.onMessage = onMessage;
    this.onState = onState;
    this.onRestart = onRestart;
    this.attempt = 0;
    this.socket = null;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const params = new URLSearchParams({ after: this.lastId });
    if (this.query) params.set("q", this.query);
    const socket = new WebSocket(`${scheme}://${location.host}/ws?${params}`);
    this.socket = socket;
    this.onState(this.attempt ? "reconnecting" : "connecting");
    socket.addEventListener("message", (event) => {
      if (this.socket === socket) this.receive(JSON.parse(event.data));
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.onState("reconnecting");
      const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
      this.attempt += 1;
      setTimeout(() => this.connect(), delay);
    });
  }

  // Another search: a new stream from `lastId`, the old one closed without a retry.
  follow(query, lastId) {
    this.query = query;
    this.lastId = lastId;
    const old = this.socket;
    this.socket = null;
    if (old) old.close();
    this.connect();
  }

  receive(message) {
    if (message.type === "hello") {
      this.attempt = 0;
      if (this.instance && message.instance !== this.instance) {
        // The server restarted: ids start again from 1, so what we hold is from another life.
        this.instance = message.instance;
        this.lastId = 0;
        this.socket.close();
        this.onRestart();
        return;
      }
      this.instance = message.instance;
      this.onState("live");
      return;
    }
    if (message.type === "request") this.lastId = Math.max(this.lastId, message.request.id);
    this.onMessage(message);
  }
}
