// An alert's page (/alerts/{alert_id}, the link of every mail): its summary, its reasons as a bar
// chart in bits with what was observed and expected, its triggering events on a timeline with their
// bits, and the actions.
'use strict';

const alertId = decodeURIComponent(location.pathname.substring('/alerts/'.length));

function fact(term, value) {
  return [el('dt', { text: term }), el('dd', {}, value instanceof Node ? value : String(value === null || value === undefined ? '' : value))];
}

function render(data) {
  const a = data.alert;
  document.title = 'Surprisal: ' + a.detector + ' alert for ' + a.user;
  document.getElementById('summary').textContent = a.summary || '(no summary)';
  const facts = clear(document.getElementById('facts'));
  const userLink = el('a', { href: userHref(a.user, a.tenant), id: 'user-link', text: a.user });
  for (const [t, v] of [
    ['severity', severityBadge(a.severity)], ['detector', a.detector], ['user', userLink], ['tenant', a.tenant],
    ['time (event, UTC)', fmtTime(a.ts)], ['score', fmtNum(a.score) + ' ' + (a.unit || 'bits') + ' (threshold ' + fmtNum(a.threshold) + ')'],
    ['session', a.session], ['repeats', a.repeats], ['status', el('span', { id: 'alert-status', class: 'st st-' + data.status, text: data.status.replace('_', ' ') })],
    ['alert id', el('span', { class: 'mono', text: a.alert_id })], ['repeat key', a.repeat_key], ['schema version', a.schema_version],
  ]) {
    if (v === undefined || v === null || v === '') continue;
    for (const n of fact(t, v)) facts.appendChild(n);
  }
  renderReasons(a.reasons || []);
  renderEvents(a.events || []);
  renderActions(a);
  renderHistory(data.actions || []);
}

function renderReasons(reasons) {
  const c = chart(document.getElementById('reasons-chart'));
  const shown = reasons.slice().reverse();
  // Several reasons of one feature (a cusum's steps) are told apart by what was observed.
  const repeated = new Set(reasons.map((r) => r.feature).filter((f, i, all) => all.indexOf(f) !== i));
  const label = (r) => (repeated.has(r.feature) ? r.feature + ': ' + r.observed : r.feature);
  c.setOption({
    animation: false,
    tooltip: {
      trigger: 'item', renderMode: 'richText',
      formatter: (p) => { const r = shown[p.dataIndex]; return r.feature + ': ' + fmtNum(r.bits, 2) + ' bits\nobserved: ' + r.observed + '\nexpected: ' + r.expected; },
    },
    grid: { left: 10, right: 40, top: 10, bottom: 30, containLabel: true },
    xAxis: { type: 'value', name: 'bits' },
    yAxis: { type: 'category', data: shown.map(label), axisLabel: { width: 260, overflow: 'truncate' } },
    series: [{ type: 'bar', data: shown.map((r) => r.bits), label: { show: true, position: 'right', formatter: (p) => fmtNum(p.value, 1) },
      itemStyle: { color: '#1d5fa8' } }],
  });
  document.getElementById('reasons-chart').setAttribute('data-bars', String(reasons.length));
  const holder = clear(document.getElementById('reasons'));
  holder.appendChild(table([
    ['feature', (r) => r.feature], ['observed', (r) => el('span', { class: 'mono', text: r.observed })],
    ['expected', (r) => el('span', { class: 'mono', text: r.expected })], ['bits', (r) => fmtNum(r.bits, 2)],
  ], reasons, { id: 'reasons-table' }));
}

const EVENT_FIELDS = ['ts', 'bits', 'action', 'status', 'user', 'session', 'ip', 'country', 'city', 'asn', 'device', 'user_agent', 'amount', 'event_id'];

