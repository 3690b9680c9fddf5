// SPDX-License-Identifier: MIT
/*
 * pmup-vmm: a minimal VMM on /dev/kvm that runs the scenario file named on its command line and
 * prints one machine-readable line per step:
 *
 *   PMUP <TAB> scenario <TAB> kind <TAB> what <TAB> result [<TAB> value]
 *
 * kind is `ioctl` (result 0, a positive value, or -ENAME), `guest` (result ok, esr or stuck; for a
 * read the value) or `info`. The scenario language, one command a line:
 *
 *   scenario NAME        start a scenario: close the previous VM
 *   vm | vgic | vcpu     KVM_CREATE_VM (+ memslot + guest image) | KVM_CREATE_DEVICE vgic-v3
 *                        (+ its two base addresses) | KVM_CREATE_VCPU (the next id, selected)
 *   select N             the commands that follow act on vCPU N
 *   init pmu|nopmu       KVM_ARM_VCPU_INIT (KVM_ARM_PREFERRED_TARGET, +KVM_ARM_VCPU_PMU_V3)
 *   vgic-init            KVM_DEV_ARM_VGIC_CTRL_INIT
 *   has|get ATTR         KVM_HAS_DEVICE_ATTR | KVM_GET_DEVICE_ATTR, group KVM_ARM_VCPU_PMU_V3_CTRL
 *   set ATTR [ARGS]      KVM_SET_DEVICE_ATTR: IRQ irq | INIT | FILTER base n action | SET_PMU id
 *                        (`host` for the host PMU's perf type) | SET_NR_COUNTERS n | NUMBER u32
 *   set-fault ATTR       the same with an unreadable payload address
 *   getreg|setreg NAME [V]  KVM_GET_ONE_REG | KVM_SET_ONE_REG of a regs.h register
 *   g-read NAME | g-write NAME V | g-loop N | g-el0 | g-el1 | g-isb   add to the guest's script
 *   run                  KVM_RUN until the script ends, an exit the VMM does not handle, or a
 *                        timeout (SIGALRM interrupts KVM_RUN: -EINTR, Documentation/virt/kvm/api.rst)
 *
 * The uapi comes from the system's <linux/kvm.h> (linux-libc-dev-arm64-cross); the one attribute
 * later than those headers, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, is defined from
 * Documentation/virt/kvm/devices/vcpu.rst (value 4).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "layout.h"

#ifndef KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS
#define KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS 4
#endif

/* The vGICv3 frames, where QEMU's virt board puts its own (any free IPA would do). */
#define VGIC_DIST_BASE 0x08000000ULL
#define VGIC_REDIST_BASE 0x080A0000ULL
/* A payload address no page maps: copy_from_user()/get_user() fail with -EFAULT. */
#define BAD_ADDR 8ULL
#define RUN_TIMEOUT_MS 3000

struct reg {
	const char *name;
	uint64_t id;
};

#define R(name, o0, o1, n, m, o2) {#name, ARM64_SYS_REG(o0, o1, n, m, o2)},
static const struct reg regs[] = {
#include "regs.h"
};
#undef R
#define NREGS (sizeof(regs) / sizeof(regs[0]))

static const char *attr_names[] = {"IRQ", "INIT", "FILTER", "SET_PMU", "SET_NR_COUNTERS"};

#define MAX_VCPUS 4
static int kvm_fd = -1, vm_fd = -1, vcpu_fd = -1, vgic_fd = -1;
static struct kvm_run *run;
static size_t run_size;
/* Every vCPU of the VM; vcpu_fd and run are the selected one's. */
static int vcpu_fds[MAX_VCPUS];
static struct kvm_run *runs[MAX_VCPUS];
static int nvcpus;
static uint8_t *ram;
static char scen[128] = "-";
static uint64_t script[SCRIPT_MAX_OPS * 3];
static char script_text[SCRIPT_MAX_OPS][96];
static int nops;
static unsigned char guest_image[SCRIPT_OFF];
static size_t guest_len;

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case ENXIO: return "ENXIO";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ENOTTY: return "ENOTTY";
	case ENOMEM: return "ENOMEM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return "E?";
	}
}

static void line(const char *kind, const char *what, const char *result, const char *value)
{
	printf("PMUP\t%s\t%s\t%s\t%s%s%s\n", scen, kind, what, result, value ? "\t" : "", value ? value : "");
	fflush(stdout);
}

