// Batch rounds shared by every process that uses one endpoint through one cache dir (`nx run-many`
// building several datasets at once, each stage a process): when a process's round is due, its queue
// hands the requests to the endpoint's ROOM (a spool file under `<cacheDir>/batch-rooms/<endpoint>/`)
// and waits. The member that takes the room's cut lock once every other member is ready too (or has
// nothing outstanding, or has kept the round waiting for `maxWaitMs`) sends the requests of all of
// them as ONE round: one Batch API job per model, a request two datasets share sent once. Each member
// is given the jobs that hold its requests (an assignment file, written after the upload and before
// the jobs are created, then again with their ids), records them in its own batch state and follows
// them as it follows its own; every result goes into the shared request cache.
//
// Kills: a cutter that dies before the assignments leaves the spools for the next cutter (its
// uploaded files are never made into batches); one that dies after leaves assignments without ids,
// which their members adopt once the lock is free and recover by input file as a resumed build does.
// Members are named by dataset and stage, so a build run again finds an assignment it had not adopted.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../../util/files';
import { sha256 } from '../../../util/hash';
import { sleep } from '../../../util/sleep';
import { HOST, holderDied, SlotLocks } from '../../limiter';
import type { BatchApi } from './batch-api';
import { batchInputs, lineId, type BatchRequest } from './batch-jsonl';
import type { PersistedBatch } from './batch-state';

/** idle: nothing outstanding; busy: requests outstanding, not all asked yet; ready: its round is spooled. */
export type MemberState = 'idle' | 'busy' | 'ready';

interface MemberFile {
  pid: number;
  host: string;
  state: MemberState;
  /** When the member last changed state or said it is alive. */
  at: number;
}

interface Assignment {
  entries: PersistedBatch[];
  /** Requests of the round, all members together, its jobs and the members that sent requests. */
  requests: number;
  batches: number;
  members: number;
}

export interface RoomRound {
  entries: PersistedBatch[];
  /** Batch API jobs of the round (all members) and the members that sent requests in it. */
  batches: number;
  members: number;
}

export interface BatchRoomOptions {
  cacheDir: string;
  baseURL: string;
  /** This member's name: dataset and stage. */
  member: string;
  api: BatchApi;
  /** Wait between looks at the room (jittered). */
  pollMs?: number;
  /** How long a ready round waits for members that still have requests to ask. */
  maxWaitMs: number;
  /** A member or cut lock untouched this long is gone. */
  staleMs?: number;
  log: (msg: string) => void;
  signal: AbortSignal;
}

export function batchRoomDir(cacheDir: string, baseURL: string): string {
  return join(cacheDir, 'batch-rooms', sha256(baseURL || 'https://api.openai.com/v1').slice(0, 16));
}

const safe = (s: string) => s.replace(/[^a-zA-Z0-9._-]/g, '_');

