// The list page: filters, counts over time per detector and per severity, and the live list
// (server-sent events from /api/stream: new alerts appear without a reload).
'use strict';

const filterIds = ['detector', 'severity', 'user', 'from', 'to'];
let charts = {};
let countsTimer = null;
// Alerts streamed while the list loads: the list's answer may predate them, so they are put back after it.
let streamedDuringLoad = null;
let wantedDetector = new URLSearchParams(location.search).get('detector') || '';

function currentFilter() {
  const f = {};
  for (const k of filterIds) {
    const v = document.getElementById('f-' + k).value;
    if (v) f[k] = v;
  }
  return f;
}

function query(f) {
  return new URLSearchParams(f).toString();
}

/** Whether a streamed alert passes the filter the page shows (the server applies the same rules). */
function passes(a, f) {
  if (f.detector && a.detector !== f.detector) return false;
  if (f.severity && SEVERITIES.indexOf(a.severity) < SEVERITIES.indexOf(f.severity)) return false;
  if (f.user && a.user !== f.user) return false;
  if (f.from && a.ts < Date.parse(f.from + 'Z')) return false;
  if (f.to && a.ts >= Date.parse(f.to + 'Z')) return false;
  return true;
}

function row(a, isNew) {
  const tr = el('tr', { 'data-alert-id': a.alert_id, class: isNew ? 'new' : null },
    el('td', { text: fmtTime(a.ts) }),
    el('td', {}, severityBadge(a.severity)),
    el('td', { text: a.detector }),
    el('td', {}, el('a', { href: userHref(a.user, a.tenant), class: 'user', text: a.user }),
      a.tenant ? el('span', { class: 'muted', text: ' (' + a.tenant + ')' }) : null),
    el('td', { class: 'num', text: fmtNum(a.score) }),
    el('td', {}, el('a', { href: alertHref(a.alert_id), class: 'summary', text: a.summary || '(no summary)' }),
      a.repeats > 1 ? el('span', { class: 'muted', text: ' ×' + a.repeats }) : null),
    el('td', {}, el('span', { class: 'st st-' + a.status, text: a.status.replace('_', ' ') })));
  return tr;
}

async function loadList() {
  streamedDuringLoad = [];
  const f = currentFilter();
  const data = await getJson('/api/alerts?' + query(f));
  const tbody = clear(document.querySelector('#alerts tbody'));
  for (const a of data.alerts) tbody.appendChild(row(a, false));
  const streamed = streamedDuringLoad;
  streamedDuringLoad = null;
  for (const a of streamed) insertLive(a);
  document.getElementById('count').textContent = '(' + data.alerts.length + (data.alerts.length >= 200 ? ', newest' : '') + ')';
  const sel = document.getElementById('f-detector');
  const chosen = sel.value;
  clear(sel).appendChild(el('option', { value: '', text: 'all' }));
  for (const d of data.detectors) sel.appendChild(el('option', { value: d, text: d }));
  sel.value = chosen || wantedDetector;
  wantedDetector = '';
}

async function loadCounts() {
  const data = await getJson('/api/counts?' + query(currentFilter()));
  const labels = data.buckets.map((b) => fmtTime(b).replace(/:00Z$/, 'Z'));
  for (const kind of ['detector', 'severity']) {
    const names = Object.keys(data[kind]);
    if (kind === 'severity') names.sort((a, b) => SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b));
    charts[kind].setOption({
      animation: false,
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 40 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', minInterval: 1 },
      series: names.map((n) => ({
        name: n, type: 'bar', stack: 'all', data: data[kind][n],
        itemStyle: kind === 'severity' ? { color: SEVERITY_COLORS[n] } : undefined,
      })),
    }, true);
  }
}

function scheduleCounts() {
  if (countsTimer) return;
  countsTimer = setTimeout(() => { countsTimer = null; loadCounts().catch(() => {}); }, 1000);
}

function live() {
  const status = document.getElementById('live');
  const source = new EventSource('/api/stream');
  source.addEventListener('open', () => { status.textContent = 'live'; });
  source.addEventListener('error', () => { status.textContent = 'reconnecting…'; });
  source.addEventListener('alert', (e) => {
    const a = JSON.parse(e.data);
    if (streamedDuringLoad) streamedDuringLoad.push(a);
    insertLive(a);
  });
  source.addEventListener('action', () => { loadList().catch(() => {}); });
  return new Promise((resolve) => source.addEventListener('open', resolve, { once: true }));
}

function insertLive(a) {
    if (!passes(a, currentFilter())) return;
    const tbody = document.querySelector('#alerts tbody');
    for (const tr of tbody.children) if (tr.getAttribute('data-alert-id') === a.alert_id) return;
    // Newest event time first: a new alert goes above the first row that is older.
    let before = null;
    for (const tr of tbody.children) {
      const ts = Date.parse(tr.firstChild.textContent.replace(' ', 'T'));
      if (ts <= a.ts) { before = tr; break; }
    }
    tbody.insertBefore(row(a, true), before);
    document.getElementById('count').textContent = '(' + tbody.children.length + ')';
    scheduleCounts();
}

document.addEventListener('DOMContentLoaded', () => {
  charts.detector = chart(document.getElementById('chart-detector'));
  charts.severity = chart(document.getElementById('chart-severity'));
  window.addEventListener('resize', () => { charts.detector.resize(); charts.severity.resize(); });
  const params = new URLSearchParams(location.search);
  for (const k of filterIds) if (params.get(k)) document.getElementById('f-' + k).value = params.get(k);
  document.getElementById('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    history.replaceState(null, '', '/?' + query(currentFilter()));
    loadList().catch((err) => say(err.message, true));
    loadCounts().catch(() => {});
  });
  document.getElementById('f-clear').addEventListener('click', () => {
    for (const k of filterIds) document.getElementById('f-' + k).value = '';
    history.replaceState(null, '', '/');
    loadList(); loadCounts();
  });
  live().then(() => loadList()).catch((err) => { document.getElementById('live').textContent = err.message; });
  loadCounts().catch(() => {});
});
