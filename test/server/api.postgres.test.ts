import { afterAll, beforeAll } from 'vitest';
import { describeAccountsApi } from './api-accounts-suite';
import { describeBackOfficeApi } from './api-backoffice-suite';
import { describePhoneApi } from './api-phone-suite';
import { describeRealHttp } from './http-suite';
import { postgresFactory } from './helpers';
import { startPgCluster, type PgCluster } from './pg-cluster';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describePhoneApi('PostgreSQL', postgresFactory(() => cluster));
describeBackOfficeApi('PostgreSQL', postgresFactory(() => cluster));
describeAccountsApi('PostgreSQL', postgresFactory(() => cluster));
describeRealHttp('PostgreSQL', postgresFactory(() => cluster));
