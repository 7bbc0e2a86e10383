// One application's pages (overview with deploys and history, environment, domains, health
// check, webhook, settings) and a deployment's live page.
import { session, get, post, put, del, openStream, ApiError } from './api.js';
import { h, append, field, form, action, report, badge, when, duration, table, copyButton, section } from './ui.js';
import { STRATEGIES } from './pages.js';

const TERMINAL = ['RUNNING', 'FAILED', 'CANCELLED', 'SUPERSEDED'];
const STEPS = [['CLONING', 'Clone'], ['BUILDING', 'Build'], ['STARTING', 'Start'], ['HEALTH_CHECKING', 'Health'], ['SWITCHING', 'Switch']];
const TABS = [['', 'Overview'], ['/env', 'Environment'], ['/domains', 'Domains'], ['/health', 'Health check'], ['/webhook', 'Webhook'], ['/monitoring', 'Monitoring'], ['/settings', 'Settings']];

function frame(app, tab, ...content) {
  const here = '#/apps/' + app.id;
  return h('div', {},
    h('p', { class: 'crumbs' }, h('a', { href: '#/apps' }, 'Applications'), ' / ', app.name),
    h('div', { class: 'title-row' }, h('h1', {}, app.name), badge(app.status)),
    h('nav', { class: 'tabs', 'aria-label': 'Application' }, TABS.map(([suffix, label]) =>
      h('a', { href: here + suffix, 'aria-current': suffix === tab ? 'page' : null }, label))),
    content);
}

async function deploy(app) {
  const started = await post('/applications/' + app.id + '/deploy', {});
  location.hash = '#/deployments/' + started.id;
}

