// Bulk API 2.0: ingest jobs (one CSV upload each, processed on timers in chunks, per-row
// results) and query jobs (CSV result pages, each with its own header row, with
// Sforce-Locator and Sforce-NumberOfRecords). Jobs live in memory as long as the emulator.

import {
  applyRow,
  type BulkOperation,
  bulkErrorText,
  bulkSettings,
  csvLine,
  DELIMITERS,
  isPlainQuery,
  OPERATIONS,
  schedule,
  selectColumns,
  unknownColumns,
  valueAt,
} from '../bulk/common.js';
import { CsvFormatError, readCsv } from '../bulk/csv-reader.js';
import { ExternalIdIndex } from '../bulk/external-id-index.js';
import { openBody } from '../bulk/response-body.js';
import type { EmulatorContext, EmulatorModule } from '../context.js';
import { errorResponse, type HttpError, readJsonObject, sendEmpty, sendJson } from '../http-util.js';
import { IdFactory } from '../ids.js';
import { type RestContext, restRoute } from '../rest-guard.js';
import { compileSoql, SoqlError } from '../soql/index.js';
import { StoreError } from '../store-error.js';
import { formatDateTime } from '../field-values.js';

type IngestState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
type Row = Readonly<Record<string, unknown>>;

interface JobInfo {
  id: string;
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: IngestState;
  externalIdFieldName?: string;
  concurrencyMode: 'Parallel';
  contentType: 'CSV';
  apiVersion: number;
  jobType: 'V2Ingest' | 'V2Query';
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  numberRecordsProcessed: number;
  numberRecordsFailed?: number;
  retries: number;
  totalProcessingTime: number;
  apiActiveProcessingTime?: number;
  apexProcessingTime?: number;
  errorMessage?: string;
  query?: string;
}

interface IngestJob {
  info: JobInfo;
  userId: string;
  upload: Buffer[] | undefined;
  columns: string[];
  rows: string[][] | undefined;
  next: number;
  /** Per processed row, in processing order: the row's index, then its id (or error). */
  okRows: number[];
  okIds: string[];
  okCreated: boolean[];
  failedRows: number[];
  failedErrors: string[];
  /** Upsert: the object's rows by the external id field while the job runs (closed at its end). */
  index: ExternalIdIndex | undefined;
  /** Upsert: the chunk whose duplicated external ids are in `duplicates` (-1 before the first). */
  duplicatesChunk: number;
  duplicates: ReadonlySet<string>;
}

/** Salesforce processes an ingest job's rows in chunks of 200 records. */
const CHUNK_ROWS = 200;

interface QueryJob {
  info: JobInfo;
  columns: string[];
  /** Matched rows shaped page by page, or records already shaped (ORDER BY, LIMIT...). */
  rows: readonly Row[] | undefined;
  records: readonly Record<string, unknown>[] | undefined;
  shape: ((row: Row) => Record<string, unknown>) | undefined;
  total: number;
}

const FINAL: ReadonlySet<IngestState> = new Set(['JobComplete', 'Failed', 'Aborted']);

