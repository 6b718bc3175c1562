/**
 * The claims webview (browser side). Draws only from `state` messages; every value goes into the
 * page through `textContent`, so nothing from a token can become markup. The raw token is held in
 * a local variable once revealed and is never passed to `setState` (which VS Code writes to disk).
 */
import type { ClaimsViewState, ExtensionToWebview, PreflightItemView, WebviewToExtension } from './protocol';
import {
  claimRows,
  decisiveClaimNames,
  expiryCountdown,
  headerRows,
  payloadJson,
  verdictHeadline,
  type ClaimRow,
} from './viewModel';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: ClaimsViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
let current: ClaimsViewState | undefined;
let revealedToken: string | undefined;
let countdownTimer: number | undefined;

type Child = Node | string | null | undefined | false;

/** Creates an element; text children become text nodes, so values are never parsed as HTML. */
function h(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

function button(
  label: string,
  message: WebviewToExtension,
  options: { primary?: boolean; id?: string; icon?: string } = {},
): HTMLElement {
  const attributes: Record<string, string> = { type: 'button', class: options.primary ? 'button primary' : 'button' };
  if (options.id) attributes.id = options.id;
  const element = h(
    'button',
    attributes,
    options.icon ? h('span', { class: 'icon', 'aria-hidden': 'true' }, options.icon) : null,
    label,
  );
  element.addEventListener('click', () => vscode.postMessage(message));
  return element;
}

function section(title: string, id: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'section', id }, h('h2', {}, title), ...children);
}

/** Draws a state; `announce` tells the extension which state is on screen (not for a kept one). */
function render(state: ClaimsViewState, announce = true): void {
  current = state;
  if (!state.tokenAvailable) revealedToken = undefined;
  const decisive = new Set(Array.isArray(state.decisiveClaims) ? state.decisiveClaims : decisiveClaimNames());
  const sections: (HTMLElement | null)[] = [
    renderVerification(state),
    renderVerdict(state),
    renderActions(),
    renderBindings(state),
    section(
      'Claims',
      'claims',
      renderTokenSummary(state),
      renderRows(claimRows(state.claims, Date.now(), decisive), 'claims-table'),
    ),
    section('Header', 'header', renderRows(headerRows(state.header), 'header-table')),
    renderPayload(state),
    renderToken(state),
    renderPreflight(state.preflight),
  ];
  root.replaceChildren(...sections.filter((element): element is HTMLElement => element !== null));
  startCountdown();
  if (announce) vscode.postMessage({ type: 'rendered', revision: state.revision });
}

function renderVerification(state: ClaimsViewState): HTMLElement | null {
  if (state.verification.verified) return null;
  return h(
    'div',
    { class: 'unverified', role: 'alert', id: 'unverified' },
    h('strong', {}, 'Not verified. '),
    `The token’s signature, issuer, audience, expiry or nonce did not check out${state.verification.error ? `: ${state.verification.error}` : ''}. Do not trust these claims.`,
  );
}

function renderVerdict(state: ClaimsViewState): HTMLElement {
  const { verdict } = state;
  const symbol = { accepted: '✓', rejected: '✕', unknown: '?', 'no-config': '!' }[verdict.status];
  const headline = h('h1', { id: 'verdict-headline' });
  if (verdict.status === 'accepted') {
    headline.append('Accepted as ', h('code', { class: 'identity' }, verdict.username ?? ''));
  } else {
    headline.append(verdictHeadline(verdict));
  }
  const groups =
    verdict.status === 'accepted'
      ? h(
          'p',
          { class: 'groups' },
          verdict.groups.length ? 'in groups ' : 'in no groups',
          ...verdict.groups.map((group) => h('code', { class: 'chip' }, group)),
        )
      : null;
  const configLine = h(
    'p',
    { class: 'muted' },
    verdict.config
      ? `What kubectl will get from the API server configured in ${verdict.config.label}`
      : 'No API server configuration chosen',
    state.configCount > 0 ? h('span', {}, ' · ') : null,
    state.configCount > 0 ? linkButton('Review against…', { type: 'pickConfig' }, 'pick-config') : null,
  );
  return h(
    'header',
    { class: `verdict verdict-${verdict.status}`, id: 'verdict', role: 'status' },
    h('div', { class: 'verdict-symbol', 'aria-hidden': 'true' }, symbol),
    h(
      'div',
      { class: 'verdict-body' },
      headline,
      groups,
      configLine,
      list('Fix', verdict.fixes, 'fixes'),
      list('Note', verdict.warnings, 'warnings'),
    ),
  );
}

function linkButton(label: string, message: WebviewToExtension, id: string): HTMLElement {
  const element = h('button', { type: 'button', class: 'link', id }, label);
  element.addEventListener('click', () => vscode.postMessage(message));
  return element;
}

function list(label: string, items: string[], className: string): HTMLElement | null {
  if (items.length === 0) return null;
  return h('ul', { class: className, 'aria-label': label }, ...items.map((item) => h('li', {}, item)));
}

function renderActions(): HTMLElement {
  return h(
    'nav',
    { class: 'actions', 'aria-label': 'Actions' },
    button('Add kubeconfig user', { type: 'addKubeconfigUser' }, { primary: true, id: 'action-kubeconfig', icon: '+' }),
    button('Insert ClusterRoleBinding', { type: 'insertBinding' }, { id: 'action-binding' }),
    button(
      'Copy kubectl oidc-login setup',
      { type: 'copy', what: 'kubeloginSetupCommand' },
      { id: 'action-copy-setup' },
    ),
    button('Log in again', { type: 'loginAgain' }, { id: 'action-login', icon: '↻' }),
  );
}