export async function overview(context, id) {
  const [app, deployments] = await Promise.all([get('/applications/' + id), get('/deployments?app_id=' + encodeURIComponent(id) + '&limit=50')]);
  let key = null;
  try { key = await get('/applications/' + id + '/deploy-key'); } catch (none) { key = null; }
  const [services, previews] = await Promise.all([get('/applications/' + id + '/services').catch(() => []),
    get('/applications/' + id + '/previews').catch(() => [])]);
  const lifecycle = (verb) => action(verb === 'stop' ? 'Stop' : 'Start', async () => {
    await post('/applications/' + id + '/' + verb);
    await context.rerender();
    report(app.name + (verb === 'stop' ? ' stopped.' : ' started.'), 'ok');
  }, verb === 'stop' ? { confirm: 'Stop ' + app.name + '? It stops serving until started again.' } : {});
  const running = deployments.find((deployment) => deployment.status === 'RUNNING');
  const history = table('Deployment history', ['Status', 'Trigger', 'Commit', 'Started', 'Duration', ''], deployments.map((deployment) => [
    h('a', { href: '#/deployments/' + deployment.id, 'aria-label': 'Deployment ' + deployment.id.slice(0, 8) + ', ' + deployment.status.toLowerCase() }, badge(deployment.status)),
    String(deployment.trigger || '').toLowerCase() + (deployment.rollback_of ? ' (rollback)' : ''),
    deployment.commit_sha ? h('span', { title: deployment.commit_message || '' }, h('code', {}, deployment.commit_sha.slice(0, 8)), ' ',
      (deployment.commit_message || '').split('\n')[0].slice(0, 60)) : '—',
    when(deployment.started_at || deployment.created_at),
    duration(deployment.started_at || deployment.created_at, deployment.finished_at),
    deployment.image_ref && deployment !== running && deployment.status !== 'FAILED' && TERMINAL.includes(deployment.status)
      ? action('Roll back', async () => {
        const rollback = await post('/deployments/' + deployment.id + '/rollback', {});
        location.hash = '#/deployments/' + rollback.id;
      }, { ariaLabel: 'Roll back to deployment ' + deployment.id.slice(0, 8) }) : '',
  ]), 'No deployments yet: press Deploy.');
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, 'Repository'), h('dd', {}, app.git_url ? h('code', {}, app.git_url) : '—'),
    h('dt', {}, 'Branch'), h('dd', {}, app.branch || '—'),
    h('dt', {}, 'Build strategy'), h('dd', {}, app.build_strategy),
    h('dt', {}, 'Port'), h('dd', {}, String(app.port)),
    h('dt', {}, 'Serving'), h('dd', {}, running ? h('a', { href: '#/deployments/' + running.id }, running.endpoint || running.id.slice(0, 8)) : 'nothing yet'));
  context.every(5000, async () => {
    const fresh = await get('/deployments?app_id=' + encodeURIComponent(id) + '&limit=1').catch(() => null);
    if (fresh && fresh[0] && deployments[0] && (fresh[0].id !== deployments[0].id || fresh[0].status !== deployments[0].status) && context.current()) context.rerender();
  });
  return frame(app, '',
    h('div', { class: 'actions' }, action('Deploy', () => deploy(app), { kind: 'primary' }), lifecycle(app.status === 'STOPPED' ? 'start' : 'stop')),
    section('Application', facts),
    services.some((service) => service.service) ? section('Services', table('Services', ['Service', 'State', 'Image', 'Endpoint', 'Restarts'],
      services.map((service) => [h('span', {}, service.service || app.name, service.routed ? ' (routed)' : ''), badge(service.state || (service.running ? 'running' : 'stopped')),
        h('code', {}, service.image || '—'), service.endpoint || '—', String(service.restarts) + (service.oom_killed ? ' (out of memory)' : '')]), 'No services running.')) : null,
    section('Previews', table('Preview deployments', ['Pull request', 'Branch', 'Status', 'URL', 'Last activity', ''], previews.map((preview) => [
      '#' + preview.number + ' ' + (preview.title || ''), h('code', {}, preview.head_branch || '—'), badge(preview.status),
      preview.url ? h('a', { href: preview.url, rel: 'noopener' }, preview.url) : '—', when(preview.last_activity_at),
      action('Remove', async () => { await del('/applications/' + id + '/previews/' + preview.number); await context.rerender(); },
        { kind: 'danger', ariaLabel: 'Remove preview ' + preview.number, confirm: 'Remove the preview of pull request #' + preview.number + '?' }),
    ]), 'No previews: they appear when a pull request arrives and previews are on.')),
    key ? section('Deploy key', h('p', {}, 'Add this public key to the repository as a read-only deploy key so Ployer can clone it over SSH.'),
      h('label', { for: 'deploy-key' }, 'Public key (' + String(key.algorithm).toLowerCase() + ', ' + key.fingerprint + ')'),
      h('textarea', { id: 'deploy-key', readonly: true, rows: 3 }, key.public_key), copyButton(key.public_key, 'Copy deploy key')) : null,
    section('Deployments', history));
}

