#include <pthread.h>
#include "CSQLiteExtras.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int result = SQLITE_OK;

static void configure(void) {
    result = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (result == SQLITE_OK) result = sqlite3_config(SQLITE_CONFIG_URI, 1);
}

int blogsearch_sqlite_configure(void) {
    pthread_once(&once, configure);
    return result;
}
