import { act, el, follow, number, recordsLink, said, segments, showError } from './console.js';
import { perShardChart } from './charts.js';

const [, name] = segments();
document.getElementById('crumb').textContent = name;
document.getElementById('title').textContent = name;
document.title = `${name} · Runnel console`;

const charts = document.getElementById('charts');
const writes = perShardChart(charts, 'Kinesis records/s per shard (an aggregate is one)', 'records');
const throttles = perShardChart(charts, 'Throttled Kinesis records/s per shard', 'throttled');
let current = null;

/** Rows of the lineage: a shard sits one row below its parent's deepest row. */
function depths(shards) {
  const byId = new Map(shards.map((s) => [s.shardId, s]));
  const depth = new Map();
  const of = (s) => {
    if (depth.has(s.shardId)) return depth.get(s.shardId);
    depth.set(s.shardId, 0); // guards against a cycle
    const parents = [s.parentShardId, s.adjacentParentShardId].map((p) => byId.get(p)).filter((p) => p);
    const d = parents.length === 0 ? 0 : 1 + Math.max(...parents.map(of));
    depth.set(s.shardId, d);
    return d;
  };
  shards.forEach(of);
  return depth;
}

function drawRanges(shards) {
  const svg = document.getElementById('ranges');
  const width = svg.clientWidth || 900;
  const rowHeight = 30;
  const depth = depths(shards);
  const rows = Math.max(1, ...[...depth.values()].map((d) => d + 1));
  svg.setAttribute('viewBox', `0 0 ${width} ${rows * rowHeight + 4}`);
  svg.setAttribute('height', rows * rowHeight + 4);
  const ns = 'http://www.w3.org/2000/svg';
  const shapes = shards.map((s) => {
    const x = 2 + s.from * (width - 4);
    const w = Math.max(1, (s.to - s.from) * (width - 4));
    const y = 2 + depth.get(s.shardId) * rowHeight;
    const g = document.createElementNS(ns, 'g');
    g.setAttribute('data-shard', s.shardId);
    const rect = document.createElementNS(ns, 'rect');
    Object.entries({ x, y, width: w, height: rowHeight - 6, rx: 3, class: s.open ? 'open' : 'closed' })
      .forEach(([k, v]) => rect.setAttribute(k, v));
    const title = document.createElementNS(ns, 'title');
    title.textContent = `${s.shardId} (${s.open ? 'open' : 'closed'}): ${s.startingHashKey} to ${s.endingHashKey}`;
    rect.append(title);
    g.append(rect);
    if (w > 60) {
      const text = document.createElementNS(ns, 'text');
      text.setAttribute('x', x + 5);
      text.setAttribute('y', y + rowHeight / 2 + 1);
      text.textContent = s.shardId.replace('shardId-', '');
      g.append(text);
    }
    return g;
  });
  svg.replaceChildren(...shapes);
}

const last = (values) => (values && values.length > 0 ? values[values.length - 1] : null);

async function run(method, path, body) {
  try {
    said(await act(method, path, body), false);
  } catch (e) {
    said(e.message, true);
  }
}

function render(s) {
  current = s;
  document.getElementById('summary').textContent = `${s.status} · ${s.mode} · ${s.openShards} open and `
    + `${s.closedShards} closed shards · retention ${s.retentionHours} h · ${number(s.recordsWritten)} Kinesis records written`;
  drawRanges(s.shards);
  writes.update(s.shards);
  throttles.update(s.shards);
  const rows = s.shards.map((shard) => el('tr', { 'data-shard': shard.shardId },
    el('td', {}, shard.shardId),
    el('td', {}, el('span', { class: shard.open ? 'badge' : 'badge closed' }, shard.open ? 'open' : 'closed')),
    el('td', {}, shard.parentShardId || ''),
    el('td', {}, shard.adjacentParentShardId || ''),
    el('td', { class: 'muted' }, `${shard.startingHashKey} – ${shard.endingHashKey}`),
    el('td', { class: 'num' }, `${((shard.to - shard.from) * 100).toFixed(1)} %`),
    el('td', { class: 'num' }, number(last(shard.history.records) ?? '')),
    el('td', { class: 'num' }, number(last(shard.history.throttled) ?? '')),
    el('td', { class: 'num' }, number(shard.recordsWritten)),
    el('td', {}, el('a', { href: recordsLink(name, shard.shardId) }, 'records')),
    el('td', {}, shard.open ? el('button', { type: 'button', class: 'split', 'data-shard': shard.shardId },
      'Split') : '')));
  document.querySelector('#shards tbody').replaceChildren(...rows);
  const open = s.shards.filter((x) => x.open).sort((a, b) => a.from - b.from);
  for (const [i, select] of [...document.querySelectorAll('#merge select')].entries()) {
    // by default the first two neighbours: a merge needs adjacent shards
    const chosen = select.value || (open[i] && open[i].shardId);
    select.replaceChildren(...open.map((x) => el('option', { value: x.shardId, selected: x.shardId === chosen }, x.shardId)));
  }
  const target = document.querySelector('#shard-count input');
  if (!target.value) target.placeholder = String(s.openShards);
  document.getElementById('consumers').replaceChildren(...(s.consumers.length === 0
    ? [document.createTextNode('No registered consumers.')]
    : s.consumers.map((c) => el('div', {}, `${c.name} (${c.status})`, c.subscriptions.length === 0 ? ' — no subscription running'
      : ` — iterator age: ${c.subscriptions.map((x) => `${x.shardId.replace('shardId-', '')} ${number(x.millisBehindLatest)} ms`).join(', ')}`))));
  showError(null);
}

follow(`streams/${encodeURIComponent(name)}`, 'stream', render, (message) => showError(message));

document.querySelector('#shards').addEventListener('click', (event) => {
  const button = event.target.closest('button.split');
  if (button) run('POST', `streams/${encodeURIComponent(name)}/split`, { shardId: button.dataset.shard });
});
document.getElementById('put').addEventListener('submit', (event) => {
  event.preventDefault();
  const f = event.target.elements;
  run('POST', `streams/${encodeURIComponent(name)}/records`, { partitionKey: f.partitionKey.value, data: f.data.value });
});
document.getElementById('shard-count').addEventListener('submit', (event) => {
  event.preventDefault();
  run('POST', `streams/${encodeURIComponent(name)}/shard-count`, { target: Number(event.target.elements.target.value) });
});
document.getElementById('merge').addEventListener('submit', (event) => {
  event.preventDefault();
  const f = event.target.elements;
  run('POST', `streams/${encodeURIComponent(name)}/merge`, { shardId: f.shardId.value, adjacentShardId: f.adjacentShardId.value });
});
document.getElementById('delete').addEventListener('submit', (event) => {
  event.preventDefault();
  if (current && window.confirm(`Delete stream ${name} and its records?`)) {
    run('DELETE', `streams/${encodeURIComponent(name)}`);
  }
});
