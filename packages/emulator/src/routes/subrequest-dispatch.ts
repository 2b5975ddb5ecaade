// Runs one composite batch subrequest as its own REST request, through the emulator's own HTTP
// server: Salesforce runs any REST resource in a batch (limits, describe, search, sObject rows...)
// and counts each subrequest against the API limits, which a loopback request does too.

import type { EmulatorContext } from '../context.js';
import { errorResponse } from '../http-util.js';
import type { RestContext } from '../rest-guard.js';

/** A subrequest's answer: its status and its body (parsed JSON, text, or null when empty). */
export interface SubrequestOutcome {
  status: number;
  body: unknown;
}

/**
 * Sends `method url` (a `vNN.N/...` or `/services/data/vNN.N/...` URL) as the caller, with the
 * caller's token. The resource's version must lie between 34.0 and the batch's own version.
 */
export async function dispatchSubrequest(
  ctx: EmulatorContext,
  rc: RestContext,
  method: string,
  rawUrl: string,
  body: unknown,
): Promise<SubrequestOutcome> {
  const path = rawUrl.startsWith('/') ? rawUrl : `/services/data/${rawUrl}`;
  const m = /^\/services\/data\/v(\d+\.\d)(?:\/|$|\?)/.exec(path);
  const version = m ? Number(m[1]) : Number.NaN;
  if (!(version >= 34 && version <= Number(rc.version))) {
    throw errorResponse(400, {
      errorCode: 'INVALID_BATCH_REQUEST',
      message: `The API version of a subrequest must be between 34.0 and ${rc.version}: ${rawUrl}`,
    });
  }
  const headers: Record<string, string> = { authorization: rc.req.headers.authorization ?? '' };
  let payload: string | undefined;
  if (body !== undefined && body !== null && method !== 'GET' && method !== 'DELETE') {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(new URL(path, ctx.url), {
    method,
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text === '' ? null : text;
  if (text !== '' && (res.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, body: parsed };
}
