import type { WorkspaceSort } from '../../contract/workspace';
import { queryRecords, type ResolvedFilters, type WorkspaceRecord } from './query';

// The board layout (CS-SRV-2, CS-REV-1): one column per stage of a pipeline, in the pipeline's
// order, each with its total, the sum of its amounts and its first cards.

export type BoardStage = { id: string; label: string };

export type BoardColumn = {
  stageId: string;
  total: number;
  /** Sum of the amounts of every record in the column (not only the cards shown); null without an amount property. */
  amount: number | null;
  records: WorkspaceRecord[];
};

/**
 * Groups the records matching `filters` by their stage (`stageProperty`), one column per stage of
 * `stages` (records in other stages are not on this pipeline's board), each sorted and cut to
 * `perColumn` cards.
 */
export function boardColumns(
  records: readonly WorkspaceRecord[],
  filters: ResolvedFilters,
  stages: readonly BoardStage[],
  opts: { stageProperty: string; sort: WorkspaceSort; perColumn: number; amountProperty: string | null },
): BoardColumn[] {
  const byStage = new Map<string, WorkspaceRecord[]>(stages.map((s) => [s.id, []]));
  for (const r of records) byStage.get(String(r.properties[opts.stageProperty] ?? ''))?.push(r);
  return stages.map((s) => {
    const page = queryRecords(byStage.get(s.id)!, filters, { sort: opts.sort, limit: opts.perColumn });
    let amount: number | null = null;
    if (opts.amountProperty) {
      const all = queryRecords(byStage.get(s.id)!, filters, { sort: opts.sort, limit: Number.MAX_SAFE_INTEGER }).records;
      amount = all.reduce((sum, r) => {
        const v = r.properties[opts.amountProperty!];
        return sum + (typeof v === 'number' && Number.isFinite(v) ? v : 0);
      }, 0);
    }
    return { stageId: s.id, total: page.total, amount, records: page.records };
  });
}
