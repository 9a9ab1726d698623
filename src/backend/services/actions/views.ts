import { randomUUID } from 'node:crypto';
import type { ActionsSort, ActionsView, ActionsViewRequest } from '../../contract/api';
import { AppError } from '../../app-error';
import { createActionsRepo, type Database, type StoredTaskView } from '../../storage';
import { parseFilters, usableView, type Viewer } from './tasks';

// Custom task views (CS-ACT-3): private to their creator, or shared with everyone. Only managers
// share, and only managers edit or delete a shared view; a private view is its creator's alone.

export type ViewActor = Viewer & { isManager: boolean };

function toApi(v: StoredTaskView, actor: ViewActor): ActionsView {
  const mine = v.ownerUserId === actor.userId;
  return {
    id: v.id,
    name: v.name,
    shared: v.shared,
    mine,
    editable: v.shared ? actor.isManager : mine,
    filters: parseFilters(v.filters),
    sort: v.sort as ActionsSort,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

function assertMaySave(actor: ViewActor, shared: boolean): void {
  if (shared && !actor.isManager) throw new AppError('FORBIDDEN', 'Only managers can share a view with everyone.');
}

export async function listViews(db: Database, actor: ViewActor): Promise<ActionsView[]> {
  return (await createActionsRepo(db).listViews(actor.portalId, actor.userId)).map((v) => toApi(v, actor));
}

export async function createView(db: Database, actor: ViewActor, req: ActionsViewRequest, now: number): Promise<ActionsView> {
  const shared = req.shared ?? false;
  assertMaySave(actor, shared);
  const view = await createActionsRepo(db).putView(
    actor.portalId,
    {
      id: `tv_${randomUUID()}`,
      ownerUserId: actor.userId,
      name: req.name,
      shared,
      filters: parseFilters(req.filters ?? {}),
      sort: req.sort ?? 'due',
    },
    new Date(now),
  );
  return toApi(view, actor);
}

async function editableView(db: Database, actor: ViewActor, id: string): Promise<StoredTaskView> {
  const view = await usableView(db, actor, id);
  if (view.shared ? !actor.isManager : view.ownerUserId !== actor.userId) {
    throw new AppError('FORBIDDEN', 'Only managers can change or delete a view shared with everyone.');
  }
  return view;
}

export async function updateView(
  db: Database,
  actor: ViewActor,
  id: string,
  patch: Partial<ActionsViewRequest>,
  now: number,
): Promise<ActionsView> {
  const view = await editableView(db, actor, id);
  const shared = patch.shared ?? view.shared;
  assertMaySave(actor, shared);
  const saved = await createActionsRepo(db).putView(
    actor.portalId,
    {
      id,
      ownerUserId: view.ownerUserId,
      name: patch.name ?? view.name,
      shared,
      filters: patch.filters ? parseFilters(patch.filters) : view.filters,
      sort: patch.sort ?? view.sort,
    },
    new Date(now),
  );
  return toApi(saved, actor);
}

export async function deleteView(db: Database, actor: ViewActor, id: string): Promise<void> {
  await editableView(db, actor, id);
  await createActionsRepo(db).deleteView(actor.portalId, id);
}
