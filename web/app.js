// Pramaan browser UI: the lab's day at a terminal. Samples (list, detail with tests, reviews,
// history, portions, labels and chain of custody), sample registration, the technician's worklist,
// a test's page with result entry and review, exporters (organizations), the audit trail and
// certificates (list, downloads, batch issue, revocation and amendment).
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

const DECISION_RULES = [
  { value: 'simple', label: 'Simple acceptance (measured value against the limit)' },
  { value: 'guarded', label: 'Guarded acceptance (w = U): conditional verdicts near the limit' },
];

// A test's states (docs/workflow.md): what each means to the person at the terminal.
const TEST_STATUSES = {
  pending: { label: 'Pending', hint: 'Waiting for a result' },
  entered: { label: 'Entered', hint: 'Result entered, waiting for review' },
  approved: { label: 'Approved', hint: 'Result reviewed and approved' },
  rejected: { label: 'Rejected', hint: 'Review rejected the result: enter a corrected one' },
  invalidated: { label: 'Invalidated', hint: 'Replaced by a retest; kept as history' },
};

// Chain-of-custody events a technician can record ("received" is written by intake). `needs`
// lists the fields each kind asks for; the server checks the same rules and names what is missing.
const CUSTODY_EVENTS = [
  { value: 'moved', label: 'Moved', needs: ['location'] },
  { value: 'handed_to_test', label: 'Handed to test', needs: ['test'] },
  { value: 'split', label: 'Split off a portion', needs: [] },
  { value: 'returned', label: 'Returned to storage', needs: ['location'] },
  { value: 'retained', label: 'Retained', needs: ['location', 'retain_until'] },
  { value: 'consumed', label: 'Consumed', needs: ['note'] },
  { value: 'disposed', label: 'Disposed', needs: ['note'] },
];

const WORKLIST_ASSIGNEES = [
  { value: '', label: 'Anyone' },
  { value: 'me', label: 'Me' },
  { value: 'none', label: 'Unassigned' },
];

// Entities the audit trail records changes of.
const AUDIT_ENTITIES = ['sample', 'test', 'organization', 'user', 'api_token', 'certificate', 'instrument'];

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
  const symbol = COMPARATOR_SYMBOLS[limit.comparator];
  // Ranges and "no failure" limits have no single value: the server's own wording says them.
  if (!symbol || limit.value === undefined) return limit.display || [limit.comparator, limit.unit].filter(Boolean).join(' ');
  return [symbol, limit.value, limit.unit].filter(Boolean).join(' ');
}

function sampleHref(number) {
  return '#/samples/' + encodeURIComponent(number);
}

function testHref(id) {
  return '#/tests/' + encodeURIComponent(id);
}

// Today as YYYY-MM-DD in the terminal's own time zone (what "overdue" means to the person there).
function todayDate() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function present(value) {
  return value !== null && value !== undefined && value !== '';
}

