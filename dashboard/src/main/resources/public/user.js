// A user's page (/users?user=...&tenant=...): recent alerts, what the job knows of the user, mutes.
'use strict';

const userName = new URLSearchParams(location.search).get('user') || '';
const tenant = new URLSearchParams(location.search).get('tenant');

function seenTable(rows, valueHeader, detailHeader, id) {
  if (!rows.length) return el('p', { class: 'muted', text: 'none in the stored alerts' });
  return table([
    [valueHeader, (s) => el('span', { class: valueHeader === 'user agent' ? 'mono ua' : null, text: s.value })],
    [detailHeader, (s) => s.detail], ['events', (s) => s.count], ['last seen (UTC)', (s) => fmtTime(s.last_seen)],
  ], rows, { id });
}

function render(d) {
  document.title = 'Surprisal: user ' + d.user;
  document.getElementById('user-name').textContent = d.user + (d.tenant ? ' (tenant ' + d.tenant + ')' : '');
  const g = d.known.group;
  document.getElementById('group').textContent = g
    ? 'Behaviour group ' + g.name + ' (posterior ' + fmtNum(g.posterior, 3) + ', as of ' + fmtTime(g.ts) + ')'
    : 'Behaviour group: not typed in the stored alerts';
  clear(document.getElementById('places')).appendChild(seenTable(d.known.places, 'place', 'region', 'places-table'));
  clear(document.getElementById('networks')).appendChild(seenTable(d.known.networks, 'ip', 'network', 'networks-table'));
  clear(document.getElementById('devices')).appendChild(seenTable(d.known.devices, 'user agent', 'device', 'devices-table'));
  const nov = clear(document.getElementById('novelties'));
  nov.appendChild(d.known.novelties.length ? table([
    ['time (UTC)', (n) => fmtTime(n.ts)], ['feature', (n) => n.feature], ['observed', (n) => el('span', { class: 'mono', text: n.observed })],
    ['expected', (n) => el('span', { class: 'mono', text: n.expected })], ['bits', (n) => fmtNum(n.bits, 2)],
    ['alert', (n) => el('a', { href: alertHref(n.alert_id), text: 'open' })],
  ], d.known.novelties) : el('p', { class: 'muted', text: 'no login-novelty alert stored' }));
  clear(document.getElementById('alerts')).appendChild(table([
    ['time (event, UTC)', (a) => fmtTime(a.ts)], ['severity', (a) => severityBadge(a.severity)], ['detector', (a) => a.detector],
    ['score', (a) => fmtNum(a.score)], ['summary', (a) => el('a', { href: alertHref(a.alert_id), text: a.summary || '(no summary)' })],
    ['status', (a) => el('span', { class: 'st st-' + a.status, text: a.status.replace('_', ' ') })],
  ], d.alerts, { id: 'user-alerts' }));
  const mutes = clear(document.getElementById('mutes'));
  if (d.mutes.length) {
    mutes.appendChild(table([
      ['muted', (m) => (m.detector === '*' ? 'every detector' : m.detector)], ['until (UTC)', (m) => fmtTime(m.until)],
      ['since', (m) => fmtTime(m.at)], ['by', (m) => m.by], ['note', (m) => m.note],
    ], d.mutes, { id: 'mutes-table' }));
  }
  renderMuteForm(d);
}

function renderMuteForm(d) {
  const box = clear(document.getElementById('mute-form'));
  const what = el('select', { id: 'mute-detector' }, el('option', { value: '*', text: 'every detector' }),
    d.detectors.map((x) => el('option', { value: x, text: x })));
  const period = periodSelect('mute-for', false);
  period.value = '1d';
  const note = el('input', { id: 'note', placeholder: 'note (optional)', size: 24 });
  const button = el('button', { id: 'mute', type: 'button', text: 'Mute' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await postAction('/api/mute', { user: d.user, tenant: d.tenant, detector: what.value, for: period.value, note: note.value });
      say('mute recorded (written to the feedback topic)', false);
      setTimeout(load, 1500);
    } catch (err) {
      say(err.message, true);
    } finally {
      button.disabled = false;
    }
  });
  box.appendChild(el('fieldset', {}, el('label', {}, 'detector', what), el('label', {}, 'for', period), el('label', {}, 'note', note), button));
}

async function load() {
  try {
    render(await getJson('/api/user?' + new URLSearchParams(tenant ? { user: userName, tenant } : { user: userName }).toString()));
  } catch (err) {
    document.getElementById('user-name').textContent = err.message;
  }
}

document.addEventListener('DOMContentLoaded', load);
