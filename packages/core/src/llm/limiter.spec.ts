import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Semaphore, SlotLocks, endpointLockDir } from './limiter';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'forge-locks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function peakOf(run: (track: () => () => void) => Promise<void>): Promise<number> {
  let current = 0;
  let peak = 0;
  await run(() => {
    current++;
    peak = Math.max(peak, current);
    return () => current--;
  });
  return peak;
}

it('Semaphore never lets more than its limit run', async () => {
  const sem = new Semaphore(3);
  const peak = await peakOf((track) =>
    Promise.all(
      Array.from({ length: 20 }, async () => {
        const release = await sem.acquire();
        const done = track();
        await new Promise((r) => setTimeout(r, 2));
        done();
        release();
      }),
    ).then(() => undefined),
  );
  expect(peak).toBe(3);
});

it('SlotLocks share N slots between instances (as between processes)', async () => {
  const a = new SlotLocks(dir, 2, { pollMs: 2 });
  const b = new SlotLocks(dir, 2, { pollMs: 2 });
  const peak = await peakOf((track) =>
    Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const release = await (i % 2 ? a : b).acquire();
        const done = track();
        await new Promise((r) => setTimeout(r, 3));
        done();
        release();
      }),
    ).then(() => undefined),
  );
  expect(peak).toBe(2);
  expect(existsSync(join(dir, 'slot-0'))).toBe(false);
});

it('waits for a slot held by another live process, and takes it over once that process died', async () => {
  const child = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(join(dir, 'slot-0'))}, process.pid + ' ' + require('os').hostname() + ' 0\\n'); setTimeout(() => {}, 60000)`]);
  await new Promise((r) => setTimeout(r, 300));
  expect(existsSync(join(dir, 'slot-0'))).toBe(true);
  const locks = new SlotLocks(dir, 1, { pollMs: 5 });
  let got = false;
  const pending = locks.acquire().then((release) => {
    got = true;
    return release;
  });
  await new Promise((r) => setTimeout(r, 100));
  expect(got).toBe(false);
  child.kill('SIGKILL');
  const release = await pending;
  expect(got).toBe(true);
  release();
});

it('takes over a slot file untouched for longer than staleMs (holder on another host)', async () => {
  const path = join(dir, 'slot-0');
  writeFileSync(path, '4242 some-other-host 0\n');
  const old = new Date(Date.now() - 120_000);
  utimesSync(path, old, old);
  const release = await new SlotLocks(dir, 1, { staleMs: 60_000 }).acquire();
  release();
});

it('gives every endpoint its own lock directory, without the URL in the path', () => {
  const a = endpointLockDir('/c', 'http://127.0.0.1:1/v1');
  expect(a).not.toBe(endpointLockDir('/c', 'http://127.0.0.1:2/v1'));
  expect(a).not.toContain('127.0.0.1');
});