export async function environment(context, id) {
  const app = await get('/applications/' + id);
  const list = h('div', {});
  const revealed = new Map();
  const draw = async () => {
    const vars = await get('/applications/' + id + '/envs');
    list.replaceChildren(table('Environment variables', ['Key', 'Value', 'Build-time', ''], vars.map((variable) => {
      const value = h('code', { class: 'secret' }, revealed.has(variable.key) ? revealed.get(variable.key) : '••••••••');
      return [h('code', {}, variable.key), value, variable.build_time ? 'yes' : 'no', h('span', { class: 'row-actions' },
        action(revealed.has(variable.key) ? 'Hide' : 'Reveal', async () => {
          if (revealed.has(variable.key)) revealed.delete(variable.key);
          else {
            const all = await get('/applications/' + id + '/envs?reveal=true');
            const match = all.find((candidate) => candidate.key === variable.key);
            revealed.set(variable.key, match ? match.value : '');
          }
          await draw();
        }, { ariaLabel: (revealed.has(variable.key) ? 'Hide ' : 'Reveal ') + variable.key }),
        action('Delete', async () => { await del('/applications/' + id + '/envs/' + encodeURIComponent(variable.key)); await draw(); },
          { kind: 'danger', ariaLabel: 'Delete ' + variable.key, confirm: 'Delete ' + variable.key + '?' }))];
    }), 'No environment variables yet.'));
  };
  await draw();
  const single = form({ 'aria-labelledby': 'env-add' }, [
    field({ label: 'Key', name: 'key', required: true, autocomplete: 'off' }),
    field({ label: 'Value', name: 'value', type: 'password', autocomplete: 'off' }),
    field({ label: 'Also pass to the build (build-time)', name: 'build_time', type: 'checkbox',
      hint: 'Docker keeps build arguments in the image history: keep real secrets runtime-only.' }),
  ], 'Add variable', async (values, element) => {
    await post('/applications/' + id + '/envs', { key: values.key, value: values.value || '', build_time: values.build_time });
    element.reset();
    report('Saved. A variable reaches the app with its next deployment.', 'ok');
    await draw();
  });
  const bulk = form({ 'aria-labelledby': 'env-bulk' }, [
    field({ label: 'Contents of a .env file', name: 'dotenv', type: 'textarea', rows: 6, hint: 'One KEY=value a line; # comments, blank lines and “export ” are ignored.' }),
  ], 'Import', async (values, element) => {
    const entries = parseDotenv(values.dotenv || '');
    const failures = [];
    for (const entry of entries) {
      try {
        await post('/applications/' + id + '/envs', { key: entry.key, value: entry.value, build_time: false });
      } catch (failure) {
        failures.push('line ' + entry.line + ' (' + entry.key + '): ' + failure.message);
      }
    }
    await draw();
    if (failures.length) throw new ApiError(400, 'INVALID_ARGUMENT', failures.join(' · '), 'dotenv');
    element.reset();
    report(entries.length + ' variables imported.', 'ok');
  });
  return frame(app, '/env',
    section('Variables', list),
    h('section', { class: 'card', 'aria-labelledby': 'env-add' }, h('h2', { id: 'env-add' }, 'Add a variable'), single),
    h('section', { class: 'card', 'aria-labelledby': 'env-bulk' }, h('h2', { id: 'env-bulk' }, 'Paste a .env file'), bulk));
}

export function parseDotenv(text) {
  const entries = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    let line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (line.startsWith('export ')) line = line.slice(7).trim();
    const equals = line.indexOf('=');
    if (equals < 1) {
      entries.push({ line: index + 1, key: line, value: '' });
      return;
    }
    let value = line.slice(equals + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1);
    entries.push({ line: index + 1, key: line.slice(0, equals).trim(), value });
  });
  return entries;
}

/** What the last certificate check found for a domain: a badge (certificate ok, expiring, expired, hostname-mismatch, unreachable) with its sentence and expiry. */
function certificate(check) {
  if (!check) return null;
  const until = check.expires_at ? ' Expires ' + new Date(check.expires_at).toLocaleString() + '.' : '';
  return h('span', { title: check.detail + until }, ' certificate ', badge(check.status === 'ok' ? 'valid' : check.status),
    h('span', { class: 'visually-hidden' }, ' ' + check.detail + until));
}

