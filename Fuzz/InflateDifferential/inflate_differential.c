// Compares trailscan_inflate with zlib on damaged DEFLATE streams.
//
// Each round compresses generated data with zlib at a random level, window
// and strategy. It damages the result (flipped bits, overwritten bytes, a
// cut end) and appends a few random bytes. Both decoders then decode it, into
// buffers of exactly the given size, so that AddressSanitizer reports any
// read or write outside them. Both must succeed with the same output and the
// same number of bytes consumed, or both must fail. When zlib succeeds with
// more output than the capacity, trailscan_inflate must return NO_ROOM.
//
// Build and run (Fuzz/README.md):
//   cc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -ISources/CInflate/include \
//      -o /tmp/inflate-differential Fuzz/InflateDifferential/inflate_differential.c Sources/CInflate/inflate.c -lz
//   /tmp/inflate-differential 400000

#include "trailscan_inflate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint64_t state = 0x9E3779B97F4A7C15u;

// xorshift64: deterministic, so a failing round can be replayed.
static uint64_t next_random(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

// Fills `data` with one of four kinds of content: noise, a small alphabet
// of JSON-like text, text that repeats recent bytes (long matches), and
// runs of one byte (distance 1).
static void generate(uint8_t *data, size_t size) {
    static const char alphabet[] = "abc{}\":,eventName";
    const unsigned kind = (unsigned)(next_random() % 4);
    for (size_t i = 0; i < size; i++) {
        const uint64_t value = next_random();
        switch (kind) {
        case 0: data[i] = (uint8_t)value; break;
        case 1: data[i] = (uint8_t)alphabet[value % (sizeof alphabet - 1)]; break;
        case 2: data[i] = (i > 50 && value % 3 != 0) ? data[i - 1 - (value >> 8) % 50] : (uint8_t)value; break;
        default: data[i] = i % 7 != 0 ? 'a' : 'b'; break;
        }
    }
}

int main(int argc, char **argv) {
    const long rounds = argc > 1 ? atol(argv[1]) : 100000;
    const size_t limit = 1 << 20;
    uint8_t *source = malloc(limit);
    uint8_t *compressed = malloc(2 * limit);
    uint8_t *expected = malloc(limit);
    trailscan_inflater *inflater = trailscan_inflater_create();
    if (source == NULL || compressed == NULL || expected == NULL || inflater == NULL) return 2;
    long successes = 0, failures = 0, full = 0;

    for (long round = 0; round < rounds; round++) {
        const size_t size = (size_t)(next_random() % (round % 10 == 0 ? 200000 : 5000));
        generate(source, size);

        z_stream deflater;
        memset(&deflater, 0, sizeof deflater);
        const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
        deflateInit2(&deflater, (int)(next_random() % 10), Z_DEFLATED, -15, 8 + (int)(next_random() % 2),
                     strategies[next_random() % 5]);
        deflater.next_in = source;
        deflater.avail_in = (uInt)size;
        deflater.next_out = compressed;
        deflater.avail_out = (uInt)(2 * limit);
        deflate(&deflater, Z_FINISH);
        size_t length = deflater.total_out;
        deflateEnd(&deflater);

        const unsigned damages = (unsigned)(next_random() % 4);
        for (unsigned d = 0; d < damages && length > 0; d++) {
            const size_t position = (size_t)(next_random() % length);
            switch (next_random() % 3) {
            case 0: compressed[position] ^= (uint8_t)(1u << (next_random() % 8)); break;
            case 1: compressed[position] = (uint8_t)next_random(); break;
            default: length = position; break;
            }
        }
        const size_t extra = (size_t)(next_random() % 4);
        for (size_t i = 0; i < extra; i++) compressed[length + i] = (uint8_t)next_random();
        const size_t input_size = length + extra;
        const size_t capacity = next_random() % 8 == 0 && size > 0 ? (size_t)(next_random() % size) : limit;

        // Exactly sized copies, so that the sanitizer catches any access past them.
        uint8_t *input = malloc(input_size > 0 ? input_size : 1);
        uint8_t *output = malloc(capacity > 0 ? capacity : 1);
        memcpy(input, compressed, input_size);
        size_t used = 0, produced = 0;
        const trailscan_inflate_status status =
            trailscan_inflate(inflater, input, input_size, &used, output, capacity, &produced);

        z_stream zlib;
        memset(&zlib, 0, sizeof zlib);
        inflateInit2(&zlib, -15);
        zlib.next_in = compressed;
        zlib.avail_in = (uInt)input_size;
        zlib.next_out = expected;
        zlib.avail_out = (uInt)limit;
        const int zlib_status = inflate(&zlib, Z_FINISH);

        if (zlib_status == Z_STREAM_END && zlib.total_out > capacity) {
            if (status != TRAILSCAN_INFLATE_NO_ROOM) {
                printf("round %ld: zlib needs %lu bytes of %zu, status %d\n", round, zlib.total_out, capacity, status);
                return 1;
            }
            full++;
        } else if (zlib_status == Z_STREAM_END) {
            if (status != TRAILSCAN_INFLATE_OK || produced != zlib.total_out || used != zlib.total_in ||
                memcmp(output, expected, produced) != 0) {
                printf("round %ld: status %d, output %zu against %lu, used %zu against %lu\n", round, status, produced,
                       zlib.total_out, used, zlib.total_in);
                return 1;
            }
            successes++;
        } else {
            if (status == TRAILSCAN_INFLATE_OK) {
                printf("round %ld: zlib failed (%s) but trailscan_inflate returned %zu bytes\n", round,
                       zlib.msg != NULL ? zlib.msg : "no message", produced);
                return 1;
            }
            failures++;
        }
        inflateEnd(&zlib);
        free(input);
        free(output);
    }
    printf("%ld rounds: %ld decoded alike, %ld rejected by both, %ld too large for the output\n", rounds, successes,
           failures, full);
    trailscan_inflater_destroy(inflater);
    free(source);
    free(compressed);
    free(expected);
    return 0;
}
