// CommonMark's reference parser (Debian: libcmark-dev). Linear in its input, unlike a backtracking parser.
#include <cmark.h>
