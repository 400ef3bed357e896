// Registered webhooks (any sender): list, register (the secret is shown once), activate/deactivate, rotate the
// secret, delete; one webhook's deliveries (status, event, signature, response, processing time; redacted headers
// and the pretty-printed payload) with a Replay button on those that can be replayed (processed or failed).
import { api, query } from '../api.js';
import { h, clear, table, badge, time, message, field, copyable, debounce } from '../dom.js';

const LIMIT = 25;
const REPLAYABLE = ['processed', 'failed'];

function yesNo(v) {
  if (v === true) return badge('valid');
  if (v === false) return badge('invalid');
  return '—';
}

function list(view, ctx) {
  const msg = message();
  const secretBox = h('div', { 'data-testid': 'registered-secret-box' });
  const results = h('div', { 'data-testid': 'webhooks-table' });
  const configPicker = h('select', { name: 'sync_config_id' }, h('option', { value: '' }, 'None'));
  const form = h('form', { class: 'grid-form' },
    field('Name', h('input', { name: 'name', required: true, maxlength: 200 })),
    field('Sync config', configPicker, 'Each accepted delivery queues a job for it.'),
    field('Event types', h('input', { name: 'event_types', placeholder: 'workitem.created, workitem.updated' }),
      'Comma separated; empty: every event.'),
    field('Rate limit per minute', h('input', { name: 'rate_limit_per_minute', type: 'number', min: 1 }),
      'Empty: no limit.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Register webhook')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(form));
    const body = { name: f.name,
      event_types: f.event_types.split(',').map((s) => s.trim()).filter(Boolean) };
    if (f.sync_config_id) body.sync_config_id = f.sync_config_id;
    if (f.rate_limit_per_minute) body.rate_limit_per_minute = Number(f.rate_limit_per_minute);
    try {
      const r = await api('/api/webhooks/register', { method: 'POST', body });
      const w = r.webhook;
      msg.ok(`Registered ${w.name}.`);
      form.reset();
      clear(secretBox).append(h('div', { class: 'card' }, h('h2', {}, `Webhook ${w.name}`),
        copyable('Webhook URL', w.full_url, 'registered-url'),
        copyable('Secret', w.secret, 'registered-secret'),
        h('p', { class: 'warn' }, 'Copy the secret now: the hub will not show it again.'),
        h('p', {}, 'Senders sign with X-Webhook-Signature or X-Hub-Signature-256 (sha256=<hex HMAC-SHA256 of the '
          + 'raw body, keyed with the whole secret>), Standard Webhooks headers, or HTTP basic auth with the '
          + 'secret as password.')));
      load();
    } catch (err) {
      msg.error(err);
    }
  });
  view.append(h('h1', {}, 'Registered webhooks'),
    h('p', {}, 'Webhooks for senders that are not Git providers (Azure DevOps service hooks, ServiceDesk Plus, '
      + 'your own tools); each accepted delivery queues a job for the webhook\'s sync config.'),
    h('section', { class: 'card', 'aria-labelledby': 'new-webhook' }, h('h2', { id: 'new-webhook' },
      'Register a webhook'), form, msg),
    secretBox,
    h('section', { 'aria-labelledby': 'all-webhooks' }, h('h2', { id: 'all-webhooks' }, 'All webhooks'), results));

  async function loadConfigs() {
    try {
      const r = await api('/api/sync-configs');
      clear(configPicker).append(h('option', { value: '' }, 'None'),
        ...r.configs.map((c) => h('option', { value: c.id }, c.name)));
    } catch (e) {
      msg.error(e);
    }
  }

  async function setActive(w, active) {
    try {
      await api(`/api/webhooks/${encodeURIComponent(w.id)}`, { method: 'PUT', body: { is_active: active } });
      msg.ok(`${w.name} ${active ? 'activated' : 'deactivated'}.`);
      load();
    } catch (e) {
      msg.error(e);
    }
  }

  async function load() {
    try {
      const r = await api('/api/webhooks?limit=200');
      clear(results).append(table('Registered webhooks', ['Name', 'Status', 'Events', 'Sync config', 'Triggers',
        'Last triggered', 'Created', ''], r.webhooks, (w) => [
        h('a', { href: `#/webhooks/${encodeURIComponent(w.id)}` }, w.name),
        badge(w.is_active ? 'active' : 'inactive'),
        (w.event_types || []).length ? w.event_types.join(', ') : 'all',
        w.sync_config_id ? h('code', {}, w.sync_config_id) : '—', String(w.trigger_count),
        time(w.last_triggered_at), time(w.created_at),
        h('button', { type: 'button', class: 'secondary', onclick: () => setActive(w, !w.is_active) },
          w.is_active ? 'Deactivate' : 'Activate')], 'No registered webhooks yet: register one above.'));
    } catch (e) {
      msg.error(e);
    }
  }
  loadConfigs();
  load();
  const later = debounce(load, 200);
  return {
    refresh: load,
    onEvent: (e) => { if (e.type === 'webhook_received') later(); },
  };
}

