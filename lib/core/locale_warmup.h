#pragma once

namespace podmon {

// Fills libstdc++'s lazily built std::ctype<char>::narrow cache of the global locale at once.
// std::regex reads that cache while compiling; filled lazily, two threads compiling regexes at the
// same time (the enrichment pool) write the same bytes to it concurrently (GCC PR libstdc++/77704).
// Called once at start-up, before any thread starts; afterwards the cache is only read. Throws nothing.
void warmLocaleCaches();

}  // namespace podmon