export class BatchRoom {
  private readonly dir: string;
  private readonly name: string;
  private readonly cut: SlotLocks;
  private readonly pollMs: number;
  private readonly staleMs: number;
  private state: MemberState | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly opts: BatchRoomOptions) {
    this.dir = batchRoomDir(opts.cacheDir, opts.baseURL);
    this.name = safe(opts.member);
    this.pollMs = opts.pollMs ?? 50;
    this.staleMs = opts.staleMs ?? 30_000;
    for (const d of ['members', 'spool', 'assign']) mkdirSync(join(this.dir, d), { recursive: true });
    this.cut = new SlotLocks(join(this.dir, 'cut'), 1, { staleMs: this.staleMs, pollMs: this.pollMs });
    // A spool of an earlier run of this member is void: its requests are asked again (or were cut:
    // then its assignment is adopted, see leftover()).
    if (!existsSync(this.path('assign'))) rmSync(this.path('spool'), { force: true });
  }

  private path(kind: 'members' | 'spool' | 'assign', name = this.name): string {
    return join(this.dir, kind, `${name}.json`);
  }

  /** Says what this member is doing (written when it changes, and every few seconds while alive). */
  setState(state: MemberState): void {
    if (state === this.state) return;
    this.state = state;
    this.writeMember();
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.writeMember(), Math.max(1000, this.staleMs / 4));
      this.heartbeat.unref();
    }
  }

  private writeMember(): void {
    const file: MemberFile = { pid: process.pid, host: HOST, state: this.state ?? 'idle', at: Date.now() };
    writeJsonAtomic(this.path('members'), file);
  }

  /** Jobs cut for this member by an earlier run that it never adopted (it was killed meanwhile). */
  leftover(): PersistedBatch[] {
    return this.adopt()?.entries ?? [];
  }

  /**
   * Hands this member's round to the room and resolves with the jobs that hold its requests, once a
   * round is cut (by this member or another). Requests the jobs do not hold (an assignment of an
   * earlier run adopted instead) are the caller's to ask again.
   */
  async round(requests: BatchRequest[]): Promise<RoomRound> {
    writeJsonAtomic(this.path('spool'), { requests });
    this.setState('ready');
    const since = Date.now();
    for (;;) {
      this.opts.signal.throwIfAborted();
      const mine = this.adopt();
      if (mine) return mine;
      const release = this.cut.tryAcquire();
      if (release) {
        let cut = false;
        try {
          cut = !existsSync(this.path('assign')) && this.othersReady(since);
          if (cut) await this.cutRound();
        } finally {
          release();
        }
        if (cut) continue; // this member's assignment is there now
      }
      await sleep(this.pollMs * (0.5 + Math.random()), this.opts.signal);
    }
  }

  /**
   * This member's assignment, taken under the cut lock: never while a cutter is still writing it (or
   * reading this member's spool); after a cutter died, its assignment as far as it got (jobs without
   * ids are found or created by their input file). The spool goes with it.
   */
  private adopt(): RoomRound | undefined {
    if (!existsSync(this.path('assign'))) return undefined;
    const release = this.cut.tryAcquire();
    if (!release) return undefined;
    try {
      const a = this.readAssignment();
      rmSync(this.path('assign'), { force: true });
      rmSync(this.path('spool'), { force: true });
      if (!a) return undefined;
      this.setState('busy');
      return { entries: a.entries, batches: a.batches, members: a.members };
    } finally {
      release();
    }
  }

  private readAssignment(): Assignment | undefined {
    try {
      return JSON.parse(readFileSync(this.path('assign'), 'utf8')) as Assignment;
    } catch {
      return undefined;
    }
  }

  /** Live members, by name (this one included). */
  private members(): Map<string, MemberFile> {
    const out = new Map<string, MemberFile>();
    for (const f of readdirSync(join(this.dir, 'members'))) {
      if (!f.endsWith('.json')) continue;
      const path = join(this.dir, 'members', f);
      try {
        const m = JSON.parse(readFileSync(path, 'utf8')) as MemberFile;
        const gone = Date.now() - statSync(path).mtimeMs > this.staleMs || holderDied(m.pid, m.host);
        if (gone) rmSync(path, { force: true });
        else out.set(f.slice(0, -5), m);
      } catch {
        /* written or removed meanwhile: looked at again next time */
      }
    }
    return out;
  }

  /** Whether no other member still has requests to ask, or the round has waited long enough for them. */
  private othersReady(since: number): boolean {
    if (Date.now() - since >= this.opts.maxWaitMs) return true;
    for (const [name, m] of this.members()) if (name !== this.name && m.state === 'busy') return false;
    return true;
  }

  /** One round of every spooled request (the cut lock held). */
  private async cutRound(): Promise<void> {
    const { api, log } = this.opts;
    const live = this.members();
    const byMember = new Map<string, BatchRequest[]>();
    for (const f of readdirSync(join(this.dir, 'spool'))) {
      if (!f.endsWith('.json')) continue;
      const name = f.slice(0, -5);
      const path = join(this.dir, 'spool', f);
      // A spool whose member is gone is void; one already cut waits for its member to adopt it.
      if (!live.has(name)) rmSync(path, { force: true });
      else if (!existsSync(this.path('assign', name))) byMember.set(name, (JSON.parse(readFileSync(path, 'utf8')) as { requests: BatchRequest[] }).requests);
    }
    const unique = new Map<string, BatchRequest>();
    for (const list of byMember.values()) for (const r of list) unique.set(lineId(r.key, r.resend), r);
    const inputs = batchInputs([...unique.values()]);
    const jobs: PersistedBatch[] = [];
    for (const input of inputs) jobs.push({ inputFileId: await api.upload(input.jsonl), customIds: input.keys, createdAt: Date.now() });
    const assignments = new Map<string, Assignment>();
    for (const [name, list] of byMember) {
      const keys = new Set(list.map((r) => r.key));
      const entries = jobs.map((j) => ({ ...j, customIds: j.customIds.filter((k) => keys.has(k)) })).filter((e) => e.customIds.length);
      assignments.set(name, { entries, requests: unique.size, batches: jobs.length, members: byMember.size });
    }
    const write = () => {
      for (const [name, a] of assignments) writeJsonAtomic(this.path('assign', name), a);
    };
    write(); // from here on the round belongs to its members: a cutter that dies leaves it to them (jobs without ids)
    for (const name of byMember.keys()) rmSync(join(this.dir, 'spool', `${name}.json`), { force: true });
    for (const job of jobs) {
      const batch = await api.create(job.inputFileId);
      for (const a of assignments.values()) for (const e of a.entries) if (e.inputFileId === job.inputFileId) e.id = batch.id;
      log(`batch ${batch.id}: submitted ${job.customIds.length} request${job.customIds.length === 1 ? '' : 's'}${byMember.size > 1 ? ` of ${byMember.size} builds sharing the endpoint (${[...byMember.keys()].join(', ')})` : ''}`);
    }
    write(); // with the ids
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    rmSync(this.path('members'), { force: true });
  }
}
