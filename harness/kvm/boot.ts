// SPDX-License-Identifier: MIT
/**
 * The real-KVM harness's builder and runner: installs the tools and the two Debian arm64 packages
 * (into a cache outside the repository), builds the VMM and the guest with the cross toolchain,
 * packs them with busybox and the scenario file into an initramfs, and boots Debian's 6.1 kernel
 * at EL2 under qemu-system-aarch64 (TCG) with a timeout. One boot runs every scenario.
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the harness sources (vmm.c, guest.S, regs.h, layout.h). */
export const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));

/** Where downloads and builds go: $PMUP_KVM_CACHE, else $XDG_CACHE_HOME/pmup-kvm, else ~/.cache/pmup-kvm. */
export function cacheDir(): string {
  const env = process.env['PMUP_KVM_CACHE'];
  if (env !== undefined && env !== '') return env;
  const xdg = process.env['XDG_CACHE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'pmup-kvm');
}

/** The host tools the harness runs. */
export const TOOLS = ['qemu-system-aarch64', 'aarch64-linux-gnu-gcc', 'aarch64-linux-gnu-ld', 'cpio', 'gzip'];

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
}

/** The tools missing from PATH. */
export function missingTools(): string[] {
  return TOOLS.filter((t) => !have(t));
}

function run(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  }
  return r.stdout;
}

/** The unpacked kernel and busybox: where they are. */
export interface Packages {
  readonly vmlinuz: string;
  readonly busybox: string;
  /** e.g. `6.1.0-57-arm64` */
  readonly release: string;
  /** The Debian package version, e.g. `6.1.192-3`. */
  readonly version: string;
}

/**
 * Installs the apt packages (qemu-system-arm, gcc-aarch64-linux-gnu, cpio) when a tool is missing,
 * enables the arm64 architecture, and downloads and unpacks the newest
 * linux-image-6.1.0-NN-arm64 and busybox-static into the cache (once).
 */
