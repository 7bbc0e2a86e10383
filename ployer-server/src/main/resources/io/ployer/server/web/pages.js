// Signing in, the applications list, creating one, and the instance settings.
import { session, get, post, put, del, ApiError } from './api.js';
import { h, field, form, action, report, badge, when, table, copyButton, section } from './ui.js';

export async function signIn() {
  let open = false;
  try { open = (await get('/auth/registration')).open; } catch (ignored) { open = false; }
  const totp = field({ label: 'Two-factor code', name: 'totp', autocomplete: 'one-time-code', inputmode: 'numeric',
    hint: 'The six digits your authenticator app shows now.' });
  totp.hidden = true;
  const recovery = field({ label: 'Or a recovery code', name: 'recovery_code', autocomplete: 'off',
    hint: 'One of the codes you kept when you turned two-factor sign-in on; each works once.' });
  recovery.hidden = true;
  const login = form({ 'aria-labelledby': 'sign-in-title' }, [
    field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
    field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    totp, recovery,
  ], 'Sign in', async (values) => {
    try {
      const answer = await post('/auth/login', values);
      session.signIn(answer.token, answer.user);
      location.hash = '#/apps';
    } catch (failure) {
      if (failure instanceof ApiError && failure.field === 'totp') { totp.hidden = false; recovery.hidden = false; }
      throw failure;
    }
  });
  return h('div', { class: 'narrow' },
    h('h1', { id: 'sign-in-title' }, 'Sign in to Ployer'),
    open ? h('p', { class: 'notice' }, 'Registration is open. ', h('a', { href: '#/register' }, 'Create an account'),
      ' — the first account becomes the administrator.') : null,
    login);
}

export async function register() {
  return h('div', { class: 'narrow' },
    h('h1', { id: 'register-title' }, 'Create an account'),
    h('p', {}, 'On a new server the first account is the administrator; after it, registration closes until an administrator opens it.'),
    form({ 'aria-labelledby': 'register-title' }, [
      field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
      field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password', required: true,
        hint: '8 to 256 characters, not a well-known password.' }),
    ], 'Create account', async (values) => {
      await post('/auth/register', values);
      const answer = await post('/auth/login', { email: values.email, password: values.password });
      session.signIn(answer.token, answer.user);
      location.hash = '#/apps';
    }),
    h('p', {}, h('a', { href: '#/login' }, 'I already have an account')));
}

/** Every application with its last deployment, newest first per app. */
async function loadApplications() {
  const [apps, deployments] = await Promise.all([get('/applications?limit=500'), get('/deployments?limit=500')]);
  const last = new Map();
  for (const deployment of deployments) if (!last.has(deployment.application_id)) last.set(deployment.application_id, deployment);
  // Health at a glance: each app's latest health check result (none until a check is set up and has run).
  const health = await Promise.all(apps.map((app) => get('/applications/' + app.id + '/health-check/results?limit=1')
    .then((results) => results[0] || null, () => null)));
  return apps.map((app, index) => ({ app, last: last.get(app.id), health: health[index] }));
}

export async function applications(context) {
  let rows = await loadApplications();
  const search = h('input', { id: 'app-search', type: 'search', name: 'search', autocomplete: 'off' });
  const holder = h('div', {});
  const draw = () => {
    const term = search.value.trim().toLowerCase();
    const shown = rows.filter(({ app }) => !term || app.name.includes(term) || (app.git_url || '').toLowerCase().includes(term));
    holder.replaceChildren(table('Applications', ['Name', 'Status', 'Health', 'Last deployment', 'Branch'], shown.map(({ app, last, health }) => [
      h('a', { href: '#/apps/' + app.id }, app.name),
      badge(app.status),
      health ? h('span', { title: 'checked ' + new Date(health.checked_at).toLocaleString() }, badge(health.status),
        health.response_time_ms ? ' ' + health.response_time_ms + ' ms' : '') : h('span', { class: 'hint' }, 'no check'),
      last ? h('span', {}, badge(last.status), ' ', when(last.created_at)) : 'never deployed',
      app.branch || '—',
    ]), rows.length ? 'No application matches “' + search.value + '”.' : 'No applications yet. Create the first one.'));
  };
  search.addEventListener('input', draw);
  draw();
  context.every(5000, async () => {
    try { rows = await loadApplications(); if (context.current()) draw(); } catch (ignored) { /* the next tick tries again */ }
  });
  return h('div', {},
    h('div', { class: 'title-row' }, h('h1', {}, 'Applications'), h('a', { class: 'button primary', href: '#/apps/new' }, 'New application')),
    h('div', { class: 'field search' }, h('label', { for: 'app-search' }, 'Search applications'), search),
    holder);
}

export const STRATEGIES = [['dockerfile', 'Dockerfile'], ['static', 'Static files'], ['image', 'Prebuilt image'], ['compose', 'Docker Compose']];

