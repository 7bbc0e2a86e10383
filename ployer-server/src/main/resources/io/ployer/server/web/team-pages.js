// Your account's second factor, the instance's users, projects with their members and roles, and
// the host's resources, containers, networks and volumes (admins). Only the public REST API.
import { session, get, post, put, del } from './api.js';
import { h, field, form, action, report, badge, when, table, copyButton, section } from './ui.js';

export const isAdmin = () => !!session.user && (session.user.role === 'ADMIN' || session.user.role === 'OWNER');
const isOwner = () => !!session.user && session.user.role === 'OWNER';
const lower = (value) => String(value || '').toLowerCase();

export async function account(context) {
  const status = await get('/auth/totp');
  const place = h('div', { 'aria-live': 'polite' });
  let content;
  if (status.enabled) {
    content = [
      h('p', {}, 'Two-factor sign-in is ', h('strong', { id: 'totp-state' }, 'on'), '. Unused recovery codes: ',
        h('strong', {}, String(status.recovery_codes_left)), '.'),
      form({ 'aria-labelledby': 'totp-off' }, [
        h('h3', { id: 'totp-off' }, 'Turn it off'),
        field({ label: 'Current code from your authenticator', name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric' }),
        field({ label: 'Or your password', name: 'password', type: 'password', autocomplete: 'current-password' }),
      ], 'Turn off two-factor sign-in', async (values) => {
        await post('/auth/totp/disable', values);
        await context.rerender();
        report('Two-factor sign-in is off.', 'ok');
      }),
    ];
  } else {
    const start = action('Set up two-factor sign-in', async () => {
      const enrolment = await post('/auth/totp');
      place.replaceChildren(
        h('p', {}, 'Add this account to your authenticator app: open the link below on the phone, or type the secret.'),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Secret'), h('dd', {}, h('code', { id: 'totp-secret', class: 'secret' }, enrolment.secret), ' ', copyButton(enrolment.secret, 'Copy secret')),
          h('dt', {}, 'Link'), h('dd', {}, h('a', { id: 'totp-uri', href: enrolment.uri }, enrolment.uri))),
        form({ 'aria-labelledby': 'totp-confirm' }, [
          h('h3', { id: 'totp-confirm' }, 'Confirm with a code'),
          field({ label: 'Six-digit code', name: 'code', required: true, autocomplete: 'one-time-code', inputmode: 'numeric',
            hint: 'The code your authenticator shows now; it turns two-factor sign-in on.' }),
        ], 'Turn on', async (values) => {
          const answer = await post('/auth/totp/confirm', values);
          start.remove();
          const state = document.getElementById('totp-state');
          if (state) state.textContent = 'on';
          place.replaceChildren(
            h('p', { class: 'notice' }, 'Two-factor sign-in is on. Keep these recovery codes somewhere safe: each signs you in once ',
              'if the authenticator is lost, and they are shown only now.'),
            h('ol', { id: 'recovery-codes', class: 'codes' }, answer.recovery_codes.map((code) => h('li', {}, h('code', {}, code)))),
            copyButton(answer.recovery_codes.join('\n'), 'Copy recovery codes'));
          report('Two-factor sign-in is on.', 'ok');
        }));
    });
    content = [
      h('p', {}, 'Two-factor sign-in is ', h('strong', { id: 'totp-state' }, status.pending ? 'being set up' : 'off'),
        status.required ? ' — this server requires it: set it up to continue.' : '.'),
      start, place,
    ];
  }
  return h('div', {}, h('h1', {}, 'Your account'),
    section('Account', h('dl', { class: 'facts' }, h('dt', {}, 'Email'), h('dd', {}, session.user.email),
      h('dt', {}, 'Role'), h('dd', {}, lower(session.user.role)))),
    section('Two-factor sign-in', content));
}

export async function users(context) {
  if (!isAdmin()) return h('div', {}, h('h1', {}, 'Users'), h('p', {}, 'Only an administrator can see the users.'));
  const list = await get('/auth/users');
  const rows = list.map((user) => {
    const self = user.id === session.user.id;
    const cells = [user.email, badge(lower(user.role)), when(user.created_at)];
    const buttons = [];
    if (isOwner() && !self && user.role !== 'OWNER') {
      const id = 'role-' + user.id;
      const select = h('select', { id, name: 'role' }, [['admin', 'Admin'], ['user', 'User']].map(([value, text]) =>
        h('option', { value, selected: lower(user.role) === value }, text)));
      buttons.push(h('label', { class: 'visually-hidden', for: id }, 'Instance role of ' + user.email), select,
        action('Save role', async () => {
          await put('/auth/users/' + user.id + '/role', { role: select.value });
          await context.rerender();
          report(user.email + ' is now ' + select.value + '.', 'ok');
        }, { ariaLabel: 'Save role of ' + user.email }),
        action('Make owner', async () => {
          const owner = await post('/auth/owner', { user_id: user.id });
          session.user = await get('/auth/me');
          await context.rerender();
          report(owner.email + ' now owns this instance.', 'ok');
        }, { ariaLabel: 'Make owner: ' + user.email, confirm: 'Hand ownership of this instance to ' + user.email + '? You stay an admin.' }));
    }
    if (!self && user.role !== 'OWNER' && (isOwner() || user.role === 'USER')) {
      buttons.push(action('Remove', async () => {
        await del('/auth/users/' + user.id);
        await context.rerender();
        report(user.email + ' was removed.', 'ok');
      }, { kind: 'danger', ariaLabel: 'Remove ' + user.email, confirm: 'Remove ' + user.email + '? Their sessions, keys and memberships go too.' }));
    }
    cells.push(h('span', { class: 'row-actions' }, buttons));
    return cells;
  });
  return h('div', {}, h('h1', {}, 'Users'),
    h('p', { class: 'hint' }, isOwner() ? 'As the owner you make and unmake admins and can hand ownership over.'
      : 'Only the owner makes or unmakes admins; admins remove users.'),
    table('Users', ['Email', 'Role', 'Created', ''], rows, 'No users.'));
}

export async function projects() {
  const list = await get('/projects');
  const create = isAdmin() ? h('section', { class: 'card', 'aria-labelledby': 'project-new' }, h('h2', { id: 'project-new' }, 'New project'),
    form({ 'aria-labelledby': 'project-new' }, [
      field({ label: 'Id', name: 'id', required: true, hint: 'Lower-case letters, digits and hyphens.' }),
      field({ label: 'Name', name: 'name' }),
    ], 'Create project', async (values) => { const made = await post('/projects', values); location.hash = '#/projects/' + made.id; })) : null;
  return h('div', {}, h('h1', {}, 'Projects'),
    table('Projects', ['Project', 'Id', 'Created'], list.map((project) => [
      h('a', { href: '#/projects/' + project.id }, project.name), h('code', {}, project.id), when(project.created_at)]), 'No projects you can see.'),
    create);
}

const ROLES = [['admin', 'Admin'], ['developer', 'Developer'], ['viewer', 'Viewer']];

export async function project(context, id) {
  const [found, members, environments] = await Promise.all([get('/projects/' + id), get('/projects/' + id + '/members'),
    get('/projects/' + id + '/environments')]);
  const mine = members.find((member) => member.user_id === session.user.id);
  const manages = isAdmin() || (mine && mine.role === 'ADMIN');
  const memberRows = members.map((member) => {
    const selectId = 'member-role-' + member.user_id;
    const select = h('select', { id: selectId, name: 'member-role' }, ROLES.map(([value, text]) =>
      h('option', { value, selected: lower(member.role) === value }, text)));
    return [member.email || member.user_id, manages ? h('span', { class: 'row-actions' },
      h('label', { class: 'visually-hidden', for: selectId }, 'Role of ' + (member.email || member.user_id)), select,
      action('Save', async () => {
        await put('/projects/' + id + '/members/' + member.user_id, { role: select.value });
        await context.rerender();
        report((member.email || member.user_id) + ' is now ' + select.value + ' in ' + found.name + '.', 'ok');
      }, { ariaLabel: 'Save role of ' + (member.email || member.user_id) })) : badge(lower(member.role)),
    when(member.added_at),
    manages ? action('Remove', async () => {
      await del('/projects/' + id + '/members/' + member.user_id);
      await context.rerender();
      report((member.email || member.user_id) + ' left ' + found.name + '.', 'ok');
    }, { kind: 'danger', ariaLabel: 'Remove ' + (member.email || member.user_id), confirm: 'Remove ' + (member.email || member.user_id) + ' from ' + found.name + '?' }) : ''];
  });
  const parts = [
    h('p', { class: 'crumbs' }, h('a', { href: '#/projects' }, 'Projects'), ' / ', found.name),
    h('h1', {}, found.name),
    section('Members', table('Members', ['Member', 'Role', 'Since', ''], memberRows, 'No members yet: instance admins reach every project.')),
  ];
  if (manages) {
    let people = [];
    if (isAdmin()) { try { people = await get('/auth/users'); } catch (ignored) { people = []; } }
    const candidates = people.filter((user) => !members.some((member) => member.user_id === user.id));
    if (candidates.length) {
      parts.push(h('section', { class: 'card', 'aria-labelledby': 'member-add' }, h('h2', { id: 'member-add' }, 'Add a member'),
        form({ 'aria-labelledby': 'member-add' }, [
          field({ label: 'User', name: 'user_id', type: 'select', choices: candidates.map((user) => [user.id, user.email]) }),
          field({ label: 'Role', name: 'role', type: 'select', value: 'developer', choices: ROLES }),
        ], 'Add member', async (values) => {
          await put('/projects/' + id + '/members/' + values.user_id, { role: values.role });
          context.rerender();
        })));
    }
    const shown = h('div', { 'aria-live': 'polite' });
    parts.push(h('section', { class: 'card', 'aria-labelledby': 'invite' }, h('h2', { id: 'invite' }, 'Invite someone'),
      form({ 'aria-labelledby': 'invite' }, [
        field({ label: 'Role', name: 'role', type: 'select', value: 'developer', choices: ROLES }),
      ], 'Create invitation', async (values) => {
        const made = await post('/projects/' + id + '/invitations', values);
        shown.replaceChildren(h('p', { class: 'notice' }, 'Send this single-use token to the person you invite; it is shown only now and expires ',
          when(made.expires_at), '.'), h('div', { class: 'copy-row' }, h('code', { class: 'secret' }, made.token), copyButton(made.token, 'Copy token')));
      }), shown));
  }
  const canWrite = manages || (mine && mine.role === 'DEVELOPER');
  const placed = await Promise.all(environments.map((environment) =>
    get('/projects/' + id + '/environments/' + environment.name + '/applications').catch(() => [])));
  const apps = canWrite ? (await get('/applications?limit=500')).filter((app) => app.project_id === id) : [];
  const nameOf = (appId) => (apps.find((app) => app.id === appId) || { name: appId.slice(0, 8) }).name;
  const envRows = environments.map((environment, index) => [environment.name,
    placed[index].length ? placed[index].map((placement) => h('span', { class: 'placed' }, h('a', { href: '#/apps/' + placement.application_id },
      nameOf(placement.application_id)), placement.source_application_id ? ' (shares ' + nameOf(placement.source_application_id) + ')' : '')) : '—',
    when(environment.created_at),
    manages && environment.name !== 'production' && !placed[index].length ? action('Delete', async () => {
      await del('/projects/' + id + '/environments/' + environment.name);
      await context.rerender();
      report('The environment ' + environment.name + ' was deleted.', 'ok');
    }, { kind: 'danger', ariaLabel: 'Delete environment ' + environment.name, confirm: 'Delete the environment ' + environment.name + '?' }) : '']);
  parts.push(section('Environments', table('Environments', ['Environment', 'Applications', 'Created', ''], envRows, 'No environments.'),
    manages ? form({ 'aria-label': 'New environment' }, [
      field({ label: 'New environment', name: 'name', required: true, hint: 'e.g. staging: lower-case letters, digits and hyphens.' }),
    ], 'Add environment', async (values) => {
      await post('/projects/' + id + '/environments', values);
      await context.rerender();
      report('The environment ' + values.name + ' was added.', 'ok');
    }) : null));
  if (canWrite && apps.length && environments.length > 1) {
    parts.push(h('section', { class: 'card', 'aria-labelledby': 'counterpart' }, h('h2', { id: 'counterpart' }, 'An application in another environment'),
      h('p', { class: 'hint' }, 'The new application shares the source’s repository, build and git credentials; its branch, environment variables and domains are its own.'),
      form({ 'aria-labelledby': 'counterpart' }, [
        field({ label: 'Source application', name: 'source_application_id', type: 'select', choices: apps.map((app) => [app.id, app.name]) }),
        field({ label: 'Environment', name: 'environment', type: 'select', value: environments.find((e) => e.name !== 'production').name,
          choices: environments.map((environment) => [environment.name, environment.name]) }),
        field({ label: 'Name of the new application', name: 'name', required: true }),
        field({ label: 'Branch', name: 'branch', hint: 'Leave empty for the source’s branch.' }),
      ], 'Create in environment', async (values) => {
        const { environment, ...body } = values;
        const created = await post('/projects/' + id + '/environments/' + environment + '/applications', body);
        location.hash = '#/apps/' + created.id;
      })));
  }
  return h('div', {}, parts);
}

const bytes = (value) => {
  if (value === null || value === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let amount = value;
  let unit = 0;
  while (amount >= 1024 && unit < units.length - 1) { amount /= 1024; unit++; }
  return amount.toFixed(unit ? 1 : 0) + ' ' + units[unit];
};

const ADMIN_TABS = [['#/server', 'Resources'], ['#/server/containers', 'Containers'], ['#/server/networks', 'Networks'], ['#/server/volumes', 'Volumes']];

function adminFrame(here, ...content) {
  return h('div', {}, h('h1', {}, 'Server'),
    h('nav', { class: 'tabs', 'aria-label': 'Server' }, ADMIN_TABS.map(([href, label]) =>
      h('a', { href, 'aria-current': href === here ? 'page' : null }, label))), content);
}

const adminOnly = () => h('div', {}, h('h1', {}, 'Server'), h('p', {}, 'Only an administrator can see the server.'));

export async function serverResources() {
  if (!isAdmin()) return adminOnly();
  const servers = await get('/servers');
  const cards = await Promise.all(servers.map(async (server) => {
    let facts;
    try {
      const r = await get('/servers/' + server.id + '/resources');
      const memoryShare = r.memory_total_bytes ? Math.round(100 * r.memory_used_bytes / r.memory_total_bytes) : 0;
      const diskShare = r.disk_total_bytes ? Math.round(100 * (r.disk_total_bytes - r.disk_free_bytes) / r.disk_total_bytes) : 0;
      facts = h('dl', { class: 'facts' },
        h('dt', {}, 'Status'), h('dd', {}, badge(server.status)),
        h('dt', {}, 'CPU'), h('dd', {}, r.cpu_cores + ' cores' + (r.cpu_model ? ' · ' + r.cpu_model : '') + ' · load ' + Number(r.load_average).toFixed(2)),
        h('dt', {}, 'Memory'), h('dd', {}, bytes(r.memory_used_bytes) + ' of ' + bytes(r.memory_total_bytes) + ' (' + memoryShare + ' %)',
          h('meter', { min: 0, max: 100, value: memoryShare, 'aria-label': 'Memory used, percent' })),
        h('dt', {}, 'Disk'), h('dd', {}, bytes(r.disk_total_bytes - r.disk_free_bytes) + ' of ' + bytes(r.disk_total_bytes) + ' (' + diskShare + ' %)',
          h('meter', { min: 0, max: 100, value: diskShare, 'aria-label': 'Disk used, percent' })),
        h('dt', {}, 'Up'), h('dd', {}, Math.floor(r.uptime_seconds / 3600) + ' h'));
    } catch (failure) {
      facts = h('p', { class: 'form-error' }, failure.message);
    }
    return section(server.name + (server.host ? ' (' + server.host + ')' : ''), facts);
  }));
  return adminFrame('#/server', cards.length ? cards : h('p', { class: 'empty' }, 'No servers.'));
}

export async function containers() {
  if (!isAdmin()) return adminOnly();
  const list = await get('/containers?all=true');
  return adminFrame('#/server/containers', table('Containers', ['Name', 'Image', 'State', 'Started', 'Restarts'], list.map((container) => [
    container.name, h('code', {}, container.image), badge(container.running ? 'running' : container.state),
    when(container.started_at), String(container.restarts)]), 'No containers.'));
}

export async function networks() {
  if (!isAdmin()) return adminOnly();
  const list = await get('/networks');
  return adminFrame('#/server/networks', table('Networks', ['Name', 'Driver', 'Id'], list.map((network) => [
    network.name, network.driver || '—', h('code', {}, String(network.id).slice(0, 12))]), 'No networks.'));
}

export async function volumes() {
  if (!isAdmin()) return adminOnly();
  const list = await get('/volumes');
  return adminFrame('#/server/volumes', table('Volumes', ['Name', 'Driver'], list.map((volume) => [
    h('code', {}, volume.name), volume.driver || '—']), 'No volumes.'));
}
