// The original system's users call the API like this: plain `fetch`, a bearer token, JSON.
// Run by tests/clients.rs with SMM_API, SMM_TOKEN, SIM_URL and SIM_KEY set; prints one JSON
// line with what it saw, and exits non-zero on the first surprise.
import assert from 'node:assert/strict';

const { SMM_API, SMM_TOKEN, SIM_URL, SIM_KEY } = process.env;

async function call(method, path, body, headers = {}) {
  const res = await fetch(SMM_API + path, {
    method,
    headers: {
      Authorization: `Bearer ${SMM_TOKEN}`,
      'Content-Type': 'application/json',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

// Add a provider.
let r = await call('POST', '/api/smm/providers', {
  name: 'mypanel',
  displayName: 'My panel',
  apiUrl: SIM_URL,
  apiKey: SIM_KEY,
  priority: 1,
});
assert.equal(r.status, 201, JSON.stringify(r.json));
const providerId = r.json.id;
assert.equal(r.json.apiKey, undefined, 'the key never comes back');

// Sync its catalog.
r = await call('POST', `/api/smm/providers/${providerId}/sync`, {});
assert.equal(r.status, 200, JSON.stringify(r.json));

// Find the custom-comments service.
r = await call('GET', `/api/smm/providers/${providerId}/services?type=Custom%20Comments&limit=50`);
assert.equal(r.status, 200, JSON.stringify(r.json));
const service = r.json.services.find((s) => s.serviceId === '5002');
assert.ok(service, JSON.stringify(r.json));

// Place with customComments, as the original form does.
r = await call(
  'POST',
  '/api/smm/orders',
  {
    providerId,
    serviceId: service.serviceId,
    link: 'https://instagram.com/p/node-flow',
    customComments: 'great post\nso good 🔥\nمنشور رائع',
  },
  { 'Idempotency-Key': 'node-flow-1' },
);
assert.equal(r.status, 201, JSON.stringify(r.json));
assert.equal(r.json.state, 'placed');
const orderId = r.json.order.id;
assert.equal(r.json.order.quantity, 3);

// Asking again with the same key answers the same order and sends nothing.
r = await call('POST', '/api/smm/orders', { providerId, serviceId: service.serviceId,
  link: 'https://instagram.com/p/node-flow', customComments: 'great post\nso good 🔥\nمنشور رائع' },
  { 'Idempotency-Key': 'node-flow-1' });
assert.equal(r.json.order.id, orderId);
assert.equal(r.json.sent, false);

// List the pending orders, first page of ten.
r = await call('GET', '/api/smm/orders?status=Pending&page=1&limit=10');
assert.equal(r.status, 200, JSON.stringify(r.json));
assert.equal(r.json.total, 1);
assert.equal(r.json.orders[0].id, orderId);
assert.equal(r.json.orders[0].statusLabel, 'Pending');

console.log(JSON.stringify({ providerId, orderId, cost: r.json.orders[0].estimatedCost }));
