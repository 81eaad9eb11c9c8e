// A webhook receiver for Verity's tests. Each path under /hooks/ is one receiver, configured by the test with
// PUT /config/<name> {"secret": "whsec_...", "statuses": [500, 500]}: it answers the listed statuses in turn, then 200.
// Status 0 never answers (a hanging receiver); -1 closes the connection without a word.
// Every delivery is verified with the standardwebhooks package; GET /received/<name> lists what arrived.
// Prints "listening <port>" once it listens.
const http = require("http");
const { Webhook } = require("standardwebhooks");

const receivers = new Map();

function receiver(name) {
  if (!receivers.has(name)) receivers.set(name, { secret: null, statuses: [], received: [] });
  return receivers.get(name);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const server = http.createServer(async (req, res) => {
  const [, kind, name] = req.url.split("/");
  const body = await readBody(req);
  if (kind === "config" && req.method === "PUT") {
    const config = JSON.parse(body);
    const r = receiver(name);
    r.secret = config.secret;
    r.statuses = config.statuses || [];
    res.writeHead(204).end();
    return;
  }
  if (kind === "received" && req.method === "GET") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(receiver(name).received));
    return;
  }
  if (kind === "hooks" && req.method === "POST") {
    const r = receiver(name);
    let verified = false;
    let error = null;
    try {
      new Webhook(r.secret).verify(body, req.headers);
      verified = true;
    } catch (e) {
      error = String(e && e.message ? e.message : e);
    }
    const status = r.statuses.length > 0 ? r.statuses.shift() : 200;
    r.received.push({
      id: req.headers["webhook-id"] || null,
      timestamp: req.headers["webhook-timestamp"] || null,
      signature: req.headers["webhook-signature"] || null,
      contentType: req.headers["content-type"] || null,
      verified,
      error,
      body,
      answered: status,
    });
    if (status === 0) return;
    if (status === -1) {
      req.socket.destroy();
      return;
    }
    res.writeHead(status).end();
    return;
  }
  res.writeHead(404).end();
});

server.listen(Number(process.argv[2] || 0), "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
