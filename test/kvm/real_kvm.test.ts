// SPDX-License-Identifier: MIT
// The KVM model against a real Linux KVM (issue 13): the log of one boot of Debian's 6.1 kernel
// under QEMU (harness/kvm/), compared line by line with the model's `mainline:linux-6.1`
// (harness/kvm/model.ts). Plain `npm test` reads the recorded log
// (harness/kvm/recorded/linux-6.1.txt); `npm run test:kvm` boots the kernel and runs this file on
// the fresh log ($PMUP_KVM_LOG). docs/kvm-divergences.md explains every line of DIVERGENCES.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { type Compared, compare, describe as describeLine } from '../../harness/kvm/compare.js';
import { parseLog, scenarioObservations } from '../../harness/kvm/log.js';
import { predict } from '../../harness/kvm/model.js';
import { SCENARIOS } from '../../harness/kvm/scenarios.js';

const LIVE = process.env['PMUP_KVM_LOG'];
const FILE = LIVE ?? new URL('../../harness/kvm/recorded/linux-6.1.txt', import.meta.url).pathname;
const log = parseLog(readFileSync(FILE, 'utf8'));
if (LIVE === undefined) {
  console.log(
    '# real KVM: comparing the recorded log; `npm run test:kvm` boots the kernel and compares a fresh one',
  );
}

/** The observed result of `what` in `scenario` (the first such line). */
function seen(scenario: string, what: string): { result: string; value?: string } {
  const o = scenarioObservations(log, scenario).find((x) => x.what === what);
  assert.ok(o !== undefined, `${scenario}: no line ${what}`);
  return o.value === undefined ? { result: o.result } : { result: o.result, value: o.value };
}

function seenValue(scenario: string, what: string): bigint {
  const o = seen(scenario, what);
  assert.ok(o.value !== undefined, `${scenario}: ${what} has no value`);
  return BigInt(o.value);
}

/** ESR_EL1 of an Undefined Instruction exception: EC 0x00, IL 1 (Arm ARM D24.2.45). */
const ESR_UNDEF = { result: 'esr', value: '0x2000000' };

/**
 * The lines where the kernel under QEMU does not do what the model's linux-6.1 says, each with
 * its class (docs/kvm-divergences.md): `host` = QEMU 7.2 TCG, the emulated CPU, differs from the
 * Arm ARM; the kernel's own part agrees. A listed line must still differ, so that a change of the
 * model or of the emulator shows here.
 */
const DIVERGENCES: readonly { scenario: string; what: RegExp; cls: 'host'; why: string }[] = [
  {
    scenario: 'reset-values|guest-el1|guest-filter',
    what: /^\d+ r PMCEID[01]_EL0$/,
    cls: 'host',
    why: 'QEMU 7.2 implements fewer common events than the Arm ARM requires (D14.6); KVM passes the hardware PMCEID through its filter',
  },
  {
    scenario: 'guest-el0',
    what: /^\d+ r (PMCCNTR|PMEVCNTR0|PMXEVCNTR)_EL0$/,
    cls: 'host',
    why: "QEMU's pmreg_access_ccntr()/pmreg_access_xevcntr() allow an EL0 counter read by PMUSERENR_EL0.CR/ER (KVM sets all four bits while the guest runs) without MDCR_EL2.TPM's trap to EL2",
  },
];

/** The SCENARIOS entry a scenario name belongs to (`run-without-init-vgic` to `run-without-init`). */
function owner(scenario: string): string {
  const names = SCENARIOS.map((x) => x.name).filter((n) => scenario === n || scenario.startsWith(`${n}-`));
  return names.includes(scenario) ? scenario : (names.sort((a, b) => b.length - a.length)[0] ?? scenario);
}

function listed(c: Compared): boolean {
  return DIVERGENCES.some(
    (d) => new RegExp(`^(${d.scenario})$`).test(c.predicted.scenario) && d.what.test(c.predicted.what),
  );
}

describe(`real KVM log ${LIVE === undefined ? '(recorded)' : '(live)'}`, () => {
  test('KVM came up at EL2 in VHE mode, and the VMM ran to its end', () => {
    assert.ok(log.dmesg.some((l) => l.includes('kvm [1]: VHE mode initialized successfully')));
    assert.ok(log.complete);
  });
  test('every scenario ran', () => {
    const ran = new Set(log.observations.map((o) => o.scenario));
    for (const s of SCENARIOS) assert.ok(ran.has(s.name), s.name);
  });
  test('the emulated host ran the host-ID program at EL2', () => {
    // CurrentEL.EL is bits [3:2] (Arm ARM, CurrentEL): 2.
    assert.equal((log.hostId['CurrentEL'] ?? 0n) >> 2n, 2n);
  });
});

