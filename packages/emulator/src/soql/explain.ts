// GET /query?explain=: a plausible query plan. Salesforce's optimizer is not reproduced; the plan
// says Index when an AND-only WHERE has = or IN on an indexed field (Id, external id, unique,
// lookup), TableScan otherwise, with cardinalities counted from the data.
import type { WhereClause } from '@jetstreamapp/soql-parser-js';
import type { SoqlDataSource } from '../describe-types.js';
import { compileSoql, parseSoql } from './engine.js';
import { Schema } from './schema.js';

export interface ExplainNote {
  description: string;
  fields: string[];
  tableEnumOrId: string;
}

export interface ExplainPlan {
  cardinality: number;
  fields: string[];
  leadingOperationType: 'Index' | 'TableScan' | 'Other';
  notes: ExplainNote[];
  relativeCost: number;
  sobjectCardinality: number;
  sobjectType: string;
}

/** What GET /query?explain= answers. */
export interface ExplainResult {
  plans: ExplainPlan[];
}

/**
 * Explains a query (validating it like a real run, so errors match executeSoql's).
 *
 * @example
 * explainSoql(store, "SELECT Id FROM Account WHERE Id = '001000000000001AAA'").plans[0].leadingOperationType // 'Index'
 */
export function explainSoql(source: SoqlDataSource, soql: string): ExplainResult {
  const compiled = compileSoql(source, soql, { includeDeleted: false, apiVersion: '62.0' });
  const query = parseSoql(soql);
  const schema = new Schema(source, soql);
  const obj = schema.object(compiled.objectName);

  let sobjectCardinality = 0;
  let cardinality = 0;
  for (const row of source.rows(obj.name, { includeDeleted: false })) {
    if (row.IsDeleted === true) continue;
    sobjectCardinality++;
    if (compiled.matches(row)) cardinality++;
  }

  const conditions: Array<{ field: string; operator: string }> = [];
  let andOnly = true;
  for (
    let node: WhereClause | undefined = query.where;
    node;
    node = 'right' in node ? node.right : undefined
  ) {
    const op = 'operator' in node ? node.operator : undefined;
    if (op && op !== 'AND') andOnly = false;
    const left = node.left as { field?: string; operator?: string } | null;
    if (left?.field && left.operator)
      conditions.push({ field: left.field, operator: left.operator.toUpperCase() });
  }
  const indexed: string[] = [];
  const unindexed: string[] = [];
  for (const c of conditions) {
    if (c.field.includes('.')) continue;
    const f = obj.fields.get(c.field.toLowerCase());
    if (!f) continue;
    const isIndexed = f.type === 'id' || f.type === 'reference' || f.externalId || f.unique;
    if (isIndexed && andOnly && (c.operator === '=' || c.operator === 'IN')) indexed.push(f.name);
    else unindexed.push(f.name);
  }
  const useIndex = indexed.length > 0;
  const notes: ExplainNote[] = unindexed.length
    ? [
        {
          description: 'Not considering filter for optimization because unindexed',
          fields: [...new Set(unindexed)],
          tableEnumOrId: obj.name,
        },
      ]
    : [];
  const ratio = sobjectCardinality === 0 ? 0 : cardinality / sobjectCardinality;
  const plan: ExplainPlan = {
    cardinality,
    fields: useIndex ? [indexed[0]!] : [],
    leadingOperationType: useIndex ? 'Index' : 'TableScan',
    notes: useIndex ? [] : notes,
    relativeCost:
      Math.round((useIndex ? ratio * 0.1 : 0.65 + ratio * 0.35 + sobjectCardinality / 1_000_000) * 1e4) / 1e4,
    sobjectCardinality,
    sobjectType: obj.name,
  };
  return { plans: [plan] };
}
