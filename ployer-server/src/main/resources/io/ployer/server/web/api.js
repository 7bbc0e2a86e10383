// The dashboard's only way to the server: the public REST API under /api/v1 and its WebSocket.
// The bearer token lives in sessionStorage (never a cookie), so there is no CSRF surface.
const TOKEN = 'ployer.token';

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const session = {
  user: null,
  get token() { return sessionStorage.getItem(TOKEN); },
  signIn(token, user) { sessionStorage.setItem(TOKEN, token); this.user = user; },
  clear() { sessionStorage.removeItem(TOKEN); this.user = null; },
};

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const token = session.token;
  if (token) headers.Authorization = 'Bearer ' + token;
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch('/api/v1' + path, init);
  } catch (failure) {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached. Check that it is running and try again.', null);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (notJson) { data = null; }
  if (!response.ok) {
    const error = (data && data.error) || {};
    if (response.status === 401 && token) {
      session.clear();
      if (location.hash !== '#/login') location.hash = '#/login';
    }
    throw new ApiError(response.status, error.code || 'HTTP_' + response.status,
      error.message || 'The server answered ' + response.status + '.', error.field || null);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

/**
 * A live stream: authenticates with the session's token (as the first message, never in the URL),
 * then subscribes to the given topics. onEvent gets {topic, event, data}; onState gets 'live' or 'closed'.
 */
export function openStream(topics, onEvent, onState) {
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const socket = new WebSocket(scheme + location.host + '/api/v1/ws');
  let closedOnPurpose = false;
  socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'auth', token: session.token })));
  socket.addEventListener('message', (message) => {
    let data;
    try { data = JSON.parse(message.data); } catch (notJson) { return; }
    if (data.type === 'authenticated') {
      for (const topic of topics) socket.send(JSON.stringify({ type: 'subscribe', topic }));
      if (onState) onState('live');
    } else if (data.type === 'event') {
      onEvent(data);
    }
  });
  socket.addEventListener('close', () => { if (onState && !closedOnPurpose) onState('closed'); });
  return { close() { closedOnPurpose = true; socket.close(); } };
}
