// Pramaan browser UI: sample list, sample detail with result entry, and sample registration.
//
// Plain JavaScript, no framework. The Content-Security-Policy forbids inline scripts, inline
// styles and inline handlers, so every node is built with createElement, every handler is attached
// with addEventListener and every visual state is a CSS class. Text from the server is only ever
// inserted as text (textContent / append(string)), never parsed as HTML.
'use strict';

// ---------------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------------

const PAGE_SIZE = 50;
const HEALTH_INTERVAL_MS = 30000;

// Sample statuses in workflow order; '' means "no filter".
const SAMPLE_STATUSES = [
  { value: '', label: 'All' },
  { value: 'received', label: 'Received' },
  { value: 'in_testing', label: 'In testing' },
  { value: 'under_review', label: 'Under review' },
  { value: 'ready', label: 'Ready' },
  { value: 'issued', label: 'Issued' },
];

// The requirement catalog is not exposed by the API yet, so the codes the service knows today are
// listed here. The server stays authoritative: an unknown code comes back as a field error.
const REQUIREMENTS = [
  { code: 'REACH-XVII-47-CRVI-LEATHER', title: 'Chromium(VI) in leather', limit: '< 3 mg/kg' },
  { code: 'REACH-XVII-61-DMFU', title: 'Dimethyl fumarate (DMFu)', limit: '≤ 0.1 mg/kg' },
  { code: 'REACH-XVII-27-NI-RELEASE', title: 'Nickel release', limit: '≤ 0.5 µg/cm²/week' },
  { code: 'EN20345-2022-SOLE-BOND', title: 'Upper/sole bond strength', limit: '≥ 4.0 N/mm' },
];

const CONDITIONS = [
  { value: 'intact', label: 'Intact' },
  { value: 'damaged', label: 'Damaged' },
  { value: 'insufficient_quantity', label: 'Insufficient quantity' },
];

const QUANTITY_UNITS = ['pairs', 'pieces', 'swatches', 'kg', 'm²'];
const DESTINATIONS = ['DE', 'EU', 'FR', 'IT', 'NL', 'ES', 'GB', 'US', 'AE', 'JP'];

// The API sends ASCII comparators; technicians read the mathematical symbols.
const COMPARATOR_SYMBOLS = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

// ---------------------------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------------------------

// Creates an element. `props` keys: class, text, dataset, on<event> (listener), anything else is
// set as an attribute (true → empty attribute, false/null/undefined → skipped). Children may be
// nodes or strings; strings become text nodes, so data can never turn into markup.
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

// "in_testing" → "In testing"
function humanize(token) {
  const text = String(token || '').replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

// A <time> element showing local time, with the exact RFC 3339 stamp as machine-readable value
// and tooltip, so an auditor can always see what the server recorded.
function timeElement(rfc3339) {
  const date = new Date(rfc3339);
  const label = Number.isNaN(date.getTime()) ? String(rfc3339 || '—') : dateTimeFormat.format(date);
  return h('time', { datetime: rfc3339, title: rfc3339 }, label);
}

// Splits replicate values or sizes typed as "2.9, 3.1" or "2.9 3.1" into strings. The pieces stay
// strings exactly as typed: "3.20" must reach the server as "3.20", never as the number 3.2.
function splitList(text) {
  return String(text).split(/[\s,;]+/).filter((piece) => piece !== '');
}

function limitText(limit) {
  if (!limit) return '—';
  const symbol = COMPARATOR_SYMBOLS[limit.comparator] || limit.comparator;
  return [symbol, limit.value, limit.unit].filter(Boolean).join(' ');
}

function sampleHref(number) {
  return '#/samples/' + encodeURIComponent(number);
}

// ---------------------------------------------------------------------------------------------
// API access
// ---------------------------------------------------------------------------------------------

// A failed request, carrying the problem+json body (or one made up for network failures) so
// callers can show `detail` in the banner and `errors[]` next to fields. `authRequired` marks a
// 401 that already brought up the sign-in screen (nothing more to show); `retryAfter` is the
// Retry-After header in seconds, when the server sent one (429 on repeated failed sign-ins).
class ApiError extends Error {
  constructor(status, problem, { authRequired = false, retryAfter = null } = {}) {
    super(problem.detail || problem.title || 'Request failed');
    this.status = status;
    this.problem = problem;
    this.authRequired = authRequired;
    this.retryAfter = retryAfter;
  }
}

const AUTH_LOGIN = '/api/v1/auth/login';
const AUTH_LOGOUT = '/api/v1/auth/logout';
const AUTH_ME = '/api/v1/auth/me';

function isWrite(method) {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method);
}

// One HTTP exchange. The session cookie (HttpOnly, SameSite=Strict) goes along by itself on a
// same-origin request; browser writes must also name the session's CSRF token in a header.
async function exchange(path, method, body) {
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json, application/problem+json' },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (isWrite(method)) {
    const csrf = readCsrf();
    if (csrf) init.headers['X-CSRF-Token'] = csrf;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, {
      title: 'Server unreachable',
      detail: 'The request did not reach limsd. Check the network connection and try again.',
    });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;  // a proxy error page, for example; handled by the caller like any other failure
  }
  return { response, data };
}

// After a reload sessionStorage may have lost the CSRF token (another tab, a private window);
// the session itself still knows it and hands it to same-origin script on /auth/me.
async function refreshCsrf() {
  try {
    const { response, data } = await exchange(AUTH_ME, 'GET');
    if (!response.ok || !data || typeof data.csrf_token !== 'string' || data.csrf_token === readCsrf()) return false;
    storeCsrf(data.csrf_token);
    return true;
  } catch {
    return false;
  }
}

// What a refused request was trying to do, for "You are not allowed to …".
function describeAction(method, path) {
  if (method === 'POST' && path === '/api/v1/samples') return 'register samples';
  if (method === 'POST' && /^\/api\/v1\/tests\/[^/]+\/results$/.test(path)) return 'enter results';
  if (method === 'GET' && path.startsWith('/api/v1/organizations')) return 'list exporters';
  if (method === 'GET' && path.startsWith('/api/v1/samples')) return 'view samples';
  return isWrite(method) ? 'make this change' : 'view this';
}

