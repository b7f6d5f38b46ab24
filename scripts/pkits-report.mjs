#!/usr/bin/env node
// The NIST PKITS table (docs/identity.md, "Path validation (RFC 5280)"): every section 4 case in
// tests/data/pkits/cases.json run through the built CLI (`node dist/node/cli.cjs pki validate`,
// exit 0 valid, 1 invalid with `CODE: message` printed), then per section: cases, right, wrong
// accepts, wrong refusals; and every case not right with what it printed. A refusal with another
// code than expected-reasons.json names counts as a wrong refusal. Build first: node scripts/build-node.mjs.
// Usage: node scripts/pkits-report.mjs [--jobs N]   (exit 0 when 0 wrong accepts and >= 240 right)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'node', 'cli.cjs');
const pkits = join(root, 'tests', 'data', 'pkits');
const cases = JSON.parse(readFileSync(join(pkits, 'cases.json'), 'utf8'));
const { reasons } = JSON.parse(readFileSync(join(pkits, 'expected-reasons.json'), 'utf8'));
const jobsAt = process.argv.indexOf('--jobs');
const jobs = jobsAt > 0 ? Math.max(1, Number(process.argv[jobsAt + 1]) || 1) : 2;

if (!existsSync(cli)) {
  console.error(`pkits-report: ${cli} is missing; build it first with: node scripts/build-node.mjs`);
  process.exit(2);
}

const number = (id) => `${id[0]}.${Number(id.slice(1, 3))}.${Number(id.slice(3))}`;
const wanted = (c) => (c.expect === 'valid' ? 'valid' : reasons[`${c.id} ${c.name}`].code);

function argumentsOf(c) {
  const cert = (name) => ['--cert', join(pkits, 'certs', name)];
  return [
    'pki',
    'validate',
    ...cert(c.leaf),
    ...c.intermediates.flatMap((name) => ['--intermediate', join(pkits, 'certs', name)]),
    '--anchor',
    join(pkits, 'certs', 'TrustAnchorRootCertificate.crt'),
    ...[...c.crls, 'TrustAnchorRootCRL.crl'].flatMap((name) => ['--crl', join(pkits, 'crls', name)]),
    '--at',
    '2011-06-01T00:00:00Z',
    ...c.initialPolicySet.flatMap((oid) => ['--initial-policy', oid]),
    ...(c.initialExplicitPolicy ? ['--explicit-policy'] : []),
    ...(c.initialPolicyMappingInhibit ? ['--inhibit-policy-mapping'] : []),
    ...(c.initialAnyPolicyInhibit ? ['--inhibit-any-policy'] : []),
  ];
}

/** 'valid', a printed code, or what went wrong with the run itself. */
function run(c) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...argumentsOf(c)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const [first, second = ''] = stdout.split('\n');
      if (code === 0 && first === 'VALID') resolve({ outcome: 'valid', message: '' });
      else if (code === 1 && first === 'INVALID')
        resolve({ outcome: second.split(':')[0], message: second.slice(second.indexOf(':') + 1).trim() });
      else resolve({ outcome: `exit ${code}`, message: (stderr || stdout).trim().split('\n')[0] ?? '' });
    });
  });
}

const results = new Array(cases.length);
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await run(cases[i]);
    }
  }),
);

const sections = new Map();
const notRight = [];
let right = 0;
let wrongAccepts = 0;
for (const [i, c] of cases.entries()) {
  const row = sections.get(c.section) ?? { cases: 0, right: 0, wrongAccepts: 0, wrongRefusals: 0 };
  sections.set(c.section, row);
  row.cases++;
  const { outcome, message } = results[i];
  if (outcome === wanted(c)) {
    row.right++;
    right++;
  } else {
    if (c.expect === 'invalid' && outcome === 'valid') {
      row.wrongAccepts++;
      wrongAccepts++;
    } else row.wrongRefusals++;
    notRight.push(`${number(c.id)} ${c.name}: ${outcome}, should be ${wanted(c)}${message ? ` (${message})` : ''}`);
  }
}

const header = ['section', 'cases', 'right', 'wrong accepts', 'wrong refusals'];
const rows = [...sections].map(([section, r]) => [section, r.cases, r.right, r.wrongAccepts, r.wrongRefusals]);
const total = ['total', cases.length, right, wrongAccepts, cases.length - right - wrongAccepts];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map((h, i) => (i ? '---:' : '---')).join('|')}|`);
for (const r of [...rows, total]) console.log(`| ${r.join(' | ')} |`);
console.log(notRight.length ? `\nNot right (${notRight.length}):` : '\nEvery case right.');
for (const line of notRight) console.log(`- ${line}`);
process.exitCode = wrongAccepts === 0 && right >= 240 ? 0 : 1;
