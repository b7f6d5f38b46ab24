// Preloaded into tools that would otherwise reach the internet (electronegativity fetches
// translations at start): every DNS lookup and socket to a non-loopback address is refused, and
// each attempt is reported on stderr.
const dns = require('node:dns');
const net = require('node:net');

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;
const refuse = (host) => {
  process.stderr.write(`[offline-guard] refused a network connection to ${host}\n`);
  const error = new Error(`offline: connection to ${host} refused`);
  error.code = 'ENETUNREACH';
  return error;
};

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  if (!LOOPBACK.test(String(hostname))) return process.nextTick(() => done(refuse(hostname)));
  return lookup.call(this, hostname, options, callback);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  const host =
    typeof options === 'object' && options !== null ? options.host : typeof args[1] === 'string' ? args[1] : undefined;
  const path =
    typeof options === 'object' && options !== null ? options.path : typeof first === 'string' ? first : undefined;
  if (!path && host !== undefined && !LOOPBACK.test(String(host))) {
    process.nextTick(() => this.destroy(refuse(host)));
    return this;
  }
  return connect.apply(this, args);
};
