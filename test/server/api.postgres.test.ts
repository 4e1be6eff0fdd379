import { afterAll, beforeAll } from 'vitest';
import { describeAccountsApi } from './api-accounts-suite';
import { describeBackOfficeApi } from './api-backoffice-suite';
import { describeDeviceSignatureApi } from './api-device-suite';
import { describeDisputesApi } from './api-disputes-suite';
import { describeInsightsApi } from './api-insights-suite';
import { describePhoneApi } from './api-phone-suite';
import { describeRealHttp } from './http-suite';
import { describeVerifyApi } from './api-verify-suite';
import { postgresFactory, PROCESS_TIMEOUT_MS } from './helpers';
import { startPgCluster, type PgCluster } from './pg-cluster';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
}, PROCESS_TIMEOUT_MS);
afterAll(async () => {
  await cluster?.stop();
});

describePhoneApi('PostgreSQL', postgresFactory(() => cluster));
describeBackOfficeApi('PostgreSQL', postgresFactory(() => cluster));
describeInsightsApi('PostgreSQL', postgresFactory(() => cluster));
describeDisputesApi('PostgreSQL', postgresFactory(() => cluster));
describeDeviceSignatureApi('PostgreSQL', postgresFactory(() => cluster));
describeAccountsApi('PostgreSQL', postgresFactory(() => cluster));
describeRealHttp('PostgreSQL', postgresFactory(() => cluster));
describeVerifyApi('PostgreSQL', postgresFactory(() => cluster));