function renderBindings(state: ClaimsViewState): HTMLElement {
  const { matches, advice } = state.bindings;
  const table = matches.length
    ? h(
        'table',
        { class: 'table', id: 'bindings-table' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, 'Binding'), h('th', {}, 'Role'), h('th', {}, 'Matches'), h('th', {}, 'File')),
        ),
        h(
          'tbody',
          {},
          ...matches.map((match) => {
            const open = h('button', { type: 'button', class: 'link' }, `${match.label}:${match.line + 1}`);
            open.addEventListener('click', () =>
              vscode.postMessage({ type: 'openFile', file: match.file, line: match.line }),
            );
            return h(
              'tr',
              {},
              h('td', {}, `${match.kind} ${match.namespace ? `${match.namespace}/` : ''}${match.name}`),
              h('td', {}, h('code', {}, match.role)),
              h('td', {}, match.subject),
              h('td', {}, open),
            );
          }),
        ),
      )
    : null;
  const note =
    state.verdict.status === 'accepted'
      ? null
      : h(
          'p',
          { class: 'muted' },
          'The API server does not accept this token, so no binding applies yet. Fix the verdict first.',
        );
  return section(
    'Bindings in the workspace',
    'bindings',
    note,
    table,
    advice.length ? h('ul', { class: 'advice' }, ...advice.map((item) => h('li', {}, item))) : null,
  );
}

function renderTokenSummary(state: ClaimsViewState): HTMLElement {
  return h(
    'dl',
    { class: 'summary' },
    h('dt', {}, 'Issuer'),
    h('dd', {}, h('code', {}, state.issuerUrl)),
    h('dt', {}, 'Client ID'),
    h('dd', {}, h('code', {}, state.clientId)),
    h('dt', {}, 'Scopes'),
    h('dd', {}, state.scopes.join(' ')),
    h('dt', {}, 'Expiry'),
    h('dd', { id: 'countdown' }, expiryCountdown(state.claims, Date.now()).text),
  );
}

function renderRows(rows: ClaimRow[], id: string): HTMLElement {
  return h(
    'table',
    { class: 'table claims', id },
    h('thead', {}, h('tr', {}, h('th', {}, 'Claim'), h('th', {}, 'Value'), h('th', {}, 'Meaning'))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          { class: row.decisive ? 'decisive' : '', 'data-claim': row.name },
          h('td', {}, h('code', {}, row.name)),
          h(
            'td',
            { class: 'value' },
            h('span', { class: 'claim-value' }, row.value),
            row.time ? h('div', { class: 'muted' }, `${row.time.utc} (${row.time.relative})`) : null,
          ),
          h('td', { class: 'meaning' }, row.meaning),
        ),
      ),
    ),
  );
}

function renderPayload(state: ClaimsViewState): HTMLElement {
  return section(
    'Payload (JSON)',
    'payload',
    h('div', { class: 'toolbar' }, button('Copy JSON', { type: 'copy', what: 'payload' }, { id: 'copy-payload' })),
    h('pre', { class: 'code', id: 'payload-json' }, payloadJson(state.claims)),
  );
}

function renderToken(state: ClaimsViewState): HTMLElement {
  if (!state.tokenAvailable) {
    return section(
      'Raw token',
      'token',
      h(
        'p',
        { class: 'muted' },
        'The token is kept in memory only and is gone after a reload. Log in again to see it.',
      ),
    );
  }
  if (revealedToken === undefined) {
    return section(
      'Raw token',
      'token',
      h(
        'p',
        { class: 'muted' },
        'The ID token is a credential for the cluster: reveal it only to copy it somewhere safe.',
      ),
      button('Reveal token', { type: 'revealToken' }, { id: 'reveal-token' }),
    );
  }
  return section(
    'Raw token',
    'token',
    h('div', { class: 'toolbar' }, button('Copy token', { type: 'copy', what: 'token' }, { id: 'copy-token' })),
    h('pre', { class: 'code token', id: 'raw-token' }, revealedToken),
  );
}

function renderPreflight(items: PreflightItemView[]): HTMLElement | null {
  if (items.length === 0) return null;
  const symbol = { passed: '✓', failed: '✕', skipped: '–' };
  return section(
    'Preflight',
    'preflight',
    h(
      'ul',
      { class: 'checklist' },
      ...items.map((item) =>
        h(
          'li',
          { class: `check check-${item.status}` },
          h('span', { class: 'check-symbol', 'aria-label': item.status }, symbol[item.status]),
          h('span', {}, item.title, item.detail ? h('div', { class: 'muted' }, item.detail) : null),
        ),
      ),
    ),
  );
}

function startCountdown(): void {
  if (countdownTimer !== undefined) window.clearInterval(countdownTimer);
  countdownTimer = window.setInterval(() => {
    const element = document.getElementById('countdown');
    if (!element || !current) return;
    const countdown = expiryCountdown(current.claims, Date.now());
    element.textContent = countdown.text;
    element.classList.toggle('expired', countdown.expired);
  }, 1000);
}

function showNotice(kind: 'info' | 'error', text: string): void {
  const notice = document.getElementById('notice');
  if (!notice) return;
  notice.textContent = text;
  notice.className = `notice notice-${kind}`;
}

window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      vscode.setState(message.state);
      render(message.state);
      break;
    case 'token':
      revealedToken = message.token;
      if (current) render(current);
      break;
    case 'notice':
      showNotice(message.kind, message.text);
      break;
  }
});

// After a reload, draw what was kept (no token in it) at once; the extension then confirms or replaces it.
const kept = vscode.getState() as ClaimsViewState | undefined;
if (kept && typeof kept === 'object' && 'verdict' in kept) render({ ...kept, tokenAvailable: false }, false);
vscode.postMessage({ type: 'ready' });
