// The page around the extension: a toolbar to choose the screen, portal, user and record, a frame
// shaped like the HubSpot location (app page, settings page, record sidebar card), the preview's
// render errors, the host actions the extension asked for, and alerts.
import { Component, Fragment, type ReactNode } from 'react';
import { selectionQuery, type BootSurface, type PreviewBoot } from '../boot';
import { hostStore, useHostState } from './store';

type Api = { context: unknown; actions: unknown; runServerlessFunction: unknown };

class ExtensionBoundary extends Component<{ title: string; children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error) {
    hostStore.reportError(`${this.props.title} crashed while rendering: ${error.message}`);
  }
  override render() {
    if (this.state.error) return <p className="pv-crash">This extension crashed: {this.state.error.message}</p>;
    return this.props.children;
  }
}

function Extension({ title, api }: { title: string; api: Api }) {
  const extension = useHostState((s) => s.extension);
  const mount = useHostState((s) => s.mount);
  if (!extension) return <p className="pv-waiting">Loading the extension…</p>;
  return (
    <ExtensionBoundary key={mount} title={title}>
      <Rendered render={extension.render} api={api} />
    </ExtensionBoundary>
  );
}

// The entry's render callback runs inside the boundary, as HubSpot runs it inside its own.
function Rendered({ render, api }: { render: (api: unknown) => unknown; api: Api }) {
  return <>{render(api) as ReactNode}</>;
}

function go(boot: PreviewBoot, patch: Partial<PreviewBoot['selection']>): void {
  const next = { ...boot.selection, ...patch };
  const surface = boot.surfaces.find((s) => s.uid === next.surface);
  const portal = boot.portals.find((p) => p.id === next.portalId) ?? boot.portals[0];
  if (!portal) return;
  if (!portal.users.some((u) => u.id === next.userId)) next.userId = portal.users[0]?.id ?? '';
  if (surface?.kind === 'card') {
    const records = surface.objectTypes.flatMap((t) => (boot.records[String(portal.id)] ?? []).filter((r) => r.objectType === t));
    if (!next.record || !records.some((r) => r.objectType === next.record?.objectType && r.id === next.record.id)) {
      next.record = records[0] ? { objectType: records[0].objectType, id: records[0].id } : null;
    }
  } else {
    next.record = null;
  }
  if (surface?.kind !== 'page' || patch.surface) {
    next.path = '/';
    next.params = {};
  }
  window.location.assign(`/preview?${selectionQuery(next)}`);
}