// Calls the API. Options:
//   action          words for the 403 banner ("register samples"); guessed from the path if absent
//   onUnauthorized  'signin' (default): a 401 shows the sign-in screen and the error is marked
//                   authRequired so callers stay quiet; 'throw': the caller handles the 401 itself
async function api(path, { method = 'GET', body, action, onUnauthorized = 'signin' } = {}) {
  let { response, data } = await exchange(path, method, body);

  // A write refused for its CSRF header: re-read the session's token once and try again.
  if (response.status === 403 && isWrite(method) && data && /csrf/i.test(String(data.detail || ''))) {
    if (await refreshCsrf()) ({ response, data } = await exchange(path, method, body));
  }

  if (response.ok) return data;

  const problem = data && typeof data === 'object' ? data : {};
  problem.title = problem.title || response.statusText || 'Request failed';
  problem.detail = problem.detail || `The server answered HTTP ${response.status}.`;
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') || '', 10);
  const extra = { retryAfter: Number.isFinite(retryAfter) ? retryAfter : null };

  if (response.status === 401 && onUnauthorized === 'signin') {
    signInRequired(method);
    throw new ApiError(401, problem, { ...extra, authRequired: true });
  }
  if (response.status === 403) {
    // The server's detail says which roles or header were missing; the title says what failed.
    problem.title = `You are not allowed to ${action || describeAction(method, path)}`;
  }
  throw new ApiError(response.status, problem, extra);
}

// ---------------------------------------------------------------------------------------------
// Banner (page-level messages)
// ---------------------------------------------------------------------------------------------

function clearBanner() {
  const banner = document.getElementById('banner');
  banner.hidden = true;
  banner.className = 'banner';
  banner.replaceChildren();
}

// kind: 'error' or 'success'. `extra` lists field errors that have no visible field to sit next
// to, so nothing the server said is ever lost.
function showBanner(kind, title, detail, extra = []) {
  const banner = document.getElementById('banner');
  banner.className = 'banner banner-' + kind;
  banner.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  const body = h('div', { class: 'banner-body' },
    h('strong', { class: 'banner-title' }, title),
    detail ? h('span', { class: 'banner-detail' }, detail) : null);
  if (extra.length > 0) {
    body.append(h('ul', { class: 'banner-list' }, extra.map((e) => h('li', {}, `${e.field}: ${e.reason}`))));
  }
  const close = h('button', { type: 'button', class: 'banner-close', 'aria-label': 'Dismiss message' }, '×');
  close.addEventListener('click', clearBanner);
  banner.replaceChildren(body, close);
  banner.hidden = false;
}

// `unplaced` are field errors with no field on screen (all of them when not given); `placed`
// tells whether some errors were shown next to fields, so the banner can point there.
function showProblem(error, unplaced = null, placed = false) {
  if (error instanceof ApiError && error.authRequired) return;  // the sign-in screen is up instead
  const problem = error instanceof ApiError ? error.problem : { title: 'Unexpected error', detail: String(error) };
  if (unplaced === null) unplaced = Array.isArray(problem.errors) ? problem.errors : [];
  let detail = problem.detail || '';
  if (placed) detail += (detail && !/[.!?]$/.test(detail) ? '. ' : ' ') + 'Check the highlighted fields.';
  showBanner('error', problem.title || 'Error', detail.trim(), unplaced);
  // Bring the message into view: it sits above the form the technician was typing into.
  document.getElementById('banner').scrollIntoView({ block: 'nearest' });
}

// ---------------------------------------------------------------------------------------------
// Form fields and field-level errors
// ---------------------------------------------------------------------------------------------

let fieldSerial = 0;

// A labelled form field. `name` is the API field it feeds; errors for that name (including
// indexed ones such as "values[1]") are shown in this field's error slot.
function field({ name, label, control, hint, optional = false, wide = false }) {
  const id = control.id || `f-${name}-${++fieldSerial}`;
  control.id = id;
  const hintId = id + '-hint';
  const errorId = id + '-error';
  control.setAttribute('aria-describedby', hint ? `${hintId} ${errorId}` : errorId);
  return h('div', { class: 'field' + (wide ? ' field-wide' : ''), dataset: { field: name } },
    h('label', { for: id, class: 'field-label' }, label, optional ? h('span', { class: 'optional' }, ' (optional)') : null),
    control,
    hint ? h('p', { id: hintId, class: 'field-hint' }, hint) : null,
    h('p', { id: errorId, class: 'field-error', hidden: true }));
}

