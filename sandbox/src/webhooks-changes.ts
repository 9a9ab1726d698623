// Changes "by another user": what someone does in HubSpot's UI (edit, delete, restore from the
// recycle bin, merge, associate), made through the sandbox's control port. They go through the same
// store writes as the API, so they produce the same webhooks, with changeSource CRM_UI.
import { z } from 'zod';
import { archiveRecord, checkWrite, createRecord, mergeRecords, notFound, restoreRecord, updateRecord, type WriteCtx } from './records';
import { ValidationError, type Portal, type TypeStore } from './store';

const props = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const op = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), objectType: z.string(), properties: props.default({}) }),
  z.object({ op: z.literal('update'), objectType: z.string(), id: z.coerce.string(), properties: props }),
  z.object({ op: z.literal('archive'), objectType: z.string(), id: z.coerce.string() }),
  z.object({ op: z.literal('restore'), objectType: z.string(), id: z.coerce.string() }),
  z.object({ op: z.literal('merge'), objectType: z.string(), primaryId: z.coerce.string(), mergedId: z.coerce.string() }),
  z.object({
    op: z.literal('associate'),
    fromType: z.string(),
    fromId: z.coerce.string(),
    toType: z.string(),
    toId: z.coerce.string(),
    typeId: z.number().int().optional(),
  }),
  z.object({
    op: z.literal('unassociate'),
    fromType: z.string(),
    fromId: z.coerce.string(),
    toType: z.string(),
    toId: z.coerce.string(),
    typeId: z.number().int().optional(),
  }),
]);
export const changesRequest = z.object({
  portalId: z.number().int().optional(),
  /** The HubSpot user who makes the changes (sourceId `userId:<id>`); default the portal's first user. */
  userId: z.coerce.string().optional(),
  changes: z.array(op).min(1).max(1000),
});
export type ChangeOp = z.infer<typeof op>;
export type ChangesRequest = z.input<typeof changesRequest>;

function typeStore(p: Portal, key: string): TypeStore {
  const ts = p.typeStore(key);
  if (!ts) throw new ValidationError(`Unknown object type ${key}`);
  return ts;
}

/** Applies the changes in order as `userId` in HubSpot's UI; returns the id each change touched. */
export function applyUiChanges(
  p: Portal,
  ops: ChangeOp[],
  userId: string | undefined,
  ctx: WriteCtx,
): { results: { op: string; id?: string }[] } {
  const user = userId ?? p.users[0]?.id;
  const before = p.source;
  p.source = { changeSource: 'CRM_UI', ...(user ? { sourceId: `userId:${user}` } : {}) };
  try {
    const results: { op: string; id?: string }[] = [];
    for (const o of ops) {
      switch (o.op) {
        case 'create': {
          const ts = typeStore(p, o.objectType);
          const errs = checkWrite(ts, o.properties);
          if (errs.length) throw new ValidationError(errs.join('; '));
          results.push({ op: o.op, id: createRecord(p, ts, o.properties, ctx).id });
          break;
        }
        case 'update': {
          const ts = typeStore(p, o.objectType);
          const r = ts.byId.get(o.id);
          if (!r || r.archived) throw notFound(ts, o.id);
          const errs = checkWrite(ts, o.properties);
          if (errs.length) throw new ValidationError(errs.join('; '));
          updateRecord(p, ts, r, o.properties, ctx);
          results.push({ op: o.op, id: r.id });
          break;
        }
        case 'archive':
        case 'restore': {
          const ts = typeStore(p, o.objectType);
          const r = ts.byId.get(o.id);
          if (!r) throw notFound(ts, o.id);
          if (o.op === 'archive') archiveRecord(p, ts, r, ctx);
          else restoreRecord(p, ts, r, ctx);
          results.push({ op: o.op, id: r.id });
          break;
        }
        case 'merge': {
          const ts = typeStore(p, o.objectType);
          const a = ts.byId.get(o.primaryId),
            b = ts.byId.get(o.mergedId);
          if (!a || a.archived) throw notFound(ts, o.primaryId);
          if (!b || b.archived || b === a) throw notFound(ts, o.mergedId);
          mergeRecords(p, ts, a, b, ctx);
          results.push({ op: o.op, id: a.id });
          break;
        }
        case 'associate': {
          const e = p.associate(typeStore(p, o.fromType).info.name, o.fromId, typeStore(p, o.toType).info.name, o.toId, o.typeId);
          if (e) throw new ValidationError(e);
          results.push({ op: o.op, id: o.fromId });
          break;
        }
        case 'unassociate':
          p.unassociate(typeStore(p, o.fromType).info.name, o.fromId, typeStore(p, o.toType).info.name, o.toId, o.typeId);
          results.push({ op: o.op, id: o.fromId });
          break;
      }
    }
    return { results };
  } finally {
    p.source = before;
  }
}