/* Prints an ioctl's outcome: 0 or a positive return, else -ENAME. */
static int report(const char *what, int rc, const char *value)
{
	char res[32];
	if (rc < 0)
		snprintf(res, sizeof(res), "-%s", errname(errno));
	else
		snprintf(res, sizeof(res), "%d", rc);
	line("ioctl", what, res, rc < 0 ? NULL : value);
	return rc;
}

static const struct reg *find_reg(const char *name)
{
	for (size_t i = 0; i < NREGS; i++)
		if (strcmp(regs[i].name, name) == 0)
			return &regs[i];
	return NULL;
}

static int attr_number(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(s, attr_names[i]) == 0)
			return i;
	return atoi(s);
}

static void close_vm(void)
{
	for (int i = 0; i < nvcpus; i++) {
		munmap(runs[i], run_size);
		close(vcpu_fds[i]);
	}
	nvcpus = 0;
	if (ram) munmap(ram, GUEST_SIZE);
	if (vgic_fd >= 0) close(vgic_fd);
	if (vm_fd >= 0) close(vm_fd);
	run = NULL;
	ram = NULL;
	vgic_fd = vcpu_fd = vm_fd = -1;
	nops = 0;
}

static void cmd_vm(void)
{
	vm_fd = report("KVM_CREATE_VM", ioctl(kvm_fd, KVM_CREATE_VM, 0), NULL);
	if (vm_fd < 0) return;
	ram = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(ram, guest_image, guest_len);
	struct kvm_userspace_memory_region mr = {
		.slot = 0, .guest_phys_addr = GUEST_BASE, .memory_size = GUEST_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)ram,
	};
	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
		report("KVM_SET_USER_MEMORY_REGION", -1, NULL);
}

static int vgic_addr(uint64_t type, uint64_t base)
{
	struct kvm_device_attr a = {.group = KVM_DEV_ARM_VGIC_GRP_ADDR, .attr = type,
				    .addr = (uint64_t)(uintptr_t)&base};
	return ioctl(vgic_fd, KVM_SET_DEVICE_ATTR, &a);
}

static void cmd_vgic(void)
{
	struct kvm_create_device cd = {.type = KVM_DEV_TYPE_ARM_VGIC_V3};
	if (report("KVM_CREATE_DEVICE vgic-v3", ioctl(vm_fd, KVM_CREATE_DEVICE, &cd), NULL) < 0) return;
	vgic_fd = cd.fd;
	report("vgic addresses", vgic_addr(KVM_VGIC_V3_ADDR_TYPE_DIST, VGIC_DIST_BASE) < 0 ||
					 vgic_addr(KVM_VGIC_V3_ADDR_TYPE_REDIST, VGIC_REDIST_BASE) < 0 ? -1 : 0,
	       NULL);
}

static void cmd_vcpu(void)
{
	if (nvcpus >= MAX_VCPUS) return;
	int fd = report("KVM_CREATE_VCPU", ioctl(vm_fd, KVM_CREATE_VCPU, nvcpus), NULL);
	if (fd < 0) return;
	run_size = (size_t)ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	vcpu_fds[nvcpus] = vcpu_fd = fd;
	runs[nvcpus] = run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	nvcpus++;
}

static void cmd_init(const char *arg)
{
	struct kvm_vcpu_init init;
	if (ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		report("KVM_ARM_PREFERRED_TARGET", -1, NULL);
		return;
	}
	int pmu = strcmp(arg, "pmu") == 0;
	if (pmu) init.features[0] |= 1u << KVM_ARM_VCPU_PMU_V3;
	report(pmu ? "KVM_ARM_VCPU_INIT PMU_V3" : "KVM_ARM_VCPU_INIT", ioctl(vcpu_fd, KVM_ARM_VCPU_INIT, &init),
	       NULL);
}

static void cmd_vgic_init(void)
{
	struct kvm_device_attr a = {.group = KVM_DEV_ARM_VGIC_GRP_CTRL, .attr = KVM_DEV_ARM_VGIC_CTRL_INIT};
	report("KVM_DEV_ARM_VGIC_CTRL_INIT", ioctl(vgic_fd, KVM_SET_DEVICE_ATTR, &a), NULL);
}

