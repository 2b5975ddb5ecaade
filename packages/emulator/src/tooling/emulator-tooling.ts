// The Tooling API's state: its own store (ApexClass, ApexTrigger, ApexLog), the bodies of debug
// logs, and what `executeAnonymous` answers. The emulator compiles no Apex: a test tells it what
// to answer, from a queue of answers or a handler, and by default every body succeeds.

import type { OrgStore } from '../store.js';

/** Salesforce's ExecuteAnonymousResult, as `GET tooling/executeAnonymous/` answers it (200 in every case). */
export interface ExecuteAnonymousResult {
  /** Line of a compile problem; -1 when the body compiled. */
  line: number;
  /** Column of a compile problem; -1 when the body compiled. */
  column: number;
  compiled: boolean;
  success: boolean;
  compileProblem: string | null;
  exceptionStackTrace: string | null;
  exceptionMessage: string | null;
}

/**
 * What a test answers: any part of the result; the rest follows from it. A `compileProblem`
 * means not compiled (and not run); an `exceptionMessage` means compiled but not successful.
 */
export type ExecuteAnonymousAnswer = Partial<ExecuteAnonymousResult>;

export type ExecuteAnonymousHandler = (body: string) => ExecuteAnonymousAnswer | undefined;

/** Fills in an answer the way Salesforce's results are shaped. */
export function executeAnonymousResult(answer: ExecuteAnonymousAnswer = {}): ExecuteAnonymousResult {
  const compiled = answer.compiled ?? (answer.compileProblem === undefined || answer.compileProblem === null);
  const failed = !compiled || (answer.exceptionMessage !== undefined && answer.exceptionMessage !== null);
  return {
    line: answer.line ?? -1,
    column: answer.column ?? -1,
    compiled,
    success: answer.success ?? !failed,
    compileProblem: answer.compileProblem ?? null,
    exceptionStackTrace: answer.exceptionStackTrace ?? null,
    exceptionMessage: answer.exceptionMessage ?? null,
  };
}

/** Debug log fields a test may set; the rest get plausible values. */
export interface ApexLogFields {
  Operation?: string;
  Status?: string;
  Request?: string;
  Application?: string;
  Location?: string;
  DurationMilliseconds?: number;
  StartTime?: string;
  LogUserId?: string;
}

/**
 * `emu.tooling`: the Tooling API root (`/services/data/vNN.N/tooling/`).
 *
 * @example
 * emu.tooling.store.insert('ApexClass', { Name: 'Greeter', Body: 'public class Greeter {}' });
 * emu.tooling.answerExecuteAnonymous({ compileProblem: "Unexpected token 'x'.", line: 1, column: 1 });
 * emu.tooling.onExecuteAnonymous((body) => (body.includes('throw') ? { exceptionMessage: 'boom' } : undefined));
 */
export class EmulatorTooling {
  /** The Tooling API's objects and rows, apart from the org's data. */
  readonly store: OrgStore;
  /** Every anonymous body received, oldest first. */
  readonly executed: string[] = [];
  readonly #queue: ExecuteAnonymousAnswer[] = [];
  readonly #logBodies = new Map<string, string>();
  #handler: ExecuteAnonymousHandler | undefined;

  constructor(store: OrgStore) {
    this.store = store;
  }

  /** Answers the next calls with these, in order, before any handler. */
  answerExecuteAnonymous(...answers: ExecuteAnonymousAnswer[]): void {
    this.#queue.push(...answers);
  }

  /** Decides the answer for each body (undefined: success); `undefined` removes the handler. */
  onExecuteAnonymous(handler: ExecuteAnonymousHandler | undefined): void {
    this.#handler = handler;
  }

  /** Adds a debug log (an ApexLog row and the body `sobjects/ApexLog/{id}/Body` serves); returns its id. */
  addLog(body: string, fields: ApexLogFields = {}): string {
    const id = this.store.insert(
      'ApexLog',
      {
        LogUserId: this.store.defaultUserId,
        Request: 'API',
        Operation: '/services/data/tooling/executeAnonymous/',
        Application: 'Unknown',
        Status: 'Success',
        Location: 'Monitoring',
        DurationMilliseconds: 1,
        StartTime: new Date().toISOString(),
        ...fields,
        LogLength: Buffer.byteLength(body),
      },
      { asSystem: true },
    );
    this.#logBodies.set(id, body);
    return id;
  }

  /** @internal The body of a debug log, if it has one. */
  logBody(id: string): string | undefined {
    return this.#logBodies.get(id);
  }

  /** @internal The answer to one `executeAnonymous` call. */
  execute(body: string): ExecuteAnonymousResult {
    this.executed.push(body);
    const answer = this.#queue.length > 0 ? this.#queue.shift() : this.#handler?.(body);
    return executeAnonymousResult(answer);
  }
}
