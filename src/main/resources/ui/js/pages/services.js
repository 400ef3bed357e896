// Services: list, create, edit, delete; per provider the webhook URL, the secret (shown once), rotation and setup
// steps; the service's deployments (status, commit, images, phase timeline, error, build log that follows a running
// build), deploy / redeploy / rollback, and a link to its delivery log.
import { api, query, token, ApiError } from '../api.js';
import { h, clear, table, badge, time, shortSha, message, field, copyable, debounce } from '../dom.js';

const PROVIDERS = ['github', 'gitlab', 'bitbucket', 'azure-devops'];

function serviceForm(values, submitLabel, onSubmit) {
  const form = h('form', { class: 'grid-form' },
    field('Name', h('input', { name: 'name', required: true, maxlength: 200, value: values.name || '' })),
    field('Git repository', h('input', { name: 'git_repository', type: 'url', value: values.git_repository || '',
      placeholder: 'https://github.com/acme/shop' })),
    field('Branch', h('input', { name: 'git_branch', value: values.git_branch || 'main', required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitLabel)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(form));
    onSubmit({ name: f.name, git_repository: f.git_repository || null, git_branch: f.git_branch });
  });
  return form;
}

function list(view, ctx) {
  const msg = message();
  const results = h('div');
  const create = serviceForm({}, 'Create service', async (body) => {
    try {
      const s = await api('/api/containers/services', { method: 'POST', body });
      ctx.navigate(`#/services/${encodeURIComponent(s.id)}`);
    } catch (e) {
      msg.error(e);
    }
  });
  view.append(h('h1', {}, 'Services'),
    h('section', { class: 'card', 'aria-labelledby': 'new-service' }, h('h2', { id: 'new-service' }, 'New service'),
      create, msg),
    h('section', { 'aria-labelledby': 'all-services' }, h('h2', { id: 'all-services' }, 'All services'), results));
  async function load() {
    try {
      const page = await api('/api/containers/services?limit=200');
      clear(results).append(table('Services', ['Name', 'Repository', 'Branch', 'Status', 'Created'], page.items,
        (s) => [h('a', { href: `#/services/${encodeURIComponent(s.id)}` }, s.name), s.git_repository || '—',
          s.git_branch, badge(s.status), time(s.created_at)], 'No services yet: create one above.'));
    } catch (e) {
      msg.error(e);
    }
  }
  load();
  return { refresh: load };
}

