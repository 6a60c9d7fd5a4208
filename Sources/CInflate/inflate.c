#include "trailscan_inflate.h"

#include <stdlib.h>
#include <string.h>

// A table entry is 32 bits:
//   bits 0-7    bits to consume: the code's length plus its extra bits
//   bits 8-11   the code's length alone
//   bits 12-15  what the entry is: one flag, or none for an invalid code
//   bits 16-31  a literal byte, a length or distance base, or, for a link,
//               the index of the subtable in the same array
// A code no longer than the root has its entry repeated at every index
// whose low bits are the code (DEFLATE sends codes with their first bit in
// the least significant position). A longer code goes to a subtable of
// 2^(15 - root) entries, indexed by the bits after the root's.
enum {
    FLAG_LITERAL = 1u << 15,
    // A length code, or any valid distance code.
    FLAG_MATCH = 1u << 14,
    FLAG_LINK = 1u << 13,
    FLAG_END = 1u << 12,
};

#define MAX_CODE_BITS 15
#define LITLEN_ROOT 11
#define DIST_ROOT 8
#define PRECODE_ROOT 7
#define LITLEN_SYMBOLS 288
#define DIST_SYMBOLS 32
#define PRECODE_SYMBOLS 19

// Each code longer than the root can open at most one subtable, so these
// sizes hold any code that is not over-subscribed.
#define LITLEN_ENTRIES ((1 << LITLEN_ROOT) + LITLEN_SYMBOLS * (1 << (MAX_CODE_BITS - LITLEN_ROOT)))
#define DIST_ENTRIES ((1 << DIST_ROOT) + DIST_SYMBOLS * (1 << (MAX_CODE_BITS - DIST_ROOT)))

#define ENTRY(flag, value, extra) ((uint32_t)(value) << 16 | (uint32_t)(flag) | (uint32_t)(extra))
#define ENTRY_CONSUMED(e) ((e) & 0xFF)
#define ENTRY_CODE_BITS(e) (((e) >> 8) & 15)
#define ENTRY_VALUE(e) ((e) >> 16)
#define INVALID_ENTRY 0u

struct trailscan_inflater {
    uint32_t litlen[LITLEN_ENTRIES];
    uint32_t dist[DIST_ENTRIES];
    uint32_t precode[1 << PRECODE_ROOT];
    uint32_t fixed_litlen[1 << LITLEN_ROOT];
    uint32_t fixed_dist[1 << DIST_ROOT];
    uint32_t litlen_symbols[LITLEN_SYMBOLS];
    uint32_t dist_symbols[DIST_SYMBOLS];
    uint32_t precode_symbols[PRECODE_SYMBOLS];
    uint8_t lengths[LITLEN_SYMBOLS + DIST_SYMBOLS];
};

static const uint16_t length_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                         31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                         2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
                                       193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const uint8_t precode_order[PRECODE_SYMBOLS] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

static unsigned reversed(unsigned code, unsigned bits) {
    unsigned result = 0;
    for (unsigned i = 0; i < bits; i++) {
        result = result << 1 | (code & 1);
        code >>= 1;
    }
    return result;
}