export async function domains(context, id) {
  const app = await get('/applications/' + id);
  // A Compose application routes each domain to a service of its stack, on a port of that service.
  const compose = app.build_strategy === 'compose';
  const list = h('div', {});
  const draw = async () => {
    const [all, tls] = await Promise.all([get('/applications/' + id + '/domains'), get('/applications/' + id + '/tls').catch(() => [])]);
    const tlsOf = new Map(tls.map((state) => [state.hostname, state]));
    const routes = (domain) => compose ? [domain.service ? h('code', {}, domain.service + (domain.port ? ':' + domain.port : ''))
      : 'primary service' + (domain.port ? ' :' + domain.port : '')] : [];
    list.replaceChildren(table('Domains', ['Domain', ...(compose ? ['Routes to'] : []), 'Primary', 'DNS', 'TLS', 'Kind', ''], all.map((domain) => [
      h('code', {}, domain.hostname), ...routes(domain), domain.primary ? badge('primary') : '—', domain.verified ? badge('verified') : badge('unverified'),
      tlsOf.has(domain.hostname) ? h('span', { title: tlsOf.get(domain.hostname).detail }, badge(tlsOf.get(domain.hostname).state),
        h('span', { class: 'visually-hidden' }, ' ' + tlsOf.get(domain.hostname).detail), certificate(tlsOf.get(domain.hostname).certificate)) : '—',
      domain.auto ? 'automatic' : 'added',
      h('span', { class: 'row-actions' },
        action('Verify DNS', async () => {
          const checked = await post('/applications/' + id + '/domains/' + encodeURIComponent(domain.hostname) + '/verify', {});
          report(checked.verified ? domain.hostname + ' points at this server.' : domain.hostname + ' does not point at this server yet.', checked.verified ? 'ok' : 'error');
          await draw();
        }, { ariaLabel: 'Verify DNS of ' + domain.hostname }),
        domain.primary ? null : action('Make primary', async () => {
          await post('/applications/' + id + '/domains/' + encodeURIComponent(domain.hostname) + '/primary', {}); await draw();
        }, { ariaLabel: 'Make ' + domain.hostname + ' primary' }),
        domain.auto ? null : action('Remove', async () => {
          await del('/applications/' + id + '/domains/' + encodeURIComponent(domain.hostname)); await draw();
        }, { kind: 'danger', ariaLabel: 'Remove ' + domain.hostname, confirm: 'Remove ' + domain.hostname + '?' })),
    ]), 'No domains yet.'));
  };
  await draw();
  return frame(app, '/domains', section('Domains', list),
    h('section', { class: 'card', 'aria-labelledby': 'domain-add' }, h('h2', { id: 'domain-add' }, 'Add a domain'),
      form({ 'aria-labelledby': 'domain-add' }, [field({ label: 'Domain', name: 'domain', required: true, hint: 'e.g. app.example.com; point its DNS at this server.' }),
        ...(compose ? [field({ label: 'Service', name: 'service', hint: 'The Compose service this domain routes to; empty: the primary routed service (the first routed service of the file). Takes effect with the next deployment.' }),
          field({ label: 'Port', name: 'port', type: 'number', min: 1, max: 65535, hint: 'The port of that service; empty: its first expose, else the application\'s port.' })] : [])],
        'Add domain', async (values, element) => { await post('/applications/' + id + '/domains', values); element.reset(); await draw(); })));
}

export async function healthCheck(context, id) {
  const app = await get('/applications/' + id);
  let check = null;
  try { check = await get('/applications/' + id + '/health-check'); } catch (none) { check = null; }
  const seconds = (iso, fallback) => {
    if (!iso) return fallback;
    const match = /PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?/.exec(String(iso));
    return match ? (Number(match[1] || 0) * 3600 + Number(match[2] || 0) * 60 + Math.round(Number(match[3] || 0))) : fallback;
  };
  const results = await get('/applications/' + id + '/health-check/results?limit=20').catch(() => []);
  return frame(app, '/health',
    section('Health check', h('p', {}, check ? 'Deployments gate on this check and the monitor keeps running it.'
      : 'None configured: deployments gate on the default check (GET / on the app’s port answers below 500).'),
    form({ 'aria-label': 'Health check' }, [
      field({ label: 'Path', name: 'path', value: check ? check.path : '/' }),
      field({ label: 'Lowest healthy status', name: 'expected_status_min', type: 'number', value: check ? check.expected_status_min : 200 }),
      field({ label: 'Highest healthy status', name: 'expected_status_max', type: 'number', value: check ? check.expected_status_max : 399 }),
      field({ label: 'Interval (seconds)', name: 'interval_seconds', type: 'number', value: seconds(check && check.interval, 10) }),
      field({ label: 'Timeout (seconds)', name: 'timeout_seconds', type: 'number', value: seconds(check && check.timeout, 5) }),
      field({ label: 'Start period (seconds)', name: 'start_period_seconds', type: 'number', value: seconds(check && check.start_period, 0) }),
      field({ label: 'Enabled', name: 'enabled', type: 'checkbox', value: check ? check.enabled : true }),
    ], 'Save health check', async (values) => {
      await post('/applications/' + id + '/health-check', values);
      report('Health check saved.', 'ok');
    })),
    section('Recent results', table('Health check results', ['When', 'Outcome', 'HTTP status', 'Response time', 'Error'], results.map((result) => [
      when(result.checked_at), badge(result.status), result.status_code ? String(result.status_code) : '—',
      result.response_time_ms + ' ms', result.error || '—',
    ]), 'No results yet.')));
}

