// Charts of the console: uPlot, served from its WebJar.
import uPlot from '/console/uplot/uPlot.esm.js';

const palette = ['#2f6fdb', '#e07b39', '#2a9d8f', '#9b5de5', '#d62828', '#6c757d', '#f4a261', '#118ab2'];

/** A tiny line of one field of a history ({t, records, bytes}) for a table cell; update(history) redraws it. */
export function sparkline(cell, field, color = palette[0]) {
  const plot = new uPlot({
    width: 140, height: 36, legend: { show: false }, cursor: { show: false },
    axes: [{ show: false }, { show: false }],
    scales: { x: { time: true } },
    series: [{}, { stroke: color, fill: `${color}22`, width: 1 }],
  }, [[], []], cell);
  return { update: (h) => plot.setData([h.t, h[field]]) };
}

/**
 * A chart of one value per shard over time (records/s, throttled/s): series follow the shards present; update takes
 * the shards with their history and the field to draw.
 */
export function perShardChart(container, title, field) {
  const box = document.createElement('div');
  box.className = 'chart';
  box.dataset.chart = field;
  const heading = document.createElement('h3');
  heading.textContent = title;
  box.append(heading);
  container.append(box);
  let plot = null;
  let keys = '';
  return {
    update(shards) {
      const withData = shards.filter((s) => s.history && s.history.t.length > 0 && (s.open || s.history[field].some((v) => v > 0)));
      const key = withData.map((s) => s.shardId).join(',');
      const xs = [...new Set(withData.flatMap((s) => s.history.t))].sort((a, b) => a - b);
      const data = [xs, ...withData.map((s) => {
        const at = new Map(s.history.t.map((t, i) => [t, s.history[field][i]]));
        return xs.map((t) => (at.has(t) ? at.get(t) : null));
      })];
      if (key !== keys || plot === null) {
        if (plot) plot.destroy();
        keys = key;
        plot = new uPlot({
          width: 440, height: 180,
          scales: { x: { time: true } },
          series: [{}, ...withData.map((s, i) => ({ label: s.shardId.replace('shardId-', ''), stroke: palette[i % palette.length], width: 1.5 }))],
        }, data, box);
      } else {
        plot.setData(data);
      }
    },
  };
}
