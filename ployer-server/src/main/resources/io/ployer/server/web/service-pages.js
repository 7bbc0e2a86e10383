// Databases (list, create, one database with its backups and links) and the templates catalogue.
import { get, post } from './api.js';
import { h, field, form, action, report, badge, when, table, section } from './ui.js';

const ENGINES = [['postgresql', 'PostgreSQL'], ['mysql', 'MySQL'], ['mariadb', 'MariaDB'], ['redis', 'Redis'], ['mongodb', 'MongoDB']];
const lower = (value) => String(value || '').toLowerCase();

/** The projects the caller sees, as choices (the API decides which they may create in). */
async function projectChoices() {
  const projects = await get('/projects').catch(() => []);
  return projects.length ? projects.map((project) => [project.id, project.name]) : [['default', 'Default']];
}

export async function databases() {
  const [list, choices] = await Promise.all([get('/databases'), projectChoices()]);
  return h('div', {},
    h('h1', {}, 'Databases'),
    table('Databases', ['Name', 'Engine', 'Status', 'Project', 'Created'], list.map((database) => [
      h('a', { href: '#/databases/' + database.id }, database.name),
      lower(database.engine) + ' ' + database.version, badge(database.status), h('code', {}, database.project_id), when(database.created_at),
    ]), 'No databases yet. Create the first one below.'),
    section('New database', form({ 'aria-label': 'New database' }, [
      field({ label: 'Name', name: 'name', required: true, hint: 'Lower-case letters, digits and hyphens; linked apps reach it by this host name.' }),
      field({ label: 'Engine', name: 'engine', type: 'select', value: 'postgresql', choices: ENGINES }),
      field({ label: 'Version', name: 'version', hint: 'The image tag; left empty, the engine’s default.' }),
      field({ label: 'Project', name: 'project_id', type: 'select', value: choices[0][0], choices }),
    ], 'Create database', async (values) => {
      const made = await post('/databases', values);
      location.hash = '#/databases/' + made.id;
    })));
}

export async function database(context, id) {
  const [found, backups, apps] = await Promise.all([get('/databases/' + id), get('/databases/' + id + '/backups').catch(() => []),
    get('/applications?limit=500').catch(() => [])]);
  const run = (verb) => action(verb[0].toUpperCase() + verb.slice(1), async () => {
    await post('/databases/' + id + '/' + verb);
    await context.rerender();
    report(found.name + ': ' + verb + ' done.', 'ok');
  });
  const endpoint = found.public_endpoint;
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, 'Engine'), h('dd', {}, lower(found.engine) + ' ' + found.version),
    h('dt', {}, 'Host and port'), h('dd', {}, h('code', {}, found.name + ':' + found.port)),
    h('dt', {}, 'User'), h('dd', {}, found.username || '—'),
    h('dt', {}, 'Database'), h('dd', {}, found.database_name || '—'),
    h('dt', {}, 'Project'), h('dd', {}, h('a', { href: '#/projects/' + found.project_id }, found.project_id)),
    h('dt', {}, 'Published'), h('dd', {}, endpoint ? h('code', {}, endpoint.host + ':' + endpoint.port) : 'no'),
    h('dt', {}, 'Backup schedule'), h('dd', {}, found.backup && found.backup.schedule ? h('code', {}, found.backup.schedule) : 'on demand'));
  const mates = apps.filter((app) => !app.project_id || app.project_id === found.project_id);
  return h('div', {},
    h('p', { class: 'crumbs' }, h('a', { href: '#/databases' }, 'Databases'), ' / ', found.name),
    h('div', { class: 'title-row' }, h('h1', {}, found.name), badge(found.status)),
    h('div', { class: 'actions' }, run(found.status === 'STOPPED' ? 'start' : 'stop'), run('restart')),
    section('Database', facts),
    section('Backups', h('div', { class: 'actions' }, action('Back up now', async () => {
      await post('/databases/' + id + '/backups', {});
      await context.rerender();
      report('Backup recorded.', 'ok');
    }, { kind: 'primary' })),
    table('Backups', ['Started', 'Status', 'Size', 'Destination', 'Reason'], backups.map((backup) => [
      when(backup.started_at), badge(backup.status), backup.size_bytes ? Math.ceil(backup.size_bytes / 1024) + ' KiB' : '—',
      backup.destination_id || '—', backup.reason || '']), 'No backups yet.')),
    section('Link to an application', h('p', {}, 'At its next deployment the application joins the database’s network and gets PREFIX_URL, _HOST, _PORT, _USER, _PASSWORD and _NAME.'),
      mates.length ? form({ 'aria-label': 'Link to an application' }, [
        field({ label: 'Application', name: 'application', type: 'select', value: mates[0].id, choices: mates.map((app) => [app.id, app.name]) }),
        field({ label: 'Variable prefix', name: 'env_prefix', value: 'DATABASE' }),
      ], 'Link', async (values) => {
        await post('/applications/' + values.application + '/links', { database_id: id, env_prefix: values.env_prefix });
        report('Linked. The variables reach the application with its next deployment.', 'ok');
      }) : h('p', { class: 'empty' }, 'No application in this project to link.')));
}

export async function templates() {
  const [list, choices] = await Promise.all([get('/templates'), projectChoices()]);
  return h('div', {},
    h('h1', {}, 'Templates'),
    list.length ? h('ul', { class: 'cards', 'aria-label': 'Templates' }, list.map((template) => h('li', { class: 'card' },
      h('h2', { id: 'tpl-' + template.name }, template.title || template.name),
      h('p', {}, template.description || ''),
      h('p', { class: 'hint' }, 'Services: ', (template.services || []).map((service) => service.name + ' (' + (service.engine || service.kind || '').toLowerCase() + ')').join(', ')),
      form({ 'aria-labelledby': 'tpl-' + template.name }, [
        field({ label: 'Name', name: 'name', required: true, value: template.name, hint: 'Prefix of what is created: service web of blog becomes blog-web.' }),
        field({ label: 'Project', name: 'project_id', type: 'select', value: choices[0][0], choices }),
      ], 'Create from ' + (template.title || template.name), async (values) => {
        const made = await post('/templates/' + encodeURIComponent(template.name) + '/instantiate', values);
        report('Created ' + [...(made.databases || []), ...(made.applications || [])].map((item) => item.name).join(', ') + '.', 'ok');
      })))) : h('p', { class: 'empty' }, 'No templates on this server.'));
}
