// The router and the page frame. Routes live in the URL's fragment (#/apps/…), so the server
// serves one page and the API stays the only source of data.
import { session, get, post } from './api.js';
import { h, action } from './ui.js';
import { signIn, register, applications, newApplication, settings } from './pages.js';
import { overview, environment, domains, healthCheck, webhook, monitoring, applicationSettings, deployment } from './app-pages.js';
import { databases, database, templates } from './service-pages.js';
import { isAdmin, account, users, projects, project, serverResources, containers, networks, volumes } from './team-pages.js';

const routes = [
  [/^#\/login$/, signIn, true],
  [/^#\/register$/, register, true],
  [/^#\/apps$/, applications],
  [/^#\/apps\/new$/, newApplication],
  [/^#\/apps\/([\w-]+)$/, overview],
  [/^#\/apps\/([\w-]+)\/env$/, environment],
  [/^#\/apps\/([\w-]+)\/domains$/, domains],
  [/^#\/apps\/([\w-]+)\/health$/, healthCheck],
  [/^#\/apps\/([\w-]+)\/webhook$/, webhook],
  [/^#\/apps\/([\w-]+)\/monitoring(?:\/(day))?$/, monitoring],
  [/^#\/apps\/([\w-]+)\/settings$/, applicationSettings],
  [/^#\/deployments\/([\w-]+)$/, deployment],
  [/^#\/databases$/, databases],
  [/^#\/databases\/([\w-]+)$/, database],
  [/^#\/templates$/, templates],
  [/^#\/settings$/, settings],
  [/^#\/account$/, account],
  [/^#\/users$/, users],
  [/^#\/projects$/, projects],
  [/^#\/projects\/([\w-]+)$/, project],
  [/^#\/server$/, serverResources],
  [/^#\/server\/containers$/, containers],
  [/^#\/server\/networks$/, networks],
  [/^#\/server\/volumes$/, volumes],
];

let leaving = [];
let rendering = 0;

function header() {
  const top = document.getElementById('top');
  const signedIn = !!session.user;
  top.replaceChildren(
    h('a', { class: 'brand', href: '#/apps' }, 'Ployer'),
    signedIn ? h('nav', { 'aria-label': 'Main' },
      h('a', { href: '#/apps', 'aria-current': location.hash.startsWith('#/apps') ? 'page' : null }, 'Applications'),
      h('a', { href: '#/projects', 'aria-current': location.hash.startsWith('#/projects') ? 'page' : null }, 'Projects'),
      h('a', { href: '#/databases', 'aria-current': location.hash.startsWith('#/databases') ? 'page' : null }, 'Databases'),
      h('a', { href: '#/templates', 'aria-current': location.hash === '#/templates' ? 'page' : null }, 'Templates'),
      isAdmin() ? h('a', { href: '#/users', 'aria-current': location.hash === '#/users' ? 'page' : null }, 'Users') : null,
      isAdmin() ? h('a', { href: '#/server', 'aria-current': location.hash.startsWith('#/server') ? 'page' : null }, 'Server') : null,
      h('a', { href: '#/settings', 'aria-current': location.hash === '#/settings' ? 'page' : null }, 'Settings'),
      h('a', { href: '#/account', 'aria-current': location.hash === '#/account' ? 'page' : null }, 'Account'),
      h('span', { class: 'who' }, session.user.email),
      action('Sign out', async () => {
        try { await post('/auth/logout'); } finally {
          session.clear();
          location.hash = '#/login';
        }
      }, { kind: 'quiet' })) : '');
}

async function render() {
  const hash = location.hash || '#/apps';
  if (!hash.startsWith('#/')) return; // the skip link's #main
  const ticket = ++rendering;
  for (const stop of leaving) stop();
  leaving = [];
  const route = routes.find(([pattern]) => pattern.test(hash));
  if (!route) {
    location.replace('#/apps');
    return;
  }
  const [pattern, page, isPublic] = route;
  if (!isPublic && !session.token) {
    location.replace('#/login');
    return;
  }
  if (!isPublic && !session.user) {
    try {
      session.user = await get('/auth/me');
    } catch (failure) {
      session.clear();
      location.replace('#/login');
      return;
    }
  }
  header();
  const main = document.getElementById('main');
  const context = {
    onLeave: (stop) => leaving.push(stop),
    every: (millis, run) => { const timer = setInterval(run, millis); leaving.push(() => clearInterval(timer)); },
    rerender: () => render(),
    current: () => ticket === rendering,
  };
  let view;
  try {
    view = await page(context, ...hash.match(pattern).slice(1));
  } catch (failure) {
    view = h('div', {}, h('h1', { tabindex: '-1' }, 'Something went wrong'), h('p', { class: 'form-error', role: 'alert' }, failure.message));
  }
  if (ticket !== rendering) return;
  main.replaceChildren(h('p', { id: 'page-status', class: 'page-status', role: 'status', 'aria-live': 'polite' }), view);
  const heading = main.querySelector('h1');
  document.title = (heading ? heading.textContent + ' · ' : '') + 'Ployer';
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

window.addEventListener('hashchange', render);
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});
render();
