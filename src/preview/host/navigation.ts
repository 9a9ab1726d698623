// App page navigation (PageLink, actions.navigateToPage) and the frame the extension sits in.
import { selectionQuery, type PreviewBoot } from '../boot';
import { hostStore } from './store';

/** The heading level of the extension's Heading: 3 inside a record card (under its title), else 2. */
export const frame: { headingLevel: 2 | 3 } = { headingLevel: 2 };

let selection: PreviewBoot['selection'] | null = null;

export function setSelection(s: PreviewBoot['selection']): void {
  selection = s;
}

/** Substitutes `:name` tokens of an app page path; the other params stay query parameters. */
export function resolvePagePath(to: string, params: Record<string, string> = {}): { path: string; params: Record<string, string> } {
  const rest = { ...params };
  const path = to.replace(/:(\w+)/g, (_, name: string) => {
    const value = rest[name];
    delete rest[name];
    return encodeURIComponent(value ?? '');
  });
  return { path: path.startsWith('/') ? path : `/${path}`, params: rest };
}

/** Moves the app page and keeps the preview URL in step (a reload stays on the page). */
export function navigatePage(to: string, params?: Record<string, string>): void {
  const next = resolvePagePath(to, params);
  hostStore.navigate(next.path, next.params);
  hostStore.log('action', 'info', `App page: ${next.path}${Object.keys(next.params).length ? ` ${JSON.stringify(next.params)}` : ''}`);
  if (selection) {
    selection = { ...selection, path: next.path, params: next.params };
    history.replaceState(null, '', `?${selectionQuery(selection)}`);
  }
}
