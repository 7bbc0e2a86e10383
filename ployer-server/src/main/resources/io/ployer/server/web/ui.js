// Small DOM helpers: every text goes in as a text node, never as HTML.
import { ApiError } from './api.js';

let sequence = 0;
export const uid = (prefix) => prefix + '-' + (++sequence);

export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A labelled form control with its hint and the place for the API's message about it. */
export function field(options) {
  const { label, name, type = 'text', value, hint, choices, required, rows, ...rest } = options;
  const id = uid('f-' + name.replace(/[^a-z0-9]/gi, '-'));
  const errorId = id + '-error';
  const hintId = hint ? id + '-hint' : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  let control;
  if (type === 'select') {
    control = h('select', { id, name, 'aria-describedby': describedBy, ...rest },
      choices.map(([choice, text]) => h('option', { value: choice, selected: choice === value }, text)));
  } else if (type === 'textarea') {
    control = h('textarea', { id, name, rows: rows || 4, 'aria-describedby': describedBy, ...rest });
    control.value = value || '';
  } else if (type === 'checkbox') {
    control = h('input', { id, name, type, checked: !!value, 'aria-describedby': describedBy, ...rest });
  } else {
    control = h('input', { id, name, type, value: value === undefined || value === null ? '' : value,
      'aria-describedby': describedBy, 'aria-required': required ? 'true' : null, ...rest });
  }
  const error = h('p', { class: 'field-error', id: errorId, 'data-error-for': name });
  if (type === 'checkbox') {
    return h('div', { class: 'field field-check' }, control, h('label', { for: id }, label),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null, error);
  }
  return h('div', { class: 'field' }, h('label', { for: id }, label, required ? h('span', { class: 'required' }, ' (required)') : null),
    control, hint ? h('p', { class: 'hint', id: hintId }, hint) : null, error);
}

/** The form's values: checkboxes as booleans, numbers as numbers, blank text left out. */
export function values(form) {
  const result = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled) continue;
    if (control.type === 'checkbox') {
      if (control.dataset.group) {
        (result[control.dataset.group] = result[control.dataset.group] || []);
        if (control.checked) result[control.dataset.group].push(control.value);
      } else {
        result[control.name] = control.checked;
      }
    } else if (control.type === 'number') {
      if (control.value.trim() !== '') result[control.name] = Number(control.value);
    } else if (control.value.trim() !== '' && control.tagName !== 'BUTTON') {
      result[control.name] = control.value.trim();
    }
  }
  return result;
}

export function clearErrors(form) {
  for (const message of form.querySelectorAll('.field-error, .form-error')) message.textContent = '';
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

/** Puts the API's message next to the field it names, or above the buttons when it names none here. */
export function showError(form, failure) {
  const message = failure instanceof ApiError || (failure && failure.message) ? failure.message : String(failure);
  const field = failure && failure.field;
  const slot = field ? form.querySelector('[data-error-for="' + CSS.escape(field) + '"]') : null;
  if (slot) {
    slot.textContent = message;
    const control = form.querySelector('[name="' + CSS.escape(field) + '"]');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    }
    return;
  }
  let general = form.querySelector('.form-error');
  if (!general) {
    general = h('p', { class: 'form-error', role: 'alert' });
    form.append(general);
  }
  general.textContent = (field ? field + ': ' : '') + message;
}

/** A form whose submit calls onSubmit(values, form); API errors land next to their fields. */
export function form(attributes, children, submitLabel, onSubmit) {
  const button = h('button', { type: 'submit', class: 'button primary' }, submitLabel);
  const element = h('form', { novalidate: true, ...attributes }, children, h('div', { class: 'actions' }, button));
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(element);
    button.disabled = true;
    try {
      await onSubmit(values(element), element);
    } catch (failure) {
      showError(element, failure);
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

/** A button that runs an action and shows its failure in the given (or its own) status line. */
export function action(label, run, options = {}) {
  const button = h('button', { type: 'button', class: 'button ' + (options.kind || ''), 'aria-label': options.ariaLabel }, label);
  button.addEventListener('click', async () => {
    if (options.confirm && !window.confirm(options.confirm)) return;
    button.disabled = true;
    try {
      await run(button);
    } catch (failure) {
      report(failure.message || String(failure));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** The page's status line (a live region), for outcomes that belong to no field. */
export function report(message, kind = 'error') {
  const line = document.getElementById('page-status');
  if (!line) return;
  line.className = 'page-status ' + kind;
  line.textContent = message;
}

export function badge(status) {
  const value = String(status || 'unknown').toLowerCase();
  return h('span', { class: 'badge badge-' + value.replace(/[^a-z_]/g, '') }, value.replace(/_/g, ' '));
}

export function when(instant) {
  if (!instant) return '—';
  const date = new Date(instant);
  return h('time', { datetime: instant, title: date.toISOString() }, date.toLocaleString());
}

export function duration(from, to) {
  if (!from) return '—';
  const seconds = Math.max(0, Math.round(((to ? new Date(to) : new Date()) - new Date(from)) / 1000));
  return seconds < 60 ? seconds + ' s' : Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
}

export function table(caption, headers, rows, empty) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', {}, h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell)))))));
}

export function copyButton(text, label) {
  return action(label || 'Copy', async (button) => {
    await navigator.clipboard.writeText(typeof text === 'function' ? text() : text);
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = label || 'Copy'; }, 1500);
  });
}

export function section(title, ...children) {
  const id = uid('s');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), children);
}
