import { api, el, number, Rates, recordsLink, segments, showError } from './console.js';

const [, name] = segments();
const rates = new Rates();
document.getElementById('crumb').textContent = name;
document.getElementById('title').textContent = name;
document.title = `${name} · Runnel console`;

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
  const shapes = [];
  for (const s of shards) {
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
    shapes.push(g);
  }
  svg.replaceChildren(...shapes);
}

async function refresh() {
  try {
    const s = await api(`streams/${encodeURIComponent(name)}`);
    const now = Date.now();
    document.getElementById('summary').textContent = `${s.status} · ${s.mode} · ${s.openShards} open and `
      + `${s.closedShards} closed shards · retention ${s.retentionHours} h · ${number(s.recordsWritten)} records written`;
    drawRanges(s.shards);
    const rows = s.shards.map((shard) => {
      const rate = rates.update(shard.shardId, shard.recordsWritten, now);
      return el('tr', { 'data-shard': shard.shardId },
        el('td', {}, shard.shardId),
        el('td', {}, el('span', { class: shard.open ? 'badge' : 'badge closed' }, shard.open ? 'open' : 'closed')),
        el('td', {}, shard.parentShardId || ''),
        el('td', {}, shard.adjacentParentShardId || ''),
        el('td', { class: 'muted' }, `${shard.startingHashKey} – ${shard.endingHashKey}`),
        el('td', { class: 'num' }, `${((shard.to - shard.from) * 100).toFixed(1)} %`),
        el('td', { class: 'num' }, rate === null ? '…' : number(Math.round(rate))),
        el('td', { class: 'num' }, number(shard.recordsWritten)),
        el('td', {}, el('a', { href: recordsLink(name, shard.shardId) }, 'records')));
    });
    document.querySelector('#shards tbody').replaceChildren(...rows);
    document.getElementById('consumers').textContent = s.consumers.length === 0 ? 'No registered consumers.'
      : s.consumers.map((c) => `${c.name} (${c.status})`).join(', ');
    showError(null);
  } catch (e) {
    showError(e);
  }
}

refresh();
setInterval(refresh, 2000);