function clearFieldErrors(form) {
  for (const wrapper of form.querySelectorAll('[data-field].has-error')) {
    wrapper.classList.remove('has-error');
    const slot = wrapper.querySelector('.field-error');
    slot.replaceChildren();
    slot.hidden = true;
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

// Puts each problem+json field error next to its field. `describeIndex(base, index)` names the
// element of a list field ("Value 2 (“abc”)") so an error on values[1] is unambiguous. Returns
// the errors that matched no field; the caller shows them in the banner.
function showFieldErrors(form, errors, describeIndex = () => '') {
  const unplaced = [];
  let first = null;
  for (const error of errors || []) {
    const match = /^([A-Za-z_]+)(?:\[(\d+)\])?/.exec(error.field || '');
    const wrapper = match ? form.querySelector(`[data-field="${match[1]}"]`) : null;
    if (!wrapper) {
      unplaced.push(error);
      continue;
    }
    const prefix = match[2] !== undefined ? describeIndex(match[1], Number(match[2])) : '';
    const slot = wrapper.querySelector('.field-error');
    slot.append(h('span', { class: 'field-error-line' }, (prefix ? prefix + ': ' : '') + error.reason));
    slot.hidden = false;
    wrapper.classList.add('has-error');
    const control = wrapper.querySelector('input:not([type="hidden"]), select, textarea');
    if (control) control.setAttribute('aria-invalid', 'true');
    if (!first && control) first = control;
  }
  // Focus after the banner is drawn (next frame) so the field, not the banner, ends up in view.
  if (first) requestAnimationFrame(() => first.focus());
  return unplaced;
}

// Runs an API call for a form: clears old errors, disables the submit button while the request is
// in flight (so a double click cannot register a sample twice), and maps errors back onto fields.
async function submitForm(form, request, describeIndex) {
  const submit = form.querySelector('button[type="submit"]');
  clearFieldErrors(form);
  clearBanner();
  submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    return await request();
  } catch (error) {
    const errors = (error instanceof ApiError && Array.isArray(error.problem.errors)) ? error.problem.errors : [];
    const unplaced = showFieldErrors(form, errors, describeIndex);
    showProblem(error, unplaced, unplaced.length < errors.length);
    return null;
  } finally {
    submit.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------------------------------------
// Badges
// ---------------------------------------------------------------------------------------------

function statusBadge(status) {
  return h('span', { class: `badge badge-status status-${status}` }, humanize(status));
}

// A test's verdict: the result's pass/fail once entered, otherwise the test's own status.
function verdictBadge(test) {
  if (test.result) {
    const verdict = test.result.verdict;
    return h('span', { class: `badge verdict-${verdict}` }, humanize(verdict));
  }
  return h('span', { class: 'badge verdict-pending' }, humanize(test.status || 'pending'));
}

// ---------------------------------------------------------------------------------------------
// Header: lab identity and health
// ---------------------------------------------------------------------------------------------

async function loadVersion() {
  const target = document.getElementById('lab-info');
  try {
    const v = await api('/api/v1/version');
    target.replaceChildren(
      h('span', { class: 'lab-code' }, v.lab),
      h('span', { class: 'lab-version', title: `revision ${v.revision} · API ${v.api}` }, `v${v.version}`));
  } catch {
    target.replaceChildren(h('span', { class: 'lab-version' }, 'version unknown'));
  }
}

async function checkHealth() {
  const dot = document.getElementById('health-dot');
  const text = document.getElementById('health-text');
  let state = 'down';
  let label = 'Server unreachable';
  try {
    const response = await fetch('/health', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (response.ok && body.status === 'ok') {
      state = 'ok';
      label = 'Online';
    } else {
      state = 'degraded';
      label = body.db === 'unreachable' ? 'Database unreachable' : 'Service unavailable';
    }
  } catch {
    // keep "Server unreachable"
  }
  dot.className = 'health-dot health-' + state;
  text.textContent = label;
  document.getElementById('health').title = label;
}

// ---------------------------------------------------------------------------------------------
// Screen 1: sample list
// ---------------------------------------------------------------------------------------------

function sampleRow(sample) {
  const link = h('a', { href: sampleHref(sample.number), class: 'sample-link' }, sample.number);
  const row = h('tr', { class: 'clickable' },
    h('td', { 'data-label': 'Sample' }, link),
    h('td', { 'data-label': 'Received', class: 'nowrap' }, timeElement(sample.received_at)),
    h('td', { 'data-label': 'Exporter' }, sample.exporter ? sample.exporter.name : '—'),
    h('td', { 'data-label': 'Product' },
      h('span', { class: 'cell-main' }, sample.product),
      sample.article ? h('span', { class: 'cell-sub' }, sample.article) : null),
    h('td', { 'data-label': 'Lot', class: 'nowrap' }, sample.lot || '—'),
    h('td', { 'data-label': 'Quantity', class: 'num nowrap' }, `${sample.quantity} ${sample.quantity_unit}`),
    h('td', { 'data-label': 'Destination' }, sample.destination),
    h('td', { 'data-label': 'Status' }, statusBadge(sample.status)));
  // The whole row is a mouse target; the link inside stays the keyboard and screen reader target.
  row.addEventListener('click', (event) => {
    if (event.target.closest('a') || window.getSelection().toString()) return;
    location.hash = sampleHref(sample.number);
  });
  return row;
}

function filterChips(active) {
  return h('div', { class: 'chips', role: 'group', 'aria-label': 'Filter by status' },
    SAMPLE_STATUSES.map((s) => {
      const chip = h('button', { type: 'button', class: 'chip', 'aria-pressed': String(s.value === active) }, s.label);
      // The filter lives in the URL so reload and Back restore it.
      chip.addEventListener('click', () => {
        location.hash = s.value ? `#/samples?status=${encodeURIComponent(s.value)}` : '#/samples';
      });
      return chip;
    }));
}

function renderList(view, status, isCurrent) {
  document.title = 'Samples · Pramaan';
  const tbody = h('tbody');
  const countLine = h('p', { class: 'list-count', 'aria-live': 'polite' }, 'Loading samples…');
  const moreButton = h('button', { type: 'button', class: 'button', hidden: true }, 'Load more');
  const table = h('table', { class: 'data-table samples-table' },
    h('caption', { class: 'visually-hidden' }, 'Samples'),
    h('thead', {}, h('tr', {},
      ['Sample', 'Received', 'Exporter', 'Product', 'Lot', 'Quantity', 'Destination', 'Status'].map((c) =>
        h('th', { scope: 'col', class: c === 'Quantity' ? 'num' : null }, c)))),
    tbody);

  view.append(
    h('div', { class: 'page-head' },
      h('h1', { tabindex: '-1' }, 'Samples'),
      hasRole('technician') ? h('a', { href: '#/new', class: 'button button-primary' }, 'Register sample') : null),
    filterChips(status),
    h('div', { class: 'card table-card' }, h('div', { class: 'table-wrap' }, table)),
    h('div', { class: 'list-foot' }, countLine, moreButton));

  let shown = 0;
  let next = null;
  let loading = false;

  async function loadPage() {
    // A guard flag rather than `disabled`: disabling the focused button would drop keyboard focus.
    if (loading) return;
    loading = true;
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (status) params.set('status', status);
    if (next) params.set('after', next);
    moreButton.setAttribute('aria-disabled', 'true');
    moreButton.textContent = 'Loading…';
    try {
      const page = await api('/api/v1/samples?' + params.toString());
      if (!isCurrent()) return;  // the technician navigated away while this was loading
      const rows = page.items.map(sampleRow);
      tbody.append(...rows);
      shown += rows.length;
      next = page.next;
      if (shown === 0) {
        const label = SAMPLE_STATUSES.find((s) => s.value === status);
        countLine.textContent = status ? `No samples are ${label ? label.label.toLowerCase() : status}.` : 'No samples yet.';
      } else {
        countLine.textContent = `${shown} sample${shown === 1 ? '' : 's'} shown${next ? '' : ', all loaded'}.`;
      }
      // Keep keyboard users in place: if the focused button disappears, continue at the first
      // new row (or the last row, when the final page turned out empty).
      const hadFocus = document.activeElement === moreButton;
      moreButton.hidden = !next;
      if (!next && hadFocus) {
        const target = rows[0] || tbody.lastElementChild;
        if (target) target.querySelector('a').focus();
      }
    } catch (error) {
      if (!isCurrent()) return;
      countLine.textContent = 'The samples could not be loaded.';
      showProblem(error);
    } finally {
      loading = false;
      moreButton.removeAttribute('aria-disabled');
      moreButton.textContent = 'Load more';
    }
  }

  moreButton.addEventListener('click', loadPage);
  loadPage();
}

// ---------------------------------------------------------------------------------------------
// Screen 2: sample detail
// ---------------------------------------------------------------------------------------------

function fact(label, ...value) {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, ...value));
}

function factsList(sample) {
  const condition = [h('span', { class: `condition condition-${sample.condition}` }, humanize(sample.condition))];
  if (sample.condition_note) condition.push(h('span', { class: 'cell-sub' }, sample.condition_note));
  return h('dl', { class: 'facts' },
    fact('Exporter', sample.exporter ? sample.exporter.name : '—'),
    fact('Product', sample.product),
    fact('Article', sample.article || '—'),
    fact('Sizes', sample.sizes && sample.sizes.length ? sample.sizes.join(', ') : '—'),
    fact('Lot', sample.lot || '—'),
    fact('Quantity', `${sample.quantity} ${sample.quantity_unit}`),
    fact('Destination', sample.destination),
    fact('Decision rule', humanize(sample.decision_rule)),
    fact('Condition on receipt', ...condition),
    fact('Storage location', sample.storage_location || '—'),
    fact('Received', timeElement(sample.received_at)));
}

function valuesCell(test) {
  const result = test.result;
  if (!result) return h('span', { class: 'muted' }, 'Not entered');
  const values = h('span', { class: 'values' },
    result.values.map((v) => h('span', { class: 'value' }, v)));
  return h('div', {},
    h('div', { class: 'values-line' }, values, h('span', { class: 'unit' }, result.unit)),
    result.uncertainty !== null && result.uncertainty !== undefined && result.uncertainty !== ''
      ? h('div', { class: 'cell-sub' }, `U = ± ${result.uncertainty} ${result.unit}`)
      : null);
}

function explanationCell(test) {
  const result = test.result;
  if (!result) return h('span', { class: 'muted' }, '—');
  return h('div', {},
    h('p', { class: 'explanation' }, result.explanation),
    result.remarks ? h('p', { class: 'cell-sub' }, 'Remarks: ', result.remarks) : null,
    h('p', { class: 'cell-sub' }, 'Entered ', timeElement(result.entered_at)));
}

// Result entry for one pending test. On success the whole sample is reloaded, because entering a
// result can change the sample's status as well as the test row.
function resultForm(test, onSaved, onCancel) {
  const unit = test.limit ? test.limit.unit : '';
  const valuesInput = h('input', { type: 'text', name: 'values', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', class: 'input-mono' });
  const preview = h('p', { class: 'values-preview', 'aria-live': 'polite' });
  const unitInput = h('input', { type: 'text', name: 'unit', value: unit, autocomplete: 'off', spellcheck: 'false' });
  const uncertaintyInput = h('input', { type: 'text', name: 'uncertainty', inputmode: 'decimal', autocomplete: 'off', class: 'input-mono' });
  const remarksInput = h('input', { type: 'text', name: 'remarks', autocomplete: 'off' });

  // Show how the input will be split, so "2.9 3.1" vs "2.9,3.1" vs "2,9" surprises nobody.
  const updatePreview = () => {
    const values = splitList(valuesInput.value);
    preview.replaceChildren();
    if (values.length === 0) return;
    preview.append(`${values.length} value${values.length === 1 ? '' : 's'}: `,
      ...values.map((v) => h('span', { class: 'value' }, v)));
  };
  valuesInput.addEventListener('input', updatePreview);

  const cancel = h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel');
  cancel.addEventListener('click', onCancel);

  const form = h('form', { class: 'result-form', novalidate: true, 'aria-label': `Enter result: ${test.property}` },
    h('div', { class: 'form-grid form-grid-result' },
      field({ name: 'values', label: 'Replicate values', control: valuesInput, hint: 'Separate with commas or spaces, e.g. 2.9, 3.1', wide: true }),
      field({ name: 'unit', label: 'Unit', control: unitInput }),
      field({ name: 'uncertainty', label: 'Expanded uncertainty (±)', control: uncertaintyInput, optional: true }),
      field({ name: 'remarks', label: 'Remarks', control: remarksInput, optional: true, wide: true })),
    preview,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary' }, 'Save result'),
      cancel,
      h('span', { class: 'form-note' }, `Limit ${limitText(test.limit)}`)));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = splitList(valuesInput.value);
    const body = {
      values,  // strings exactly as typed
      unit: unitInput.value.trim(),
      uncertainty: uncertaintyInput.value.trim() === '' ? null : uncertaintyInput.value.trim(),
      remarks: remarksInput.value,
    };
    const result = await submitForm(form,
      () => api(`/api/v1/tests/${encodeURIComponent(test.id)}/results`, { method: 'POST', body, action: 'enter results' }),
      (base, index) => (base === 'values' && values[index] !== undefined ? `Value ${index + 1} (“${values[index]}”)` : `Item ${index + 1}`));
    if (result) onSaved(result);
  });
  return { form, focus: () => valuesInput.focus() };
}

function testsTable(sample, reload) {
  const tbody = h('tbody');
  for (const test of sample.tests) {
    // Result entry is for technicians only; the server refuses anyone else in any case.
    const pending = !test.result && test.status === 'pending' && hasRole('technician');
    const requirement = h('td', { 'data-label': 'Requirement' },
      h('span', { class: 'cell-main' }, test.property),
      h('span', { class: 'cell-sub' }, `${test.standard}, ${test.clause}`),
      h('span', { class: 'cell-sub' }, 'Method: ', test.method),
      h('span', { class: 'cell-code' }, test.requirement));
    const resultCell = h('td', { 'data-label': 'Values', class: 'values-cell' }, valuesCell(test));
    const row = h('tr', { class: test.result ? `row-${test.result.verdict}` : 'row-pending' },
      requirement,
      h('td', { 'data-label': 'Limit', class: 'nowrap mono' }, limitText(test.limit)),
      resultCell,
      h('td', { 'data-label': 'Verdict' }, verdictBadge(test)),
      h('td', { 'data-label': 'Explanation' }, explanationCell(test)));
    tbody.append(row);

    if (pending) {
      // The entry form lives in its own full-width row under the test, opened on demand so the
      // table stays compact when several tests are pending.
      const formRowId = `entry-${test.id}`;
      const formRow = h('tr', { class: 'entry-row', id: formRowId, hidden: true });
      const toggle = h('button', { type: 'button', class: 'button button-small', 'aria-expanded': 'false', 'aria-controls': formRowId }, 'Enter result');
      const close = () => {
        formRow.hidden = true;
        formRow.replaceChildren();
        toggle.setAttribute('aria-expanded', 'false');
        toggle.textContent = 'Enter result';
        toggle.focus();
      };
      toggle.addEventListener('click', () => {
        if (!formRow.hidden) return close();
        const { form, focus } = resultForm(test, (result) => reload(test, result), close);
        formRow.replaceChildren(h('td', { colspan: '5' }, form));
        formRow.hidden = false;
        toggle.setAttribute('aria-expanded', 'true');
        toggle.textContent = 'Close form';
        focus();
      });
      resultCell.append(h('div', { class: 'entry-toggle' }, toggle));
      tbody.append(formRow);
    }
  }
  return h('table', { class: 'data-table tests-table' },
    h('caption', { class: 'visually-hidden' }, 'Tests and results'),
    h('thead', {}, h('tr', {},
      ['Requirement', 'Limit', 'Values', 'Verdict', 'Explanation'].map((c) => h('th', { scope: 'col' }, c)))),
    tbody);
}

function testSummary(tests) {
  const count = (pred) => tests.filter(pred).length;
  // Conditional verdicts (guarded decision rule) count with the side they fall on.
  const pass = count((t) => t.result && /pass$/.test(t.result.verdict));
  const fail = count((t) => t.result && /fail$/.test(t.result.verdict));
  const open = tests.length - pass - fail;
  const tally = (n, kind) => h('span', { class: `tally ${n > 0 ? 'tally-' + kind : 'tally-zero'}` }, `${n} ${kind}`);
  return h('p', { class: 'section-meta' }, tally(pass, 'pass'), tally(fail, 'fail'), tally(open, 'pending'));
}

function custodyTimeline(events) {
  if (!events || events.length === 0) return h('p', { class: 'muted' }, 'No custody events recorded.');
  return h('ol', { class: 'timeline' }, events.map((e) =>
    h('li', { class: 'timeline-item' },
      h('div', { class: 'timeline-head' },
        h('span', { class: 'timeline-event' }, humanize(e.event)),
        timeElement(e.at)),
      e.location ? h('div', { class: 'cell-sub' }, 'Location: ', e.location) : null,
      e.note ? h('div', { class: 'timeline-note' }, e.note) : null)));
}

function renderSample(view, sample, reload) {
  document.title = `${sample.number} · Pramaan`;
  // The preliminary report is for lab staff; exporters get the issued report, not this one.
  const report = isStaff() ? h('a', {
    href: `/api/v1/samples/${encodeURIComponent(sample.number)}/report.pdf`,
    target: '_blank', rel: 'noopener', class: 'button',
  }, 'Preliminary report (PDF)', h('span', { class: 'visually-hidden' }, ' (opens in a new tab)')) : null;

  view.replaceChildren(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/samples' }, 'Samples'), h('span', { 'aria-hidden': 'true' }, ' / '), sample.number),
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, h('span', { class: 'mono' }, sample.number), ' ', statusBadge(sample.status)),
        h('p', { class: 'subtitle' }, sample.exporter ? sample.exporter.name : '', ' · ', sample.product)),
      report),
    h('section', { class: 'card', 'aria-labelledby': 'facts-h' },
      h('h2', { id: 'facts-h', class: 'visually-hidden' }, 'Sample facts'),
      factsList(sample)),
    h('section', { class: 'card table-card', 'aria-labelledby': 'tests-h' },
      h('div', { class: 'section-head' }, h('h2', { id: 'tests-h', tabindex: '-1' }, 'Tests'), testSummary(sample.tests)),
      sample.tests.length
        ? h('div', { class: 'table-wrap' }, testsTable(sample, reload))
        : h('p', { class: 'muted pad' }, 'No tests requested.')),
    h('section', { class: 'card', 'aria-labelledby': 'custody-h' },
      h('h2', { id: 'custody-h' }, 'Chain of custody'),
      custodyTimeline(sample.custody)));
}

