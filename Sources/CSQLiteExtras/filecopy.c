#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include "CSQLiteExtras.h"

long long blogsearch_copy_file_range(int input, int output, long long length) {
#if defined(__linux__)
    return (long long)copy_file_range(input, NULL, output, NULL, (size_t)length, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}
