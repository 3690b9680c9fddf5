// SPDX-License-Identifier: MIT
// Differential test against the seed itself (../shared/seeds/000_d2b14fcbc558833d.txt, Oliver
// Upton's reply to [PATCH v5 15/24]). At test time we extract from the seed's text the C of
// kvm_pmu_guest_num_counters(), kvm_pmu_hpmn(), the reviewer's kvm_mdcr_hpmn() and the MDCR_EL2
// lines of kvm_arm_setup_mdcr_el2(), compile them with gcc against stubs of our own (their
// MDCR_EL2_* and PMUVer constants generated from the register catalogue), run a grid of inputs,
// and compare with the TypeScript policies through the batch protocol. No kernel C is stored in
// this project: it is read from the seed on every run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lookupRegister } from '../../src/arch/catalogue.js';
import { PMUVER_ENCODING, type PmuVersion } from '../../src/arch/features.js';
import { fieldMask, namedFields } from '../../src/arch/fields.js';
import { evaluateKvmRequest, type KvmAnswer, parseKvmRequest } from '../../src/protocol/kvm.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEED = path.resolve(repoRoot, '..', 'shared', 'seeds', '000_d2b14fcbc558833d.txt');
const inCi = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

// --- Extraction from the seed's text -------------------------------------------------------

/** The lines of the patch as quoted in the reply, with the "> " quote marker removed. */
function quotedLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('>'))
    .map((l) => l.replace(/^> ?/, ''));
}

/** The lines Oliver wrote himself (not quoted). */
function unquotedLines(text: string): string[] {
  return text.split('\n').filter((l) => !l.startsWith('>'));
}

/** The new side of a unified diff: context and added lines with their marker removed. */
function newSide(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if (/^(diff |index |@@|\+\+\+ |--- )/.test(l)) continue;
    if (l.startsWith('-')) continue;
    out.push(l.startsWith('+') || l.startsWith(' ') ? l.slice(1) : l);
  }
  return out;
}

/** The slice of the quoted patch that is the diff of `file`. */
function diffOf(quoted: readonly string[], file: string): string[] {
  const start = quoted.findIndex((l) => l.startsWith(`diff --git a/${file} `));
  assert.notEqual(start, -1, `the seed has no diff of ${file}`);
  let end = quoted.findIndex((l, i) => i > start && l.startsWith('diff --git '));
  if (end === -1) end = quoted.length;
  return quoted.slice(start, end);
}

/** The one definition of `name(struct kvm_vcpu *vcpu)` in `lines`, signature to closing brace. */
function extractFunction(lines: readonly string[], name: string): string[] {
  const starts = lines.flatMap((l, i) =>
    new RegExp(`^\\w[\\w ]*\\b${name}\\(struct kvm_vcpu \\*vcpu\\)$`).test(l) && lines[i + 1] === '{'
      ? [i]
      : [],
  );
  assert.equal(starts.length, 1, `expected one definition of ${name}() in the seed, found ${starts.length}`);
  const start = starts[0]!;
  const end = lines.findIndex((l, i) => i > start && l === '}');
  assert.notEqual(end, -1, `${name}() has no closing brace in the seed`);
  return lines.slice(start, end + 1);
}

/**
 * The body of v5's kvm_arm_setup_mdcr_el2() up to its MDCR_EL2 PMU computation: from after the
 * opening brace to the "Is the VM being debugged by userspace?" comment, where the seed's quote
 * of the function stops being complete.
 */
function extractSetupMdcrLines(debugDiff: readonly string[]): string[] {
  const lines = newSide(debugDiff);
  const sig = lines.indexOf('static void kvm_arm_setup_mdcr_el2(struct kvm_vcpu *vcpu)');
  assert.notEqual(sig, -1, 'the seed has no kvm_arm_setup_mdcr_el2() in the debug.c diff');
  assert.equal(lines[sig + 1], '{');
  const stop = lines.findIndex(
    (l, i) => i > sig && l.trim() === '/* Is the VM being debugged by userspace? */',
  );
  assert.notEqual(stop, -1, 'kvm_arm_setup_mdcr_el2() in the seed lost its guest_debug comment');
  return lines.slice(sig + 2, stop);
}

interface SeedCode {
  readonly guestNumCounters: string[];
  readonly pmuHpmn: string[];
  readonly mdcrHpmn: string[];
  readonly setupMdcr: string[];
}

function extractSeed(text: string): SeedCode {
  const quoted = quotedLines(text);
  const pmuDirect = newSide(diffOf(quoted, 'arch/arm64/kvm/pmu-direct.c'));
  return {
    guestNumCounters: extractFunction(pmuDirect, 'kvm_pmu_guest_num_counters'),
    pmuHpmn: extractFunction(pmuDirect, 'kvm_pmu_hpmn'),
    mdcrHpmn: extractFunction(unquotedLines(text), 'kvm_mdcr_hpmn'),
    setupMdcr: extractSetupMdcrLines(diffOf(quoted, 'arch/arm64/kvm/debug.c')),
  };
}