function renderDetail(view, number, isCurrent) {
  document.title = `${number} · Pramaan`;
  view.append(h('p', { class: 'muted loading' }, `Loading ${number}…`));

  // After a result is saved: reload the sample, keep the scroll position, confirm in the banner.
  const reload = async (test, result) => {
    const scroll = window.scrollY;
    await load();
    window.scrollTo(0, scroll);
    // The form that had focus is gone; continue from the tests heading instead of the page top.
    const heading = document.getElementById('tests-h');
    if (heading) heading.focus({ preventScroll: true });
    showBanner('success', `Result saved: ${humanize(result.verdict)}`,
      `${test.property}. ${result.explanation}`);
  };

  async function load() {
    try {
      const sample = await api('/api/v1/samples/' + encodeURIComponent(number));
      if (!isCurrent()) return;
      renderSample(view, sample, reload);
    } catch (error) {
      if (!isCurrent()) return;
      if (error instanceof ApiError && error.status === 404) {
        view.replaceChildren(
          h('div', { class: 'empty' },
            h('h1', { tabindex: '-1' }, 'Sample not found'),
            h('p', {}, `There is no sample ${number}.`),
            h('a', { href: '#/samples', class: 'button' }, 'Back to samples')));
        return;
      }
      view.replaceChildren(h('p', { class: 'muted' }, 'The sample could not be loaded.'));
      showProblem(error);
    }
  }
  return load();
}

