#pragma once
// The `seglab runs <action>` verbs (internal to engine/cli). Each parses its
// own options from the arguments after the action.
#include <string>
#include <vector>

namespace seglab {

int runs_list(const std::vector<std::string>& args);
int runs_show(const std::vector<std::string>& args);
int runs_compare(const std::vector<std::string>& args);
int runs_tag(const std::vector<std::string>& args);
int runs_note(const std::vector<std::string>& args);
int runs_delete(const std::vector<std::string>& args);
int runs_export(const std::vector<std::string>& args);

}  // namespace seglab
