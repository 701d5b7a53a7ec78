// Shared by the dashboard's pages. Every piece of data reaches the page as a DOM text node
// (textContent, createTextNode) or an attribute set with setAttribute: never as HTML, so a user
// agent or a user name that holds markup shows as text. Charts draw on a canvas, tooltips included.
'use strict';

const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const SEVERITY_COLORS = { low: '#8fb3d9', medium: '#e5c04a', high: '#e0803a', critical: '#c8312b' };

/** An element with attributes (set as attributes or properties, never as HTML) and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k === 'onclick' || k === 'onchange' || k === 'onsubmit') e.addEventListener(k.substring(2), v);
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function fmtTime(ms) {
  if (typeof ms === 'string') ms = Date.parse(ms);
  if (!ms && ms !== 0) return '';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function fmtNum(x, digits) {
  return typeof x === 'number' ? x.toFixed(digits === undefined ? 1 : digits) : '';
}

function severityBadge(s) {
  return el('span', { class: 'sev sev-' + (SEVERITIES.includes(s) ? s : 'unknown'), text: s });
}

function alertHref(id) {
  return '/alerts/' + encodeURIComponent(id);
}

function userHref(user, tenant) {
  return '/users?' + new URLSearchParams(tenant ? { user, tenant } : { user }).toString();
}

async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!r.ok) throw new Error((await r.json().catch(() => ({}))).error || ('HTTP ' + r.status));
  return r.json();
}

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)surprisal_csrf=([0-9a-f]+)/);
  return m ? m[1] : '';
}

/** An action: a JSON POST with the CSRF token; resolves to the feedback record written. */
async function postAction(url, body) {
  const r = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken(), Accept: 'application/json' },
    body: JSON.stringify(body || {}),
  });
  const answer = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(answer.error || ('HTTP ' + r.status));
  return answer.record;
}

/** Shows the outcome of an action in the page's status line. */
function say(text, isError) {
  const s = document.getElementById('status');
  if (!s) return;
  s.textContent = text;
  s.className = isError ? 'status error' : 'status ok';
}

/** A select of periods for mutes and false positives; the first entry may be "the job's default". */
function periodSelect(id, withDefault) {
  const opts = [];
  if (withDefault) opts.push(el('option', { value: '', text: "job's default" }));
  for (const [v, label] of [['1h', '1 hour'], ['1d', '1 day'], ['7d', '7 days'], ['30d', '30 days'], ['90d', '90 days']]) {
    opts.push(el('option', { value: v, text: label }));
  }
  return el('select', { id }, opts);
}

function chart(node) {
  return echarts.getInstanceByDom(node) || echarts.init(node, null, { renderer: 'canvas' });
}

/** A table from rows: columns are [header, cell(row) -> node or text]. */
function table(columns, rows, attrs) {
  return el('table', attrs || {},
    el('thead', {}, el('tr', {}, columns.map(([h]) => el('th', { text: h })))),
    el('tbody', {}, rows.map((r) => el('tr', {}, columns.map(([, cell]) => {
      const v = cell(r);
      return el('td', {}, v instanceof Node ? v : (v === null || v === undefined ? '' : String(v)));
    })))));
}
