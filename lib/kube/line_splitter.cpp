#include "kube/line_splitter.h"

namespace podmon::kube {

void LineSplitter::emit(std::string_view line, const LineHandler& onLine) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!line.empty()) onLine(line);
}

void LineSplitter::feed(std::string_view chunk, const LineHandler& onLine, const OverflowHandler& onOverflow) {
  while (!chunk.empty()) {
    std::size_t nl = chunk.find('\n');
    if (skipping_) {
      if (nl == std::string_view::npos) {
        skipped_ += chunk.size();
        return;
      }
      skipped_ += nl;
      if (onOverflow) onOverflow(skipped_);
      skipping_ = false;
      skipped_ = 0;
      chunk.remove_prefix(nl + 1);
      continue;
    }
    if (nl == std::string_view::npos) {
      if (buffer_.size() + chunk.size() > maxLine_) {
        skipping_ = true;
        skipped_ = buffer_.size() + chunk.size();
        buffer_.clear();
        return;
      }
      buffer_.append(chunk);
      return;
    }
    if (buffer_.empty()) {
      // Fast path: the whole line is inside this chunk, no copy.
      if (nl <= maxLine_) {
        emit(chunk.substr(0, nl), onLine);
      } else if (onOverflow) {
        onOverflow(nl);
      }
    } else {
      if (buffer_.size() + nl <= maxLine_) {
        buffer_.append(chunk.substr(0, nl));
        emit(buffer_, onLine);
      } else if (onOverflow) {
        onOverflow(buffer_.size() + nl);
      }
      buffer_.clear();
    }
    chunk.remove_prefix(nl + 1);
  }
}

}  // namespace podmon::kube
