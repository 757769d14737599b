// The MinHash inner loop as a WebAssembly SIMD kernel: for each shingle x, 16 permutations at a
// time as four i32x4 lanes of `min_u(m, a*x + b)`. i32x4.mul and i32x4.add wrap modulo 2^32 and
// min_u compares unsigned, so the result is exactly the scalar `(a*x + b) mod 2^32` minimum of
// minhash.ts, at about a fifth of the instructions (the qc benchmark's largest single cost).
// The module is tiny and written out below as bytes (no toolchain); its text form:
//
//   (func (export "minhash") (param $np $a $b $out $sh $n i32)
//     (local $i $s $end i32) (local $x $a0..$a3 $b0..$b3 $m0..$m3 v128)
//     (loop over $i = 0, 64, ... < $np*4            ;; byte offset of 16 permutations
//       $a0..$a3 = v128.load $a+$i+0/16/32/48 ; $b0..$b3 likewise ; $m0..$m3 = all ones
//       (loop over $s = $sh, $sh+4, ... < $sh+$n*4
//         $x = i32x4.splat (i32.load $s)
//         $mK = i32x4.min_u $mK (i32x4.add (i32x4.mul $aK $x) $bK))   ;; K = 0..3
//       v128.store $out+$i+0/16/32/48 $m0..$m3))
//   (memory (export "memory") 1)
//
// Where WebAssembly SIMD is missing, `simdMinhash()` returns undefined and the scalar loop runs.

type Kernel = (numPerm: number, a: number, b: number, out: number, shingles: number, n: number) => void;

// Local indices: parameters 0-5, then i32 locals 6-8, then v128 locals 9-21.
const [NP, A, B, OUT, SH, N, I, S, END, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const AK = (k: number) => 10 + k;
const BK = (k: number) => 14 + k;
const MK = (k: number) => 18 + k;

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}
const get = (i: number) => [0x20, ...leb(i)];
const set = (i: number) => [0x21, ...leb(i)];
/** Signed LEB128 (what i32.const takes: 64 written as unsigned LEB would read back as -64). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}
const i32 = (v: number) => [0x41, ...sleb(v)];
const simd = (op: number) => [0xfd, ...leb(op)];
const v128Load = (offset: number) => [...simd(0x00), 4, ...leb(offset)];
const v128Store = (offset: number) => [...simd(0x0b), 4, ...leb(offset)];
const [ADD, SHL, GE_U, I32_LOAD, BLOCK, LOOP, BR, BR_IF, END_OP, EMPTY] = [0x6a, 0x74, 0x4f, 0x28, 0x02, 0x03, 0x0c, 0x0d, 0x0b, 0x40];
const [SPLAT, ADD4, MUL4, MIN_U4] = [0x11, 0xae, 0xb5, 0xb7];

function kernelBody(): number[] {
  const code: number[] = [];
  const emit = (...ops: number[][]) => ops.forEach((o) => code.push(...o));
  emit(i32(0), set(I));
  emit([BLOCK, EMPTY], [LOOP, EMPTY]);
  emit(get(I), get(NP), i32(2), [SHL], [GE_U], [BR_IF, 1]);
  for (let k = 0; k < 4; k++) emit(get(A), get(I), [ADD], v128Load(16 * k), set(AK(k)));
  for (let k = 0; k < 4; k++) emit(get(B), get(I), [ADD], v128Load(16 * k), set(BK(k)));
  for (let k = 0; k < 4; k++) emit([...simd(0x0c), ...new Array(16).fill(0xff)], set(MK(k)));
  emit(get(SH), set(S), get(SH), get(N), i32(2), [SHL], [ADD], set(END));
  emit([BLOCK, EMPTY], [LOOP, EMPTY]);
  emit(get(S), get(END), [GE_U], [BR_IF, 1]);
  emit(get(S), [I32_LOAD, 2, 0], simd(SPLAT), set(X));
  for (let k = 0; k < 4; k++) emit(get(MK(k)), get(AK(k)), get(X), simd(MUL4), get(BK(k)), simd(ADD4), simd(MIN_U4), set(MK(k)));
  emit(get(S), i32(4), [ADD], set(S), [BR, 0], [END_OP], [END_OP]);
  for (let k = 0; k < 4; k++) emit(get(OUT), get(I), [ADD], get(MK(k)), v128Store(16 * k));
  emit(get(I), i32(64), [ADD], set(I), [BR, 0], [END_OP], [END_OP]);
  return code;
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}
const name = (s: string) => [...leb(s.length), ...Buffer.from(s, 'utf8')];

function moduleBytes(): Uint8Array {
  const body = [...leb(2), 3, 0x7f, 13, 0x7b, ...kernelBody(), END_OP]; // locals: 3 x i32, 13 x v128
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]), // type: (6 x i32) -> ()
    ...section(3, [1, 0]), // one function of type 0
    ...section(5, [1, 0x00, 1]), // memory: 1 page to start
    ...section(7, [2, ...name('minhash'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

export interface SimdMinhash {
  /** Writes the signature of `shingleHashes` into `out[0..numPerm)` (numPerm a multiple of 16). */
  signature(shingleHashes: ArrayLike<number>, numPerm: number, a: Uint32Array, b: Uint32Array, out: Uint32Array): void;
}

// The few WebAssembly APIs used here (the workspace compiles without the DOM typings that declare them).
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

let cached: SimdMinhash | null | undefined;

/** The SIMD kernel, or undefined where WebAssembly SIMD is not available. */
export function simdMinhash(): SimdMinhash | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = moduleBytes();
    if (!wasm || !wasm.validate(bytes)) return undefined;
    const instance = new wasm.Instance(new wasm.Module(bytes));
    const kernel = instance.exports.minhash as Kernel;
    const memory = instance.exports.memory as WasmMemory;
    let loaded: { a: Uint32Array; b: Uint32Array; numPerm: number } | undefined;
    cached = {
      signature(shingleHashes, numPerm, a, b, out) {
        // Layout: a, b, out (numPerm words each), then the shingles.
        const shingleAt = 3 * numPerm;
        const words = shingleAt + shingleHashes.length;
        if (words * 4 > memory.buffer.byteLength) memory.grow(Math.ceil((words * 4 - memory.buffer.byteLength) / 65536));
        const view = new Uint32Array(memory.buffer, 0, words);
        if (!loaded || loaded.a !== a || loaded.b !== b || loaded.numPerm !== numPerm) {
          view.set(a.subarray(0, numPerm), 0);
          view.set(b.subarray(0, numPerm), numPerm);
          loaded = { a, b, numPerm };
        }
        view.set(shingleHashes, shingleAt);
        kernel(numPerm, 0, numPerm * 4, numPerm * 8, shingleAt * 4, shingleHashes.length);
        out.set(view.subarray(2 * numPerm, 3 * numPerm));
      },
    };
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}