// --- Our stubs and harness ------------------------------------------------------------------

/** #defines for every named field of `reg`, as masks, from the catalogue (REG_FIELD). */
function fieldDefines(reg: string): string[] {
  return namedFields(lookupRegister(reg).def).map(
    (f) => `#define ${reg}_${f.name} 0x${fieldMask(f).toString(16)}ULL`,
  );
}

/** #defines for the named values of `reg.field` (REG_FIELD_NAME), from the catalogue. */
function valueDefines(reg: string, field: string): string[] {
  const f = namedFields(lookupRegister(reg).def).find((x) => x.name === field);
  assert.ok(f !== undefined, `the catalogue has no ${reg}.${field}`);
  return (f.values ?? []).flatMap((v) =>
    v.name === undefined ? [] : [`#define ${reg}_${field}_${v.name} ${v.value}`],
  );
}

const STUBS = `/* Stubs of our own for the kernel symbols the seed's functions use. */
#include <stdbool.h>
#include <stddef.h>
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

/* Generated from the pmu-partition register catalogue. */
${fieldDefines('MDCR_EL2').join('\n')}
${valueDefines('ID_AA64DFR0_EL1', 'PMUVer').join('\n')}

/* include/linux/bitfield.h at run time: shift to the mask's low bit, then mask. */
#define FIELD_PREP(_mask, _val) ((((u64)(_val)) << __builtin_ctzll(_mask)) & (_mask))
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)

struct arm_pmu { int hpmn_max; };
struct kvm_arch { unsigned int nr_pmu_counters; struct arm_pmu *arm_pmu; };
struct kvm { struct kvm_arch arch; };
struct kvm_vcpu_arch { u64 mdcr_el2; };
struct kvm_vcpu { struct kvm *kvm; struct kvm_vcpu_arch arch; u32 guest_debug; };
struct kvm_host_data { unsigned int nr_event_counters; };

static struct kvm_host_data host_data;
#define host_data_ptr(f) (&host_data.f)
static int armv8pmu_hpmn_max = -1;

enum { ARM64_HAS_HPMN0 = 1 };
static struct {
	bool partitioned, use_fgt, hpmn0, unsupported, owns_debug;
	unsigned int pmuver;
} harness;

static inline bool cpus_have_final_cap(int cap) { return cap == ARM64_HAS_HPMN0 && harness.hpmn0; }
static inline bool kvm_vcpu_pmu_is_partitioned(struct kvm_vcpu *vcpu) { (void)vcpu; return harness.partitioned; }
static inline bool kvm_vcpu_pmu_use_fgt(struct kvm_vcpu *vcpu) { (void)vcpu; return harness.use_fgt; }
static inline bool vcpu_on_unsupported_cpu(struct kvm_vcpu *vcpu) { (void)vcpu; return harness.unsupported; }
static inline bool kvm_guest_owns_debug_regs(struct kvm_vcpu *vcpu) { (void)vcpu; return harness.owns_debug; }
static inline unsigned int read_pmuver(void) { return harness.pmuver; }
static inline bool is_pmuv3p1(int pmuver)
{
	return pmuver >= ID_AA64DFR0_EL1_PMUVer_V3P1 && pmuver != ID_AA64DFR0_EL1_PMUVer_IMP_DEF;
}
static inline bool is_pmuv3p5(int pmuver)
{
	return pmuver >= ID_AA64DFR0_EL1_PMUVer_V3P5 && pmuver != ID_AA64DFR0_EL1_PMUVer_IMP_DEF;
}

/*
 * The rest of kvm_arm_setup_mdcr_el2(), which the seed does not quote in full: TDE when
 * userspace debugs the guest, TDA unless the guest owns the debug registers (mainline debug.c).
 */
static inline void harness_mdcr_tail(struct kvm_vcpu *vcpu)
{
	if (vcpu->guest_debug)
		vcpu->arch.mdcr_el2 |= MDCR_EL2_TDE;
	if (!kvm_guest_owns_debug_regs(vcpu))
		vcpu->arch.mdcr_el2 |= MDCR_EL2_TDA;
	preempt_enable();
}
`;

