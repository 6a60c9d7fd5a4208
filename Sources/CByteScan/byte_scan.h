#ifndef TRAILSCAN_BYTE_SCAN_H
#define TRAILSCAN_BYTE_SCAN_H

// NOTE: this header belongs to a system-library module, and SwiftPM does not
// rebuild the Swift code that uses it when only the header changes. After an
// edit, touch a Swift file of TrailscanCore (or delete .build) before testing.

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Returns the offset of the first byte in bytes[start..<end] that a JSON
// string scan must look at: a quote, a backslash or a control character
// (below 0x20). Returns end when there is none. Reads no byte outside
// start..<end.
//
// With SSE2 (every x86-64 processor) it tests 16 bytes per step: a byte is
// at most 0x1f when the unsigned maximum of it and 0x1f is 0x1f.
static inline size_t trailscan_first_string_special(const uint8_t *bytes, size_t start, size_t end) {
    size_t position = start;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1f);
    while (position + 16 <= end) {
        __m128i chunk = _mm_loadu_si128((const __m128i *)(bytes + position));
        __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
            _mm_cmpeq_epi8(_mm_max_epu8(chunk, control), control));
        unsigned mask = (unsigned)_mm_movemask_epi8(special);
        if (mask != 0) {
            return position + (size_t)__builtin_ctz(mask);
        }
        position += 16;
    }
#endif
    while (position < end) {
        uint8_t byte = bytes[position];
        if (byte == '"' || byte == '\\' || byte < 0x20) {
            return position;
        }
        position += 1;
    }
    return end;
}

// Returns how many bytes of bytes[0..<count] equal target.
//
// With SSE2 it compares 64 bytes per step, in four 16-byte loads, and adds
// the population counts of their comparison masks.
static inline size_t trailscan_count_byte(const uint8_t *bytes, size_t count, uint8_t target) {
    size_t total = 0;
    size_t position = 0;
#if defined(__SSE2__)
    const __m128i pattern = _mm_set1_epi8((char)target);
    while (position + 64 <= count) {
        const __m128i *block = (const __m128i *)(bytes + position);
        uint64_t mask = (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(block), pattern))
            | (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(block + 1), pattern)) << 16
            | (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(block + 2), pattern)) << 32
            | (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(block + 3), pattern)) << 48;
        total += (size_t)__builtin_popcountll(mask);
        position += 64;
    }
    while (position + 16 <= count) {
        __m128i chunk = _mm_loadu_si128((const __m128i *)(bytes + position));
        total += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, pattern)));
        position += 16;
    }
#endif
    while (position < count) {
        total += bytes[position] == target;
        position += 1;
    }
    return total;
}

#endif