// The ETag a record's version is sent as ("\"7\""), for If-Match on the next write.
function etagOfVersion(version) {
  return present(version) ? `"${version}"` : null;
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
async function exchange(path, method, body, headers = {}) {
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json, application/problem+json', ...headers },
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
  if (method === 'POST' && /^\/api\/v1\/tests\/[^/]+\/review$/.test(path)) return 'review results';
  if (method === 'POST' && /^\/api\/v1\/tests\/[^/]+\/retest$/.test(path)) return 'order retests';
  if (method === 'POST' && /^\/api\/v1\/tests\/[^/]+\/claim$/.test(path)) return 'claim tests';
  if (method === 'POST' && /\/custody$/.test(path)) return 'record custody events';
  if (method === 'POST' && path === '/api/v1/organizations') return 'register exporters';
  if (method === 'GET' && path.startsWith('/api/v1/organizations')) return 'list exporters';
  if (method === 'GET' && path.startsWith('/api/v1/worklist')) return 'see the worklist';
  if (method === 'GET' && path.startsWith('/api/v1/audit')) return 'read the audit trail';
  if (method === 'GET' && path.startsWith('/api/v1/rejections/report')) return 'download the signed rejection report';
  if (method === 'GET' && path.startsWith('/api/v1/rejections')) return 'read the rejection history';
  if (method === 'GET' && path.startsWith('/api/v1/tests')) return 'view tests';
  if (method === 'POST' && (path === '/api/v1/certificates/batch' || /\/certificate$/.test(path))) return 'issue certificates';
  if (method === 'POST' && /^\/api\/v1\/certificates\/[^/]+\/revoke$/.test(path)) return 'revoke certificates';
  if (method === 'POST' && /^\/api\/v1\/certificates\/[^/]+\/amend$/.test(path)) return 'amend certificates';
  if (method === 'GET' && path.startsWith('/api/v1/certificates')) return 'view certificates';
  if (method === 'GET' && path.startsWith('/api/v1/samples')) return 'view samples';
  return isWrite(method) ? 'make this change' : 'view this';
}

// Calls the API. Options:
//   action          words for the 403 banner ("register samples"); guessed from the path if absent
//   onUnauthorized  'signin' (default): a 401 shows the sign-in screen and the error is marked
//                   authRequired so callers stay quiet; 'throw': the caller handles the 401 itself
//   headers         extra request headers (If-Match, Idempotency-Key)
//   full            resolve to { data, etag, replayed } instead of the body alone
async function api(path, { method = 'GET', body, action, onUnauthorized = 'signin', headers = {}, full = false } = {}) {
  let { response, data } = await exchange(path, method, body, headers);

  // A write refused for its CSRF header: re-read the session's token once and try again.
  if (response.status === 403 && isWrite(method) && data && /csrf/i.test(String(data.detail || ''))) {
    if (await refreshCsrf()) ({ response, data } = await exchange(path, method, body, headers));
  }

  if (response.ok) {
    if (!full) return data;
    return {
      data,
      etag: response.headers.get('ETag'),
      replayed: response.headers.get('Idempotent-Replayed') === 'true',
    };
  }

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
// Safe writes: Idempotency-Key and If-Match
// ---------------------------------------------------------------------------------------------

// Statuses after which nobody knows whether the write happened: the answer was lost on the way.
const ANSWER_LOST = [0, 502, 503, 504];

// A random version-4 UUID. crypto.randomUUID exists only in secure contexts (https, localhost); a
// lab terminal on plain http://limsd:8080 still has crypto.getRandomValues.
function newIdempotencyKey() {
  const cryptoApi = window.crypto;
  if (cryptoApi && typeof cryptoApi.randomUUID === 'function') {
    try {
      return cryptoApi.randomUUID();
    } catch {
      // fall through to getRandomValues
    }
  }
  const bytes = new Uint8Array(16);
  cryptoApi.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The submissions of one form. Every new submission gets a fresh Idempotency-Key; the same key
// goes out again only when the very same request is retried after its answer was lost, so a save
// that did reach the server is recorded once however often the technician presses the button.
class Submission {
  constructor() {
    this.key = null;
    this.fingerprint = null;
  }

  keyFor(fingerprint) {
    if (!this.key || this.fingerprint !== fingerprint) {
      this.key = newIdempotencyKey();
      this.fingerprint = fingerprint;
    }
    return this.key;
  }

  settle(error) {
    if (error instanceof ApiError && ANSWER_LOST.includes(error.status)) return;  // keep it for the retry
    this.key = null;
    this.fingerprint = null;
  }
}

// A write (POST by default) with the safety headers: `ifMatch` is the ETag last read of the record
// being changed, `submission` the form's Submission. Resolves like api(..., { full: true }).
async function write(path, { method = 'POST', body = {}, submission = null, ifMatch = null, action } = {}) {
  const headers = {};
  if (ifMatch) headers['If-Match'] = ifMatch;
  if (submission) {
    headers['Idempotency-Key'] = submission.keyFor(`${method} ${path} ${ifMatch || ''}\n${JSON.stringify(body)}`);
  }
  try {
    const result = await api(path, { method, body, action, headers, full: true });
    if (submission) submission.settle(null);
    return result;
  } catch (error) {
    if (submission) submission.settle(error);
    if (submission && error instanceof ApiError && ANSWER_LOST.includes(error.status)) {
      error.problem.detail = `${error.problem.detail || ''} Saving again is safe: a repeat of the same request is recorded only once.`.trim();
    }
    throw error;
  }
}

// A 409 for a version conflict: someone else changed the record since this screen read it.
function isStale(error) {
  return error instanceof ApiError && error.status === 409
    && /If-Match|changed since you read it|concurrent/i.test(String(error.problem.detail || ''));
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
// to, so nothing the server said is ever lost; `actions` are buttons offered with the message.
function showBanner(kind, title, detail, extra = [], actions = []) {
  const banner = document.getElementById('banner');
  banner.className = 'banner banner-' + kind;
  banner.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  const body = h('div', { class: 'banner-body' },
    h('strong', { class: 'banner-title' }, title),
    detail ? h('span', { class: 'banner-detail' }, detail) : null);
  if (extra.length > 0) {
    body.append(h('ul', { class: 'banner-list' }, extra.map((e) => h('li', {}, `${e.field}: ${e.reason}`))));
  }
  if (actions.length > 0) body.append(h('div', { class: 'banner-actions' }, actions));
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

// A conflict: the record changed since this screen read it (or the move is no longer allowed).
// Nothing was written; the technician reloads, looks again and repeats the change if it still
// applies. `reload` redraws the screen from the server.
function showConflict(error, reload) {
  const problem = error.problem || {};
  const stale = isStale(error);
  const button = h('button', { type: 'button', class: 'button button-small' }, 'Reload now');
  button.addEventListener('click', () => {
    clearBanner();
    reload();
  });
  showBanner('error',
    stale ? 'Someone else changed this first' : (problem.title || 'Conflict'),
    stale
      ? `Nothing was saved. Reload to see the current state, then repeat your change if it still applies. (${problem.detail || 'version conflict'})`
      : `${problem.detail || ''} Reload to see the current state.`.trim(),
    Array.isArray(problem.errors) ? problem.errors : [],
    [button]);
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

// A field's own error slot: the wrapper's direct child, so a group of fields (the replicate
// values) keeps its message apart from those of the fields inside it.
function errorSlot(wrapper) {
  return wrapper.querySelector(':scope > .field-error') || wrapper.querySelector('.field-error');
}

function clearFieldErrors(form) {
  for (const wrapper of form.querySelectorAll('[data-field].has-error')) {
    wrapper.classList.remove('has-error');
    const slot = errorSlot(wrapper);
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
    // An element of a list with its own input (values[1] → the second replicate's field) first,
    // then the list's own field.
    const own = match && match[2] !== undefined ? form.querySelector(`[data-field="${match[1]}[${match[2]}]"]`) : null;
    const wrapper = own || (match ? form.querySelector(`[data-field="${match[1]}"]`) : null);
    if (!wrapper) {
      unplaced.push(error);
      continue;
    }
    const prefix = match[2] !== undefined && !own ? describeIndex(match[1], Number(match[2])) : '';
    const slot = errorSlot(wrapper);
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
// `reload`, when given, is offered on a 409 (the record changed meanwhile) to redraw the screen.
async function submitForm(form, request, describeIndex, { reload = null } = {}) {
  const submit = form.querySelector('button[type="submit"]');
  clearFieldErrors(form);
  clearBanner();
  submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    return await request();
  } catch (error) {
    if (reload && error instanceof ApiError && error.status === 409) {
      showConflict(error, reload);
      return null;
    }
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

// A verdict on its own ("pass", "conditional_fail", …).
function verdictChip(verdict) {
  return h('span', { class: `badge verdict-${verdict}` }, humanize(verdict));
}

// A test's workflow state, with what it means as a tooltip.
function testStatusBadge(status) {
  const known = TEST_STATUSES[status] || { label: humanize(status), hint: '' };
  return h('span', { class: `badge test-status test-${status}`, title: known.hint || null }, known.label);
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
    h('td', { 'data-label': 'Due', class: 'nowrap' }, dueDate(sample.due_date, sample.status === 'issued')),
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
      ['Sample', 'Received', 'Due', 'Exporter', 'Product', 'Lot', 'Quantity', 'Destination', 'Status'].map((c) =>
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
// Screen 2: sample detail (facts, verdict, tests with reviews and history, portions and labels,
// chain of custody)
// ---------------------------------------------------------------------------------------------

function fact(label, ...value) {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, ...value));
}

// A due date, marked (in words, not colour alone) once it has passed on unfinished work.
function dueDate(date, finished = false) {
  if (!date) return h('span', { class: 'muted' }, '—');
  const overdue = !finished && date < todayDate();
  return h('span', { class: overdue ? 'due overdue' : 'due' }, date, overdue ? h('span', { class: 'due-flag' }, ' overdue') : null);
}

function factsList(sample) {
  const condition = [h('span', { class: `condition condition-${sample.condition}` }, humanize(sample.condition))];
  if (sample.condition_note) condition.push(h('span', { class: 'cell-sub' }, sample.condition_note));
  return h('dl', { class: 'facts' },
    fact('Exporter', sample.exporter ? sample.exporter.name : '—'),
    fact('Product', sample.product),
    sample.product_family ? fact('Product family', humanize(sample.product_family)) : null,
    fact('Article', sample.article || '—'),
    fact('Sizes', sample.sizes && sample.sizes.length ? sample.sizes.join(', ') : '—'),
    fact('Lot', sample.lot || '—'),
    fact('Quantity', `${sample.quantity} ${sample.quantity_unit}`),
    fact('Destination', sample.destination),
    fact('Decision rule', sample.decision_rule_text || humanize(sample.decision_rule)),
    fact('Condition on receipt', ...condition),
    fact('Storage location', sample.storage_location || '—'),
    fact('Received', timeElement(sample.received_at)),
    fact('Due', dueDate(sample.due_date, sample.status === 'issued')),
    sample.issued_at ? fact('Issued', timeElement(sample.issued_at)) : null,
    present(sample.turnaround_hours) ? fact('Turnaround', `${sample.turnaround_hours} h`) : null);
}

function valuesLine(result) {
  return h('div', { class: 'values-line' },
    h('span', { class: 'values' }, (result.values || []).map((v) => h('span', { class: 'value' }, v))),
    h('span', { class: 'unit' }, result.unit));
}

function valuesCell(test) {
  const result = test.result;
  if (!result) return h('span', { class: 'muted' }, 'Not entered');
  return h('div', {},
    valuesLine(result),
    present(result.uncertainty) ? h('div', { class: 'cell-sub' }, `U = ± ${result.uncertainty} ${result.unit}`) : null);
}

// Who entered a result, when, on which instrument and under which conditions.
function resultMeta(result) {
  const conditions = [
    present(result.temperature_c) ? `${result.temperature_c} °C` : null,
    present(result.humidity_pct) ? `${result.humidity_pct} % RH` : null,
  ].filter(Boolean).join(', ');
  return h('p', { class: 'cell-sub' },
    'Entered', result.entered_by ? ` by ${result.entered_by}` : '', ' ', timeElement(result.entered_at),
    result.instrument ? ` · instrument ${result.instrument}` : '',
    conditions ? ` · ${conditions}` : '');
}

// Where a test stands in its line of attempts: invalidated (why, and which test repeats it) or a
// repeat of an earlier one.
function lineageNote(test) {
  const lines = [];
  if (test.status === 'invalidated') {
    lines.push(h('p', { class: 'lineage lineage-invalidated' },
      h('strong', {}, 'Invalidated: '), test.invalidation_reason || 'no reason recorded',
      test.replaced_by ? [' · ', h('a', { href: testHref(test.replaced_by) }, `repeated as test ${test.replaced_by}`)] : null));
  }
  if (test.replaces) {
    lines.push(h('p', { class: 'lineage' },
      `Attempt ${test.attempt || 2}, repeating `, h('a', { href: testHref(test.replaces) }, `test ${test.replaces}`)));
  }
  return lines.length ? h('div', { class: 'lineage-box' }, lines) : null;
}

function reviewItem(review) {
  const approved = review.decision === 'approve';
  return h('li', { class: 'history-item' },
    h('div', { class: 'history-head' },
      h('span', { class: `badge ${approved ? 'verdict-pass' : 'verdict-fail'}` }, approved ? 'Approved' : 'Rejected'),
      h('span', {}, ' by ', review.reviewer || '—', ' '),
      timeElement(review.at)),
    review.comment ? h('p', { class: 'history-note' }, review.comment) : null);
}

function earlierResultItem(result) {
  return h('li', { class: 'history-item' },
    h('div', { class: 'history-head' }, valuesLine(result), verdictChip(result.verdict)),
    result.explanation ? h('p', { class: 'cell-sub' }, result.explanation) : null,
    result.remarks ? h('p', { class: 'cell-sub' }, 'Remarks: ', result.remarks) : null,
    resultMeta(result));
}

// Reviews and superseded results of one test, folded away unless asked for (`open`).
function historyDetails(test, { open = false } = {}) {
  const reviews = test.reviews || [];
  const earlier = test.earlier_results || [];
  if (reviews.length === 0 && earlier.length === 0) return null;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const bits = [];
  if (reviews.length) bits.push(plural(reviews.length, 'review'));
  if (earlier.length) bits.push(plural(earlier.length, 'earlier result'));
  return h('details', { class: 'history', open },
    h('summary', {}, 'History: ', bits.join(', ')),
    reviews.length ? [h('h3', { class: 'history-h' }, 'Reviews'), h('ol', { class: 'history-list' }, reviews.map(reviewItem))] : null,
    earlier.length ? [
      h('h3', { class: 'history-h' }, 'Earlier results (superseded, kept)'),
      h('ol', { class: 'history-list' }, earlier.map(earlierResultItem)),
    ] : null);
}

function explanationCell(test) {
  const result = test.result;
  return h('div', {},
    result ? [
      h('p', { class: 'explanation' }, result.explanation),
      result.remarks ? h('p', { class: 'cell-sub' }, 'Remarks: ', result.remarks) : null,
      resultMeta(result),
    ] : h('span', { class: 'muted' }, '—'),
    lineageNote(test),
    historyDetails(test));
}

// pass / fail side of a verdict, for row markers (conditional verdicts fall on their side).
function verdictSide(verdict) {
  if (/pass$/.test(verdict || '')) return 'pass';
  if (/fail$/.test(verdict || '')) return 'fail';
  return 'pending';
}

function isMine(result) {
  return Boolean(result && session.user && result.entered_by === session.user.username);
}

function canEnter(test) {
  return hasRole('technician') && (test.status === 'pending' || test.status === 'rejected');
}

function canReview(test) {
  return hasRole('reviewer') && test.status === 'entered';
}

function canRetest(test, sample) {
  return hasRole('reviewer') && ['entered', 'approved', 'rejected'].includes(test.status)
    && !(sample && sample.status === 'issued');
}

// ----- Result entry, review and retest forms (used on the sample page and the test page) -----

const RECENT_INSTRUMENTS_KEY = 'pramaan.instruments';

// Instruments this terminal used recently for a method: suggestions only, never prefilled.
function recentInstruments(method) {
  try {
    const all = JSON.parse(sessionStorage.getItem(RECENT_INSTRUMENTS_KEY) || '{}');
    return Array.isArray(all[method]) ? all[method].filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function rememberInstrument(method, instrument) {
  if (!instrument) return;
  try {
    const all = JSON.parse(sessionStorage.getItem(RECENT_INSTRUMENTS_KEY) || '{}');
    all[method] = [instrument, ...recentInstruments(method).filter((x) => x !== instrument)].slice(0, 6);
    sessionStorage.setItem(RECENT_INSTRUMENTS_KEY, JSON.stringify(all));
  } catch {
    // suggestions are a convenience
  }
}

// Result entry for one test: one input per specimen (the method's replicate count), the unit
// prefilled from the limit, uncertainty, instrument and conditioning. Values are sent exactly as
// typed. `onSaved(result, response)` gets the evaluated result (verdict and explanation).
function resultForm(test, { onSaved, onCancel = null, reload = null }) {
  const submission = new Submission();
  const serial = ++fieldSerial;
  const specimens = Math.max(1, Number(test.specimens) || 1);
  const text = (name, extra = {}) => h('input', { type: 'text', name, autocomplete: 'off', spellcheck: 'false', ...extra });

  const replicates = h('div', { class: 'replicates' });
  const inputs = [];
  const countNote = h('span', { class: 'field-hint', 'aria-live': 'polite' });
  const updateCount = () => {
    const filled = inputs.filter((i) => i.value.trim() !== '').length;
    countNote.textContent = `${filled} of ${inputs.length} filled`;
  };

  // A list pasted from a spreadsheet or an instrument print-out ("2.9 3.1", "2.9; 3.1", one per
  // line) fills this and the following inputs. A lone comma is left alone: "2,9" is one value
  // typed with a decimal comma, and the server names it.
  const onPaste = (event) => {
    const pasted = event.clipboardData ? event.clipboardData.getData('text') : '';
    const pieces = String(pasted).split(/[\s;]+|,\s+/).filter((p) => p !== '');
    if (pieces.length < 2) return;
    event.preventDefault();
    let index = inputs.indexOf(event.target);
    for (const piece of pieces) {
      const input = inputs[index] || addReplicate();
      input.value = piece;
      index += 1;
    }
    inputs[index - 1].focus();
    updateCount();
  };

  function addReplicate() {
    const index = inputs.length;
    const input = text(`value-${index + 1}`, { inputmode: 'decimal', class: 'input-mono', id: `f-value-${serial}-${index}` });
    input.addEventListener('paste', onPaste);
    input.addEventListener('input', updateCount);
    inputs.push(input);
    replicates.append(field({ name: `values[${index}]`, label: `Specimen ${index + 1}`, control: input }));
    updateCount();
    return input;
  }
  for (let i = 0; i < specimens; i += 1) addReplicate();

  const more = h('button', { type: 'button', class: 'button button-small button-quiet' }, '+ Add a replicate');
  more.addEventListener('click', () => addReplicate().focus());

  const unitInput = text('unit', { value: test.limit ? test.limit.unit : '', class: 'input-short' });
  const uncertaintyInput = text('uncertainty', { inputmode: 'decimal', class: 'input-mono input-short' });
  const instrumentList = `dl-instruments-${serial}`;
  const instrumentInput = text('instrument', { list: instrumentList });
  const temperatureInput = text('temperature_c', { inputmode: 'decimal', class: 'input-mono input-short' });
  const humidityInput = text('humidity_pct', { inputmode: 'decimal', class: 'input-mono input-short' });
  const remarksInput = text('remarks', { spellcheck: 'true' });

  const cancel = onCancel ? h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel') : null;
  if (cancel) cancel.addEventListener('click', onCancel);

  const form = h('form', { class: 'result-form', novalidate: true, 'aria-label': `Enter result: ${test.property}` },
    h('fieldset', { class: 'replicate-set', dataset: { field: 'values' } },
      h('legend', { class: 'field-label' },
        'Replicate values ', h('span', { class: 'optional' }, `(${specimens} specimen${specimens === 1 ? '' : 's'} per the method)`)),
      replicates,
      h('div', { class: 'replicate-tools' }, more, countNote),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'form-grid form-grid-conditions' },
      field({ name: 'unit', label: 'Unit', control: unitInput, hint: test.limit && test.limit.unit ? 'From the limit' : null }),
      field({ name: 'uncertainty', label: 'Expanded uncertainty (±)', control: uncertaintyInput, optional: true }),
      field({ name: 'instrument', label: 'Instrument', control: instrumentInput, optional: true, hint: 'Its id on the instrument label' }),
      field({ name: 'temperature_c', label: 'Temperature (°C)', control: temperatureInput, optional: true }),
      field({ name: 'humidity_pct', label: 'Relative humidity (%)', control: humidityInput, optional: true }),
      field({ name: 'remarks', label: 'Remarks', control: remarksInput, optional: true, wide: true }),
      datalist(instrumentList, recentInstruments(test.method))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary' }, 'Save result'),
      cancel,
      h('span', { class: 'form-note' }, `Limit ${limitText(test.limit)} · ${test.method}`)));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // Blank inputs are skipped; each filled one is told which index it was sent as, so an error
    // on values[i] lands next to the input it came from.
    const values = [];
    for (const input of inputs) {
      const wrapper = input.closest('[data-field]');
      const value = input.value.trim();
      if (value === '') {
        wrapper.dataset.field = 'values-blank';
        continue;
      }
      wrapper.dataset.field = `values[${values.length}]`;
      values.push(value);
    }
    if (values.length === 0) {
      clearFieldErrors(form);
      showFieldErrors(form, [{ field: 'values', reason: 'Enter at least one value.' }]);
      return;
    }
    const trimmed = (input) => input.value.trim();
    const orNull = (input) => (trimmed(input) === '' ? null : trimmed(input));
    const body = {
      values,
      unit: trimmed(unitInput),
      uncertainty: orNull(uncertaintyInput),
      instrument: trimmed(instrumentInput),
      temperature_c: orNull(temperatureInput),
      humidity_pct: orNull(humidityInput),
      remarks: trimmed(remarksInput),
    };
    const saved = await submitForm(form,
      () => write(`/api/v1/tests/${encodeURIComponent(test.id)}/results`, {
        body, submission, ifMatch: etagOfVersion(test.version), action: 'enter results',
      }),
      (base, index) => (base === 'values' && values[index] !== undefined ? `Value ${index + 1} (“${values[index]}”)` : `Item ${index + 1}`),
      { reload });
    if (!saved) return;
    rememberInstrument(test.method, body.instrument);
    onSaved(saved.data, saved);
  });
  return { form, focus: () => inputs[0].focus() };
}

// Four-eyes review of an entered result: approve, or reject with a comment (the comment is also
// the audit trail's reason). The server refuses the person who entered the result.
function reviewForm(test, { onSaved, onCancel = null, reload = null }) {
  const submission = new Submission();
  const serial = ++fieldSerial;
  const comment = h('textarea', { name: 'comment', rows: '2', id: `f-comment-${serial}` });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Approve result');
  const radios = h('div', { class: 'radio-row' }, [
    { value: 'approve', label: 'Approve' },
    { value: 'reject', label: 'Reject: the technician must enter a corrected result' },
  ].map((d) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: `decision-${serial}`, value: d.value, checked: d.value === 'approve' }),
    h('span', {}, d.label))));
  const cancel = onCancel ? h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel') : null;
  if (cancel) cancel.addEventListener('click', onCancel);

  const form = h('form', { class: 'result-form', novalidate: true, 'aria-label': `Review result: ${test.property}` },
    h('div', { class: 'field', dataset: { field: 'decision' }, role: 'radiogroup', 'aria-labelledby': `decision-label-${serial}` },
      h('span', { id: `decision-label-${serial}`, class: 'field-label' }, 'Decision'),
      radios,
      h('p', { class: 'field-error', hidden: true })),
    field({ name: 'comment', label: 'Comment', control: comment, hint: 'Required when rejecting: say what is wrong.', wide: true }),
    h('div', { class: 'form-actions' }, submit, cancel));

  const decision = () => {
    const checked = form.querySelector(`input[name="decision-${serial}"]:checked`);
    return checked ? checked.value : 'approve';
  };
  form.addEventListener('change', () => {
    const reject = decision() === 'reject';
    submit.textContent = reject ? 'Reject result' : 'Approve result';
    comment.required = reject;
    form.querySelector('[data-field="comment"]').classList.toggle('field-required', reject);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { decision: decision(), comment: comment.value.trim() };
    if (body.decision === 'reject' && body.comment === '') {
      clearFieldErrors(form);
      showFieldErrors(form, [{ field: 'comment', reason: 'Say why the result is rejected.' }]);
      return;
    }
    const saved = await submitForm(form, () => write(`/api/v1/tests/${encodeURIComponent(test.id)}/review`, {
      body, submission, ifMatch: etagOfVersion(test.version), action: 'review results',
    }), undefined, { reload });
    if (saved) onSaved(saved.data, body.decision);
  });
  return { form, focus: () => form.querySelector('input[type="radio"]:checked').focus() };
}

// A retest: invalidates the current result (kept as history) and opens a new pending test with the
// same specification. The reason is required (at least 5 characters) and goes to the audit trail.
function retestForm(test, { onSaved, onCancel = null, reload = null }) {
  const submission = new Submission();
  const reason = h('textarea', { name: 'reason', rows: '2' });
  const cancel = onCancel ? h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel') : null;
  if (cancel) cancel.addEventListener('click', onCancel);
  const form = h('form', { class: 'result-form', novalidate: true, 'aria-label': `Order a retest: ${test.property}` },
    h('p', { class: 'muted' },
      `Test ${test.id} becomes invalidated; its result stays on record. A new pending test with the same specification goes to the worklist.`),
    field({ name: 'reason', label: 'Reason for the retest', control: reason, hint: 'At least 5 characters; recorded in the audit trail.', wide: true }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-danger' }, 'Invalidate and open retest'),
      cancel));
  form.querySelector('[data-field="reason"]').classList.add('field-required');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { reason: reason.value.trim() };
    if (body.reason.length < 5) {
      clearFieldErrors(form);
      showFieldErrors(form, [{ field: 'reason', reason: 'Give a reason of at least 5 characters.' }]);
      return;
    }
    const saved = await submitForm(form, () => write(`/api/v1/tests/${encodeURIComponent(test.id)}/retest`, {
      body, submission, ifMatch: etagOfVersion(test.version), action: 'order retests',
    }), undefined, { reload });
    if (saved) onSaved(saved.data);
  });
  return { form, focus: () => reason.focus() };
}

// The banner after a result was saved: the verdict and the reason for it.
function resultNotice(test, result, replayed = false) {
  return {
    title: `Result saved: ${humanize(result.verdict)}`,
    detail: `${test.property}. ${result.explanation || ''}${replayed ? ' (It had already reached the server; it was recorded once.)' : ''}`.trim(),
  };
}

function reviewNotice(test, decision) {
  return decision === 'reject'
    ? { title: 'Result rejected', detail: `${test.property}: back on the worklist for a corrected result.` }
    : { title: 'Result approved', detail: test.property };
}

// ----- Sample page -----

function testsTable(sample, ctx) {
  const withActions = hasRole('technician') || hasRole('reviewer');
  const columns = ['Test', 'Limit', 'Values', 'Verdict and status', 'Explanation and history'];
  if (withActions) columns.push('Actions');
  const tbody = h('tbody');
  for (const test of sample.tests) {
    const side = test.status === 'invalidated' ? 'invalidated' : (test.result ? verdictSide(test.result.verdict) : 'pending');
    const requirement = h('td', { 'data-label': 'Test' },
      h('a', { href: testHref(test.id), class: 'cell-main test-link' }, test.property || test.label || test.requirement),
      h('span', { class: 'cell-sub' }, `${test.standard}, ${test.clause}`),
      h('span', { class: 'cell-sub' }, 'Method: ', test.method),
      h('span', { class: 'cell-code' }, test.requirement, ` · test ${test.id}`, test.attempt > 1 ? ` · attempt ${test.attempt}` : ''));
    const row = h('tr', { class: `row-${side}`, id: `test-row-${test.id}` },
      requirement,
      h('td', { 'data-label': 'Limit', class: 'nowrap mono' }, limitText(test.limit)),
      h('td', { 'data-label': 'Values', class: 'values-cell' }, valuesCell(test)),
      h('td', { 'data-label': 'Verdict and status' },
        h('div', { class: 'chip-stack' }, test.result ? verdictChip(test.result.verdict) : null, testStatusBadge(test.status)),
        test.assignee ? h('span', { class: 'cell-sub' }, 'Assigned to ', test.assignee) : null),
      h('td', { 'data-label': 'Explanation and history' }, explanationCell(test)));
    tbody.append(row);
    if (!withActions) continue;

    // Each action opens its form in one full-width row under the test; one form at a time.
    const actionsCell = h('td', { 'data-label': 'Actions', class: 'actions-cell' });
    row.append(actionsCell);
    const panelId = `panel-${test.id}`;
    const panelRow = h('tr', { class: 'entry-row', id: panelId, hidden: true });
    const toggles = [];
    let openMode = null;
    const closePanel = (button) => {
      panelRow.hidden = true;
      panelRow.replaceChildren();
      for (const t of toggles) t.setAttribute('aria-expanded', 'false');
      openMode = null;
      if (button) button.focus();
    };
    const toggle = (mode, label, title, build) => {
      const button = h('button', { type: 'button', class: 'button button-small', 'aria-expanded': 'false', 'aria-controls': panelId }, label);
      button.addEventListener('click', () => {
        if (openMode === mode) {
          closePanel(button);
          return;
        }
        const { form, focus } = build(() => closePanel(button));
        panelRow.replaceChildren(h('td', { colspan: String(columns.length) },
          h('h3', { class: 'panel-title' }, title, ': ', test.property), form));
        panelRow.hidden = false;
        for (const t of toggles) t.setAttribute('aria-expanded', String(t === button));
        openMode = mode;
        focus();
      });
      toggles.push(button);
      actionsCell.append(button);
    };

    if (canEnter(test)) {
      const again = test.status === 'rejected';
      toggle('result', again ? 'Re-enter result' : 'Enter result', again ? 'Enter a corrected result' : 'Enter result',
        (close) => resultForm(test, {
          onSaved: (result, response) => ctx.reload({ focus: 'tests-h', notice: resultNotice(test, result, response.replayed) }),
          onCancel: close,
          reload: ctx.reload,
        }));
    }
    if (canReview(test)) {
      if (isMine(test.result)) {
        actionsCell.append(h('p', { class: 'cell-sub' }, 'You entered this result: another reviewer reviews it.'));
      } else {
        toggle('review', 'Review', 'Review result', (close) => reviewForm(test, {
          onSaved: (updated, decision) => ctx.reload({ focus: 'tests-h', notice: reviewNotice(test, decision) }),
          onCancel: close,
          reload: ctx.reload,
        }));
      }
    }
    if (canRetest(test, sample)) {
      toggle('retest', 'Retest…', 'Order a retest', (close) => retestForm(test, {
        onSaved: (body) => ctx.reload({
          focus: 'tests-h',
          notice: { title: 'Retest opened', detail: `${test.property}: test ${test.id} is invalidated; test ${body.test.id} is pending.` },
        }),
        onCancel: close,
        reload: ctx.reload,
      }));
    }
    if (!actionsCell.hasChildNodes()) actionsCell.append(h('span', { class: 'muted' }, '—'));
    tbody.append(panelRow);
  }
  return h('table', { class: 'data-table tests-table' },
    h('caption', { class: 'visually-hidden' }, 'Tests, results, reviews and history'),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    tbody);
}

function testSummary(tests) {
  const current = tests.filter((t) => t.status !== 'invalidated');
  const count = (pred) => current.filter(pred).length;
  // Conditional verdicts (guarded decision rule) count with the side they fall on.
  const pass = count((t) => t.result && verdictSide(t.result.verdict) === 'pass');
  const fail = count((t) => t.result && verdictSide(t.result.verdict) === 'fail');
  const open = current.length - pass - fail;
  const approved = count((t) => t.status === 'approved');
  const invalidated = tests.length - current.length;
  const tally = (n, kind, label = kind) => h('span', { class: `tally ${n > 0 ? 'tally-' + kind : 'tally-zero'}` }, `${n} ${label}`);
  return h('p', { class: 'section-meta' },
    tally(pass, 'pass'), tally(fail, 'fail'), tally(open, 'pending', 'without result'),
    h('span', { class: 'tally' }, `${approved} of ${current.length} approved`),
    invalidated ? h('span', { class: 'tally tally-zero' }, `${invalidated} invalidated`) : null);
}

// The sample's overall verdict: open, or pass/fail with every failing requirement named.
function verdictSection(sample) {
  const v = sample.verdict;
  if (!v) return null;
  const side = v.overall ? verdictSide(v.overall) : 'pending';
  const failing = Array.isArray(v.failing) ? v.failing : [];
  return h('section', { class: `card verdict-card verdict-card-${side}`, 'aria-labelledby': 'verdict-h' },
    h('div', { class: 'verdict-head' },
      h('h2', { id: 'verdict-h' }, 'Sample verdict'),
      v.overall ? verdictChip(v.overall) : h('span', { class: 'badge verdict-pending' }, 'Open')),
    v.summary ? h('p', {}, v.summary) : null,
    failing.length ? h('ul', { class: 'failing-list' }, failing.map((f) => h('li', {},
      h('a', { href: testHref(f.test) }, f.requirement), ': ',
      (f.values || []).join(', '), ' ', f.unit || '', ' against ', limitText(f.limit),
      f.explanation ? h('span', { class: 'cell-sub' }, f.explanation) : null))) : null);
}

// Label links: the PDF (50 × 25 mm) opens in a new tab for printing; the ZPL file is for the
// Zebra printer. `portion` picks a portion's label instead of the sample's.
function labelLinks(number, portion = null) {
  const base = `/api/v1/samples/${encodeURIComponent(number)}/label`;
  const query = portion ? `?portion=${encodeURIComponent(portion)}` : '';
  const what = portion || number;
  return h('span', { class: 'label-links' },
    h('a', { href: `${base}.pdf${query}`, target: '_blank', rel: 'noopener', class: 'button button-small' },
      'Label PDF', h('span', { class: 'visually-hidden' }, ` for ${what} (opens in a new tab)`)),
    h('a', { href: `${base}.zpl${query}`, download: `${what}.zpl`, class: 'button button-small' },
      'Label ZPL', h('span', { class: 'visually-hidden' }, ` for ${what} (Zebra printer file, downloads)`)));
}

function portionsSection(sample) {
  const portions = sample.portions || [];
  const labels = hasRole('technician');
  let body;
  if (portions.length === 0) {
    body = h('p', { class: 'muted' }, 'No portions yet. A “Split off a portion” custody event makes one, with its own number and label.');
  } else {
    const columns = ['Portion', 'Description', 'Made'];
    if (labels) columns.push('Labels');
    body = h('div', { class: 'table-wrap' }, h('table', { class: 'data-table portions-table' },
      h('caption', { class: 'visually-hidden' }, 'Portions'),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, portions.map((p) => h('tr', {},
        h('td', { 'data-label': 'Portion', class: 'mono nowrap' }, p.code),
        h('td', { 'data-label': 'Description' }, p.description || '—'),
        h('td', { 'data-label': 'Made', class: 'nowrap' }, p.created_at ? timeElement(p.created_at) : '—'),
        labels ? h('td', { 'data-label': 'Labels' }, labelLinks(sample.number, p.code)) : null)))));
  }
  return h('section', { class: 'card', 'aria-labelledby': 'portions-h' },
    h('h2', { id: 'portions-h', tabindex: '-1' }, 'Portions'),
    body);
}

function custodyLabel(event) {
  if (event === 'received') return 'Received';
  const known = CUSTODY_EVENTS.find((e) => e.value === event);
  return known ? known.label : humanize(event);
}

function custodyTimeline(events, tests = []) {
  if (!events || events.length === 0) return h('p', { class: 'muted' }, 'No custody events recorded.');
  const testName = (id) => {
    const test = tests.find((t) => String(t.id) === String(id));
    return test ? `${test.property} (test ${id})` : `test ${id}`;
  };
  return h('ol', { class: 'timeline' }, events.map((e) =>
    h('li', { class: `timeline-item timeline-${e.event}` },
      h('div', { class: 'timeline-head' },
        h('span', { class: 'timeline-event' }, custodyLabel(e.event)),
        e.portion ? h('span', { class: 'mono timeline-portion' }, e.portion) : null,
        timeElement(e.at),
        e.by ? h('span', { class: 'timeline-by' }, 'by ', e.by) : null),
      e.location ? h('div', { class: 'cell-sub' }, 'Location: ', e.location) : null,
      e.test ? h('div', { class: 'cell-sub' }, 'Handed to ', h('a', { href: testHref(e.test) }, testName(e.test))) : null,
      e.retain_until ? h('div', { class: 'cell-sub' }, 'Retain until ', e.retain_until) : null,
      e.note ? h('div', { class: 'timeline-note' }, e.note) : null)));
}

// A new chain-of-custody event. The fields shown follow the event: a move needs a location, a
// hand-over names the test, a retention its date, consumption and disposal a note. A split makes
// a new portion; its note becomes the portion's description.
function custodyForm(sample, ctx) {
  const submission = new Submission();
  const eventSelect = h('select', { name: 'event' },
    h('option', { value: '' }, 'Choose an event…'),
    CUSTODY_EVENTS.map((e) => h('option', { value: e.value }, e.label)));
  const location = h('input', { type: 'text', name: 'location', autocomplete: 'off', maxlength: '100', placeholder: 'e.g. Chemistry lab, fume hood 2' });
  const note = h('textarea', { name: 'note', rows: '2', maxlength: '1000' });
  const portion = h('select', { name: 'portion' },
    h('option', { value: '' }, 'The whole sample'),
    (sample.portions || []).map((p) => h('option', { value: p.code }, p.description ? `${p.code}: ${p.description}` : p.code)));
  const current = sample.tests.filter((t) => t.status !== 'invalidated');
  const testSelect = h('select', { name: 'test' },
    h('option', { value: '' }, 'Choose a test…'),
    current.map((t) => h('option', { value: t.id }, `${t.property} (test ${t.id})`)));
  const retain = h('input', { type: 'date', name: 'retain_until' });
  const noteHint = h('span', {}, 'Optional.');

  const form = h('form', { class: 'custody-form', novalidate: true, 'aria-labelledby': 'custody-form-h' },
    h('h3', { id: 'custody-form-h', class: 'subhead' }, 'Record a custody event'),
    h('div', { class: 'form-grid' },
      field({ name: 'event', label: 'Event', control: eventSelect }),
      field({ name: 'portion', label: 'Portion', control: portion, hint: 'Leave as the whole sample unless a portion moved.' }),
      field({ name: 'location', label: 'Location', control: location }),
      field({ name: 'test', label: 'Test', control: testSelect }),
      field({ name: 'retain_until', label: 'Retain until', control: retain }),
      field({ name: 'note', label: 'Note', control: note, wide: true })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Record event')));
  // The note's hint depends on the event; it is the field's described-by text.
  const noteWrapper = form.querySelector('[data-field="note"]');
  const hintId = note.id + '-hint';
  noteWrapper.insertBefore(h('p', { id: hintId, class: 'field-hint' }, noteHint), noteWrapper.querySelector('.field-error'));
  note.setAttribute('aria-describedby', `${hintId} ${note.id}-error`);

  const wrapperOf = (name) => form.querySelector(`[data-field="${name}"]`);
  const applyEvent = () => {
    const kind = CUSTODY_EVENTS.find((e) => e.value === eventSelect.value);
    const needs = kind ? kind.needs : [];
    wrapperOf('test').hidden = !kind || kind.value !== 'handed_to_test';
    wrapperOf('retain_until').hidden = !kind || kind.value !== 'retained';
    wrapperOf('portion').hidden = !kind || kind.value === 'split' || (sample.portions || []).length === 0;
    for (const name of ['location', 'note', 'test', 'retain_until']) {
      wrapperOf(name).classList.toggle('field-required', needs.includes(name));
    }
    noteHint.textContent = !kind ? 'Optional.'
      : kind.value === 'split' ? 'Describes the new portion, e.g. “left shoe, upper cut for Cr(VI)”.'
        : needs.includes('note') ? 'Required: say how and why.' : 'Optional.';
  };
  eventSelect.addEventListener('change', applyEvent);
  applyEvent();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const kind = eventSelect.value;
    if (!kind) {
      clearFieldErrors(form);
      showFieldErrors(form, [{ field: 'event', reason: 'Choose what happened to the sample.' }]);
      return;
    }
    const body = { event: kind };
    if (location.value.trim()) body.location = location.value.trim();
    if (note.value.trim()) body.note = note.value.trim();
    if (!wrapperOf('portion').hidden && portion.value) body.portion = portion.value;
    if (kind === 'handed_to_test' && testSelect.value) body.test = testSelect.value;
    if (kind === 'retained' && retain.value) body.retain_until = retain.value;
    const saved = await submitForm(form, () => write(`/api/v1/samples/${encodeURIComponent(sample.number)}/custody`, {
      body, submission, ifMatch: ctx.etag, action: 'record custody events',
    }), undefined, { reload: ctx.reload });
    if (!saved) return;
    const label = custodyLabel(kind);
    ctx.reload({
      focus: kind === 'split' ? 'portions-h' : 'custody-h',
      notice: kind === 'split' && saved.data && saved.data.portion
        ? { title: `Portion ${saved.data.portion} made`, detail: 'Print its label from the Portions section.' }
        : { title: `Custody event recorded: ${label}`, detail: sample.number },
    });
  });
  return form;
}

function custodySection(sample, ctx) {
  const disposed = (sample.custody || []).some((e) => e.event === 'disposed');
  let tail = null;
  if (hasRole('technician')) {
    tail = disposed
      ? h('p', { class: 'muted custody-closed' }, 'The sample was disposed: no custody event can follow.')
      : custodyForm(sample, ctx);
  }
  return h('section', { class: 'card', 'aria-labelledby': 'custody-h' },
    h('h2', { id: 'custody-h', tabindex: '-1' }, 'Chain of custody'),
    custodyTimeline(sample.custody, sample.tests),
    tail);
}

function renderSample(view, sample, ctx) {
  document.title = `${sample.number} · Pramaan`;
  // The preliminary report is for lab staff; exporters get the issued report, not this one.
  const report = isStaff() ? h('a', {
    href: `/api/v1/samples/${encodeURIComponent(sample.number)}/report.pdf`,
    target: '_blank', rel: 'noopener', class: 'button',
  }, 'Preliminary report (PDF)', h('span', { class: 'visually-hidden' }, ' (opens in a new tab)')) : null;
  const labels = hasRole('technician') ? labelLinks(sample.number) : null;

  // replaceChildren would write an absent (null) section as the text "null": leave those out.
  view.replaceChildren(...[
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/samples' }, 'Samples'), h('span', { 'aria-hidden': 'true' }, ' / '), sample.number),
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, h('span', { class: 'mono' }, sample.number), ' ', statusBadge(sample.status)),
        h('p', { class: 'subtitle' }, sample.exporter ? sample.exporter.name : '', ' · ', sample.product)),
      h('div', { class: 'head-actions' }, labels, report)),
    verdictSection(sample),
    certificateSection(sample, ctx),
    h('section', { class: 'card', 'aria-labelledby': 'facts-h' },
      h('h2', { id: 'facts-h', class: 'visually-hidden' }, 'Sample facts'),
      factsList(sample)),
    h('section', { class: 'card table-card', 'aria-labelledby': 'tests-h' },
      h('div', { class: 'section-head' }, h('h2', { id: 'tests-h', tabindex: '-1' }, 'Tests'), testSummary(sample.tests)),
      sample.tests.length
        ? h('div', { class: 'table-wrap' }, testsTable(sample, ctx))
        : h('p', { class: 'muted pad' }, 'No tests requested.')),
    hasRole('technician') || (sample.portions || []).length ? portionsSection(sample) : null,
    custodySection(sample, ctx)].filter(Boolean));
}

