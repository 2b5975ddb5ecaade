import type { EmulatorOptions } from '@sf/emulator';

/** A custom object with an external id, for upserts. */
export const ITEM = {
  name: 'Item__c',
  fields: [
    { name: 'Code__c', type: 'string', externalId: true },
    { name: 'Qty__c', type: 'double' },
  ],
} satisfies NonNullable<EmulatorOptions['customObjects']>[number];