// ---------------------------------------------------------------------------------------------
// Screen 3: register sample
// ---------------------------------------------------------------------------------------------

function datalist(id, options) {
  return h('datalist', { id }, options.map((o) => h('option', { value: o })));
}

function exporterSelect(info) {
  const select = h('select', { name: 'exporter', disabled: true }, h('option', { value: '' }, 'Loading exporters…'));
  const organizations = new Map();
  // Show the exporter's registration numbers once chosen, so a wrong pick is caught at intake.
  select.addEventListener('change', () => {
    const org = organizations.get(select.value);
    info.replaceChildren();
    if (!org) return;
    info.append(
      [org.address, org.district].filter(Boolean).join(', '),
      h('br'),
      `IEC ${org.iec || '—'} · GSTIN ${org.gstin || '—'}`,
      org.odop_product ? ` · ODOP: ${org.odop_product}` : '');
  });
  api('/api/v1/organizations').then((body) => {
    const items = [...body.items].sort((a, b) => a.name.localeCompare(b.name));
    for (const org of items) organizations.set(org.id, org);
    select.replaceChildren(h('option', { value: '' }, 'Choose an exporter…'),
      ...items.map((org) => h('option', { value: org.id }, org.district ? `${org.name} (${org.district})` : org.name)));
    select.disabled = false;
  }).catch((error) => {
    select.replaceChildren(h('option', { value: '' }, 'Exporters could not be loaded'));
    showProblem(error);
  });
  return select;
}

