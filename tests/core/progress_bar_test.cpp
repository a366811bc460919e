#include "core/progress_bar.h"

#include <gtest/gtest.h>

#include <sstream>

namespace seglab {

TEST(ProgressBar, PlainOutputIsOneLinePerEpochWithTheFigures) {
  std::ostringstream out;
  ProgressBar bar(out, /*interactive=*/false, 2, 8);
  bar.start_epoch(1, 4);
  for (int s = 1; s <= 4; ++s) bar.step(s, 2, 0.5);
  bar.finish_epoch("val dice 0.9000");
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_NE(text.find("epoch 1/2 4/4 steps"), std::string::npos) << text;
  EXPECT_NE(text.find("img/s"), std::string::npos);
  EXPECT_NE(text.find("loss 0.5000"), std::string::npos);
  EXPECT_NE(text.find("val dice 0.9000"), std::string::npos);
}

TEST(ProgressBar, LongEpochsReportEveryTenthInPlainOutput) {
  std::ostringstream out;
  ProgressBar bar(out, false, 1, 100);
  bar.start_epoch(1, 100);
  for (int s = 1; s <= 100; ++s) bar.step(s, 1, 1.0);
  bar.finish_epoch("");
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 10) << text;  // 9 progress lines + the final one
  EXPECT_NE(text.find("ETA"), std::string::npos);
}

TEST(ProgressBar, TerminalOutputRedrawsOneLineWithABar) {
  std::ostringstream out;
  ProgressBar bar(out, true, 1, 2);
  bar.start_epoch(1, 2);
  bar.step(1, 1, 1.0);
  bar.step(2, 1, 1.0);
  bar.finish_epoch("done");
  const std::string text = out.str();
  EXPECT_NE(text.find('\r'), std::string::npos);
  EXPECT_NE(text.find("[####################]"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

}  // namespace seglab