const MAIN = `
int main(void)
{
	unsigned int nr, host, pmuver;
	int hpmn_max, arm_pmu, part, fgt, hpmn0, unsup, dbg, owns;

	while (scanf("%u %d %u %d %d %d %d %u %d %d %d", &nr, &hpmn_max, &host, &arm_pmu, &part, &fgt,
		     &hpmn0, &pmuver, &unsup, &dbg, &owns) == 11) {
		struct arm_pmu pmu = { .hpmn_max = hpmn_max };
		struct kvm kvm = { .arch = { .nr_pmu_counters = nr, .arm_pmu = arm_pmu ? &pmu : NULL } };
		struct kvm_vcpu vcpu = { .kvm = &kvm, .guest_debug = dbg };
		u8 guest, hpmn, review_hpmn;
		u64 mdcr, review_mdcr;

		/* With an arm_pmu the kernel must read arm_pmu->hpmn_max: poison the global. */
		armv8pmu_hpmn_max = arm_pmu ? -7 : hpmn_max;
		host_data.nr_event_counters = host;
		harness.partitioned = part;
		harness.use_fgt = fgt;
		harness.hpmn0 = hpmn0;
		harness.unsupported = unsup;
		harness.owns_debug = owns;
		harness.pmuver = pmuver;

		guest = kvm_pmu_guest_num_counters(&vcpu);
		hpmn = kvm_pmu_hpmn(&vcpu);
		vcpu.arch.mdcr_el2 = 0x5eed5eed5eed5eedULL;
		mdcr = setup_mdcr_v5(&vcpu);
		review_hpmn = kvm_mdcr_hpmn(&vcpu);
		vcpu.arch.mdcr_el2 = 0x5eed5eed5eed5eedULL;
		review_mdcr = setup_mdcr_review(&vcpu);
		printf("%u %u 0x%llx %u 0x%llx\\n", guest, hpmn, mdcr, review_hpmn, review_mdcr);
	}
	return 0;
}
`;

function setupFunction(name: string, body: readonly string[]): string {
  return [
    `static u64 ${name}(struct kvm_vcpu *vcpu)`,
    '{',
    ...body,
    '\tharness_mdcr_tail(vcpu);',
    '\treturn vcpu->arch.mdcr_el2;',
    '}',
  ].join('\n');
}

function harnessSource(seed: SeedCode): string {
  const reviewSetup = seed.setupMdcr.map((l) => l.replaceAll('kvm_pmu_hpmn(vcpu)', 'kvm_mdcr_hpmn(vcpu)'));
  assert.equal(
    reviewSetup.filter((l, i) => l !== seed.setupMdcr[i]).length,
    1,
    'expected kvm_arm_setup_mdcr_el2() to call kvm_pmu_hpmn(vcpu) once',
  );
  return [
    '/* Generated by test/kvm/seed.test.ts. The kernel functions below are read from the seed. */',
    '#include <stdio.h>',
    '#include "stubs.h"',
    '',
    '/* From the seed: [PATCH v5 15/24], arch/arm64/kvm/pmu-direct.c. */',
    ...seed.guestNumCounters,
    '',
    ...seed.pmuHpmn,
    '',
    "/* From the seed: Oliver Upton's kvm_mdcr_hpmn(). */",
    ...seed.mdcrHpmn,
    '',
    '/* From the seed: the MDCR_EL2 lines of kvm_arm_setup_mdcr_el2(), arch/arm64/kvm/debug.c. */',
    setupFunction('setup_mdcr_v5', seed.setupMdcr),
    '',
    '/* The same lines with the reviewer HPMN, as the review policy models it. */',
    setupFunction('setup_mdcr_review', reviewSetup),
    MAIN,
  ].join('\n');
}

// --- The grid -------------------------------------------------------------------------------

interface GridInputs {
  nrPmuCounters: number;
  armPmu: boolean;
  hpmnMax: number;
  hostCounters: number;
  partitioned: boolean;
  useFgt: boolean;
  hasHpmn0: boolean;
  pmuVer: PmuVersion;
  onUnsupportedCpu: boolean;
  guestDebug: boolean;
  guestOwnsDebug: boolean;
}

const BOOLS = [false, true] as const;
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

function* grid(): Generator<GridInputs> {
  for (const nrPmuCounters of [...range(0, 8), 31])
    for (const hpmnMax of range(-1, 8))
      for (const hostCounters of range(0, 8))
        for (const armPmu of BOOLS)
          for (const partitioned of BOOLS)
            for (const useFgt of BOOLS)
              for (const hasHpmn0 of BOOLS)
                for (const pmuVer of ['PMUv3', 'PMUv3p1', 'PMUv3p5'] as const)
                  for (const onUnsupportedCpu of BOOLS)
                    for (const guestDebug of BOOLS)
                      for (const guestOwnsDebug of BOOLS)
                        yield {
                          nrPmuCounters,
                          armPmu,
                          hpmnMax,
                          hostCounters,
                          partitioned,
                          useFgt,
                          hasHpmn0,
                          pmuVer,
                          onUnsupportedCpu,
                          guestDebug,
                          guestOwnsDebug,
                        };
}

