import {
  type ChoiceInput,
  choicesFor,
  isGiven,
  needsAsking,
  noticeParagraphs,
  pageView,
  parseStoredChoices,
  type StoredChoices,
  storageKeys,
  storedFrom,
  visitorIdFrom,
  type WidgetConfig,
  widgetConfig,
  type WidgetNotice,
} from './consentChoices.ts';
import { widgetCss } from './widgetStyles.ts';

/*
 * Candor's consent widget, embedded by a site with one script tag (built on its own into
 * web/dist/widget/consent.js, served at /widget/consent.js; no dependency). It asks the
 * visitor about each consent purpose in its notice's words, in a modal dialog whose "Reject
 * all" and "Accept all" are the same element in the same style, with nothing ticked; it
 * keeps the answer and a random visitor id in the site's own localStorage, and talks only to
 * the Candor server that served it, without cookies. Choices go to POST /collect (channel
 * widget, with the notice version read); page views too, only while analytics consent holds
 * here — and the server stores them only while it holds there.
 */

type Elements = { host: HTMLElement; root: ShadowRoot; backdrop: HTMLElement; panel: HTMLElement; launcher: HTMLButtonElement };

const memory = new Map<string, string>();
// Storage can be off (privacy settings, sandboxed frames): the choice then lasts for this page.
const storage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return memory.get(key) ?? null;
    }
  },
  set(key: string, value: string): void {
    try {
      localStorage.setItem(key, value);
    } catch {
      memory.set(key, value);
    }
  },
};

function visitorId(): string {
  const existing = storage.get(storageKeys.visitor);
  if (existing) return existing;
  const created = visitorIdFrom(crypto.getRandomValues(new Uint8Array(16)));
  storage.set(storageKeys.visitor, created);
  return created;
}

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector('script[data-form-key][src*="/widget/consent.js"]');
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function applyStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(widgetCss);
    root.adoptedStyleSheets = [sheet];
  } else root.append(element('style', {}, widgetCss));
}