describe('every observation equals the model (mainline:linux-6.1) or is a listed divergence', () => {
  const compared = compare(log, predict(SCENARIOS));
  test('the model predicts every line it compares, and the kernel printed each', () => {
    assert.ok(compared.length > 300);
    for (const c of compared) assert.ok(c.observed !== undefined, describeLine(c));
  });
  for (const s of SCENARIOS) {
    test(s.name, () => {
      const mine = compared.filter((c) => owner(c.predicted.scenario) === s.name);
      for (const c of mine) {
        if (listed(c)) assert.ok(!c.agrees, `listed as a divergence but agrees: ${describeLine(c)}`);
        else assert.ok(c.agrees, describeLine(c));
      }
    });
  }
});

/** Asserts the result of each [scenario, what, result] line (the first line of that text). */
function results(rows: readonly (readonly [string, string, string])[]): void {
  for (const [scenario, what, result] of rows)
    assert.deepEqual(seen(scenario, what), { result }, `${scenario}: ${what}`);
}

describe('what each PMU attribute returns on 6.1, and in which order the checks are made', () => {
  // v6.1 arch/arm64/kvm/pmu-emul.c kvm_arm_pmu_v3_has_attr(): IRQ, INIT, FILTER, SET_PMU only.
  test('KVM_HAS_DEVICE_ATTR: 0 for IRQ, INIT, FILTER, SET_PMU; -ENXIO for SET_NR_COUNTERS and 5', () => {
    results([
      ...['IRQ', 'INIT', 'FILTER', 'SET_PMU'].map((a) => ['attr-no-vgic', `has ${a}`, '0'] as const),
      ['attr-no-vgic', 'has SET_NR_COUNTERS', '-ENXIO'],
      ['attr-no-vgic', 'has 5', '-ENXIO'],
      ['attr-no-pmu', 'has IRQ', '-ENXIO'],
    ]);
  });
  test('set_attr: no PMU_V3 (-ENODEV) first, then an initialised vPMU (-EBUSY), then the attribute', () => {
    results([
      // The IRQ on a vCPU without PMU_V3 and without an irqchip: -ENODEV, not the IRQ's -EINVAL.
      ['attr-no-pmu', 'set IRQ 23', '-ENODEV'],
      // An unknown attribute after INIT: -EBUSY, not -ENXIO.
      ['attr-no-vgic', 'set 9', '-EBUSY'],
      ['attr-no-vgic', 'set SET_NR_COUNTERS 2', '-ENXIO'],
    ]);
  });
  test('IRQ: no irqchip (-EINVAL) before get_user() (-EFAULT); range, then pmu_irq_is_valid(), then already set', () => {
    results([
      ['attr-no-vgic', 'set-fault IRQ', '-EINVAL'],
      ['attr-vgic', 'set IRQ 5', '-EINVAL'],
      ['attr-vgic', 'set IRQ 1020', '-EINVAL'],
      // 24 after 23: pmu_irq_is_valid() compares with this vCPU's own PPI before the -EBUSY check.
      ['attr-vgic', 'set IRQ 24', '-EINVAL'],
      ['attr-vgic', 'get IRQ', '-ENXIO'],
    ]);
    const again = scenarioObservations(log, 'attr-vgic').filter((o) => o.what === 'set IRQ 23');
    assert.deepEqual(
      again.map((o) => o.result),
      ['0', '-EBUSY'],
    );
  });
  test('FILTER and SET_PMU read their payload first (-EFAULT), then check it', () => {
    results([
      ['attr-no-vgic', 'set-fault FILTER', '-EFAULT'],
      ['attr-no-vgic', 'set FILTER 0x100 0xff01 0', '-EINVAL'],
      ['attr-no-vgic', 'set FILTER 0x11 1 2', '-EINVAL'],
      ['attr-no-vgic', 'set-fault SET_PMU', '-EFAULT'],
      ['attr-no-vgic', 'set SET_PMU 12345', '-ENXIO'],
    ]);
  });
  test('INIT: vGIC not initialised (-ENODEV) before no IRQ (-ENXIO); KVM_RUN without INIT is -EINVAL', () => {
    results([
      ['attr-vgic', 'set INIT', '-ENODEV'],
      ['attr-vgic-no-irq', 'set INIT', '-ENXIO'],
      ['run-without-init', 'KVM_RUN', '-EINVAL'],
      ['run-without-init-vgic', 'KVM_RUN', '-EINVAL'],
    ]);
  });
  test('two vCPUs: PPIs must be equal and SPIs distinct, checked against every vCPU with an IRQ', () => {
    // v6.1 pmu_irq_is_valid(): a PPI must equal every set IRQ, an SPI must differ from each. So an
    // SPI after another vCPU's PPI passes (23 != 40), though the function's comment says "the
    // interrupt type must be same for each vcpu", while a PPI after an SPI fails.
    const irqs = (scenario: string) =>
      scenarioObservations(log, scenario)
        .filter((o) => o.what.startsWith('set IRQ'))
        .map((o) => `${o.what.slice(8)}: ${o.result}`);
    // vCPU 0 takes the first IRQ, vCPU 1 tries the others. The last 23 of the first run fails
    // pmu_irq_is_valid() against vCPU 1's own SPI 40 (-EINVAL) before the -EBUSY check.
    assert.deepEqual(irqs('attr-two-vcpus'), ['23: 0', '24: -EINVAL', '40: 0', '23: -EINVAL']);
    assert.deepEqual(irqs('attr-two-vcpus-spi'), ['40: 0', '23: -EINVAL', '40: -EINVAL', '41: 0']);
  });
  test("once the VM has run: a new vCPU's FILTER is checked (-EINVAL) before -EBUSY; SET_PMU -EBUSY", () => {
    results([
      ['attr-after-run', 'set FILTER 0x11 1 2', '-EINVAL'],
      ['attr-after-run', 'set FILTER 0x11 1 1', '-EBUSY'],
      ['attr-after-run', 'set SET_PMU host', '-EBUSY'],
    ]);
  });
  test('get IRQ: no irqchip (-EINVAL) before no PMU_V3; ONE_REG of PMU registers without PMU_V3: -ENOENT', () => {
    results([
      ['attr-no-pmu', 'get IRQ', '-EINVAL'],
      ['attr-no-pmu', 'getreg PMCR_EL0', '-ENOENT'],
    ]);
  });
  test('mainline differs: SET_NR_COUNTERS exists (has 0, set 0 with N <= 6)', () => {
    const m = compare(log, predict(SCENARIOS, 'mainline'));
    const line = (what: string) =>
      m.find((c) => c.predicted.scenario === 'attr-no-vgic' && c.predicted.what === what);
    assert.equal(line('has SET_NR_COUNTERS')?.predicted.result, '0');
    assert.equal(line('set SET_NR_COUNTERS 2')?.predicted.result, '0');
    assert.equal(line('has SET_NR_COUNTERS')?.agrees, false);
  });
});

