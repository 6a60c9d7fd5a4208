#ifndef TRAILSCAN_CZLIB_SHIM_H
#define TRAILSCAN_CZLIB_SHIM_H

#include <zlib.h>

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <emmintrin.h>
#include <wmmintrin.h>
#endif

// inflateInit2 is a macro, which Swift cannot import.
static inline int trailscan_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

static inline int trailscan_deflateInit2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

// Computes the CRC-32 of gzip, as zlib's crc32_z does, about four times
// faster on x86-64 processors with carry-less multiplication. inflate
// computes its check with crc32_z, a table-driven loop that took about 7%
// of the workers' time, so the reader turns that off and checks the trailer
// with this function.
//
// The data is folded 64 bytes at a time into four 128-bit lanes, then into
// one. In gzip's bit-reflected order, a lane's low 64 bits are its first 64
// bits of data, L, and its high 64 bits the rest, H. Followed by D more
// bits, the lane is congruent modulo the CRC polynomial P to
// L * (x^(D+63) mod P) * x + H * (x^(D-1) mod P) * x, and PCLMULQDQ on
// bit-reflected values supplies the factor x. The constants are these
// residues for D = 512 and D = 128, bit-reflected into 64 bits. The CRC of
// the last folded 16 bytes is the CRC of all the data folded into them, and
// crc32_z computes it and adds the tail shorter than 16 bytes.
#if defined(__x86_64__)
__attribute__((target("pclmul,sse2")))
static inline uint32_t trailscan_crc32_folded(uint32_t crc, const unsigned char *data, size_t length) {
    const __m128i by512 = _mm_set_epi64x((long long)0xcad38e8f00000000ULL, (long long)0x653d982200000000ULL);
    const __m128i by128 = _mm_set_epi64x((long long)0x9ba54c6f00000000ULL, (long long)0x65673b4600000000ULL);
#define TRAILSCAN_FOLD(lane, constants, next) \
    _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(lane, constants, 0x00), \
                                _mm_clmulepi64_si128(lane, constants, 0x11)), next)
#define TRAILSCAN_LOAD(at) _mm_loadu_si128((const __m128i *)(data + (at)))
    __m128i lane0 = _mm_xor_si128(TRAILSCAN_LOAD(0), _mm_cvtsi32_si128((int)~crc));
    __m128i lane1 = TRAILSCAN_LOAD(16);
    __m128i lane2 = TRAILSCAN_LOAD(32);
    __m128i lane3 = TRAILSCAN_LOAD(48);
    size_t offset = 64;
    for (; offset + 64 <= length; offset += 64) {
        lane0 = TRAILSCAN_FOLD(lane0, by512, TRAILSCAN_LOAD(offset));
        lane1 = TRAILSCAN_FOLD(lane1, by512, TRAILSCAN_LOAD(offset + 16));
        lane2 = TRAILSCAN_FOLD(lane2, by512, TRAILSCAN_LOAD(offset + 32));
        lane3 = TRAILSCAN_FOLD(lane3, by512, TRAILSCAN_LOAD(offset + 48));
    }
    lane1 = TRAILSCAN_FOLD(lane0, by128, lane1);
    lane2 = TRAILSCAN_FOLD(lane1, by128, lane2);
    lane3 = TRAILSCAN_FOLD(lane2, by128, lane3);
    for (; offset + 16 <= length; offset += 16) {
        lane3 = TRAILSCAN_FOLD(lane3, by128, TRAILSCAN_LOAD(offset));
    }
#undef TRAILSCAN_LOAD
#undef TRAILSCAN_FOLD
    unsigned char folded[16];
    _mm_storeu_si128((__m128i *)folded, lane3);
    // A previous CRC of all ones starts crc32_z from a zero register.
    uLong check = crc32_z(0xFFFFFFFFUL, folded, 16);
    return (uint32_t)crc32_z(check, data + offset, length - offset);
}
#endif

// Returns crc32_z(crc, data, length), folded with PCLMULQDQ when the
// processor has it and the data is 64 bytes or more.
static inline uint32_t trailscan_crc32(uint32_t crc, const unsigned char *data, size_t length) {
#if defined(__x86_64__)
    // Two workers can run this first check at once. Both store the same
    // value, and the atomics keep that from being a data race.
    static int hasCarrylessMultiply = -1;
    int known = __atomic_load_n(&hasCarrylessMultiply, __ATOMIC_RELAXED);
    if (known < 0) {
        unsigned int eax, ebx, ecx, edx;
        known = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_PCLMUL) != 0;
        __atomic_store_n(&hasCarrylessMultiply, known, __ATOMIC_RELAXED);
    }
    if (known && length >= 64) return trailscan_crc32_folded(crc, data, length);
#endif
    return (uint32_t)crc32_z(crc, data, length);
}

#endif
