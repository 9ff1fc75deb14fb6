// Shared helpers of the console's pages: fetching the JSON API, formatting, and the page frame.

export const base = '/console';

export async function api(path) {
  const response = await fetch(`${base}/api/${path}`, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({ message: `HTTP ${response.status}` }));
  if (!response.ok) {
    throw new Error(body.message || `HTTP ${response.status}`);
  }
  return body;
}

/** An action (POST or DELETE) with the console's header; resolves to the server's message. */
export async function act(method, path, body) {
  const response = await fetch(`${base}/api/${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-runnel-console': '1' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ message: `HTTP ${response.status}` }));
  if (!response.ok) {
    throw new Error(answer.message || `HTTP ${response.status}`);
  }
  return answer.message;
}

/**
 * Follows server-sent events of one kind from /console/api/events/PATH: calls onData with each parsed event, and
 * onFailure with a message when the server ends the stream with a failure. The browser reconnects by itself after
 * a lost connection. Returns the EventSource (close() stops it).
 */
export function follow(path, kind, onData, onFailure) {
  const source = new EventSource(`${base}/api/events/${path}`);
  source.addEventListener(kind, (e) => onData(JSON.parse(e.data)));
  source.addEventListener('failure', (e) => {
    source.close();
    onFailure(JSON.parse(e.data).message);
  });
  return source;
}

/** Shows what an action did (or why it failed) in the page's message line. */
export function said(text, failed) {
  const line = document.getElementById('message');
  if (line) {
    line.textContent = text;
    line.className = failed ? 'error' : 'done';
  }
}

/** Path segments after /console, decoded. */
export function segments() {
  return location.pathname.slice(base.length).split('/').filter((s) => s).map(decodeURIComponent);
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== undefined && c !== null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const number = (n) => (n === undefined || n === null ? '' : Number(n).toLocaleString('en-US'));

export function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = Number(n);
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export const time = (millis) => new Date(millis).toISOString().replace('T', ' ').replace('Z', ' UTC');

export function streamLink(name) {
  return `${base}/streams/${encodeURIComponent(name)}`;
}

export function recordsLink(stream, shard, query = '') {
  return `${streamLink(stream)}/shards/${encodeURIComponent(shard)}/records${query}`;
}

/** Shows an error in the page's error line (or clears it with null). */
export function showError(error) {
  const line = document.getElementById('error');
  line.textContent = error ? `${error.message || error}` : '';
}

/** Rates per second from two readings of growing counters, keyed by name. */
export class Rates {
  constructor() { this.last = new Map(); }

  update(key, counter, nowMillis) {
    const before = this.last.get(key);
    this.last.set(key, { counter, nowMillis });
    if (!before || nowMillis <= before.nowMillis) return null;
    return Math.max(0, (counter - before.counter) * 1000 / (nowMillis - before.nowMillis));
  }
}
