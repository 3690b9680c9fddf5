/* SPDX-License-Identifier: MIT */
/*
 * What the emulated host CPU itself reports: a bare-metal ELF QEMU enters at EL2 (-M
 * virt,virtualization=on) that prints `HOSTID <name> 0x<value>` lines on the virt board's PL011
 * UART (0x09000000; Arm PL011 TRM: UARTDR at offset 0, UARTFR.TXFF bit 5 at 0x18) and powers off
 * with PSCI SYSTEM_OFF (0x84000008, Arm DEN0022) over SMC, the conduit QEMU's virt board uses when
 * EL2 is enabled. The registers read are the ones the KVM guest sees in a sanitised form:
 * ID_AA64DFR0_EL1 (PMUVer), ID_DFR0_EL1 (PerfMon), PMCR_EL0 (N, IMP, IDCODE), MDCR_EL2 (HPMN at
 * reset), MIDR_EL1, CurrentEL.
 */
	.text
	.global _start
_start:
	ldr	x19, =0x09000000
	adr	x0, n_dfr0
	mrs	x1, id_aa64dfr0_el1
	bl	put
	adr	x0, n_dfr0a32
	mrs	x1, id_dfr0_el1
	bl	put
	adr	x0, n_pmcr
	mrs	x1, pmcr_el0
	bl	put
	adr	x0, n_mdcr
	mrs	x1, mdcr_el2
	bl	put
	adr	x0, n_midr
	mrs	x1, midr_el1
	bl	put
	adr	x0, n_el
	mrs	x1, currentel
	bl	put
	ldr	x0, =0x84000008
	smc	#0
1:	wfi
	b	1b

/* put: prints "HOSTID ", the NUL-terminated name at x0, " 0x", x1 in 16 hex digits, "\n". */
put:
	mov	x9, x30
	mov	x10, x0
	adr	x0, n_prefix
	bl	puts
	mov	x0, x10
	bl	puts
	mov	x2, #16
2:	ror	x1, x1, #60
	and	x3, x1, #0xf
	cmp	x3, #10
	add	x4, x3, #'0'
	add	x5, x3, #('a' - 10)
	csel	x0, x5, x4, hs
	bl	putc
	subs	x2, x2, #1
	b.ne	2b
	mov	x0, #'\n'
	bl	putc
	mov	x30, x9
	ret

puts:	/* x0: string; uses x6, x7, x8 */
	mov	x8, x30
	mov	x6, x0
3:	ldrb	w0, [x6], #1
	cbz	w0, 4f
	bl	putc
	b	3b
4:	mov	x30, x8
	ret

putc:	/* x0: character; uses x7 */
5:	ldr	w7, [x19, #0x18]
	tbnz	w7, #5, 5b
	strb	w0, [x19]
	ret

n_prefix:	.asciz "HOSTID "
n_dfr0:		.asciz "ID_AA64DFR0_EL1 0x"
n_dfr0a32:	.asciz "ID_DFR0_EL1 0x"
n_pmcr:		.asciz "PMCR_EL0 0x"
n_mdcr:		.asciz "MDCR_EL2 0x"
n_midr:		.asciz "MIDR_EL1 0x"
n_el:		.asciz "CurrentEL 0x"
	.ltorg
