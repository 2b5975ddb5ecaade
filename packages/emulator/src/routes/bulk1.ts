// Bulk API 1.0 under /services/async/NN.0/: XML job control in the asyncapi namespace with the
// X-SFDC-Session header, CSV, XML and JSON batches (JSON jobs: bulk/json-batches.ts) processed on
// timers (Queued → InProgress →
// Completed, or Failed with a stateMessage past 10,000 records, 10 MB or 10,000,000 characters,
// or with a field over 32,000 characters or a record over 400,000 characters or 5,000 fields),
// results in input order, query jobs with result ids and PK chunking.

import type { IncomingMessage } from 'node:http';
import { parse } from 'csv-parse/sync';
import { parseStringPromise } from 'xml2js';
import {
  applyRow,
  type BulkOperation,
  bulkErrorText,
  bulkSettings,
  csvLine,
  isPlainQuery,
  OPERATIONS,
  schedule,
  selectColumns,
  valueAt,
} from '../bulk/common.js';
import { ExternalIdIndex } from '../bulk/external-id-index.js';
import type { EmulatorContext, EmulatorModule } from '../context.js';
import { formatDateTime } from '../field-values.js';
import { dmlResultsJson, infoJson, jsonError, parseJsonRecords, wantsJson } from '../bulk/json-batches.js';
import { HttpError, sendJson, sendText } from '../http-util.js';
import { IdFactory } from '../ids.js';
import type { RequestContext } from '../router.js';
import type { Session } from '../sessions.js';
import { compileSoql, SoqlError } from '../soql/index.js';

const NS = 'http://www.force.com/2009/06/asyncapi/dataload';
type Row = Readonly<Record<string, unknown>>;
type BatchState = 'Queued' | 'InProgress' | 'Completed' | 'Failed' | 'NotProcessed';

interface Job {
  id: string;
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: 'Open' | 'Closed' | 'Aborted' | 'Failed';
  externalIdFieldName: string | undefined;
  concurrencyMode: string;
  contentType: 'CSV' | 'XML' | 'JSON';
  apiVersion: string;
  pkChunkSize: number | undefined;
  batches: Batch[];
  /**
   * Upsert: the object's rows by the external id, shared by the batches being processed (built
   * when the first starts, closed when the last of them ends), so no row scans the store.
   */
  index: ExternalIdIndex | undefined;
  /** How many batches being processed hold {@link index}. */
  indexUsers: number;
}

