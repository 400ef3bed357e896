// The admin API: bearer token from sessionStorage (this tab only), JSON in and out, errors in words.
const KEY = 'webhookhub.token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};
export function whenUnauthorized(fn) { onUnauthorized = fn; }

/** fetch with the admin token; returns the parsed JSON (or null for 204); throws ApiError with the API's words. */
export async function api(path, { method = 'GET', body, tokenOverride, allowStatus = [] } = {}) {
  const headers = { Accept: 'application/json' };
  const t = tokenOverride ?? token.get();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, 'network', `The hub could not be reached (${e.message}).`);
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (res.ok || allowStatus.includes(res.status)) return json;
  const code = json && json.code ? json.code : `http_${res.status}`;
  const words = json && json.error ? json.error : (text ? text.slice(0, 300) : res.statusText || 'no answer');
  const err = new ApiError(res.status, code, `${words} (HTTP ${res.status}, ${code})`);
  if (res.status === 401 && !tokenOverride) onUnauthorized(err);
  throw err;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