function start(config: WidgetConfig): void {
  let notices: WidgetNotice[] = [];
  let gpc = false;
  let stored: StoredChoices | null = parseStoredChoices(storage.get(storageKeys.choices));
  let returnFocus: HTMLElement | null = null;

  const call = (path: string, body?: object) =>
    fetch(`${config.candorOrigin}/api/v1${path}`, {
      method: body ? 'POST' : 'GET',
      mode: 'cors',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      keepalive: body !== undefined,
      headers: body ? { 'candor-form-key': config.formKey, 'content-type': 'application/json' } : { 'candor-form-key': config.formKey },
      body: body ? JSON.stringify(body) : undefined,
    });

  const ui = build();

  function build(): Elements {
    const host = element('div', { 'data-candor-consent': '' });
    const root = host.attachShadow({ mode: 'open' });
    applyStyles(root);
    const backdrop = element('div', { class: 'backdrop' });
    backdrop.hidden = true;
    const panel = element('div', { class: 'panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'cc-title', 'aria-describedby': 'cc-intro' });
    backdrop.append(panel);
    const launcher = element('button', { type: 'button', class: 'launcher' }, 'Privacy choices');
    launcher.hidden = true;
    launcher.addEventListener('click', () => open());
    backdrop.addEventListener('keydown', onKey);
    root.append(backdrop, launcher);
    document.body.append(host);
    return { host, root, backdrop, panel, launcher };
  }

  function render(message = ''): void {
    const { panel } = ui;
    panel.replaceChildren();
    panel.append(
      element('h2', { id: 'cc-title' }, 'Your privacy choices'),
      element(
        'p',
        { id: 'cc-intro', class: 'intro' },
        'This site asks before it uses information about your visit for any of the purposes below. Nothing is on until you turn it on, and you can change your choices at any time.',
      ),
    );
    if (gpc) panel.append(element('p', { class: 'gpc' }, 'Your browser sends a Global Privacy Control signal: the purposes it covers stay off.'));
    const list = element('ul');
    for (const notice of notices) {
      const id = `cc-purpose-${notice.purposeKey}`;
      const blocked = gpc && notice.gpcCovered;
      const item = element('li');
      const row = element('div', { class: 'choice' });
      const box = element('input', { type: 'checkbox', id, 'data-purpose': notice.purposeKey, 'aria-describedby': `${id}-notice` });
      box.checked = isGiven(stored, notice.purposeKey) && !blocked;
      box.disabled = blocked;
      row.append(box, element('label', { for: id }, notice.title));
      const words = element('div', { class: 'notice', id: `${id}-notice`, lang: notice.language });
      for (const paragraph of noticeParagraphs(notice.text)) words.append(element('p', {}, paragraph));
      item.append(row, words);
      if (blocked) item.append(element('p', { class: 'note' }, "Off: your browser's Global Privacy Control signal opts you out of this."));
      list.append(item);
    }
    const actions = element('div', { class: 'actions' });
    const button = (action: string, label: string) => {
      const node = element('button', { type: 'button', class: 'choice-button', 'data-action': action }, label);
      node.addEventListener('click', () => void choose(action));
      return node;
    };
    actions.append(button('reject', 'Reject all'), button('accept', 'Accept all'), button('save', 'Save my choices'));
    panel.append(list, actions, element('p', { class: 'status', role: 'status' }, message));
  }

  function focusables(): HTMLElement[] {
    return Array.from(ui.panel.querySelectorAll<HTMLElement>('input:not([disabled]), button:not([disabled])'));
  }

  function onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== 'Tab') return;
    // A modal dialog keeps the focus: Tab from the last control goes to the first, and back.
    const all = focusables();
    const active = ui.root.activeElement;
    const edge = event.shiftKey ? all[0] : all[all.length - 1];
    if (active === edge || !all.includes(active as HTMLElement)) {
      event.preventDefault();
      (event.shiftKey ? all[all.length - 1] : all[0]).focus();
    }
  }

  function open(message = ''): void {
    const active = document.activeElement;
    returnFocus = active === ui.host ? ui.launcher : active instanceof HTMLElement ? active : null;
    render(message);
    ui.launcher.hidden = true;
    ui.backdrop.hidden = false;
    (focusables()[0] ?? ui.panel).focus();
  }

  function close(): void {
    ui.backdrop.hidden = true;
    ui.launcher.hidden = !config.launcher;
    const target = returnFocus?.isConnected && returnFocus !== document.body ? returnFocus : config.launcher ? ui.launcher : null;
    target?.focus();
  }

  async function loadNotices(): Promise<boolean> {
    const response = await call('/collect/notices');
    if (!response.ok) return false;
    const body = (await response.json()) as { data: { purposes: WidgetNotice[]; gpc: boolean } };
    notices = body.data.purposes;
    gpc = body.data.gpc;
    return true;
  }

  async function choose(action: string): Promise<void> {
    const ticked = new Set<string>();
    for (const notice of notices) {
      const box = ui.panel.querySelector<HTMLInputElement>(`input[data-purpose="${CSS.escape(notice.purposeKey)}"]`);
      if (action === 'accept' || (action === 'save' && box?.checked)) ticked.add(notice.purposeKey);
    }
    await save(choicesFor(notices, ticked, gpc));
  }

  async function save(choices: ChoiceInput[]): Promise<void> {
    const hadAnalytics = isGiven(stored, config.analyticsPurpose);
    const status = ui.panel.querySelector('.status');
    const response = await call('/collect', { channel: 'widget', visitorId: visitorId(), consents: choices }).catch(() => null);
    if (response?.status === 422 && (await loadNotices().catch(() => false))) {
      open('The wording of a purpose changed since this page loaded. Please read it again and choose.');
      return;
    }
    if (!response?.ok) {
      if (status) status.textContent = 'Your choices could not be saved. Please try again.';
      return;
    }
    stored = storedFrom(choices, new Date());
    storage.set(storageKeys.choices, JSON.stringify(stored));
    close();
    // The page the visitor just agreed on counts as viewed.
    if (!hadAnalytics) track();
  }

  function track(type = 'page_view', properties: Record<string, string | number | boolean> = { path: location.pathname }): void {
    if (!config.pageViews || !isGiven(stored, config.analyticsPurpose)) return;
    const event =
      type === 'page_view' ? pageView(String(properties.path ?? location.pathname), new Date()) : { type, occurredAt: new Date().toISOString(), properties };
    void call('/collect', { visitorId: visitorId(), eventPurposeKey: config.analyticsPurpose, events: [event] }).catch(() => undefined);
  }

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-candor-consent-open]') : null;
    if (!target) return;
    event.preventDefault();
    open();
  });
  (window as unknown as { CandorConsent: object }).CandorConsent = { open: () => open(), track };

  void loadNotices()
    .catch(() => false)
    .then((loaded) => {
      if (loaded && needsAsking(stored, notices)) open();
      else ui.launcher.hidden = !config.launcher;
      track();
    });
}

const script = ownScript();
const config = script ? widgetConfig(script.src, script.dataset) : null;
if (config) {
  if (document.body) start(config);
  else document.addEventListener('DOMContentLoaded', () => start(config), { once: true });
}