// Fills `table` for the code given by `lengths`, with `symbols[s]` as the
// entry of symbol s less its length. Returns 0, or -1 for a set of lengths
// that is over-subscribed, or incomplete where zlib rejects that: always
// for the code-length code, and for the others unless the code is a single
// one-bit code. A set with no code at all gives a table of invalid entries.
static int build_table(uint32_t *table, size_t capacity, unsigned root, const uint8_t *lengths, unsigned count,
                       const uint32_t *symbols, int is_precode) {
    unsigned length_count[MAX_CODE_BITS + 1] = {0};
    for (unsigned s = 0; s < count; s++) length_count[lengths[s]]++;
    length_count[0] = 0;

    unsigned longest = 0;
    int left = 1;
    for (unsigned bits = 1; bits <= MAX_CODE_BITS; bits++) {
        left <<= 1;
        left -= (int)length_count[bits];
        if (left < 0) return -1;
        if (length_count[bits] != 0) longest = bits;
    }
    for (unsigned i = 0; i < (1u << root); i++) table[i] = INVALID_ENTRY;
    if (longest == 0) return 0;
    if (left > 0 && (is_precode || longest != 1)) return -1;

    unsigned offsets[MAX_CODE_BITS + 2];
    offsets[1] = 0;
    for (unsigned bits = 1; bits <= MAX_CODE_BITS; bits++) offsets[bits + 1] = offsets[bits] + length_count[bits];
    uint16_t sorted[LITLEN_SYMBOLS];
    for (unsigned s = 0; s < count; s++) {
        if (lengths[s] != 0) sorted[offsets[lengths[s]]++] = (uint16_t)s;
    }

    const unsigned sub_bits = MAX_CODE_BITS - root;
    size_t next_subtable = (size_t)1 << root;
    unsigned code = 0;
    unsigned index = 0;
    for (unsigned bits = 1; bits <= longest; bits++) {
        for (unsigned k = 0; k < length_count[bits]; k++, index++, code++) {
            const uint32_t entry = symbols[sorted[index]] + (bits | bits << 8);
            const unsigned reverse = reversed(code, bits);
            if (bits <= root) {
                for (unsigned i = reverse; i < (1u << root); i += 1u << bits) table[i] = entry;
                continue;
            }
            const unsigned prefix = reverse & ((1u << root) - 1);
            size_t base;
            if (table[prefix] & FLAG_LINK) {
                base = ENTRY_VALUE(table[prefix]);
            } else {
                base = next_subtable;
                next_subtable += (size_t)1 << sub_bits;
                if (next_subtable > capacity) return -1;
                for (unsigned i = 0; i < (1u << sub_bits); i++) table[base + i] = INVALID_ENTRY;
                table[prefix] = ENTRY(FLAG_LINK, base, 0);
            }
            for (unsigned i = reverse >> root; i < (1u << sub_bits); i += 1u << (bits - root)) table[base + i] = entry;
        }
        code <<= 1;
    }
    return 0;
}

trailscan_inflater *trailscan_inflater_create(void) {
    trailscan_inflater *inflater = malloc(sizeof *inflater);
    if (inflater == NULL) return NULL;
    for (unsigned s = 0; s < LITLEN_SYMBOLS; s++) {
        if (s < 256) {
            inflater->litlen_symbols[s] = ENTRY(FLAG_LITERAL, s, 0);
        } else if (s == 256) {
            inflater->litlen_symbols[s] = ENTRY(FLAG_END, 0, 0);
        } else if (s < 286) {
            inflater->litlen_symbols[s] = ENTRY(FLAG_MATCH, length_base[s - 257], length_extra[s - 257]);
        } else {
            inflater->litlen_symbols[s] = INVALID_ENTRY;
        }
    }
    for (unsigned s = 0; s < DIST_SYMBOLS; s++) {
        inflater->dist_symbols[s] = s < 30 ? ENTRY(FLAG_MATCH, dist_base[s], dist_extra[s]) : INVALID_ENTRY;
    }
    for (unsigned s = 0; s < PRECODE_SYMBOLS; s++) inflater->precode_symbols[s] = ENTRY(FLAG_LITERAL, s, 0);

    // The fixed codes of RFC 1951, section 3.2.6.
    uint8_t lengths[LITLEN_SYMBOLS];
    memset(lengths, 8, 144);
    memset(lengths + 144, 9, 256 - 144);
    memset(lengths + 256, 7, 280 - 256);
    memset(lengths + 280, 8, LITLEN_SYMBOLS - 280);
    build_table(inflater->fixed_litlen, 1 << LITLEN_ROOT, LITLEN_ROOT, lengths, LITLEN_SYMBOLS,
                inflater->litlen_symbols, 0);
    for (unsigned s = 0; s < DIST_SYMBOLS; s++) lengths[s] = 5;
    build_table(inflater->fixed_dist, 1 << DIST_ROOT, DIST_ROOT, lengths, DIST_SYMBOLS, inflater->dist_symbols, 0);
    return inflater;
}