function jobNotFound(): HttpError {
  return errorResponse(404, { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' });
}

function invalidState(message: string): HttpError {
  return errorResponse(409, { errorCode: 'INVALIDJOBSTATE', message });
}

function invalidJob(message: string): HttpError {
  return errorResponse(400, { errorCode: 'INVALIDJOB', message: `InvalidJob : ${message}` });
}

function lineEndingOf(value: unknown): 'LF' | 'CRLF' {
  if (value === undefined || value === 'LF') return 'LF';
  if (value === 'CRLF') return 'CRLF';
  throw invalidJob(`Invalid lineEnding: ${String(value)}`);
}

function delimiterOf(value: unknown): string {
  const name = value === undefined ? 'COMMA' : String(value);
  if (!(name in DELIMITERS)) throw invalidJob(`Invalid columnDelimiter: ${name}`);
  return name;
}

/** Bulk API 2.0 routes under `/services/data/vNN.N/jobs/`. */
export function bulk2Routes(): EmulatorModule {
  return (ctx: EmulatorContext) => {
    const settings = bulkSettings(ctx.store);
    const ids = new IdFactory('B2');
    const ingestJobs = new Map<string, IngestJob>();
    const queryJobs = new Map<string, QueryJob>();

    const baseInfo = (
      rc: RestContext,
      jobType: JobInfo['jobType'],
      body: Record<string, unknown>,
    ): JobInfo => {
      const now = formatDateTime(new Date());
      return {
        id: ids.next('750'),
        operation: String(body.operation ?? ''),
        object: '',
        createdById: rc.session.userId,
        createdDate: now,
        systemModstamp: now,
        state: jobType === 'V2Ingest' ? 'Open' : 'UploadComplete',
        concurrencyMode: 'Parallel',
        contentType: 'CSV',
        apiVersion: Number(rc.version),
        jobType,
        lineEnding: lineEndingOf(body.lineEnding),
        columnDelimiter: delimiterOf(body.columnDelimiter),
        numberRecordsProcessed: 0,
        retries: 0,
        totalProcessingTime: 0,
      };
    };

    const setState = (info: JobInfo, state: IngestState, errorMessage?: string) => {
      info.state = state;
      info.systemModstamp = formatDateTime(new Date());
      if (errorMessage !== undefined) info.errorMessage = errorMessage;
    };

    // ---- ingest ----

    const createIngest = async (rc: RestContext) => {
      const body = await readJsonObject(rc.req);
      const operation = String(body.operation ?? '');
      if (!OPERATIONS.includes(operation as BulkOperation))
        throw invalidJob(`Invalid operation: ${operation}`);
      const describe = ctx.store.describe(String(body.object ?? ''));
      if (!describe) throw invalidJob(`Invalid object: ${String(body.object ?? '')}`);
      if (body.contentType !== undefined && body.contentType !== 'CSV') {
        throw invalidJob(`Invalid contentType: ${String(body.contentType)}`);
      }
      const info = baseInfo(rc, 'V2Ingest', body);
      info.object = describe.name;
      if (operation === 'upsert') {
        const ext = String(body.externalIdFieldName ?? '');
        const field = ctx.store.field(describe.name, ext);
        if (!field || !(field.externalId || field.name === 'Id')) {
          throw invalidJob(`External ID was not specified or is not an external id field: ${ext}`);
        }
        info.externalIdFieldName = field.name;
      }
      info.numberRecordsFailed = 0;
      ingestJobs.set(info.id, {
        info,
        userId: rc.session.userId,
        upload: undefined,
        columns: [],
        rows: undefined,
        next: 0,
        okRows: [],
        okIds: [],
        okCreated: [],
        failedRows: [],
        failedErrors: [],
        index: undefined,
        duplicatesChunk: -1,
        duplicates: new Set(),
      });
      sendJson(rc.res, 200, {
        ...info,
        contentUrl: `services/data/v${rc.version}/jobs/ingest/${info.id}/batches`,
      });
    };

    const ingestJob = (rc: RestContext): IngestJob => {
      const job = ingestJobs.get(rc.params.jobId ?? '');
      if (!job) throw jobNotFound();
      return job;
    };

    const upload = async (rc: RestContext) => {
      const job = ingestJob(rc);
      if (job.info.state !== 'Open' || job.upload !== undefined) {
        throw invalidState(
          `Found multiple contents for job: <${job.info.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
        );
      }
      const limit = settings.ingestUploadLimitBytes;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of rc.req as AsyncIterable<Buffer>) {
        size += chunk.length;
        // Salesforce counts the upload after base64 encoding.
        if (Math.ceil(size / 3) * 4 > limit) {
          throw errorResponse(413, {
            errorCode: 'REQUEST_ENTITY_TOO_LARGE',
            message: `The uploaded data exceeds the limit of ${limit} bytes (base64 encoded)`,
          });
        }
        chunks.push(chunk);
      }
      job.upload = chunks;
      sendEmpty(rc.res, 201);
    };

    const parseUpload = (job: IngestJob): boolean => {
      if (job.rows !== undefined) return true;
      const text = Buffer.concat(job.upload ?? []).toString('utf8');
      job.upload = undefined;
      try {
        const all = readCsv(text, DELIMITERS[job.info.columnDelimiter] ?? ',');
        job.columns = all.shift() ?? [];
        job.rows = all;
      } catch (error) {
        if (!(error instanceof CsvFormatError)) throw error;
        job.rows = [];
        setState(job.info, 'Failed', `InvalidBatch : Failed to parse CSV: ${error.message}`);
        return false;
      }
      const unknown = unknownColumns(ctx.store, job.info.object, job.columns);
      if (unknown.length > 0) {
        setState(job.info, 'Failed', `InvalidBatch : Field name not found : ${unknown[0]}`);
        return false;
      }
      return true;
    };

    const finishIndex = (job: IngestJob) => {
      job.index?.close();
      job.index = undefined;
    };

    // An external id value twice in one chunk of an upsert: each such row fails, as Salesforce
    // answers `DUPLICATE_VALUE: Duplicate external id specified` (the chunk's other rows go on).
    const duplicateKeys = (job: IngestJob, column: number, chunk: number): ReadonlySet<string> => {
      if (job.duplicatesChunk === chunk) return job.duplicates;
      const rows = job.rows ?? [];
      const seen = new Set<string>();
      const twice = new Set<string>();
      const end = Math.min(rows.length, (chunk + 1) * CHUNK_ROWS);
      for (let r = chunk * CHUNK_ROWS; r < end; r++) {
        const value = (rows[r] as string[])[column] ?? '';
        if (value === '') continue;
        const key = value.toLowerCase();
        if (seen.has(key)) twice.add(key);
        else seen.add(key);
      }
      job.duplicatesChunk = chunk;
      job.duplicates = twice;
      return twice;
    };

    const processIngest = (job: IngestJob) => {
      if (job.info.state === 'Aborted') {
        finishIndex(job);
        return;
      }
      if (job.info.state === 'UploadComplete') {
        if (!parseUpload(job)) return;
        setState(job.info, 'InProgress');
      }
      const started = Date.now();
      const rows = job.rows ?? [];
      const end = Math.min(rows.length, job.next + settings.rowsPerTick);
      const { columns } = job;
      const { info } = job;
      const externalIdField = info.externalIdFieldName;
      const operation = info.operation as BulkOperation;
      const width = columns.length;
      const write = { userId: job.userId };
      let extColumn = -1;
      if (operation === 'upsert' && externalIdField !== undefined) {
        const lower = externalIdField.toLowerCase();
        extColumn = columns.findIndex((c) => c.toLowerCase() === lower);
        job.index ??= new ExternalIdIndex(ctx.store, info.object, externalIdField);
      }
      let failed = 0;
      for (; job.next < end; job.next++) {
        const cells = rows[job.next] as string[];
        try {
          if (extColumn !== -1) {
            const value = cells[extColumn] ?? '';
            if (duplicateKeys(job, extColumn, Math.floor(job.next / CHUNK_ROWS)).has(value.toLowerCase())) {
              throw new StoreError('DUPLICATE_VALUE', `Duplicate external id specified: ${value}`, {
                fields: [externalIdField as string],
              });
            }
          }
          if (operation === 'insert') {
            // The common case without the per-row record of applyRow: the same values reach the
            // store (empty cells left out, #N/A as null), so validation is the store's as ever.
            const fields: Record<string, unknown> = {};
            for (let c = 0; c < width; c++) {
              const value = cells[c] as string;
              if (value !== '') fields[columns[c] as string] = value === '#N/A' ? null : value;
            }
            job.okIds.push(ctx.store.insert(info.object, fields, write));
            job.okCreated.push(true);
          } else {
            const record: Record<string, string> = {};
            for (let c = 0; c < width; c++) record[columns[c] as string] = cells[c] ?? '';
            const outcome = applyRow(ctx.store, info.object, operation, record, {
              externalIdField,
              userId: job.userId,
              index: job.index,
            });
            job.okIds.push(outcome.id);
            job.okCreated.push(outcome.created);
          }
          job.okRows.push(job.next);
        } catch (error) {
          failed++;
          job.failedRows.push(job.next);
          job.failedErrors.push(bulkErrorText(error));
        }
      }
      info.numberRecordsFailed = (info.numberRecordsFailed ?? 0) + failed;
      info.numberRecordsProcessed = job.next;
      info.totalProcessingTime += Date.now() - started;
      info.apiActiveProcessingTime = info.totalProcessingTime;
      info.apexProcessingTime = 0;
      if (job.next >= rows.length) {
        finishIndex(job);
        setState(info, 'JobComplete');
        return;
      }
      info.systemModstamp = formatDateTime(new Date());
      schedule(settings, () => processIngest(job));
    };

    const patchIngest = async (rc: RestContext) => {
      const job = ingestJob(rc);
      const body = await readJsonObject(rc.req);
      const { info } = job;
      if (body.state === 'UploadComplete') {
        if (info.state !== 'Open')
          throw invalidState(`Invalid state transition from ${info.state} to UploadComplete`);
        setState(info, 'UploadComplete');
        schedule(settings, () => processIngest(job));
      } else if (body.state === 'Aborted') {
        if (FINAL.has(info.state))
          throw invalidState(`Invalid state transition from ${info.state} to Aborted`);
        setState(info, 'Aborted');
      } else {
        throw invalidState(`Invalid state: ${String(body.state)}`);
      }
      sendJson(rc.res, 200, info);
    };

    // Results are written in the job's columnDelimiter and lineEnding, as Salesforce writes them
    // (jsforce#1622: a PIPE job's results do not parse as commas).
    const dialectOf = (info: JobInfo) => ({
      d: DELIMITERS[info.columnDelimiter] ?? ',',
      eol: info.lineEnding === 'CRLF' ? '\r\n' : '\n',
    });

    const sendCsv = async (rc: RestContext, job: IngestJob, header: string[], lines: Iterable<string>) => {
      const body = openBody(rc.req, rc.res, { 'content-type': 'text/csv' });
      const { d, eol } = dialectOf(job.info);
      let chunk = csvLine(header, d, eol);
      for (const line of lines) {
        chunk += line;
        if (chunk.length > 64 * 1024) {
          if (!(await body.write(chunk))) return;
          chunk = '';
        }
      }
      body.end(chunk);
    };

    const results = (kind: 'successful' | 'failed' | 'unprocessed') => async (rc: RestContext) => {
      const job = ingestJob(rc);
      const { state } = job.info;
      if (kind !== 'unprocessed' && !FINAL.has(state) && state !== 'InProgress') {
        throw invalidState(`Job ${job.info.id} has no results while ${state}`);
      }
      const rows = job.rows ?? [];
      const { d, eol } = dialectOf(job.info);
      if (kind === 'successful') {
        await sendCsv(
          rc,
          job,
          ['sf__Id', 'sf__Created', ...job.columns],
          (function* () {
            const { okRows, okIds, okCreated } = job;
            for (let i = 0; i < okRows.length; i++) {
              yield `${okIds[i]}${d}${okCreated[i]}${d}${csvLine(rows[okRows[i] as number] as string[], d, eol)}`;
            }
          })(),
        );
      } else if (kind === 'failed') {
        await sendCsv(
          rc,
          job,
          ['sf__Id', 'sf__Error', ...job.columns],
          (function* () {
            const { failedRows, failedErrors } = job;
            for (let i = 0; i < failedRows.length; i++) {
              yield `${d}${csvLine([failedErrors[i], ...(rows[failedRows[i] as number] as string[])], d, eol)}`;
            }
          })(),
        );
      } else {
        // Rows never processed: all of them for a job aborted before it started.
        const stopped = job.info.state === 'Aborted' || job.info.state === 'Failed';
        if (stopped && job.upload !== undefined) parseUpload(job);
        const pending = stopped ? (job.rows ?? []) : [];
        const from = stopped ? job.next : pending.length;
        await sendCsv(
          rc,
          job,
          job.columns,
          (function* () {
            for (let i = from; i < pending.length; i++) yield csvLine(pending[i] as string[], d, eol);
          })(),
        );
      }
    };

    const deleteJob = (jobs: Map<string, { info: JobInfo }>) => (rc: RestContext) => {
      const job = jobs.get(rc.params.jobId ?? '');
      if (!job) throw jobNotFound();
      if (job.info.state === 'Open' || job.info.state === 'InProgress') {
        throw invalidState(`Job ${job.info.id} cannot be deleted while ${job.info.state}`);
      }
      jobs.delete(job.info.id);
      sendEmpty(rc.res, 204);
    };

    const listJobs = (jobs: Map<string, { info: JobInfo }>) => (rc: RestContext) => {
      sendJson(rc.res, 200, {
        done: true,
        nextRecordsUrl: null,
        records: [...jobs.values()].map((j) => j.info),
      });
    };

    // ---- query ----

    const createQuery = async (rc: RestContext) => {
      const body = await readJsonObject(rc.req);
      const operation = String(body.operation ?? 'query');
      if (operation !== 'query' && operation !== 'queryAll')
        throw invalidJob(`Invalid operation: ${operation}`);
      const soql = String(body.query ?? '');
      let compiled: ReturnType<typeof compileSoql>;
      try {
        compiled = compileSoql(ctx.store, soql, {
          includeDeleted: operation === 'queryAll',
          apiVersion: rc.version,
        });
      } catch (error) {
        if (SoqlError.is(error))
          throw errorResponse(400, { errorCode: error.errorCode, message: error.message });
        throw error;
      }
      if (
        compiled.isAggregate ||
        compiled.isCount ||
        /\(\s*select\b/i.test(soql.replace(/\bwhere\b[\s\S]*$/i, ''))
      ) {
        throw errorResponse(400, {
          errorCode: 'API_ERROR',
          message: 'Aggregate queries and nested queries are not supported by Bulk API 2.0',
        });
      }
      const info = baseInfo(rc, 'V2Query', body);
      info.object = compiled.objectName;
      info.query = soql;
      const job: QueryJob = {
        info,
        columns: selectColumns(soql),
        rows: undefined,
        records: undefined,
        shape: undefined,
        total: 0,
      };
      queryJobs.set(info.id, job);
      schedule(settings, () => {
        if (info.state === 'Aborted') return;
        setState(info, 'InProgress');
        schedule(settings, () => {
          if (info.state === 'Aborted') return;
          const started = Date.now();
          try {
            if (isPlainQuery(soql)) {
              const matched: Row[] = [];
              for (const row of ctx.store.rows(compiled.objectName, {
                includeDeleted: operation === 'queryAll',
              })) {
                if (compiled.matches(row)) matched.push(row);
              }
              job.rows = matched;
              job.shape = (row) => compiled.shape(row);
              job.total = matched.length;
            } else {
              job.records = compiled.run().records;
              job.total = job.records.length;
            }
            info.numberRecordsProcessed = job.total;
            info.totalProcessingTime = Date.now() - started;
            setState(info, 'JobComplete');
          } catch (error) {
            setState(info, 'Failed', error instanceof Error ? error.message : String(error));
          }
        });
      });
      sendJson(rc.res, 200, info);
    };

    const queryJob = (rc: RestContext): QueryJob => {
      const job = queryJobs.get(rc.params.jobId ?? '');
      if (!job) throw jobNotFound();
      return job;
    };

    const patchQuery = async (rc: RestContext) => {
      const job = queryJob(rc);
      const body = await readJsonObject(rc.req);
      if (body.state !== 'Aborted' || FINAL.has(job.info.state)) {
        throw invalidState(`Invalid state transition from ${job.info.state} to ${String(body.state)}`);
      }
      setState(job.info, 'Aborted');
      sendJson(rc.res, 200, job.info);
    };

    const completeQueryJob = (rc: RestContext): QueryJob => {
      const job = queryJob(rc);
      if (job.info.state !== 'JobComplete') {
        throw errorResponse(400, {
          errorCode: 'INVALIDJOBSTATE',
          message: `Query job ${job.info.id} is ${job.info.state}: results are available once it is JobComplete`,
        });
      }
      return job;
    };

    /** The offset a `locator` parameter names (base64url of the row offset), and `maxRecords`. */
    const pageParams = (rc: RestContext, job: QueryJob) => {
      const params = rc.url.searchParams;
      const locator = params.get('locator');
      let offset = 0;
      if (locator !== null && locator !== '') {
        offset = Number.parseInt(Buffer.from(locator, 'base64url').toString('utf8'), 10);
        if (!Number.isInteger(offset) || offset < 0 || offset > job.total) {
          throw errorResponse(400, { errorCode: 'INVALID_LOCATOR', message: `Invalid locator: ${locator}` });
        }
      }
      const maxParam = params.get('maxRecords');
      const max = maxParam === null ? settings.queryPageSize : Number(maxParam);
      if (!Number.isInteger(max) || max < 1) {
        throw errorResponse(400, {
          errorCode: 'INVALID_MAX_RECORDS',
          message: `Invalid maxRecords: ${maxParam}`,
        });
      }
      return { offset, max, maxParam };
    };

    const locatorOf = (offset: number) => Buffer.from(String(offset)).toString('base64url');

    const queryResults = async (rc: RestContext) => {
      const job = completeQueryJob(rc);
      const { offset, max } = pageParams(rc, job);
      const end = Math.min(job.total, offset + max);
      const next = end < job.total ? locatorOf(end) : 'null';
      const delimiter = DELIMITERS[job.info.columnDelimiter] ?? ',';
      const eol = job.info.lineEnding === 'CRLF' ? '\r\n' : '\n';
      const body = openBody(rc.req, rc.res, {
        'content-type': 'text/csv',
        'sforce-locator': next,
        'sforce-numberofrecords': String(end - offset),
      });
      let chunk = csvLine(job.columns, delimiter, eol);
      const values = new Array<unknown>(job.columns.length);
      for (let i = offset; i < end; i++) {
        const record = job.rows
          ? (job.shape as (r: Row) => Record<string, unknown>)(job.rows[i] as Row)
          : (job.records?.[i] ?? {});
        for (let c = 0; c < job.columns.length; c++) values[c] = valueAt(record, job.columns[c] as string);
        chunk += csvLine(values, delimiter, eol);
        if (chunk.length > 256 * 1024) {
          if (!(await body.write(chunk))) return;
          chunk = '';
        }
      }
      body.end(chunk);
    };

    // API 58.0+: up to five result URLs a call, for clients that download pages in parallel.
    const RESULT_URLS_PER_SET = 5;
    const resultPages = (rc: RestContext) => {
      const job = completeQueryJob(rc);
      if (Number(rc.version) !== job.info.apiVersion) {
        throw errorResponse(409, {
          errorCode: 'API_ERROR',
          message: `Use the API version the job was created with (v${job.info.apiVersion.toFixed(1)}) to get its results`,
        });
      }
      const { offset, max, maxParam } = pageParams(rc, job);
      const base = `/services/data/v${rc.version}/jobs/query/${job.info.id}`;
      const size = maxParam === null ? '' : `&maxRecords=${max}`;
      const pages: { resultUrl: string }[] = [];
      let at = offset;
      // An empty result still has one (empty) page, as results answers with a header row.
      do {
        pages.push({ resultUrl: `${base}/results?locator=${locatorOf(at)}${size}` });
        at += max;
      } while (at < job.total && pages.length < RESULT_URLS_PER_SET);
      const done = at >= job.total;
      sendJson(rc.res, 200, {
        resultPages: pages,
        nextRecordsUrl: done ? null : `${base}/resultPages?locator=${locatorOf(at)}${size}`,
        done,
      });
    };

    const { router } = ctx;
    const base = '/services/data/:version/jobs';
    router.add('POST', `${base}/ingest`, restRoute(ctx, createIngest));
    router.add('GET', `${base}/ingest`, restRoute(ctx, listJobs(ingestJobs)));
    router.add(
      'GET',
      `${base}/ingest/:jobId`,
      restRoute(ctx, (rc) => sendJson(rc.res, 200, ingestJob(rc).info)),
    );
    router.add('PATCH', `${base}/ingest/:jobId`, restRoute(ctx, patchIngest));
    router.add('DELETE', `${base}/ingest/:jobId`, restRoute(ctx, deleteJob(ingestJobs)));
    router.add('PUT', `${base}/ingest/:jobId/batches`, restRoute(ctx, upload));
    // Salesforce documents successfulResults, failedResults and unprocessedrecords, and answers
    // any casing of them (simple-salesforce and salesforcer send unprocessedRecords).
    const resultKinds = new Map([
      ['successfulresults', results('successful')],
      ['failedresults', results('failed')],
      ['unprocessedrecords', results('unprocessed')],
    ]);
    router.add(
      'GET',
      `${base}/ingest/:jobId/:resultKind`,
      restRoute(ctx, async (rc) => {
        const handler = resultKinds.get((rc.params.resultKind ?? '').toLowerCase());
        if (!handler) throw jobNotFound();
        await handler(rc);
      }),
    );
    router.add('POST', `${base}/query`, restRoute(ctx, createQuery));
    router.add('GET', `${base}/query`, restRoute(ctx, listJobs(queryJobs)));
    router.add(
      'GET',
      `${base}/query/:jobId`,
      restRoute(ctx, (rc) => sendJson(rc.res, 200, queryJob(rc).info)),
    );
    router.add('PATCH', `${base}/query/:jobId`, restRoute(ctx, patchQuery));
    router.add('DELETE', `${base}/query/:jobId`, restRoute(ctx, deleteJob(queryJobs)));
    router.add('GET', `${base}/query/:jobId/results`, restRoute(ctx, queryResults));
    router.add(
      'GET',
      `${base}/query/:jobId/resultPages`,
      restRoute(ctx, (rc) => {
        // Below 58.0 the resource does not exist.
        if (Number(rc.version) < 58) throw jobNotFound();
        resultPages(rc);
      }),
    );
  };
}
