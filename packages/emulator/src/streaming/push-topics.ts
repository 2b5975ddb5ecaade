// PushTopic evaluation: every committed change is tested against each active topic's SOQL,
// its NotifyForOperation... flags and its NotifyForFields rule, and becomes a message in
// Salesforce's `{ event, sobject }` shape.

import { formatDateTime } from '../field-values.js';
import { type CompiledSoql, compileSoql } from '../soql/index.js';
import type { OrgStore, RecordChange, Row } from '../store.js';

interface CompiledTopic {
  query: string;
  compiled: CompiledSoql;
  selectFields: Set<string>;
  whereFields: Set<string>;
}

const OPERATION_FLAG: Record<RecordChange['type'], string> = {
  created: 'NotifyForOperationCreate',
  updated: 'NotifyForOperationUpdate',
  deleted: 'NotifyForOperationDelete',
  undeleted: 'NotifyForOperationUndelete',
};

/** A PushTopic message to publish on `/topic/{name}`, still without its replay id. */
export interface TopicNotification {
  channel: string;
  build(replayId: number): Record<string, unknown>;
}

/** Compiles topics once per query text and turns changes into notifications. */
export class PushTopicEvaluator {
  readonly #store: OrgStore;
  readonly #cache = new Map<string, CompiledTopic | null>();
  #topics: Readonly<Row>[] | undefined;

  constructor(store: OrgStore) {
    this.#store = store;
  }

  /** Whether an active topic of that name exists. */
  exists(name: string): boolean {
    for (const row of this.#store.rows('PushTopic'))
      if (row.Name === name && row.IsActive === true) return true;
    return false;
  }

  notificationsFor(change: RecordChange): TopicNotification[] {
    if (change.objectName === 'PushTopic') {
      // Every PushTopic write passes here first, so the list below is never stale.
      this.#topics = undefined;
      return [];
    }
    // Read once per PushTopic change, not per change: a Bulk ingest asks once per row.
    this.#topics ??= [...this.#store.rows('PushTopic')];
    if (this.#topics.length === 0) return [];
    const out: TopicNotification[] = [];
    for (const topic of this.#topics) {
      if (topic.IsActive !== true || topic[OPERATION_FLAG[change.type]] !== true) continue;
      const compiled = this.#compile(String(topic.Query ?? ''));
      if (!compiled || compiled.compiled.objectName.toLowerCase() !== change.objectName.toLowerCase())
        continue;
      if (!compiled.compiled.matches(change.row)) continue;
      if (change.type === 'updated' && !fieldsQualify(topic, compiled, change.changedFields)) continue;
      const sobject = change.type === 'deleted' ? { Id: change.id } : shape(compiled.compiled, change.row);
      const createdDate = formatDateTime(new Date());
      const type = change.type;
      out.push({
        channel: `/topic/${String(topic.Name)}`,
        build: (replayId) => ({ event: { type, createdDate, replayId }, sobject }),
      });
    }
    return out;
  }

  #compile(query: string): CompiledTopic | null {
    const cached = this.#cache.get(query);
    if (cached !== undefined) return cached;
    let result: CompiledTopic | null = null;
    try {
      const compiled = compileSoql(this.#store, query, {
        includeDeleted: true,
        apiVersion: this.#store.apiVersion,
      });
      const object = compiled.objectName;
      const select = /^\s*select\s+([\s\S]+?)\s+from\s/i.exec(query)?.[1] ?? '';
      const where = /\swhere\s([\s\S]+)$/i.exec(query)?.[1]?.replace(/'(?:[^'\\]|\\.)*'/g, "''") ?? '';
      const known = (name: string) => this.#store.field(object, name)?.name.toLowerCase();
      const selectFields = new Set(
        select
          .split(',')
          .map((f) => known(f.trim()))
          .filter((f) => f !== undefined),
      );
      const whereFields = new Set(
        (where.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((f) => known(f)).filter((f) => f !== undefined),
      );
      result = { query, compiled, selectFields, whereFields };
    } catch {
      // A topic whose query the engine rejects notifies nobody (Salesforce rejects it on insert).
    }
    this.#cache.set(query, result);
    return result;
  }
}

function shape(compiled: CompiledSoql, row: Readonly<Row>): Record<string, unknown> {
  const { attributes: _attributes, ...fields } = compiled.shape(row);
  return { Id: row.Id, ...fields };
}

function fieldsQualify(topic: Readonly<Row>, compiled: CompiledTopic, changed: string[]): boolean {
  const rule = String(topic.NotifyForFields ?? 'Referenced');
  if (rule === 'All') return true;
  const lower = changed.map((f) => f.toLowerCase());
  const hit = (set: Set<string>) => lower.some((f) => set.has(f));
  if (rule === 'Select') return hit(compiled.selectFields);
  if (rule === 'Where') return hit(compiled.whereFields);
  return hit(compiled.selectFields) || hit(compiled.whereFields);
}