export async function webhook(context, id) {
  const app = await get('/applications/' + id);
  let hook = null;
  try { hook = await get('/applications/' + id + '/webhooks'); } catch (none) { hook = null; }
  if (!hook) {
    return frame(app, '/webhook', section('Webhook', h('p', {}, 'Deploy on every push: create a webhook, then add its URL and secret to the forge.'),
      form({ 'aria-label': 'Create a webhook' }, [field({ label: 'Forge', name: 'provider', type: 'select', value: 'github',
        choices: [['github', 'GitHub'], ['gitlab', 'GitLab'], ['gitea', 'Gitea / Forgejo'], ['bitbucket', 'Bitbucket'], ['generic', 'Other (generic)']] })],
      'Create webhook', async (values) => { await post('/applications/' + id + '/webhooks', values); context.rerender(); })));
  }
  const url = location.origin + '/api/v1/webhooks/' + hook.provider + '?app_id=' + encodeURIComponent(id);
  const secret = h('code', { class: 'secret', id: 'webhook-secret' }, '••••••••');
  const deliveries = await get('/applications/' + id + '/webhooks/deliveries?limit=20').catch(() => []);
  return frame(app, '/webhook',
    section('Webhook (' + hook.provider + ')',
      h('p', {}, 'Payload URL'), h('div', { class: 'copy-row' }, h('code', { id: 'webhook-url' }, url), copyButton(url, 'Copy URL')),
      h('p', {}, 'Secret'), h('div', { class: 'copy-row' }, secret,
        action('Reveal', async (button) => { const shown = secret.textContent === hook.secret; secret.textContent = shown ? '••••••••' : hook.secret; button.textContent = shown ? 'Reveal' : 'Hide'; }, { ariaLabel: 'Reveal the webhook secret' }),
        copyButton(hook.secret, 'Copy secret')),
      h('p', {}, 'Deliveries ', h('strong', {}, hook.enabled ? 'deploy' : 'are ignored'), '.'),
      h('div', { class: 'actions' },
        action(hook.enabled ? 'Disable' : 'Enable', async () => { await put('/applications/' + id + '/webhooks', { enabled: !hook.enabled }); context.rerender(); }),
        action('Delete webhook', async () => { await del('/applications/' + id + '/webhooks'); context.rerender(); },
          { kind: 'danger', confirm: 'Delete the webhook? The forge’s deliveries will be refused.' }))),
    section('Recent deliveries', table('Webhook deliveries', ['When', 'Event', 'Outcome', 'Reason'], deliveries.map((delivery) => [
      when(delivery.received_at || delivery.created_at), delivery.event || '—', badge(delivery.status || delivery.outcome), delivery.reason || '—',
    ]), 'No deliveries yet.')));
}

