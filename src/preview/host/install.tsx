// The preview host: HubSpot's side of the extension worker, in the page. Each preview bundle
// imports this module before the real entry file, so the globals below exist when
// @hubspot/ui-extensions reads them (hubspot.extend, hubspot.fetch, logger, the context hooks).
import { createRoot } from 'react-dom/client';
import { OBJECT_TYPE_IDS, type PreviewBoot } from '../boot';
import { frame, navigatePage, setSelection } from './navigation';
import { Shell } from './Shell';
import { hostStore, useHostState } from './store';

const boot = JSON.parse(document.getElementById('preview-boot')?.textContent ?? 'null') as PreviewBoot | null;
if (!boot) throw new Error('The preview page has no boot data (#preview-boot).');

const surface = boot.surfaces.find((s) => s.uid === boot.selection.surface);
const portal = boot.portals.find((p) => p.id === boot.selection.portalId);
const user = portal?.users.find((u) => u.id === boot.selection.userId);
if (!surface || !portal || !user) throw new Error('The preview selection names an unknown screen, portal or user.');

const context = {
  location: surface.location,
  user: {
    id: Number(user.id),
    email: user.email,
    emails: [user.email],
    firstName: user.firstName,
    lastName: user.lastName,
    roles: user.superAdmin ? ['super-admin'] : [],
    teams: [],
    locale: 'en-us',
    language: 'en',
    permissions: [],
  },
  portal: { id: portal.id, timezone: portal.timeZone },
  variables: boot.variables,
  extension: { appId: 'tiller-preview', appName: boot.appName, cardTitle: surface.title },
  ...(boot.selection.record
    ? {
        crm: {
          objectId: Number(boot.selection.record.id),
          objectTypeId: OBJECT_TYPE_IDS[boot.selection.record.objectType] ?? boot.selection.record.objectType,
        },
      }
    : {}),
};

function describe(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** An SDK feature the preview does not play: loud on the page, rejected for the extension. */
function unsupported(name: string): () => Promise<never> {
  return () => {
    const message = `${name} is not supported by the preview (the extension called it).`;
    hostStore.reportError(message);
    return Promise.reject(new Error(message));
  };
}

const actions = {
  addAlert(args: { type?: string; title?: string; message: string }) {
    hostStore.log('action', 'info', `actions.addAlert(${describe(args)}): HubSpot shows this alert above the page.`);
    hostStore.toast({ type: args.type ?? 'info', title: args.title, message: args.message });
  },
  reloadPage() {
    hostStore.log('action', 'info', 'actions.reloadPage(): HubSpot reloads the page; the preview remounts the extension.');
    hostStore.remount();
  },
  openIframeModal(payload: { uri: string; height: number; width: number; title?: string }, onClose?: () => void) {
    hostStore.log('action', 'info', `actions.openIframeModal(${describe(payload)}): HubSpot opens this URL in a modal.`);
    hostStore.openModal({ title: payload.title, uri: payload.uri, width: payload.width, height: payload.height, onClose });
  },
  navigateToPage(options: { to: string; params?: Record<string, string> }) {
    hostStore.log('action', 'info', `actions.navigateToPage(${describe(options)})`);
    if (surface.kind === 'page') navigatePage(options.to, options.params);
    else hostStore.reportError('actions.navigateToPage outside an app page: the preview shows app pages only on the pages screen.');
  },
  copyTextToClipboard(text: string) {
    hostStore.log('action', 'info', `actions.copyTextToClipboard(${describe(text)}): HubSpot copies this text.`);
    return navigator.clipboard?.writeText(text).catch(() => undefined) ?? Promise.resolve();
  },
  closeOverlay(id: string) {
    hostStore.log('action', 'info', `actions.closeOverlay(${describe(id)}): HubSpot closes this overlay.`);
  },
  fetchCrmObjectProperties: unsupported('actions.fetchCrmObjectProperties'),
  refreshObjectProperties: unsupported('actions.refreshObjectProperties'),
  onCrmPropertiesUpdate: unsupported('actions.onCrmPropertiesUpdate'),
};

const runServerlessFunction = unsupported('runServerlessFunction (Tiller calls its backend with hubspot.fetch)');

type FetchOptions = { method?: string; timeout?: number; body?: Record<string, unknown>; headers?: Record<string, string> | Headers };

/** hubspot.fetch: the dev server signs the call as HubSpot's proxy does and forwards it to the backend. */
async function hsFetch(url: string | URL, options: FetchOptions = {}): Promise<Response> {
  const method = (options.method ?? 'GET').toUpperCase();
  const started = performance.now();
  const res = await fetch('/preview/api/fetch', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      url: String(url),
      method,
      timeout: options.timeout,
      body: options.body,
      headers: options.headers ? Object.fromEntries(new Headers(options.headers).entries()) : undefined,
      portalId: portal!.id,
      userId: user!.id,
      userEmail: user!.email,
    }),
  });
  const answer = (await res.json()) as { status: number; contentType: string | null; body: string } | { error: string };
  const ms = Math.round(performance.now() - started);
  if ('error' in answer) {
    hostStore.log('fetch', 'error', `hubspot.fetch ${method} ${String(url)} rejected: ${answer.error}`);
    throw new TypeError(answer.error);
  }
  hostStore.log('fetch', answer.status >= 400 ? 'warn' : 'info', `hubspot.fetch ${method} ${String(url)} → ${answer.status} (${ms} ms)`);
  const noBody = answer.status === 204 || answer.status === 304;
  return new Response(noBody ? null : answer.body, {
    status: answer.status,
    headers: answer.contentType ? { 'Content-Type': answer.contentType } : {},
  });
}

