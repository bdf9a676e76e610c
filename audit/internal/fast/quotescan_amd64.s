//go:build !noasm

#include "textflag.h"

DATA quoteByte<>+0(SB)/8, $0x2222222222222222
DATA quoteByte<>+8(SB)/8, $0x2222222222222222
GLOBL quoteByte<>(SB), RODATA|NOPTR, $16
DATA backslashByte<>+0(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA backslashByte<>+8(SB)/8, $0x5c5c5c5c5c5c5c5c
GLOBL backslashByte<>(SB), RODATA|NOPTR, $16
DATA controlMax<>+0(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA controlMax<>+8(SB)/8, $0x1f1f1f1f1f1f1f1f
GLOBL controlMax<>(SB), RODATA|NOPTR, $16

// func QuoteScan(b []byte, i int) int
//
// 16 bytes per step (SSE2): a byte stops the scan when it equals '"' or
// '\\', or when max(byte, 0x1f) == 0x1f (a control character).
TEXT ·QuoteScan(SB), NOSPLIT, $0-40
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), DX
	MOVQ i+24(FP), AX
	MOVOU quoteByte<>(SB), X4
	MOVOU backslashByte<>(SB), X5
	MOVOU controlMax<>(SB), X6

loop:
	LEAQ 16(AX), CX
	CMPQ CX, DX
	JHI  tail
	MOVOU (SI)(AX*1), X0
	MOVO  X0, X1
	PCMPEQB X4, X1
	MOVO  X0, X2
	PCMPEQB X5, X2
	POR   X2, X1
	MOVO  X0, X3
	PMAXUB X6, X3
	PCMPEQB X6, X3
	POR   X3, X1
	PMOVMSKB X1, BX
	TESTL BX, BX
	JNE   found
	MOVQ  CX, AX
	JMP   loop

found:
	BSFL BX, BX
	ADDQ BX, AX
	MOVQ AX, ret+32(FP)
	RET

tail:
	CMPQ AX, DX
	JCC  done
	MOVBLZX (SI)(AX*1), BX
	CMPB BL, $0x22
	JEQ  done
	CMPB BL, $0x5c
	JEQ  done
	CMPB BL, $0x20
	JCS  done
	INCQ AX
	JMP  tail

done:
	MOVQ AX, ret+32(FP)
	RET
