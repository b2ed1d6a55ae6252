// A small storefront: GET / fetches the items from the inventory service by its name and renders them.
// Plain Node, no dependencies; it only knows the inventory's address from INVENTORY_URL.
import http from 'node:http';

const { PORT = '3000', INVENTORY_URL = 'http://inventory.shop:8000' } = process.env;
const port = Number(PORT);
const inventory = INVENTORY_URL;

const server = http.createServer(async (req, res) => {
  if (req.url === '/healthz') {
    res.end('ok\n');
    return;
  }
  try {
    const r = await fetch(`${inventory}/items`);
    if (!r.ok) throw new Error(`inventory answered ${r.status}`);
    const items = await r.json();
    res.setHeader('content-type', 'text/plain');
    res.end(`${items.map((i) => `${i.name}: ${i.stock} in stock`).join('\n')}\n`);
  } catch (err) {
    res.statusCode = 502;
    res.end(`inventory unavailable: ${err.message}\n`);
  }
});
server.listen(port, '0.0.0.0', () => console.log(`storefront listening on :${port}, inventory at ${inventory}`));