// Loads a record for a screen and redraws it after each change. `fetchRecord` resolves to what `draw`
// needs; `reload({ notice, focus })` keeps the scroll position, moves focus to the element with id
// `focus` (the form that had it is gone) and confirms in the banner.
function reloadable(view, isCurrent, fetchRecord, draw, notFound) {
  async function load() {
    try {
      const loaded = await fetchRecord();
      if (!isCurrent()) return false;
      draw(loaded);
      return true;
    } catch (error) {
      if (!isCurrent()) return false;
      if (error instanceof ApiError && error.status === 404) {
        view.replaceChildren(notFound());
        return false;
      }
      if (!(error instanceof ApiError && error.authRequired)) {
        view.replaceChildren(h('p', { class: 'muted' }, 'This could not be loaded.'));
      }
      showProblem(error);
      return false;
    }
  }
  async function reload({ notice = null, focus = null } = {}) {
    const scroll = window.scrollY;
    if (!(await load()) || !isCurrent()) return;
    window.scrollTo(0, scroll);
    const target = focus ? document.getElementById(focus) : null;
    if (target) target.focus({ preventScroll: true });
    if (notice) showBanner('success', notice.title, notice.detail);
  }
  return { load, reload };
}

function notFoundBlock(title, text) {
  return h('div', { class: 'empty' },
    h('h1', { tabindex: '-1' }, title),
    h('p', {}, text),
    h('a', { href: '#/samples', class: 'button' }, 'Back to samples'));
}

function renderDetail(view, number, isCurrent) {
  document.title = `${number} · Pramaan`;
  view.append(h('p', { class: 'muted loading' }, `Loading ${number}…`));
  const ctx = { etag: null, reload: null };
  const { load, reload } = reloadable(view, isCurrent,
    () => api('/api/v1/samples/' + encodeURIComponent(number), { full: true }),
    ({ data, etag }) => {
      // The sample's ETag guards custody events against a change made at another terminal.
      ctx.etag = etag || etagOfVersion(data.version);
      renderSample(view, data, ctx);
    },
    () => notFoundBlock('Sample not found', `There is no sample ${number}.`));
  ctx.reload = reload;
  return load();
}

// ---------------------------------------------------------------------------------------------
// Screen 2b: one test (from the worklist): specification, result entry, review, retest, history
// ---------------------------------------------------------------------------------------------

async function claimTest(test, submission) {
  return write(`/api/v1/tests/${encodeURIComponent(test.id)}/claim`, {
    body: {}, submission, ifMatch: etagOfVersion(test.version), action: 'claim tests',
  });
}

// What was just saved, shown at the top of the test page: the verdict and why.
function outcomePanel(test, result) {
  const side = verdictSide(result.verdict);
  return h('section', { class: `card outcome outcome-${side}`, 'aria-labelledby': 'outcome-h' },
    h('div', { class: 'verdict-head' },
      h('h2', { id: 'outcome-h', tabindex: '-1' }, 'Result saved'),
      h('span', { class: `badge badge-large verdict-${result.verdict}` }, humanize(result.verdict))),
    valuesLine(result),
    h('p', { class: 'explanation' }, result.explanation),
    h('div', { class: 'form-actions' },
      hasRole('technician') ? h('a', { href: worklistHash, class: 'button button-primary' }, 'Back to worklist') : null,
      h('a', { href: sampleHref(test.sample), class: 'button' }, `Open sample ${test.sample}`)));
}

function currentResultSection(test) {
  const result = test.result;
  return h('section', { class: 'card', 'aria-labelledby': 'result-h' },
    h('div', { class: 'verdict-head' },
      h('h2', { id: 'result-h' }, 'Current result'),
      result ? verdictChip(result.verdict) : null),
    result ? [
      valuesLine(result),
      present(result.uncertainty) ? h('p', { class: 'cell-sub' }, `U = ± ${result.uncertainty} ${result.unit}`) : null,
      h('p', { class: 'explanation' }, result.explanation),
      result.remarks ? h('p', { class: 'cell-sub' }, 'Remarks: ', result.remarks) : null,
      resultMeta(result),
    ] : h('p', { class: 'muted' }, 'No result entered yet.'));
}

function drawTest(view, test, sample, ctx) {
  document.title = `${test.property} · ${test.sample} · Pramaan`;
  const me = session.user ? session.user.username : null;
  const lastRejection = [...(test.reviews || [])].reverse().find((r) => r.decision === 'reject');

  let claim = null;
  if (canEnter(test) && test.assignee !== me) {
    const submission = new Submission();
    claim = h('button', { type: 'button', class: 'button' }, test.assignee ? `Take over from ${test.assignee}` : 'Claim this test');
    claim.addEventListener('click', async () => {
      if (claim.getAttribute('aria-disabled') === 'true') return;
      claim.setAttribute('aria-disabled', 'true');
      clearBanner();
      try {
        await claimTest(test, submission);
        ctx.reload({ focus: 'entry-h', notice: { title: 'Test claimed', detail: `${test.property} is on your worklist.` } });
      } catch (error) {
        claim.removeAttribute('aria-disabled');
        if (error instanceof ApiError && error.status === 409) showConflict(error, () => ctx.reload());
        else showProblem(error);
      }
    });
  }

  const sections = [];
  if (ctx.outcome) sections.push(outcomePanel(test, ctx.outcome));
  if (test.status === 'rejected' && lastRejection) {
    sections.push(h('div', { class: 'notice notice-warn', role: 'note' },
      h('strong', {}, 'Rejected by ', lastRejection.reviewer || 'a reviewer', ': '),
      lastRejection.comment || 'no comment',
      h('span', { class: 'cell-sub' }, 'Enter a corrected result below; the rejected one stays in the history.')));
  }
  if (test.status === 'invalidated') {
    sections.push(h('div', { class: 'notice notice-muted', role: 'note' }, lineageNote(test)));
  }

  sections.push(h('section', { class: 'card', 'aria-labelledby': 'spec-h' },
    h('h2', { id: 'spec-h', class: 'visually-hidden' }, 'Specification'),
    h('dl', { class: 'facts' },
      fact('Requirement', h('span', { class: 'mono' }, test.requirement)),
      fact('Standard', test.standard, test.clause ? `, ${test.clause}` : ''),
      fact('Method', test.method),
      fact('Limit', h('span', { class: 'mono' }, limitText(test.limit))),
      fact('Specimens', String(test.specimens || 1)),
      test.part || test.material ? fact('Part / material', [test.part, test.material].filter(Boolean).join(' / ')) : null,
      fact('Attempt', String(test.attempt || 1)),
      fact('Assigned to', test.assignee ? (test.assignee === me ? 'You' : test.assignee) : 'Nobody'),
      sample ? fact('Sample status', statusBadge(sample.status)) : null,
      sample ? fact('Due', dueDate(sample.due_date, sample.status === 'issued')) : null)));

  if (!ctx.outcome) sections.push(currentResultSection(test));

  if (canEnter(test)) {
    const { form } = resultForm(test, {
      onSaved: (result) => {
        ctx.outcome = result;  // the next draw shows the verdict at the top
        ctx.reload({ focus: 'outcome-h' });
      },
      reload: () => ctx.reload(),
    });
    sections.push(h('section', { class: 'card', 'aria-labelledby': 'entry-h' },
      h('div', { class: 'verdict-head' },
        h('h2', { id: 'entry-h', tabindex: '-1' }, test.status === 'rejected' ? 'Enter a corrected result' : 'Enter result'),
        claim),
      form));
  }

  if (canReview(test)) {
    sections.push(h('section', { class: 'card', 'aria-labelledby': 'review-h' },
      h('h2', { id: 'review-h', tabindex: '-1' }, 'Review'),
      isMine(test.result)
        ? h('p', { class: 'muted' }, 'You entered this result, so another reviewer must review it (four eyes).')
        : reviewForm(test, {
          onSaved: (updated, decision) => ctx.reload({ focus: 'result-h', notice: reviewNotice(test, decision) }),
          reload: () => ctx.reload(),
        }).form));
  }

  if (canRetest(test, sample)) {
    const holder = h('div', { id: `retest-${test.id}`, hidden: true });
    const open = h('button', { type: 'button', class: 'button', 'aria-expanded': 'false', 'aria-controls': `retest-${test.id}` }, 'Order a retest…');
    open.addEventListener('click', () => {
      const opening = holder.hidden;
      holder.hidden = !opening;
      open.setAttribute('aria-expanded', String(opening));
      if (!opening) {
        holder.replaceChildren();
        return;
      }
      const { form, focus } = retestForm(test, {
        onSaved: (body) => {
          pendingNotice = { title: 'Retest opened', detail: `Test ${test.id} is invalidated; this is its repeat, pending.` };
          location.hash = testHref(body.test.id);
        },
        onCancel: () => {
          open.click();
          open.focus();
        },
        reload: () => ctx.reload(),
      });
      holder.replaceChildren(form);
      focus();
    });
    sections.push(h('section', { class: 'card', 'aria-labelledby': 'retest-h' },
      h('div', { class: 'verdict-head' }, h('h2', { id: 'retest-h' }, 'Retest'), open),
      holder));
  }

  const history = historyDetails(test, { open: true });
  sections.push(h('section', { class: 'card', 'aria-labelledby': 'history-h' },
    h('h2', { id: 'history-h' }, 'History'),
    test.status !== 'invalidated' ? lineageNote(test) : null,
    history || h('p', { class: 'muted' }, 'No reviews or earlier results.')));

  view.replaceChildren(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      hasRole('technician') ? [h('a', { href: worklistHash }, 'Worklist'), h('span', { 'aria-hidden': 'true' }, ' / ')] : null,
      h('a', { href: sampleHref(test.sample) }, test.sample), h('span', { 'aria-hidden': 'true' }, ' / '), `Test ${test.id}`),
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, test.property || test.label || test.requirement, ' ', testStatusBadge(test.status)),
        h('p', { class: 'subtitle' },
          h('a', { href: sampleHref(test.sample), class: 'sample-link' }, test.sample),
          sample ? [' · ', sample.exporter ? sample.exporter.name : '', ' · ', sample.product] : null)),
      h('div', { class: 'head-actions' }, hasRole('technician') ? labelLinks(test.sample) : null)),
    ...sections);
  ctx.outcome = null;
}

function renderTestPage(view, id, isCurrent) {
  document.title = `Test ${id} · Pramaan`;
  view.append(h('p', { class: 'muted loading' }, `Loading test ${id}…`));
  const ctx = { reload: null, outcome: null };
  const { load, reload } = reloadable(view, isCurrent,
    async () => {
      const test = await api('/api/v1/tests/' + encodeURIComponent(id));
      // The sample gives the context (exporter, product, due date); the test stands without it.
      let sample = null;
      try {
        sample = await api('/api/v1/samples/' + encodeURIComponent(test.sample));
      } catch (error) {
        if (error instanceof ApiError && error.authRequired) throw error;
      }
      return { test, sample };
    },
    ({ test, sample }) => drawTest(view, test, sample, ctx),
    () => notFoundBlock('Test not found', `There is no test ${id}.`));
  ctx.reload = reload;
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
        field({ name: 'storage_location', label: 'Storage location', control: input('storage_location', { placeholder: 'e.g. R2-S4' }), optional: true }),
        field({ name: 'due_date', label: 'Due date', control: h('input', { type: 'date', name: 'due_date', class: 'input-short' }), hint: 'When the exporter expects the report', optional: true }),
        field({ name: 'decision_rule', label: 'Decision rule', control: h('select', { name: 'decision_rule' },
          DECISION_RULES.map((r) => h('option', { value: r.value }, r.label))), wide: true }))),
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

  // Registering twice would give the same shoes two sample numbers: the submission's
  // Idempotency-Key makes a retry after a lost answer return the first registration instead.
  const submission = new Submission();

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
      due_date: text('due_date') || undefined,
      decision_rule: text('decision_rule') || 'simple',
      requirements,
    };
    const describe = (base, index) => {
      if (base === 'sizes' && sizes[index] !== undefined) return `Size “${sizes[index]}”`;
      if (base === 'requirements' && requirements[index] !== undefined) return requirements[index];
      return `Item ${index + 1}`;
    };
    const saved = await submitForm(form, () => write('/api/v1/samples', { body, submission, action: 'register samples' }), describe);
    if (!saved) return;
    const sample = saved.data;
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
// Filter forms whose state lives in the URL (worklist, audit trail)
// ---------------------------------------------------------------------------------------------