function renderRegister(view) {
  document.title = 'Register sample · Pramaan';
  const exporterInfo = h('p', { class: 'field-info', 'aria-live': 'polite' });
  const input = (name, extra = {}) => h('input', { type: 'text', name, autocomplete: 'off', ...extra });

  const conditionNote = h('textarea', { name: 'condition_note', rows: '2' });
  const conditionRadios = h('div', { class: 'radio-row' }, CONDITIONS.map((c) =>
    h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'condition', value: c.value, checked: c.value === 'intact' }),
      h('span', {}, c.label))));

  const requirementBoxes = h('div', { class: 'checklist' }, REQUIREMENTS.map((r) =>
    h('label', { class: 'choice choice-block' },
      h('input', { type: 'checkbox', name: 'requirements', value: r.code }),
      h('span', { class: 'choice-text' },
        h('span', { class: 'cell-main' }, r.title, h('span', { class: 'choice-limit' }, r.limit)),
        h('span', { class: 'cell-code' }, r.code)))));

  const form = h('form', { class: 'register-form', novalidate: true, 'aria-labelledby': 'register-h' },
    h('fieldset', { class: 'card form-section' },
      h('legend', {}, 'Exporter and product'),
      h('div', { class: 'form-grid' },
        field({ name: 'exporter', label: 'Exporter', control: exporterSelect(exporterInfo), wide: true }),
        exporterInfo,
        field({ name: 'product', label: 'Product', control: input('product', { placeholder: 'e.g. Men\'s safety boot, black leather' }), wide: true }),
        field({ name: 'article', label: 'Article / style no.', control: input('article'), optional: true }),
        field({ name: 'lot', label: 'Lot / batch', control: input('lot'), optional: true }),
        field({ name: 'sizes', label: 'Sizes', control: input('sizes', { spellcheck: 'false' }), hint: 'Separate with commas or spaces, e.g. 41, 42', optional: true }))),
    h('fieldset', { class: 'card form-section' },
      h('legend', {}, 'Quantity and destination'),
      h('div', { class: 'form-grid' },
        field({ name: 'quantity', label: 'Quantity received', control: input('quantity', { inputmode: 'numeric', class: 'input-short' }) }),
        field({ name: 'quantity_unit', label: 'Unit', control: input('quantity_unit', { value: 'pairs', list: 'dl-units', class: 'input-short' }) }),
        field({ name: 'destination', label: 'Destination market', control: input('destination', { maxlength: '2', list: 'dl-destinations', class: 'input-short input-upper', spellcheck: 'false' }), hint: 'ISO country code, or EU' }),
        datalist('dl-units', QUANTITY_UNITS),
        datalist('dl-destinations', DESTINATIONS))),
    h('fieldset', { class: 'card form-section' },
      h('legend', {}, 'Receipt'),
      h('div', { class: 'form-grid' },
        h('div', { class: 'field field-wide', dataset: { field: 'condition' }, role: 'radiogroup', 'aria-labelledby': 'condition-label' },
          h('span', { id: 'condition-label', class: 'field-label' }, 'Condition on receipt'),
          conditionRadios,
          h('p', { class: 'field-error', hidden: true })),
        field({ name: 'condition_note', label: 'Condition note', control: conditionNote, hint: 'Required when the sample is damaged or short', wide: true }),
        field({ name: 'storage_location', label: 'Storage location', control: input('storage_location', { placeholder: 'e.g. R2-S4' }), optional: true }))),
    h('fieldset', { class: 'card form-section', dataset: { field: 'requirements' } },
      h('legend', {}, 'Requirements to test'),
      requirementBoxes,
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary' }, 'Register sample'),
      h('a', { href: '#/samples', class: 'button button-quiet' }, 'Cancel')));

  // The note is only mandatory for damaged or short samples; say so where the eye already is.
  form.addEventListener('change', (event) => {
    if (event.target.name !== 'condition') return;
    conditionNote.required = event.target.value !== 'intact';
    form.querySelector('[data-field="condition_note"]').classList.toggle('field-required', conditionNote.required);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (name) => String(data.get(name) || '');
    const sizes = splitList(text('sizes'));
    const requirements = data.getAll('requirements').map(String);
    const quantity = text('quantity').trim();
    const body = {
      exporter: text('exporter') || undefined,  // omitted → the server reports "is required"
      product: text('product').trim(),
      article: text('article').trim(),
      sizes,
      lot: text('lot').trim(),
      // A whole number goes as a JSON number; anything else is sent as typed so the server's
      // message ("must be a whole number") is the one the technician sees.
      quantity: /^\d+$/.test(quantity) ? Number(quantity) : (quantity === '' ? undefined : quantity),
      quantity_unit: text('quantity_unit').trim(),
      destination: text('destination').trim().toUpperCase(),
      condition: text('condition') || 'intact',
      condition_note: text('condition_note').trim(),
      storage_location: text('storage_location').trim(),
      requirements,
    };
    const describe = (base, index) => {
      if (base === 'sizes' && sizes[index] !== undefined) return `Size “${sizes[index]}”`;
      if (base === 'requirements' && requirements[index] !== undefined) return requirements[index];
      return `Item ${index + 1}`;
    };
    const sample = await submitForm(form, () => api('/api/v1/samples', { method: 'POST', body, action: 'register samples' }), describe);
    if (!sample) return;
    // Shown once the detail screen is up (a route change clears the banner).
    const tests = sample.tests.length;
    pendingNotice = {
      title: `Sample ${sample.number} registered`,
      detail: `${tests} test${tests === 1 ? '' : 's'} requested. Label the sample with this number.`,
    };
    location.hash = sampleHref(sample.number);
  });

  view.append(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/samples' }, 'Samples'), h('span', { 'aria-hidden': 'true' }, ' / '), 'Register'),
    h('div', { class: 'page-head' }, h('h1', { id: 'register-h', tabindex: '-1' }, 'Register sample')),
    form);
}

// ---------------------------------------------------------------------------------------------
// Session: who is signed in, the CSRF token, the sign-in screen and sign-out
// ---------------------------------------------------------------------------------------------

const CSRF_KEY = 'pramaan.csrf';
const STAFF_ROLES = ['admin', 'technician', 'reviewer', 'signatory', 'auditor'];

const session = {
  ready: false,          // the first /auth/me answer is in; until then routing waits
  user: null,            // the signed-in user, or null
  roles: [],             // the roles this session carries (session_roles when the server says)
  authDisabled: false,   // an older limsd without sign-in (/auth/me is 404): everything is open
  signInShown: false,
  lastUserId: null,      // who was signed in when the session ended, to keep their screen
  staleView: true,       // the hidden screen missed data while signed out and must be redrawn
};

