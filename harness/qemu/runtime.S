// SPDX-License-Identifier: MIT
// Bare-metal runtime of the QEMU harness (src/harness/qemu/generate.ts appends the scenarios).
// QEMU -M virt,virtualization=on (secure=off) enters the ELF at EL2 with the MMU off.
//
// Register use, fixed for the whole program:
//   x22  where EL1 continues after the EL0 program's SVC
//   x23  the sentinel a read's Xt holds before the MRS (a NOP read leaves it)
//   x24  the observation buffer pointer (3 doublewords per MRS/MSR: EL, ESR, Xt)
//   x25  where EL2 continues after the guest's HVC
//   x26  scratch of the exception handlers
//   x27  0, or the Exception level an exception was taken to (set by the handlers)
//   x28  ESR_ELx of that exception
// The handlers record the exception and skip the instruction (ELR_ELx += 4), except an HVC
// from EL1, which ends the guest program (EL2 continues at x25), and an SVC from EL0, which
// ends the EL0 program (EL1 continues at x22).

        .equ    UART_DR, 0x09000000           // PL011 data register of -M virt
        .equ    SYS_EXIT, 0x18                // semihosting SYS_EXIT
        .equ    ADP_Stopped_ApplicationExit, 0x20026

        .text
        .global _start
_start:
        ldr     x0, =stack_top
        mov     sp, x0
        adr     x0, el2_vectors
        msr     vbar_el2, x0
        adr     x0, el1_vectors
        msr     vbar_el1, x0
        mov     x0, #(1 << 31)                // HCR_EL2.RW: EL1 is AArch64
        msr     hcr_el2, x0
        ldr     x23, =0x5e5e5e5e5e5e5e5e
        isb
        b       scenarios

// Ends the run: prints "D" and exits through semihosting.
finish:
        mov     x0, #'D'
        bl      putc
        mov     x0, #'\n'
        bl      putc
        ldr     x1, =exit_block
        mov     x0, #SYS_EXIT
        hlt     #0xf000
        b       .

// putc(x0): clobbers x15.
putc:
        ldr     x15, =UART_DR
        strb    w0, [x15]
        ret

// puthex(x0): 16 hex digits; clobbers x10-x15.
puthex:
        mov     x10, x0
        mov     x11, #60
        ldr     x15, =UART_DR
1:      lsr     x12, x10, x11
        and     x12, x12, #0xf
        add     x13, x12, #'0'
        add     x14, x12, #('a' - 10)
        cmp     x12, #10
        csel    x12, x13, x14, lo
        strb    w12, [x15]
        subs    x11, x11, #4
        b.ge    1b
        ret

// report(x1 = scenario id, x2 = number of observations): prints "S id", then one line
// "O id j EL ESR Xt" per observation from obs_buffer. Clobbers x0-x15, x30 (saved in x9).
report:
        mov     x9, x30
        mov     x3, x1
        mov     x0, #'S'
        bl      putc
        mov     x0, #' '
        bl      putc
        mov     x0, x3
        bl      puthex
        mov     x0, #'\n'
        bl      putc
        ldr     x4, =obs_buffer
        mov     x5, #0
2:      cmp     x5, x2
        b.hs    3f
        mov     x0, #'O'
        bl      putc
        mov     x0, #' '
        bl      putc
        mov     x0, x3
        bl      puthex
        mov     x0, #' '
        bl      putc
        mov     x0, x5
        bl      puthex
        mov     x6, #3
4:      mov     x0, #' '
        bl      putc
        ldr     x0, [x4], #8
        bl      puthex
        subs    x6, x6, #1
        b.ne    4b
        mov     x0, #'\n'
        bl      putc
        add     x5, x5, #1
        b       2b
3:      mov     x30, x9
        ret

unexpected:
        mov     x0, #'X'
        bl      putc
        mov     x0, #' '
        bl      putc
        mov     x0, x26
        bl      puthex
        mov     x0, #'\n'
        bl      putc
        b       finish

        .macro  skip_record el
        mrs     x28, esr_el\el
        mov     x27, #\el
        mrs     x26, elr_el\el
        add     x26, x26, #4
        msr     elr_el\el, x26
        eret
        .endm

        .macro  stray offset
        .balign 0x80
        mov     x26, #\offset
        b       unexpected
        .endm

        .balign 0x800
el2_vectors:
        stray   0x000
        stray   0x080
        stray   0x100
        stray   0x180
        .balign 0x80                          // 0x200: synchronous, current EL with SP_EL2
        skip_record 2
        stray   0x280
        stray   0x300
        stray   0x380
        .balign 0x80                          // 0x400: synchronous, lower EL in AArch64
        mrs     x26, esr_el2
        lsr     x26, x26, #26
        cmp     x26, #0x16                    // EC 0x16: HVC from AArch64
        b.eq    1f
        skip_record 2
1:      br      x25
        stray   0x480
        stray   0x500
        stray   0x580
        stray   0x600
        stray   0x680
        stray   0x700
        stray   0x780

        .balign 0x800
el1_vectors:
        stray   0x1000
        stray   0x1080
        stray   0x1100
        stray   0x1180
        .balign 0x80                          // 0x200: synchronous, current EL with SP_EL1
        skip_record 1
        stray   0x1280
        stray   0x1300
        stray   0x1380
        .balign 0x80                          // 0x400: synchronous, lower EL (EL0) in AArch64
        mrs     x26, esr_el1
        lsr     x26, x26, #26
        cmp     x26, #0x15                    // EC 0x15: SVC from AArch64
        b.eq    1f
        skip_record 1
1:      br      x22
        stray   0x1480
        stray   0x1500
        stray   0x1580
        stray   0x1600
        stray   0x1680
        stray   0x1700
        stray   0x1780
        .ltorg

        .data
        .balign 8
exit_block:
        .quad   ADP_Stopped_ApplicationExit, 0

        .bss
        .balign 16
        .space  4096
stack_top:
obs_buffer:
        .space  24 * 4096

        .text
scenarios:
