// The preview host's state outside React (the SDK's globals read it too), with a tiny
// subscribe/getSnapshot pair for useSyncExternalStore.
import { useSyncExternalStore } from 'react';

/** Console prefix of every preview render error: the browser tests fail on it. */
export const PREVIEW_ERROR_PREFIX = '[tiller-preview] render error:';

export type PreviewError = { id: number; message: string };
export type HostLogEntry = {
  id: number;
  time: string;
  source: 'action' | 'logger' | 'fetch';
  level: 'info' | 'warn' | 'error';
  text: string;
};
export type Toast = { id: number; type: string; title: string | undefined; message: string };
export type IframeModal = { title: string | undefined; uri: string; width: number; height: number; onClose?: () => void };

type State = {
  errors: PreviewError[];
  log: HostLogEntry[];
  toasts: Toast[];
  location: { path: string; params: Record<string, string> };
  /** Bumped by actions.reloadPage: the extension remounts. */
  mount: number;
  modal: IframeModal | null;
  /** The render callback the entry file passed to hubspot.extend. */
  extension: { render: (api: unknown) => unknown } | null;
};

let state: State = { errors: [], log: [], toasts: [], location: { path: '/', params: {} }, mount: 0, modal: null, extension: null };
const listeners = new Set<() => void>();
let nextId = 1;

function set(patch: Partial<State>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export const hostStore = {
  get: () => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** A component or prop the preview cannot render, or an extension that failed: shown on the page. */
  reportError(message: string): void {
    if (state.errors.some((e) => e.message === message)) return;
    console.error(`${PREVIEW_ERROR_PREFIX} ${message}`);
    set({ errors: [...state.errors, { id: nextId++, message }] });
  },
  log(source: HostLogEntry['source'], level: HostLogEntry['level'], text: string): void {
    const time = new Date().toLocaleTimeString('en-GB', { hour12: false });
    set({ log: [...state.log.slice(-199), { id: nextId++, time, source, level, text }] });
  },
  toast(t: Omit<Toast, 'id'>): void {
    const toast = { ...t, id: nextId++ };
    set({ toasts: [...state.toasts, toast] });
    setTimeout(() => hostStore.dismissToast(toast.id), 8000);
  },
  dismissToast(id: number): void {
    set({ toasts: state.toasts.filter((t) => t.id !== id) });
  },
  navigate(path: string, params: Record<string, string>): void {
    set({ location: { path, params } });
  },
  remount(): void {
    set({ mount: state.mount + 1 });
  },
  openModal(modal: IframeModal | null): void {
    set({ modal });
  },
  setExtension(render: (api: unknown) => unknown): void {
    set({ extension: { render } });
  },
};

export function useHostState<T>(pick: (s: State) => T): T {
  return useSyncExternalStore(hostStore.subscribe, () => pick(hostStore.get()));
}
