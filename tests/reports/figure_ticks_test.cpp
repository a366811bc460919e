// Epoch axes tick on whole numbers: an axis of a few epochs must not show
// 1.5, in gnuplot's script and in pgfplots alike.
#include <gtest/gtest.h>

#include "reports/gnuplot_renderer.h"
#include "reports/pgfplots_writer.h"

namespace seglab {
namespace {

Figure epochs(int count) {
  Figure f;
  f.name = "curves";
  f.kind = FigureKind::lines;
  f.x_integer = true;
  Series s;
  s.label = "a";
  for (int e = 1; e <= count; ++e) s.x.push_back(e), s.y.push_back(0.5);
  f.series.push_back(s);
  return f;
}

TEST(FigureTicks, EpochAxesTickOnWholeNumbers) {
  EXPECT_EQ(integer_tick_step(epochs(2)), 1);   // gnuplot's own choice would be 0.2
  EXPECT_EQ(integer_tick_step(epochs(8)), 1);
  EXPECT_EQ(integer_tick_step(epochs(20)), 5);  // 1, 2, 5, 10, ... with at most 8 ticks
  EXPECT_EQ(integer_tick_step(epochs(100)), 20);
  EXPECT_NE(gnuplot_script(epochs(20)).find("set xtics 5\nset format x '%.0f'\nset mxtics 1\n"), std::string::npos);
  EXPECT_NE(pgfplots_text(epochs(2)).find("xtick distance=1,"), std::string::npos);
  Figure plain = epochs(2);
  plain.x_integer = false;
  EXPECT_EQ(gnuplot_script(plain).find("set xtics"), std::string::npos);
}

}  // namespace
}  // namespace seglab
