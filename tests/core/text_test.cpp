#include "core/text.h"

#include <gtest/gtest.h>

namespace seglab {

TEST(Text, SplitListTrimsAndDropsEmptyPieces) {
  EXPECT_EQ(split_list(" hflip,  vflip ,,rot90 "), (std::vector<std::string>{"hflip", "vflip", "rot90"}));
  EXPECT_TRUE(split_list("  ").empty());
}

TEST(Text, EditDistance) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("unet", "unet"), 0u);
}

TEST(Text, ClosestMatchSuggestsNearNamesOnly) {
  EXPECT_EQ(closest_match("resnet43", {"resnet18", "resnet34", "vgg16_bn"}), "resnet34");
  EXPECT_EQ(closest_match("Unet", {"unet"}), "unet");
  EXPECT_EQ(closest_match("zzzzzzzz", {"unet", "plain"}), "");
}

TEST(Text, FormatNumberIsShortestExact) {
  EXPECT_EQ(format_number(0.0003), "0.0003");
  EXPECT_EQ(format_number(1e-5), "1e-05");
  EXPECT_EQ(format_number(42), "42");
  EXPECT_EQ(format_number(0.1), "0.1");
}

TEST(Text, FormatDuration) {
  EXPECT_EQ(format_duration(65), "1:05");
  EXPECT_EQ(format_duration(3725), "1:02:05");
}

}  // namespace seglab