void trailscan_inflater_destroy(trailscan_inflater *inflater) { free(inflater); }

static inline uint64_t load64(const uint8_t *p) {
    uint64_t value;
    memcpy(&value, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    value = __builtin_bswap64(value);
#endif
    return value;
}

// The bit reader. The low `available` bits of `bits` are unread input.
// The bits above them may be copies of the next input bits, which a refill
// ORs in again at the same place. Past the end of the input it adds zero
// bytes and counts them in `past_end`. A stream that needs more than eight
// of them is truncated.
#define REFILL()                                                                  \
    do {                                                                          \
        if (input_end - in >= 8) {                                                \
            bits |= load64(in) << available;                                      \
            in += (63 - available) >> 3;                                          \
            available |= 56;                                                      \
        } else {                                                                  \
            while (available < 56) {                                              \
                if (in < input_end) {                                             \
                    bits |= (uint64_t)*in++ << available;                         \
                } else {                                                          \
                    past_end++;                                                   \
                }                                                                 \
                available += 8;                                                   \
            }                                                                     \
            if (past_end > 8) return TRAILSCAN_INFLATE_TRUNCATED;                 \
        }                                                                         \
    } while (0)

// The entry for the next code: one lookup, or two for a code longer than
// the root. An invalid entry consumes no bits.
#define LOOKUP(table, root)                                                                                  \
    ({                                                                                                       \
        uint32_t entry_ = (table)[PEEK(root)];                                                               \
        if (entry_ & FLAG_LINK) {                                                               \
            entry_ = (table)[ENTRY_VALUE(entry_) +                                                           \
                             ((uint32_t)(bits >> (root)) & ((1u << (MAX_CODE_BITS - (root))) - 1))];        \
        }                                                                                                    \
        entry_;                                                                                              \
    })

// Room for the longest match and a word copy's overrun.
#define FAST_OUTPUT_ROOM (258 + 16)

#define PEEK(n) ((uint32_t)(bits & ((UINT64_C(1) << (n)) - 1)))
#define CONSUME(n)            \
    do {                      \
        bits >>= (n);         \
        available -= (n);     \
    } while (0)

trailscan_inflate_status trailscan_inflate(trailscan_inflater *inflater,
                                           const uint8_t *input, size_t input_size, size_t *input_used,
                                           uint8_t *output, size_t output_capacity, size_t *output_size) {
    const uint8_t *in = input;
    const uint8_t *const input_end = input + input_size;
    uint8_t *out = output;
    uint8_t *const output_end = output + output_capacity;
    uint64_t bits = 0;
    unsigned available = 0;
    unsigned past_end = 0;
    int is_final;

    do {
        REFILL();
        is_final = (int)PEEK(1);
        const unsigned type = (unsigned)(bits >> 1) & 3;
        CONSUME(3);

        if (type == 0) {
            // Stored: skip to a byte boundary and give the whole bytes
            // still in the bit buffer back to the input.
            CONSUME(available & 7);
            const unsigned buffered = available >> 3;
            if (past_end > buffered) return TRAILSCAN_INFLATE_TRUNCATED;
            in -= buffered - past_end;
            past_end = 0;
            bits = 0;
            available = 0;
            if (input_end - in < 4) return TRAILSCAN_INFLATE_TRUNCATED;
            const unsigned length = (unsigned)in[0] | (unsigned)in[1] << 8;
            const unsigned complement = (unsigned)in[2] | (unsigned)in[3] << 8;
            in += 4;
            if (length != (~complement & 0xFFFF)) return TRAILSCAN_INFLATE_BAD_DATA;
            if ((size_t)(input_end - in) < length) return TRAILSCAN_INFLATE_TRUNCATED;
            if ((size_t)(output_end - out) < length) return TRAILSCAN_INFLATE_NO_ROOM;
            memcpy(out, in, length);
            in += length;
            out += length;
            continue;
        }

        const uint32_t *litlen;
        const uint32_t *dist;
        if (type == 1) {
            litlen = inflater->fixed_litlen;
            dist = inflater->fixed_dist;
        } else if (type == 2) {
            const unsigned litlen_count = PEEK(5) + 257;
            const unsigned dist_count = (unsigned)(bits >> 5 & 31) + 1;
            const unsigned precode_count = (unsigned)(bits >> 10 & 15) + 4;
            CONSUME(14);
            if (litlen_count > 286 || dist_count > 30) return TRAILSCAN_INFLATE_BAD_DATA;

            uint8_t precode_lengths[PRECODE_SYMBOLS] = {0};
            for (unsigned i = 0; i < precode_count; i++) {
                REFILL();
                precode_lengths[precode_order[i]] = (uint8_t)PEEK(3);
                CONSUME(3);
            }
            if (build_table(inflater->precode, 1 << PRECODE_ROOT, PRECODE_ROOT, precode_lengths, PRECODE_SYMBOLS,
                            inflater->precode_symbols, 1) != 0) {
                return TRAILSCAN_INFLATE_BAD_DATA;
            }

            uint8_t *const lengths = inflater->lengths;
            const unsigned total = litlen_count + dist_count;
            unsigned n = 0;
            while (n < total) {
                REFILL();
                const uint32_t entry = inflater->precode[PEEK(PRECODE_ROOT)];
                if (entry == INVALID_ENTRY) return TRAILSCAN_INFLATE_BAD_DATA;
                CONSUME(ENTRY_CONSUMED(entry));
                const unsigned symbol = ENTRY_VALUE(entry);
                if (symbol < 16) {
                    lengths[n++] = (uint8_t)symbol;
                    continue;
                }
                unsigned repeat;
                uint8_t value = 0;
                if (symbol == 16) {
                    if (n == 0) return TRAILSCAN_INFLATE_BAD_DATA;
                    value = lengths[n - 1];
                    repeat = 3 + PEEK(2);
                    CONSUME(2);
                } else if (symbol == 17) {
                    repeat = 3 + PEEK(3);
                    CONSUME(3);
                } else {
                    repeat = 11 + PEEK(7);
                    CONSUME(7);
                }
                if (total - n < repeat) return TRAILSCAN_INFLATE_BAD_DATA;
                memset(lengths + n, value, repeat);
                n += repeat;
            }
            if (lengths[256] == 0) return TRAILSCAN_INFLATE_BAD_DATA;

            uint8_t dist_lengths[DIST_SYMBOLS] = {0};
            memcpy(dist_lengths, lengths + litlen_count, dist_count);
            memset(lengths + litlen_count, 0, LITLEN_SYMBOLS - litlen_count);
            if (build_table(inflater->litlen, LITLEN_ENTRIES, LITLEN_ROOT, lengths, LITLEN_SYMBOLS,
                            inflater->litlen_symbols, 0) != 0 ||
                build_table(inflater->dist, DIST_ENTRIES, DIST_ROOT, dist_lengths, DIST_SYMBOLS,
                            inflater->dist_symbols, 0) != 0) {
                return TRAILSCAN_INFLATE_BAD_DATA;
            }
            litlen = inflater->litlen;
            dist = inflater->dist;
        } else {
            return TRAILSCAN_INFLATE_BAD_DATA;
        }

        // One refill leaves at least 56 bits: enough for a length code (15
        // bits), its extra bits (5), a distance code (15) and its extra
        // bits (13), or for three literals.
        for (;;) {
            uint32_t entry;
            if (input_end - in >= 8 && (size_t)(output_end - out) >= FAST_OUTPUT_ROOM) {
                // Far from both ends: no checks of room, and up to three
                // literals a refill.
                bits |= load64(in) << available;
                in += (63 - available) >> 3;
                available |= 56;
                entry = LOOKUP(litlen, LITLEN_ROOT);
                if (entry & FLAG_LITERAL) {
                    CONSUME(ENTRY_CONSUMED(entry));
                    *out++ = (uint8_t)ENTRY_VALUE(entry);
                    entry = LOOKUP(litlen, LITLEN_ROOT);
                    if (!(entry & FLAG_LITERAL)) continue;
                    CONSUME(ENTRY_CONSUMED(entry));
                    *out++ = (uint8_t)ENTRY_VALUE(entry);
                    entry = LOOKUP(litlen, LITLEN_ROOT);
                    if (!(entry & FLAG_LITERAL)) continue;
                    CONSUME(ENTRY_CONSUMED(entry));
                    *out++ = (uint8_t)ENTRY_VALUE(entry);
                    continue;
                }
            } else {
                REFILL();
                entry = LOOKUP(litlen, LITLEN_ROOT);
                if (entry & FLAG_LITERAL) {
                    if (out == output_end) return TRAILSCAN_INFLATE_NO_ROOM;
                    CONSUME(ENTRY_CONSUMED(entry));
                    *out++ = (uint8_t)ENTRY_VALUE(entry);
                    continue;
                }
            }
            if (!(entry & FLAG_MATCH)) {
                if (entry & FLAG_END) {
                    CONSUME(ENTRY_CONSUMED(entry));
                    break;
                }
                return TRAILSCAN_INFLATE_BAD_DATA;
            }
            // The extra bits follow the code, so one shift consumes both.
            uint64_t saved = bits;
            CONSUME(ENTRY_CONSUMED(entry));
            const size_t length = ENTRY_VALUE(entry) +
                                  (size_t)((saved & ((UINT64_C(1) << ENTRY_CONSUMED(entry)) - 1)) >> ENTRY_CODE_BITS(entry));

            entry = LOOKUP(dist, DIST_ROOT);
            if (!(entry & FLAG_MATCH)) return TRAILSCAN_INFLATE_BAD_DATA;
            saved = bits;
            CONSUME(ENTRY_CONSUMED(entry));
            const size_t distance = ENTRY_VALUE(entry) +
                                    (size_t)((saved & ((UINT64_C(1) << ENTRY_CONSUMED(entry)) - 1)) >> ENTRY_CODE_BITS(entry));

            if (distance > (size_t)(out - output)) return TRAILSCAN_INFLATE_BAD_DATA;
            const size_t room = (size_t)(output_end - out);
            if (room < length) return TRAILSCAN_INFLATE_NO_ROOM;
            const uint8_t *from = out - distance;
            uint8_t *const match_end = out + length;
            if (distance >= 16 && room >= length + 15) {
                // Sixteen bytes a step, possibly writing up to fifteen bytes
                // past the match. Later output overwrites them.
                do {
                    memcpy(out, from, 16);
                    out += 16;
                    from += 16;
                } while (out < match_end);
            } else if (distance >= 8 && room >= length + 7) {
                do {
                    memcpy(out, from, 8);
                    out += 8;
                    from += 8;
                } while (out < match_end);
            } else if (distance == 1) {
                memset(out, out[-1], length);
            } else {
                do {
                    *out++ = *from++;
                } while (out < match_end);
            }
            out = match_end;
        }
    } while (!is_final);

    // Bytes loaded, less the whole bytes still unread in the bit buffer.
    const size_t used = (size_t)(in - input) + past_end - (available >> 3);
    if (used > input_size) return TRAILSCAN_INFLATE_TRUNCATED;
    *input_used = used;
    *output_size = (size_t)(out - output);
    return TRAILSCAN_INFLATE_OK;
}