function renderEvents(events) {
  const c = chart(document.getElementById('events-chart'));
  const points = events.map((e, i) => [Date.parse(e.ts), typeof e.bits === 'number' ? e.bits : 0, i]);
  c.setOption({
    animation: false,
    tooltip: {
      trigger: 'item', renderMode: 'richText',
      formatter: (p) => { const e = events[p.data[2]]; return fmtTime(e.ts) + '\n' + (e.action || '') + ' ' + (e.status || '') + ': ' + fmtNum(e.bits, 2) + ' bits'; },
    },
    grid: { left: 60, right: 70, top: 30, bottom: 40 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: 'bits' },
    series: [{ type: 'scatter', symbolSize: 12, data: points, label: { show: true, position: 'top', formatter: (p) => events[p.data[2]].action || '' } }],
  });
  const holder = clear(document.getElementById('events'));
  const extra = new Set();
  for (const e of events) for (const k of Object.keys(e)) if (!EVENT_FIELDS.includes(k)) extra.add(k);
  const columns = EVENT_FIELDS.filter((k) => events.some((e) => e[k] !== undefined)).concat([...extra]).map((k) => [k, (e) => {
    const v = e[k];
    if (v === undefined || v === null) return '';
    if (k === 'ts') return fmtTime(v);
    if (k === 'bits') return fmtNum(v, 2);
    return el('span', { class: k === 'user_agent' ? 'mono ua' : null, text: typeof v === 'object' ? JSON.stringify(v) : String(v) });
  }]);
  holder.appendChild(table(columns, events, { id: 'events-table' }));
}

function renderActions(a) {
  const box = clear(document.getElementById('actions'));
  const note = el('input', { id: 'note', placeholder: 'note (optional)', size: 24 });
  const act = (button, url, body) => async () => {
    button.disabled = true;
    try {
      const rec = await postAction(url, Object.assign({ note: note.value }, body()));
      say(rec.action.replace('_', ' ') + ' recorded (written to the feedback topic)', false);
      setTimeout(load, 1500);
    } catch (err) {
      say(err.message, true);
    } finally {
      button.disabled = false;
    }
  };
  const ack = el('button', { id: 'acknowledge', type: 'button', text: 'Acknowledge' });
  ack.addEventListener('click', act(ack, '/api/alerts/' + encodeURIComponent(a.alert_id) + '/acknowledge', () => ({})));
  const fpFor = periodSelect('fp-for', true);
  const fp = el('button', { id: 'false-positive', type: 'button', text: 'False positive' });
  fp.addEventListener('click', act(fp, '/api/alerts/' + encodeURIComponent(a.alert_id) + '/false-positive', () => ({ for: fpFor.value })));
  const muteFor = periodSelect('mute-for', false);
  muteFor.value = '1d';
  const muteWhat = el('select', { id: 'mute-detector' }, el('option', { value: a.detector, text: a.detector }), el('option', { value: '*', text: 'every detector' }));
  const mute = el('button', { id: 'mute', type: 'button', text: 'Mute user' });
  mute.addEventListener('click', act(mute, '/api/mute', () => ({ user: a.user, tenant: a.tenant || null, detector: muteWhat.value, for: muteFor.value })));
  const ip = (a.events || []).map((e) => e.ip).find((x) => typeof x === 'string');
  const network = el('input', { id: 'network', size: 20, placeholder: '203.0.113.0/24' });
  if (ip) network.value = ip + (ip.includes(':') ? '/128' : '/32');
  const allow = el('button', { id: 'allowlist', type: 'button', text: 'Allowlist network' });
  allow.addEventListener('click', act(allow, '/api/allowlist', () => ({ network: network.value })));
  box.appendChild(el('fieldset', {}, ack));
  box.appendChild(el('fieldset', {}, el('label', {}, 'for', fpFor), fp));
  box.appendChild(el('fieldset', {}, el('label', {}, 'detector', muteWhat), el('label', {}, 'for', muteFor), mute));
  box.appendChild(el('fieldset', {}, el('label', {}, 'network (CIDR)', network), allow));
  box.appendChild(el('label', {}, 'note', note));
}

function renderHistory(actions) {
  const holder = clear(document.getElementById('history'));
  if (!actions.length) return;
  holder.appendChild(table([
    ['when', (x) => fmtTime(x.at)], ['action', (x) => x.action.replace('_', ' ')], ['by', (x) => x.by],
    ['until', (x) => (x.until ? fmtTime(x.until) : '')], ['note', (x) => x.note],
  ], actions, { id: 'history-table' }));
}

async function load() {
  try {
    render(await getJson('/api/alerts/' + encodeURIComponent(alertId)));
  } catch (err) {
    document.getElementById('summary').textContent = err.message;
  }
}

document.addEventListener('DOMContentLoaded', load);
