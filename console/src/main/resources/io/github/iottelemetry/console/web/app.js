/*
 * Browser side of the iot-telemetry-pipeline console.
 *
 * Plain ES2020, no framework, no build step. The page is served with a strict
 * Content-Security-Policy, so everything is wired here with addEventListener.
 *
 * Safety rule for the whole file: anything that comes from the server (device ids,
 * metric names, quarantine details, original payload bytes, query results) is put
 * into the page with textContent or setAttribute only, never parsed as HTML.
 *
 * Views (one per tab, selected by location.hash): flow, devices, fleet, quarantine,
 * queries. Each view has enter() and leave(); a view polls the server only while it
 * is the active tab and the browser tab is visible.
 */
(() => {
  'use strict';

  // ---------------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);
  const enc = encodeURIComponent;

  /**
   * Creates an element. opts.text is set with textContent (never parsed as HTML),
   * opts.attrs with setAttribute, opts.cls as the class name.
   */
  function el(tag, opts = {}, ...children) {
    const e = document.createElement(tag);
    if (opts.cls) e.className = opts.cls;
    if (opts.text !== undefined && opts.text !== null) e.textContent = String(opts.text);
    if (opts.attrs) {
      for (const [k, v] of Object.entries(opts.attrs)) {
        if (v !== undefined && v !== null) e.setAttribute(k, String(v));
      }
    }
    for (const c of children) if (c) e.appendChild(c);
    return e;
  }

  const show = (e, visible = true) => e.classList.toggle('hidden', !visible);

  /** Shows err (an Error or a string) in the error box with the given id. */
  function showError(id, err) {
    const box = $(id);
    box.textContent = err instanceof Error ? err.message : String(err);
    show(box, true);
  }

  function clearError(id) {
    const box = $(id);
    box.textContent = '';
    show(box, false);
  }

  /** Turns a server-sent word into something safe to use inside a class name. */
  const classWord = (s) => String(s ?? '').toLowerCase().replace(/[^a-z0-9_-]/g, '');

  // --- numbers -----------------------------------------------------------------

  const numFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  const rate1Fmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const rate2Fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  const usdSmallFmt = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 });
  const usdFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

  const isNum = (n) => typeof n === 'number' && Number.isFinite(n);

  /** Number with thousands separators; a dash when missing. */
  function fmtNum(n) {
    if (n === null || n === undefined) return '–';
    return isNum(n) ? numFmt.format(n) : String(n);
  }

  /** A per-second rate without unit (small rates keep two decimals). */
  function fmtRateNum(n) {
    if (!isNum(n)) return '–';
    return Math.abs(n) < 1 && n !== 0 ? rate2Fmt.format(n) : rate1Fmt.format(n);
  }

  const fmtRate = (n) => fmtRateNum(n) + '/s';

  /** Milliseconds as "120 ms", "12.3 s" or "5.2 min". */
  function fmtMs(ms) {
    if (!isNum(ms)) return '–';
    if (Math.abs(ms) < 1000) return numFmt.format(Math.round(ms)) + ' ms';
    if (Math.abs(ms) < 120000) return rate1Fmt.format(ms / 1000) + ' s';
    return rate1Fmt.format(ms / 60000) + ' min';
  }

  function fmtUsd(x) {
    if (!isNum(x)) return '$?';
    return '$' + (x !== 0 && Math.abs(x) < 0.01 ? usdSmallFmt.format(x) : usdFmt.format(x));
  }

  /** "Athena: N bytes scanned, about $X" for responses that carry a cost, else null. */
  function athenaCost(data) {
    if (data.costUsd === null || data.costUsd === undefined) return null;
    return `Athena: ${fmtNum(data.dataScannedBytes)} bytes scanned, about ${fmtUsd(data.costUsd)}`;
  }

  /** A value exactly as the server sent it (JS toString), for cells that must not round. */
  function rawText(v) {
    if (v === null || v === undefined) return '';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  // --- times -------------------------------------------------------------------

  const pad2 = (n) => String(n).padStart(2, '0');

  /** Local wall-clock "HH:MM:SS". */
  function fmtClock(ms) {
    const d = new Date(ms);
    return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  }

  /** Local "YYYY-MM-DD HH:MM:SS". */
  function fmtLocal(ms) {
    if (!isNum(ms)) return '–';
    const d = new Date(ms);
    return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${fmtClock(ms)}`;
  }

  function fmtIsoUtc(ms) {
    if (!isNum(ms)) return '–';
    try {
      return new Date(ms).toISOString();
    } catch (e) {
      return String(ms);
    }
  }

  /** "N s ago" (minutes, hours or days once seconds get unwieldy). */
  function fmtAgo(ms) {
    if (!isNum(ms)) return '';
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 120) return `${s} s ago`;
    if (s < 7200) return `${Math.round(s / 60)} min ago`;
    if (s < 172800) return `${Math.round(s / 3600)} h ago`;
    return `${Math.round(s / 86400)} d ago`;
  }

  // --- HTTP --------------------------------------------------------------------

  /**
   * GETs JSON. On failure throws an Error whose message says what failed (the
   * `what` argument) and carries the server's {"error": "..."} text when there is one.
   */
  async function fetchJson(url, what) {
    let res;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    } catch (e) {
      throw new Error(`${what} failed: cannot reach the console server (${e.message})`);
    }
    let raw = '';
    let body = null;
    try {
      raw = await res.text();
      body = raw ? JSON.parse(raw) : null;
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const detail = body && typeof body.error === 'string'
        ? body.error
        : (raw ? raw.slice(0, 300) : res.statusText);
      throw new Error(`${what} failed: HTTP ${res.status}${detail ? ': ' + detail : ''}`);
    }
    if (body === null || typeof body !== 'object') {
      throw new Error(`${what} failed: the server's answer is not JSON`);
    }
    return body;
  }

  // --- tables ------------------------------------------------------------------

  /**
   * Brings tbody's rows in line with items without rebuilding rows that stay:
   * rows are keyed (data-key) by keyOf(item); create(item) makes a new row,
   * update(row, item) refreshes one. Rows are kept in the order of items.
   * With no items, one placeholder row says emptyText.
   */
  function syncRows(tbody, items, keyOf, create, update, emptyText) {
    const existing = new Map();
    for (const tr of Array.from(tbody.children)) {
      const key = tr.dataset.key;
      if (key === undefined || existing.has(key)) tr.remove();
      else existing.set(key, tr);
    }
    let prev = null;
    for (const item of items) {
      const key = String(keyOf(item));
      let tr = existing.get(key);
      if (tr) {
        existing.delete(key);
      } else {
        tr = create(item);
        tr.dataset.key = key;
      }
      if (update) update(tr, item);
      const wanted = prev ? prev.nextSibling : tbody.firstChild;
      if (tr !== wanted) tbody.insertBefore(tr, wanted);
      prev = tr;
    }
    existing.forEach((tr) => tr.remove());
    if (items.length === 0 && emptyText) {
      const cols = tbody.parentElement.querySelector('thead tr:last-child')?.children.length || 1;
      tbody.appendChild(el('tr', { cls: 'empty' }, el('td', { text: emptyText, attrs: { colspan: cols } })));
    }
  }

  /** Sets a cell's text only when it changed (keeps selections and avoids layout work). */
  function setText(node, text) {
    const s = String(text);
    if (node.textContent !== s) node.textContent = s;
  }

  // --- polling -----------------------------------------------------------------

  /**
   * Calls an async function now and then again intervalMs after each call finishes,
   * until stopped. now() runs it at once and restarts the interval.
   */
  class Poller {
    constructor(fn, intervalMs) {
      this.fn = fn;
      this.intervalMs = intervalMs;
      this.active = false;
      this.generation = 0;
      this.timer = null;
    }

    start() {
      this.stop();
      this.active = true;
      this.tick();
    }

    stop() {
      this.active = false;
      this.generation++;
      clearTimeout(this.timer);
    }

    now() {
      if (!this.active) return;
      this.generation++;
      clearTimeout(this.timer);
      this.tick();
    }

    async tick() {
      const generation = this.generation;
      try {
        await this.fn();
      } catch (e) {
        console.error(e); // loaders report their own errors in the page
      }
      if (this.active && generation === this.generation) {
        this.timer = setTimeout(() => this.tick(), this.intervalMs);
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Charts (uPlot): a min..max band with the mean line, x = window start (epoch s)
  // ---------------------------------------------------------------------------

  const CHART_MAX_WIDTH = 560;
  const CHART_HEIGHT = 220;
  const liveCharts = new Set();

  function chartWidth(holder) {
    const w = holder.clientWidth;
    return w > 0 ? Math.min(CHART_MAX_WIDTH, w) : CHART_MAX_WIDTH;
  }

  function bandChartOptions(title, width) {
    return {
      title,
      width,
      height: CHART_HEIGHT,
      scales: {
        x: {
          time: true,
          // One window alone: uPlot stretches a time axis to 86400/ms units (years, with seconds); show a few
          // minutes either side instead.
          range: (u, min, max) => {
            const t = u.data && u.data[0];
            return t && t.length === 1 ? [t[0] - 300, t[0] + 300] : [min, max];
          },
        },
      },
      series: [
        { label: 'window start' },
        { label: 'min', stroke: 'rgba(37, 99, 235, 0.45)', width: 1, points: { show: false } },
        { label: 'max', stroke: 'rgba(37, 99, 235, 0.45)', width: 1, points: { show: false } },
        { label: 'mean', stroke: '#1d4ed8', width: 2 },
      ],
      // Fill between series 2 (max, upper edge) and series 1 (min, lower edge).
      bands: [{ series: [2, 1], fill: 'rgba(37, 99, 235, 0.14)' }],
      axes: [{}, { size: 56 }],
    };
  }

  /** One band chart living in a holder element; created lazily on the first data. */
  class BandChart {
    constructor(holder, title) {
      this.holder = holder;
      this.title = title;
      this.plot = null;
    }

    /** metric: {t, min, max, mean} arrays from the server. */
    setData(metric) {
      const t = metric.t || [];
      const data = [t, metric.min || [], metric.max || [], metric.mean || []];
      if (typeof uPlot === 'undefined') {
        if (!this.holder.firstChild) {
          this.holder.appendChild(el('p', {
            cls: 'error',
            text: 'The chart library did not load (/assets/uplot/uPlot.iife.min.js); the table below still has the windows.',
          }));
        }
        return;
      }
      if (this.plot) {
        this.plot.setData(data);
      } else {
        this.holder.textContent = '';
        // uPlot puts the title in with textContent, so a metric name stays text.
        this.plot = new uPlot(bandChartOptions(this.title, chartWidth(this.holder)), data, this.holder);
        liveCharts.add(this);
      }
    }

    resize() {
      if (this.plot) this.plot.setSize({ width: chartWidth(this.holder), height: CHART_HEIGHT });
    }

    destroy() {
      if (this.plot) this.plot.destroy();
      this.plot = null;
      liveCharts.delete(this);
    }
  }

  /**
   * Keeps one chart block per metric in container (blocks: Map metric -> block).
   * makeBlock(metric) builds the block's DOM and returns {root, holder, ...};
   * updateBlock(block, metricData) fills it. Blocks of metrics that are gone are removed.
   */
  function syncChartBlocks(container, blocks, metrics, makeBlock, updateBlock, emptyText) {
    const names = Object.keys(metrics).sort();
    for (const [name, block] of blocks) {
      if (!names.includes(name)) {
        block.chart.destroy();
        block.root.remove();
        blocks.delete(name);
      }
    }
    container.querySelectorAll(':scope > .empty').forEach((e) => e.remove());
    for (const name of names) {
      let block = blocks.get(name);
      if (!block) {
        block = makeBlock(name);
        block.chart = new BandChart(block.holder, name);
        blocks.set(name, block);
      }
      container.appendChild(block.root); // appending keeps the sorted order
      block.root.querySelector('.chart-error').textContent = '';
      try {
        updateBlock(block, metrics[name] || {});
      } catch (e) {
        console.error(e);
        block.root.querySelector('.chart-error').textContent = `Drawing ${name} failed: ${e.message}`;
      }
    }
    if (names.length === 0 && emptyText) container.appendChild(el('p', { cls: 'empty muted', text: emptyText }));
  }

  function clearChartBlocks(container, blocks) {
    blocks.forEach((b) => b.chart.destroy());
    blocks.clear();
    container.textContent = '';
  }

  // Resize the charts with the window (debounced).
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => liveCharts.forEach((c) => c.resize()), 150);
  });

  /** Resolution toggle buttons (ids prefix + resolution) built from /api/info. */
  function buildResolutionButtons(group, prefix, current, onPick) {
    group.textContent = '';
    for (const r of info.resolutions) {
      const b = el('button', { cls: 'toggle', text: r, attrs: { type: 'button', id: prefix + r, 'data-resolution': r } });
      b.addEventListener('click', () => onPick(r));
      group.appendChild(b);
    }
    markResolution(group, current);
  }

  function markResolution(group, current) {
    for (const b of group.querySelectorAll('button')) {
      const on = b.dataset.resolution === current;
      b.classList.toggle('active', on);
      b.setAttribute('aria-pressed', String(on));
    }
  }

  // ---------------------------------------------------------------------------
  // /api/info and the header
  // ---------------------------------------------------------------------------

  let info = { mode: 'unknown', stack: '', region: '', flow: true, resolutions: ['1m', '1h'], athena: false };

  async function loadInfo() {
    const badge = $('mode-badge');
    try {
      const data = await fetchJson('/api/info', 'Loading the console info (/api/info)');
      info = { ...info, ...data };
      if (!Array.isArray(info.resolutions) || info.resolutions.length === 0) info.resolutions = ['1m', '1h'];
      clearError('info-error');
      badge.textContent = [info.mode, info.stack, info.region].filter((s) => s).join(' · ');
    } catch (e) {
      showError('info-error', e);
      badge.textContent = 'mode unknown';
    }
    badge.dataset.mode = String(info.mode);
    badge.className = `badge mode-${classWord(info.mode)}`;
  }

  // ---------------------------------------------------------------------------
  // Flow: live counters from server-sent events
  // ---------------------------------------------------------------------------

  const FlowView = {
    active: false,
    source: null,
    retryTimer: null,
    stageSignature: '',
    stageRefs: new Map(), // stage id -> {card, pill, why, counters: Map key -> {row, total, rate}}

    enter() {
      if (this.active) return;
      this.active = true;
      const live = info.flow !== false;
      show($('flow-note'), !live);
      show($('flow-live'), live);
      if (live) this.connect();
    },

    leave() {
      this.active = false;
      this.disconnect();
    },

    setStatus(text, connected) {
      const status = $('flow-status');
      status.textContent = text;
      status.classList.toggle('disconnected', !connected);
      $('flow-stages').classList.toggle('stale', !connected);
    },

    connect() {
      this.disconnect();
      this.setStatus('connecting…', false);
      const es = new EventSource('/api/flow/events');
      this.source = es;
      es.addEventListener('open', () => {
        if (this.source === es) this.setStatus('connected, waiting for the first sample', true);
      });
      es.addEventListener('flow', (ev) => this.onEvent(es, ev));
      es.addEventListener('message', (ev) => this.onEvent(es, ev)); // unnamed events, just in case
      es.addEventListener('error', () => {
        if (this.source !== es) return;
        this.setStatus('disconnected, retrying', false);
        if (es.readyState === EventSource.CLOSED) {
          // The browser gave up (an HTTP error or a wrong content type): find out
          // why, show it, and reconnect ourselves.
          es.close();
          this.source = null;
          this.probe();
          this.retryTimer = setTimeout(() => {
            if (this.active) this.connect();
          }, 3000);
        }
        // Otherwise EventSource reconnects by itself.
      });
    },

    disconnect() {
      clearTimeout(this.retryTimer);
      if (this.source) this.source.close();
      this.source = null;
    },

    /** GETs the event stream once to read the server's error text, then aborts. */
    async probe() {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 5000);
      try {
        const res = await fetch('/api/flow/events', { signal: ctl.signal, headers: { Accept: 'text/event-stream' } });
        if (!res.ok) {
          const raw = await res.text();
          let detail = raw.slice(0, 300);
          try {
            detail = JSON.parse(raw).error || detail;
          } catch (e) { /* not JSON: keep the raw text */ }
          showError('flow-error', `Live flow stream (/api/flow/events) failed: HTTP ${res.status}${detail ? ': ' + detail : ''}`);
        }
      } catch (e) {
        if (e.name !== 'AbortError') {
          showError('flow-error', `Live flow stream (/api/flow/events) failed: cannot reach the console server (${e.message})`);
        }
      } finally {
        clearTimeout(timer);
        ctl.abort();
      }
    },

    onEvent(es, ev) {
      if (this.source !== es || !this.active) return;
      let snap;
      try {
        snap = JSON.parse(ev.data);
      } catch (e) {
        showError('flow-error', `A flow event is not valid JSON: ${e.message}`);
        return;
      }
      try {
        this.render(snap);
        clearError('flow-error');
      } catch (e) {
        console.error(e);
        showError('flow-error', `Showing the flow failed: ${e.message}`);
      }
      this.setStatus(`live, updated ${fmtClock(isNum(snap.at) ? snap.at : Date.now())}`, true);
    },

    render(snap) {
      this.renderStages(Array.isArray(snap.stages) ? snap.stages : []);
      this.renderShards(Array.isArray(snap.shards) ? snap.shards : []);
      this.renderQuarantine(Array.isArray(snap.quarantineByReason) ? snap.quarantineByReason : []);
      this.renderLag(Array.isArray(snap.lag) ? snap.lag : []);
    },

    /** Builds the cards once per shape (stage ids and counter keys), then updates in place. */
    renderStages(stages) {
      const signature = stages
        .map((s) => `${s.id}:${(s.counters || []).map((c) => c.key).join(',')}`)
        .join('|');
      if (signature !== this.stageSignature) {
        this.stageSignature = signature;
        this.buildStages(stages);
      }
      for (const stage of stages) {
        const refs = this.stageRefs.get(String(stage.id));
        if (!refs) continue;
        const health = String(stage.health ?? 'unknown');
        refs.pill.className = `pill health-${classWord(health)}`;
        refs.pill.dataset.health = health;
        setText(refs.pill, health);
        setText(refs.why, stage.why || '');
        show(refs.why, Boolean(stage.why));
        refs.card.dataset.health = health;
        for (const c of stage.counters || []) {
          const row = refs.counters.get(String(c.key));
          if (row) this.updateCounter(row, c);
        }
      }
    },

    buildStages(stages) {
      const container = $('flow-stages');
      container.textContent = '';
      this.stageRefs.clear();
      stages.forEach((stage, i) => {
        if (i > 0) container.appendChild(el('div', { cls: 'arrow', text: '→', attrs: { 'aria-hidden': 'true' } }));
        const pill = el('span', { cls: 'pill' });
        const why = el('p', { cls: 'why hidden' });
        const tbody = el('tbody');
        const counters = new Map();
        for (const c of stage.counters || []) {
          const label = el('td', { cls: 'label', text: c.label ?? c.key });
          const total = el('td', { cls: 'total num' });
          const rate = el('td', { cls: 'rate num' });
          const row = el('tr', { cls: 'counter', attrs: { 'data-counter': `${stage.id}.${c.key}` } }, label, total, rate);
          tbody.appendChild(row);
          counters.set(String(c.key), { row, total, rate });
        }
        const card = el('div', { cls: 'stage-card', attrs: { 'data-stage': stage.id } },
          el('div', { cls: 'stage-head' }, el('h3', { text: stage.name ?? stage.id }), pill),
          why,
          el('table', { cls: 'counters' }, tbody));
        container.appendChild(card);
        this.stageRefs.set(String(stage.id), { card, pill, why, counters });
      });
      if (stages.length === 0) container.appendChild(el('p', { cls: 'muted', text: 'no stages reported yet' }));
    },

    updateCounter(refs, c) {
      refs.row.dataset.total = String(c.total);
      setText(refs.total, fmtNum(c.total));
      // A gauge is a current value: no rate.
      setText(refs.rate, c.gauge ? '' : fmtRate(c.perSecond));
      refs.row.classList.toggle('gauge', Boolean(c.gauge));
      refs.row.classList.toggle('bad', Boolean(c.bad) && isNum(c.total) && c.total > 0);
    },

    renderShards(shards) {
      const tbody = $('flow-shards').tBodies[0];
      syncRows(tbody, shards, (s) => s.shard,
        (s) => {
          const tr = el('tr', { attrs: { 'data-shard': s.shard } });
          for (const cls of ['shard', 'put-total', 'put-rate', 'queued', 'ingest-rate', 'ingest-age', 'processor-rate', 'processor-age']) {
            tr.appendChild(el('td', { cls: cls === 'shard' ? 'shard' : `${cls} num` }));
          }
          return tr;
        },
        (tr, s) => {
          const c = tr.cells;
          setText(c[0], s.shard);
          setText(c[1], fmtNum(s.put?.total));
          setText(c[2], fmtRateNum(s.put?.perSecond));
          setText(c[3], fmtNum(s.queued));
          setText(c[4], s.ingest ? fmtRateNum(s.ingest.perSecond) : '–');
          setText(c[5], s.ingest ? fmtMs(s.ingest.iteratorAgeMs) : '–');
          setText(c[6], s.processor ? fmtRateNum(s.processor.perSecond) : '–');
          setText(c[7], s.processor ? fmtMs(s.processor.iteratorAgeMs) : '–');
        },
        'no shards yet');
    },

    renderQuarantine(reasons) {
      const tbody = $('flow-quarantine').tBodies[0];
      syncRows(tbody, reasons, (r) => r.reason,
        (r) => el('tr', { attrs: { 'data-reason': r.reason } },
          el('td', { cls: 'reason', text: r.reason }), el('td', { cls: 'total num' }), el('td', { cls: 'rate num' })),
        (tr, r) => {
          tr.dataset.total = String(r.total);
          setText(tr.cells[1], fmtNum(r.total));
          setText(tr.cells[2], fmtRateNum(r.perSecond));
          tr.classList.toggle('bad', isNum(r.total) && r.total > 0);
        },
        'nothing quarantined');
    },

    renderLag(lag) {
      const tbody = $('flow-lag').tBodies[0];
      syncRows(tbody, lag, (l) => l.output,
        (l) => el('tr', { attrs: { 'data-output': l.output } },
          el('td', { cls: 'output', text: l.output }),
          el('td', { cls: 'p50 num' }), el('td', { cls: 'p99 num' }), el('td', { cls: 'windows num' })),
        (tr, l) => {
          tr.dataset.p50 = String(l.p50);
          tr.dataset.p99 = String(l.p99);
          setText(tr.cells[1], fmtNum(l.p50));
          setText(tr.cells[2], fmtNum(l.p99));
          setText(tr.cells[3], fmtNum(l.windows));
        },
        'no windows written in the last minute');
    },
  };

  // ---------------------------------------------------------------------------
  // Devices: list, selection, and the selected device's series
  // ---------------------------------------------------------------------------

  const DevicesView = {
    active: false,
    selected: null,
    resolution: '1m',
    listRequest: 0,
    seriesRequest: 0,
    searchTimer: null,
    blocks: new Map(), // metric -> chart block
    listPoller: new Poller(() => DevicesView.loadList(), 10000),
    seriesPoller: new Poller(() => DevicesView.loadSeries(), 5000),

    init() {
      this.resolution = info.resolutions[0];
      buildResolutionButtons($('series-resolutions'), 'series-', this.resolution, (r) => this.setResolution(r));
      show($('series-resolutions'), false);
      // Filter as you type, on the server (q), 300 ms after the last key.
      $('devices-search').addEventListener('input', () => {
        clearTimeout(this.searchTimer);
        this.searchTimer = setTimeout(() => this.listPoller.now(), 300);
      });
    },

    enter() {
      if (this.active) return;
      this.active = true;
      this.listPoller.start();
      if (this.selected !== null) this.seriesPoller.start();
    },

    leave() {
      this.active = false;
      clearTimeout(this.searchTimer);
      this.listPoller.stop();
      this.seriesPoller.stop();
    },

    async loadList() {
      const q = $('devices-search').value.trim();
      const request = ++this.listRequest;
      const status = $('devices-status');
      status.textContent = 'loading…';
      try {
        const data = await fetchJson(`/api/devices?q=${enc(q)}&limit=200`, 'Loading the device list');
        if (request !== this.listRequest) return; // a newer request is on its way
        clearError('devices-error');
        this.renderList(data, q);
        status.textContent = `updated ${fmtClock(Date.now())}`;
      } catch (e) {
        if (request !== this.listRequest) return;
        showError('devices-error', e);
        status.textContent = '';
      }
    },

    renderList(data, q) {
      const devices = Array.isArray(data.devices) ? data.devices : [];
      $('devices-connected').textContent =
        `connected devices: ${data.connected === null || data.connected === undefined ? 'unknown' : fmtNum(data.connected)}`;
      let total = `known devices: ${fmtNum(data.total)}`;
      if (q) total += `; ${devices.length} shown for "${q}"`;
      else if (isNum(data.total) && devices.length < data.total) total += `; showing ${devices.length}`;
      $('devices-total').textContent = total;

      const tbody = $('devices-table').tBodies[0];
      syncRows(tbody, devices, (d) => d.deviceId,
        (d) => {
          const tr = el('tr', { attrs: { 'data-device': d.deviceId, tabindex: '0' } },
            el('td', { cls: 'device-id', text: d.deviceId }),
            el('td', { cls: 'last-seen' }),
            el('td', { cls: 'last-seq num' }),
            el('td', { cls: 'readings' }));
          tr.addEventListener('click', () => this.select(d.deviceId));
          tr.addEventListener('keydown', (ev) => {
            if (ev.key === 'Enter' || ev.key === ' ') {
              ev.preventDefault();
              this.select(d.deviceId);
            }
          });
          return tr;
        },
        (tr, d) => {
          const c = tr.cells;
          // Last seen: when the pipeline last stored the device's state (its newest reading's own time can be
          // far older: a late or clock-skewed device).
          const seen = isNum(d.updatedAt) ? d.updatedAt : d.lastTs;
          setText(c[1], isNum(seen) ? `${fmtLocal(seen)} (${fmtAgo(seen)})` : '–');
          if (isNum(d.lastTs)) c[1].title = `newest reading's time: ${fmtLocal(d.lastTs)}`;
          setText(c[2], fmtNum(d.lastSeq));
          this.fillReadings(c[3], d.latest);
          tr.classList.toggle('selected', d.deviceId === this.selected);
          tr.setAttribute('aria-selected', String(d.deviceId === this.selected));
        },
        q ? `no device id contains "${q}"` : 'no devices yet');
    },

    /** latest readings as "metric=value" chips (textContent only). */
    fillReadings(td, latest) {
      td.textContent = '';
      const entries = latest && typeof latest === 'object' ? Object.entries(latest) : [];
      for (const [metric, value] of entries) {
        td.appendChild(el('span', { cls: 'reading', text: `${metric}=${rawText(value)}` }));
      }
      if (entries.length === 0) td.textContent = '–';
    },

    select(deviceId) {
      if (deviceId === this.selected) {
        this.seriesPoller.now();
        return;
      }
      this.selected = deviceId;
      $('device-selected').textContent = deviceId;
      show($('device-hint'), false);
      show($('series-resolutions'), true);
      for (const tr of $('devices-table').tBodies[0].rows) {
        const on = tr.dataset.device === deviceId;
        tr.classList.toggle('selected', on);
        tr.setAttribute('aria-selected', String(on));
      }
      clearChartBlocks($('device-charts'), this.blocks);
      clearError('series-error');
      if (this.active) this.seriesPoller.start();
    },

    setResolution(r) {
      if (r === this.resolution) return;
      this.resolution = r;
      markResolution($('series-resolutions'), r);
      clearChartBlocks($('device-charts'), this.blocks);
      if (this.active && this.selected !== null) this.seriesPoller.start();
    },

    async loadSeries() {
      const deviceId = this.selected;
      const resolution = this.resolution;
      if (deviceId === null) return;
      const request = ++this.seriesRequest;
      const status = $('series-status');
      status.textContent = 'loading…';
      try {
        const data = await fetchJson(
          `/api/devices/${enc(deviceId)}/series?resolution=${enc(resolution)}`,
          `Loading the ${resolution} windows of device ${deviceId}`);
        if (request !== this.seriesRequest || deviceId !== this.selected || resolution !== this.resolution) return;
        clearError('series-error');
        syncChartBlocks($('device-charts'), this.blocks, data.metrics || {},
          (metric) => makeChartBlock('data-chart', metric, true),
          updateDeviceBlock,
          `no ${resolution} windows yet for ${deviceId}`);
        status.textContent = `${resolution} windows, updated ${fmtClock(Date.now())}`;
      } catch (e) {
        if (request !== this.seriesRequest) return;
        showError('series-error', e);
        status.textContent = '';
      }
    },
  };

  /**
   * A chart block: the uPlot holder and, for devices, the "last windows" table.
   * attr is the test hook attribute (data-chart or data-fleet-chart) = metric.
   */
  function makeChartBlock(attr, metric, withWindows) {
    const holder = el('div', { cls: 'chart-holder' });
    const root = el('div', { cls: 'chart-block', attrs: { [attr]: metric } }, holder, el('p', { cls: 'chart-error error-text' }));
    const block = { root, holder };
    if (withWindows) {
      block.tbody = el('tbody');
      root.appendChild(el('table', { cls: 'windows grid compact' },
        el('caption', { text: 'last windows' }),
        el('thead', {}, el('tr', {},
          el('th', { text: 'start (UTC)' }),
          el('th', { cls: 'num', text: 'min' }),
          el('th', { cls: 'num', text: 'mean' }),
          el('th', { cls: 'num', text: 'max' }),
          el('th', { cls: 'num', text: 'count' }))),
        block.tbody));
    } else {
      block.caption = el('p', { cls: 'chart-caption muted' });
      root.appendChild(block.caption);
    }
    return block;
  }

  function updateDeviceBlock(block, m) {
    block.chart.setData(m);
    // The newest five windows, newest first; cells carry the numbers exactly as sent.
    const t = m.t || [];
    const last = [];
    for (let i = t.length - 1; i >= 0 && last.length < 5; i--) last.push(i);
    syncRows(block.tbody, last, (i) => t[i],
      (i) => el('tr', { attrs: { 'data-window-start': t[i] } },
        el('td', { cls: 'start' }, el('time')),
        el('td', { cls: 'min num' }),
        el('td', { cls: 'mean num' }),
        el('td', { cls: 'max num' }),
        el('td', { cls: 'count num' })),
      (tr, i) => {
        const time = tr.cells[0].firstChild;
        const iso = isNum(t[i]) ? fmtIsoUtc(t[i] * 1000) : rawText(t[i]);
        setText(time, iso);
        time.setAttribute('datetime', iso);
        tr.cells[0].dataset.epochSeconds = rawText(t[i]);
        setText(tr.cells[1], rawText(m.min?.[i]));
        setText(tr.cells[2], rawText(m.mean?.[i]));
        setText(tr.cells[3], rawText(m.max?.[i]));
        setText(tr.cells[4], rawText(m.count?.[i]));
      },
      'no windows yet');
  }

  // ---------------------------------------------------------------------------
  // Fleet: aggregates over every device
  // ---------------------------------------------------------------------------

  const FleetView = {
    active: false,
    resolution: '1m',
    request: 0,
    blocks: new Map(),
    poller: new Poller(() => FleetView.load(), 30000),

    init() {
      this.resolution = info.resolutions[0];
      buildResolutionButtons($('fleet-resolutions'), 'fleet-res-', this.resolution, (r) => {
        if (r === this.resolution) return;
        this.resolution = r;
        markResolution($('fleet-resolutions'), r);
        clearChartBlocks($('fleet-charts'), this.blocks);
        this.refresh();
      });
      $('fleet-refresh').addEventListener('click', () => this.refresh());
    },

    refresh() {
      if (this.active) this.poller.now();
      else this.load();
    },

    enter() {
      if (this.active) return;
      this.active = true;
      this.poller.start();
    },

    leave() {
      this.active = false;
      this.poller.stop();
    },

    async load() {
      const resolution = this.resolution;
      const request = ++this.request;
      const status = $('fleet-status');
      status.textContent = 'loading…';
      $('fleet-refresh').disabled = true;
      try {
        const data = await fetchJson(`/api/fleet?resolution=${enc(resolution)}`, `Loading the fleet's ${resolution} windows`);
        if (request !== this.request || resolution !== this.resolution) return;
        clearError('fleet-error');
        this.render(data, resolution);
        status.textContent = `updated ${fmtClock(Date.now())}`;
      } catch (e) {
        if (request !== this.request) return;
        showError('fleet-error', e);
        status.textContent = '';
      } finally {
        if (request === this.request) $('fleet-refresh').disabled = false;
      }
    },

    render(data, resolution) {
      $('fleet-source').textContent = data.source ? `source: ${data.source}` : '';
      const cost = athenaCost(data);
      $('fleet-cost').textContent = cost || '';
      show($('fleet-cost'), cost !== null);

      syncChartBlocks($('fleet-charts'), this.blocks, data.metrics || {},
        (metric) => makeChartBlock('data-fleet-chart', metric, false),
        (block, m) => {
          block.chart.setData(m);
          const devices = m.devices || [];
          const n = devices.length ? devices[devices.length - 1] : null;
          block.caption.textContent = n === null ? '' : `devices in the newest window: ${rawText(n)}`;
        },
        `no ${resolution} fleet windows yet`);

      const reasons = Array.isArray(data.quarantineByReason) ? data.quarantineByReason : [];
      syncRows($('fleet-quarantine').tBodies[0], reasons, (r) => r.reason,
        (r) => el('tr', { attrs: { 'data-reason': r.reason } },
          el('td', { cls: 'reason', text: r.reason }), el('td', { cls: 'count num' })),
        (tr, r) => {
          tr.dataset.count = String(r.count);
          setText(tr.cells[1], fmtNum(r.count));
        },
        'nothing quarantined');
    },
  };

  // ---------------------------------------------------------------------------
  // Quarantine: the newest rejected records with their original bytes
  // ---------------------------------------------------------------------------

  const QuarantineView = {
    active: false,
    request: 0,
    last: null, // the last answer, so the reason filter works without a new request
    reasonSignature: '',
    poller: new Poller(() => QuarantineView.load(), 15000),

    init() {
      $('quarantine-refresh').addEventListener('click', () => {
        if (this.active) this.poller.now();
        else this.load();
      });
      // The filter works on the records already loaded (the newest 50).
      $('quarantine-reason').addEventListener('change', () => {
        if (this.last) this.renderRecords(this.last);
      });
    },

    enter() {
      if (this.active) return;
      this.active = true;
      this.poller.start();
    },

    leave() {
      this.active = false;
      this.poller.stop();
    },

    async load() {
      const request = ++this.request;
      const status = $('quarantine-status');
      status.textContent = 'loading…';
      $('quarantine-refresh').disabled = true;
      try {
        const data = await fetchJson('/api/quarantine?limit=50', 'Loading the quarantine');
        if (request !== this.request) return;
        clearError('quarantine-error');
        this.last = data;
        this.renderReasons(Array.isArray(data.byReason) ? data.byReason : []);
        this.renderRecords(data);
        const cost = athenaCost(data);
        $('quarantine-cost').textContent = cost || '';
        show($('quarantine-cost'), cost !== null);
        status.textContent = `updated ${fmtClock(Date.now())}`;
      } catch (e) {
        if (request !== this.request) return;
        showError('quarantine-error', e);
        status.textContent = '';
      } finally {
        if (request === this.request) $('quarantine-refresh').disabled = false;
      }
    },

    /** Rebuilds the reason options, keeping the current choice. */
    renderReasons(byReason) {
      const select = $('quarantine-reason');
      const current = select.value;
      // Rebuild only when the reasons or counts changed (rebuilding closes an open list).
      const signature = JSON.stringify([current, byReason.map((r) => [r.reason, r.count])]);
      if (signature === this.reasonSignature) return;
      this.reasonSignature = signature;
      select.textContent = '';
      const total = byReason.reduce((sum, r) => sum + (isNum(r.count) ? r.count : 0), 0);
      select.appendChild(el('option', { text: `all reasons (${fmtNum(total)})`, attrs: { value: '' } }));
      let found = current === '';
      for (const r of byReason) {
        select.appendChild(el('option', { text: `${r.reason} (${fmtNum(r.count)})`, attrs: { value: r.reason } }));
        if (r.reason === current) found = true;
      }
      if (!found) select.appendChild(el('option', { text: `${current} (0)`, attrs: { value: current } }));
      select.value = current;
    },

    renderRecords(data) {
      const reason = $('quarantine-reason').value;
      const records = (Array.isArray(data.records) ? data.records : [])
        .slice()
        .sort((a, b) => (b.arrivalTs ?? 0) - (a.arrivalTs ?? 0)) // newest first
        .filter((r) => !reason || r.reason === reason);
      // Records never change, so a row is built once and kept (with its base64 toggle state).
      syncRows($('quarantine-table').tBodies[0], records, (r) => `${r.shardId}/${r.sequenceNumber}`,
        (r) => this.makeRow(r), null,
        reason ? `no ${reason} records among the newest` : 'no quarantined records');
    },

    makeRow(r) {
      const pre = el('pre', { cls: 'payload' });
      const toggle = el('button', { cls: 'payload-toggle', attrs: { type: 'button' } });
      const hasText = r.text !== null && r.text !== undefined;
      // Not valid UTF-8 (or no text at all): base64 by default.
      let format = r.textIsUtf8 === false || !hasText ? 'base64' : 'text';
      const paint = () => {
        pre.textContent = format === 'text' ? r.text : (r.dataBase64 ?? '');
        pre.dataset.format = format;
        toggle.textContent = format === 'text' ? 'base64' : (r.textIsUtf8 === false ? 'text (not UTF-8)' : 'text');
        toggle.setAttribute('aria-pressed', String(format === 'base64'));
      };
      toggle.disabled = !hasText;
      toggle.addEventListener('click', () => {
        format = format === 'text' ? 'base64' : 'text';
        paint();
      });
      paint();
      return el('tr', { attrs: { 'data-sequence': r.sequenceNumber } },
        el('td', { cls: 'arrival', text: fmtLocal(r.arrivalTs), attrs: { title: fmtIsoUtc(r.arrivalTs) } }),
        el('td', { cls: 'reason', text: r.reason }),
        el('td', { cls: 'detail', text: r.detail }),
        el('td', { cls: 'shard', text: r.shardId }),
        el('td', { cls: 'sequence', text: r.sequenceNumber }),
        el('td', { cls: 'size num', text: isNum(r.sizeBytes) ? `${fmtNum(r.sizeBytes)} B` : '–' }),
        el('td', { cls: 'payload-cell' }, el('div', { cls: 'payload-tools' }, toggle), pre));
    },
  };

  // ---------------------------------------------------------------------------
  // Queries: named lake queries with parameters, results and CSV download
  // ---------------------------------------------------------------------------

  const QueriesView = {
    active: false,
    loaded: false,
    loading: false,

    enter() {
      this.active = true;
      if (!this.loaded && !this.loading) this.load();
    },

    leave() {
      this.active = false;
    },

    async load() {
      this.loading = true;
      try {
        const data = await fetchJson('/api/queries', 'Loading the named queries');
        clearError('queries-error');
        $('queries-engine').textContent = data.engine ? `engine: ${data.engine}` : '';
        const list = $('queries-list');
        list.textContent = '';
        const queries = Array.isArray(data.queries) ? data.queries : [];
        for (const q of queries) list.appendChild(this.makeQuery(q));
        if (queries.length === 0) list.appendChild(el('p', { cls: 'muted', text: 'no named queries' }));
        this.loaded = true;
      } catch (e) {
        showError('queries-error', e); // loaded stays false: the next visit retries
      } finally {
        this.loading = false;
      }
    },

    /** The query's URL; every parameter value is encoded (p=v1&p=v2...). */
    url(name, values, csv) {
      const query = values.map((v) => `p=${enc(v)}`).join('&');
      return `/api/queries/${enc(name)}${csv ? '/csv' : ''}${query ? '?' + query : ''}`;
    },

    makeQuery(q) {
      const inputs = [];
      const form = el('form', { cls: 'params', attrs: { novalidate: '' } });
      (q.parameters || []).forEach((p, i) => {
        const input = el('input', { attrs: { type: 'text', 'data-param-index': i, spellcheck: 'false', autocomplete: 'off' } });
        input.value = p.default ?? '';
        inputs.push(input);
        form.appendChild(el('label', { cls: 'param' }, el('span', { text: p.label ?? `parameter ${i + 1}` }), input));
      });
      const run = el('button', { cls: 'run', text: 'Run', attrs: { type: 'submit' } });
      const csv = el('a', { cls: 'csv button-link', text: 'Download CSV', attrs: { download: '' } });
      form.appendChild(el('div', { cls: 'actions' }, run, csv));

      const status = el('p', { cls: 'status' });
      const table = el('table', { cls: 'result-table grid compact' }, el('thead'), el('tbody'));
      const result = el('div', { cls: 'result' }, status, el('div', { cls: 'table-scroll' }, table));

      const values = () => inputs.map((i) => i.value);
      const updateCsv = () => csv.setAttribute('href', this.url(q.name, values(), true));
      form.addEventListener('input', updateCsv);
      updateCsv();

      let request = 0;
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const mine = ++request;
        run.disabled = true;
        status.classList.remove('error-text');
        status.textContent = 'running…';
        try {
          const data = await fetchJson(this.url(q.name, values(), false), `Running ${q.name}`);
          if (mine !== request) return;
          this.renderResult(table, data);
          const rows = Array.isArray(data.rows) ? data.rows.length : 0;
          let text = `${rows} rows in ${fmtNum(data.engineMillis)} ms`;
          if (data.costUsd !== null && data.costUsd !== undefined) {
            text += `; Athena scanned ${fmtNum(data.dataScannedBytes)} bytes, about ${fmtUsd(data.costUsd)}`;
          }
          status.textContent = text;
        } catch (e) {
          if (mine !== request) return;
          status.textContent = e.message;
          status.classList.add('error-text');
          table.tHead.textContent = '';
          table.tBodies[0].textContent = '';
        } finally {
          if (mine === request) run.disabled = false;
        }
      });

      return el('div', { cls: 'query panel', attrs: { 'data-query': q.name } },
        el('h3', { text: q.name }),
        el('p', { cls: 'description', text: q.description ?? '' }),
        form,
        result);
    },

    renderResult(table, data) {
      const columns = Array.isArray(data.columns) ? data.columns : [];
      const rows = Array.isArray(data.rows) ? data.rows : [];
      const head = el('tr');
      for (const c of columns) head.appendChild(el('th', { text: c }));
      table.tHead.textContent = '';
      table.tHead.appendChild(head);
      const tbody = table.tBodies[0];
      tbody.textContent = '';
      for (const row of rows) {
        const tr = el('tr');
        for (const v of Array.isArray(row) ? row : [row]) {
          if (v === null || v === undefined) tr.appendChild(el('td', { cls: 'null', text: 'NULL' }));
          else tr.appendChild(el('td', { cls: typeof v === 'number' ? 'num' : '', text: rawText(v) }));
        }
        tbody.appendChild(tr);
      }
    },
  };

  // ---------------------------------------------------------------------------
  // Tabs (location.hash) and start-up
  // ---------------------------------------------------------------------------

  const views = { flow: FlowView, devices: DevicesView, fleet: FleetView, quarantine: QuarantineView, queries: QueriesView };
  let current = null;

  function route() {
    let name = location.hash.replace(/^#/, '');
    if (!Object.prototype.hasOwnProperty.call(views, name)) {
      name = 'flow';
      history.replaceState(null, '', '#flow');
    }
    for (const v of Object.keys(views)) {
      const on = v === name;
      show($(`view-${v}`), on);
      const tab = $(`tab-${v}`);
      tab.classList.toggle('active', on);
      tab.setAttribute('aria-selected', String(on));
    }
    if (current !== name) {
      if (current) views[current].leave();
      current = name;
    }
    if (!document.hidden) views[name].enter();
  }

  async function init() {
    for (const tab of document.querySelectorAll('.tab')) {
      tab.addEventListener('click', () => {
        location.hash = '#' + tab.dataset.tab;
      });
    }
    await loadInfo();
    DevicesView.init();
    FleetView.init();
    QuarantineView.init();
    window.addEventListener('hashchange', route);
    // Stop polling (and the event stream) while the browser tab is hidden.
    document.addEventListener('visibilitychange', () => {
      if (!current) return;
      if (document.hidden) views[current].leave();
      else views[current].enter();
    });
    route();
  }

  init();
})();