// sessionStorage can refuse (storage disabled); the in-memory copy still serves this page.
let csrfMemory = '';

function storeCsrf(token) {
  csrfMemory = token || '';
  try {
    if (csrfMemory) sessionStorage.setItem(CSRF_KEY, csrfMemory);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    // keep the in-memory copy
  }
}

function readCsrf() {
  try {
    return sessionStorage.getItem(CSRF_KEY) || csrfMemory;
  } catch {
    return csrfMemory;
  }
}

function hasRole(role) {
  return session.authDisabled || session.roles.includes(role);
}

// Staff may open the preliminary report; exporters (who hold no other role) may not.
function isStaff() {
  return session.authDisabled || session.roles.some((r) => STAFF_ROLES.includes(r));
}

function applyUser(user, csrfToken) {
  session.user = user;
  session.roles = Array.isArray(user.session_roles) ? user.session_roles
    : (Array.isArray(user.roles) ? user.roles : []);
  session.authDisabled = false;
  if (csrfToken) storeCsrf(csrfToken);
  renderUser();
}

function forgetUser() {
  session.user = null;
  session.roles = [];
  storeCsrf('');
  renderUser();
}

// Header: the user's name and roles with "Sign out"; navigation only for a signed-in user, and
// "Register sample" only for technicians (the server refuses everyone else anyway).
function renderUser() {
  const box = document.getElementById('user');
  const signedIn = Boolean(session.user);
  document.getElementById('mainnav').hidden = !signedIn && !session.authDisabled;
  document.getElementById('nav-new').hidden = !hasRole('technician');
  box.hidden = !signedIn;
  if (!signedIn) return;
  const user = session.user;
  const roles = session.roles.map(humanize).join(', ') || 'No roles';
  document.getElementById('user-name').textContent = user.name || user.username;
  document.getElementById('user-roles').textContent = roles;
  box.title = `Signed in as ${user.username} (${roles})`;
}

// Called by api() on any 401: the session is gone (expired, revoked, signed out in another tab).
// The hash route stays as it is, so signing in again returns to the same screen. The screen is
// only hidden: if the same user signs in and nothing had to be loaded meanwhile, whatever they
// were typing is still there.
function signInRequired(method) {
  if (!isWrite(method)) session.staleView = true;
  session.authDisabled = false;
  if (session.signInShown) return;
  const hadUser = Boolean(session.user);
  if (hadUser) session.lastUserId = session.user.id;
  forgetUser();
  showSignIn(hadUser ? { kind: 'info', text: 'Your session has ended. Sign in again to continue.' } : null);
}

function showSignIn(notice = null) {
  session.signInShown = true;
  renderUser();
  clearBanner();
  document.getElementById('view').hidden = true;
  const target = document.getElementById('signin');
  target.replaceChildren(signInForm(notice));
  target.hidden = false;
  document.title = 'Sign in · Pramaan';
  const username = target.querySelector('input[name="username"]');
  if (username) username.focus();
}

function hideSignIn() {
  session.signInShown = false;
  const target = document.getElementById('signin');
  target.hidden = true;
  target.replaceChildren();  // drops the password field and any countdown
  document.getElementById('view').hidden = false;
}

function signInForm(notice) {
  const usernameInput = h('input', {
    type: 'text', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true,
  });
  const passwordInput = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary signin-submit' }, 'Sign in');
  // Messages about the attempt: announced once when they change (not on every countdown tick).
  const message = h('div', { class: 'signin-message', role: 'alert', hidden: true });

  const say = (kind, title, detail = '') => {
    message.className = `signin-message signin-message-${kind}`;
    message.replaceChildren(h('strong', {}, title));
    if (detail) message.append(h('span', {}, ' ', detail));
    message.hidden = false;
  };
  if (notice) say(notice.kind, notice.text);

  const form = h('form', { class: 'card signin-form', novalidate: true, 'aria-labelledby': 'signin-h' },
    h('h1', { id: 'signin-h', tabindex: '-1' }, 'Sign in'),
    h('p', { class: 'muted' }, 'Sign in with your Pramaan account to continue.'),
    message,
    field({ name: 'username', label: 'Username', control: usernameInput }),
    field({ name: 'password', label: 'Password', control: passwordInput }),
    h('div', { class: 'form-actions' }, submit));

  let busy = false;
  let waitTimer = null;
  let waitUntil = 0;

  // After repeated failures the server refuses sign-ins for a while (429 + Retry-After): keep
  // the button off and count down on it, then say once that another try is possible.
  const startWait = (seconds) => {
    clearInterval(waitTimer);
    waitUntil = Date.now() + seconds * 1000;
    submit.disabled = true;
    const tick = () => {
      if (!form.isConnected) {
        clearInterval(waitTimer);
        return;
      }
      const left = Math.ceil((waitUntil - Date.now()) / 1000);
      if (left > 0) {
        submit.textContent = `Wait ${left} s`;
        return;
      }
      clearInterval(waitTimer);
      waitUntil = 0;
      submit.disabled = false;
      submit.textContent = 'Sign in';
      say('info', 'You can try again now.');
    };
    tick();
    waitTimer = setInterval(tick, 1000);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy || Date.now() < waitUntil) return;
    clearFieldErrors(form);
    message.hidden = true;
    const username = usernameInput.value.trim();
    const password = passwordInput.value;
    const missing = [];
    if (!username) missing.push({ field: 'username', reason: 'Enter your username.' });
    if (!password) missing.push({ field: 'password', reason: 'Enter your password.' });
    if (missing.length > 0) {
      showFieldErrors(form, missing);
      return;
    }

    busy = true;
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    form.setAttribute('aria-busy', 'true');
    let body = null;
    try {
      body = await api(AUTH_LOGIN, { method: 'POST', body: { username, password }, onUnauthorized: 'throw' });
    } catch (error) {
      const problem = error instanceof ApiError ? error.problem : { title: 'Unexpected error', detail: String(error) };
      const status = error instanceof ApiError ? error.status : -1;
      if (status === 401) {
        say('error', 'Wrong username or password.', 'Check both and try again; letter case matters in the password.');
        passwordInput.value = '';
        passwordInput.focus();
      } else if (status === 429) {
        // Retry-After is authoritative; the detail ("try again in N s") is the fallback.
        const fromDetail = /(\d+)\s*s\b/.exec(String(problem.detail || ''));
        const seconds = Math.max(1, error.retryAfter || (fromDetail ? Number(fromDetail[1]) : 30));
        say('error', 'Too many failed sign-in attempts.', `Try again in ${seconds} s.`);
        passwordInput.value = '';
        startWait(seconds);
      } else if (Array.isArray(problem.errors) && problem.errors.length > 0) {
        const unplaced = showFieldErrors(form, problem.errors);
        say('error', problem.title || 'Sign-in failed.',
          [problem.detail, ...unplaced.map((e) => `${e.field}: ${e.reason}`)].filter(Boolean).join(' '));
      } else {
        say('error', problem.title || 'Sign-in failed.', problem.detail || '');
      }
    } finally {
      busy = false;
      form.removeAttribute('aria-busy');
      if (Date.now() >= waitUntil) {
        submit.disabled = false;
        submit.textContent = 'Sign in';
      }
    }
    if (body) signedIn(body);
  });

  return h('div', { class: 'signin-wrap' }, form);
}

