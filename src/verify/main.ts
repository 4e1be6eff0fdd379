// The public verify page a customer copy's QR code opens: reads the form number and seal from the
// URL's fragment (never sent to a server), asks the back office with a POST, and says plainly what it
// answered. No framework: a handful of elements, so the page stays small on a slow phone link.
import type { Locale } from '../domain/checklist';
import type { FieldError } from '../domain/validation-issues';
import { parseVerifyAnswer, parseVerifyFragment, PUBLIC_VERIFY_API, type VerifyCode } from '../domain/verify-link';
import { pickLocale, VERIFY_LANG_KEY, verifyText } from './i18n';
import { viewOf, type Outcome } from './outcome';
import './verify.css';

const root = document.getElementById('verify')!;
const stored = (() => {
  try {
    return localStorage;
  } catch {
    return null;
  }
})();
let locale: Locale = pickLocale(stored?.getItem(VERIFY_LANG_KEY) ?? null, navigator.languages ?? [navigator.language]);
let outcome: Outcome | null = null;
let asked = 0;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

function render(): void {
  const t = (key: Parameters<typeof verifyText>[1]) => verifyText(locale, key);
  document.documentElement.lang = locale;
  document.title = `${t('title')} · ${t('brand')}`;
  const switcher = el('button', { type: 'button', class: 'lang-switch', lang: locale === 'en' ? 'zh-CN' : 'en', 'aria-label': t('switchLabel'), 'data-testid': 'verify-lang' }, t('switchTo'));
  switcher.addEventListener('click', () => {
    locale = locale === 'en' ? 'zh-CN' : 'en';
    try {
      stored?.setItem(VERIFY_LANG_KEY, locale);
    } catch {
      // private mode: the choice lasts for this page only
    }
    render();
  });
  const header = el('header', { class: 'verify-top' }, el('span', { class: 'verify-brand' }, t('brand')), switcher);
  const main = el('main', { class: 'verify-main', id: 'main' }, el('h1', {}, t('title')));
  if (outcome) {
    const view = viewOf(outcome, locale, formatTime);
    const box = el('section', { class: `verify-result tone-${view.tone}`, role: 'status', 'aria-live': 'polite', 'data-testid': 'verify-result', 'data-result': view.result },
      el('h2', { 'data-testid': 'verify-heading' }, view.heading));
    if (view.text) box.append(el('p', { 'data-testid': 'verify-text' }, view.text));
    if (view.problems.length > 0) box.append(el('ul', { 'data-testid': 'verify-problems' }, ...view.problems.map((p) => el('li', {}, p))));
    if (view.retry) {
      const retry = el('button', { type: 'button', class: 'verify-retry', 'data-testid': 'verify-retry' }, t('retry'));
      retry.addEventListener('click', () => void check());
      box.append(retry);
    }
    main.append(box);
    if (view.facts.length > 0) {
      main.append(el('dl', { class: 'verify-facts', 'data-testid': 'verify-facts' },
        ...view.facts.flatMap(([label, value, kind]) => [el('dt', {}, label), el('dd', kind === 'code' ? { class: 'verify-code' } : {}, value)])));
    }
  }
  main.append(el('p', { class: 'verify-privacy' }, t('privacy')));
  root.replaceChildren(header, main);
}

async function ask(code: VerifyCode): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(PUBLIC_VERIFY_API, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ form: code.formId, seal: code.seal }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (error) {
    return { kind: 'error', code, detail: error instanceof Error ? error.message : String(error) };
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    return { kind: 'rate-limited', retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 60 };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 400 && (body as { error?: { code?: string } } | null)?.error?.code === 'malformed-code') {
    return { kind: 'malformed', problems: (body as { error: { errors?: FieldError[] } }).error.errors ?? [] };
  }
  if (!response.ok) return { kind: 'error', code, detail: `HTTP ${response.status}` };
  try {
    return { kind: 'answer', code, answer: parseVerifyAnswer(body) };
  } catch (error) {
    return { kind: 'error', code, detail: error instanceof Error ? error.message : String(error) };
  }
}

async function check(): Promise<void> {
  const parsed = parseVerifyFragment(location.hash);
  if (!parsed.ok) {
    outcome = { kind: 'malformed', problems: parsed.problems };
    render();
    return;
  }
  const mine = ++asked;
  outcome = { kind: 'checking', code: parsed.code };
  render();
  const answer = await ask(parsed.code);
  // a newer check (the fragment changed meanwhile) wins
  if (mine !== asked) return;
  outcome = answer;
  render();
}

addEventListener('hashchange', () => void check());
render();
void check();
