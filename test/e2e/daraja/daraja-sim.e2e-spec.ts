import axios from 'axios';
import { freePort, startCompiled, waitFor, type RunningProcess } from '../../support/processes';

/** The compiled simulator boots as its own process, as `npm start` and `npm run start:sim` run it. */
describe('daraja-sim process', () => {
  let sim: RunningProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    sim = startCompiled('daraja-sim', { SIM_PORT: String(port), SIM_CALLBACK_DELAY_MS: '50' });
    await waitFor(async () => (await axios.get(`${url}/health/live`)).status === 200, 30_000);
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('serves OAuth, STK push and STK query with the default sandbox paybill', async () => {
    const http = axios.create({ baseURL: url, validateStatus: () => true });
    const auth = Buffer.from('malipo-sim-key:malipo-sim-secret').toString('base64');
    const oauth = await http.get('/oauth/v1/generate?grant_type=client_credentials', {
      headers: { Authorization: `Basic ${auth}` },
    });
    expect(oauth.data).toMatchObject({ expires_in: '3599' });
    const ts = '20250101120000';
    const passkey = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';
    const password = Buffer.from(`174379${passkey}${ts}`).toString('base64');
    const headers = { Authorization: `Bearer ${oauth.data.access_token}` };
    const push = await http.post(
      '/mpesa/stkpush/v1/processrequest',
      {
        BusinessShortCode: 174379,
        Password: password,
        Timestamp: ts,
        TransactionType: 'CustomerPayBillOnline',
        Amount: 1,
        PartyA: '254712349999',
        PartyB: '174379',
        PhoneNumber: '254712349999',
        CallBackURL: 'http://127.0.0.1:9/v1/hooks/stk/abc',
        AccountReference: 'E2E',
        TransactionDesc: 'e2e',
      },
      { headers },
    );
    expect(push.status).toBe(200);
    const id = push.data.CheckoutRequestID;
    const final = await waitFor(async () => {
      const q = await http.post(
        '/mpesa/stkpushquery/v1/query',
        { BusinessShortCode: '174379', Password: password, Timestamp: ts, CheckoutRequestID: id },
        { headers },
      );
      return q.status === 200 ? q.data : undefined;
    }, 5_000);
    expect(final).toMatchObject({ ResultCode: '0' });
    const requests = await http.get('/sim/requests', { params: { kind: 'stk_push' } });
    expect(requests.data).toHaveLength(1);
  });
});