/* The perf type of the host's PMU, for SET_PMU (Documentation/virt/kvm/devices/vcpu.rst). */
static int host_pmu_type(void)
{
	FILE *f = fopen("/sys/bus/event_source/devices/armv8_pmuv3/type", "r");
	int t = -1;
	if (f) {
		if (fscanf(f, "%d", &t) != 1) t = -1;
		fclose(f);
	}
	return t;
}

static void cmd_attr(const char *verb, char **argv, int argc)
{
	char what[160];
	int n = argc > 1 ? attr_number(argv[1]) : 0;
	uint32_t u32 = 0;
	int i32 = 0;
	struct kvm_pmu_event_filter filter;
	struct kvm_device_attr a = {.group = KVM_ARM_VCPU_PMU_V3_CTRL, .attr = (uint64_t)n};
	snprintf(what, sizeof(what), "%s", verb);
	for (int i = 1; i < argc; i++) {
		strncat(what, " ", sizeof(what) - strlen(what) - 1);
		strncat(what, argv[i], sizeof(what) - strlen(what) - 1);
	}
	if (strcmp(verb, "has") == 0) {
		report(what, ioctl(vcpu_fd, KVM_HAS_DEVICE_ATTR, &a), NULL);
		return;
	}
	if (strcmp(verb, "get") == 0) {
		i32 = -1;
		a.addr = (uint64_t)(uintptr_t)&i32;
		int rc = ioctl(vcpu_fd, KVM_GET_DEVICE_ATTR, &a);
		char v[32];
		snprintf(v, sizeof(v), "%d", i32);
		report(what, rc, v);
		return;
	}
	switch (n) {
	case KVM_ARM_VCPU_PMU_V3_IRQ:
	case KVM_ARM_VCPU_PMU_V3_SET_PMU:
		i32 = argc > 2 ? (strcmp(argv[2], "host") == 0 ? host_pmu_type() : atoi(argv[2])) : 0;
		a.addr = (uint64_t)(uintptr_t)&i32;
		break;
	case KVM_ARM_VCPU_PMU_V3_FILTER:
		memset(&filter, 0, sizeof(filter));
		filter.base_event = (uint16_t)(argc > 2 ? strtoul(argv[2], NULL, 0) : 0);
		filter.nevents = (uint16_t)(argc > 3 ? strtoul(argv[3], NULL, 0) : 0);
		filter.action = (uint8_t)(argc > 4 ? strtoul(argv[4], NULL, 0) : 0);
		a.addr = (uint64_t)(uintptr_t)&filter;
		break;
	case KVM_ARM_VCPU_PMU_V3_INIT:
		break;
	default:
		u32 = (uint32_t)(argc > 2 ? strtoul(argv[2], NULL, 0) : 0);
		a.addr = (uint64_t)(uintptr_t)&u32;
	}
	if (strcmp(verb, "set-fault") == 0) a.addr = BAD_ADDR;
	report(what, ioctl(vcpu_fd, KVM_SET_DEVICE_ATTR, &a), NULL);
}

static void cmd_reg(const char *verb, const char *name, const char *val)
{
	char what[128], v[32];
	const struct reg *r = find_reg(name);
	snprintf(what, sizeof(what), "%s %s%s%s", verb, name, val ? " " : "", val ? val : "");
	if (!r) {
		line("error", what, "unknown register", NULL);
		return;
	}
	uint64_t x = val ? strtoull(val, NULL, 0) : 0;
	struct kvm_one_reg one = {.id = r->id, .addr = (uint64_t)(uintptr_t)&x};
	int rc = ioctl(vcpu_fd, strcmp(verb, "getreg") == 0 ? KVM_GET_ONE_REG : KVM_SET_ONE_REG, &one);
	snprintf(v, sizeof(v), "0x%llx", (unsigned long long)x);
	report(what, rc, strcmp(verb, "getreg") == 0 ? v : NULL);
}

static void add_op(uint64_t op, uint64_t a, uint64_t b, const char *text)
{
	if (nops >= SCRIPT_MAX_OPS - 1) return;
	script[nops * 3] = op;
	script[nops * 3 + 1] = a;
	script[nops * 3 + 2] = b;
	snprintf(script_text[nops], sizeof(script_text[0]), "%s", text);
	nops++;
}

