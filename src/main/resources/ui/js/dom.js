// Small DOM helpers: elements are built with text nodes only (never innerHTML), so no data is ever markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function table(caption, columns, rows, rowFn, empty = 'Nothing yet.') {
  const wrap = h('div', { class: 'table-wrap' });
  if (!rows.length) {
    wrap.append(h('p', { class: 'empty' }, empty));
    return wrap;
  }
  wrap.append(h('table', {},
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => {
      const cells = rowFn(r);
      return h('tr', {}, cells.map((c, i) => h('td', { 'data-label': columns[i] }, c)));
    }))));
  return wrap;
}

const GOOD = ['success', 'processed', 'delivered', 'sent', 'running', 'up', 'active', 'enabled', 'accepted'];
const BAD = ['failure', 'failed', 'rejected', 'down', 'rolled_back', 'rollback_failed', 'disabled', 'aborted'];
export function badge(status) {
  const s = String(status ?? 'unknown');
  const kind = GOOD.includes(s.toLowerCase()) ? 'good' : BAD.includes(s.toLowerCase()) ? 'bad' : 'neutral';
  return h('span', { class: `badge ${kind}` }, s);
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return h('time', { datetime: iso, title: iso }, d.toLocaleString());
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function shortSha(sha) {
  return sha ? h('code', { title: sha }, sha.slice(0, 7)) : '—';
}

export function safeLink(url, label) {
  if (!url || !/^https?:\/\//i.test(url)) return '—';
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label);
}

/** A paragraph that shows an outcome or an error in words. */
export function message() {
  const el = h('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  el.ok = (text) => { el.className = 'message ok'; el.textContent = text; };
  el.error = (e) => { el.className = 'message error'; el.textContent = e && e.message ? e.message : String(e); };
  el.clear = () => { el.className = 'message'; el.textContent = ''; };
  return el;
}

export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('small', {}, hint) : null);
}

/** A read-only value with a Copy button (clipboard API, or selection + execCommand as a fallback). */
export function copyable(label, value, testId) {
  const input = h('input', { type: 'text', readonly: true, value, 'data-testid': testId, class: 'mono' });
  const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'secondary', 'data-testid': `${testId}-copy`,
    onclick: async () => {
      let done = false;
      try {
        if (navigator.clipboard && window.isSecureContext) {
          await navigator.clipboard.writeText(value);
          done = true;
        }
      } catch { done = false; }
      if (!done) {
        input.focus();
        input.select();
        try { done = document.execCommand('copy'); } catch { done = false; }
      }
      status.textContent = done ? 'Copied' : 'Select the text and press Ctrl+C to copy';
    }, 'aria-label': `Copy ${label}` }, 'Copy');
  return h('div', { class: 'field' }, h('label', { for: (input.id = `c-${testId}`) }, label),
    h('div', { class: 'copy-row' }, input, button), status);
}

export function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
