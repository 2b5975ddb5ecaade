// The REST API's root resources: the version list (the one call that needs no token), the
// resources of a version, and the org's limits.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import { sendJson } from '../http-util.js';
import { restRoute } from '../rest-guard.js';
import { listVersions } from '../versions.js';

const RESOURCES = [
  'tooling',
  'metadata',
  'eclair',
  'folders',
  'prechatForms',
  'contact-tracing',
  'jsonxform',
  'chatter',
  'tabs',
  'appMenu',
  'quickActions',
  'queryAll',
  'commerce',
  'wave',
  'iot',
  'analytics',
  'search',
  'identity',
  'composite',
  'parameterizedSearch',
  'fingerprint',
  'theme',
  'nouns',
  'event',
  'serviceTemplates',
  'recent',
  'connect',
  'licensing',
  'limits',
  'process',
  'dedupe',
  'async-queries',
  'query',
  'jobs',
  'match',
  'emailConnect',
  'compactLayouts',
  'knowledgeManagement',
  'sobjects',
  'actions',
  'support',
];

function limits(ctx: EmulatorContext): Record<string, { Max: number; Remaining: number }> {
  const full = (max: number) => ({ Max: max, Remaining: max });
  return {
    ActiveScratchOrgs: full(3),
    AnalyticsExternalDataSizeMB: full(40960),
    ConcurrentAsyncGetReportInstances: full(200),
    ConcurrentEinsteinDataInsightsStoryCreation: full(5),
    ConcurrentEinsteinDiscoveryStoryCreation: full(2),
    ConcurrentSyncReportRuns: full(20),
    DailyAnalyticsDataflowJobExecutions: full(60),
    DailyAnalyticsUploadedFilesSizeMB: full(51200),
    DailyApiRequests: { Max: ctx.apiUsage.max, Remaining: Math.max(0, ctx.apiUsage.max - ctx.apiUsage.used) },
    DailyAsyncApexExecutions: full(250000),
    DailyAsyncApexTests: full(500),
    DailyBulkApiBatches: full(15000),
    DailyBulkV2QueryFileStorageMB: full(976562),
    DailyBulkV2QueryJobs: full(10000),
    DailyDeliveredPlatformEvents: full(10000),
    DailyDurableGenericStreamingApiEvents: full(10000),
    DailyDurableStreamingApiEvents: full(10000),
    DailyEinsteinDataInsightsStoryCreation: full(1000),
    DailyEinsteinDiscoveryPredictAPICalls: full(50000),
    DailyEinsteinDiscoveryPredictionsByCDC: full(500000),
    DailyEinsteinDiscoveryStoryCreation: full(100),
    DailyFunctionsApiCallLimit: full(235000),
    DailyGenericStreamingApiEvents: full(10000),
    DailyScratchOrgs: full(6),
    DailyStandardVolumePlatformEvents: full(10000),
    DailyStreamingApiEvents: full(10000),
    DailyWorkflowEmails: full(2000),
    DataStorageMB: full(5),
    DurableStreamingApiConcurrentClients: full(20),
    FileStorageMB: full(20),
    HourlyAsyncReportRuns: full(1200),
    HourlyDashboardRefreshes: full(200),
    HourlyDashboardResults: full(5000),
    HourlyDashboardStatuses: full(999999999),
    HourlyLongTermIdMapping: full(100000),
    HourlyManagedContentPublicRequests: full(50000),
    HourlyODataCallout: full(10000),
    HourlyPublishedPlatformEvents: full(50000),
    HourlyPublishedStandardVolumePlatformEvents: full(1000),
    HourlyShortTermIdMapping: full(100000),
    HourlySyncReportRuns: full(500),
    HourlyTimeBasedWorkflow: full(50),
    MassEmail: full(10),
    MonthlyEinsteinDiscoveryStoryCreation: full(500),
    MonthlyPlatformEventsUsageEntitlement: full(0),
    Package2VersionCreates: full(6),
    Package2VersionCreatesWithoutValidation: full(500),
    PermissionSets: full(1500),
    PrivateConnectOutboundCalloutHourlyLimitMB: full(0),
    PublishCallbackUsageInApex: full(5242880),
    SingleEmail: full(15),
    StreamingApiConcurrentClients: full(20),
  };
}

export const restRootRoutes: EmulatorModule = (ctx) => {
  ctx.router.add('GET', '/services/data', (rc) => {
    sendJson(rc.res, 200, listVersions(ctx.apiVersion));
  });

  ctx.router.add(
    'GET',
    '/services/data/:version',
    restRoute(ctx, (rc) => {
      const out: Record<string, string> = {};
      for (const name of RESOURCES) out[name] = `/services/data/v${rc.version}/${name}`;
      // Unlike the others, identity is a full URL naming the caller.
      out.identity = `${ctx.url}/id/${ctx.store.orgId}/${rc.session.userId}`;
      sendJson(rc.res, 200, out);
    }),
  );

  ctx.router.add(
    'GET',
    '/services/data/:version/limits',
    restRoute(ctx, (rc) => sendJson(rc.res, 200, limits(ctx))),
  );
};