// Goes to a hash route; the same hash again reloads the screen (hashchange would not fire).
function navigateTo(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function hashWithParams(base, values) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (present(value)) params.set(key, value);
  }
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

// "Load more" paging over a keyset-paged list (`items`, `next`). `fetchPage(after)` gets a page;
// `addRows(items)` draws it and returns the new rows; `describe(shown, more)` words the count line.
function pagedTable({ fetchPage, addRows, describe, isCurrent, onError }) {
  const countLine = h('p', { class: 'list-count', 'aria-live': 'polite' }, 'Loading…');
  const moreButton = h('button', { type: 'button', class: 'button', hidden: true }, 'Load more');
  let next = null;
  let shown = 0;
  let loading = false;
  async function loadPage() {
    if (loading) return;  // a guard rather than `disabled`, which would drop keyboard focus
    loading = true;
    moreButton.setAttribute('aria-disabled', 'true');
    moreButton.textContent = 'Loading…';
    try {
      const page = await fetchPage(next);
      if (!isCurrent()) return;
      const rows = addRows(page.items || []);
      shown += rows.length;
      next = page.next || null;
      countLine.textContent = describe(shown, Boolean(next));
      const hadFocus = document.activeElement === moreButton;
      moreButton.hidden = !next;
      if (!next && hadFocus && rows[0]) {
        const target = rows[0].querySelector('a, button');
        if (target) target.focus();
      }
    } catch (error) {
      if (!isCurrent()) return;
      countLine.textContent = 'The list could not be loaded.';
      onError(error);
    } finally {
      loading = false;
      moreButton.removeAttribute('aria-disabled');
      moreButton.textContent = 'Load more';
    }
  }
  moreButton.addEventListener('click', loadPage);
  return { foot: h('div', { class: 'list-foot' }, countLine, moreButton), loadPage };
}

// A query's field errors go next to the filter fields; the rest to the banner.
function showQueryProblem(form, error) {
  const errors = (error instanceof ApiError && Array.isArray(error.problem.errors)) ? error.problem.errors : [];
  clearFieldErrors(form);
  const unplaced = showFieldErrors(form, errors);
  showProblem(error, unplaced, unplaced.length < errors.length);
}

// ---------------------------------------------------------------------------------------------
// Screen 4: worklist (technicians)
// ---------------------------------------------------------------------------------------------

function worklistRow(item, onClaim) {
  const me = session.user ? session.user.username : null;
  const link = h('a', { href: testHref(item.id), class: 'test-link' }, item.property || item.label || item.requirement);
  let action = h('span', { class: 'muted' }, 'Yours');
  if (item.assignee !== me) {
    action = h('button', { type: 'button', class: 'button button-small' },
      item.assignee ? 'Take over' : 'Claim',
      h('span', { class: 'visually-hidden' }, `: ${item.property}, ${item.sample}`));
    action.addEventListener('click', () => onClaim(item, action));
  }
  const row = h('tr', { class: `clickable row-${item.status}` },
    h('td', { 'data-label': 'Due', class: 'nowrap' }, dueDate(item.due_date)),
    h('td', { 'data-label': 'Sample' },
      h('a', { href: sampleHref(item.sample), class: 'sample-link' }, item.sample),
      item.received_at ? h('span', { class: 'cell-sub' }, 'Received ', timeElement(item.received_at)) : null),
    h('td', { 'data-label': 'Test' },
      h('span', { class: 'cell-main' }, link),
      h('span', { class: 'cell-sub' }, [item.standard, item.clause].filter(Boolean).join(', ')),
      h('span', { class: 'cell-code' }, item.requirement, ` · test ${item.id}`, item.attempt > 1 ? ` · attempt ${item.attempt}` : '')),
    h('td', { 'data-label': 'Method' },
      h('span', { class: 'cell-main' }, item.method),
      h('span', { class: 'cell-sub' }, `${item.specimens || 1} specimen${Number(item.specimens) === 1 ? '' : 's'} · limit ${limitText(item.limit)}`)),
    h('td', { 'data-label': 'Exporter' }, item.exporter || '—'),
    h('td', { 'data-label': 'Status' }, testStatusBadge(item.status)),
    h('td', { 'data-label': 'Assignee' },
      item.assignee ? (item.assignee === me ? h('strong', {}, 'You') : item.assignee) : h('span', { class: 'muted' }, 'Unassigned')),
    h('td', { 'data-label': 'Action' }, action));
  // The whole row opens the test; the link inside stays the keyboard and screen reader target.
  row.addEventListener('click', (event) => {
    if (event.target.closest('a, button') || window.getSelection().toString()) return;
    location.hash = testHref(item.id);
  });
  return row;
}

// The worklist as last filtered, so "Back to worklist" from a test keeps the technician's filters.
let worklistHash = '#/worklist';

function renderWorklist(view, params, isCurrent) {
  document.title = 'Worklist · Pramaan';
  worklistHash = location.hash || '#/worklist';
  const filters = {
    method: params.get('method') || '',
    instrument: params.get('instrument') || '',
    assignee: params.get('assignee') || '',
    due_before: params.get('due_before') || '',
  };
  const methods = h('datalist', { id: 'dl-methods' });
  const methodInput = h('input', { type: 'text', name: 'method', value: filters.method, list: 'dl-methods', autocomplete: 'off', spellcheck: 'false' });
  const instrumentInput = h('input', { type: 'text', name: 'instrument', value: filters.instrument, autocomplete: 'off', spellcheck: 'false' });
  const assigneeSelect = h('select', { name: 'assignee' },
    WORKLIST_ASSIGNEES.map((a) => h('option', { value: a.value, selected: a.value === filters.assignee }, a.label)));
  const dueInput = h('input', { type: 'date', name: 'due_before', value: filters.due_before });
  const form = h('form', { class: 'card filter-form', novalidate: true, role: 'search', 'aria-label': 'Filter the worklist' },
    h('div', { class: 'filter-grid' },
      field({ name: 'method', label: 'Method', control: methodInput }),
      field({ name: 'instrument', label: 'Instrument', control: instrumentInput }),
      field({ name: 'assignee', label: 'Assigned to', control: assigneeSelect }),
      field({ name: 'due_before', label: 'Due before', control: dueInput }),
      h('div', { class: 'filter-actions' },
        h('button', { type: 'submit', class: 'button button-primary' }, 'Apply'),
        h('a', { href: '#/worklist', class: 'button button-quiet' }, 'Clear'))),
    methods);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigateTo(hashWithParams('#/worklist', {
      method: methodInput.value.trim(),
      instrument: instrumentInput.value.trim(),
      assignee: assigneeSelect.value,
      due_before: dueInput.value,
    }));
  });

  const quick = h('div', { class: 'chips', role: 'group', 'aria-label': 'Quick filters' },
    [{ label: 'My tests', assignee: 'me' }, { label: 'Unassigned', assignee: 'none' }, { label: 'Overdue', due_before: todayDate() }].map((q) => {
      const active = (q.assignee || '') === filters.assignee && (q.due_before || '') === filters.due_before
        && !filters.method && !filters.instrument;
      const chip = h('button', { type: 'button', class: 'chip', 'aria-pressed': String(active) }, q.label);
      chip.addEventListener('click', () => navigateTo(hashWithParams('#/worklist', { assignee: q.assignee, due_before: q.due_before })));
      return chip;
    }));

  const tbody = h('tbody');
  const table = h('table', { class: 'data-table worklist-table' },
    h('caption', { class: 'visually-hidden' }, 'Pending and rejected tests, oldest first'),
    h('thead', {}, h('tr', {},
      ['Due', 'Sample', 'Test', 'Method', 'Exporter', 'Status', 'Assignee', 'Action'].map((c) => h('th', { scope: 'col' }, c)))),
    tbody);
  const announce = h('p', { class: 'visually-hidden', role: 'status' });
  const seenMethods = new Set();

  const onClaim = async (item, button) => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    clearBanner();
    if (!item.submission) item.submission = new Submission();
    try {
      const { data } = await claimTest(item, item.submission);
      if (!isCurrent()) return;
      Object.assign(item, { assignee: data.assignee, version: data.version, status: data.status });
      const row = button.closest('tr');
      const fresh = worklistRow(item, onClaim);
      row.replaceWith(fresh);
      fresh.querySelector('a.test-link').focus();
      announce.textContent = `Claimed: ${item.property}, sample ${item.sample}.`;
    } catch (error) {
      button.removeAttribute('aria-disabled');
      if (error instanceof ApiError && error.status === 409) showConflict(error, route);
      else showProblem(error);
    }
  };

  const { foot, loadPage } = pagedTable({
    isCurrent,
    fetchPage: (after) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
      if (after) query.set('after', after);
      return api('/api/v1/worklist?' + query.toString());
    },
    addRows: (items) => {
      const rows = items.map((item) => worklistRow(item, onClaim));
      tbody.append(...rows);
      for (const item of items) {
        if (item.method && !seenMethods.has(item.method)) {
          seenMethods.add(item.method);
          methods.append(h('option', { value: item.method }));
        }
      }
      return rows;
    },
    describe: (shown, more) => {
      if (shown === 0) return Object.values(filters).some(Boolean) ? 'No tests match these filters.' : 'Nothing waiting: no pending or rejected tests.';
      return `${shown} test${shown === 1 ? '' : 's'} shown, oldest first${more ? '' : ', all loaded'}.`;
    },
    onError: (error) => showQueryProblem(form, error),
  });

  view.append(
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, 'Worklist'),
        h('p', { class: 'subtitle' }, 'Pending tests and rejected results waiting for a corrected entry. Open a test to enter its result.'))),
    form,
    quick,
    h('div', { class: 'card table-card' }, h('div', { class: 'table-wrap' }, table)),
    foot,
    announce);
  loadPage();
}

// ---------------------------------------------------------------------------------------------
// Screen 5: organizations (exporters): list for admins and technicians, registration for admins
// ---------------------------------------------------------------------------------------------

function organizationForm(onSaved) {
  const submission = new Submission();
  const input = (name, extra = {}) => h('input', { type: 'text', name, autocomplete: 'off', ...extra });
  const district = input('district', { list: 'dl-districts' });
  const state = input('state', { placeholder: 'Uttar Pradesh' });
  const odop = input('odop_product');
  const districtInfo = h('p', { class: 'field-info', 'aria-live': 'polite' });
  const districts = new Map();
  const districtList = h('datalist', { id: 'dl-districts' });
  let odopTouched = false;
  odop.addEventListener('input', () => {
    odopTouched = odop.value.trim() !== '';
  });

  api('/api/v1/districts').then((body) => {
    const items = [...(body.items || [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const d of items) districts.set(d.name.toLowerCase(), d);
    districtList.replaceChildren(...items.map((d) => h('option', {
      value: d.name,
      label: [d.state, d.odop_product ? `ODOP: ${d.odop_product}` : ''].filter(Boolean).join(' · '),
    })));
  }).catch((error) => showProblem(error));

  // A known district brings its state and its One District One Product speciality.
  const onDistrict = () => {
    const known = districts.get(district.value.trim().toLowerCase());
    districtInfo.replaceChildren();
    if (!known) return;
    districtInfo.append(`${known.name}, ${known.state}`, known.odop_product ? ` · ODOP product: ${known.odop_product}` : '');
    if (!odopTouched && known.odop_product) odop.value = known.odop_product;
  };
  district.addEventListener('input', onDistrict);
  district.addEventListener('change', onDistrict);

  const form = h('form', { class: 'register-form', novalidate: true, 'aria-labelledby': 'org-form-h' },
    h('fieldset', { class: 'card form-section' },
      h('legend', { id: 'org-form-h' }, 'Register an exporter'),
      h('div', { class: 'form-grid' },
        field({ name: 'name', label: 'Legal name', control: input('name', { placeholder: 'e.g. Sikandra Footwear Exports Pvt Ltd' }), wide: true }),
        field({ name: 'short_name', label: 'Short name', control: input('short_name'), optional: true }),
        field({ name: 'iec', label: 'IEC', control: input('iec', { class: 'input-mono input-upper', spellcheck: 'false', maxlength: '10' }), hint: '10 digits, or the PAN form' }),
        field({ name: 'gstin', label: 'GSTIN', control: input('gstin', { class: 'input-mono input-upper', spellcheck: 'false', maxlength: '15' }), optional: true, hint: '15 characters; its PAN must match a PAN-form IEC' }),
        field({ name: 'address', label: 'Address', control: h('textarea', { name: 'address', rows: '2' }), wide: true }),
        field({ name: 'district', label: 'District', control: district }),
        field({ name: 'state', label: 'State', control: state, optional: true, hint: 'Leave empty for Uttar Pradesh' }),
        field({ name: 'odop_product', label: 'ODOP product', control: odop, optional: true }),
        districtInfo,
        districtList)),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary' }, 'Register exporter')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (name) => String(data.get(name) || '').trim();
    const body = {
      name: text('name'),
      short_name: text('short_name'),
      iec: text('iec').toUpperCase(),
      gstin: text('gstin').toUpperCase(),
      address: text('address'),
      district: text('district'),
      odop_product: text('odop_product'),
    };
    if (text('state')) body.state = text('state');
    const saved = await submitForm(form, () => write('/api/v1/organizations', { body, submission, action: 'register exporters' }));
    if (!saved) return;
    form.reset();
    odopTouched = false;
    districtInfo.replaceChildren();
    showBanner('success', `Exporter registered: ${saved.data.name}`, `IEC ${saved.data.iec}${saved.data.district ? ` · ${saved.data.district}` : ''}`);
    onSaved(saved.data);
  });
  return form;
}

function organizationRow(org, highlight = false) {
  return h('tr', { class: highlight ? 'row-new' : null },
    h('td', { 'data-label': 'Exporter' },
      h('span', { class: 'cell-main' }, org.name),
      org.short_name ? h('span', { class: 'cell-sub' }, org.short_name) : null),
    h('td', { 'data-label': 'IEC', class: 'mono nowrap' }, org.iec || '—'),
    h('td', { 'data-label': 'GSTIN', class: 'mono nowrap' }, org.gstin || '—'),
    h('td', { 'data-label': 'District' },
      h('span', { class: 'cell-main' }, org.district || '—'),
      org.state ? h('span', { class: 'cell-sub' }, org.state) : null),
    h('td', { 'data-label': 'ODOP product' }, org.odop_product || '—'),
    h('td', { 'data-label': 'Address' }, org.address || '—'));
}

function renderOrganizations(view, isCurrent) {
  document.title = 'Exporters · Pramaan';
  const tbody = h('tbody');
  const countLine = h('p', { class: 'list-count', 'aria-live': 'polite' }, 'Loading exporters…');
  const filter = h('input', { type: 'search', name: 'filter', autocomplete: 'off', placeholder: 'Name, IEC, GSTIN or district' });
  let all = [];
  let fresh = null;

  const draw = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = all.filter((o) => !needle || [o.name, o.short_name, o.iec, o.gstin, o.district, o.state, o.odop_product]
      .some((v) => String(v || '').toLowerCase().includes(needle)));
    tbody.replaceChildren(...shown.map((o) => organizationRow(o, fresh !== null && o.id === fresh)));
    countLine.textContent = all.length === 0 ? 'No exporters registered yet.'
      : `${shown.length} of ${all.length} exporter${all.length === 1 ? '' : 's'} shown.`;
  };
  filter.addEventListener('input', draw);

  const load = async () => {
    try {
      const body = await api('/api/v1/organizations');
      if (!isCurrent()) return;
      all = [...(body.items || [])].sort((a, b) => a.name.localeCompare(b.name));
      draw();
    } catch (error) {
      if (!isCurrent()) return;
      countLine.textContent = 'The exporters could not be loaded.';
      showProblem(error);
    }
  };

  const filterId = `f-org-filter-${++fieldSerial}`;
  filter.id = filterId;
  view.append(
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, 'Exporters'),
        h('p', { class: 'subtitle' }, 'Organizations whose samples the lab tests.'))),
    h('div', { class: 'filter-inline' }, h('label', { for: filterId, class: 'field-label' }, 'Filter'), filter),
    h('div', { class: 'card table-card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table' },
      h('caption', { class: 'visually-hidden' }, 'Registered exporters'),
      h('thead', {}, h('tr', {}, ['Exporter', 'IEC', 'GSTIN', 'District', 'ODOP product', 'Address'].map((c) => h('th', { scope: 'col' }, c)))),
      tbody))),
    h('div', { class: 'list-foot' }, countLine),
    hasRole('admin') ? organizationForm((org) => {
      fresh = org.id;
      load();
    }) : null);
  return load();
}

// ---------------------------------------------------------------------------------------------
// Instruments: the register, and what is due or overdue for calibration (GET /instruments?due_within=)
// ---------------------------------------------------------------------------------------------

// Days until the calibration is due, in words (not colour alone) once it has passed.
function instrumentDue(item) {
  if (!present(item.next_due)) return h('span', { class: 'overdue' }, 'no valid calibration');
  const days = item.days_until_due;
  if (days < 0) return h('span', { class: 'due overdue' }, item.next_due, h('span', { class: 'due-flag' }, ` overdue by ${-days} d`));
  return h('span', { class: 'due' }, item.next_due, h('span', { class: 'cell-sub' }, days === 0 ? 'due today' : `in ${days} d`));
}

function instrumentRow(item) {
  const check = item.last_check;
  const refusals = item.refusals || [];
  return h('tr', {},
    h('th', { scope: 'row', 'data-label': 'Instrument' }, item.name,
      h('span', { class: 'cell-sub mono' }, `#${item.id} · ${item.serial}`)),
    h('td', { 'data-label': 'Type' }, humanize(item.type)),
    h('td', { 'data-label': 'Status' }, statusBadge(item.status)),
    h('td', { 'data-label': 'Calibration due' }, instrumentDue(item)),
    h('td', { 'data-label': 'Last check' }, check ? `${check.date} ${check.result}` : h('span', { class: 'muted' }, '—')),
    h('td', { 'data-label': 'Usable today' }, refusals.length === 0 ? 'Yes'
      : h('span', { class: 'overdue', title: refusals.join('\n') }, refusals.map((r) => r.split(':')[0]).join('; '))),
    h('td', { 'data-label': 'Location' }, item.location || h('span', { class: 'muted' }, '—')));
}