describe('can userspace set PMCR_EL0.N on 6.1, and what does the guest see at and above it', () => {
  test('KVM_SET_ONE_REG(PMCR_EL0) stores all 32 bits written, N included, even after the first run', () => {
    // v6.1: no set_user for PMCR_EL0, reg_from_user() into the vCPU's register.
    assert.equal(seenValue('pmcr-from-userspace', 'getreg PMCR_EL0'), 0xffffffffn);
    const after = scenarioObservations(log, 'pmcr-from-userspace').filter(
      (o) => o.what === 'getreg PMCR_EL0',
    );
    assert.equal(after.at(-1)?.value, '0x410120ac'); // N = 4, written after KVM_RUN
  });
  test('N = 2: counters 2..30 UNDEFINED (KVM), the bitmaps keep bits 2..4 of the reset value', () => {
    // PMCR_EL0 reads N = 2 (bits [15:11], D24.5.8).
    assert.equal((seenValue('pmcr-n-2', '4 r PMCR_EL0') >> 11n) & 0x1fn, 2n);
    for (const w of ['15 r PMEVCNTR2_EL0', '16 r PMEVCNTR5_EL0', '20 r PMEVTYPER2_EL0', '22 r PMXEVCNTR_EL0'])
      assert.deepEqual(seen('pmcr-n-2', w), ESR_UNDEF, w);
    // reset_pmu_reg(): 0x...dbadc0de & (host counters 0..5 | C) = 0x8000001e; the guest clears
    // within N = 2 (kvm_pmu_valid_counter_mask()), so bits 2..4 stay, and reads are not masked:
    // the Arm ARM makes the bits of counters >= N RAZ/WI (D24.5.7 PMCNTENSET_EL0.P<m>).
    assert.equal(seenValue('pmcr-n-2', '6 r PMCNTENSET_EL0'), 0x8000001fn);
  });
  test('N = 31 on a 6-counter host: N and the bitmaps say 31, counters 6..30 are UNDEFINED (hardware)', () => {
    assert.equal((seenValue('pmcr-n-31', '4 r PMCR_EL0') >> 11n) & 0x1fn, 31n);
    assert.equal(seenValue('pmcr-n-31', '6 r PMCNTENSET_EL0'), 0xffffffffn);
    assert.deepEqual(seen('pmcr-n-31', '17 r PMEVCNTR6_EL0'), ESR_UNDEF);
    // Through PMSELR_EL0/PMXEVCNTR_EL0 they are reachable: the hardware's PMXEVCNTR_EL0 with
    // SEL >= N is CONSTRAINED UNPREDICTABLE without FEAT_FGT (the arch model, D24.5.27), QEMU takes
    // the MDCR_EL2.TPM trap, and KVM answers with its counter 6 (reset_pmevcntr(): 0xdbadc0de).
    assert.deepEqual(seen('pmcr-n-31', '25 r PMXEVCNTR_EL0'), { result: 'ok', value: '0xdbadc0de' });
    // All 31 counters counting CPU_CYCLES: 0..5 move, 6..30 cannot even be programmed.
    for (let i = 0; i < 31; i++) {
      const r = seen('pmcr-n-31-all', `${70 + i} r PMEVCNTR${i}_EL0`);
      if (i < 6) assert.ok(r.result === 'ok' && BigInt(r.value ?? 0) > 0n, `counter ${i}`);
      else assert.deepEqual(r, ESR_UNDEF, `counter ${i}`);
    }
  });
  test('N = 31: of 12 counters counting CPU_CYCLES through PMXEV*, 0..6 move and 7..11 stay 0', () => {
    // KVM's pinned perf events on QEMU's 6 event counters and cycle counter (7 in all): the guest's
    // counters 7..11 are enabled, implemented by its N and never count. The Arm ARM: a counter
    // below N that is enabled counts its event (D24.5.8 PMCR_EL0.N, D24.5.10 PMEVCNTR<n>_EL0).
    for (let i = 0; i < 12; i++) {
      const v = seenValue('pmcr-n-31-xev', `${45 + 2 * i} r PMXEVCNTR_EL0`);
      assert.equal(v > 0n, i < 7, `counter ${i}: 0x${v.toString(16)}`);
    }
  });
  test('the guest keeps N, IMP and IDCODE userspace stored, and LP reads 1 though the guest has PMUv3p4', () => {
    // access_pmcr(): the guest writes the low byte only (ARMV8_PMU_PMCR_MASK = 0xff in v6.1) and
    // reads it with P and C as 0. 0xfe written: E clear, P, C dropped on read, LP (bit 7) kept. The
    // Arm ARM makes PMCR_EL0.LP RES0 without FEAT_PMUv3p5 (D24.5.8), and this guest reads PMUVer 5.
    const v = (what: string) => seenValue('pmcr-guest-write', what);
    assert.deepEqual(['4 r PMCR_EL0', '6 r PMCR_EL0', '8 r PMCR_EL0'].map(v), [
      0xffff0040n,
      0xffff00f8n,
      0xffff0000n,
    ]);
    // The reset value has LP set as well: 0xdecafbad's low byte 0xad, E cleared (reset-values).
    assert.equal(seenValue('reset-values', '0 r PMCR_EL0') & 0x80n, 0x80n);
  });
  test('the other registers: userspace stores all ones, the guest reads them through its masks', () => {
    // No set_user in v6.1: reg_from_user() stores all bits. The guest's accessors mask: PMSELR.SEL
    // (access_pmselr(), & 0x1f), ARMV8_PMU_USERENR_MASK (access_pmuserenr(), & 0xf),
    // ARMV8_PMU_EVTYPE_MASK (access_pmu_evtyper(), & 0xc800ffff, so PMXEVTYPER with SEL = 31
    // reads PMCCFILTR's), and a 32-bit event counter (kvm_pmu_get_counter_value()).
    const v = (what: string) => seenValue('onereg-raw', what);
    assert.deepEqual(
      [
        v('getreg PMSELR_EL0'),
        v('getreg PMUSERENR_EL0'),
        v('getreg PMEVTYPER0_EL0'),
        v('getreg PMCCFILTR_EL0'),
      ],
      [0xffffffffn, 0xffn, 0xffffffffn, 0xffffffffn],
    );
    assert.equal(v('getreg PMEVCNTR0_EL0'), 0xffffffffn); // the 32 bits of an event counter
    assert.deepEqual(
      [
        '0 r PMSELR_EL0',
        '1 r PMUSERENR_EL0',
        '2 r PMEVCNTR0_EL0',
        '3 r PMEVTYPER0_EL0',
        '4 r PMCCFILTR_EL0',
        '5 r PMXEVTYPER_EL0',
      ].map(v),
      [0x1fn, 0xfn, 0xffffffffn, 0xc800ffffn, 0xc800ffffn, 0xc800ffffn],
    );
  });
  test('mainline differs: set_pmcr() ignores an N above kvm_arm_pmu_get_max_counters() (6)', () => {
    const m = predict(SCENARIOS, 'mainline').filter((p) => p.scenario === 'pmcr-n-31');
    const pmcr = m.find((p) => p.what === '4 r PMCR_EL0');
    assert.equal((BigInt(pmcr?.value ?? -1) >> 11n) & 0x1fn, 6n);
  });
});

