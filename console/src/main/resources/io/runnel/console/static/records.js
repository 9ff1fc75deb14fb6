import { api, base, el, number, segments, showError, streamLink, time } from './console.js';

const [, stream, , shard] = segments();
const form = document.getElementById('controls');
const tbody = document.querySelector('#records tbody');
let next = null; // where the next page starts: { from, at }
let shown = 0;
let tail = null; // the EventSource of the live tail

document.getElementById('stream-link').textContent = stream;
document.getElementById('stream-link').href = streamLink(stream);
document.getElementById('crumb').textContent = shard;
document.getElementById('title').textContent = `${shard} of ${stream}`;
document.title = `${shard} · ${stream} · Runnel console`;

const params = new URLSearchParams(location.search);
for (const name of ['from', 'at', 'limit', 'format']) {
  if (params.has(name)) form.elements[name].value = params.get(name);
}

function decode(base64) {
  const raw = atob(base64);
  const data = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
  return data;
}

function render(base64, size, cut) {
  const data = decode(base64);
  const format = form.elements.format.value;
  let text;
  if (format === 'hex') {
    text = Array.from(data, (b) => b.toString(16).padStart(2, '0')).join(' ');
  } else {
    text = new TextDecoder('utf-8').decode(data);
    if (format === 'json') {
      try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON: shown as text */ }
    }
  }
  return el('pre', { class: 'data' }, cut ? `${text}\n… (${number(size)} bytes in all)` : text);
}

function userRecords(users) {
  const rows = users.map((u) => el('tr', { class: u.outsideShard ? 'outside' : null, 'data-user-key': u.partitionKey },
    el('td', { class: 'num' }, u.subSequenceNumber),
    el('td', {}, u.partitionKey, u.outsideShard
      ? el('div', { class: 'badge bad', title: 'Its hash key lies outside this shard: a KCL consumer drops the whole aggregate' },
        'outside this shard') : null),
    el('td', { class: 'muted' }, u.explicitHashKey || ''),
    el('td', {}, render(u.data, u.dataSize, u.dataCut))));
  return el('table', { class: 'users' },
    el('thead', {}, el('tr', {}, el('th', { class: 'num' }, 'Sub-seq.'), el('th', {}, 'Partition key'),
      el('th', {}, 'Explicit hash key'), el('th', {}, 'Data'))),
    el('tbody', {}, ...rows));
}

function row(r) {
  const outside = r.aggregated && r.userRecords.some((u) => u.outsideShard);
  return el('tr', { 'data-sequence-number': r.sequenceNumber, class: outside ? 'outside' : null,
    'data-user-key': r.aggregated ? null : r.partitionKey },
    el('td', {}, r.sequenceNumber),
    el('td', {}, time(r.arrivalMillis)),
    el('td', {}, r.partitionKey),
    el('td', { class: 'num' }, number(r.size)),
    el('td', {}, r.aggregated
      ? el('div', {}, el('span', { class: 'badge' }, `KPL aggregate of ${r.userRecords.length} user records`),
        userRecords(r.userRecords))
      : render(r.data, r.dataSize, r.dataCut)));
}

async function read(from, at, append) {
  const query = new URLSearchParams({ from, limit: form.elements.limit.value || '100' });
  if (at) query.set('at', at);
  try {
    const page = await api(`streams/${encodeURIComponent(stream)}/shards/${encodeURIComponent(shard)}/records?${query}`);
    if (!append) { tbody.replaceChildren(); shown = 0; }
    page.records.forEach((r) => tbody.append(row(r)));
    shown += page.records.length;
    next = page.next;
    document.getElementById('status').textContent = `${number(shown)} records shown; `
      + (page.atEnd ? 'at the shard\'s end' : `${number(page.millisBehindLatest)} ms behind its end`)
      + (page.open ? '' : ' (the shard is closed)') + '.';
    showError(null);
    return page;
  } catch (e) {
    showError(e);
    return null;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const from = form.elements.from.value;
  const at = form.elements.at.value.trim();
  const query = new URLSearchParams({ from, limit: form.elements.limit.value, format: form.elements.format.value });
  if (at) query.set('at', at);
  history.replaceState(null, '', `?${query}`);
  read(from, at, false).then(() => { if (document.getElementById('tail').checked) startTail(); });
});

document.getElementById('more').addEventListener('click', () => {
  if (next) read(next.from, next.at, true);
});

form.elements.format.addEventListener('change', () => form.requestSubmit());

// Live tail: server-sent events of the records arriving after the last one shown, while the box is ticked.
function stopTail() {
  if (tail) { tail.close(); tail = null; }
}

async function startTail() {
  stopTail();
  if (!next) await read(form.elements.from.value, form.elements.at.value.trim(), false);
  if (!next || !document.getElementById('tail').checked) return;
  const query = new URLSearchParams({ from: next.from, limit: form.elements.limit.value || '100' });
  if (next.at) query.set('at', next.at);
  tail = new EventSource(`${base}/api/events/streams/${encodeURIComponent(stream)}/shards/${encodeURIComponent(shard)}/tail?${query}`);
  tail.addEventListener('records', (e) => {
    const page = JSON.parse(e.data);
    page.records.forEach((r) => tbody.append(row(r)));
    shown += page.records.length;
    next = page.next;
    document.getElementById('status').textContent = `${number(shown)} records shown; following new records live.`;
  });
  tail.addEventListener('failure', (e) => { stopTail(); showError(JSON.parse(e.data).message); });
  tail.addEventListener('error', () => {
    // the browser reconnects with the URL it had: start again from the last record shown instead
    if (tail && tail.readyState === EventSource.CONNECTING) startTail();
  });
}

document.getElementById('tail').addEventListener('change', (event) => {
  if (event.target.checked) startTail(); else stopTail();
});

read(form.elements.from.value, form.elements.at.value.trim(), false);
