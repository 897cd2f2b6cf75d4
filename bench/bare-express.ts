// The HTTP ceiling: an express handler that does nothing but answer a verify-sized JSON body.
import express from 'express';

const body = {
  verdict: 'VERIFIED',
  dispensable: true,
  status: 'ACTIVE',
  product: { gtin: '00614141123452', serial: 'S1', lot: 'L1', expiry: '281231' },
  alerts: [],
};
const app = express();
app.get('/v1/verify', (_req, res) => {
  res.json(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('disconnect', () => process.exit(0));
