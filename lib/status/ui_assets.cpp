#include "status/ui_assets.h"

#include "status/ui_assets_generated.h"

namespace podmon::status::ui_assets {

const Asset* file(const std::string& name) {
  static const Asset kScript{"text/javascript; charset=utf-8", kAppJs};
  static const Asset kStyle{"text/css; charset=utf-8", kAppCss};
  if (name == "app.js") return &kScript;
  if (name == "app.css") return &kStyle;
  return nullptr;
}

std::string_view page(const std::string& name) { return name == "login.html" ? kLoginHtml : kIndexHtml; }

}  // namespace podmon::status::ui_assets
