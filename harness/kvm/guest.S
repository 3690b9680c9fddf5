/* SPDX-License-Identifier: MIT */
/*
 * The harness's guest: a bare-metal AArch64 program the VMM loads at GUEST_BASE and enters at EL1
 * (KVM's reset state: EL1h, DAIF masked, MMU off). It interprets a script the VMM wrote at
 * SCRIPT_OFF, three 64-bit words per operation (op, a, b), and reports through MMIO stores to
 * addresses no memslot covers, so each store is a KVM_EXIT_MMIO the VMM logs:
 *
 *   MMIO_OP   the index of the operation starting;  MMIO_VAL  a value read (MRS);
 *   MMIO_ESR  ESR_EL1 of an exception taken to EL1 (UNDEFINED, trap), then the instruction is
 *             skipped;                               MMIO_DONE  the script ended.
 *
 * Operations: 0 END; 1 READ row a of regs.h (MRS); 2 WRITE b to row a (MSR); 3 LOOP a iterations;
 * 4 EL0 (continue at EL0t: ERET with SPSR_EL1.M = 0); 5 EL1 (SVC back to EL1h); 6 ISB.
 *
 * With the MMU off, EL1 and EL0 data accesses are Device-nGnRnE and instruction fetches Normal
 * (Arm ARM D8.2.10 "Behavior when stage 1 address translation is disabled"), so EL0 can run the
 * same code and make the same MMIO stores.
 */
#include "layout.h"

	.text
	.global _start
_start:
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	ldr	x28, =MMIO_BASE
	ldr	x27, =(GUEST_BASE + SCRIPT_OFF)
	mov	x26, #0			/* operation index */
next:
	str	x26, [x28, #MMIO_OP]
	ldp	x3, x4, [x27], #16	/* op, a */
	ldr	x5, [x27], #8		/* b */
	add	x26, x26, #1
	cmp	x3, #0
	b.eq	end
	cmp	x3, #1
	b.eq	op_read
	cmp	x3, #2
	b.eq	op_write
	cmp	x3, #3
	b.eq	op_loop
	cmp	x3, #4
	b.eq	op_el0
	cmp	x3, #5
	b.eq	op_el1
	cmp	x3, #6
	b.eq	op_isb
	b	next

op_read:
	ldr	x1, =0xdeadbeefdeadbeef	/* left in x1 when the MRS is UNDEFINED and skipped */
	adr	x2, readtab
	add	x2, x2, x4, lsl #3
	br	x2
after_read:
	str	x1, [x28, #MMIO_VAL]
	b	next

op_write:
	mov	x1, x5
	adr	x2, writetab
	add	x2, x2, x4, lsl #3
	br	x2

op_loop:
	cbz	x4, next
1:	subs	x4, x4, #1
	b.ne	1b
	b	next

op_el0:
	adr	x0, next
	msr	elr_el1, x0
	msr	spsr_el1, xzr		/* EL0t, DAIF clear is harmless: nothing is pending */
	eret

op_el1:
	svc	#1
	b	next

op_isb:
	isb
	b	next

end:
	str	x26, [x28, #MMIO_DONE]
2:	wfi
	b	2b

#define S(o0, o1, n, m, o2) S##o0##_##o1##_C##n##_C##m##_##o2
#define R(name, o0, o1, n, m, o2) mrs x1, S(o0, o1, n, m, o2); b after_read;
	.balign 8
readtab:
#include "regs.h"
#undef R
#define R(name, o0, o1, n, m, o2) msr S(o0, o1, n, m, o2), x1; b next;
	.balign 8
writetab:
#include "regs.h"
#undef R

/* The exception vectors (Arm ARM D1.3.4 "Exception vectors"): synchronous exceptions from the
 * current EL with SP_ELx (0x200) and from AArch64 EL0 (0x400) go to one handler; SVC #1 returns
 * to EL1h, anything else is reported and skipped. */
	.balign 2048
vectors:
	.rept 4
	.balign 128
	b	sync_handler
	.endr
	.balign 128
	b	sync_handler		/* 0x200 */
	.rept 3
	.balign 128
	b	unexpected
	.endr
	.balign 128
	b	sync_handler		/* 0x400 */
	.rept 7
	.balign 128
	b	unexpected
	.endr

sync_handler:
	mrs	x20, esr_el1
	lsr	x21, x20, #26
	cmp	x21, #0x15		/* EC 0x15: SVC from AArch64 */
	b.eq	to_el1
	str	x20, [x28, #MMIO_ESR]
	mrs	x21, elr_el1
	add	x21, x21, #4
	msr	elr_el1, x21
	eret
to_el1:
	mov	x21, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el1, x21
	eret

unexpected:
	mrs	x20, esr_el1
	str	x20, [x28, #MMIO_UNEXPECTED]
3:	wfi
	b	3b
	.ltorg