describe('what PMU version the guest sees against the host', () => {
  test('host PMUv3p5 (ID_AA64DFR0_EL1.PMUVer 6); 6.1 guest PMUv3p4 (5); no PMU_V3: 0', () => {
    // ID_AA64DFR0_EL1.PMUVer is bits [11:8] (Arm ARM D24.2.80); ID_DFR0_EL1.PerfMon is [27:24].
    const pmuVer = (v: bigint) => (v >> 8n) & 0xfn;
    assert.equal(pmuVer(log.hostId['ID_AA64DFR0_EL1'] ?? 0n), 6n);
    assert.equal(pmuVer(seenValue('reset-values', '5 r ID_AA64DFR0_EL1')), 5n);
    assert.equal(pmuVer(seenValue('reset-values', 'getreg ID_AA64DFR0_EL1')), 5n);
    assert.equal(pmuVer(seenValue('attr-no-pmu', '0 r ID_AA64DFR0_EL1')), 0n);
    assert.equal(((log.hostId['ID_DFR0_EL1'] ?? 0n) >> 24n) & 0xfn, 6n);
    assert.equal((seenValue('reset-values', '6 r ID_DFR0_EL1') >> 24n) & 0xfn, 5n);
  });
  test('mainline differs: it caps at PMUv3p5, so its guest would see 6', () => {
    const m = predict(SCENARIOS, 'mainline').find(
      (p) => p.scenario === 'reset-values' && p.what === '5 r ID_AA64DFR0_EL1',
    );
    assert.equal(m?.value, '6');
  });
});