function renderInstruments(view, params, isCurrent) {
  document.title = 'Instruments · Pramaan';
  const due = params.get('due_within') || '';
  const tbody = h('tbody');
  const countLine = h('p', { class: 'list-count', 'aria-live': 'polite' }, 'Loading instruments…');
  const chips = h('div', { class: 'chips', role: 'group', 'aria-label': 'Show' },
    [{ value: '', label: 'All' }, { value: '30d', label: 'Due within 30 days or overdue' }].map((c) => {
      const chip = h('button', { type: 'button', class: 'chip', 'aria-pressed': String(c.value === due) }, c.label);
      chip.addEventListener('click', () => navigateTo(hashWithParams('#/instruments', { due_within: c.value })));
      return chip;
    }));
  view.append(
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, 'Instruments'),
        h('p', { class: 'subtitle' }, 'Equipment, its calibration and checks; results need an instrument usable on the test date.'))),
    chips,
    h('div', { class: 'card table-card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table' },
      h('caption', { class: 'visually-hidden' }, 'Instruments'),
      h('thead', {}, h('tr', {}, ['Instrument', 'Type', 'Status', 'Calibration due', 'Last check', 'Usable today', 'Location']
        .map((c) => h('th', { scope: 'col' }, c)))),
      tbody))),
    h('div', { class: 'list-foot' }, countLine));
  const load = async () => {
    try {
      const body = await api(due ? `/api/v1/instruments?due_within=${encodeURIComponent(due)}` : '/api/v1/instruments');
      if (!isCurrent()) return;
      const items = body.items || [];
      tbody.replaceChildren(...items.map(instrumentRow));
      const overdue = items.filter((i) => !present(i.next_due) || i.days_until_due < 0).length;
      countLine.textContent = items.length === 0 ? (due ? 'Nothing is due for calibration.' : 'No instruments registered yet.')
        : `${items.length} instrument${items.length === 1 ? '' : 's'} as of ${body.as_of}; ${overdue} without a valid calibration.`;
    } catch (error) {
      if (!isCurrent()) return;
      countLine.textContent = 'The instruments could not be loaded.';
      showProblem(error);
    }
  };
  return load();
}

// ---------------------------------------------------------------------------------------------
// Screen 6: audit trail (auditors, admins)
// ---------------------------------------------------------------------------------------------

// A datetime-local value ("2026-11-23T10:15", the terminal's time) as RFC 3339 UTC, or null.
function localToRfc3339(value) {
  if (!value) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function auditRecordLink(entity, id) {
  if (entity === 'sample') return h('a', { href: sampleHref(id), class: 'mono' }, id);
  if (entity === 'test') return h('a', { href: testHref(id) }, `test ${id}`);
  return h('span', { class: 'mono' }, id);
}

// What changed, folded: the fields whose value differs, and both documents on demand.
function auditChange(event) {
  const before = event.before;
  const after = event.after;
  if (!present(before) && !present(after)) return h('span', { class: 'muted' }, '—');
  let summary = 'Created';
  if (present(before) && present(after) && typeof before === 'object' && typeof after === 'object') {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const changed = [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    summary = changed.length ? `Changed: ${changed.join(', ')}` : 'No field changed';
  } else if (present(before) && !present(after)) {
    summary = 'Removed';
  }
  const doc = (label, value) => (present(value) ? [
    h('div', { class: 'cell-sub' }, label),
    h('pre', { class: 'json' }, typeof value === 'string' ? value : JSON.stringify(value, null, 2)),
  ] : null);
  return h('details', { class: 'audit-change' },
    h('summary', {}, summary),
    doc('Before', before),
    doc('After', after));
}

function auditRow(event) {
  return h('tr', {},
    h('td', { 'data-label': 'Seq', class: 'num mono' }, String(event.seq)),
    h('td', { 'data-label': 'Time', class: 'nowrap' }, timeElement(event.at)),
    h('td', { 'data-label': 'Actor' },
      h('span', { class: 'cell-main' }, event.actor || '—'),
      event.role ? h('span', { class: 'cell-sub' }, humanize(event.role)) : null),
    h('td', { 'data-label': 'Action', class: 'mono' }, event.action),
    h('td', { 'data-label': 'Record' },
      h('span', { class: 'cell-sub' }, humanize(event.entity)),
      auditRecordLink(event.entity, event.entity_id)),
    h('td', { 'data-label': 'Reason' }, event.reason || h('span', { class: 'muted' }, '—')),
    h('td', { 'data-label': 'Change' }, auditChange(event)),
    h('td', { 'data-label': 'Chain' }, chainMark(event.chain)));
}

// The server checks each listed event on its own: its hash, and its link to the one before it.
function chainMark(chain) {
  if (!chain) return h('span', { class: 'muted' }, '—');
  if (chain.ok) return h('span', { class: 'chain-ok', title: 'Its hash and its link to the event before it check out' }, '✓');
  return h('span', { class: 'chain-broken', title: chain.reason || 'Broken link' }, '✗ ', chain.reason || 'Broken link');
}

// GET /audit/verify: the hash chain checked end to end; ok, or the first broken link.
async function verifyChain(button, out) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  button.textContent = 'Verifying…';
  out.replaceChildren(h('p', { class: 'muted' }, 'Checking every event against its predecessor…'));
  try {
    const v = await api('/api/v1/audit/verify');
    const heads = Array.isArray(v.heads) && v.heads.length ? h('details', { class: 'verify-heads' },
      h('summary', {}, `Chain heads (${v.heads.length} stripe${v.heads.length === 1 ? '' : 's'})`),
      h('table', { class: 'data-table' },
        h('thead', {}, h('tr', {}, ['Stripe', 'Events', 'Head hash'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, v.heads.map((head) => h('tr', {},
          h('td', { 'data-label': 'Stripe', class: 'mono' }, String(head.stripe)),
          h('td', { 'data-label': 'Events', class: 'num' }, String(head.events)),
          h('td', { 'data-label': 'Head hash', class: 'mono hash' }, head.hash)))))) : null;
    if (v.ok) {
      out.replaceChildren(h('div', { class: 'verify verify-ok' },
        h('strong', {}, '✓ Chain intact'), ` — ${v.events} event${v.events === 1 ? '' : 's'} verified, `,
        timeElement(new Date().toISOString()), '.'), heads);
    } else {
      const b = v.broken || {};
      const from = present(b.seq) ? hashWithParams('#/audit', { after: String(Math.max(0, Number(b.seq) - 1)) }) : null;
      out.replaceChildren(h('div', { class: 'verify verify-broken', role: 'alert' },
        h('strong', {}, '✗ Chain broken'),
        ` at event ${b.seq ?? '?'} (stripe ${b.stripe ?? '?'}, position ${b.stripe_seq ?? '?'}): ${b.reason || 'no reason given'}. `,
        `${v.events} event${v.events === 1 ? '' : 's'} checked. `,
        from ? h('a', { href: from }, 'Show the events from there') : null), heads);
    }
  } catch (error) {
    out.replaceChildren(h('p', { class: 'muted' }, 'The chain could not be verified.'));
    showProblem(error);
  } finally {
    button.removeAttribute('aria-disabled');
    button.textContent = 'Verify chain';
  }
}

function renderAudit(view, params, isCurrent) {
  document.title = 'Audit trail · Pramaan';
  const filters = {
    entity: params.get('entity') || '',
    entity_id: params.get('entity_id') || '',
    actor: params.get('actor') || '',
    from: params.get('from') || '',
    to: params.get('to') || '',
  };
  const start = params.get('after') || '';
  const entity = h('select', { name: 'entity' },
    h('option', { value: '' }, 'Any'),
    AUDIT_ENTITIES.map((e) => h('option', { value: e, selected: e === filters.entity }, humanize(e))));
  const entityId = h('input', { type: 'text', name: 'entity_id', value: filters.entity_id, autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. AGR-2026-000123' });
  const actor = h('input', { type: 'text', name: 'actor', value: filters.actor, autocomplete: 'off', spellcheck: 'false', placeholder: 'username' });
  const from = h('input', { type: 'datetime-local', name: 'from', value: filters.from });
  const to = h('input', { type: 'datetime-local', name: 'to', value: filters.to });
  const form = h('form', { class: 'card filter-form', novalidate: true, role: 'search', 'aria-label': 'Filter the audit trail' },
    h('div', { class: 'filter-grid' },
      field({ name: 'entity', label: 'Record type', control: entity }),
      field({ name: 'entity_id', label: 'Record id', control: entityId }),
      field({ name: 'actor', label: 'Actor', control: actor }),
      field({ name: 'from', label: 'From (local time)', control: from }),
      field({ name: 'to', label: 'To (local time)', control: to }),
      h('div', { class: 'filter-actions' },
        h('button', { type: 'submit', class: 'button button-primary' }, 'Apply'),
        h('a', { href: '#/audit', class: 'button button-quiet' }, 'Clear'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const problems = [];
    if (entityId.value.trim() && !entity.value) problems.push({ field: 'entity_id', reason: 'Choose the record type as well.' });
    if (from.value && !localToRfc3339(from.value)) problems.push({ field: 'from', reason: 'Not a date and time.' });
    if (to.value && !localToRfc3339(to.value)) problems.push({ field: 'to', reason: 'Not a date and time.' });
    if (problems.length) {
      showFieldErrors(form, problems);
      return;
    }
    navigateTo(hashWithParams('#/audit', {
      entity: entity.value, entity_id: entityId.value.trim(), actor: actor.value.trim(), from: from.value, to: to.value,
    }));
  });

  const verifyOut = h('div', { class: 'verify-out', 'aria-live': 'polite' });
  const verifyButton = h('button', { type: 'button', class: 'button' }, 'Verify chain');
  verifyButton.addEventListener('click', () => verifyChain(verifyButton, verifyOut));

  const tbody = h('tbody');
  const { foot, loadPage } = pagedTable({
    isCurrent,
    fetchPage: (after) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (filters.entity) query.set('entity', filters.entity);
      if (filters.entity_id) query.set('entity_id', filters.entity_id);
      if (filters.actor) query.set('actor', filters.actor);
      const fromUtc = localToRfc3339(filters.from);
      const toUtc = localToRfc3339(filters.to);
      if (fromUtc) query.set('from', fromUtc);
      if (toUtc) query.set('to', toUtc);
      const cursor = after || start;
      if (cursor) query.set('after', cursor);
      return api('/api/v1/audit?' + query.toString());
    },
    addRows: (items) => {
      const rows = items.map(auditRow);
      tbody.append(...rows);
      return rows;
    },
    describe: (shown, more) => (shown === 0 ? 'No events match.'
      : `${shown} event${shown === 1 ? '' : 's'} shown, oldest first${start ? ` from event ${Number(start) + 1}` : ''}${more ? '' : ', all loaded'}.`),
    onError: (error) => showQueryProblem(form, error),
  });

  view.append(
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, 'Audit trail'),
        h('p', { class: 'subtitle' }, 'Every change, who made it and why, in a hash chain.')),
      h('div', { class: 'head-actions' }, verifyButton)),
    verifyOut,
    form,
    h('div', { class: 'card table-card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table audit-table' },
      h('caption', { class: 'visually-hidden' }, 'Audit events'),
      h('thead', {}, h('tr', {}, ['Seq', 'Time', 'Actor', 'Action', 'Record', 'Reason', 'Change', 'Chain'].map((c) =>
        h('th', { scope: 'col', class: c === 'Seq' ? 'num' : null }, c)))),
      tbody))),
    foot);
  loadPage();
}

// ---------------------------------------------------------------------------------------------
// Screen 6b: rejection history (issue 8). Every failing requirement of an issued sample, for
// auditors and admins (all exporters) and for exporters (their own: the server confines them and
// refuses another exporter's id, so they are not offered the exporter filter); the summaries by
// month, requirement, exporter, district or ODOP product, with repeat offenders and turnaround;
// both as CSV, and for auditors and admins the signed PDF report of a period and district.
// Dates are whole UTC days (the server's months are UTC months). "Until" is inclusive on screen
// and the API gets the next day, because its `to` is exclusive.
// ---------------------------------------------------------------------------------------------

const REJECTIONS_PAGE_SIZE = 100;

// The list's filters, in the order of the form; every one is a query parameter of the API.
const REJECTION_FILTERS = [
  { name: 'from', label: 'Issued from', type: 'date' },
  { name: 'to', label: 'Issued until (inclusive)', type: 'date' },
  { name: 'exporter', label: 'Exporter', staffOnly: true },
  { name: 'district', label: 'District', list: 'dl-rej-districts', placeholder: 'Any' },
  { name: 'product', label: 'ODOP product', list: 'dl-rej-products', placeholder: 'Any' },
  { name: 'product_family', label: 'Product family', list: 'dl-rej-families', placeholder: 'Any' },
  { name: 'standard', label: 'Standard', list: 'dl-rej-standards', placeholder: 'EN ISO 20345:2022' },
  { name: 'requirement', label: 'Requirement code', placeholder: 'EN20345-2022-CRVI', mono: true },
  { name: 'market', label: 'Market', list: 'dl-rej-markets', placeholder: 'DE', maxlength: 2, upper: true },
  { name: 'lab', label: 'Lab', placeholder: 'AGR', mono: true },
];

const SUMMARY_GROUPS = [
  { value: 'month', label: 'Month' },
  { value: 'requirement', label: 'Requirement' },
  { value: 'exporter', label: 'Exporter' },
  { value: 'district', label: 'District' },
  { value: 'product', label: 'ODOP product' },
];

// What an exporter may group its own history by (the server refuses the rest).
const EXPORTER_SUMMARY_GROUPS = ['month', 'requirement'];

const PRODUCT_FAMILIES = ['footwear', 'textile_apparel'];

const countFormat = new Intl.NumberFormat('en-GB');
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

// A YYYY-MM-DD day as a UTC Date, or null when it is not a real day.
function utcDay(value) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value || '')) return null;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.toISOString().slice(0, 10) === value ? date : null;
}

// The API's exclusive `to` for an inclusive last day: "2026-03-31" → "2026-04-01". Anything else
// is passed on as typed, so the server names what is wrong with it next to the field.
function dayAfter(value) {
  const date = utcDay(value);
  if (!date) return value;
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

// The first and last day of a "2026-03" month, or null.
function monthDays(key) {
  const match = /^(\d{4})-(\d{2})$/.exec(key || '');
  if (!match) return null;
  const last = new Date(Date.UTC(Number(match[1]), Number(match[2]), 0));
  return [`${key}-01`, last.toISOString().slice(0, 10)];
}

function monthLabel(key) {
  const days = monthDays(key);
  return days ? monthFormat.format(utcDay(days[0])) : key;
}

// Field errors the browser can find before asking: an impossible period.
function periodProblems(from, to) {
  const problems = [];
  if (from && !utcDay(from)) problems.push({ field: 'from', reason: 'Not a date.' });
  if (to && !utcDay(to)) problems.push({ field: 'to', reason: 'Not a date.' });
  if (utcDay(from) && utcDay(to) && to < from) problems.push({ field: 'to', reason: 'Must not be before the first day.' });
  return problems;
}

// A rate (0..1) as a percentage: two decimals below 10 %, where rejection rates usually are.
function percent(rate) {
  if (!present(rate) || !Number.isFinite(Number(rate))) return '—';
  const value = Number(rate) * 100;
  if (value === 0) return '0 %';
  return `${value.toFixed(value < 10 ? 2 : 1)} %`;
}

function hoursText(value) {
  if (!present(value) || !Number.isFinite(Number(value))) return '—';
  const hours = Number(value);
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}

function countText(n) {
  return countFormat.format(Number(n) || 0);
}

// The API query of a period and filters: empty ones left out, `to` made exclusive.
function rejectionParams(values, names) {
  const query = new URLSearchParams();
  for (const name of names) {
    const value = values[name];
    if (!present(value)) continue;
    query.set(name, name === 'to' ? dayAfter(value) : value);
  }
  return query;
}

// GET answers that do not change while the page is open (districts, standards), fetched once.
const lookups = new Map();

function lookup(path) {
  if (!lookups.has(path)) {
    lookups.set(path, api(path).catch((error) => {
      lookups.delete(path);
      throw error;
    }));
  }
  return lookups.get(path);
}

// Suggestions for the free-text filters (they stay free text: the history keeps what was issued,
// even a district or standard the catalog no longer lists).
function rejectionDatalists({ all = true } = {}) {
  const districts = h('datalist', { id: 'dl-rej-districts' });
  const products = h('datalist', { id: 'dl-rej-products' });
  const standards = h('datalist', { id: 'dl-rej-standards' });
  lookup('/api/v1/districts').then((body) => {
    const items = [...(body.items || [])].sort((a, b) => a.name.localeCompare(b.name));
    districts.replaceChildren(...items.map((d) => h('option', { value: d.name, label: d.odop_product ? `ODOP: ${d.odop_product}` : null })));
    const odop = [...new Set(items.map((d) => d.odop_product).filter(Boolean))].sort((a, b) => a.localeCompare(b));
    products.replaceChildren(...odop.map((p) => h('option', { value: p })));
  }).catch(() => {});  // suggestions only
  if (!all) return [districts];
  lookup('/api/v1/standards').then((body) => {
    const items = Array.isArray(body) ? body : (body.items || []);
    standards.replaceChildren(...items.map((s) => h('option', { value: s.code, label: s.title || null })));
  }).catch(() => {});
  return [
    districts, products, standards,
    h('datalist', { id: 'dl-rej-families' }, PRODUCT_FAMILIES.map((f) => h('option', { value: f, label: humanize(f) }))),
    h('datalist', { id: 'dl-rej-markets' }, DESTINATIONS.map((d) => h('option', { value: d }))),
  ];
}

// The exporter filter: a select of the registered exporters where the role may list them (admins);
// otherwise, or when the list cannot be read, the organisation id typed in, with the exporters
// met in the history so far as suggestions.
function rejectionExporterFilter(current) {
  const suggestions = h('datalist', { id: 'dl-rej-exporters' });
  const input = h('input', {
    type: 'text', name: 'exporter', value: current, inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'Organisation id', list: 'dl-rej-exporters',
  });
  const refresh = () => suggestions.replaceChildren(...[...seenExporters].sort((a, b) => a[1].localeCompare(b[1]))
    .map(([id, name]) => h('option', { value: id, label: name })));
  refresh();
  const picker = { control: input, extra: suggestions, refresh, value: () => input.value.trim() };
  if (!canSeeOrganizations()) return picker;

  const select = h('select', { name: 'exporter' },
    h('option', { value: current }, current ? `Exporter ${current}` : 'Loading exporters…'));
  picker.control = select;
  picker.value = () => select.value;
  api('/api/v1/organizations').then((body) => {
    const items = [...(body.items || [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const org of items) seenExporters.set(String(org.id), org.name);
    const known = items.some((org) => String(org.id) === current);
    select.replaceChildren(h('option', { value: '' }, 'Any exporter'),
      current && !known ? h('option', { value: current, selected: true }, `Exporter ${current}`) : null,
      ...items.map((org) => h('option', { value: String(org.id), selected: String(org.id) === current },
        org.district ? `${org.name} (${org.district})` : org.name)));
  }).catch(() => {
    // Fall back to the typed id, in the select's place (same id, so the label still points to it).
    if (!select.isConnected) return;
    input.id = select.id;
    input.setAttribute('aria-describedby', select.getAttribute('aria-describedby') || '');
    select.replaceWith(input);
    picker.value = () => input.value.trim();
  });
  return picker;
}

function exporterIdProblem(value) {
  return value && !/^\d+$/.test(value) ? [{ field: 'exporter', reason: 'An exporter’s organisation id (a number).' }] : [];
}

function rejectionLimitText(limit) {
  if (!limit) return '—';
  const comparator = COMPARATOR_SYMBOLS[limit.comparator] || (limit.comparator ? humanize(limit.comparator) : '');
  return [comparator, limit.value, limit.unit].filter(present).join(' ') || '—';
}

function rejectionRow(r, staff) {
  if (present(r.exporter) && r.exporter_name) seenExporters.set(String(r.exporter), r.exporter_name);
  const where = [r.standard, r.clause].filter(present).join(' ');
  return h('tr', {},
    h('td', { 'data-label': 'Issued', class: 'nowrap' }, timeElement(r.issued_at)),
    h('td', { 'data-label': 'Sample' }, staff
      ? h('a', { href: sampleHref(r.sample), class: 'sample-link' }, r.sample)
      : h('span', { class: 'mono' }, r.sample)),
    h('td', { 'data-label': 'Report' }, h('a', { href: certificateHref(r.report), class: 'sample-link' }, r.report)),
    h('td', { 'data-label': 'Exporter' }, r.exporter_name || h('span', { class: 'muted' }, '—')),
    h('td', { 'data-label': 'District' }, r.district || h('span', { class: 'muted' }, '—')),
    h('td', { 'data-label': 'Requirement' },
      h('span', { class: 'cell-main mono', title: where || null }, r.requirement),
      h('span', { class: 'cell-sub' }, r.property)),
    h('td', { 'data-label': 'Value' }, [r.value, r.unit].filter(present).join(' ') || h('span', { class: 'muted' }, '—')),
    h('td', { 'data-label': 'Limit', class: 'nowrap' }, rejectionLimitText(r.limit)),
    h('td', { 'data-label': 'Verdict' }, verdictChip(r.verdict)),
    h('td', { 'data-label': 'Decision rule' }, r.decision_rule ? humanize(r.decision_rule) : h('span', { class: 'muted' }, '—')));
}

async function renderRejections(view, params, isCurrent) {
  document.title = 'Rejections · Pramaan';
  const staff = isStaff();
  const exporterOnly = isExporterOnly();
  const filters = REJECTION_FILTERS.filter((f) => !(f.staffOnly && exporterOnly));
  const values = {};
  for (const f of filters) values[f.name] = (params.get(f.name) || '').trim();
  const after = params.get('after') || '';
  // `page` only numbers the pages on screen (it is not sent); the cursor is what pages.
  const page = after ? Math.max(2, Number.parseInt(params.get('page') || '2', 10) || 2) : 1;

  // The form: one control per filter; the exporter's is a select or a typed id.
  const read = {};
  const fields = [];
  const extras = rejectionDatalists();
  let exporters = null;
  for (const f of filters) {
    let control;
    if (f.name === 'exporter') {
      exporters = rejectionExporterFilter(values.exporter);
      control = exporters.control;
      extras.push(exporters.extra);
      read.exporter = () => exporters.value();
    } else {
      control = h('input', {
        type: f.type || 'text', name: f.name, value: values[f.name], autocomplete: 'off', spellcheck: 'false',
        title: f.type === 'date' ? 'A day in UTC' : null,
        placeholder: f.placeholder || null, list: f.list || null, maxlength: f.maxlength || null,
        class: [f.mono ? 'input-mono' : '', f.upper ? 'input-upper' : ''].filter(Boolean).join(' ') || null,
      });
      read[f.name] = () => control.value.trim();
    }
    fields.push(field({ name: f.name, label: f.label, control }));
  }
  const form = h('form', { class: 'card filter-form', novalidate: true, role: 'search', 'aria-label': 'Filter the rejection history' },
    h('div', { class: 'filter-grid' }, fields,
      h('div', { class: 'filter-actions' },
        h('button', { type: 'submit', class: 'button button-primary' }, 'Apply'),
        h('a', { href: '#/rejections', class: 'button button-quiet' }, 'Clear'))),
    extras);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const next = {};
    for (const f of filters) next[f.name] = read[f.name]();
    if (next.market) next.market = next.market.toUpperCase();
    const problems = [...periodProblems(next.from, next.to), ...exporterIdProblem(next.exporter)];
    if (next.market && !/^[A-Z]{2}$/.test(next.market)) problems.push({ field: 'market', reason: 'Two letters, such as DE or US.' });
    if (problems.length) {
      showFieldErrors(form, problems);
      return;
    }
    navigateTo(hashWithParams('#/rejections', next));  // a new filter starts at the first page
  });

  const names = filters.map((f) => f.name);
  const query = rejectionParams(values, names);
  const csvQuery = new URLSearchParams(query);
  csvQuery.set('format', 'csv');
  const csvLink = h('a', { href: '/api/v1/rejections?' + csvQuery.toString(), class: 'button', download: 'rejections.csv' },
    'Download CSV', h('span', { class: 'visually-hidden' }, ' of every rejection matching these filters, all pages'));
  const summaryValues = exporterOnly ? { from: values.from, to: values.to }
    : { from: values.from, to: values.to, district: values.district, exporter: values.exporter };
  const summaryLink = h('a', { href: hashWithParams('#/rejections/summary', summaryValues), class: 'button' }, 'Summary');

  const columns = ['Issued', 'Sample', 'Report', 'Exporter', 'District', 'Requirement', 'Value', 'Limit', 'Verdict', 'Decision rule'];
  const tbody = h('tbody');
  const countLine = h('p', { class: 'list-count', 'aria-live': 'polite' }, 'Loading…');
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of the rejection history', hidden: true });
  view.append(
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, 'Rejections'),
        h('p', { class: 'subtitle' }, exporterOnly
          ? 'The requirements your samples did not meet, from the lab’s issued test reports, newest first.'
          : 'Every requirement an issued sample did not meet, newest first.')),
      h('div', { class: 'head-actions' }, summaryLink, csvLink)),
    form,
    h('div', { class: 'card table-card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table rejections-table' },
      h('caption', { class: 'visually-hidden' }, 'Failing requirements of issued samples'),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      tbody))),
    h('div', { class: 'list-foot' }, countLine, pager));

  const pageQuery = new URLSearchParams(query);
  pageQuery.set('limit', String(REJECTIONS_PAGE_SIZE));
  if (after) pageQuery.set('after', after);
  try {
    const body = await api('/api/v1/rejections?' + pageQuery.toString(), { action: 'read the rejection history' });
    if (!isCurrent()) return;
    const items = body.items || [];
    tbody.replaceChildren(...items.map((r) => rejectionRow(r, staff)));
    if (exporters) exporters.refresh();
    const filtered = names.some((name) => values[name]);
    if (items.length === 0) {
      countLine.textContent = after ? 'No more rejections.'
        : (filtered ? 'No rejections match these filters.' : 'No rejections recorded yet.');
    } else {
      countLine.textContent = `Page ${page}: ${items.length} failing requirement${items.length === 1 ? '' : 's'}, newest issue first`
        + `${body.next ? '' : (after ? ', the last page' : ', all of them')}.`;
    }
    const links = [];
    if (after) links.push(h('a', { href: hashWithParams('#/rejections', values), class: 'button' }, 'First page'));
    if (body.next) {
      links.push(h('a', { href: hashWithParams('#/rejections', { ...values, after: body.next, page: String(page + 1) }), class: 'button', rel: 'next' },
        'Next page'));
    }
    pager.replaceChildren(...links);
    pager.hidden = links.length === 0;
  } catch (error) {
    if (!isCurrent()) return;
    countLine.textContent = 'The rejections could not be loaded.';
    csvLink.hidden = true;  // it would only download the same error
    showQueryProblem(form, error);
  }
}

