import type { EmulatorOptions } from './emulator.js';

/**
 * What the command-line emulator starts with, and what CI runs the READMEs' programs against:
 * the Pub/Sub API on, and an `Order__e` platform event (Salesforce defines platform events in
 * Setup, not through the REST API, so a program cannot create one itself).
 */
export const README_FIXTURE = {
  pubsub: true,
  streaming: { platformEvents: [{ name: 'Order__e', fields: ['OrderNumber__c'] }] },
} satisfies Partial<EmulatorOptions>;
