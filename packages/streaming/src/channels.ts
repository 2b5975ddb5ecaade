// Channel names for each kind of stream, so callers need not remember the prefixes.

/**
 * The channel of a PushTopic: `topic('InvoiceStatementUpdates')` → `/topic/InvoiceStatementUpdates`.
 *
 * @example
 * const sub = subscribe(conn, topic('AllAccounts'));
 */
export function topic(name: string): string {
  return `/topic/${name}`;
}

/** The channel of a platform event: `platformEvent('Order__e')` → `/event/Order__e`. */
export function platformEvent(name: string): string {
  return `/event/${name}`;
}

/**
 * A change data capture channel: `changeEvents('Account')` → `/data/AccountChangeEvent`,
 * `changeEvents('Invoice__c')` → `/data/Invoice__ChangeEvent`, `changeEvents()` → `/data/ChangeEvents`.
 */
export function changeEvents(objectName?: string): string {
  if (objectName === undefined) return '/data/ChangeEvents';
  return `/data/${objectName.replace(/__c$/, '__')}ChangeEvent`;
}

/** A generic streaming channel: `genericChannel('alerts')` → `/u/alerts` (a `/u/...` name is kept). */
export function genericChannel(name: string): string {
  return name.startsWith('/u/') ? name : `/u/${name}`;
}
