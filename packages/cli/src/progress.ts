// A small progress renderer of our own (no dependency: see the README for why): on a terminal,
// one line redrawn in place with a bar, counts and a rate; elsewhere, plain log lines at an
// interval and at every change of stage, so CI logs show progress without control codes.
import type { Writable } from 'node:stream';

export interface ProgressState {
  /** What is happening: 'creating job', 'uploading', 'processing', 'exporting', 'done'. */
  stage: string;
  jobId?: string | undefined;
  /** The bar's position and end (bytes while uploading, rows while processing). */
  done?: number | undefined;
  total?: number | undefined;
  uploaded?: number | undefined;
  processed?: number | undefined;
  succeeded?: number | undefined;
  failed?: number | undefined;
  /** Records written (query, export). */
  records?: number | undefined;
}

export interface ProgressOptions {
  /** Draw in place (a terminal); default: the stream's `isTTY`. */
  tty?: boolean;
  /** Least time between two redraws or log lines, in ms (TTY 100, plain 2,000; env SFX_PROGRESS_INTERVAL_MS). */
  intervalMs?: number;
  /** Nothing at all (--quiet). */
  silent?: boolean;
}

const BAR_WIDTH = 30;
const number = new Intl.NumberFormat('en-US');
const n = (value: number | undefined) => number.format(value ?? 0);

/** Renders progress states to a stream (stderr by default). */
export class Progress {
  readonly #stream: Writable;
  readonly #tty: boolean;
  readonly #intervalMs: number;
  readonly #silent: boolean;
  readonly #started = Date.now();
  #last = 0;
  #lastStage = '';
  #drawn = false;
  #dirty = false;
  #state: ProgressState = { stage: '' };
  #rateFrom: { at: number; count: number } | undefined;

  constructor(stream: Writable = process.stderr, options: ProgressOptions = {}) {
    this.#stream = stream;
    this.#tty = options.tty ?? (stream as { isTTY?: boolean }).isTTY === true;
    const fromEnv = Number(process.env.SFX_PROGRESS_INTERVAL_MS);
    this.#intervalMs =
      options.intervalMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : this.#tty ? 100 : 2_000);
    this.#silent = options.silent === true;
  }

  /** Merges `state` into the current one and redraws if it is time (or the stage changed). */
  update(state: Partial<ProgressState>): void {
    this.#state = { ...this.#state, ...state };
    if (this.#silent) return;
    const now = Date.now();
    const stageChanged = this.#state.stage !== this.#lastStage;
    if (!stageChanged && now - this.#last < this.#intervalMs) {
      this.#dirty = true;
      return;
    }
    this.#last = now;
    this.#lastStage = this.#state.stage;
    this.#render();
  }

  /** Draws the final state and ends the line; then prints `summary` (if any). */
  finish(summary?: string): void {
    if (this.#silent) return;
    if (this.#dirty || this.#last === 0) this.#render();
    if (this.#tty && this.#drawn) this.#stream.write('\n');
    this.#drawn = false;
    if (summary) this.#stream.write(`${summary}\n`);
  }

  /** Ends the redrawn line so a message can follow (before an error, or Ctrl-C). */
  interrupt(): void {
    if (this.#tty && this.#drawn && !this.#silent) this.#stream.write('\n');
    this.#drawn = false;
  }

  /** Rows (or records) per second since counting began. */
  #rate(): number {
    const s = this.#state;
    const count = s.records ?? s.processed ?? s.uploaded ?? 0;
    const now = Date.now();
    if (!this.#rateFrom) {
      this.#rateFrom = { at: this.#started, count: 0 };
    }
    const seconds = (now - this.#rateFrom.at) / 1000;
    return seconds > 0 ? Math.round((count - this.#rateFrom.count) / seconds) : 0;
  }

  #render(): void {
    this.#dirty = false;
    const s = this.#state;
    const parts: string[] = [];
    if (s.total !== undefined && s.total > 0) {
      const ratio = Math.max(0, Math.min(1, (s.done ?? 0) / s.total));
      const full = Math.round(ratio * BAR_WIDTH);
      const bar = this.#tty ? `[${'█'.repeat(full)}${'░'.repeat(BAR_WIDTH - full)}] ` : '';
      parts.push(`${bar}${String(Math.floor(ratio * 100)).padStart(3)}%`);
    }
    parts.push(s.stage);
    if (s.uploaded !== undefined) parts.push(`uploaded ${n(s.uploaded)}`);
    if (s.processed !== undefined) parts.push(`processed ${n(s.processed)}`);
    if (s.succeeded !== undefined) parts.push(`succeeded ${n(s.succeeded)}`);
    if (s.failed !== undefined) parts.push(`failed ${n(s.failed)}`);
    if (s.records !== undefined) parts.push(`${n(s.records)} records`);
    parts.push(`${n(this.#rate())}/s`);
    if (s.jobId) parts.push(`job ${s.jobId}`);
    const line = parts.join('  ');
    if (this.#tty) {
      this.#stream.write(`\r\x1b[2K${line}`);
      this.#drawn = true;
    } else {
      this.#stream.write(`progress: ${line}\n`);
    }
  }
}
