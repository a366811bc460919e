#include "core/registry.h"

#include <gtest/gtest.h>

namespace seglab {

TEST(Registry, FindsEntriesAndTheirFactories) {
  Registry<int> r("backend");
  r.add({"libtorch", "LibTorch", {}}, 1);
  r.add({"onednn", "oneDNN", {}}, 2);
  EXPECT_EQ(r.factory("onednn"), 2);
  EXPECT_EQ(r.info("libtorch").summary, "LibTorch");
  EXPECT_EQ(r.names(), (std::vector<std::string>{"libtorch", "onednn"}));
  EXPECT_TRUE(r.contains("libtorch"));
  EXPECT_FALSE(r.contains("cuda"));
}

TEST(Registry, UnknownNameListsKnownAndClosest) {
  Registry<int> r("encoder");
  r.add({"resnet18", "", {}}, 1);
  r.add({"resnet34", "", {}}, 2);
  r.add({"mobilenet_v2", "", {}}, 3);
  try {
    r.factory("resnet43", "exp.ini:7 model.encoder");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "exp.ini:7 model.encoder: unknown encoder 'resnet43'");
    EXPECT_EQ(e.remedy(), "did you mean 'resnet34'? known encoders: resnet18, resnet34, mobilenet_v2");
  }
}

TEST(Registry, DuplicateNamesAreRefused) {
  Registry<int> r("model");
  r.add({"unet", "", {}}, 1);
  EXPECT_THROW(r.add({"unet", "", {}}, 2), Error);
}

}  // namespace seglab