describe('a userspace irqchip and the UNKNOWN reset state', () => {
  test('PMCR_EL0.E over the reset bitmaps raises the PMU line: KVM_RUN -EINTR with KVM_ARM_DEV_PMU', () => {
    // reset_pmu_reg(): PMOVSSET = PMINTENSET = PMCNTENSET = 0x8000001e, so E = 1 asserts the
    // overflow interrupt; kvm_pmu_should_notify_user() exits with the level in
    // run->s.regs.device_irq_level, KVM_ARM_DEV_PMU = bit 2 (uapi asm/kvm.h); E = 0 lowers it.
    assert.equal(seenValue('reset-enable', '0 r PMOVSSET_EL0'), 0x8000001en);
    const runs = scenarioObservations(log, 'reset-enable').filter((o) => o.what === 'KVM_RUN');
    assert.deepEqual(
      runs.map((o) => `${o.result} ${o.value ?? ''}`.trim().replace(/ \d+$/, '')),
      ['-EINTR device_irq_level=0x4', '-EINTR device_irq_level=0x0', 'done'],
    );
  });
});

describe('the divergences are the emulator, the kernel part agrees', () => {
  test("PMCEID0 under a filter denying CPU_CYCLES is the hardware's without bit 17 (kvm_pmu_get_pmceid())", () => {
    const hw = seenValue('reset-values', '3 r PMCEID0_EL0');
    assert.equal(seenValue('guest-filter', '4 r PMCEID0_EL0'), hw & ~(1n << 17n));
  });
  test('EL0 reads that KVM would refuse read the hardware counter instead (no trap to EL2)', () => {
    // PMUSERENR_EL0 = 0 in the guest: the Arm ARM traps the EL0 read to EL1 (D24.5.2); KVM's
    // hardware PMUSERENR_EL0 = 0xf makes it reach the EL2 check, which QEMU skips.
    const r = seen('guest-el0', '7 r PMCCNTR_EL0');
    assert.equal(r.result, 'ok');
    // PMCR_EL0 at EL0 (no CR/ER shortcut in QEMU) does trap, and KVM injects the UNDEF.
    assert.deepEqual(seen('guest-el0', '6 r PMCR_EL0'), ESR_UNDEF);
  });
});