interface Batch {
  id: string;
  jobId: string;
  state: BatchState;
  stateMessage: string | undefined;
  createdDate: string;
  systemModstamp: string;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  /** DML: parsed records in input order; results as [id, success, created, error]. */
  records: Record<string, string>[];
  results: [string, boolean, boolean, string][];
  /** Query: the SOQL, and result sets by id once done. */
  soql: string | undefined;
  idRange: [number, number] | undefined;
  queryResults: Map<string, { columns: string[]; records: Record<string, unknown>[] }>;
  /** Upsert: this batch is being processed and holds its job's index. */
  holdsIndex: boolean;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xmlElement(name: string, fields: [string, unknown][]): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?><${name} xmlns="${NS}">`;
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    out += `<${key}>${escapeXml(String(value))}</${key}>`;
  }
  return `${out}</${name}>`;
}

/** Bulk 1.0's error shape: `<error><exceptionCode/><exceptionMessage/></error>`. */
function asyncError(status: number, code: string, message: string): HttpError {
  return new HttpError(
    status,
    xmlElement('error', [
      ['exceptionCode', code],
      ['exceptionMessage', message],
    ]),
    { 'content-type': 'application/xml' },
  );
}

async function readLimited(req: IncomingMessage, limit: number): Promise<{ body: Buffer; over: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) over = true;
    if (!over) chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), over };
}

function pkChunkSize(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header.join(';') : header;
  if (text === undefined || /^\s*false\s*$/i.test(text)) return undefined;
  const match = /chunkSize\s*=\s*(\d+)/i.exec(text);
  const n = match ? Number(match[1]) : 100_000;
  if (n < 1 || n > 250_000) throw asyncError(400, 'InvalidJob', `Invalid chunkSize: ${n}`);
  return n;
}

/** Bulk API 1.0 routes. */
export function bulk1Routes(): EmulatorModule {
  return (ctx: EmulatorContext) => {
    const settings = bulkSettings(ctx.store);
    const ids = new IdFactory('B1');
    const jobs = new Map<string, Job>();

    const session = (rc: RequestContext): Session => {
      const token = rc.req.headers['x-sfdc-session'];
      const found = typeof token === 'string' ? ctx.sessions.lookup(token) : undefined;
      // Salesforce answers a missing, invalid or expired session here with 400, not 401 (jsforce
      // renews on exactly this); PROTOCOL.md, Bulk API 1.0.
      if (!found) throw asyncError(400, 'InvalidSessionId', 'Invalid session id');
      return found;
    };

    const jobFields = (job: Job): [string, unknown][] => {
      const count = (s: BatchState) => job.batches.filter((b) => b.state === s).length;
      const sum = (f: (b: Batch) => number) => job.batches.reduce((n, b) => n + f(b), 0);
      return [
        ['id', job.id],
        ['operation', job.operation],
        ['object', job.object],
        ['createdById', job.createdById],
        ['createdDate', job.createdDate],
        ['systemModstamp', job.systemModstamp],
        ['state', job.state],
        ['externalIdFieldName', job.externalIdFieldName],
        ['concurrencyMode', job.concurrencyMode],
        ['contentType', job.contentType],
        ['numberBatchesQueued', count('Queued')],
        ['numberBatchesInProgress', count('InProgress')],
        ['numberBatchesCompleted', count('Completed')],
        ['numberBatchesFailed', count('Failed')],
        ['numberBatchesTotal', job.batches.length],
        ['numberRecordsProcessed', sum((b) => b.numberRecordsProcessed)],
        ['numberRetries', 0],
        ['apiVersion', job.apiVersion],
        ['numberRecordsFailed', sum((b) => b.numberRecordsFailed)],
        ['totalProcessingTime', sum((b) => b.totalProcessingTime)],
        ['apiActiveProcessingTime', sum((b) => b.totalProcessingTime)],
        ['apexProcessingTime', 0],
      ];
    };

    const batchFields = (b: Batch): [string, unknown][] => [
      ['id', b.id],
      ['jobId', b.jobId],
      ['state', b.state],
      ['stateMessage', b.stateMessage],
      ['createdDate', b.createdDate],
      ['systemModstamp', b.systemModstamp],
      ['numberRecordsProcessed', b.numberRecordsProcessed],
      ['numberRecordsFailed', b.numberRecordsFailed],
      ['totalProcessingTime', b.totalProcessingTime],
      ['apiActiveProcessingTime', b.totalProcessingTime],
      ['apexProcessingTime', 0],
    ];

    const sendXml = (rc: RequestContext, status: number, xml: string) =>
      sendText(rc.res, status, xml, 'application/xml');
    /** A jobInfo or batchInfo, in JSON for JSON jobs and requests (json-batches.ts), else XML. */
    const sendInfo = (
      rc: RequestContext,
      status: number,
      name: string,
      fields: [string, unknown][],
      job: Job,
    ) => {
      if (wantsJson(rc.req.headers, job.contentType)) sendJson(rc.res, status, infoJson(fields));
      else sendXml(rc, status, xmlElement(name, fields));
    };

    const findJob = (rc: RequestContext): Job => {
      const job = jobs.get(rc.params.jobId ?? '');
      if (!job) throw asyncError(400, 'InvalidJob', `Unable to find job by Id: ${rc.params.jobId}`);
      return job;
    };
    const findBatch = (rc: RequestContext): Batch => {
      const job = findJob(rc);
      const batch = job.batches.find((b) => b.id === rc.params.batchId);
      if (!batch) throw asyncError(400, 'InvalidBatch', `Unable to find batch for id: ${rc.params.batchId}`);
      return batch;
    };

    const readXmlBody = async (rc: RequestContext): Promise<Record<string, unknown>> => {
      const { body } = await readLimited(rc.req, 1024 * 1024);
      const text = body.toString('utf8');
      if (/json/i.test(String(rc.req.headers['content-type'] ?? ''))) {
        try {
          return JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw asyncError(400, 'InvalidJob', 'Unable to parse JSON');
        }
      }
      try {
        const parsed = (await parseStringPromise(text, {
          explicitArray: false,
          tagNameProcessors: [(n: string) => n.replace(/^.*:/, '')],
        })) as Record<string, unknown>;
        return (parsed.jobInfo ?? {}) as Record<string, unknown>;
      } catch {
        throw asyncError(400, 'XmlParserError', 'Unable to parse the request XML');
      }
    };

    const createJob = async (rc: RequestContext) => {
      const s = session(rc);
      const info = await readXmlBody(rc);
      const operation = String(info.operation ?? '');
      if (
        !OPERATIONS.includes(operation as BulkOperation) &&
        operation !== 'query' &&
        operation !== 'queryAll'
      ) {
        throw asyncError(400, 'InvalidJob', `Invalid operation: ${operation}`);
      }
      const describe = ctx.store.describe(String(info.object ?? ''));
      if (!describe)
        throw asyncError(400, 'InvalidJob', `Unable to find object: ${String(info.object ?? '')}`);
      const contentType = String(info.contentType ?? 'XML');
      if (contentType !== 'CSV' && contentType !== 'XML' && contentType !== 'JSON') {
        throw asyncError(400, 'InvalidJob', `Unsupported content type: ${contentType}`);
      }
      let ext: string | undefined;
      if (operation === 'upsert') {
        const field = ctx.store.field(describe.name, String(info.externalIdFieldName ?? ''));
        if (!field) throw asyncError(400, 'InvalidJob', 'External ID was blank or not a field of the object');
        ext = field.name;
      }
      const now = formatDateTime(new Date());
      const chunk = pkChunkSize(rc.req.headers['sforce-enable-pkchunking']);
      const job: Job = {
        id: ids.next('750'),
        operation,
        object: describe.name,
        createdById: s.userId,
        createdDate: now,
        systemModstamp: now,
        state: 'Open',
        externalIdFieldName: ext,
        concurrencyMode: String(info.concurrencyMode ?? 'Parallel'),
        contentType,
        apiVersion: rc.params.version ?? ctx.apiVersion,
        pkChunkSize: operation === 'query' || operation === 'queryAll' ? chunk : undefined,
        batches: [],
        index: undefined,
        indexUsers: 0,
      };
      jobs.set(job.id, job);
      sendInfo(rc, 201, 'jobInfo', jobFields(job), job);
    };

    const updateJob = async (rc: RequestContext) => {
      session(rc);
      const job = findJob(rc);
      const info = await readXmlBody(rc);
      const state = String(info.state ?? '');
      if (state === 'Closed') {
        if (job.state !== 'Open') throw asyncError(400, 'InvalidJobState', `Job ${job.id} is ${job.state}`);
        job.state = 'Closed';
      } else if (state === 'Aborted') {
        if (job.state === 'Aborted')
          throw asyncError(400, 'InvalidJobState', `Job ${job.id} is already aborted`);
        job.state = 'Aborted';
        for (const b of job.batches) {
          if (b.state === 'Queued' || b.state === 'InProgress') setBatch(b, 'NotProcessed', 'Job aborted');
        }
      } else {
        throw asyncError(400, 'InvalidJobState', `Invalid state: ${state}`);
      }
      job.systemModstamp = formatDateTime(new Date());
      sendInfo(rc, 200, 'jobInfo', jobFields(job), job);
    };

    const setBatch = (b: Batch, state: BatchState, message?: string) => {
      b.state = state;
      b.stateMessage = message;
      b.systemModstamp = formatDateTime(new Date());
    };

    const newBatch = (job: Job): Batch => {
      const now = formatDateTime(new Date());
      const batch: Batch = {
        id: ids.next('751'),
        jobId: job.id,
        state: 'Queued',
        stateMessage: undefined,
        createdDate: now,
        systemModstamp: now,
        numberRecordsProcessed: 0,
        numberRecordsFailed: 0,
        totalProcessingTime: 0,
        records: [],
        results: [],
        soql: undefined,
        idRange: undefined,
        queryResults: new Map(),
        holdsIndex: false,
      };
      job.batches.push(batch);
      return batch;
    };

    const parseRecords = async (job: Job, body: Buffer): Promise<Record<string, string>[]> => {
      if (job.contentType === 'JSON') return parseJsonRecords(body);
      if (job.contentType === 'CSV') {
        return parse(body, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
      }
      const parsed = (await parseStringPromise(body.toString('utf8'), {
        explicitArray: false,
        tagNameProcessors: [(n: string) => n.replace(/^.*:/, '')],
      })) as { sObjects?: { sObject?: unknown } };
      const list = parsed.sObjects?.sObject;
      const items = list === undefined ? [] : Array.isArray(list) ? list : [list];
      return items.map((item) => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
          if (k === '$') continue;
          const nil =
            typeof v === 'object' &&
            v !== null &&
            (v as { $?: Record<string, string> }).$?.['xsi:nil'] === 'true';
          out[k] = nil ? '#N/A' : typeof v === 'string' ? v : '';
        }
        return out;
      });
    };

    /** The job's upsert index for `batch` (built if no other batch holds it), or undefined. */
    const holdIndex = (job: Job, batch: Batch): ExternalIdIndex | undefined => {
      if (job.operation !== 'upsert' || job.externalIdFieldName === undefined) return undefined;
      if (!batch.holdsIndex) {
        batch.holdsIndex = true;
        job.indexUsers += 1;
      }
      job.index ??= new ExternalIdIndex(ctx.store, job.object, job.externalIdFieldName);
      return job.index;
    };

    /** `batch` is done with the index: the last batch to let go closes it (no listener left). */
    const releaseIndex = (job: Job, batch: Batch) => {
      if (!batch.holdsIndex) return;
      batch.holdsIndex = false;
      job.indexUsers -= 1;
      if (job.indexUsers === 0) {
        job.index?.close();
        job.index = undefined;
      }
    };

    const processDml = (job: Job, batch: Batch) => {
      if (batch.state === 'NotProcessed') {
        releaseIndex(job, batch);
        return;
      }
      if (batch.state === 'Queued') setBatch(batch, 'InProgress');
      const index = holdIndex(job, batch);
      const started = Date.now();
      const end = Math.min(batch.records.length, batch.results.length + settings.rowsPerTick);
      for (let i = batch.results.length; i < end; i++) {
        try {
          const r = applyRow(
            ctx.store,
            job.object,
            job.operation as BulkOperation,
            batch.records[i] as Record<string, string>,
            {
              externalIdField: job.externalIdFieldName,
              userId: job.createdById,
              index,
            },
          );
          batch.results.push([r.id, true, r.created, '']);
        } catch (error) {
          batch.results.push(['', false, false, bulkErrorText(error)]);
          batch.numberRecordsFailed += 1;
        }
        batch.numberRecordsProcessed += 1;
      }
      batch.totalProcessingTime += Date.now() - started;
      if (batch.results.length >= batch.records.length) {
        batch.records = [];
        releaseIndex(job, batch);
        setBatch(batch, 'Completed');
      } else {
        schedule(settings, () => processDml(job, batch));
      }
    };

    const runQuery = (job: Job, batch: Batch) => {
      if (batch.state === 'NotProcessed') return;
      setBatch(batch, 'InProgress');
      schedule(settings, () => {
        if (batch.state === 'NotProcessed') return;
        const started = Date.now();
        try {
          const soql = batch.soql ?? '';
          const includeDeleted = job.operation === 'queryAll';
          const compiled = compileSoql(ctx.store, soql, { includeDeleted, apiVersion: job.apiVersion });
          let records: Record<string, unknown>[];
          if (batch.idRange || isPlainQuery(soql)) {
            const all = [...ctx.store.rows(compiled.objectName, { includeDeleted })];
            const slice = batch.idRange ? sortById(all).slice(batch.idRange[0], batch.idRange[1]) : all;
            records = slice.filter((row) => compiled.matches(row)).map((row) => compiled.shape(row));
          } else {
            records = compiled.run().records;
          }
          const columns = selectColumns(soql);
          for (let i = 0; i === 0 || i < records.length; i += settings.queryResultChunk) {
            batch.queryResults.set(ids.next('752'), {
              columns,
              records: records.slice(i, i + settings.queryResultChunk),
            });
          }
          batch.numberRecordsProcessed = records.length;
          batch.totalProcessingTime = Date.now() - started;
          setBatch(batch, 'Completed');
        } catch (error) {
          const message = SoqlError.is(error) ? `${error.errorCode}: ${error.message}` : String(error);
          setBatch(batch, 'Failed', `InvalidBatch : ${message}`);
        }
      });
    };

    const sortById = (rows: Row[]) => rows.sort((a, b) => (String(a.Id) < String(b.Id) ? -1 : 1));

    const addBatch = async (rc: RequestContext) => {
      session(rc);
      const job = findJob(rc);
      if (job.state !== 'Open') throw asyncError(400, 'InvalidJobState', `Job ${job.id} is not open`);
      const { body, over } = await readLimited(rc.req, settings.batchByteLimit);
      const batch = newBatch(job);
      if (over) {
        setBatch(
          batch,
          'Failed',
          `InvalidBatch : Failed to read batch: exceeded max size limit of ${settings.batchByteLimit}`,
        );
        sendInfo(rc, 201, 'batchInfo', batchFields(batch), job);
        return;
      }
      if (job.operation === 'query' || job.operation === 'queryAll') {
        batch.soql = body.toString('utf8').trim();
        try {
          compileSoql(ctx.store, batch.soql, { includeDeleted: false, apiVersion: job.apiVersion });
        } catch (error) {
          if (!SoqlError.is(error)) throw error;
          setBatch(batch, 'Failed', `InvalidBatch : ${error.errorCode}: ${error.message}`);
          sendInfo(rc, 201, 'batchInfo', batchFields(batch), job);
          return;
        }
        if (job.pkChunkSize !== undefined) {
          // The original batch is not processed; one batch per range of Ids runs instead.
          setBatch(batch, 'NotProcessed');
          const total = [...ctx.store.rows(job.object, { includeDeleted: job.operation === 'queryAll' })]
            .length;
          for (let from = 0; from === 0 || from < total; from += job.pkChunkSize) {
            const chunk = newBatch(job);
            chunk.soql = batch.soql;
            chunk.idRange = [from, from + job.pkChunkSize];
            schedule(settings, () => runQuery(job, chunk));
          }
        } else {
          schedule(settings, () => runQuery(job, batch));
        }
        sendInfo(rc, 201, 'batchInfo', batchFields(batch), job);
        return;
      }
      // Characters as Salesforce (Java) counts them: UTF-16 code units, as a JS string's length.
      // The wording of this stateMessage is unverified against Salesforce.
      const chars = body.toString('utf8').length;
      if (chars > settings.batchCharLimit) {
        setBatch(
          batch,
          'Failed',
          `InvalidBatch : Batch exceeds the max character limit of ${settings.batchCharLimit}`,
        );
        sendInfo(rc, 201, 'batchInfo', batchFields(batch), job);
        return;
      }
      try {
        batch.records = await parseRecords(job, body);
      } catch (error) {
        setBatch(batch, 'Failed', `InvalidBatch : Failed to parse batch: ${(error as Error).message}`);
        sendInfo(rc, 201, 'batchInfo', batchFields(batch), job);
        return;
      }
      const refused =
        batch.records.length > settings.batchRecordLimit
          ? `InvalidBatch : Records exceeds the batch limit of ${settings.batchRecordLimit}`
          : recordOverLimit(batch.records);
      if (refused !== undefined) {
        batch.records = [];
        setBatch(batch, 'Failed', refused);
      } else {
        schedule(settings, () => processDml(job, batch));
      }
      sendInfo(rc, 201, 'batchInfo', batchFields(batch), job);
    };

    /**
     * Why a record fails the whole batch (a field over 32,000 characters, a record over 400,000
     * characters or 5,000 fields), or undefined. Salesforce's exact wording of these three
     * stateMessages is unverified; the limits are documented.
     */
    const recordOverLimit = (records: readonly Record<string, string>[]): string | undefined => {
      for (const record of records) {
        let fields = 0;
        let chars = 0;
        for (const key in record) {
          const value = record[key];
          const length = typeof value === 'string' ? value.length : 0;
          if (length > settings.fieldCharLimit)
            return `InvalidBatch : Field value exceeds max length of ${settings.fieldCharLimit} characters`;
          fields += 1;
          chars += length;
        }
        if (fields > settings.recordFieldLimit)
          return `InvalidBatch : Record exceeds the max of ${settings.recordFieldLimit} fields`;
        if (chars > settings.recordCharLimit)
          return `InvalidBatch : Record exceeds max length of ${settings.recordCharLimit} characters`;
      }
      return undefined;
    };

    const listBatches = (rc: RequestContext) => {
      session(rc);
      const job = findJob(rc);
      if (wantsJson(rc.req.headers, job.contentType)) {
        return sendJson(rc.res, 200, { batchInfo: job.batches.map((b) => infoJson(batchFields(b))) });
      }
      let xml = `<?xml version="1.0" encoding="UTF-8"?><batchInfoList xmlns="${NS}">`;
      for (const b of job.batches) {
        xml += '<batchInfo>';
        for (const [k, v] of batchFields(b))
          if (v !== undefined) xml += `<${k}>${escapeXml(String(v))}</${k}>`;
        xml += '</batchInfo>';
      }
      sendXml(rc, 200, `${xml}</batchInfoList>`);
    };

    const batchResult = (rc: RequestContext) => {
      session(rc);
      const job = findJob(rc);
      const batch = findBatch(rc);
      if (batch.state !== 'Completed') {
        throw asyncError(400, 'InvalidBatch', `Batch not completed: ${batch.id} is ${batch.state}`);
      }
      if (job.contentType === 'JSON') {
        if (batch.soql !== undefined) return sendJson(rc.res, 200, [...batch.queryResults.keys()]);
        return sendJson(rc.res, 200, dmlResultsJson(batch.results));
      }
      if (batch.soql !== undefined) {
        const list = [...batch.queryResults.keys()].map((id) => `<result>${id}</result>`).join('');
        sendXml(
          rc,
          200,
          `<?xml version="1.0" encoding="UTF-8"?><result-list xmlns="${NS}">${list}</result-list>`,
        );
        return;
      }
      if (job.contentType === 'XML') {
        let xml = `<?xml version="1.0" encoding="UTF-8"?><results xmlns="${NS}">`;
        for (const [id, success, created, error] of batch.results) {
          xml += `<result>${id ? `<id>${id}</id>` : '<id xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'}<success>${success}</success><created>${created}</created>`;
          if (error) xml += `<errors><message>${escapeXml(error)}</message></errors>`;
          xml += '</result>';
        }
        sendXml(rc, 200, `${xml}</results>`);
        return;
      }
      let csv = csvLine(['Id', 'Success', 'Created', 'Error'], ',', '\n', true);
      for (const r of batch.results) csv += csvLine(r, ',', '\n', true);
      sendText(rc.res, 200, csv, 'text/csv');
    };

    const queryResult = (rc: RequestContext) => {
      session(rc);
      const batch = findBatch(rc);
      const result = batch.queryResults.get(rc.params.resultId ?? '');
      if (!result)
        throw asyncError(400, 'InvalidBatch', `Unable to find result for id: ${rc.params.resultId}`);
      if (findJob(rc).contentType === 'JSON') return sendJson(rc.res, 200, result.records);
      let csv = csvLine(result.columns, ',', '\n', true);
      const values = new Array<unknown>(result.columns.length);
      for (const record of result.records) {
        for (let c = 0; c < result.columns.length; c++)
          values[c] = valueAt(record, result.columns[c] as string);
        csv += csvLine(values, ',', '\n', true);
      }
      sendText(rc.res, 200, csv, 'text/csv');
    };

    const { router: routes } = ctx;
    // JSON jobs and requests get Bulk 1.0's errors in JSON (json-batches.ts).
    const router = {
      add: (method: string, path: string, handler: (rc: RequestContext) => void | Promise<void>) =>
        routes.add(method, path, async (rc) => {
          try {
            await handler(rc);
          } catch (error) {
            throw wantsJson(rc.req.headers, jobs.get(rc.params.jobId ?? '')?.contentType)
              ? jsonError(error)
              : error;
          }
        }),
    };
    const base = '/services/async/:version/job';
    router.add('POST', base, createJob);
    router.add('GET', `${base}/:jobId`, (rc) => {
      session(rc);
      const job = findJob(rc);
      sendInfo(rc, 200, 'jobInfo', jobFields(job), job);
    });
    router.add('POST', `${base}/:jobId`, updateJob);
    router.add('POST', `${base}/:jobId/batch`, addBatch);
    router.add('GET', `${base}/:jobId/batch`, listBatches);
    router.add('GET', `${base}/:jobId/batch/:batchId`, (rc) => {
      session(rc);
      sendInfo(rc, 200, 'batchInfo', batchFields(findBatch(rc)), findJob(rc));
    });
    router.add('GET', `${base}/:jobId/batch/:batchId/result`, batchResult);
    router.add('GET', `${base}/:jobId/batch/:batchId/result/:resultId`, queryResult);
  };
}