export async function applicationSettings(context, id) {
  const app = await get('/applications/' + id);
  const edit = form({ 'aria-labelledby': 'app-edit' }, [
    field({ label: 'Git repository URL', name: 'git_url', value: app.git_url }),
    field({ label: 'Branch', name: 'branch', value: app.branch }),
    field({ label: 'Build strategy', name: 'build_strategy', type: 'select', value: app.build_strategy, choices: STRATEGIES }),
    field({ label: 'Port the app listens on', name: 'port', type: 'number', value: app.port }),
    field({ label: 'Deploy on push (webhook)', name: 'auto_deploy', type: 'checkbox', value: app.auto_deploy }),
  ], 'Save settings', async (values) => {
    await put('/applications/' + id, values);
    report('Settings saved.', 'ok');
  });
  const remove = form({ 'aria-labelledby': 'app-delete' }, [
    field({ label: 'Type the application’s name to confirm', name: 'confirm_name', autocomplete: 'off' }),
    field({ label: 'Also delete its volumes (its data)', name: 'delete_volumes', type: 'checkbox' }),
  ], 'Delete application', async (values) => {
    if (values.confirm_name !== app.name) throw new ApiError(400, 'INVALID_ARGUMENT', 'Type ' + app.name + ' exactly to delete it.', 'confirm_name');
    await del('/applications/' + id + '?delete_volumes=' + (values.delete_volumes ? 'true' : 'false'));
    location.hash = '#/apps';
  });
  remove.querySelector('button[type=submit]').classList.replace('primary', 'danger');
  return frame(app, '/settings',
    h('section', { class: 'card', 'aria-labelledby': 'app-edit' }, h('h2', { id: 'app-edit' }, 'Settings'), edit),
    h('section', { class: 'card danger-zone', 'aria-labelledby': 'app-delete' }, h('h2', { id: 'app-delete' }, 'Delete the application'),
      h('p', {}, 'Stops and removes its containers, routes, domains and history.'), remove));
}

export async function deployment(context, id) {
  let current = await get('/deployments/' + id);
  const app = await get('/applications/' + current.application_id);
  const seen = new Set();
  let lastStep = -1;
  const log = h('pre', { class: 'log', id: 'deployment-log', tabindex: '0', role: 'log', 'aria-label': 'Deployment log' });
  const follow = h('input', { type: 'checkbox', id: 'follow-log', checked: true });
  const steps = h('ol', { class: 'steps', 'aria-label': 'Progress' });
  const state = h('div', {});
  const live = h('span', { class: 'live', id: 'stream-state' }, 'connecting…');
  const addLine = (line) => {
    if (!line || seen.has(line.sequence)) return;
    seen.add(line.sequence);
    log.append(h('span', { class: 'log-' + (line.stream || 'out') }, line.line + '\n'));
    if (follow.checked) log.scrollTop = log.scrollHeight;
  };
  const draw = () => {
    const status = current.status;
    const index = STEPS.findIndex(([step]) => step === status);
    if (index >= 0) lastStep = index;
    const reached = status === 'RUNNING' || status === 'SUPERSEDED' ? STEPS.length : (index >= 0 ? index : lastStep);
    steps.replaceChildren(...STEPS.map(([step, label], position) => {
      let kind = 'pending';
      if (position < reached) kind = 'done';
      else if (position === reached && index >= 0) kind = 'current';
      else if (position === reached && (status === 'FAILED' || status === 'CANCELLED')) kind = 'failed';
      return h('li', { class: 'step step-' + kind, 'aria-current': kind === 'current' ? 'step' : null },
        h('span', { class: 'visually-hidden' }, kind + ': '), label);
    }));
    state.replaceChildren();
    append(state, [
      h('p', {}, 'Status: ', h('span', { id: 'deployment-status' }, badge(status)), ' · trigger ', String(current.trigger || '').toLowerCase(),
        current.commit_sha ? [' · commit ', h('code', {}, current.commit_sha.slice(0, 8))] : null,
        ' · ', duration(current.started_at || current.created_at, current.finished_at)),
      current.failure_reason ? h('p', { class: 'form-error', role: 'alert', id: 'failure-reason' }, current.failure_reason) : null,
      status === 'RUNNING' && current.endpoint ? h('p', {}, 'Serving from ', h('code', {}, current.endpoint), '.') : null,
      TERMINAL.includes(status) ? null : action('Cancel deployment', async () => { current = await post('/deployments/' + id + '/cancel', {}); draw(); },
        { kind: 'danger', confirm: 'Cancel this deployment? The running version keeps serving.' })]);
  };
  const refresh = async () => {
    current = await get('/deployments/' + id);
    if (context.current()) draw();
  };
  draw();
  const stream = openStream(['deployment:' + id], (message) => {
    if (message.event === 'deployment.log') addLine(message.data.line);
    else if (message.event === 'deployment.status') {
      current = { ...current, status: message.data.to };
      draw();
      refresh().catch(() => {});
    }
  }, (streamState) => {
    live.textContent = streamState === 'live' ? 'live' : 'disconnected';
    if (streamState === 'live') {
      // Whatever was logged before the subscription started, then the status as it is now.
      get('/deployments/' + id + '/logs').then((lines) => lines.forEach(addLine)).catch(() => {});
      refresh().catch(() => {});
    }
  });
  context.onLeave(() => stream.close());
  return h('div', {},
    h('p', { class: 'crumbs' }, h('a', { href: '#/apps' }, 'Applications'), ' / ', h('a', { href: '#/apps/' + app.id }, app.name), ' / deployment'),
    h('h1', {}, 'Deployment ' + id.slice(0, 8) + ' of ' + app.name),
    steps, state,
    h('div', { class: 'log-head' }, h('h2', {}, 'Log ', live), h('div', { class: 'field-check' }, follow, h('label', { for: 'follow-log' }, 'Follow the log'))),
    log);
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

/** A line chart of one series as SVG (no library, no inline style), with a text summary for screen readers. */
function chart(title, samples, value, format) {
  const width = 600;
  const height = 160;
  const points = samples.map((sample) => [new Date(sample.sampled_at).getTime(), value(sample)]);
  const figure = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  if (points.length < 2) {
    figure.append(h('p', { class: 'empty' }, 'Not enough samples yet.'));
    return figure;
  }
  const [firstTime, lastTime] = [points[0][0], points[points.length - 1][0]];
  const highest = Math.max(...points.map(([, y]) => y), 1e-9);
  const line = points.map(([x, y]) => ((x - firstTime) / Math.max(1, lastTime - firstTime) * width).toFixed(1) + ','
    + (height - y / highest * (height - 10)).toFixed(1)).join(' ');
  const latest = points[points.length - 1][1];
  figure.append(svg('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'chart-plot', role: 'img',
    'aria-label': title + ': latest ' + format(latest) + ', highest ' + format(highest) },
  svg('polyline', { points: line, class: 'chart-line' })),
  h('p', { class: 'hint' }, 'Latest ' + format(latest) + ' · highest ' + format(highest) + ' · ' + points.length + ' samples'));
  return figure;
}

