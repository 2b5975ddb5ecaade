// node-salesforce and jsforce take a callback as the last argument of every call
// (`conn.query(soql, function (err, result) {...})`, see node-salesforce's README in
// `shared/seeds/`); core's `refuseCallback` refuses one. This is what it says to write instead
// on a call that returns a Query.

/** What to write instead of a callback on a call that returns a Query. */
export const USE_QUERY =
  'it returns a Query; use `await` (or `.then()`), `for await`, or events with `.run()`';