static void cmd_guest(char **argv, int argc)
{
	char text[96];
	const struct reg *r = argc > 1 ? find_reg(argv[1]) : NULL;
	if (strcmp(argv[0], "g-read") == 0 && r) {
		snprintf(text, sizeof(text), "r %s", r->name);
		add_op(1, (uint64_t)(r - regs), 0, text);
	} else if (strcmp(argv[0], "g-write") == 0 && r && argc > 2) {
		snprintf(text, sizeof(text), "w %s %s", r->name, argv[2]);
		add_op(2, (uint64_t)(r - regs), strtoull(argv[2], NULL, 0), text);
	} else if (strcmp(argv[0], "g-loop") == 0 && argc > 1) {
		snprintf(text, sizeof(text), "loop %s", argv[1]);
		add_op(3, strtoull(argv[1], NULL, 0), 0, text);
	} else if (strcmp(argv[0], "g-el0") == 0) {
		add_op(4, 0, 0, "el0");
	} else if (strcmp(argv[0], "g-el1") == 0) {
		add_op(5, 0, 0, "el1");
	} else if (strcmp(argv[0], "g-isb") == 0) {
		add_op(6, 0, 0, "isb");
	} else {
		line("error", argv[0], "bad guest command", NULL);
	}
}

static volatile sig_atomic_t timed_out;
static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static uint64_t get_pc(void)
{
	uint64_t pc = 0;
	struct kvm_one_reg one = {.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
					 KVM_REG_ARM_CORE_REG(regs.pc),
				  .addr = (uint64_t)(uintptr_t)&pc};
	ioctl(vcpu_fd, KVM_GET_ONE_REG, &one);
	return pc;
}

/* One operation's outcome, printed when the next one starts or the script ends. */
static int cur = -1;
static int cur_trapped;
static uint64_t cur_esr, cur_val;
static int cur_has_val;

static void finish_op(void)
{
	char what[128], v[32];
	if (cur < 0 || cur >= nops) return;
	snprintf(what, sizeof(what), "%d %s", cur, script_text[cur]);
	if (cur_trapped) {
		snprintf(v, sizeof(v), "0x%llx", (unsigned long long)cur_esr);
		line("guest", what, "esr", v);
	} else if (cur_has_val) {
		snprintf(v, sizeof(v), "0x%llx", (unsigned long long)cur_val);
		line("guest", what, "ok", v);
	} else {
		line("guest", what, "ok", NULL);
	}
	cur_trapped = cur_has_val = 0;
}