function signedIn(body) {
  const user = body.user || {};
  applyUser(user, body.csrf_token);
  hideSignIn();
  const view = document.getElementById('view');
  const keep = !session.staleView && session.lastUserId !== null && session.lastUserId === user.id && view.hasChildNodes();
  session.lastUserId = null;
  session.staleView = false;
  firstRoute = false;  // the sign-in form had focus; the next screen's heading takes it over
  if (keep) {
    // The same person, mid-task: their screen (and anything typed into it) is still there.
    showBanner('success', 'Signed in again', 'Nothing on this screen was lost. If you were saving something, save it again.');
    const heading = view.querySelector('h1');
    if (heading) heading.focus({ preventScroll: true });
    return;
  }
  route();
}

async function signOut() {
  const button = document.getElementById('signout');
  button.disabled = true;
  try {
    await api(AUTH_LOGOUT, { method: 'POST', action: 'sign out', onUnauthorized: 'throw' });
  } catch (error) {
    // 401: the session had already ended, which is what was asked for.
    if (!(error instanceof ApiError && error.status === 401)) {
      showProblem(error);
      document.getElementById('banner').scrollIntoView({ block: 'nearest' });
      button.disabled = false;
      return;
    }
  }
  button.disabled = false;
  ++navigation;  // anything still loading belongs to the user who left
  forgetUser();
  session.lastUserId = null;
  session.staleView = true;
  document.getElementById('view').replaceChildren();
  // The next person starts from the sample list, not from the previous user's last screen.
  history.replaceState(null, '', '#/samples');
  showSignIn({ kind: 'success', text: 'You have signed out.' });
}

// First question on load: is there a session already (the cookie survives a reload)?
async function checkSession() {
  const view = document.getElementById('view');
  view.replaceChildren(h('p', { class: 'muted loading' }, 'Checking sign-in…'));
  try {
    const me = await api(AUTH_ME, { onUnauthorized: 'throw' });
    applyUser(me, me.csrf_token);
  } catch (error) {
    const status = error instanceof ApiError ? error.status : -1;
    if (status === 401) {
      storeCsrf('');  // a token left from an ended session is of no use
    } else if (status === 404) {
      session.authDisabled = true;  // a limsd from before sign-in existed
    } else {
      const retry = h('button', { type: 'button', class: 'button' }, 'Try again');
      retry.addEventListener('click', checkSession);
      view.replaceChildren(h('div', { class: 'empty' },
        h('h1', { tabindex: '-1' }, 'Sign-in could not be checked'),
        h('p', {}, error instanceof ApiError ? error.problem.detail : String(error)),
        retry));
      return;
    }
  }
  view.replaceChildren();
  session.ready = true;
  session.staleView = false;
  renderUser();
  route();
}

function renderNotAllowed(view, action, detail) {
  view.append(h('div', { class: 'empty' },
    h('h1', { tabindex: '-1' }, 'Not allowed'),
    h('p', {}, detail),
    h('a', { href: '#/samples', class: 'button' }, 'Go to samples')));
  showBanner('error', `You are not allowed to ${action}`, detail);
}

// ---------------------------------------------------------------------------------------------
// Routing (URL hash: #/samples, #/samples?status=…, #/samples/<number>, #/new)
// ---------------------------------------------------------------------------------------------

let navigation = 0;        // increases on every route change; stale async work checks it
let pendingNotice = null;  // a success message to show once the next screen is on display
let firstRoute = true;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  let parts;
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    parts = ['invalid'];
  }
  return { parts, params: new URLSearchParams(query) };
}

function setActiveNav(section) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function route() {
  const token = ++navigation;
  const isCurrent = () => token === navigation;
  const { parts, params } = parseHash();
  const view = document.getElementById('view');
  if (!session.ready) return;  // checkSession() routes once it knows who is signed in
  if (!session.user && !session.authDisabled) {
    // Signed out: the hash stays, so signing in lands on the screen that was asked for.
    session.staleView = true;
    view.replaceChildren();
    if (!session.signInShown) showSignIn();
    return;
  }
  clearBanner();
  view.replaceChildren();

  let work = null;
  if (parts.length === 0 || (parts[0] === 'samples' && parts.length === 1)) {
    if (parts.length === 0) history.replaceState(null, '', '#/samples');
    setActiveNav('samples');
    renderList(view, params.get('status') || '', isCurrent);
  } else if (parts[0] === 'samples' && parts.length === 2) {
    setActiveNav('samples');
    work = renderDetail(view, parts[1], isCurrent);
  } else if (parts[0] === 'new' && parts.length === 1) {
    setActiveNav('new');
    if (hasRole('technician')) renderRegister(view);
    else renderNotAllowed(view, 'register samples', 'Registering samples needs the technician role.');
  } else {
    setActiveNav('');
    document.title = 'Not found · Pramaan';
    view.append(h('div', { class: 'empty' },
      h('h1', { tabindex: '-1' }, 'Page not found'),
      h('a', { href: '#/samples', class: 'button' }, 'Go to samples')));
  }

  await work;
  if (!isCurrent()) return;
  if (pendingNotice) {
    showBanner('success', pendingNotice.title, pendingNotice.detail);
    pendingNotice = null;
  }
  // Move focus to the new heading so screen readers announce the screen (not on first load,
  // where the browser's own focus handling is expected).
  if (!firstRoute) {
    const heading = view.querySelector('h1');
    if (heading) heading.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  firstRoute = false;
}

function start() {
  window.addEventListener('hashchange', route);
  document.getElementById('signout').addEventListener('click', signOut);
  checkSession();
  loadVersion();
  checkHealth();
  setInterval(checkHealth, HEALTH_INTERVAL_MS);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) checkHealth();
  });
}

start();