// ----- Summary -----

// The list of one group's rejections (same period and filters), for the summary's counts.
function rejectionsOfGroup(groupBy, key, values) {
  const target = { from: values.from, to: values.to, district: values.district, exporter: values.exporter };
  if (groupBy === 'month') {
    const days = monthDays(key);
    if (days) {
      target.from = values.from && values.from > days[0] ? values.from : days[0];
      target.to = values.to && values.to < days[1] ? values.to : days[1];
    }
  } else if (groupBy === 'requirement') {
    target.requirement = key;
  } else if (groupBy === 'exporter') {
    target.exporter = key;
  } else if (groupBy === 'district') {
    target.district = key;
  } else if (groupBy === 'product') {
    target.product = key;
  }
  return hashWithParams('#/rejections', target);
}

function groupNameCell(g, groupBy) {
  if (groupBy === 'month') return h('td', { 'data-label': 'Month', class: 'nowrap' }, h('time', { datetime: g.key }, monthLabel(g.key)));
  if (groupBy === 'requirement') {
    return h('td', { 'data-label': 'Requirement' }, h('span', { class: 'cell-main mono' }, g.key),
      g.label ? h('span', { class: 'cell-sub' }, g.label) : null);
  }
  if (groupBy === 'exporter') {
    return h('td', { 'data-label': 'Exporter' }, h('span', { class: 'cell-main' }, g.label || `Exporter ${g.key}`),
      h('span', { class: 'cell-sub mono' }, `#${g.key}`));
  }
  const label = SUMMARY_GROUPS.find((s) => s.value === groupBy);
  return h('td', { 'data-label': label ? label.label : 'Group' }, g.label || g.key || h('span', { class: 'muted' }, '(none)'));
}

// The rate in words and as a bar drawn with a CSS width (scaled to the highest rate shown). The
// width is set through the CSSOM: the Content-Security-Policy refuses inline style attributes.
function rateCell(rate, highest) {
  const value = Number(rate) || 0;
  const fill = h('span', { class: 'rate-bar-fill' });
  fill.style.width = `${highest > 0 ? Math.max(value > 0 ? 2 : 0, Math.min(100, (value / highest) * 100)) : 0}%`;
  return h('td', { 'data-label': 'Rate' },
    h('span', { class: 'rate' }, h('span', { class: 'rate-value' }, percent(rate)),
      h('span', { class: 'rate-bar', 'aria-hidden': 'true' }, fill)));
}

function summaryGroupRow(g, groupBy, values, highest) {
  const rejected = Number(g.rejected) || 0;
  const turnaround = g.turnaround || {};
  const top = g.top_failing || [];
  const name = groupBy === 'month' ? monthLabel(g.key) : (g.label || g.key);
  return h('tr', {},
    groupNameCell(g, groupBy),
    h('td', { 'data-label': 'Tested', class: 'num' }, countText(g.tested)),
    h('td', { 'data-label': 'Rejected', class: 'num' }, rejected > 0
      ? h('a', { href: rejectionsOfGroup(groupBy, g.key, values) }, countText(rejected),
        h('span', { class: 'visually-hidden' }, ` rejected in ${name}: show them`))
      : '0'),
    rateCell(g.rejection_rate, highest),
    h('td', { 'data-label': 'Top failing' }, top.length
      ? h('ol', { class: 'top-failing' }, top.map((t) => h('li', {},
        h('span', { class: 'mono' }, t.requirement), ` (${countText(t.rejections)})`)))
      : h('span', { class: 'muted' }, '—')),
    h('td', { 'data-label': 'TAT median', class: 'num nowrap' }, hoursText(turnaround.median_hours)),
    h('td', { 'data-label': 'TAT p90', class: 'num nowrap' }, hoursText(turnaround.p90_hours)));
}

function repeatOffenderRow(o, values, exporterOnly) {
  if (present(o.exporter) && o.exporter_name) seenExporters.set(String(o.exporter), o.exporter_name);
  const target = { from: values.from, to: values.to, district: values.district, requirement: o.requirement };
  if (!exporterOnly) target.exporter = o.exporter;
  return h('tr', {},
    h('td', { 'data-label': 'Exporter' }, h('span', { class: 'cell-main' }, o.exporter_name || `Exporter ${o.exporter}`),
      exporterOnly ? null : h('span', { class: 'cell-sub mono' }, `#${o.exporter}`)),
    h('td', { 'data-label': 'Requirement', class: 'mono' }, o.requirement),
    h('td', { 'data-label': 'Rejections', class: 'num' }, h('a', { href: hashWithParams('#/rejections', target) }, countText(o.rejections),
      h('span', { class: 'visually-hidden' }, ` rejections of ${o.requirement} for ${o.exporter_name || o.exporter}: show them`))));
}

// The signed PDF: fetched rather than followed, so a refusal (no signing key, a district not in
// the catalog, a period over ten years) shows as a message next to the form instead of becoming a
// downloaded error file. The link's href stays the real address (open in a new tab, copy it).
async function downloadSignedReport(event, link, label, form) {
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (link.getAttribute('aria-disabled') === 'true') return;
  link.setAttribute('aria-disabled', 'true');
  const text = label.textContent;
  label.textContent = 'Preparing the signed report…';
  clearBanner();
  clearFieldErrors(form);
  try {
    let response;
    try {
      response = await fetch(link.href, { credentials: 'same-origin', headers: { Accept: 'application/pdf, application/problem+json' } });
    } catch {
      throw new ApiError(0, { title: 'Server unreachable', detail: 'The request did not reach limsd. Check the network connection and try again.' });
    }
    if (response.ok) {
      const blob = await response.blob();
      const named = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
      const url = URL.createObjectURL(blob);
      const save = h('a', { href: url, download: named ? named[1] : 'rejection-report.pdf', hidden: true });
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
      return;
    }
    if (response.status === 401) {
      signInRequired('GET');
      return;
    }
    let problem = {};
    try {
      problem = JSON.parse(await response.text()) || {};
    } catch {
      problem = {};
    }
    problem.title = response.status === 403 ? 'You are not allowed to download the signed report'
      : (problem.title || 'The signed report could not be made');
    problem.detail = problem.detail || `The server answered HTTP ${response.status}.`;
    throw new ApiError(response.status, problem);
  } catch (error) {
    showQueryProblem(form, error);
  } finally {
    label.textContent = text;
    link.removeAttribute('aria-disabled');
  }
}

async function renderRejectionSummary(view, params, isCurrent) {
  document.title = 'Rejection summary · Pramaan';
  const exporterOnly = isExporterOnly();
  const canReport = hasRole('auditor') || hasRole('admin');
  const groups = SUMMARY_GROUPS.filter((g) => !exporterOnly || EXPORTER_SUMMARY_GROUPS.includes(g.value));
  const asked = params.get('group_by') || 'month';
  const groupBy = groups.some((g) => g.value === asked) ? asked : 'month';
  const values = {
    group_by: groupBy,
    from: (params.get('from') || '').trim(),
    to: (params.get('to') || '').trim(),
    district: exporterOnly ? '' : (params.get('district') || '').trim(),
    exporter: exporterOnly ? '' : (params.get('exporter') || '').trim(),
  };

  const groupSelect = h('select', { name: 'group_by' },
    groups.map((g) => h('option', { value: g.value, selected: g.value === groupBy }, g.label)));
  const from = h('input', { type: 'date', name: 'from', value: values.from, title: 'A day in UTC' });
  const to = h('input', { type: 'date', name: 'to', value: values.to, title: 'A day in UTC' });
  const district = exporterOnly ? null : h('input', {
    type: 'text', name: 'district', value: values.district, placeholder: 'All districts', autocomplete: 'off', list: 'dl-rej-districts',
  });
  const exporters = exporterOnly ? null : rejectionExporterFilter(values.exporter);
  const extras = exporterOnly ? [] : rejectionDatalists({ all: false });
  if (exporters) extras.push(exporters.extra);
  const form = h('form', { class: 'card filter-form', novalidate: true, role: 'search', 'aria-label': 'Summarise the rejection history' },
    h('div', { class: 'filter-grid' },
      field({ name: 'group_by', label: 'Group by', control: groupSelect }),
      field({ name: 'from', label: 'Issued from', control: from }),
      field({ name: 'to', label: 'Issued until (inclusive)', control: to }),
      district ? field({ name: 'district', label: 'District', control: district }) : null,
      exporters ? field({ name: 'exporter', label: 'Exporter', control: exporters.control }) : null,
      h('div', { class: 'filter-actions' },
        h('button', { type: 'submit', class: 'button button-primary' }, 'Apply'),
        h('a', { href: '#/rejections/summary', class: 'button button-quiet' }, 'Clear'))),
    extras);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const next = {
      group_by: groupSelect.value,
      from: from.value,
      to: to.value,
      district: district ? district.value.trim() : '',
      exporter: exporters ? exporters.value() : '',
    };
    const problems = [...periodProblems(next.from, next.to), ...exporterIdProblem(next.exporter)];
    if (next.group_by === 'requirement' && next.district) {
      problems.push({ field: 'district', reason: 'A summary by requirement covers every district (its counts are kept per month and requirement). Clear the district or group otherwise.' });
    }
    if (problems.length) {
      showFieldErrors(form, problems);
      return;
    }
    navigateTo(hashWithParams('#/rejections/summary', next));
  });

  const query = rejectionParams(values, ['group_by', 'from', 'to', 'district', 'exporter']);
  const csvQuery = new URLSearchParams(query);
  csvQuery.set('format', 'csv');
  const csvLink = h('a', { href: '/api/v1/rejections/summary?' + csvQuery.toString(), class: 'button', download: `rejections-by-${groupBy}.csv` },
    'Download CSV', h('span', { class: 'visually-hidden' }, ' of this summary'));
  const listLink = h('a', {
    href: hashWithParams('#/rejections', { from: values.from, to: values.to, district: values.district, exporter: values.exporter }),
    class: 'button button-quiet',
  }, 'All rejections');

  // The signed report covers a period (the last twelve months when none is given) and one
  // district or all of them, every exporter; it ignores the grouping and the exporter filter.
  let reportLink = null;
  if (canReport) {
    const report = new URLSearchParams();
    if (values.from) report.set('from', values.from);
    if (values.to) report.set('to', dayAfter(values.to));
    report.set('district', values.district);
    const period = values.from || values.to ? `${values.from || 'the start'} to ${values.to || 'today'}` : 'the last 12 months';
    const scope = `${period}, ${values.district || 'all districts'}, every exporter`;
    const label = h('span', {}, 'Signed PDF report');
    reportLink = h('a', { href: '/api/v1/rejections/report?' + report.toString(), class: 'button', title: `Signed PDF: ${scope}` },
      label, h('span', { class: 'visually-hidden' }, ` (${scope})`));
    reportLink.addEventListener('click', (event) => downloadSignedReport(event, reportLink, label, form));
  }

  const notice = asked !== groupBy && params.has('group_by')
    ? h('p', { class: 'notice notice-muted' }, `Your history can be grouped by month or by requirement; shown by ${groupBy}.`)
    : null;
  const body = h('div', { class: 'summary-body' }, h('p', { class: 'list-count', 'aria-live': 'polite' }, 'Loading the summary…'));
  view.append(
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, 'Rejection summary'),
        h('p', { class: 'subtitle' }, exporterOnly
          ? 'How often your samples failed, the requirements failed most, and how long testing took.'
          : 'Samples tested and rejected, the requirements failed most, repeat offenders and turnaround.')),
      h('div', { class: 'head-actions' }, listLink, csvLink, reportLink)),
    ...(notice ? [notice] : []),
    form,
    body);

  try {
    const s = await api('/api/v1/rejections/summary?' + query.toString(), { action: 'read the rejection summary' });
    if (!isCurrent()) return;
    drawRejectionSummary(body, s, values, exporterOnly);
    if (exporters) exporters.refresh();
  } catch (error) {
    if (!isCurrent()) return;
    body.replaceChildren(h('p', { class: 'list-count' }, 'The summary could not be loaded.'));
    csvLink.hidden = true;
    showQueryProblem(form, error);
  }
}

