// What another local account can do against a running `npm start`: run as that account (runuser),
// it reads every /proc/*/cmdline and /proc/*/environ it may, walks the world-readable files under
// the given roots, harvests anything that looks like a launch secret, tries each on the host's
// /rpc and /bootstrap, and asks the X display about itself and its windows. Secrets the test knows come on
// stdin (never on this process's own command line); the findings go to stdout as JSON.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import process from 'node:process';

const [port, display, ...roots] = process.argv.slice(1);
const input = JSON.parse(readFileSync(0, 'utf8'));
const secrets = input.secrets.map((s) => ({ name: s.name, bytes: Buffer.from(s.base64, 'base64') }));
const found = [];
const harvested = new Set();

function look(where, content) {
  for (const secret of secrets) if (content.includes(secret.bytes)) found.push(`${secret.name} in ${where}`);
  const text = content.toString('latin1');
  for (const match of text.matchAll(/(?:#token=|\/bootstrap\/)([A-Za-z0-9_-]{20,128})/g)) harvested.add(match[0]);
}

for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
  if (pid === String(process.pid)) continue;
  for (const file of ['cmdline', 'environ']) {
    try {
      look(`/proc/${pid}/${file}`, readFileSync(`/proc/${pid}/${file}`));
    } catch {
      // not ours to read
    }
  }
}

let filesRead = 0;
function walk(dir, depth) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isDirectory() && depth < 8) walk(path, depth + 1);
    else if (stat.isFile() && stat.size < 16 * 1024 * 1024) {
      try {
        look(path, readFileSync(path));
        filesRead++;
      } catch {
        // not ours to read
      }
    }
  }
}
for (const root of roots) walk(root, 0);

function call(method, path, headers) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', (error) => resolve(`error ${error.message}`));
    req.end(method === 'POST' ? JSON.stringify({ siteName: 'Taken', systemHigh: 'SECRET' }) : undefined);
  });
}

async function main() {
  const origin = `http://127.0.0.1:${port}`;
  const json = { host: `127.0.0.1:${port}`, origin, 'content-type': 'application/json' };
  const attempts = { rpc: await call('POST', '/rpc/enclave:setup.begin', json) };
  for (const item of harvested) {
    const token = item.replace(/^#token=/, '').replace(/^\/bootstrap\//, '');
    attempts[`rpc with ${item.slice(0, 12)}…`] = await call('POST', '/rpc/enclave:setup.begin', {
      ...json,
      'x-enclave-token': token,
    });
    attempts[`bootstrap ${item.slice(0, 12)}…`] = await call('GET', `/bootstrap/${token}`, { host: json.host });
  }
  for (const secret of input.bootstraps)
    attempts['the spent bootstrap'] = await call('GET', `/bootstrap/${secret}`, { host: json.host });
  const env = { PATH: process.env.PATH, DISPLAY: display };
  const xdpyinfo = spawnSync('xdpyinfo', ['-display', display], { env, encoding: 'utf8' });
  // x11-utils: xwininfo lists the windows and their titles (what a screenshot tool would start from).
  const xwininfo = spawnSync('xwininfo', ['-root', '-tree', '-display', display], { env, encoding: 'utf8' });
  process.stdout.write(
    JSON.stringify({
      uid: process.getuid(),
      found,
      harvested: [...harvested].length,
      filesRead,
      attempts,
      xdpyinfo: { status: xdpyinfo.status, stderr: xdpyinfo.stderr.trim().slice(0, 200) },
      xwininfo: { status: xwininfo.status, sawTheApp: xwininfo.stdout.includes('Enclave') },
    }),
  );
}
await main();
