#ifndef TRAILSCAN_CSQLITE_SHIM_H
#define TRAILSCAN_CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro around a function-pointer cast, which Swift cannot import.
static inline sqlite3_destructor_type trailscan_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