export async function newApplication() {
  return h('div', { class: 'narrow' },
    h('h1', { id: 'new-app-title' }, 'New application'),
    form({ 'aria-labelledby': 'new-app-title' }, [
      field({ label: 'Name', name: 'name', required: true, hint: 'Lower-case letters, digits and hyphens; it becomes part of the app’s domain.' }),
      field({ label: 'Git repository URL', name: 'git_url', hint: 'https://…, ssh://… or git@host:path. Not needed for a prebuilt image.' }),
      field({ label: 'Branch', name: 'branch', value: 'main' }),
      field({ label: 'Build strategy', name: 'build_strategy', type: 'select', value: 'dockerfile', choices: STRATEGIES }),
      field({ label: 'Image (prebuilt image strategy only)', name: 'image' }),
      field({ label: 'Port the app listens on', name: 'port', type: 'number', value: 8080, min: 1, max: 65535 }),
      field({ label: 'Access token for a private https repository (optional)', name: 'git_token', type: 'password', autocomplete: 'off',
        hint: 'Stored encrypted; or use the deploy key shown after creation.' }),
    ], 'Create application', async (values) => {
      const { git_token: gitToken, image, ...body } = values;
      if (image) body.build_config = { image };
      const app = await post('/applications', body);
      if (gitToken) await put('/applications/' + app.id + '/git-token', { token: gitToken });
      location.hash = '#/apps/' + app.id;
    }));
}

export async function settings(context) {
  const admin = session.user && (session.user.role === 'ADMIN' || session.user.role === 'OWNER');
  const keys = await get('/auth/api-keys');
  const registration = await get('/auth/registration');
  const shown = h('div', { class: 'once', 'aria-live': 'polite' });
  const keyForm = form({ 'aria-labelledby': 'keys-title' }, [
    field({ label: 'Key name', name: 'name', required: true }),
    h('fieldset', {}, h('legend', {}, 'Scopes'),
      ['read', 'write', 'deploy'].map((scope) => field({ label: scope, name: 'scope-' + scope, type: 'checkbox', value: scope === 'read',
        'data-group': 'scopes' })).map((wrapper) => { const box = wrapper.querySelector('input'); box.value = box.name.slice(6); return wrapper; }),
      h('p', { class: 'field-error', 'data-error-for': 'scopes' })),
    field({ label: 'Expires at (optional)', name: 'expires_at', type: 'datetime-local' }),
  ], 'Create API key', async (values) => {
    const body = { name: values.name, scopes: values.scopes };
    if (values.expires_at) body.expires_at = new Date(values.expires_at).toISOString();
    const created = await post('/auth/api-keys', body);
    shown.replaceChildren(h('p', { class: 'notice' }, 'Copy this key now: it is shown only once.'),
      h('div', { class: 'copy-row' }, h('code', { class: 'secret', id: 'new-api-key' }, created.key), copyButton(created.key, 'Copy key')));
    keyList.replaceChildren(await keysTable());
  });
  const keysTable = async (list) => {
    const current = list || await get('/auth/api-keys');
    return table('API keys', ['Name', 'Prefix', 'Scopes', 'Created', 'Last used', 'State', ''], current.map((key) => [
      key.name, h('code', {}, key.prefix), key.scopes.join(', ').toLowerCase(), when(key.created_at), when(key.last_used_at),
      key.revoked_at ? badge('revoked') : badge('active'),
      key.revoked_at ? '' : action('Revoke', async () => {
        await del('/auth/api-keys/' + key.id);
        report('The key ' + key.name + ' was revoked.', 'ok');
        keyList.replaceChildren(await keysTable());
      }, { kind: 'danger', ariaLabel: 'Revoke ' + key.name, confirm: 'Revoke the key ' + key.name + '? Programs using it stop working.' }),
    ]), 'No API keys yet.');
  };
  const keyList = h('div', {}, await keysTable(keys));
  const registrationState = h('p', {}, 'Registration is ', h('strong', { id: 'registration-state' }, registration.open ? 'open' : 'closed'), '.');
  return h('div', {},
    h('h1', {}, 'Settings'),
    section('Your account', h('dl', { class: 'facts' }, h('dt', {}, 'Email'), h('dd', {}, session.user.email),
      h('dt', {}, 'Role'), h('dd', {}, String(session.user.role).toLowerCase()))),
    section('Registration', registrationState, admin ? action(registration.open ? 'Close registration' : 'Open registration', async () => {
      await put('/auth/registration', { open: !registration.open });
      context.rerender();
    }) : h('p', { class: 'hint' }, 'Only an administrator can change this.')),
    h('section', { class: 'card', 'aria-labelledby': 'keys-title' }, h('h2', { id: 'keys-title' }, 'API keys'), keyForm, shown, keyList));
}

