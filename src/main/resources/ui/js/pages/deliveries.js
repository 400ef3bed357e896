// Deliveries: a service's delivery log (status, event, signature, response, processing time); one delivery's
// redacted headers and pretty-printed payload.
import { api, query } from '../api.js';
import { h, clear, table, badge, time, message, field, debounce } from '../dom.js';

const LIMIT = 25;

function yesNo(v) {
  if (v === true) return badge('valid');
  if (v === false) return badge('invalid');
  return '—';
}

export default {
  id: 'deliveries',
  title: 'Deliveries',
  mount(view, ctx) {
    let serviceId = ctx.params.get('service') || '';
    let offset = 0;
    const msg = message();
    const picker = h('select', { name: 'service', 'data-testid': 'delivery-service' });
    const form = h('form', { class: 'inline-form' }, field('Service', picker),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => load() },
        'Refresh')));
    const results = h('div', { 'data-testid': 'deliveries-table' });
    const pager = h('div', { class: 'pager' });
    const detailBox = h('section', { 'aria-live': 'polite', 'data-testid': 'delivery-detail' });
    view.append(h('h1', {}, 'Deliveries'), form, msg, results, pager, detailBox);

    picker.addEventListener('change', () => {
      ctx.navigate(`#/deliveries${query({ service: picker.value })}`);
    });

    async function loadServices() {
      try {
        const page = await api('/api/containers/services?limit=1000');
        clear(picker).append(h('option', { value: '' }, 'Choose a service'),
          ...page.items.map((s) => h('option', { value: s.id, selected: s.id === serviceId }, s.name)));
        if (!serviceId && page.items.length) {
          serviceId = page.items[0].id;
          picker.value = serviceId;
        }
        load();
      } catch (e) {
        msg.error(e);
      }
    }

    async function load() {
      if (!serviceId) {
        clear(results).append(h('p', { class: 'empty' }, 'No service yet: deliveries are listed per service.'));
        return;
      }
      try {
        const page = await api(`/api/containers/services/${encodeURIComponent(serviceId)}/deliveries`
          + `${query({ limit: LIMIT, offset })}`);
        msg.clear();
        clear(results).append(table('Deliveries', ['Received', 'Provider', 'Event', 'Status', 'Signature',
          'Response', 'Processing', 'Delivery id', ''], page.items, (d) => [time(d.created_at), d.provider,
          d.event_type || '—', badge(d.status), yesNo(d.signature_valid), String(d.response_code),
          d.processing_time_ms === null ? '—' : `${d.processing_time_ms} ms`, h('code', {}, d.delivery_id || '—'),
          h('button', { type: 'button', class: 'secondary', 'data-testid': 'view-delivery',
            onclick: () => show(d.id) }, 'View')], 'No deliveries for this service yet.'));
        const last = Math.min(offset + page.items.length, page.total);
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

    async function show(id) {
      try {
        const d = await api(`/api/containers/services/${encodeURIComponent(serviceId)}/deliveries/`
          + `${encodeURIComponent(id)}`);
        const headers = Object.entries(d.headers || {});
        const payload = d.payload === null ? 'The payload was not kept.'
          : typeof d.payload === 'string' ? d.payload : JSON.stringify(d.payload, null, 2);
        clear(detailBox).append(h('div', { class: 'card' },
          h('h2', { tabindex: '-1' }, `Delivery ${d.delivery_id || d.id}`),
          h('p', {}, badge(d.status), ` ${d.event_type || ''} · response ${d.response_code}`,
            d.error ? ` · ${d.error}` : ''),
          h('h3', {}, 'Headers (signatures and tokens redacted)'),
          table('Headers', ['Header', 'Value'], headers, ([k, v]) => [h('code', {}, k),
            h('code', {}, Array.isArray(v) ? v.join(', ') : String(v))], 'No headers recorded.'),
          h('h3', {}, `Payload${d.payload_format ? ` (${d.payload_format})` : ''}${d.payload_truncated
            ? ', truncated' : ''}`),
          h('pre', { class: 'payload', 'data-testid': 'delivery-payload', tabindex: '0' }, payload)));
        detailBox.querySelector('h2').focus();
      } catch (e) {
        msg.error(e);
      }
    }

    loadServices();
    const later = debounce(load, 200);
    return {
      refresh: load,
      onEvent: (e) => { if (e.type === 'webhook_received' && e.service_id === serviceId) later(); },
    };
  },
};
