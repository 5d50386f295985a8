// The emulator's control page: polls GET /ui/state twice a second and drives the HTTP control routes.
// Plain DOM, no framework, no build step. Everything from gateways is shown as text (textContent), never as HTML.
'use strict';
(function () {
  const POLL_MILLIS = 500;
  const MAX_EVENT_ROWS = 200;
  const $ = (id) => document.getElementById(id);

  let nextEvent = 0;          // sequence of the first event not shown yet
  let previous = null;        // the last snapshot, for connections per second
  let gatewaysJson = '';      // re-render gateways and commands only when they changed
  let commandsJson = '';
  let faultsJson = '';

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.entries(props || {}).forEach(([k, v]) => {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e[k] = v;
    });
    children.forEach((c) => e.append(c));
    return e;
  }

  function text(v) {
    if (v === null || v === undefined) return '—';
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  function clock(millis) {
    const d = new Date(millis);
    const two = (n) => String(n).padStart(2, '0');
    return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  }

  function badge(status) {
    return el('span', { class: 'badge ' + (status === 200 ? 'ok' : 'bad'), text: String(status) });
  }

  function short(id) {
    return id && id.length > 13 ? id.slice(0, 8) + '…' : (id || '—');
  }

  function setLive(on) {
    const live = $('live');
    live.className = on ? 'live' : 'live off';
    live.textContent = on ? 'live' : 'emulator unreachable';
  }

  function renderStats(s) {
    $('uri').textContent = s.uri;
    $('stat-sessions').textContent = s.openSessions;
    $('stat-gateways').textContent = s.gatewayCount;
    $('stat-events').textContent = s.nextEvent;
    if (previous && s.serverTime > previous.serverTime) {
      const perSecond = (s.connectionAttempts - previous.connectionAttempts) * 1000 / (s.serverTime - previous.serverTime);
      $('stat-attempts').textContent = Math.round(perSecond);
    }
  }

  function renderGateways(s) {
    const json = JSON.stringify(s.gateways) + s.gatewayCount;
    if (json === gatewaysJson) return;
    gatewaysJson = json;
    const box = $('gateways');
    box.replaceChildren();
    if (s.gateways.length === 0) {
      box.append(el('p', { class: 'empty', text: 'No gateway has connected yet.' }));
    }
    const listening = new Set();
    s.gateways.forEach((g) => {
      const rows = g.devices.map((d) => {
        if (d.connected) listening.add(d.uri);
        return el('tr', { 'data-device': d.uri, 'data-listening': String(d.connected) },
          el('td', {}, el('span', { class: 'dot' + (d.connected ? ' on' : ''), title: d.connected ? 'listening' : 'not listening' }),
            document.createTextNode(d.connected ? 'listening' : 'not listening')),
          el('td', { class: 'mono', text: d.uri }),
          el('td', { text: d.name }),
          el('td', { class: 'mono', text: d.iotType }),
          el('td', { class: 'mono', text: d.tags.join(', ') }));
      });
      const devices = rows.length === 0
        ? el('p', { class: 'empty', text: 'no devices' })
        : el('table', {}, el('thead', {}, el('tr', {}, ...['', 'Device', 'Name', 'Type', 'Tags'].map((h) => el('th', { text: h })))),
          el('tbody', {}, ...rows));
      box.append(el('div', { class: 'gateway', 'data-gateway': g.id },
        el('div', { class: 'head' },
          el('span', {}, el('span', { class: 'label', text: 'gateway' }), el('code', { text: g.id })),
          el('span', {}, el('span', { class: 'label', text: 'user' }), document.createTextNode(g.user)),
          el('span', {}, el('span', { class: 'label', text: 'hash' }), el('code', { text: g.hash || '(none committed)', title: g.hash }))),
        devices));
    });
    if (s.gatewayCount > s.gateways.length) {
      box.append(el('p', { class: 'more', text: `… and ${s.gatewayCount - s.gateways.length} more (GET /gateways lists all)` }));
    }
    const options = $('listening-devices');
    options.replaceChildren(...[...listening].map((uri) => el('option', { value: uri })));
  }

  function renderEvents(s) {
    const body = document.querySelector('#events tbody');
    if (s.nextEvent < nextEvent) body.replaceChildren(); // a different emulator answers now
    s.events.forEach((e) => {
      const row = el('tr', { class: 'fresh', 'data-sequence': String(e.sequence), 'data-device': e.deviceUri },
        el('td', { class: 'mono', text: clock(e.received) }),
        el('td', { class: 'mono', text: short(e.gatewayId), title: e.gatewayId }),
        el('td', { class: 'mono id', text: e.deviceUri }),
        el('td', { class: 'mono id', text: e.serviceUri }),
        el('td', { class: 'mono data', text: text(e.data), title: text(e.data) }),
        el('td', {}, badge(e.status)));
      body.prepend(row);
    });
    while (body.rows.length > MAX_EVENT_ROWS) body.deleteRow(body.rows.length - 1);
    $('events-empty').hidden = body.rows.length > 0;
    nextEvent = s.nextEvent;
  }

  function renderCommands(s) {
    const json = JSON.stringify(s.commands);
    if (json === commandsJson) return;
    commandsJson = json;
    const body = document.querySelector('#commands tbody');
    body.replaceChildren(...s.commands.slice().reverse().map((c) => el('tr', { 'data-task': c.taskId, 'data-device': c.device },
      el('td', { class: 'mono', text: clock(c.sent) }),
      el('td', { class: 'mono id', text: c.device }),
      el('td', { class: 'mono id', text: c.service }),
      el('td', { class: 'mono data', text: text(c.data), title: text(c.data) }),
      c.answer
        ? el('td', { class: 'mono data answer', text: text(c.answer.data), title: text(c.answer.data) })
        : el('td', {}, el('span', { class: 'badge wait', text: 'waiting' })),
      el('td', { class: 'mono latency', text: c.latencyMillis === null ? '' : c.latencyMillis.toFixed(1) + ' ms' }))));
    $('commands-empty').hidden = s.commands.length > 0;
  }

  function percent(share) {
    return Math.round(share * 1000) / 10 + ' %';
  }

  function renderFaults(s) {
    const f = s.faults;
    const json = JSON.stringify(f) + s.refusingConnections;
    if (json === faultsJson) return;
    faultsJson = json;
    $('reject-handshakes').checked = f.rejectHandshakes;
    const items = Object.entries(f.pending).map(([handler, faults]) => el('li', { text: `${handler}: ${faults.join(', ')}` }));
    Object.entries(f.answers).forEach(([handler, a]) => items.push(el('li', {
      text: `${handler} answers: ${percent(a.dropShare)} dropped, ${percent(a.delayShare)} delayed ${a.millis} ms` })));
    if (f.duplicateShare > 0) items.push(el('li', { text: `commands: ${percent(f.duplicateShare)} delivered twice` }));
    if (f.duplicateNext > 0) items.push(el('li', { text: `commands: the next ${f.duplicateNext} delivered twice` }));
    Object.entries(f.throttle).forEach(([by, t]) => items.push(el('li', {
      text: `throttle per ${by}: ${t.max} attempts per ${t.windowMillis / 1000} s` })));
    if (f.slowReaderBytesPerSecond > 0) items.push(el('li', { text: `slow reader: ${f.slowReaderBytesPerSecond} B/s` }));
    if (s.refusingConnections) items.unshift(el('li', { text: 'refusing new connections' }));
    if (f.rejectHandshakes) items.unshift(el('li', { text: 'rejecting every handshake' }));
    if (items.length === 0) items.push(el('li', { class: 'none', text: 'none' }));
    $('faults-pending').replaceChildren(...items);

    const injected = Object.entries(f.injected).filter(([, n]) => n > 0)
      .map(([kind, n]) => el('li', { 'data-kind': kind, text: `${kind}: ${n}` }));
    if (injected.length === 0) injected.push(el('li', { class: 'none', text: 'none' }));
    $('faults-injected').replaceChildren(...injected);
    $('seed-shown').textContent = 'seed ' + f.seed;
    ['slow-reader', 'slow-set', 'silence-open'].forEach((id) => { $(id).disabled = !f.linkFaults; });
    $('link-hint').hidden = f.linkFaults;
  }

  async function poll() {
    try {
      const response = await fetch('/ui/state?since=' + nextEvent, { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const s = await response.json();
      renderStats(s);
      renderGateways(s);
      renderEvents(s);
      renderCommands(s);
      renderFaults(s);
      previous = s;
      setLive(true);
    } catch (e) {
      setLive(false);
    } finally {
      setTimeout(poll, POLL_MILLIS);
    }
  }

  async function call(method, path, body) {
    const response = await fetch(path, {
      method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || ('HTTP ' + response.status));
    return answer;
  }

  function report(id, ok, message) {
    const r = $(id);
    r.className = 'result ' + (ok ? 'ok' : 'bad');
    r.textContent = message;
  }

  $('command-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { device: $('command-device').value.trim(), service: $('command-service').value.trim(), data: $('command-data').value, timeoutSeconds: 10 };
    if ($('command-metadata').value !== '') body.metadata = $('command-metadata').value;
    report('command-result', true, 'sent, waiting for the answer…');
    $('command-send').disabled = true;
    const started = performance.now();
    try {
      const answer = await call('POST', '/commands', body);
      report('command-result', true, `answered in ${Math.round(performance.now() - started)} ms (task ${short(answer.taskId)})`);
    } catch (e) {
      report('command-result', false, e.message);
    } finally {
      $('command-send').disabled = false;
    }
  });

  $('restart').addEventListener('click', async () => {
    const refuseMillis = Number($('refuse-millis').value) || 0;
    const forget = $('forget-sessions').checked;
    try {
      await call('POST', forget ? '/restart' : '/sessions/close', { refuseMillis });
      report('platform-result', true, (forget ? 'platform process restarted: every connection dropped, sessions forgotten'
        : 'platform restarted: every session closed') + (refuseMillis ? `, refusing connections for ${refuseMillis} ms` : ''));
    } catch (e) {
      report('platform-result', false, e.message);
    }
  });

  $('reject-handshakes').addEventListener('change', async (event) => {
    try {
      await call('POST', '/faults', { rejectHandshakes: event.target.checked });
      report('platform-result', true, event.target.checked ? 'handshakes are rejected' : 'handshakes are accepted');
    } catch (e) {
      report('platform-result', false, e.message);
    }
  });

  $('fault-kind').addEventListener('change', () => {
    const kind = $('fault-kind').value;
    const label = $('fault-value-label');
    label.hidden = kind === 'drop' || kind === 'close';
    label.firstChild.textContent = kind === 'delay' ? 'ms ' : 'status ';
    $('fault-value').value = kind === 'delay' ? 1000 : 500;
    $('fault-count').disabled = kind === 'close';
  });

  $('fault-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const handler = $('fault-handler').value;
    const kind = $('fault-kind').value;
    const n = Number($('fault-count').value) || 1;
    const value = Number($('fault-value').value);
    const body = { handler };
    if (kind === 'fail') { body.fail = n; body.status = value; }
    if (kind === 'delay') { body.delay = n; body.millis = value; }
    if (kind === 'drop') body.drop = n;
    if (kind === 'close') body.close = true;
    try {
      await call('POST', '/faults', body);
      report('platform-result', true, 'fault added');
    } catch (e) {
      report('platform-result', false, e.message);
    }
  });

  async function arm(body, message) {
    try {
      await call('POST', '/faults', body);
      report('platform-result', true, message);
    } catch (e) {
      report('platform-result', false, e.message);
    }
  }

  $('share-form').addEventListener('submit', (event) => {
    event.preventDefault();
    arm({ handler: $('share-handler').value, dropShare: Number($('share-drop').value) / 100,
      delayShare: Number($('share-delay').value) / 100, millis: Number($('share-millis').value) }, 'shares set');
  });

  $('soak-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const body = { duplicateShare: Number($('duplicate-share').value) / 100 };
    if ($('throttle-by').value) {
      body.throttle = $('throttle-by').value;
      body.max = Number($('throttle-max').value);
      body.windowMillis = Number($('throttle-seconds').value) * 1000;
    }
    if ($('seed').value !== '') body.seed = Number($('seed').value);
    arm(body, 'set');
  });

  $('link-form').addEventListener('submit', (event) => {
    event.preventDefault();
    arm({ slowReaderBytesPerSecond: Number($('slow-reader').value) }, 'slow reader set');
  });

  $('silence-open').addEventListener('click', () => arm({ silenceOpen: true }, 'open connections silenced'));

  $('faults-clear').addEventListener('click', async () => {
    try {
      await call('DELETE', '/faults');
      report('platform-result', true, 'faults cleared');
    } catch (e) {
      report('platform-result', false, e.message);
    }
  });

  poll();
}());