function detail(view, ctx, id) {
  const base = `/api/containers/services/${encodeURIComponent(id)}`;
  const head = h('div', { class: 'page-head' }, h('h1', {}, 'Service'));
  const msg = message();
  const editBox = h('div');
  const hookMsg = message();
  const hookResult = h('div', { 'data-testid': 'webhook-result' });
  const provider = h('select', { name: 'provider' }, PROVIDERS.map((p) => h('option', { value: p }, p)));
  const showButton = h('button', { type: 'submit', 'data-testid': 'show-webhook' }, 'Show webhook URL');
  const hookForm = h('form', { class: 'inline-form' }, field('Provider', provider),
    h('div', { class: 'actions' }, showButton));
  const deployments = h('div', { 'data-testid': 'deployments' });
  const depMsg = message();
  depMsg.dataset.testid = 'deployments-message';

  view.append(h('p', {}, h('a', { href: '#/services' }, '← All services')), head, msg,
    h('section', { class: 'card', 'aria-labelledby': 'hook-title' }, h('h2', { id: 'hook-title' }, 'Webhook'),
      h('p', {}, 'Point the provider\'s webhook at this URL, signed with the secret. The secret is shown once, '
        + 'when it is created or rotated.'), hookForm, hookMsg, hookResult),
    h('section', { 'aria-labelledby': 'dep-title' }, h('h2', { id: 'dep-title' }, 'Deployments'),
      h('p', {}, 'Each push to the service\'s branch becomes a deployment; status as the hub reports it.'),
      depMsg, deployments),
    h('section', { class: 'card', 'aria-labelledby': 'edit-title' }, h('h2', { id: 'edit-title' }, 'Edit'), editBox));

  function showHook(r) {
    const parts = [copyable('Webhook URL', r.webhookUrl, 'webhook-url')];
    if (r.secret) {
      parts.push(copyable('Secret', r.secret, 'webhook-secret'),
        h('p', { class: 'warn' }, 'Copy the secret now: the hub will not show it again.'));
      if (r.previousSecretValidUntil) {
        parts.push(h('p', {}, 'The previous secret keeps verifying until ', time(r.previousSecretValidUntil), '.'));
      }
    } else {
      parts.push(h('p', { 'data-testid': 'secret-hidden' }, 'The secret was shown when it was created and is not '
        + 'shown again. Rotate it to get a new one.'));
    }
    parts.push(h('button', { type: 'button', class: 'secondary', 'data-testid': 'rotate-secret',
      onclick: () => {
        if (window.confirm(`Issue a new ${r.provider} secret? The old one keeps working for the grace period.`)) {
          fetchHook(true);
        }
      } }, 'Rotate secret'));
    if (r.instructions) {
      parts.push(h('h3', {}, `Setting up ${r.provider}`), h('pre', { class: 'instructions' }, r.instructions));
    }
    clear(hookResult).append(...parts);
  }

  async function fetchHook(rotate) {
    hookMsg.clear();
    try {
      showHook(await api(`${base}/webhook-url${query({ provider: provider.value, rotate: rotate ? 'true' : '' })}`));
    } catch (e) {
      clear(hookResult);
      hookMsg.error(e);
    }
  }
  hookForm.addEventListener('submit', (e) => { e.preventDefault(); fetchHook(false); });

  async function loadService() {
    try {
      const s = await api(base);
      clear(head).append(h('h1', {}, s.name), h('div', { class: 'actions' },
        h('a', { class: 'button secondary', href: `#/deliveries?service=${encodeURIComponent(id)}` }, 'Delivery log'),
        h('button', { type: 'button', class: 'danger', onclick: remove }, 'Delete service')));
      clear(editBox).append(serviceForm(s, 'Save changes', async (body) => {
        try {
          await api(base, { method: 'PUT', body });
          msg.ok('Saved.');
          loadService();
        } catch (e) {
          msg.error(e);
        }
      }), h('p', {}, `Repository ${s.git_repository || '—'}, branch ${s.git_branch}; id `, h('code', {}, s.id)));
    } catch (e) {
      msg.error(e);
    }
  }

  async function remove() {
    if (!window.confirm('Delete this service, its secrets and its deployments?')) return;
    try {
      await api(base, { method: 'DELETE' });
      ctx.navigate('#/services');
    } catch (e) {
      msg.error(e);
    }
  }

  // ---- deployments: actions, table, build log

  const ACTIVE = ['pending', 'building', 'deploying'];
  const active = (d) => (ACTIVE.includes(d.status) && !(d.status === 'pending' && d.error))
    || (d.rollback_started_at && !d.rollback_finished_at);
  const PHASES = [['Build', 'build_started_at', 'build_finished_at'], ['Deploy', 'deploy_started_at',
    'deploy_finished_at'], ['Rollback', 'rollback_started_at', 'rollback_finished_at']];

  function timeline(d) {
    const items = PHASES.filter(([, a, b]) => d[a] || d[b]).map(([name, a, b]) => h('li', {},
      h('strong', {}, name), ' ', time(d[a]), ' → ', d[b] ? time(d[b]) : (active(d) ? 'in progress' : '—')));
    items.unshift(h('li', {}, h('strong', {}, 'Created'), ' ', time(d.created_at)));
    if (d.finished_at) items.push(h('li', {}, h('strong', {}, 'Finished'), ' ', time(d.finished_at)));
    return h('ol', { class: 'timeline', 'data-testid': 'timeline' }, items);
  }

  async function act(label, path, body) {
    depMsg.clear();
    try {
      const d = await api(path, { method: 'POST', body });
      depMsg.ok(`${label} accepted: deployment ${d.id} is ${d.status}.`);
    } catch (e) {
      depMsg.error(new ApiError(e.status, e.code, `${label} refused: ${e.message}`));
    }
    loadDeployments();
  }

  const target = h('input', { name: 'deploy_target', 'data-testid': 'deploy-target',
    placeholder: 'commit SHA or branch (empty: the service\'s branch)' });
  const deployForm = h('form', { class: 'inline-form' }, field('Commit or branch', target),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'deploy' }, 'Deploy'),
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'rollback', onclick: () => {
        if (window.confirm('Roll the service back to its last healthy image?')) {
          act('Rollback', `${base}/rollback`, {});
        }
      } }, 'Rollback')));
  deployForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = target.value.trim();
    act('Deploy', `${base}/deploy`, !v ? {} : (/^[0-9a-fA-F]{7,64}$/.test(v) ? { commit: v } : { branch: v }));
  });
  deployments.before(deployForm);

  const logTitle = h('h3', { id: 'log-title' }, 'Build log');
  const logState = h('p', { 'data-testid': 'build-log-state' });
  const logText = h('pre', { class: 'build-log', 'data-testid': 'build-log', tabindex: 0 });
  const logBox = h('section', { class: 'card', 'aria-labelledby': 'log-title', hidden: true },
    logTitle, logState, logText, h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary',
      'data-testid': 'close-build-log', onclick: () => closeLog() }, 'Close log')));
  deployments.after(logBox);
  let follow = null; // { id, stop }

  function closeLog() {
    if (follow) follow.stop();
    follow = null;
    logBox.hidden = true;
  }

  /** Reads the log (fetch + stream reader, bearer token); while the deployment runs, reads again and appends. */
  function openLog(deployment) {
    let d = deployment;
    closeLog();
    const run = { id: d.id, stopped: false, ctrl: null };
    run.stop = () => { run.stopped = true; if (run.ctrl) run.ctrl.abort(); };
    follow = run;
    logBox.hidden = false;
    logTitle.textContent = `Build log of ${d.id}`;
    logText.textContent = '';
    logState.textContent = 'Loading…';
    const path = `${base}/deployments/${encodeURIComponent(d.id)}`;
    let shown = 0;
    (async () => {
      while (!run.stopped) {
        try {
          run.ctrl = new AbortController();
          // follow=true streams while the build runs; a deployment that will not run is read as it is
          const res = await fetch(`${path}/logs${active(d) ? '?follow=true' : ''}`, { headers: { Authorization: `Bearer ${token.get()}`,
            Accept: 'text/plain' }, cache: 'no-store', credentials: 'omit', signal: run.ctrl.signal });
          if (!res.ok) {
            let words = res.statusText;
            try { const j = await res.json(); words = j.error || words; } catch { /* not JSON */ }
            throw new Error(`${words} (HTTP ${res.status})`);
          }
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let got = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            got += decoder.decode(value, { stream: true });
            if (got.length > shown) { logText.append(got.slice(shown)); shown = got.length; }
          }
          got += decoder.decode();
          if (got.length > shown) { logText.append(got.slice(shown)); shown = got.length; }
          const now = await api(path);
          d = now;
          if (!active(now)) {
            logState.textContent = `Deployment ${now.status}${shown ? '' : ': the log is empty'}.`;
            return;
          }
          logState.textContent = `Following: deployment ${now.status}…`;
        } catch (e) {
          if (run.stopped) return;
          logState.textContent = `The log could not be read: ${e.message}`;
          return;
        }
        await new Promise((r) => setTimeout(r, 1500));
      }
    })();
  }

  async function loadDeployments() {
    try {
      const page = await api(`${base}/deployments?limit=50`);
      if (depMsg.dataset.load) { depMsg.clear(); delete depMsg.dataset.load; }
      clear(deployments).append(table('Deployments', ['Created', 'Status', 'Commit', 'Author', 'Message', 'Image',
        'Phases', 'Error', 'Actions'], page.items, (d) => [time(d.created_at), badge(d.status),
        h('span', {}, shortSha(d.commit_sha), d.branch ? ` on ${d.branch}` : ''), d.author || '—',
        d.commit_message ? d.commit_message.split('\n')[0] : '—',
        h('div', {}, h('div', {}, d.image ? h('code', {}, d.image) : '—'),
          d.previous_image ? h('small', {}, 'previous ', h('code', {}, d.previous_image)) : null),
        timeline(d), d.error ? h('span', { class: 'warn', 'data-testid': 'deployment-error' }, d.error) : '—',
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', 'data-testid': 'build-log-open',
            onclick: () => openLog(d) }, 'Build log'),
          d.commit_sha ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'redeploy',
            onclick: () => act('Redeploy', `${base}/deployments/${encodeURIComponent(d.id)}/redeploy`, {}) },
          'Redeploy') : null)],
      'No deployments yet: a push to the branch creates one.'));
    } catch (e) {
      depMsg.error(e);
      depMsg.dataset.load = 'failed';
    }
  }

  loadService();
  loadDeployments();
  const later = debounce(loadDeployments, 200);
  return {
    refresh: loadDeployments,
    unmount: closeLog,
    onEvent: (e) => {
      if (e.service_id === id && (e.type === 'webhook_received' || e.type.startsWith('deployment_')
        || e.type.startsWith('build_'))) later();
    },
  };
}

export default {
  id: 'services',
  title: 'Services',
  mount(view, ctx) {
    return ctx.rest[0] ? detail(view, ctx, ctx.rest[0]) : list(view, ctx);
  },
};
