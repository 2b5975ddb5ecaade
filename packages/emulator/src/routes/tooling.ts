// The Tooling API root, /services/data/vNN.N/tooling/: the data root's own sObject, query,
// collection and composite modules mounted again over the Tooling store (RootedRouter moves
// their patterns and the URLs they answer), plus what only the Tooling API has:
// executeAnonymous and the raw body of a debug log.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import { errorResponse, NOT_FOUND, sendJson, sendText } from '../http-util.js';
import { normalizeId } from '../ids.js';
import { restRoute } from '../rest-guard.js';
import type { EmulatorTooling } from '../tooling/emulator-tooling.js';
import { RootedRouter } from '../tooling/rooted-router.js';
import { collectionRoutes } from './collections.js';
import { compositeRoutes } from './composite.js';
import { type QueryRouteOptions, queryRoutes } from './query.js';
import { sobjectRoutes } from './sobjects.js';

const DATA = '/services/data/:version';
/** What `GET /services/data/vNN.N/tooling/` lists (the resources the emulator serves there). */
const RESOURCES = ['sobjects', 'query', 'queryAll', 'search', 'executeAnonymous', 'composite'];

export function toolingRoutes(tooling: EmulatorTooling, query: QueryRouteOptions = {}): EmulatorModule {
  return (ctx: EmulatorContext) => {
    // A live view of the context (its url is set once the server listens) with its own router and store.
    const rooted = Object.create(ctx, {
      router: { value: new RootedRouter(ctx.router, 'tooling') },
      store: { value: tooling.store },
    }) as EmulatorContext;
    tooling.store.defaultUserId = ctx.store.defaultUserId;
    const { router } = rooted;

    router.add(
      'GET',
      DATA,
      restRoute(rooted, (rc) => {
        const out: Record<string, string> = {};
        for (const name of RESOURCES) out[name] = `/services/data/v${rc.version}/${name}`;
        sendJson(rc.res, 200, out);
      }),
    );

    router.add(
      'GET',
      `${DATA}/executeAnonymous`,
      restRoute(rooted, (rc) => {
        sendJson(rc.res, 200, tooling.execute(rc.url.searchParams.get('anonymousBody') ?? ''));
      }),
    );

    // Before the sObject module, whose `:sobject/:id/:field` reads blob fields.
    router.add(
      'GET',
      `${DATA}/sobjects/ApexLog/:id/Body`,
      restRoute(rooted, (rc) => {
        const id = normalizeId(rc.params.id ?? '');
        const row = id === undefined ? undefined : tooling.store.get('ApexLog', id);
        if (!id || !row || row.IsDeleted === true) throw errorResponse(404, NOT_FOUND);
        sendText(rc.res, 200, tooling.logBody(id) ?? '', 'text/plain;charset=UTF-8');
      }),
    );

    for (const register of [collectionRoutes, compositeRoutes, sobjectRoutes, queryRoutes(query)]) {
      register(rooted);
    }
  };
}