export async function monitoring(context, id, range) {
  const app = await get('/applications/' + id);
  const day = range === 'day';
  const to = new Date();
  const from = new Date(to.getTime() - (day ? 24 : 1) * 3600 * 1000);
  const samples = await get('/applications/' + id + '/stats?from=' + from.toISOString() + '&to=' + to.toISOString() + (day ? '&step=600' : ''));
  const results = await get('/applications/' + id + '/health-check/results?limit=60').catch(() => []);
  const megabytes = (bytes) => (bytes / 1048576).toFixed(1) + ' MB';
  const here = '#/apps/' + id + '/monitoring';
  context.every(60000, () => context.current() && context.rerender());
  return frame(app, '/monitoring',
    h('nav', { class: 'actions', 'aria-label': 'Time range' },
      h('a', { href: here, 'aria-current': day ? null : 'page' }, 'Last hour'), h('a', { href: here + '/day', 'aria-current': day ? 'page' : null }, 'Last 24 hours')),
    h('div', { class: 'charts' },
      chart('CPU', samples, (sample) => sample.cpu_percent, (percent) => percent.toFixed(1) + ' %'),
      chart('Memory', samples, (sample) => sample.memory_used_bytes, megabytes),
      chart('Network received', samples, (sample) => sample.network_rx_bytes, megabytes),
      chart('Network sent', samples, (sample) => sample.network_tx_bytes, megabytes)),
    section('Health history', results.length ? h('p', {}, results.filter((result) => result.status === 'HEALTHY').length + ' of ' + results.length
      + ' recent checks healthy; the latest was ', badge(results[0].status), ' ', when(results[0].checked_at), '.') : h('p', { class: 'empty' }, 'No health check results yet.')));
}
