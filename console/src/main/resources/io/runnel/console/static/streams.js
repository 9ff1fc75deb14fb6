import { api, bytes, el, number, Rates, showError, streamLink } from './console.js';

const rates = new Rates();

async function refresh() {
  try {
    const { streams } = await api('streams');
    const now = Date.now();
    const rows = streams.map((s) => {
      const recordsPerSecond = rates.update(`${s.name}/records`, s.recordsWritten, now);
      const bytesPerSecond = rates.update(`${s.name}/bytes`, s.bytesWritten, now);
      return el('tr', { 'data-stream': s.name },
        el('td', {}, el('a', { href: streamLink(s.name) }, s.name)),
        el('td', {}, el('span', { class: s.status === 'ACTIVE' ? 'badge' : 'badge closed' }, s.status)),
        el('td', {}, s.mode),
        el('td', { class: 'num' }, number(s.openShards)),
        el('td', { class: 'num' }, number(s.closedShards)),
        el('td', { class: 'num' }, `${s.retentionHours} h`),
        el('td', { class: 'num' }, recordsPerSecond === null ? '…' : number(Math.round(recordsPerSecond))),
        el('td', { class: 'num' }, bytesPerSecond === null ? '…' : `${bytes(Math.round(bytesPerSecond))}/s`),
        el('td', { class: 'num' }, number(s.recordsWritten)),
        el('td', {}, s.consumers.map((c) => `${c.name} (${c.status})`).join(', ') || el('span', { class: 'muted' }, 'none')));
    });
    document.querySelector('#streams tbody').replaceChildren(...rows);
    if (rows.length === 0) {
      document.querySelector('#streams tbody').append(el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'No streams yet.')));
    }
    document.getElementById('updated').textContent = `Updated ${new Date(now).toLocaleTimeString()}; every 2 s.`;
    showError(null);
  } catch (e) {
    showError(e);
  }
}

refresh();
setInterval(refresh, 2000);