static void cmd_run(void)
{
	char v[64];
	if (run == NULL) {
		line("error", "run", "no vCPU", NULL);
		return;
	}
	add_op(0, 0, 0, "end");
	memcpy(ram + SCRIPT_OFF, script, (size_t)nops * 3 * sizeof(uint64_t));
	uint64_t pc = GUEST_BASE;
	struct kvm_one_reg one = {.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
					 KVM_REG_ARM_CORE_REG(regs.pc),
				  .addr = (uint64_t)(uintptr_t)&pc};
	ioctl(vcpu_fd, KVM_SET_ONE_REG, &one);
	struct itimerval it = {.it_value = {.tv_sec = RUN_TIMEOUT_MS / 1000, .tv_usec = (RUN_TIMEOUT_MS % 1000) * 1000}};
	setitimer(ITIMER_REAL, &it, NULL);
	cur = -1;
	cur_trapped = cur_has_val = 0;
	int exits = 0, irq_exits = 0;
	timed_out = 0;
	for (;;) {
		int rc = ioctl(vcpu_fd, KVM_RUN, 0);
		if (rc < 0) {
			int e = errno;
			if (e == EINTR && !timed_out) {
				/* An in-kernel device's output level changed with a userspace irqchip:
				 * kvm_vcpu_exit_request() returns -EINTR (KVM_EXIT_INTR) and the new levels
				 * are in run->s.regs.device_irq_level (api.rst, KVM_CAP_ARM_USER_IRQ). */
				if (irq_exits++ < 8) {
					snprintf(v, sizeof(v), "device_irq_level=0x%llx",
						 (unsigned long long)run->s.regs.device_irq_level);
					line("ioctl", "KVM_RUN", "-EINTR", v);
				}
				continue;
			}
			if (e == EINTR) {
				snprintf(v, sizeof(v), "pc=0x%llx", (unsigned long long)get_pc());
				char what[128];
				snprintf(what, sizeof(what), "%d %s", cur, cur >= 0 && cur < nops ? script_text[cur] : "?");
				line("guest", what, "stuck", v);
			} else {
				errno = e;
				report("KVM_RUN", -1, NULL);
			}
			break;
		}
		exits++;
		if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write) {
			uint64_t d = 0;
			memcpy(&d, run->mmio.data, run->mmio.len > 8 ? 8 : run->mmio.len);
			uint64_t off = run->mmio.phys_addr - MMIO_BASE;
			if (off == MMIO_OP) {
				finish_op();
				cur = (int)d;
			} else if (off == MMIO_VAL) {
				cur_val = d;
				cur_has_val = 1;
			} else if (off == MMIO_ESR) {
				cur_esr = d;
				cur_trapped = 1;
			} else if (off == MMIO_DONE) {
				cur = -1;
				snprintf(v, sizeof(v), "%d", exits);
				line("ioctl", "KVM_RUN", "done", v);
				break;
			} else {
				snprintf(v, sizeof(v), "0x%llx", (unsigned long long)d);
				line("guest", "unexpected exception", "esr", v);
				break;
			}
			continue;
		}
		snprintf(v, sizeof(v), "exit_reason=%u pc=0x%llx", run->exit_reason, (unsigned long long)get_pc());
		line("ioctl", "KVM_RUN", "exit", v);
		break;
	}
	struct itimerval off = {0};
	setitimer(ITIMER_REAL, &off, NULL);
	nops = 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: pmup-vmm GUEST.bin SCENARIOS.txt\n");
		return 2;
	}
	FILE *g = fopen(argv[1], "rb");
	if (!g) {
		perror(argv[1]);
		return 2;
	}
	guest_len = fread(guest_image, 1, sizeof(guest_image), g);
	fclose(g);
	FILE *s = fopen(argv[2], "r");
	if (!s) {
		perror(argv[2]);
		return 2;
	}
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0) {
		line("info", "open /dev/kvm", "-1", strerror(errno));
		return 1;
	}
	{
		char v[32];
		snprintf(v, sizeof(v), "%d", ioctl(kvm_fd, KVM_GET_API_VERSION, 0));
		line("info", "KVM_GET_API_VERSION", "0", v);
		snprintf(v, sizeof(v), "%d", host_pmu_type());
		line("info", "host PMU perf type", "0", v);
	}
	char buf[512];
	while (fgets(buf, sizeof(buf), s)) {
		char *av[8];
		int ac = 0;
		for (char *t = strtok(buf, " \t\r\n"); t && ac < 8; t = strtok(NULL, " \t\r\n")) av[ac++] = t;
		if (ac == 0 || av[0][0] == '#') continue;
		if (strcmp(av[0], "scenario") == 0 && ac > 1) {
			close_vm();
			snprintf(scen, sizeof(scen), "%s", av[1]);
		} else if (strcmp(av[0], "vm") == 0) cmd_vm();
		else if (strcmp(av[0], "vgic") == 0) cmd_vgic();
		else if (strcmp(av[0], "vcpu") == 0) cmd_vcpu();
		else if (strcmp(av[0], "select") == 0 && ac > 1 && atoi(av[1]) < nvcpus) {
			vcpu_fd = vcpu_fds[atoi(av[1])];
			run = runs[atoi(av[1])];
		}
		else if (strcmp(av[0], "init") == 0 && ac > 1) cmd_init(av[1]);
		else if (strcmp(av[0], "vgic-init") == 0) cmd_vgic_init();
		else if (strcmp(av[0], "has") == 0 || strcmp(av[0], "get") == 0 || strcmp(av[0], "set") == 0 ||
			 strcmp(av[0], "set-fault") == 0)
			cmd_attr(av[0], av, ac);
		else if ((strcmp(av[0], "getreg") == 0 || strcmp(av[0], "setreg") == 0) && ac > 1)
			cmd_reg(av[0], av[1], ac > 2 ? av[2] : NULL);
		else if (strncmp(av[0], "g-", 2) == 0) cmd_guest(av, ac);
		else if (strcmp(av[0], "run") == 0) cmd_run();
		else line("error", av[0], "unknown command", NULL);
	}
	close_vm();
	printf("PMUP\t-\tend\t-\t0\n");
	return 0;
}
