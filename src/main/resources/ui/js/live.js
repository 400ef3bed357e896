// The live stream: trade the admin token for a one-time ticket (POST /api/events/ticket), open an EventSource on
// /api/events/stream?ticket=..., hand every bus event to the app. If the stream drops (or cannot be opened), the
// app polls every few seconds and the stream is tried again after a while.
import { api } from './api.js';

const POLL_MS = 4000;
const RETRY_MS = 10000;

export class Live {
  constructor({ onEvent, onPoll, onState }) {
    this.onEvent = onEvent;
    this.onPoll = onPoll;
    this.onState = onState;
    this.source = null;
    this.pollTimer = null;
    this.retryTimer = null;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    if (this.source) this.source.close();
    this.source = null;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    this.pollTimer = null;
  }

  async connect() {
    if (this.stopped) return;
    let ticket;
    try {
      ticket = (await api('/api/events/ticket', { method: 'POST' })).ticket;
    } catch (e) {
      this.fallBack(`live updates unavailable: ${e.message}`);
      return;
    }
    if (this.stopped) return;
    const source = new EventSource(`/api/events/stream?ticket=${encodeURIComponent(ticket)}`);
    this.source = source;
    source.addEventListener('ready', () => {
      clearInterval(this.pollTimer);
      this.pollTimer = null;
      this.onState('live', 'Live');
    });
    source.addEventListener('dropped', () => this.onPoll());
    source.onmessage = (m) => {
      let event;
      try { event = JSON.parse(m.data); } catch { return; }
      this.onEvent(event);
    };
    source.onerror = () => {
      // a ticket is good for one connection: never let EventSource reconnect with a spent one
      source.close();
      if (this.source === source) this.source = null;
      this.fallBack('live stream lost; refreshing every few seconds');
    };
  }

  fallBack(why) {
    if (this.stopped) return;
    this.onState('polling', `Polling (${why})`);
    if (!this.pollTimer) this.pollTimer = setInterval(() => this.onPoll(), POLL_MS);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), RETRY_MS);
  }
}