function detail(view, ctx, id) {
  const base = `/api/webhooks/${encodeURIComponent(id)}`;
  let offset = 0;
  let items = [];
  const head = h('div', { class: 'page-head' }, h('h1', {}, 'Webhook'));
  const msg = message();
  const info = h('div', { 'data-testid': 'webhook-info' });
  const secretBox = h('div', { 'data-testid': 'rotated-secret-box' });
  const results = h('div', { 'data-testid': 'webhook-deliveries' });
  const pager = h('div', { class: 'pager' });
  const detailBox = h('section', { 'aria-live': 'polite', 'data-testid': 'webhook-delivery-detail' });
  view.append(h('p', {}, h('a', { href: '#/webhooks' }, '← All webhooks')), head, msg, info, secretBox,
    h('section', { 'aria-labelledby': 'wd-title' }, h('h2', { id: 'wd-title' }, 'Deliveries'),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => load() },
        'Refresh')), results, pager),
    detailBox);

  async function loadWebhook() {
    try {
      const w = (await api(base)).webhook;
      clear(head).append(h('h1', {}, w.name), h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => setActive(!w.is_active) },
          w.is_active ? 'Deactivate' : 'Activate'),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'rotate-webhook-secret', onclick: rotate },
          'Rotate secret'),
        h('button', { type: 'button', class: 'danger', onclick: () => remove(w) }, 'Delete webhook')));
      clear(info).append(h('div', { class: 'card' },
        copyable('Webhook URL', w.full_url, 'registered-url'),
        h('p', {}, badge(w.is_active ? 'active' : 'inactive'),
          ` · events: ${(w.event_types || []).length ? w.event_types.join(', ') : 'all'}`,
          ` · sync config: ${w.sync_config_id || '—'}`,
          ` · rate limit: ${w.rate_limit_per_minute ? `${w.rate_limit_per_minute}/min` : 'none'}`,
          ` · ${w.trigger_count} trigger(s), last `, time(w.last_triggered_at)),
        h('p', { 'data-testid': 'secret-hidden' }, 'The secret was shown when the webhook was registered and is not '
          + 'shown again. Rotate it to get a new one.')));
    } catch (e) {
      msg.error(e);
    }
  }

  async function setActive(active) {
    try {
      await api(base, { method: 'PUT', body: { is_active: active } });
      msg.ok(active ? 'Activated.' : 'Deactivated: its deliveries are refused (404) and recorded.');
      loadWebhook();
    } catch (e) {
      msg.error(e);
    }
  }

  async function rotate() {
    if (!window.confirm('Issue a new secret? The old one keeps verifying for the grace period.')) return;
    try {
      const r = await api(`${base}/rotate-secret`, { method: 'POST' });
      clear(secretBox).append(h('div', { class: 'card' }, copyable('New secret', r.secret, 'registered-secret'),
        h('p', { class: 'warn' }, 'Copy the secret now: the hub will not show it again.'),
        h('p', {}, 'The previous secret keeps verifying until ', time(r.previousSecretValidUntil), '.')));
    } catch (e) {
      msg.error(e);
    }
  }

  async function remove(w) {
    if (!window.confirm(`Delete the webhook ${w.name}? Its URL stops answering.`)) return;
    try {
      await api(base, { method: 'DELETE' });
      ctx.navigate('#/webhooks');
    } catch (e) {
      msg.error(e);
    }
  }

  async function replay(d) {
    try {
      const r = await api(`${base}/deliveries/${encodeURIComponent(d.id)}/replay`, { method: 'POST' });
      msg.ok(`Replay accepted as delivery ${r.deliveryId}.`);
      load();
    } catch (e) {
      msg.error(e);
    }
  }

  function show(d) {
    const headers = Object.entries(d.headers || {});
    const payload = d.payload === null || d.payload === undefined ? 'The payload was not kept.'
      : typeof d.payload === 'string' ? d.payload : JSON.stringify(d.payload, null, 2);
    clear(detailBox).append(h('div', { class: 'card' },
      h('h2', { tabindex: '-1' }, `Delivery ${d.delivery_id || d.id}`),
      h('p', {}, badge(d.status), ` ${d.event_type || ''} · response ${d.response_code}`, d.error ? ` · ${d.error}` : ''),
      h('h3', {}, 'Headers (signatures and tokens redacted)'),
      table('Headers', ['Header', 'Value'], headers, ([k, v]) => [h('code', {}, k),
        h('code', {}, Array.isArray(v) ? v.join(', ') : String(v))], 'No headers recorded.'),
      h('h3', {}, `Payload${d.payload_truncated ? ', truncated' : ''}`),
      h('pre', { class: 'payload', 'data-testid': 'webhook-delivery-payload', tabindex: '0' }, payload)));
    detailBox.querySelector('h2').focus();
  }

  async function load() {
    try {
      const page = await api(`${base}/deliveries${query({ limit: LIMIT, offset })}`);
      items = page.deliveries;
      clear(results).append(table('Deliveries', ['Received', 'Event', 'Status', 'Signature', 'Response',
        'Processing', 'Delivery id', ''], items, (d) => [time(d.created_at), d.event_type || '—', badge(d.status),
        yesNo(d.signature_valid), String(d.response_code),
        d.processing_time_ms === null ? '—' : `${d.processing_time_ms} ms`, h('code', {}, d.delivery_id || '—'),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', 'data-testid': 'view-webhook-delivery',
            onclick: () => show(d) }, 'View'),
          REPLAYABLE.includes(d.status) ? h('button', { type: 'button', class: 'secondary',
            'data-testid': 'replay-webhook-delivery', onclick: () => replay(d) }, 'Replay') : null)],
      'No deliveries for this webhook yet.'));
      const last = Math.min(offset + items.length, page.total);
      clear(pager).append(
        h('button', { type: 'button', class: 'secondary', disabled: offset === 0,
          onclick: () => { offset = Math.max(0, offset - LIMIT); load(); } }, 'Previous'),
        h('span', {}, page.total ? `${offset + 1}–${last} of ${page.total}` : '0 deliveries'),
        h('button', { type: 'button', class: 'secondary', disabled: last >= page.total,
          onclick: () => { offset += LIMIT; load(); } }, 'Next'));
    } catch (e) {
      msg.error(e);
    }
  }

  loadWebhook();
  load();
  const later = debounce(() => { load(); loadWebhook(); }, 200);
  return {
    refresh: load,
    onEvent: (e) => { if (e.type === 'webhook_received' && e.subject_key === `webhook:${id}`) later(); },
  };
}

export default {
  id: 'webhooks',
  title: 'Webhooks',
  mount(view, ctx) {
    return ctx.rest[0] ? detail(view, ctx, ctx.rest[0]) : list(view, ctx);
  },
};
