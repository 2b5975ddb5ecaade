/** API usage that Salesforce reports in the `Sforce-Limit-Info` header. */
export interface ApiUsage {
  used: number;
  max: number;
}

export interface LimitInfo {
  /** Org-wide API requests in the rolling 24 hours. */
  apiUsage?: ApiUsage;
  /** Per connected app, when the org sets app limits. */
  perAppApiUsage?: ApiUsage & { appName?: string };
  /** The header as received. */
  raw: string;
}

/**
 * Parses `api-usage=18/5000` and `per-app-api-usage=17/250(appName=sample-app)`.
 * Returns undefined when the header holds nothing we recognise.
 */
export function parseLimitInfo(header: string | undefined): LimitInfo | undefined {
  if (!header) return undefined;
  const info: LimitInfo = { raw: header };
  for (const part of header.split(',')) {
    const m = /^\s*([a-z-]+)=(\d+)\/(\d+)(?:\(appName=([^)]*)\))?\s*$/i.exec(part);
    if (!m) continue;
    const usage = { used: Number(m[2]), max: Number(m[3]) };
    const key = m[1]!.toLowerCase();
    if (key === 'api-usage') info.apiUsage = usage;
    else if (key === 'per-app-api-usage') info.perAppApiUsage = m[4] ? { ...usage, appName: m[4] } : usage;
  }
  return info.apiUsage || info.perAppApiUsage ? info : undefined;
}
