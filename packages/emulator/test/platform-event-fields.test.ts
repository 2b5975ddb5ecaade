// The platformEvents option takes field names or customObjects-style field objects alike.
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { api } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('platformEvents fields', () => {
  it('accepts { name, type } objects as customObjects fields are written, and names', async () => {
    emu = await startEmulator({
      streaming: {
        platformEvents: [
          { name: 'Order__e', fields: [{ name: 'OrderNumber__c', type: 'string' }, 'Amount__c'] },
        ],
      },
    });
    const ok = await api(emu, 'POST', 'sobjects/Order__e', { body: { OrderNumber__c: 'A-1', Amount__c: 3 } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ success: true });
    const refused = await api(emu, 'POST', 'sobjects/Order__e', { body: { Other__c: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body[0].errorCode).toBe('INVALID_FIELD');
  });

  it('refuses a field that is neither a name nor an object with one, at start', async () => {
    await expect(
      startEmulator({ streaming: { platformEvents: [{ name: 'Bad__e', fields: [42 as never] }] } }),
    ).rejects.toThrow(/\[@sf\/emulator\] platform event Bad__e/);
  });
});