function drawRejectionSummary(body, s, values, exporterOnly) {
  const groupBy = s.group_by || values.group_by;
  const groupRows = s.groups || [];
  const offenders = s.repeat_offenders || [];
  const turnaround = s.turnaround || {};
  const byRequirement = groupBy === 'requirement';
  const groupLabel = (SUMMARY_GROUPS.find((g) => g.value === groupBy) || { label: humanize(groupBy) }).label;
  const highest = groupRows.reduce((max, g) => Math.max(max, Number(g.rejection_rate) || 0), 0);
  const tested = groupRows.reduce((sum, g) => sum + (Number(g.tested) || 0), 0);
  const rejected = groupRows.reduce((sum, g) => sum + (Number(g.rejected) || 0), 0);
  const columns = [groupLabel, 'Tested', 'Rejected', 'Rejection rate', 'Top failing', 'Turnaround median', 'Turnaround p90'];
  const numeric = new Set(['Tested', 'Rejected', 'Turnaround median', 'Turnaround p90']);

  body.replaceChildren(
    h('section', { class: 'card table-card', 'aria-labelledby': 'rej-groups-h' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'rej-groups-h' }, `By ${groupLabel.toLowerCase()}`),
        h('span', { class: 'section-meta muted' }, `${groupRows.length} group${groupRows.length === 1 ? '' : 's'}`)),
      h('p', { class: 'card-note' }, byRequirement
        ? 'Counts are tests of each requirement, over the whole months of issue in the period. Bars are scaled to the highest rate shown.'
        : 'Counts are issued samples; a sample is rejected when any requirement failed. Bars are scaled to the highest rate shown. Turnaround runs from receipt to issue.'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data-table summary-table' },
        h('caption', { class: 'visually-hidden' }, `Rejections by ${groupLabel.toLowerCase()}`),
        h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: numeric.has(c) ? 'num' : null }, c)))),
        h('tbody', {}, groupRows.length ? groupRows.map((g) => summaryGroupRow(g, groupBy, values, highest))
          : h('tr', {}, h('td', { colspan: String(columns.length), class: 'muted' }, 'Nothing was issued in this period.')))))),
    h('section', { class: 'card table-card', 'aria-labelledby': 'rej-repeat-h' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'rej-repeat-h' }, 'Repeat offenders'),
        h('span', { class: 'section-meta muted' }, 'The same requirement failed more than once in the period')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data-table' },
        h('caption', { class: 'visually-hidden' }, 'Exporters that failed the same requirement more than once'),
        h('thead', {}, h('tr', {}, ['Exporter', 'Requirement', 'Rejections'].map((c) =>
          h('th', { scope: 'col', class: c === 'Rejections' ? 'num' : null }, c)))),
        h('tbody', {}, offenders.length ? offenders.map((o) => repeatOffenderRow(o, values, exporterOnly))
          : h('tr', {}, h('td', { colspan: '3', class: 'muted' }, 'None in this period.')))))),
    h('section', { class: 'card', 'aria-labelledby': 'rej-period-h' },
      h('h2', { id: 'rej-period-h' }, 'The whole period'),
      h('dl', { class: 'facts' },
        fact(byRequirement ? 'Tests' : 'Samples tested', countText(tested)),
        fact(byRequirement ? 'Failed tests' : 'Samples rejected', countText(rejected)),
        fact('Rejection rate', tested > 0 ? percent(rejected / tested) : '—'),
        fact('Turnaround, median', hoursText(turnaround.median_hours)),
        fact('Turnaround, 90th percentile', hoursText(turnaround.p90_hours)))));
}

// ---------------------------------------------------------------------------------------------
// Screen 7: certificates of conformity and test reports: the list (everyone signed in; an exporter
// sees only its own, the server enforces it), a certificate's page with its downloads, revocation
// and amendment (signatories), and the signatory's batch issue of samples ready to certify
// ---------------------------------------------------------------------------------------------

const CERTIFICATE_KINDS = {
  certificate_of_conformity: 'Certificate of conformity',
  test_report: 'Test report',
};

// A certificate's state in words, with a mark so that it never rests on colour alone.
const CERTIFICATE_STATUSES = {
  valid: { label: 'Valid', mark: '✓', hint: 'In force: it may be relied on' },
  superseded: { label: 'Superseded', mark: '↻', hint: 'Replaced by an amended certificate: rely on the new one' },
  revoked: { label: 'Revoked', mark: '✗', hint: 'Withdrawn by the laboratory: it must not be relied on' },
};

// Exporters met on certificates, for the exporter filter of staff who may not list organizations.
const seenExporters = new Map();

function certificateHref(number) {
  return '#/certificates/' + encodeURIComponent(number);
}

function certificateApi(number) {
  return '/api/v1/certificates/' + encodeURIComponent(number);
}

function certificateKindLabel(kind) {
  return CERTIFICATE_KINDS[kind] || humanize(kind);
}

// The kind a sample's verdict leads to: any fail → test report, otherwise a certificate of conformity.
function plannedKind(verdict) {
  return verdictSide(verdict) === 'fail' ? 'test_report' : 'certificate_of_conformity';
}

function certificateStatusBadge(status) {
  const known = CERTIFICATE_STATUSES[status] || { label: humanize(status), mark: '', hint: '' };
  return h('span', { class: `badge cert-status cert-${status}`, title: known.hint || null },
    known.mark ? h('span', { 'aria-hidden': 'true' }, known.mark, ' ') : null, known.label);
}

// The stored, signed PDF (Content-Disposition: attachment) and the public verification page.
function certificatePdfLink(number, label = 'PDF', extraClass = 'button-small') {
  return h('a', { href: `${certificateApi(number)}/pdf`, download: `${number}.pdf`, class: `button ${extraClass}`.trim() },
    label, h('span', { class: 'visually-hidden' }, ` of ${number} (downloads)`));
}

function verifyPageLink(number, label = 'Verify', extraClass = 'button-small') {
  return h('a', { href: '/verify/' + encodeURIComponent(number), target: '_blank', rel: 'noopener', class: `button ${extraClass}`.trim() },
    label, h('span', { class: 'visually-hidden' }, ` ${number} on the public verification page (opens in a new tab)`));
}

// A date input's day (the terminal's time zone) as the RFC 3339 instant the day starts; with
// `dayAfter`, the start of the next day (the API's `to` is exclusive).
function dayStartRfc3339(value, dayAfter = false) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value || '')) return null;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(y, m - 1, d + (dayAfter ? 1 : 0));
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function certificateRow(c, staff) {
  if (c.exporter && present(c.exporter.id)) seenExporters.set(String(c.exporter.id), c.exporter.name);
  const row = h('tr', { class: `clickable cert-row cert-row-${c.status}` },
    h('td', { 'data-label': 'Certificate' },
      h('a', { href: certificateHref(c.number), class: 'sample-link cert-link' }, c.number),
      c.supersedes ? h('span', { class: 'cell-sub' }, 'Amends ', c.supersedes) : null),
    h('td', { 'data-label': 'Sample' },
      h('a', { href: sampleHref(c.sample), class: 'sample-link' }, c.sample),
      c.product ? h('span', { class: 'cell-sub' }, c.product) : null),
    staff ? h('td', { 'data-label': 'Exporter' }, c.exporter ? c.exporter.name : '—') : null,
    h('td', { 'data-label': 'Kind' }, certificateKindLabel(c.kind)),
    h('td', { 'data-label': 'Verdict' }, verdictChip(c.verdict)),
    h('td', { 'data-label': 'Status' },
      certificateStatusBadge(c.status),
      c.superseded_by ? h('span', { class: 'cell-sub' }, 'by ', h('a', { href: certificateHref(c.superseded_by) }, c.superseded_by)) : null),
    h('td', { 'data-label': 'Issued', class: 'nowrap' }, timeElement(c.issued_at)),
    h('td', { 'data-label': 'Signatory' }, c.signatory || '—'),
    h('td', { 'data-label': 'Files' }, h('span', { class: 'label-links' }, certificatePdfLink(c.number), verifyPageLink(c.number))));
  // The whole row opens the certificate; the links inside stay the keyboard targets.
  row.addEventListener('click', (event) => {
    if (event.target.closest('a, button') || window.getSelection().toString()) return;
    location.hash = certificateHref(c.number);
  });
  return row;
}

// The exporter filter: the organization list where the role may read it, otherwise the exporters
// met on certificates so far (and the one filtered by, named through GET /organizations/{id}).
function certificateExporterSelect(current) {
  const select = h('select', { name: 'exporter' });
  const fill = () => {
    const chosen = select.value || current;
    const entries = [...seenExporters].sort((a, b) => a[1].localeCompare(b[1]));
    if (chosen && !seenExporters.has(chosen)) entries.push([chosen, `Exporter ${chosen}`]);
    select.replaceChildren(h('option', { value: '' }, 'Any exporter'),
      ...entries.map(([id, name]) => h('option', { value: id, selected: id === chosen }, name)));
  };
  fill();
  if (canSeeOrganizations()) {
    api('/api/v1/organizations').then((body) => {
      for (const org of body.items || []) seenExporters.set(String(org.id), org.name);
      fill();
    }).catch(() => {});  // the exporters met on certificates remain
  } else if (current && !seenExporters.has(current)) {
    api('/api/v1/organizations/' + encodeURIComponent(current)).then((org) => {
      seenExporters.set(String(org.id), org.name);
      fill();
    }).catch(() => {});
  }
  return { select, refresh: fill };
}

function renderCertificates(view, params, isCurrent) {
  const staff = isStaff();
  const title = staff ? 'Certificates' : 'Your certificates and test reports';
  document.title = `${title} · Pramaan`;
  const filters = {
    from: params.get('from') || '',
    to: params.get('to') || '',
    exporter: staff ? params.get('exporter') || '' : '',
  };
  const fromInput = h('input', { type: 'date', name: 'from', value: filters.from });
  const toInput = h('input', { type: 'date', name: 'to', value: filters.to });
  const exporters = staff ? certificateExporterSelect(filters.exporter) : null;
  const form = h('form', { class: 'card filter-form', novalidate: true, role: 'search', 'aria-label': 'Filter the certificates' },
    h('div', { class: 'filter-grid' },
      field({ name: 'from', label: 'Issued from', control: fromInput }),
      field({ name: 'to', label: 'Issued until (inclusive)', control: toInput }),
      exporters ? field({ name: 'exporter', label: 'Exporter', control: exporters.select }) : null,
      h('div', { class: 'filter-actions' },
        h('button', { type: 'submit', class: 'button button-primary' }, 'Apply'),
        h('a', { href: '#/certificates', class: 'button button-quiet' }, 'Clear'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    if (fromInput.value && toInput.value && toInput.value < fromInput.value) {
      showFieldErrors(form, [{ field: 'to', reason: 'Must not be before the first day.' }]);
      return;
    }
    navigateTo(hashWithParams('#/certificates', {
      from: fromInput.value, to: toInput.value, exporter: exporters ? exporters.select.value : '',
    }));
  });

  const columns = ['Certificate', 'Sample', ...(staff ? ['Exporter'] : []), 'Kind', 'Verdict', 'Status', 'Issued', 'Signatory', 'Files'];
  const tbody = h('tbody');
  const { foot, loadPage } = pagedTable({
    isCurrent,
    fetchPage: (after) => {
      const query = new URLSearchParams();
      const fromUtc = dayStartRfc3339(filters.from);
      const toUtc = dayStartRfc3339(filters.to, true);
      if (fromUtc) query.set('from', fromUtc);
      if (toUtc) query.set('to', toUtc);
      if (filters.exporter) query.set('exporter', filters.exporter);
      if (after) query.set('after', after);
      const text = query.toString();
      return api('/api/v1/certificates' + (text ? '?' + text : ''), { action: 'view certificates' });
    },
    addRows: (items) => {
      const rows = items.map((c) => certificateRow(c, staff));
      tbody.append(...rows);
      if (exporters && !canSeeOrganizations()) exporters.refresh();
      return rows;
    },
    describe: (shown, more) => {
      if (shown === 0) return Object.values(filters).some(Boolean) ? 'No certificates match these filters.' : 'No certificates issued yet.';
      return `${shown} certificate${shown === 1 ? '' : 's'} shown, by number${more ? '' : ', all loaded'}.`;
    },
    onError: (error) => showQueryProblem(form, error),
  });

  view.append(
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, title),
        h('p', { class: 'subtitle' }, staff
          ? 'Signed certificates of conformity and test reports. Anyone holding one can check it on its public verification page.'
          : 'Download the signed PDF, or open the public verification page your buyers can check.')),
      hasRole('signatory') ? h('div', { class: 'head-actions' },
        h('a', { href: '#/certificates/issue', class: 'button button-primary' }, 'Issue certificates')) : null),
    form,
    h('div', { class: 'card table-card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table cert-table' },
      h('caption', { class: 'visually-hidden' }, title),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      tbody))),
    foot);
  loadPage();
}

// The signatory's electronic signature of an act: the password again and a reason (required, at
// least 10 characters, for a revocation or an amendment; optional on issue). `send(body,
// submission)` makes the write; `onDone(result)` follows a success.
function signedActForm({ label, intro, submitLabel, danger = false, reasonRequired, reasonHint, send, onDone, onCancel = null, reload = null }) {
  const submission = new Submission();
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const reason = h('textarea', { name: 'reason', rows: '2', maxlength: '1000' });
  const cancel = onCancel ? h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel') : null;
  if (cancel) cancel.addEventListener('click', onCancel);
  const form = h('form', { class: 'result-form sign-form', novalidate: true, 'aria-label': label },
    intro ? h('p', { class: 'muted' }, intro) : null,
    h('div', { class: 'form-grid form-grid-sign' },
      field({ name: 'password', label: 'Your password', control: password, hint: 'Signs this act electronically in your name.' }),
      field({ name: 'reason', label: 'Reason', control: reason, optional: !reasonRequired, hint: reasonHint })),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: `button ${danger ? 'button-danger' : 'button-primary'}` }, submitLabel),
      cancel));
  form.querySelector('[data-field="password"]').classList.add('field-required');
  if (reasonRequired) form.querySelector('[data-field="reason"]').classList.add('field-required');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { password: password.value };
    const why = reason.value.trim();
    if (why) body.reason = why;
    const problems = [];
    if (!body.password) problems.push({ field: 'password', reason: 'Enter your password to sign.' });
    if (reasonRequired && why.replace(/\s/g, '').length < 10) problems.push({ field: 'reason', reason: 'Say why, in at least 10 characters.' });
    if (problems.length) {
      clearFieldErrors(form);
      showFieldErrors(form, problems);
      return;
    }
    const done = await submitForm(form, () => send(body, submission), undefined, { reload });
    password.value = '';  // never left on screen; a retry types it again
    if (done) onDone(done);
  });
  return { form, focus: () => password.focus() };
}

// GET .../credential answers JSON; the JWS goes to the user as a file made in the browser.
async function downloadCredential(number, button) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  clearBanner();
  try {
    const body = await api(`${certificateApi(number)}/credential`, { action: 'download credentials' });
    const url = URL.createObjectURL(new Blob([body.jws], { type: 'application/jose' }));
    const link = h('a', { href: url, download: `${number}.jws`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  } catch (error) {
    showProblem(error);
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

function certificateStatusNotice(c) {
  if (c.status === 'revoked') {
    return h('div', { class: 'notice notice-fail', role: 'note' },
      h('strong', {}, '✗ Revoked', c.revoked_at ? [' ', timeElement(c.revoked_at)] : null, ': this document must not be relied on.'),
      h('span', {}, 'Reason: ', c.revocation_reason || 'none recorded'));
  }
  if (c.status === 'superseded') {
    return h('div', { class: 'notice notice-warn', role: 'note' },
      h('strong', {}, '↻ Superseded', c.superseded_by ? [' by ', h('a', { href: certificateHref(c.superseded_by) }, c.superseded_by)] : null, '.'),
      h('span', {}, 'Rely on the amended certificate; this one stays on record.'));
  }
  return null;
}

// Revocation and amendment, for signatories while the certificate is valid. One form at a time.
function lifecycleSection(c, ctx) {
  const holder = h('div', { id: 'cert-act', hidden: true });
  const buttons = [];
  let open = null;
  const close = (button) => {
    holder.hidden = true;
    holder.replaceChildren();
    for (const b of buttons) b.setAttribute('aria-expanded', 'false');
    open = null;
    if (button) button.focus();
  };
  const toggle = (mode, label, build) => {
    const button = h('button', { type: 'button', class: 'button', 'aria-expanded': 'false', 'aria-controls': 'cert-act' }, label);
    button.addEventListener('click', () => {
      if (open === mode) {
        close(button);
        return;
      }
      const { form, focus } = build(() => close(button));
      holder.replaceChildren(form);
      holder.hidden = false;
      for (const b of buttons) b.setAttribute('aria-expanded', String(b === button));
      open = mode;
      focus();
    });
    buttons.push(button);
    return button;
  };
  const number = c.number;
  const revoke = toggle('revoke', 'Revoke…', (onCancel) => signedActForm({
    label: `Revoke ${number}`,
    intro: `${number} becomes revoked for good: its verification page says so and shows the reason. Nothing is deleted.`,
    submitLabel: 'Sign and revoke',
    danger: true,
    reasonRequired: true,
    reasonHint: 'At least 10 characters; shown on the public verification page.',
    send: (body, submission) => write(`${certificateApi(number)}/revoke`, { body, submission, action: 'revoke certificates' }),
    onDone: () => ctx.reload({ focus: 'cert-facts-h', notice: { title: `${number} revoked`, detail: 'Its verification page now says it must not be relied on.' } }),
    onCancel,
    reload: ctx.reload,
  }));
  const amend = toggle('amend', 'Amend…', (onCancel) => signedActForm({
    label: `Amend ${number}`,
    intro: `A new certificate is issued from the sample's approved results and names ${number}, which becomes superseded.`,
    submitLabel: 'Sign and issue the amendment',
    reasonRequired: true,
    reasonHint: 'At least 10 characters; printed on the new certificate as the reason for the amendment.',
    send: (body, submission) => write(`${certificateApi(number)}/amend`, { body, submission, action: 'amend certificates' }),
    onDone: ({ data }) => {
      pendingNotice = { title: `${data.number} issued`, detail: `It amends ${number}, which is now superseded.` };
      location.hash = certificateHref(data.number);
    },
    onCancel,
    reload: ctx.reload,
  }));
  return h('section', { class: 'card', 'aria-labelledby': 'cert-act-h' },
    h('div', { class: 'verdict-head' },
      h('h2', { id: 'cert-act-h' }, 'Revoke or amend'),
      h('div', { class: 'head-actions' }, amend, revoke)),
    h('p', { class: 'muted' }, 'Both are signed with your password and recorded in the audit trail (ISO/IEC 17025 7.8.8).'),
    holder);
}

function drawCertificate(view, c, ctx) {
  document.title = `${c.number} · Pramaan`;
  const credential = h('button', { type: 'button', class: 'button' }, 'Download credential (JWS)');
  credential.addEventListener('click', () => downloadCredential(c.number, credential));
  view.replaceChildren(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/certificates' }, 'Certificates'), h('span', { 'aria-hidden': 'true' }, ' / '), c.number),
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { tabindex: '-1' }, h('span', { class: 'mono' }, c.number), ' ', certificateStatusBadge(c.status)),
        h('p', { class: 'subtitle' }, certificateKindLabel(c.kind), ' · ', c.exporter ? c.exporter.name : '', ' · ', c.product)),
      h('div', { class: 'head-actions' },
        certificatePdfLink(c.number, 'Download PDF', 'button-primary'),
        credential,
        verifyPageLink(c.number, 'Verification page', ''))),
    certificateStatusNotice(c) || '',
    h('section', { class: `card verdict-card verdict-card-${verdictSide(c.verdict)}`, 'aria-labelledby': 'cert-facts-h' },
      h('div', { class: 'verdict-head' },
        h('h2', { id: 'cert-facts-h', tabindex: '-1' }, certificateKindLabel(c.kind)),
        verdictChip(c.verdict)),
      h('dl', { class: 'facts' },
        fact('Status', certificateStatusBadge(c.status)),
        fact('Sample', h('a', { href: sampleHref(c.sample), class: 'sample-link' }, c.sample)),
        fact('Exporter', c.exporter ? c.exporter.name : '—'),
        fact('Product', c.product || '—'),
        fact('Issued', timeElement(c.issued_at)),
        fact('Signatory', c.signatory || '—'),
        c.supersedes ? fact('Amends', h('a', { href: certificateHref(c.supersedes), class: 'mono' }, c.supersedes)) : null,
        c.supersedes && c.amend_reason ? fact('Reason for the amendment', c.amend_reason) : null,
        c.superseded_by ? fact('Superseded by', h('a', { href: certificateHref(c.superseded_by), class: 'mono' }, c.superseded_by)) : null,
        c.revoked_at ? fact('Revoked', timeElement(c.revoked_at)) : null,
        c.status === 'revoked' ? fact('Reason for the revocation', c.revocation_reason || '—') : null,
        h('div', { class: 'fact fact-wide' }, h('dt', {}, 'SHA-256 of the PDF'), h('dd', { class: 'mono hash' }, c.sha256 || '—'))),
      h('p', { class: 'cell-sub cert-check' },
        'A copy is genuine when its SHA-256 (sha256sum file.pdf) matches. The credential is a signed JWS; the lab’s public keys are at ',
        h('a', { href: '/.well-known/jwks.json', target: '_blank', rel: 'noopener' }, '/.well-known/jwks.json'), '.')),
    hasRole('signatory') && c.status === 'valid' ? lifecycleSection(c, ctx) : '');
}