function cLine(g: GridInputs): string {
  const b = (x: boolean) => (x ? 1 : 0);
  return [
    g.nrPmuCounters,
    g.hpmnMax,
    g.hostCounters,
    b(g.armPmu),
    b(g.partitioned),
    b(g.useFgt),
    b(g.hasHpmn0),
    PMUVER_ENCODING[g.pmuVer],
    b(g.onUnsupportedCpu),
    b(g.guestDebug),
    b(g.guestOwnsDebug),
  ].join(' ');
}

function ask(id: number, policy: string, inputs: GridInputs): KvmAnswer {
  return evaluateKvmRequest(parseKvmRequest({ id, policy, inputs }));
}

// --- The tests ------------------------------------------------------------------------------

function gccVersion(): string | undefined {
  const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

describe('seed differential: v5 and review against the C of the seed', () => {
  const haveSeed = existsSync(SEED);
  const seedText = haveSeed ? readFileSync(SEED, 'utf8') : '';

  test('the seed yields the four pieces of C, without the old side of the diff', (t) => {
    if (!haveSeed) {
      if (inCi) assert.fail(`the seed is missing: ${SEED}`);
      t.skip(`the seed is missing: ${SEED}`);
      return;
    }
    const seed = extractSeed(seedText);
    assert.match(seed.guestNumCounters[0]!, /^u8 kvm_pmu_guest_num_counters\(/);
    assert.match(seed.pmuHpmn[0]!, /^u8 kvm_pmu_hpmn\(/);
    assert.match(seed.mdcrHpmn[0]!, /^u8 kvm_mdcr_hpmn\(/);
    const setup = seed.setupMdcr.join('\n');
    assert.match(setup, /int hpmn = kvm_pmu_hpmn\(vcpu\);/);
    assert.match(setup, /FIELD_PREP\(MDCR_EL2_HPMN, hpmn\)/);
    assert.doesNotMatch(setup, /nr_event_counters/, 'the removed mainline HPMN line must not be extracted');
  });

  test('every grid input agrees: guestPmcrN, hpmn, mdcrEl2 (v5); hpmn, mdcrEl2 (review)', (t) => {
    if (!haveSeed) {
      if (inCi) assert.fail(`the seed is missing: ${SEED}`);
      t.skip(`the seed is missing: ${SEED}`);
      return;
    }
    const gcc = gccVersion();
    if (gcc === undefined) {
      if (inCi) assert.fail('gcc is required for the seed differential test in CI, and was not found');
      t.skip('gcc not found: the seed differential test needs a C compiler');
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'pmup-seed-'));
    let keep = false;
    try {
      writeFileSync(path.join(dir, 'stubs.h'), STUBS);
      writeFileSync(path.join(dir, 'seed.c'), harnessSource(extractSeed(seedText)));
      const exe = path.join(dir, 'seed');
      const cc = spawnSync(
        'gcc',
        ['-std=gnu11', '-O2', '-Wall', '-fno-strict-overflow', '-fno-strict-aliasing', '-o', exe, 'seed.c'],
        { cwd: dir, encoding: 'utf8' },
      );
      if (cc.status !== 0) {
        keep = true;
        assert.fail(`gcc (${gcc}) failed on ${dir}/seed.c:\n${cc.stderr}`);
      }

      const inputs = [...grid()];
      const run = spawnSync(exe, [], {
        input: `${inputs.map(cLine).join('\n')}\n`,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      assert.equal(run.status, 0, `the harness failed: ${run.stderr}`);
      const out = run.stdout.trimEnd().split('\n');
      assert.equal(out.length, inputs.length, 'the harness must answer every input line');

      for (let i = 0; i < inputs.length; i++) {
        const g = inputs[i]!;
        const [cGuest, cHpmn, cMdcr, cReviewHpmn, cReviewMdcr] = out[i]!.split(' ');
        const v5 = ask(i, 'v5', g);
        const review = ask(i, 'review', g);
        const got = {
          v5: { guestPmcrN: v5.guestPmcrN, hpmn: v5.hpmn, mdcrEl2: v5.mdcrEl2 },
          review: { hpmn: review.hpmn, mdcrEl2: review.mdcrEl2 },
        };
        const want = {
          v5: { guestPmcrN: Number(cGuest), hpmn: Number(cHpmn), mdcrEl2: cMdcr },
          review: { hpmn: Number(cReviewHpmn), mdcrEl2: cReviewMdcr },
        };
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          keep = true;
          assert.fail(
            `input ${i} of ${inputs.length} disagrees with the seed's C (harness kept in ${dir})\n` +
              `inputs: ${JSON.stringify(g)}\nC line: ${cLine(g)}\nC:      ${JSON.stringify(want)}\nmodel:  ${JSON.stringify(got)}`,
          );
        }
      }
      t.diagnostic(`${inputs.length} inputs agree (${gcc})`);
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  });
});
