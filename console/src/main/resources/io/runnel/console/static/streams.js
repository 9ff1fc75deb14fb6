import { act, bytes, el, follow, number, said, showError, streamLink } from './console.js';
import { sparkline } from './charts.js';

const rows = new Map(); // stream name -> { row, cells, chart }

const last = (values) => (values && values.length > 0 ? values[values.length - 1] : null);

function rowFor(name) {
  let r = rows.get(name);
  if (!r) {
    const cells = {};
    for (const c of ['status', 'mode', 'open', 'closed', 'retention', 'records', 'recordsChart', 'bytes', 'bytesChart', 'consumers']) {
      cells[c] = el('td', { class: ['open', 'closed', 'retention', 'records', 'bytes'].includes(c) ? 'num' : (c.endsWith('Chart') ? 'spark' : null) });
    }
    const row = el('tr', { 'data-stream': name }, el('td', {}, el('a', { href: streamLink(name) }, name)),
      cells.status, cells.mode, cells.open, cells.closed, cells.retention, cells.records, cells.recordsChart,
      cells.bytes, cells.bytesChart, cells.consumers);
    r = { row, cells, charts: null };
    rows.set(name, r);
  }
  return r;
}

function render({ streams }) {
  const tbody = document.querySelector('#streams tbody');
  const names = new Set(streams.map((s) => s.name));
  for (const [name, r] of rows) {
    if (!names.has(name)) { r.row.remove(); rows.delete(name); }
  }
  const ordered = streams.map((s) => {
    const r = rowFor(s.name);
    const c = r.cells;
    c.status.replaceChildren(el('span', { class: s.status === 'ACTIVE' ? 'badge' : 'badge closed' }, s.status));
    c.mode.textContent = s.mode;
    c.open.textContent = number(s.openShards);
    c.closed.textContent = number(s.closedShards);
    c.retention.textContent = `${s.retentionHours} h`;
    const recordsPerSecond = last(s.history.records);
    const bytesPerSecond = last(s.history.bytes);
    c.records.textContent = recordsPerSecond === null ? '…' : number(recordsPerSecond);
    c.bytes.textContent = bytesPerSecond === null ? '…' : `${bytes(bytesPerSecond)}/s`;
    c.consumers.textContent = s.consumers.map((x) => `${x.name} (${x.status})`).join(', ') || 'none';
    return r;
  });
  tbody.replaceChildren(...ordered.map((r) => r.row));
  for (const [i, r] of ordered.entries()) {
    if (!r.charts) {
      r.charts = [sparkline(r.cells.recordsChart, 'records'), sparkline(r.cells.bytesChart, 'bytes', '#e07b39')];
    }
    r.charts.forEach((c) => c.update(streams[i].history));
  }
  if (streams.length === 0) {
    tbody.append(el('tr', {}, el('td', { colspan: 11, class: 'muted' }, 'No streams yet: create one above, or with the aws CLI.')));
  }
  document.getElementById('updated').textContent = `Live; updated ${new Date().toLocaleTimeString()}.`;
  showError(null);
}

follow('streams', 'streams', render, (message) => showError(message));

document.getElementById('create').addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = event.target.elements;
  const body = { name: f.name.value.trim(), mode: f.mode.value };
  if (f.mode.value === 'PROVISIONED') body.shards = Number(f.shards.value);
  try {
    said(await act('POST', 'streams', body), false);
    event.target.reset();
  } catch (e) {
    said(e.message, true);
  }
});
