// libFuzzer's driver entry point, from libclang_rt.fuzzer, which the
// `-sanitize=fuzzer` flag links in. The fuzz targets call it from their own
// entry point because SwiftPM renames an executable's `main`.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
