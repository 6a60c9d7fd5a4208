#ifndef TRAILSCAN_CSQLITE_SHIM_H
#define TRAILSCAN_CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro around a function-pointer cast, which Swift cannot import.
static inline sqlite3_destructor_type trailscan_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

// Turns off SQLite's memory statistics, which take a global mutex around
// every allocation SQLite makes and which trailscan never reads. It must run
// before the first connection opens. sqlite3_config is variadic, which Swift
// cannot call.
static inline int trailscan_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
