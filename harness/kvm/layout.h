/* SPDX-License-Identifier: MIT */
/* The guest's memory map, shared by guest.S and vmm.c. RAM is one memslot; MMIO_BASE is outside
 * it, so each guest store there exits to the VMM (KVM_EXIT_MMIO, Documentation/virt/kvm/api.rst). */
#define GUEST_BASE 0x40000000
#define GUEST_SIZE 0x200000
#define SCRIPT_OFF 0x100000
#define SCRIPT_MAX_OPS 4096
#define MMIO_BASE 0x20000000
#define MMIO_OP 0
#define MMIO_VAL 8
#define MMIO_ESR 16
#define MMIO_DONE 24
#define MMIO_UNEXPECTED 32
