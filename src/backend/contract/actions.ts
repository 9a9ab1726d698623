// The Actions tab's HTTP contract (docs/api.md "Actions"). The UI imports only these types.
import type { ObjectRef } from './api';

export type Freshness = { dataAsOf: string; syncing?: { percent: number } };

export type ActionsBuiltInView = 'due-today' | 'overdue' | 'due-tomorrow' | 'completed';
export type ActionsSortKey = 'due' | 'priority' | 'subject' | 'modified';
/** A sort key, descending when prefixed with "-". */
export type ActionsSort = ActionsSortKey | `-${ActionsSortKey}`;

/** The filters a view saves and a list request takes (all together). */
export type ActionsFilters = {
  /** A built-in view's window on top of the filters (custom views may start from one). */
  view?: ActionsBuiltInView;
  /** "me" (default), "all", or owner ids. */
  owner?: 'me' | 'all' | string[];
  priority?: string[];
  type?: string[];
  status?: string[];
  /** Calendar dates in the user's zone, inclusive. */
  dueFrom?: string;
  dueTo?: string;
  associatedType?: 'contacts' | 'companies' | 'deals' | 'tickets';
  /** Tasks of this sequence's enrollments (SW-2), as far as Tiller has matched enrollments to sequences. */
  sequenceId?: string;
};

export type ActionsTask = {
  id: string;
  subject: string;
  dueAt: string | null;
  allDay: boolean;
  status: string;
  priority: string;
  type: string;
  ownerId: string | null;
  lastModifiedAt: string | null;
  associations: ObjectRef[];
};

export type ActionsTasksResponse = Freshness & {
  /** The built-in view or custom view id answered. */
  view: string;
  timeZone: string;
  filters: ActionsFilters;
  sort: ActionsSort;
  counts: Record<ActionsBuiltInView, number>;
  /** Tasks matching the whole request, over every page. */
  total: number;
  tasks: ActionsTask[];
  /** The portal's active owners, by name: to show and to assign tasks to. */
  owners: { id: string; name: string }[];
  paging?: { next: { after: string } };
};

export type ActionsView = {
  id: string;
  name: string;
  shared: boolean;
  mine: boolean;
  /** May the caller edit or delete it. */
  editable: boolean;
  filters: ActionsFilters;
  sort: ActionsSort;
  createdAt: string;
  updatedAt: string;
};

export type ActionsViewsResponse = { views: ActionsView[] };
export type ActionsViewRequest = { name: string; shared?: boolean; filters?: ActionsFilters; sort?: ActionsSort };

export type CreateTaskRequest = {
  subject: string;
  /** YYYY-MM-DD in the user's zone. */
  dueDate: string;
  /** HH:mm in the user's zone; without it the task is due at the start of the day. */
  dueTime?: string;
  priority?: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
  type?: string;
  /** Owner id; default the caller's own. */
  ownerId?: string;
  notes?: string;
  associatedRecord?: { objectType: 'contacts' | 'companies' | 'deals'; objectId: string };
};

export type CreateTaskResponse = Freshness & { task: ActionsTask };

export type BulkAction =
  | { kind: 'complete' }
  | { kind: 'reopen' }
  | { kind: 'assign'; ownerId: string }
  | { kind: 'set-property'; property: string; value: string | null }
  | { kind: 'delete' };

export type BulkJobRequest = {
  action: BulkAction;
  /** Either chosen task ids, or every task matching a filter now (resolved from the copy). */
  selection: { ids: string[] } | { filter: ActionsFilters; viewId?: string };
  /** Required (true) for delete. */
  confirm?: boolean;
};

export type BulkJobStatus = 'queued' | 'running' | 'done' | 'cancelled' | 'failed';

export type BulkJobResponse = {
  id: string;
  action: BulkAction;
  status: BulkJobStatus;
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  pending: number;
  cancelRequested: boolean;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  items: { taskId: string; state: 'pending' | 'done' | 'failed' | 'cancelled'; reason: string | null }[];
};