function Toolbar({ boot, surface }: { boot: PreviewBoot; surface: BootSurface }) {
  const sel = boot.selection;
  const portal = boot.portals.find((p) => p.id === sel.portalId);
  const records = (boot.records[String(sel.portalId)] ?? []).filter((r) => surface.objectTypes.includes(r.objectType));
  const kinds: { kind: BootSurface['kind']; label: string }[] = [
    { kind: 'page', label: 'App pages' },
    { kind: 'card', label: 'Record cards' },
    { kind: 'settings', label: 'Settings' },
  ];
  return (
    <header className="pv-toolbar">
      <span className="pv-brand">{boot.appName} preview</span>
      <label>
        Screen
        <select data-testid="pick-surface" value={sel.surface} onChange={(e) => go(boot, { surface: e.target.value })}>
          {kinds.map(({ kind, label }) => (
            <optgroup key={kind} label={label}>
              {boot.surfaces
                .filter((s) => s.kind === kind)
                .map((s) => (
                  <option key={s.uid} value={s.uid}>
                    {s.title}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label>
        Portal
        <select data-testid="pick-portal" value={String(sel.portalId)} onChange={(e) => go(boot, { portalId: Number(e.target.value) })}>
          {boot.portals.map((p) => (
            <option key={p.id} value={String(p.id)}>{`${p.id} (${p.timeZone})`}</option>
          ))}
        </select>
      </label>
      <label>
        User
        <select data-testid="pick-user" value={sel.userId} onChange={(e) => go(boot, { userId: e.target.value })}>
          {(portal?.users ?? []).map((u) => (
            <option key={u.id} value={u.id}>{`${u.firstName} ${u.lastName}${u.superAdmin ? ' (manager)' : ''}`}</option>
          ))}
        </select>
      </label>
      {surface.kind === 'card' ? (
        <label>
          Record
          <select
            data-testid="pick-record"
            value={sel.record ? `${sel.record.objectType}/${sel.record.id}` : ''}
            onChange={(e) => {
              const [objectType = '', id = ''] = e.target.value.split('/');
              go(boot, { record: { objectType, id } });
            }}
          >
            {surface.objectTypes.map((type) => (
              <optgroup key={type} label={type}>
                {records
                  .filter((r) => r.objectType === type)
                  .map((r) => (
                    <option key={`${r.objectType}/${r.id}`} value={`${r.objectType}/${r.id}`}>
                      {r.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
      ) : null}
    </header>
  );
}

function Errors() {
  const errors = useHostState((s) => s.errors);
  if (!errors.length) return null;
  return (
    <section className="pv-errors" role="alert" data-testid="preview-errors" aria-label="Preview errors">
      <h2>The preview cannot show this screen as HubSpot would</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.id}>{e.message}</li>
        ))}
      </ul>
    </section>
  );
}

function HostLog() {
  const log = useHostState((s) => s.log);
  return (
    <section className="pv-log" aria-label="Host actions and calls" data-testid="host-log">
      <h2>Host actions and calls</h2>
      {log.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ol tabIndex={0} aria-label="What the extension asked HubSpot to do">
          {log
            .slice()
            .reverse()
            .map((e) => (
              <li key={e.id} className={`pv-log-${e.level}`}>
                <time>{e.time}</time> {e.text}
              </li>
            ))}
        </ol>
      )}
    </section>
  );
}

function Toasts() {
  const toasts = useHostState((s) => s.toasts);
  return (
    <div className="pv-toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`pv-toast pv-toast-${t.type}`} data-testid="host-alert">
          {t.title ? <strong>{t.title} </strong> : null}
          <span>{t.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => hostStore.dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function IframeModalView() {
  const modal = useHostState((s) => s.modal);
  if (!modal) return null;
  const close = () => {
    hostStore.openModal(null);
    modal.onClose?.();
  };
  return (
    <div className="pv-modal-backdrop">
      <div className="pv-modal" role="dialog" aria-modal="true" aria-label={modal.title ?? 'Iframe modal'} data-testid="host-modal">
        <header>
          <h2>{modal.title ?? 'Iframe modal'}</h2>
          <button type="button" onClick={close}>
            Close
          </button>
        </header>
        <p>
          HubSpot would open <code>{modal.uri}</code> in a {modal.width}×{modal.height} modal. The preview does not load it.
        </p>
      </div>
    </div>
  );
}

function Frame({ boot, surface, children }: { boot: PreviewBoot; surface: BootSurface; children: ReactNode }) {
  if (surface.kind === 'page') {
    return (
      <div className="pv-app-page">
        <h1 className="pv-page-title">{surface.title}</h1>
        <div className="pv-extension">{children}</div>
      </div>
    );
  }
  if (surface.kind === 'settings') {
    return (
      <div className="pv-settings">
        <p className="pv-crumbs">Settings › Integrations › Connected apps</p>
        <h1 className="pv-page-title">{surface.title}</h1>
        <div className="pv-extension pv-settings-body">{children}</div>
      </div>
    );
  }
  const sel = boot.selection;
  const record = (boot.records[String(sel.portalId)] ?? []).find(
    (r) => sel.record && r.objectType === sel.record.objectType && r.id === sel.record.id,
  );
  return (
    <div className="pv-record">
      <div className="pv-record-main">
        <p className="pv-crumbs">{sel.record?.objectType ?? 'record'}</p>
        <h1 className="pv-page-title">{record?.name ?? (sel.record ? `Record ${sel.record.id}` : 'No record in this portal')}</h1>
        <p className="pv-record-note">The record page itself is HubSpot&apos;s; the preview shows the app card in the right sidebar.</p>
      </div>
      <aside className="pv-sidebar" aria-label="Record sidebar">
        <section className="pv-card" aria-labelledby="pv-card-title">
          <h2 id="pv-card-title" className="pv-card-title">
            {surface.title}
          </h2>
          <div className="pv-extension pv-card-body">{children}</div>
        </section>
      </aside>
    </div>
  );
}

export function Shell({ boot, surface, api }: { boot: PreviewBoot; surface: BootSurface; api: Api }) {
  return (
    <Fragment>
      <Toolbar boot={boot} surface={surface} />
      <main className={`pv-stage pv-stage-${surface.kind}`} data-testid="preview-stage">
        <Errors />
        <Frame boot={boot} surface={surface}>
          <Extension title={surface.title} api={api} />
        </Frame>
      </main>
      <HostLog />
      <Toasts />
      <IframeModalView />
    </Fragment>
  );
}
