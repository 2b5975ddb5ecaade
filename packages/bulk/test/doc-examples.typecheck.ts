// Type-checked (tsc -p tsconfig.test.json), never run: the README's and TSDoc's withBulk examples.
import type { Connection } from '@sf/core';
import { SoqlDate } from '@sf/query';
import { sobject } from '@sf/sobject';
import { destroyRecords, updateRecords, withBulk } from '../src/index.js';

export async function examples(conn: Connection, accId: string): Promise<void> {
  const Account = withBulk(sobject<{ Id: string; Name: string }>(conn, 'Account'), { pollIntervalMs: 2000 });
  const deleted = await Account.find({ CreatedDate: { $lt: SoqlDate.LAST_YEAR } }).destroy();
  console.log(deleted.api, deleted.numberRecordsSucceeded);
  await Account.find({ Type: 'Prospect' }, ['Id', 'Name']).update((a) => ({ Id: a.Id, Name: a.Name.trim() }));
  await Account.insertBulk([{ Name: 'Acme' }]);
  type Opportunity = { Id: string; Name: string; Account: { Name: string } };
  const Opp = withBulk(sobject<Opportunity>(conn, 'Opportunity'));
  await Opp.find({ 'Account.Id': accId }, { Id: 1, Name: 1, 'Account.Name': 1 }).update((o) => ({
    Id: o.Id,
    Name: `${o.Account.Name} - ${o.Name}`,
  }));
  const Plain = sobject<{ Id: string; Name: string; Account: { Name: string } }>(conn, 'Opportunity');
  await updateRecords(Plain, Plain.find({ AccountId: accId }, ['Id', 'Name', 'Account.Name']), (o) => ({
    Id: o.Id,
    Name: `${o.Account.Name} - ${o.Name}`,
  }));
  await destroyRecords(Account, Account.find({ Name: { $like: 'Test%' } }));
}