const logger = {
  debug: (data: unknown) => (console.debug(data), hostStore.log('logger', 'info', `logger.debug: ${String(data)}`)),
  info: (data: unknown) => (console.info(data), hostStore.log('logger', 'info', `logger.info: ${String(data)}`)),
  warn: (data: unknown) => (console.warn(data), hostStore.log('logger', 'warn', `logger.warn: ${String(data)}`)),
  error: (data: unknown) => (
    console.warn(`logger.error: ${String(data)}`),
    hostStore.log('logger', 'error', `logger.error: ${String(data)}`)
  ),
};

setSelection(boot.selection);
hostStore.navigate(boot.selection.path, boot.selection.params);
// Headings inside a record card sit under the card's title (h2); on pages under the page's h1.
frame.headingLevel = surface.kind === 'card' ? 3 : 2;

Object.assign(self, {
  __HUBSPOT_EXTENSION_WORKER__: true,
  logger,
  hsFetch,
  serverless: unsupported('hubspot.serverless'),
  extend_V2(render: (api: unknown) => unknown) {
    if (hostStore.get().extension) hostStore.reportError('The entry file called hubspot.extend more than once.');
    hostStore.setExtension(render);
  },
  hsWorkerAPI: {
    useExtensionContext: () => context,
    useExtensionActions: () => actions,
    useExtensionApi: () => ({ context, actions, runServerlessFunction }),
    useAppPageLocation: () => useHostState((s) => s.location),
    fetchCrmSearch: unsupported('useCrmSearch'),
    fetchCrmProperties: unsupported('useCrmProperties'),
    fetchAssociations: unsupported('useAssociations'),
    fetchHubSpotApi: unsupported('the experimental HubSpot API client'),
    formatCrmProperties: unsupported('formatCrmProperties'),
  },
});

window.addEventListener('error', (e) => hostStore.reportError(`Uncaught error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => hostStore.reportError(`Unhandled rejection: ${String(e.reason)}`));
setTimeout(() => {
  if (!hostStore.get().extension) hostStore.reportError(`${surface.title}: the entry file did not call hubspot.extend.`);
}, 5000);

const root = document.getElementById('root');
if (!root) throw new Error('The preview page has no #root.');
createRoot(root).render(<Shell boot={boot} surface={surface} api={{ context, actions, runServerlessFunction }} />);
