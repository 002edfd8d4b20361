// podmon's web view: reads /api/v1 (same origin, the session cookie) and shows crashes. Every
// value from the store is put into the page as text (textContent, attribute values built from
// numbers), never as HTML, so a log line holding markup stays a log line.
'use strict';

(function () {
  const PAGE = 50;
  const state = { cursors: [''], namespace: '', q: '', timer: 0 };

  function $(id) { return document.getElementById(id); }

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  function setStatus(text) { $('status').textContent = text; }

  async function api(path, params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== '' && v !== undefined) query.set(k, v);
    const qs = query.toString();
    const response = await fetch('/api/v1/' + path + (qs ? '?' + qs : ''), { credentials: 'same-origin' });
    if (response.status === 401) {
      location.assign('/ui/');  // the session ended: the login form
      throw new Error('not logged in');
    }
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
    return body;
  }

  function when(text) { return text ? text.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : ''; }

  function show(view) {
    for (const name of ['crashes', 'detail', 'failures', 'timeline']) $('view-' + name).hidden = name !== view;
    const nav = view === 'detail' ? 'crashes' : view;
    for (const b of document.querySelectorAll('nav button')) {
      if (b.dataset.view === nav) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    }
  }

  function crashLink(id) { return '#/crash/' + encodeURIComponent(String(Number(id))); }

  async function loadCrashes() {
    show('crashes');
    setStatus('Loading…');
    const cursor = state.cursors[state.cursors.length - 1];
    const body = await api('crashes', { namespace: state.namespace, q: state.q, limit: PAGE, cursor: cursor });
    const rows = $('crash-rows');
    rows.replaceChildren();
    for (const c of body.items) {
      const tr = el('tr');
      tr.dataset.id = String(Number(c.id));
      const pod = el('td');
      const link = el('a', c.pod);
      link.href = crashLink(c.id);
      pod.append(link);
      tr.append(el('td', when(c.detectedAt)), el('td', c.cluster), el('td', c.namespace), pod, el('td', c.container),
        el('td', c.reason), el('td', c.exitCode === undefined ? '' : c.exitCode), el('td', c.restartCount));
      rows.append(tr);
    }
    $('crash-empty').hidden = body.items.length > 0;
    state.next = body.nextCursor || '';
    $('next-page').disabled = !state.next;
    $('first-page').disabled = state.cursors.length <= 1;
    setStatus(body.items.length + ' crash(es) on this page');
  }

  async function loadNamespaces() {
    const body = await api('namespaces');
    const select = $('namespace');
    for (const name of body.items) {
      const option = el('option', name);
      option.value = name;
      select.append(option);
    }
  }

  function field(list, name, value) {
    if (value === undefined || value === null || value === '') return;
    list.append(el('dt', name), el('dd', value));
  }

  async function loadCrash(id) {
    show('detail');
    setStatus('Loading…');
    const c = await api('crashes/' + encodeURIComponent(id));
    $('detail-title').textContent = c.namespace + '/' + c.pod + ' (' + c.container + ')';
    const list = $('detail-fields');
    list.replaceChildren();
    field(list, 'Detected', when(c.detectedAt));
    field(list, 'Cluster', c.cluster);
    field(list, 'Reason', c.reason);
    field(list, 'Exit code', c.exitCode);
    field(list, 'Signal', c.signal);
    field(list, 'Restarts', c.restartCount);
    field(list, 'Owner', c.ownerKind ? c.ownerKind + '/' + c.ownerName : '');
    field(list, 'Node', c.nodeName);
    field(list, 'Image', c.image);
    field(list, 'Started', c.startedAt);
    field(list, 'Finished', c.finishedAt);
    field(list, 'Fingerprint', c.fingerprint);
    if (c.fingerprintHistory) field(list, 'Seen', c.fingerprintHistory.count + ' time(s) since ' + when(c.fingerprintHistory.firstSeen));
    field(list, 'Log status', c.logsStatus);
    $('detail-message').textContent = c.message || '(none)';
    $('detail-log').textContent = c.logs || '(no log)';
    const events = $('detail-events');
    events.replaceChildren();
    for (const e of c.events || []) {
      const tr = el('tr');
      tr.append(el('td', e.lastTimestamp || e.eventTime || ''), el('td', e.type || ''), el('td', e.reason || ''),
        el('td', e.message || ''), el('td', e.count === undefined ? '' : e.count));
      events.append(tr);
    }
    if (c.eventsText) events.append(el('tr')).append(el('td', c.eventsText));
    setStatus('');
  }

  async function loadFailures() {
    show('failures');
    setStatus('Loading…');
    const body = await api('fingerprints', { limit: 200 });
    const rows = $('failure-rows');
    rows.replaceChildren();
    for (const f of body.items) {
      const tr = el('tr');
      tr.append(el('td', f.fingerprint, 'mono'), el('td', f.reason), el('td', f.exitCode === undefined ? '' : f.exitCode),
        el('td', f.count), el('td', when(f.firstSeen)), el('td', when(f.lastSeen)), el('td', f.pods), el('td', f.clusters),
        el('td', f.image));
      rows.append(tr);
    }
    $('failure-empty').hidden = body.items.length > 0;
    setStatus(body.items.length + ' failure(s)');
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  // Stacked bars: one column per hour, one colour per namespace (the 7 busiest, the rest as "other").
  function drawTimeline(body) {
    const hours = body.hours;
    const start = Date.parse(body.from);
    const totals = new Map();
    for (const b of body.buckets) totals.set(b.namespace, (totals.get(b.namespace) || 0) + b.crashes);
    const named = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 7).map((e) => e[0]);
    const colour = (ns) => { const i = named.indexOf(ns); return i < 0 ? 7 : i; };
    const columns = Array.from({ length: hours }, () => new Array(8).fill(0));
    for (const b of body.buckets) {
      const h = Math.round((Date.parse(b.hour) - start) / 3600000);
      if (h >= 0 && h < hours) columns[h][colour(b.namespace)] += b.crashes;
    }
    const max = Math.max(1, ...columns.map((c) => c.reduce((a, b) => a + b, 0)));
    const W = 900, H = 300, left = 40, bottom = 24, top = 10;
    const bar = (W - left) / hours;
    const chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Crashes per hour by namespace' });
    chart.append(svg('line', { x1: left, y1: H - bottom, x2: W, y2: H - bottom, class: 'axis' }));
    chart.append(svg('text', { x: 0, y: top + 10 }, max), svg('text', { x: 0, y: H - bottom }, 0));
    columns.forEach((column, h) => {
      let y = H - bottom;
      column.forEach((n, i) => {
        if (!n) return;
        const height = (n / max) * (H - bottom - top);
        y -= height;
        const rect = svg('rect', { x: left + h * bar + 1, y: y, width: Math.max(1, bar - 2), height: height, class: 'c' + i });
        const label = i < 7 ? named[i] : 'other';
        rect.append(svg('title', {}, new Date(start + h * 3600000).toISOString().slice(0, 13) + ':00 UTC: ' + n + ' in ' + label));
        chart.append(rect);
      });
      if (h % Math.ceil(hours / 12) === 0) {
        chart.append(svg('text', { x: left + h * bar, y: H - 6 }, new Date(start + h * 3600000).toISOString().slice(5, 13).replace('T', ' ') + 'h'));
      }
    });
    $('chart').replaceChildren(chart);
    const legend = $('legend');
    legend.replaceChildren();
    const entries = named.map((ns, i) => [ns, i]);
    if (totals.size > named.length) entries.push(['other', 7]);
    for (const [ns, i] of entries) {
      const li = el('li');
      li.append(el('span', '', 'swatch c' + i), document.createTextNode(ns + ' (' + (totals.get(ns) || [...totals.entries()].filter((e) => !named.includes(e[0])).reduce((a, e) => a + e[1], 0)) + ')'));
      legend.append(li);
    }
  }

  async function loadTimeline() {
    show('timeline');
    setStatus('Loading…');
    const body = await api('timeline', { hours: $('hours').value });
    drawTimeline(body);
    const total = body.buckets.reduce((a, b) => a + b.crashes, 0);
    setStatus(total + ' crash(es) in the last ' + body.hours + ' hours');
  }

  function route() {
    const hash = location.hash || '#/crashes';
    const crash = /^#\/crash\/(\d+)$/.exec(hash);
    let loading;
    if (crash) loading = loadCrash(crash[1]);
    else if (hash === '#/failures') loading = loadFailures();
    else if (hash === '#/timeline') loading = loadTimeline();
    else loading = loadCrashes();
    loading.catch((e) => setStatus('Error: ' + e.message));
  }

  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  function start() {
    for (const b of document.querySelectorAll('nav button')) b.addEventListener('click', () => go('#/' + b.dataset.view));
    $('crash-rows').addEventListener('click', (event) => {
      const tr = event.target.closest('tr');
      if (tr && tr.dataset.id && event.target.tagName !== 'A') go(crashLink(tr.dataset.id));
    });
    $('filters').addEventListener('submit', (event) => event.preventDefault());
    $('namespace').addEventListener('change', () => { state.namespace = $('namespace').value; state.cursors = ['']; go('#/crashes'); });
    $('search').addEventListener('input', () => {
      clearTimeout(state.timer);
      state.timer = setTimeout(() => { state.q = $('search').value.trim(); state.cursors = ['']; go('#/crashes'); }, 250);
    });
    $('next-page').addEventListener('click', () => { if (state.next) { state.cursors.push(state.next); go('#/crashes'); } });
    $('first-page').addEventListener('click', () => { state.cursors = ['']; go('#/crashes'); });
    $('back').addEventListener('click', () => history.length > 1 ? history.back() : go('#/crashes'));
    $('hours').addEventListener('change', () => go('#/timeline'));
    window.addEventListener('hashchange', route);
    loadNamespaces().catch((e) => setStatus('Error: ' + e.message));
    route();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