function renderCertificatePage(view, number, isCurrent) {
  document.title = `${number} · Pramaan`;
  view.append(h('p', { class: 'muted loading' }, `Loading ${number}…`));
  const ctx = { reload: null };
  const { load, reload } = reloadable(view, isCurrent,
    () => api(certificateApi(number), { action: 'view certificates' }),
    (c) => drawCertificate(view, c, ctx),
    () => h('div', { class: 'empty' },
      h('h1', { tabindex: '-1' }, 'Certificate not found'),
      h('p', {}, `There is no certificate ${number} that you may see.`),
      h('a', { href: '#/certificates', class: 'button' }, 'Back to certificates')));
  ctx.reload = reload;
  return load();
}

// ----- Batch issue (signatories) -----

// Every sample ready to certify, following the keyset pages (a day's work, capped for safety).
async function readySamples() {
  const items = [];
  let after = null;
  do {
    const query = new URLSearchParams({ status: 'ready', limit: '100' });
    if (after) query.set('after', after);
    const page = await api('/api/v1/samples?' + query.toString());
    items.push(...(page.items || []));
    after = page.next || null;
  } while (after && items.length < 500);
  return items;
}

// Runs `task` over `list`, `width` at a time.
async function eachLimited(list, width, task) {
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const item = list[next];
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, list.length) }, worker));
}

function renderIssueBatch(view, isCurrent) {
  document.title = 'Issue certificates · Pramaan';
  let entries = [];  // { sample, box, row, note }
  const tbody = h('tbody');
  const countLine = h('p', { class: 'list-count', 'aria-live': 'polite' }, 'Loading samples ready to certify…');
  const selectAll = h('input', { type: 'checkbox', id: 'f-select-all' });
  const submitButton = h('button', { type: 'submit', class: 'button button-primary' }, 'Sign 0 certificates');
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const reason = h('textarea', { name: 'reason', rows: '2', maxlength: '1000' });
  const submission = new Submission();

  const selected = () => entries.filter((e) => e.box.checked);
  const update = () => {
    const n = selected().length;
    submitButton.textContent = `Sign ${n} certificate${n === 1 ? '' : 's'}`;
    selectAll.checked = entries.length > 0 && n === entries.length;
    selectAll.indeterminate = n > 0 && n < entries.length;
    selectAll.disabled = entries.length === 0;
  };
  selectAll.addEventListener('change', () => {
    for (const e of entries) e.box.checked = selectAll.checked;
    update();
  });

  const entryRow = (sample) => {
    const box = h('input', { type: 'checkbox', name: 'samples', value: sample.number, id: `f-batch-${sample.number}` });
    box.addEventListener('change', update);
    const verdictCell = h('td', { 'data-label': 'Verdict' }, h('span', { class: 'muted' }, '…'));
    const testsCell = h('td', { 'data-label': 'Tests', class: 'num' }, h('span', { class: 'muted' }, '…'));
    const note = h('span', { class: 'cell-sub batch-note', hidden: true });
    const row = h('tr', {},
      h('td', { 'data-label': 'Select', class: 'check-col' },
        box, h('label', { for: box.id, class: 'visually-hidden' }, `Certify ${sample.number}`)),
      h('td', { 'data-label': 'Sample' },
        h('a', { href: sampleHref(sample.number), class: 'sample-link' }, sample.number), note),
      h('td', { 'data-label': 'Exporter' }, sample.exporter ? sample.exporter.name : '—'),
      h('td', { 'data-label': 'Product' },
        h('span', { class: 'cell-main' }, sample.product),
        sample.article ? h('span', { class: 'cell-sub' }, sample.article) : null),
      verdictCell,
      testsCell,
      h('td', { 'data-label': 'Received', class: 'nowrap' }, timeElement(sample.received_at)));
    // A click anywhere on the row (but a link) ticks its box.
    row.addEventListener('click', (event) => {
      if (event.target.closest('a, input, label') || window.getSelection().toString()) return;
      box.checked = !box.checked;
      update();
    });
    return { sample, box, row, note, verdictCell, testsCell };
  };

  // The list has neither verdicts nor test counts: each sample's page gives them, a few at a time.
  const fillDetails = (list) => eachLimited(list, 4, async (e) => {
    try {
      const s = await api('/api/v1/samples/' + encodeURIComponent(e.sample.number));
      if (!isCurrent()) return;
      const overall = s.verdict && s.verdict.overall;
      e.verdictCell.replaceChildren(
        overall ? verdictChip(overall) : h('span', { class: 'badge verdict-pending' }, 'Open'),
        overall ? h('span', { class: 'cell-sub' }, '→ ', certificateKindLabel(plannedKind(overall)).toLowerCase()) : null);
      const current = (s.tests || []).filter((t) => t.status !== 'invalidated');
      const approved = current.filter((t) => t.status === 'approved').length;
      e.testsCell.replaceChildren(approved === current.length ? String(current.length) : `${approved} of ${current.length} approved`);
    } catch (error) {
      if (error instanceof ApiError && error.authRequired) return;
      e.verdictCell.replaceChildren(h('span', { class: 'muted' }, '—'));
      e.testsCell.replaceChildren(h('span', { class: 'muted' }, '—'));
    }
  });

  const load = async () => {
    try {
      const samples = await readySamples();
      if (!isCurrent()) return;
      const keep = new Set(selected().map((e) => e.sample.number));
      entries = samples.map(entryRow);
      for (const e of entries) e.box.checked = keep.has(e.sample.number);
      tbody.replaceChildren(...entries.map((e) => e.row));
      // Nothing to choose: no empty table, no signing form.
      for (const part of form.querySelectorAll('.batch-set .table-wrap, .batch-tools .choice, .sign-card')) part.hidden = entries.length === 0;
      countLine.textContent = entries.length === 0
        ? 'No samples are ready to certify: a sample is ready once every current test is approved.'
        : `${entries.length} sample${entries.length === 1 ? '' : 's'} ready to certify.`;
      update();
      fillDetails(entries);
    } catch (error) {
      if (!isCurrent()) return;
      countLine.textContent = 'The samples ready to certify could not be loaded.';
      showProblem(error);
    }
  };

  const form = h('form', { class: 'batch-form', novalidate: true, 'aria-labelledby': 'batch-h' },
    h('fieldset', { class: 'card table-card batch-set', dataset: { field: 'samples' } },
      h('legend', { class: 'visually-hidden' }, 'Samples to certify'),
      h('div', { class: 'batch-tools' },
        h('label', { class: 'choice', for: 'f-select-all' }, selectAll, h('span', {}, 'Select all')),
        countLine),
      h('p', { class: 'field-error batch-error', hidden: true }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data-table batch-table' },
        h('caption', { class: 'visually-hidden' }, 'Samples ready to certify'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'check-col' }, h('span', { class: 'visually-hidden' }, 'Select')),
          ['Sample', 'Exporter', 'Product', 'Verdict', 'Tests', 'Received'].map((c) => h('th', { scope: 'col', class: c === 'Tests' ? 'num' : null }, c)))),
        tbody))),
    h('section', { class: 'card sign-card', 'aria-labelledby': 'batch-sign-h' },
      h('h2', { id: 'batch-sign-h' }, 'Sign'),
      h('p', { class: 'muted' }, 'One signing act issues every selected certificate, or none: if one sample is not ready, nothing is issued.'),
      h('div', { class: 'form-grid form-grid-sign' },
        field({ name: 'password', label: 'Your password', control: password, hint: 'Signs the certificates electronically in your name.' }),
        field({ name: 'reason', label: 'Reason', control: reason, optional: true, hint: 'Recorded with the signature.' })),
      h('div', { class: 'form-actions' }, submitButton)));
  form.querySelector('[data-field="password"]').classList.add('field-required');

  // A 409 names the sample (and its open tests) that stopped the batch: mark its row.
  const markNotReady = (error) => {
    const detail = String(error.problem.detail || '');
    error.problem.title = 'Nothing was issued: a selected sample is not ready';
    for (const e of entries) {
      const blocked = detail.includes(e.sample.number);
      e.row.classList.toggle('row-blocked', blocked);
      e.note.hidden = !blocked;
      e.note.textContent = blocked ? `Not ready: ${detail}` : '';
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = selected().map((e) => e.sample.number);
    const problems = [];
    if (chosen.length === 0) problems.push({ field: 'samples', reason: 'Tick the samples to certify.' });
    if (!password.value) problems.push({ field: 'password', reason: 'Enter your password to sign.' });
    if (problems.length) {
      clearFieldErrors(form);
      showFieldErrors(form, problems);
      return;
    }
    const body = { samples: chosen, password: password.value };
    if (reason.value.trim()) body.reason = reason.value.trim();
    for (const e of entries) {
      e.row.classList.remove('row-blocked');
      e.note.hidden = true;
    }
    const done = await submitForm(form, async () => {
      try {
        return await write('/api/v1/certificates/batch', { body, submission, action: 'issue certificates' });
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) markNotReady(error);
        throw error;
      }
    }, (base, index) => (base === 'samples' && chosen[index] ? chosen[index] : `Item ${index + 1}`));
    password.value = '';
    if (!done || !isCurrent()) return;
    const issued = (done.data && done.data.certificates) || [];
    for (const e of entries) e.box.checked = false;
    await load();
    const shown = issued.slice(0, 12);
    const reports = issued.filter((c) => c.kind === 'test_report').length;
    // A day's batch can be long: name each certificate of a short one, the range of a long one.
    const detail = issued.length <= shown.length
      ? issued.map((c) => `${c.number} (sample ${c.sample}, ${certificateKindLabel(c.kind).toLowerCase()})`).join('; ')
      : `${issued[0].number} to ${issued[issued.length - 1].number}: ${issued.length - reports} certificate(s) of conformity, ${reports} test report(s). The first ${shown.length} are linked below.`;
    showBanner('success',
      `${issued.length} certificate${issued.length === 1 ? '' : 's'} issued`,
      detail,
      [],
      [...shown.map((c) => h('a', { href: certificateHref(c.number), class: 'button button-small' }, c.number)),
        h('a', { href: '#/certificates', class: 'button button-small button-quiet' }, 'All certificates')]);
    document.getElementById('banner').scrollIntoView({ block: 'nearest' });
    const first = document.querySelector('#banner .banner-actions a');
    if (first) first.focus({ preventScroll: true });
  });

  view.append(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/certificates' }, 'Certificates'), h('span', { 'aria-hidden': 'true' }, ' / '), 'Issue'),
    h('div', { class: 'page-head' },
      h('div', { class: 'title-block' },
        h('h1', { id: 'batch-h', tabindex: '-1' }, 'Issue certificates'),
        h('p', { class: 'subtitle' }, 'Samples whose every test is approved. All pass gives a certificate of conformity; any fail a test report naming each failing requirement.'))),
    form);
  return load();
}

// ----- The sample page's certificate part -----

// The certificate of an issued sample. The sample carries no certificate number, so this looks in
// the list at the second the sample was issued, then follows amendments to the one in force.
async function findSampleCertificate(sample) {
  const start = new Date(sample.issued_at || '');
  if (Number.isNaN(start.getTime())) return null;
  const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  let found = null;
  let after = null;
  for (let page = 0; page < 5 && !found; page += 1) {
    const query = new URLSearchParams({ from: iso(start), to: iso(new Date(start.getTime() + 1000)) });
    if (isStaff() && sample.exporter && present(sample.exporter.id)) query.set('exporter', sample.exporter.id);
    if (after) query.set('after', after);
    const body = await api('/api/v1/certificates?' + query.toString());
    found = (body.items || []).find((c) => c.sample === sample.number) || null;
    after = body.next || null;
    if (!after) break;
  }
  for (let hops = 0; found && found.superseded_by && hops < 20; hops += 1) {
    found = await api(certificateApi(found.superseded_by));
  }
  return found;
}

function certificateSummary(c) {
  return h('div', { class: 'cert-summary' },
    h('a', { href: certificateHref(c.number), class: 'sample-link' }, c.number),
    certificateStatusBadge(c.status),
    h('span', {}, certificateKindLabel(c.kind)),
    verdictChip(c.verdict),
    h('span', { class: 'muted' }, 'issued ', timeElement(c.issued_at), c.signatory ? ` by ${c.signatory}` : ''),
    h('span', { class: 'label-links' }, certificatePdfLink(c.number), verifyPageLink(c.number)));
}

function certificateSection(sample, ctx) {
  if (sample.status !== 'ready' && sample.status !== 'issued') return null;
  const heading = h('h2', { id: 'certificate-h', tabindex: '-1' }, 'Certificate');
  if (sample.status === 'issued') {
    const holder = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Looking up the certificate…'));
    const listHref = hashWithParams('#/certificates', {
      exporter: isStaff() && sample.exporter ? sample.exporter.id : '',
      from: sample.issued_at ? sample.issued_at.slice(0, 10) : '',
    });
    findSampleCertificate(sample).then((c) => {
      holder.replaceChildren(c ? certificateSummary(c) : h('p', {},
        'Issued ', sample.issued_at ? timeElement(sample.issued_at) : '', '. ',
        h('a', { href: listHref }, 'Find its certificate in the list'), '.'));
    }).catch((error) => {
      if (error instanceof ApiError && error.authRequired) return;
      holder.replaceChildren(h('p', {}, 'The certificate could not be looked up. ', h('a', { href: listHref }, 'Open the certificates list'), '.'));
    });
    return h('section', { class: 'card', 'aria-labelledby': 'certificate-h' }, heading, holder);
  }
  const overall = sample.verdict && sample.verdict.overall;
  const kind = certificateKindLabel(plannedKind(overall)).toLowerCase();
  if (!hasRole('signatory')) {
    return h('section', { class: 'card', 'aria-labelledby': 'certificate-h' }, heading,
      h('p', { class: 'muted' }, `Every test is approved: an authorised signatory can now issue its ${kind}.`));
  }
  const { form } = signedActForm({
    label: `Issue the ${kind} of ${sample.number}`,
    intro: `Every test is approved: this issues a ${kind}, signed in your name, and the sample becomes issued.`,
    submitLabel: `Sign and issue ${kind}`,
    reasonRequired: false,
    reasonHint: 'Recorded with the signature.',
    send: (body, submission) => write(`/api/v1/samples/${encodeURIComponent(sample.number)}/certificate`, {
      body, submission, action: 'issue certificates',
    }),
    onDone: ({ data }) => {
      pendingNotice = { title: `${data.number} issued`, detail: `${certificateKindLabel(data.kind)} for sample ${sample.number}.` };
      location.hash = certificateHref(data.number);
    },
    reload: ctx.reload,
  });
  return h('section', { class: 'card', 'aria-labelledby': 'certificate-h' }, heading, form);
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

// Exporters are registered by admins; technicians read the list at intake.
function canSeeOrganizations() {
  return hasRole('admin') || hasRole('technician');
}

function canSeeAudit() {
  return hasRole('auditor') || hasRole('admin');
}

// The rejection history: auditors and admins see every exporter's, an exporter its own (the
// server confines it; technicians, reviewers and signatories are refused).
function canSeeRejections() {
  return hasRole('auditor') || hasRole('admin') || hasRole('exporter');
}

// An exporter's session (the role is held alone): its own organisation's data only.
function isExporterOnly() {
  return !session.authDisabled && hasRole('exporter') && !isStaff();
}

// The instrument registry: the people who use or audit the equipment (not signatories, exporters).
function canSeeInstruments() {
  return ['technician', 'reviewer', 'admin', 'auditor'].some(hasRole);
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
// each screen's link only for the roles it serves (the server refuses everyone else anyway).
function renderUser() {
  const box = document.getElementById('user');
  const signedIn = Boolean(session.user);
  document.getElementById('mainnav').hidden = !signedIn && !session.authDisabled;
  document.getElementById('nav-new').hidden = !hasRole('technician');
  document.getElementById('nav-worklist').hidden = !hasRole('technician');
  document.getElementById('nav-orgs').hidden = !canSeeOrganizations();
  document.getElementById('nav-audit').hidden = !canSeeAudit();
  document.getElementById('nav-rejections').hidden = !canSeeRejections();
  document.getElementById('nav-instruments').hidden = !canSeeInstruments();
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
// Routing (URL hash: #/samples, #/samples?status=…, #/samples/<number>, #/new, #/worklist?…,
// #/tests/<id>, #/organizations, #/audit?…, #/rejections?…, #/rejections/summary?…, #/certificates?…,
// #/certificates/issue, #/certificates/<number>)
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
  } else if (parts[0] === 'worklist' && parts.length === 1) {
    setActiveNav('worklist');
    if (hasRole('technician')) renderWorklist(view, params, isCurrent);
    else renderNotAllowed(view, 'see the worklist', 'The worklist is for technicians.');
  } else if (parts[0] === 'tests' && parts.length === 2) {
    setActiveNav(hasRole('technician') ? 'worklist' : 'samples');
    work = renderTestPage(view, parts[1], isCurrent);
  } else if (parts[0] === 'organizations' && parts.length === 1) {
    setActiveNav('organizations');
    if (canSeeOrganizations()) work = renderOrganizations(view, isCurrent);
    else renderNotAllowed(view, 'list exporters', 'The exporter register is for administrators and technicians.');
  } else if (parts[0] === 'audit' && parts.length === 1) {
    setActiveNav('audit');
    if (canSeeAudit()) renderAudit(view, params, isCurrent);
    else renderNotAllowed(view, 'read the audit trail', 'The audit trail is for auditors and administrators.');
  } else if (parts[0] === 'rejections' && (parts.length === 1 || (parts.length === 2 && parts[1] === 'summary'))) {
    setActiveNav('rejections');
    if (!canSeeRejections()) renderNotAllowed(view, 'read the rejection history', 'The rejection history is for auditors, administrators and exporters (their own).');
    else if (parts.length === 1) work = renderRejections(view, params, isCurrent);
    else work = renderRejectionSummary(view, params, isCurrent);
  } else if (parts[0] === 'instruments' && parts.length === 1) {
    setActiveNav('instruments');
    if (canSeeInstruments()) work = renderInstruments(view, params, isCurrent);
    else renderNotAllowed(view, 'see the instruments', 'The instrument register is for lab staff who use or audit it.');
  } else if (parts[0] === 'certificates' && parts.length === 1) {
    setActiveNav('certificates');
    renderCertificates(view, params, isCurrent);
  } else if (parts[0] === 'certificates' && parts.length === 2 && parts[1] === 'issue') {
    setActiveNav('certificates');
    if (hasRole('signatory')) work = renderIssueBatch(view, isCurrent);
    else renderNotAllowed(view, 'issue certificates', 'Issuing certificates needs the signatory role.');
  } else if (parts[0] === 'certificates' && parts.length === 2) {
    setActiveNav('certificates');
    work = renderCertificatePage(view, parts[1], isCurrent);
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
