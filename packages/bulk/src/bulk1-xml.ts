// Bulk API 1.0's XML job control: the one xml2js setup of @sf/bulk, writing `jobInfo` requests
// and reading `jobInfo`, `batchInfo`, `batchInfoList` and `result-list` answers.

import { Builder, parseStringPromise } from 'xml2js';

/** The namespace of Bulk 1.0's XML. */
const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

const builder = new Builder({ xmldec: { version: '1.0', encoding: 'UTF-8' }, renderOpts: { pretty: false } });

/** @internal A `<jobInfo>` request body with `fields` in the order given (Salesforce checks it). */
export function jobInfoXml(fields: Record<string, string | undefined>): string {
  const jobInfo: Record<string, unknown> = { $: { xmlns: NS } };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) jobInfo[name] = value;
  return builder.buildObject({ jobInfo });
}

/** @internal The element `root` of an XML answer, namespaces dropped, single children unwrapped. */
export async function readXml<T>(text: string, root: string): Promise<T> {
  const parsed = (await parseStringPromise(text, {
    explicitArray: false,
    ignoreAttrs: true,
    tagNameProcessors: [(n: string) => n.replace(/^.*:/, '')],
  })) as Record<string, unknown>;
  return parsed[root] as T;
}

/** @internal The `child` elements of a list answer (none, one or many) as an array. */
export function listOf<T>(list: unknown, child: string): T[] {
  const items =
    typeof list === 'object' && list !== null ? (list as Record<string, unknown>)[child] : undefined;
  return items === undefined ? [] : Array.isArray(items) ? (items as T[]) : [items as T];
}