export function ensurePackages(log: (s: string) => void = () => {}): Packages {
  const cache = cacheDir();
  mkdirSync(cache, { recursive: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]): void => {
    const r = spawnSync('apt-get', args, { encoding: 'utf8', env, cwd: cache, maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed: ${r.stderr}`);
  };
  let updated = false;
  if (missingTools().length > 0) {
    log(`installing qemu-system-arm gcc-aarch64-linux-gnu cpio (missing: ${missingTools().join(', ')})`);
    apt(['update', '-qq']);
    updated = true;
    apt(['install', '-y', '-qq', 'qemu-system-arm', 'gcc-aarch64-linux-gnu', 'cpio', 'gzip']);
  }
  const unpacked = join(cache, 'root');
  const found = (): Packages | undefined => {
    const boot = join(unpacked, 'boot');
    if (!existsSync(boot) || !existsSync(join(unpacked, 'bin', 'busybox'))) return undefined;
    const k = readdirSync(boot).find((f) => /^vmlinuz-6\.1\.0-\d+-arm64$/.test(f));
    if (k === undefined) return undefined;
    const debs = readdirSync(cache).filter((f) => /^linux-image-6\.1\.0-\d+-arm64_.*\.deb$/.test(f));
    const version = debs[0]?.split('_')[1] ?? '?';
    return {
      vmlinuz: join(boot, k),
      busybox: join(unpacked, 'bin', 'busybox'),
      release: k.slice(8),
      version,
    };
  };
  const have0 = found();
  if (have0 !== undefined) return have0;
  const arches = run('dpkg', ['--print-foreign-architectures']);
  if (!arches.split('\n').includes('arm64')) {
    log('dpkg --add-architecture arm64');
    run('dpkg', ['--add-architecture', 'arm64']);
    updated = false;
  }
  if (!updated) apt(['update', '-qq']);
  const names = run('apt-cache', ['search', '--names-only', '^linux-image-6\\.1\\.0-[0-9]+-arm64$'])
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => /^linux-image-6\.1\.0-\d+-arm64$/.test(n))
    .sort((a, b) => Number(a.split('-')[4]) - Number(b.split('-')[4]));
  const kernel = names.at(-1);
  if (kernel === undefined)
    throw new Error('apt-cache finds no linux-image-6.1.0-NN-arm64 (is arm64 enabled?)');
  log(`apt-get download ${kernel}:arm64 busybox-static:arm64`);
  apt(['download', `${kernel}:arm64`, 'busybox-static:arm64']);
  rmSync(unpacked, { recursive: true, force: true });
  for (const deb of readdirSync(cache).filter((f) => f.endsWith('.deb'))) {
    run('dpkg-deb', ['-x', join(cache, deb), unpacked]);
  }
  const p = found();
  if (p === undefined) throw new Error(`no vmlinuz or busybox after unpacking into ${unpacked}`);
  return p;
}

/** The binaries the harness builds. */
export interface Binaries {
  /** The VMM, static AArch64 Linux. */
  readonly vmm: string;
  /** The guest, a flat image loaded at GUEST_BASE. */
  readonly guest: string;
  /** The bare-metal program that prints the emulated host's ID and PMU registers at EL2. */
  readonly hostid: string;
}

/** Builds the VMM, the guest image and the host-ID program into `out`. */
export function buildBinaries(out: string): Binaries {
  mkdirSync(out, { recursive: true });
  const vmm = join(out, 'pmup-vmm');
  const obj = join(out, 'guest.o');
  const elf = join(out, 'guest.elf');
  const guest = join(out, 'guest.bin');
  run('aarch64-linux-gnu-gcc', [
    '-static',
    '-O2',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-o',
    vmm,
    join(HARNESS_DIR, 'vmm.c'),
  ]);
  run('aarch64-linux-gnu-gcc', ['-c', '-o', obj, join(HARNESS_DIR, 'guest.S')]);
  run('aarch64-linux-gnu-ld', ['-Ttext=0x40000000', '-o', elf, obj]);
  run('aarch64-linux-gnu-objcopy', ['-O', 'binary', elf, guest]);
  const hostObj = join(out, 'hostid.o');
  const hostid = join(out, 'hostid.elf');
  run('aarch64-linux-gnu-gcc', ['-c', '-o', hostObj, join(HARNESS_DIR, 'hostid.S')]);
  run('aarch64-linux-gnu-ld', ['-Ttext=0x40000000', '-e', '_start', '-o', hostid, hostObj]);
  return { vmm, guest, hostid };
}

/** The initramfs's /init: mounts, the kernel's KVM and PMU lines, the VMM, power off. */
const INIT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox mount -t sysfs sys /sys
/bin/busybox dmesg | /bin/busybox grep -E "kvm \\[|perfevents|Linux version" | /bin/busybox sed 's/^/DMESG /'
/pmup-vmm /guest.bin /scenarios.txt
echo PMUP_EXIT $?
/bin/busybox poweroff -f
`;

/** Packs the initramfs (newc cpio, gzip) and returns its path. */
export function buildInitramfs(out: string, pkgs: Packages, bins: Binaries, scenarios: string): string {
  const root = join(out, 'initramfs');
  rmSync(root, { recursive: true, force: true });
  for (const d of ['bin', 'dev', 'proc', 'sys']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync(pkgs.busybox, join(root, 'bin', 'busybox'));
  copyFileSync(bins.vmm, join(root, 'pmup-vmm'));
  copyFileSync(bins.guest, join(root, 'guest.bin'));
  writeFileSync(join(root, 'scenarios.txt'), scenarios);
  writeFileSync(join(root, 'init'), INIT, { mode: 0o755 });
  run('chmod', ['755', join(root, 'bin', 'busybox'), join(root, 'pmup-vmm')]);
  const cpio = join(out, 'initramfs.cpio.gz');
  run('sh', ['-c', `find . | cpio -o -H newc --quiet | gzip -1 > '${cpio}'`], { cwd: root });
  return cpio;
}

/** The machine: the issue's, with a GICv3 so that the VMM can create a vGICv3. */
const MACHINE = ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'max', '-smp', '1', '-m', '512'];

/** The QEMU command line that boots the kernel with the initramfs. */
export function qemuArgs(vmlinuz: string, initrd: string): string[] {
  return [
    ...MACHINE,
    '-nographic',
    '-kernel',
    vmlinuz,
    '-initrd',
    initrd,
    '-append',
    'console=ttyAMA0 rdinit=/init panic=-1 quiet',
    '-no-reboot',
  ];
}

/** The QEMU command line that runs the bare-metal host-ID program at EL2 on the same machine. */
export function hostIdArgs(elf: string): string[] {
  return [...MACHINE, '-nographic', '-kernel', elf, '-no-reboot'];
}

/** One boot's console output and wall time. */
export interface Boot {
  readonly output: string;
  readonly seconds: number;
  readonly timedOut: boolean;
}

/** Boots once with a timeout (default 300 s; $PMUP_KVM_TIMEOUT seconds). */
export function boot(
  vmlinuz: string,
  initrd: string,
  timeoutS = Number(process.env['PMUP_KVM_TIMEOUT'] ?? 300),
): Boot {
  return qemu(qemuArgs(vmlinuz, initrd), timeoutS);
}

/** Runs the host-ID program (timeout 30 s). */
export function hostId(elf: string): Boot {
  return qemu(hostIdArgs(elf), 30);
}

function qemu(args: readonly string[], timeoutS: number): Boot {
  const t0 = Date.now();
  const r = spawnSync('qemu-system-aarch64', args, {
    encoding: 'utf8',
    timeout: timeoutS * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = (Date.now() - t0) / 1000;
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return { output: (r.stdout ?? '') + (r.stderr ?? ''), seconds, timedOut };
}
