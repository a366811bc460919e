#pragma once
// Finding a run or a sweep by its id or a prefix of it, alike in both
// catalogs (internal to tracking/): each asks its database for at most three
// rows whose id equals or starts with the text, the exact match first, and
// pick_by_id() says which one the user meant or why none.
#include <string>
#include <vector>

#include "core/error.h"

namespace seglab {

// What is looked up, for the messages.
struct IdKind {
  const char* noun;  // "run"
  const char* hint;  // where the user finds the ids
};
inline constexpr IdKind kRunIds{"run", "see `seglab runs list`"};
inline constexpr IdKind kSweepIds{"sweep", "the id is printed when a sweep starts"};

// An empty text is a prefix of every id, so it is refused before any query.
inline void require_id_text(const std::string& id_or_prefix, const IdKind& kind, const std::string& catalog) {
  if (id_or_prefix.empty()) throw StoreError(std::string("empty ") + kind.noun + " id", catalog, kind.hint);
}

// The exact match, else the only prefix match; a StoreError when there is
// none or the prefix is ambiguous.
template <class Info>
Info pick_by_id(const std::vector<Info>& found, const std::string& id_or_prefix, const IdKind& kind,
                const std::string& catalog) {
  if (found.empty())
    throw StoreError(std::string("no ") + kind.noun + " with id '" + id_or_prefix + "'", catalog, kind.hint);
  if (found[0].id == id_or_prefix || found.size() == 1) return found[0];
  throw StoreError(std::string(kind.noun) + " id prefix '" + id_or_prefix + "' is ambiguous (" + found[0].id + ", " +
                       found[1].id + ", ...)",
                   catalog, "give more characters of the id");
}

}  // namespace seglab
