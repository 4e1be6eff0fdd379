import { describeAccountsApi } from './api-accounts-suite';
import { describeBackOfficeApi } from './api-backoffice-suite';
import { describeDeviceSignatureApi } from './api-device-suite';
import { describeDisputesApi } from './api-disputes-suite';
import { describeInsightsApi } from './api-insights-suite';
import { describePhoneApi } from './api-phone-suite';
import { describeRealHttp } from './http-suite';
import { describeVerifyApi } from './api-verify-suite';
import { sqliteFactory } from './helpers';

describePhoneApi('SQLite', sqliteFactory());
describeBackOfficeApi('SQLite', sqliteFactory());
describeInsightsApi('SQLite', sqliteFactory());
describeDisputesApi('SQLite', sqliteFactory());
describeDeviceSignatureApi('SQLite', sqliteFactory());
describeAccountsApi('SQLite', sqliteFactory());
describeRealHttp('SQLite', sqliteFactory());
describeVerifyApi('SQLite', sqliteFactory());
