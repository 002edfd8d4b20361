#pragma once

#include <string>
#include <string_view>

// The web view's files (lib/status/ui/: pages, script, style sheet), embedded into the binary at
// build time by lib/CMakeLists.txt, so the view needs nothing from anywhere at run time.
namespace podmon::status::ui_assets {

struct Asset {
  std::string_view contentType;
  std::string_view body;
};

// The file served as /ui/<name> ("app.js", "app.css"); nullptr for any other name. The pages
// (index.html, login.html) are read with page().
const Asset* file(const std::string& name);
// index.html (the view) or login.html (the login form).
std::string_view page(const std::string& name);

}  // namespace podmon::status::ui_assets
